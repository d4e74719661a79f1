//! 同心荟 service stations, the experts appointed to them, and the activities held there.

use rusqlite::{params, Connection, OptionalExtension};

use super::CachedSql;
use crate::{Activity, Appointment, Result, Station};

const COLS: &str = "id, name, district, host, address, opened_on";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Station> {
    Ok(Station {
        id: r.get(0)?,
        name: r.get(1)?,
        district: r.get(2)?,
        host: r.get(3)?,
        address: r.get(4)?,
        opened_on: r.get(5)?,
    })
}

pub fn insert(c: &Connection, s: &Station, now: &str) -> Result<()> {
    c.execute_cached(
        "INSERT INTO station (id, name, district, host, address, opened_on, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            s.id,
            s.name,
            s.district,
            s.host,
            s.address,
            s.opened_on,
            now
        ],
    )?;
    Ok(())
}

pub fn get(c: &Connection, id: &str) -> Result<Option<Station>> {
    Ok(c.query_row(
        &format!("SELECT {COLS} FROM station WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?)
}

pub fn by_name(c: &Connection, district: &str, name: &str) -> Result<Option<Station>> {
    Ok(c.query_row(
        &format!("SELECT {COLS} FROM station WHERE district = ?1 AND name = ?2"),
        [district, name],
        from_row,
    )
    .optional()?)
}

pub fn all(c: &Connection) -> Result<Vec<Station>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM station ORDER BY name"))?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ledger activities held at the station by place name and not yet linked to a station.
pub fn link_activities_by_place(c: &Connection, station: &Station) -> Result<usize> {
    Ok(c.execute_cached(
        "UPDATE activity SET station_id = ?1
         WHERE station_id IS NULL AND district = ?2 AND place <> '' AND place = ?3",
        params![station.id, station.district, station.name],
    )?)
}

/// Appoints (or appoints again: a new date and term, active) an expert to a station.
pub fn appoint(c: &Connection, a: &Appointment, now: &str) -> Result<String> {
    c.execute_cached(
        "INSERT INTO appointment (id, station_id, expert_id, appointed_on, term_years, active, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)
         ON CONFLICT (station_id, expert_id)
         DO UPDATE SET appointed_on = ?4, term_years = ?5, active = 1",
        params![a.id, a.station_id, a.expert_id, a.appointed_on, a.term_years, now],
    )?;
    Ok(c.query_row(
        "SELECT id FROM appointment WHERE station_id = ?1 AND expert_id = ?2",
        [&a.station_id, &a.expert_id],
        |r| r.get(0),
    )?)
}

pub fn get_appointment(c: &Connection, id: &str) -> Result<Option<Appointment>> {
    Ok(c.query_row(
        "SELECT id, station_id, expert_id, appointed_on, term_years, active FROM appointment
         WHERE id = ?1",
        [id],
        |r| {
            Ok(Appointment {
                id: r.get(0)?,
                station_id: r.get(1)?,
                expert_id: r.get(2)?,
                appointed_on: r.get(3)?,
                term_years: r.get(4)?,
                active: r.get(5)?,
            })
        },
    )
    .optional()?)
}

pub fn set_active(c: &Connection, id: &str, active: bool) -> Result<usize> {
    Ok(c.execute_cached(
        "UPDATE appointment SET active = ?2 WHERE id = ?1",
        params![id, active],
    )?)
}

/// An appointment with the expert's name, organisation and title.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AppointedExpert {
    pub appointment_id: String,
    pub station_id: String,
    pub expert_id: String,
    pub code: String,
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub appointed_on: String,
    pub term_years: i64,
    pub active: bool,
}

/// Every appointment, by station, then the date of appointment and the name.
pub fn appointed(c: &Connection) -> Result<Vec<AppointedExpert>> {
    let mut st = c.prepare_cached(
        "SELECT a.id, a.station_id, a.expert_id, e.code, e.name, e.organisation, e.title,
                a.appointed_on, a.term_years, a.active
         FROM appointment a JOIN expert e ON e.id = a.expert_id
         ORDER BY a.station_id, a.appointed_on, e.name",
    )?;
    let rows = st.query_map([], |r| {
        Ok(AppointedExpert {
            appointment_id: r.get(0)?,
            station_id: r.get(1)?,
            expert_id: r.get(2)?,
            code: r.get(3)?,
            name: r.get(4)?,
            organisation: r.get(5)?,
            title: r.get(6)?,
            appointed_on: r.get(7)?,
            term_years: r.get(8)?,
            active: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The activities held at stations in `year` (linked to one), by date.
pub fn activities_in_year(c: &Connection, year: i32) -> Result<Vec<Activity>> {
    Ok(super::activity::in_year(c, year)?
        .into_iter()
        .filter(|a| a.station_id.is_some())
        .collect())
}
