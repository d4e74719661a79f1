use rusqlite::Connection;

use crate::search::IndexRow;
use crate::Result;

/// Every expert not archived, with whether they are signed up for the event.
pub fn index_rows(c: &Connection, event_id: &str) -> Result<Vec<IndexRow>> {
    let mut st = c.prepare(
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
