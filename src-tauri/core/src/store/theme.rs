use super::CachedSql;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{Result, Theme};

pub fn insert(c: &Connection, t: &Theme) -> Result<()> {
    c.execute_cached(
        "INSERT INTO theme (id, name, sort_order) VALUES (?1, ?2, ?3)",
        params![t.id, t.name, t.sort_order],
    )?;
    Ok(())
}

pub fn list(c: &Connection) -> Result<Vec<Theme>> {
    let mut st =
        c.prepare_cached("SELECT id, name, sort_order FROM theme ORDER BY sort_order, name")?;
    let rows = st.query_map([], |r| {
        Ok(Theme {
            id: r.get(0)?,
            name: r.get(1)?,
            sort_order: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn name(c: &Connection, id: &str) -> Result<Option<String>> {
    Ok(
        c.query_row_cached("SELECT name FROM theme WHERE id = ?1", [id], |r| r.get(0))
            .optional()?,
    )
}

pub fn delete(c: &Connection, id: &str) -> Result<()> {
    c.execute_cached("DELETE FROM theme WHERE id = ?1", [id])?;
    Ok(())
}
