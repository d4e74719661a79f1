use super::CachedSql;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{clock, CheckIn, Method, Result};

/// A check-in joined with its (first) revocation, if any.
const SELECT: &str = "SELECT c.id, c.event_id, c.expert_id, c.point_id, c.at, c.desk_id,
        c.desk_name, c.method,
        (SELECT min(r.at) FROM revocation r WHERE r.checkin_id = c.id),
        (SELECT r.reason FROM revocation r WHERE r.checkin_id = c.id ORDER BY r.at LIMIT 1)
    FROM checkin c";

fn from_row(r: &Row) -> rusqlite::Result<CheckIn> {
    let at: String = r.get(4)?;
    Ok(CheckIn {
        id: r.get(0)?,
        event_id: r.get(1)?,
        expert_id: r.get(2)?,
        point_id: r.get(3)?,
        local_time: clock::local_hm(&at),
        at,
        desk_id: r.get(5)?,
        desk_name: r.get(6)?,
        method: Method::parse(&r.get::<_, String>(7)?),
        revoked_at: r.get(8)?,
        revoke_reason: r.get(9)?,
    })
}

pub fn insert(c: &Connection, ci: &CheckIn) -> Result<()> {
    c.execute_cached(
        "INSERT INTO checkin (id, event_id, expert_id, point_id, at, desk_id, desk_name, method)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            ci.id,
            ci.event_id,
            ci.expert_id,
            ci.point_id,
            ci.at,
            ci.desk_id,
            ci.desk_name,
            ci.method.as_str()
        ],
    )?;
    Ok(())
}

pub struct NewRevocation<'a> {
    pub id: &'a str,
    pub checkin_id: &'a str,
    pub at: &'a str,
    pub desk_id: &'a str,
    pub desk_name: &'a str,
    pub reason: &'a str,
}

pub fn insert_revocation(c: &Connection, r: &NewRevocation) -> Result<()> {
    c.execute_cached(
        "INSERT INTO revocation (id, checkin_id, at, desk_id, desk_name, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![r.id, r.checkin_id, r.at, r.desk_id, r.desk_name, r.reason],
    )?;
    Ok(())
}

pub fn get(c: &Connection, id: &str) -> Result<Option<CheckIn>> {
    Ok(
        c.query_row_cached(&format!("{SELECT} WHERE c.id = ?1"), [id], from_row)
            .optional()?,
    )
}

/// The earliest check-in of the expert at the checkpoint that has not been revoked.
/// (On the hot path of every check-in: one indexed lookup, no revocation columns to fill.)
pub fn active(
    c: &Connection,
    event_id: &str,
    expert_id: &str,
    point_id: Option<&str>,
) -> Result<Option<CheckIn>> {
    Ok(c.query_row_cached(
        "SELECT c.id, c.event_id, c.expert_id, c.point_id, c.at, c.desk_id, c.desk_name, c.method,
                NULL, NULL
         FROM checkin c
         WHERE c.event_id = ?1 AND c.expert_id = ?2 AND c.point_id IS ?3
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)
         ORDER BY c.at LIMIT 1",
        params![event_id, expert_id, point_id],
        from_row,
    )
    .optional()?)
}

/// Every check-in of the event at the checkpoint, revoked ones included, oldest first.
pub fn for_checkpoint(
    c: &Connection,
    event_id: &str,
    point_id: Option<&str>,
) -> Result<Vec<CheckIn>> {
    let mut st = c.prepare_cached(&format!(
        "{SELECT} WHERE c.event_id = ?1 AND c.point_id IS ?2 ORDER BY c.at, c.id"
    ))?;
    let rows = st.query_map(params![event_id, point_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Everything a check-in needs to know, in one statement: whether the event exists, the
/// expert, which event the checkpoint belongs to, the live check-in there if any, and the
/// expert's group for the confirmation.
pub struct DeskView {
    pub event_exists: bool,
    pub point_event_id: Option<String>,
    pub expert: Option<crate::Expert>,
    pub active: Option<CheckIn>,
    pub assignment: crate::Assignment,
}

pub fn desk_view(
    c: &Connection,
    event_id: &str,
    expert_id: &str,
    point_id: Option<&str>,
) -> Result<DeskView> {
    // Four small indexed statements from the statement cache: measured faster than one
    // statement joining them (SQLite materialises the LIMIT 1 subqueries).
    let event_exists = super::event::get(c, event_id)?.is_some();
    let point_event_id = match point_id {
        Some(pid) => super::point::get(c, pid)?.map(|p| p.event_id),
        None => None,
    };
    Ok(DeskView {
        event_exists,
        point_event_id,
        expert: super::expert::get(c, expert_id)?,
        active: active(c, event_id, expert_id, point_id)?,
        assignment: super::signup::assignment(c, event_id, expert_id)?,
    })
}
