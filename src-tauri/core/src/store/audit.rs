use super::CachedSql;
use rusqlite::{params, Connection};
use serde::Serialize;

use crate::{clock, Desk, Result};

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: String,
    pub local_time: String,
    pub desk_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub detail: String,
}

pub fn append(
    c: &Connection,
    at: &str,
    desk: &Desk,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &str,
) -> Result<()> {
    c.execute_cached(
        "INSERT INTO audit (id, at, desk_id, desk_name, action, entity, entity_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            super::new_id(),
            at,
            desk.id,
            desk.name,
            action,
            entity,
            entity_id,
            detail
        ],
    )?;
    Ok(())
}

/// Newest first: the audit table together with the check-ins, which are their own record.
pub fn recent(c: &Connection, limit: i64) -> Result<Vec<AuditEntry>> {
    let mut st = c.prepare_cached(
        "SELECT id, at, desk_name, action, entity, entity_id, detail FROM (
           SELECT id, at, desk_name, action, entity, entity_id, detail, rowid AS r FROM audit
           UNION ALL
           SELECT ci.id, ci.at, ci.desk_name, 'checkin', 'checkin', ci.id,
                  e.code || ' ' || e.name || ' ' || ci.method ||
                  CASE WHEN ci.point_id IS NULL THEN '' ELSE ' @' || coalesce(p.name, ci.point_id) END,
                  0
           FROM checkin ci JOIN expert e ON e.id = ci.expert_id
           LEFT JOIN service_point p ON p.id = ci.point_id
         ) ORDER BY at DESC, r DESC LIMIT ?1",
    )?;
    let rows = st.query_map([limit], |r| {
        let at: String = r.get(1)?;
        Ok(AuditEntry {
            id: r.get(0)?,
            local_time: clock::local_datetime(&at),
            at,
            desk_name: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            detail: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
