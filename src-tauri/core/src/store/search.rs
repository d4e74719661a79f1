use rusqlite::Connection;

use crate::Result;

/// One row the index keeps per expert.
#[derive(Debug, Clone)]
pub struct IndexRow {
    pub expert_id: String,
    pub code: String,
    pub name: String,
    pub organisation: String,
    pub phone: String,
    /// Signed up (registered or waiting) for the index's event.
    pub signed_up: bool,
}

/// Every expert not archived, with whether they are signed up for the event.
pub fn index_rows(c: &Connection, event_id: &str) -> Result<Vec<IndexRow>> {
    let mut st = c.prepare_cached(
        "SELECT e.id, e.code, e.name, e.organisation, e.phone,
                EXISTS (SELECT 1 FROM signup s WHERE s.expert_id = e.id AND s.event_id = ?1
                          AND s.status != 'cancelled')
         FROM expert e WHERE e.archived_at IS NULL",
    )?;
    let rows = st.query_map([event_id], |r| {
        Ok(IndexRow {
            expert_id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            organisation: r.get(3)?,
            phone: r.get(4)?,
            signed_up: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The baseline the index is measured against: a plain `LIKE` scan over the same columns,
/// ranked the simple way (by name), as a desk without an index would do it.
pub fn like_scan(c: &Connection, query: &str, limit: i64) -> Result<Vec<String>> {
    let pattern = format!("%{}%", query.replace(['%', '_'], ""));
    let mut st = c.prepare_cached(
        "SELECT id FROM expert
         WHERE archived_at IS NULL
           AND (name LIKE ?1 OR search_keys LIKE ?1 OR phone LIKE ?1 OR organisation LIKE ?1
                OR code LIKE ?1)
         ORDER BY name LIMIT ?2",
    )?;
    let rows = st.query_map(rusqlite::params![pattern, limit], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
