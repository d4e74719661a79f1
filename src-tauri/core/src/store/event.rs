use super::CachedSql;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{Event, EventKind, Result};

const COLS: &str = "id, name, short_name, kind, parent_id, date, place";

fn from_row(r: &Row) -> rusqlite::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        name: r.get(1)?,
        short_name: r.get(2)?,
        kind: EventKind::parse(&r.get::<_, String>(3)?),
        parent_id: r.get(4)?,
        date: r.get(5)?,
        place: r.get(6)?,
    })
}

/// A new event with its secret key (see `seal`).
pub fn insert(c: &Connection, e: &Event, key: &[u8; 32], created_at: &str) -> Result<()> {
    c.execute_cached(
        "INSERT INTO event (id, name, short_name, kind, parent_id, date, place, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            e.id,
            e.name,
            e.short_name,
            e.kind.as_str(),
            e.parent_id,
            e.date,
            e.place,
            created_at
        ],
    )?;
    c.execute_cached(
        "INSERT INTO event_key (event_id, key) VALUES (?1, ?2)",
        params![e.id, &key[..]],
    )?;
    Ok(())
}

/// The event's secret key; `None` for an event this database does not have.
pub fn key(c: &Connection, event_id: &str) -> Result<Option<[u8; 32]>> {
    let k: Option<Vec<u8>> = c
        .query_row_cached(
            "SELECT key FROM event_key WHERE event_id = ?1",
            [event_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(k.and_then(|k| k.try_into().ok()))
}

/// Newest day first; on one day the main venue before its sub-venues.
pub fn list(c: &Connection) -> Result<Vec<Event>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM event ORDER BY date DESC, kind = 'sub', name"
    ))?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(c: &Connection, id: &str) -> Result<Option<Event>> {
    Ok(c.query_row_cached(
        &format!("SELECT {COLS} FROM event WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?)
}
