use super::CachedSql;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{Result, ServicePoint};

const COLS: &str = "id, event_id, theme_id, name, short_name, address, contact, contact_phone,
                    capacity, depart_time, bus, sort_order";

/// A point from a row whose first columns are `COLS`, in that order.
pub(crate) fn from_row(r: &Row) -> rusqlite::Result<ServicePoint> {
    Ok(ServicePoint {
        id: r.get(0)?,
        event_id: r.get(1)?,
        theme_id: r.get(2)?,
        name: r.get(3)?,
        short_name: r.get(4)?,
        address: r.get(5)?,
        contact: r.get(6)?,
        contact_phone: r.get(7)?,
        capacity: r.get(8)?,
        depart_time: r.get(9)?,
        bus: r.get(10)?,
        sort_order: r.get(11)?,
    })
}

pub fn insert(c: &Connection, p: &ServicePoint) -> Result<()> {
    c.execute_cached(
        &format!("INSERT INTO service_point ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        params![
            p.id,
            p.event_id,
            p.theme_id,
            p.name,
            p.short_name,
            p.address,
            p.contact,
            p.contact_phone,
            p.capacity,
            p.depart_time,
            p.bus,
            p.sort_order
        ],
    )?;
    Ok(())
}

pub fn list_for_event(c: &Connection, event_id: &str) -> Result<Vec<ServicePoint>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM service_point WHERE event_id = ?1 ORDER BY sort_order, name"
    ))?;
    let rows = st.query_map([event_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(c: &Connection, id: &str) -> Result<Option<ServicePoint>> {
    Ok(c.query_row_cached(
        &format!("SELECT {COLS} FROM service_point WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?)
}

pub fn update(c: &Connection, p: &ServicePoint) -> Result<()> {
    c.execute_cached(
        "UPDATE service_point SET theme_id = ?2, name = ?3, short_name = ?4, address = ?5,
                contact = ?6, contact_phone = ?7, capacity = ?8, depart_time = ?9, bus = ?10,
                sort_order = ?11
         WHERE id = ?1",
        params![
            p.id,
            p.theme_id,
            p.name,
            p.short_name,
            p.address,
            p.contact,
            p.contact_phone,
            p.capacity,
            p.depart_time,
            p.bus,
            p.sort_order
        ],
    )?;
    Ok(())
}

/// Sign-ups (any status) and check-ins that refer to the point: a point in use is not deleted.
pub fn references(c: &Connection, id: &str) -> Result<i64> {
    Ok(c.query_row_cached(
        "SELECT (SELECT count(*) FROM signup WHERE point_id = ?1)
              + (SELECT count(*) FROM checkin WHERE point_id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

pub fn delete(c: &Connection, id: &str) -> Result<()> {
    c.execute_cached("DELETE FROM service_point WHERE id = ?1", [id])?;
    Ok(())
}
