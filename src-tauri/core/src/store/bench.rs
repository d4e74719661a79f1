//! A scratch table for the check-in benchmark's baseline: one bare row per commit.

use rusqlite::Connection;

use crate::Result;

pub fn create_scratch(c: &Connection) -> Result<()> {
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS bench_scratch (id TEXT PRIMARY KEY, at TEXT NOT NULL)",
    )?;
    Ok(())
}

/// One single-row insert in its own (autocommit) transaction.
pub fn bare_insert(c: &Connection, id: &str, at: &str) -> Result<()> {
    c.execute(
        "INSERT INTO bench_scratch (id, at) VALUES (?1, ?2)",
        rusqlite::params![id, at],
    )?;
    Ok(())
}
