use super::CachedSql;
use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

pub const CURRENT_EVENT: &str = "current_event";

pub fn get(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(
        c.query_row_cached("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?,
    )
}

pub fn set(c: &Connection, key: &str, value: &str) -> Result<()> {
    c.execute_cached(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
