//! Whole-database copies with SQLite's online backup API: a live copy to a file, and a fresh
//! database copied over the open one. What a copy means (names, pruning, refusals) is
//! the backup module's; this is the SQLite side of it.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode};

use crate::{Refusal, Result};

/// Copies `c` to the file `dest` page by page, so the desk is not blocked for long; under
/// `key` (SQLCipher's key literal, `keys::DbKey::literal`), the database's own (the backup API copies pages, and an encrypted database's pages
/// only into a file keyed alike).
pub fn copy_to(c: &Connection, dest: &Path, key: Option<&str>) -> rusqlite::Result<()> {
    let mut out = Connection::open(dest)?;
    if let Some(k) = key {
        out.execute_batch(&format!("PRAGMA key = {k};"))?;
    }
    let b = Backup::new(c, &mut out)?;
    b.run_to_completion(256, Duration::from_millis(5), None)
}

/// An empty in-memory database with `page_size` (the backup API can only write into a WAL
/// database of the same page size).
pub fn open_fresh(page_size: i64) -> Result<Connection> {
    let c = Connection::open_in_memory()?;
    super::schema::set_page_size(&c, page_size)?;
    Ok(c)
}

/// An empty database file at `path` under `key`, with `page_size` (a restore's scratch).
pub fn open_fresh_file(path: &Path, page_size: i64, key: &str) -> Result<Connection> {
    for side in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", path.display()));
    }
    let c = Connection::open(path)?;
    c.execute_batch(&format!("PRAGMA key = {key};"))?;
    // SQLCipher's pages are its own (4,096 bytes, as the live database's): only a plain
    // database is told its page size.
    let _ = page_size;
    Ok(c)
}

/// Copies `from` over `to` with all pages in one step: one write transaction, so a copy cut
/// short leaves `to` as it was. False if the database was busy.
pub fn overwrite(from: &Connection, to: &mut Connection) -> Result<bool> {
    let b = Backup::new(from, to)?;
    Ok(b.step(-1)? == StepResult::Done)
}

/// What an SQLite error met reading a chosen file says about that file, if anything.
pub fn refusal(e: &rusqlite::Error) -> Option<Refusal> {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Some(Refusal::NotADatabase),
        Some(ErrorCode::DatabaseCorrupt) => Some(Refusal::Damaged),
        Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => {
            Some(Refusal::Unreadable)
        }
        _ => None,
    }
}

/// The error is a constraint the rows broke (a row the schema refuses).
pub fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}
