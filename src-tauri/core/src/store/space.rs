//! How much the database holds and may grow: the page limit the end-to-end tests set to
//! stand in for a full disk, and the connection's change counter (a backup only after changes).

use rusqlite::Connection;

use crate::Result;

/// From now on the file may grow by only `extra_pages` pages; past them SQLite reports a
/// full disk (SQLITE_FULL), as a real one would.
pub fn limit_growth(c: &Connection, extra_pages: i64) -> Result<()> {
    let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    c.pragma_update_and_check(None, "max_page_count", pages + extra_pages, |_| Ok(()))?;
    Ok(())
}

/// Rows changed through this connection since it opened.
pub fn total_changes(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT total_changes()", [], |r| r.get(0))?)
}

/// Changes to the file as one connection sees them: commits by any other connection
/// (`data_version`) and rows changed through this one (`total_changes`). Equal twice: nothing
/// was committed in between.
pub fn seen_version(c: &Connection) -> Result<(i64, i64)> {
    let other: i64 = c.query_row("PRAGMA data_version", [], |r| r.get(0))?;
    Ok((other, total_changes(c)?))
}

/// SQLite's own default page cache (2 MiB).
pub const DEFAULT_CACHE_KIB: i64 = 2000;

/// The page cache SQLite keeps for this connection, in KiB: its default (2 MiB) unless a large
/// write asks for more while it runs (a 100,000-row import touches its indexes everywhere).
pub fn set_cache_kib(c: &Connection, kib: i64) -> Result<()> {
    c.pragma_update(None, "cache_size", -kib)?;
    Ok(())
}

/// Until this transaction ends, references (foreign keys) are checked once at its commit
/// instead of after each statement, which then needs no journal to undo half of itself. A
/// reference to nothing still fails the commit, and the whole transaction with it.
pub fn check_references_at_commit(c: &Connection) -> Result<()> {
    c.pragma_update(None, "defer_foreign_keys", true)?;
    Ok(())
}

/// Writes the whole of the plain database `c` to a new file `dest` encrypted under `key`
/// (SQLCipher's key literal; its export: schema, rows and all).
pub fn export_encrypted(c: &Connection, dest: &std::path::Path, key: &str) -> Result<()> {
    c.execute(
        &format!("ATTACH DATABASE ?1 AS encrypted KEY {key}"),
        [dest.to_string_lossy()],
    )?;
    let exported = c.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()));
    c.execute_batch("DETACH DATABASE encrypted")?;
    Ok(exported?)
}

/// Refuses a copy whose tables do not hold as many rows as the original's, or that SQLite
/// does not find sound.
pub fn same_rows(original: &Connection, copy: &Connection) -> Result<()> {
    let ok: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(crate::Error::Backup(format!(
            "加密后的副本不完整（{ok}），原文件未改动"
        )));
    }
    let tables: Vec<String> = original
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for t in tables {
        // The name comes from the file's own schema, quoted as an identifier.
        let q = format!("SELECT count(*) FROM \"{}\"", t.replace('"', "\"\""));
        let a: i64 = original.query_row(&q, [], |r| r.get(0))?;
        let b: i64 = copy.query_row(&q, [], |r| r.get(0))?;
        if a != b {
            return Err(crate::Error::Backup(format!(
                "加密后的副本与原文件不符（表 {t}：{a} 行 / {b} 行），原文件未改动"
            )));
        }
    }
    Ok(())
}
