use rusqlite::{params, Connection, OptionalExtension};

use super::CachedSql;
use crate::Result;

pub struct Batch {
    pub id: String,
    pub at: String,
    pub summary: String,
    pub undo: String,
}

pub fn insert(
    c: &Connection,
    id: &str,
    at: &str,
    desk: &crate::Desk,
    event_id: &str,
    summary: &str,
    undo: &str,
) -> Result<()> {
    c.execute_cached(
        "INSERT INTO import_batch (id, at, desk_id, desk_name, event_id, summary, undo)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, at, desk.id, desk.name, event_id, summary, undo],
    )?;
    Ok(())
}

/// The newest import of the event that has not been undone.
pub fn last_open(c: &Connection, event_id: &str) -> Result<Option<Batch>> {
    Ok(c.query_row_cached(
        "SELECT id, at, summary, undo FROM import_batch
         WHERE event_id = ?1 AND undone_at IS NULL ORDER BY at DESC, rowid DESC LIMIT 1",
        [event_id],
        |r| {
            Ok(Batch {
                id: r.get(0)?,
                at: r.get(1)?,
                summary: r.get(2)?,
                undo: r.get(3)?,
            })
        },
    )
    .optional()?)
}

pub fn mark_undone(c: &Connection, id: &str, at: &str) -> Result<()> {
    c.execute_cached(
        "UPDATE import_batch SET undone_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}
