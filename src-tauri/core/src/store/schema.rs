//! The schema itself, for restore: a chosen backup is attached read-only as `src` to a fresh
//! database (`main`) holding this version's schema, looked at, and its rows copied across.
//! These return SQLite's own errors, so that the caller can tell a damaged file from a failure.

use rusqlite::Connection;

/// The two databases a restore works between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The fresh database being filled.
    Fresh,
    /// The chosen backup, attached read-only.
    Backup,
}

impl Side {
    fn schema(self) -> &'static str {
        match self {
            Side::Fresh => "main",
            Side::Backup => "src",
        }
    }
}

/// A table, index, trigger or view, as `sqlite_master` lists it (SQLite's own are left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaObject {
    pub kind: String,
    pub name: String,
}

/// Attaches the file named by the SQLite URI `uri` (opened `mode=ro`) as the backup side.
/// Attaches the backup at `uri` as `src`, under `key` (SQLCipher's key literal; none: an
/// unencrypted file), and reads
/// its schema once, so that a wrong key is said here.
pub fn attach_backup(c: &Connection, uri: &str, key: Option<&str>) -> rusqlite::Result<()> {
    let key = key.unwrap_or("''");
    c.execute(&format!("ATTACH DATABASE ?1 AS src KEY {key}"), [uri])?;
    c.query_row("SELECT count(*) FROM src.sqlite_master", [], |_| Ok(()))
}

pub fn detach_backup(c: &Connection) -> rusqlite::Result<()> {
    c.execute_batch("DETACH DATABASE src")
}

/// `ok`, or the first problem `PRAGMA integrity_check` finds in the backup.
pub fn backup_integrity(c: &Connection) -> rusqlite::Result<String> {
    c.query_row("PRAGMA src.integrity_check", [], |r| r.get(0))
}

pub fn user_version(c: &Connection, side: Side) -> rusqlite::Result<i64> {
    // The schema name is one of two constants, never from the file.
    c.query_row(&format!("PRAGMA {}.user_version", side.schema()), [], |r| {
        r.get(0)
    })
}

pub fn page_size(c: &Connection) -> rusqlite::Result<i64> {
    // SQLCipher answers for an encrypted database with its own setting, as text.
    c.query_row("PRAGMA main.page_size", [], |r| {
        Ok(match r.get::<_, rusqlite::types::Value>(0)? {
            rusqlite::types::Value::Integer(n) => n,
            rusqlite::types::Value::Text(t) => t.trim().parse().unwrap_or(4096),
            _ => 4096,
        })
    })
}

/// Sets the page size of a database that has no table yet (later it has no effect).
pub fn set_page_size(c: &Connection, bytes: i64) -> rusqlite::Result<()> {
    c.pragma_update(Some("main"), "page_size", bytes)
}

/// Every table, index, trigger and view, in the order they were created.
pub fn objects(c: &Connection, side: Side) -> rusqlite::Result<Vec<SchemaObject>> {
    let sql = format!(
        "SELECT type, name FROM {}.sqlite_master
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
        side.schema()
    );
    let mut st = c.prepare(&sql)?;
    let rows = st.query_map([], |r| {
        Ok(SchemaObject {
            kind: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    rows.collect()
}

/// The column names of `table`, empty if there is no such table.
pub fn columns(c: &Connection, side: Side, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut st = c.prepare("SELECT name FROM pragma_table_info(?1, ?2) ORDER BY cid")?;
    let rows = st.query_map([table, side.schema()], |r| r.get(0))?;
    rows.collect()
}

/// Copies the backup's rows of `table` into the fresh one, `columns` only; returns how many.
pub fn copy_rows(c: &Connection, table: &str, columns: &[String]) -> rusqlite::Result<usize> {
    // Identifiers cannot be parameters. These come from this version's own schema (the
    // caller's fresh side), never from the file; quoted all the same.
    let quote = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
    let cols = columns
        .iter()
        .map(|n| quote(n))
        .collect::<Vec<_>>()
        .join(", ");
    let t = quote(table);
    c.execute(
        &format!("INSERT INTO main.{t} ({cols}) SELECT {cols} FROM src.{t}"),
        [],
    )
}
/// Empties every table in one transaction (the schema stays). Callers back up first.
pub fn clear_all(c: &mut Connection) -> crate::Result<()> {
    let tx = c.transaction()?;
    tx.execute_batch(
        "DELETE FROM central_known; DELETE FROM suggestion; DELETE FROM point_outcome; DELETE FROM activity_expert;
         DELETE FROM activity; DELETE FROM appointment; DELETE FROM station;
         DELETE FROM revocation; DELETE FROM checkin; DELETE FROM signup;
         DELETE FROM service_point; DELETE FROM expert; DELETE FROM theme;
         DELETE FROM event; DELETE FROM audit; DELETE FROM setting;",
    )?;
    tx.commit()?;
    Ok(())
}
