//! A long list written in one transaction: a table's lookup indexes, which its rows would enter
//! all over (names and phones come in no order), are set aside and built once, sorted, after
//! the rows are in. Both steps are part of the transaction, so a list that fails leaves the
//! indexes as they were, and a unique index is never set aside (its check stays on each row).

use rusqlite::Connection;

use crate::Result;

/// The indexes set aside, as the schema defines them.
#[must_use = "the indexes must be built again before the transaction commits"]
pub struct SetAside(Vec<String>);

/// Drops `table`'s own non-unique indexes (not its keys' or a UNIQUE column's) and returns
/// their definitions for [`rebuild`].
pub fn set_aside_lookups(c: &Connection, table: &str) -> Result<SetAside> {
    let mut st = c.prepare(
        "SELECT il.name, m.sql FROM pragma_index_list(?1) il
         JOIN sqlite_schema m ON m.type = 'index' AND m.name = il.name
         WHERE il.\"unique\" = 0 AND il.origin = 'c' AND m.sql IS NOT NULL
         ORDER BY il.name",
    )?;
    let found = st
        .query_map([table], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
    let mut sql = Vec::with_capacity(found.len());
    for (name, create) in found {
        c.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        sql.push(create);
    }
    Ok(SetAside(sql))
}

/// Builds again the indexes [`set_aside_lookups`] dropped, each from the rows in one sort.
pub fn rebuild(c: &Connection, set_aside: SetAside) -> Result<()> {
    for create in set_aside.0 {
        c.execute_batch(&create)?;
    }
    Ok(())
}

/// The indexes `table` has now (for tests: the schema is whole again).
#[cfg(test)]
pub fn index_names(c: &Connection, table: &str) -> Result<Vec<String>> {
    let mut st = c.prepare("SELECT name FROM pragma_index_list(?1) ORDER BY name")?;
    let names = st
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}
