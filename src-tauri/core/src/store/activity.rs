//! The ledger's activities and the experts linked to them.

use rusqlite::{params, Connection, OptionalExtension};

use super::CachedSql;
use crate::{Activity, Result};

const COLS: &str = "id, date, district, name, kind, place, station_id, participations,
                    enterprises, people, notes, same_as_event";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Activity> {
    Ok(Activity {
        id: r.get(0)?,
        date: r.get(1)?,
        district: r.get(2)?,
        name: r.get(3)?,
        kind: r.get(4)?,
        place: r.get(5)?,
        station_id: r.get(6)?,
        participations: r.get(7)?,
        enterprises: r.get(8)?,
        people: r.get(9)?,
        notes: r.get(10)?,
        same_as_event: r.get(11)?,
    })
}

pub fn insert(
    c: &Connection,
    a: &Activity,
    fingerprint: &str,
    batch: Option<&str>,
    now: &str,
) -> Result<()> {
    c.execute_cached(
        "INSERT INTO activity (id, date, district, name, kind, place, station_id, participations,
                               enterprises, people, notes, same_as_event, fingerprint,
                               import_batch_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            a.id,
            a.date,
            a.district,
            a.name,
            a.kind,
            a.place,
            a.station_id,
            a.participations,
            a.enterprises,
            a.people,
            a.notes,
            a.same_as_event,
            fingerprint,
            batch,
            now
        ],
    )?;
    Ok(())
}

/// The activity already read from a row with this fingerprint, if any.
pub fn by_fingerprint(c: &Connection, fingerprint: &str) -> Result<Option<String>> {
    Ok(c.query_row_cached(
        "SELECT id FROM activity WHERE fingerprint = ?1",
        [fingerprint],
        |r| r.get(0),
    )
    .optional()?)
}

pub fn get(c: &Connection, id: &str) -> Result<Option<Activity>> {
    Ok(c.query_row_cached(
        &format!("SELECT {COLS} FROM activity WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?)
}

/// The activities dated in `year` (YYYY), by date.
pub fn in_year(c: &Connection, year: i32) -> Result<Vec<Activity>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM activity WHERE date >= ?1 AND date < ?2 ORDER BY date, name"
    ))?;
    let rows = st.query_map(
        params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn delete(c: &Connection, id: &str) -> Result<()> {
    c.execute_cached("DELETE FROM activity WHERE id = ?1", [id])?;
    Ok(())
}

pub fn link_expert(c: &Connection, activity_id: &str, expert_id: &str) -> Result<()> {
    c.execute_cached(
        "INSERT OR IGNORE INTO activity_expert (activity_id, expert_id) VALUES (?1, ?2)",
        params![activity_id, expert_id],
    )?;
    Ok(())
}

pub fn set_same_as_event(c: &Connection, id: &str, event_id: Option<&str>) -> Result<usize> {
    Ok(c.execute_cached(
        "UPDATE activity SET same_as_event = ?2 WHERE id = ?1",
        params![id, event_id],
    )?)
}

/// (activity id, expert id) of the activities dated in `year`.
pub fn experts_in_year(c: &Connection, year: i32) -> Result<Vec<(String, String)>> {
    let mut st = c.prepare_cached(
        "SELECT l.activity_id, l.expert_id FROM activity_expert l
         JOIN activity a ON a.id = l.activity_id WHERE a.date >= ?1 AND a.date < ?2",
    )?;
    let rows = st.query_map(
        params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The ids of the activities an expert is linked to.
pub fn of_expert(c: &Connection, expert_id: &str) -> Result<Vec<String>> {
    let mut st =
        c.prepare_cached("SELECT activity_id FROM activity_expert WHERE expert_id = ?1")?;
    let rows = st.query_map([expert_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
