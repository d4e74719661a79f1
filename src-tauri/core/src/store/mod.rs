//! All SQL lives here, one module per table. Functions take a `&Connection` so that callers
//! can pass a transaction.

pub mod activity;
pub mod attendance;
pub mod audit;
pub mod bulk;
pub mod central;
pub mod checkin;
pub mod directory;
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

/// `INSERT OR ROLLBACK INTO {head} VALUES (?,…),(?,…)…`: `rows` tuples of `width` parameters,
/// for writing a long list in a few statements instead of one a row. For a list written in one
/// transaction that goes in whole or not at all: a failing row rolls the whole transaction back
/// (so SQLite keeps no journal to undo half a statement).
pub(crate) fn insert_values_sql(head: &str, width: usize, rows: usize) -> String {
    let tuple = format!("({})", vec!["?"; width].join(","));
    format!(
        "INSERT OR ROLLBACK INTO {head} VALUES {}",
        vec![tuple; rows].join(",")
    )
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
