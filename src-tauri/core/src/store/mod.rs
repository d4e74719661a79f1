//! All SQL lives here, one module per table. Functions take a `&Connection` so that callers
//! can pass a transaction.

pub mod activity;
pub mod attendance;
pub mod audit;
pub mod bulk;
pub mod central;
pub mod checkin;
pub mod directory;
pub mod erased;
pub mod event;
pub mod expert;
pub mod export;
pub mod import_batch;
pub mod outcome;
pub mod package;
pub mod point;
pub mod schema;
pub mod search;
pub mod setting;
pub mod signup;
pub mod snapshot;
pub mod space;
pub mod station;
pub mod theme;
pub mod year;

/// The connection, transaction and error types domain code passes through to these functions.
pub use rusqlite::{Connection as Conn, Error as SqlError, Transaction as Tx};

/// A fresh globally unique id for a row created on this desk: a UUID v7 (time-ordered, random
/// below the millisecond), so that a 100,000-row import appends to the primary-key indexes
/// instead of splitting pages all over them.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Inserts `rows` into `head` (`table (columns…)`) in as few statements as it can:
/// `INSERT OR ROLLBACK INTO {head} VALUES (?,…),(?,…)…`, [`ROWS_A_STATEMENT`] rows each, a row's
/// values from `values` followed by `now` twice (created, updated). For a list written in one
/// transaction that goes in whole or not at all: a failing row rolls the whole transaction back
/// (so SQLite keeps no journal to undo half a statement).
pub(crate) fn insert_many<'a, T, const W: usize>(
    c: &rusqlite::Connection,
    head: &str,
    rows: &'a [T],
    now: &str,
    values: impl Fn(&'a T) -> [&'a dyn rusqlite::ToSql; W],
) -> crate::Result<()> {
    let tuple = format!("({})", vec!["?"; W + 2].join(","));
    for chunk in rows.chunks(ROWS_A_STATEMENT) {
        let sql = format!(
            "INSERT OR ROLLBACK INTO {head} VALUES {}",
            vec![tuple.as_str(); chunk.len()].join(",")
        );
        let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * (W + 2));
        for row in chunk {
            params.extend_from_slice(&values(row));
            params.extend_from_slice(&[&now, &now]);
        }
        c.prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(params))?;
    }
    Ok(())
}

/// How many rows one multi-row insert takes (SQLite allows 32,766 parameters a statement).
pub(crate) const ROWS_A_STATEMENT: usize = 100;

/// Statements run through SQLite's statement cache: the desk runs the same few queries
/// for every person, and preparing them each time costs as much as running them.
pub(crate) trait CachedSql {
    fn query_row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
    fn execute_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
}

impl CachedSql for rusqlite::Connection {
    fn query_row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    fn execute_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }
}
