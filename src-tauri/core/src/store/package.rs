//! The rows a package carries and how they are merged: check-ins and revocations are
//! append-only with global ids, so merging them is `INSERT OR IGNORE` — a grow-only set, the
//! same whatever the order and however often.

use super::CachedSql;
use rusqlite::{params, Connection};

use crate::Result;

use crate::{PackCheckIn, PackRevocation};

/// A check-in row selected as id, event_id, expert_id, point_id, at, desk_id, desk_name, method.
pub(super) fn checkin_row(r: &rusqlite::Row) -> rusqlite::Result<PackCheckIn> {
    Ok(PackCheckIn {
        id: r.get(0)?,
        event_id: r.get(1)?,
        expert_id: r.get(2)?,
        point_id: r.get(3)?,
        at: r.get(4)?,
        desk_id: r.get(5)?,
        desk_name: r.get(6)?,
        method: r.get(7)?,
    })
}

/// A revocation row selected as id, checkin_id, at, desk_id, desk_name, reason.
pub(super) fn revocation_row(r: &rusqlite::Row) -> rusqlite::Result<PackRevocation> {
    Ok(PackRevocation {
        id: r.get(0)?,
        checkin_id: r.get(1)?,
        at: r.get(2)?,
        desk_id: r.get(3)?,
        desk_name: r.get(4)?,
        reason: r.get(5)?,
    })
}

/// Check-ins of the event at or after `since` (all of them without), and every check-in a
/// revocation since then refers to.
pub fn checkins(c: &Connection, event_id: &str, since: Option<&str>) -> Result<Vec<PackCheckIn>> {
    let mut st = c.prepare_cached(
        "SELECT id, event_id, expert_id, point_id, at, desk_id, desk_name, method FROM checkin
         WHERE event_id = ?1 AND (?2 IS NULL OR at >= ?2
            OR id IN (SELECT checkin_id FROM revocation WHERE ?2 IS NULL OR at >= ?2))
         ORDER BY at, id",
    )?;
    let rows = st.query_map(params![event_id, since], checkin_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn revocations(
    c: &Connection,
    event_id: &str,
    since: Option<&str>,
) -> Result<Vec<PackRevocation>> {
    let mut st = c.prepare_cached(
        "SELECT r.id, r.checkin_id, r.at, r.desk_id, r.desk_name, r.reason
         FROM revocation r JOIN checkin c ON c.id = r.checkin_id
         WHERE c.event_id = ?1 AND (?2 IS NULL OR r.at >= ?2) ORDER BY r.at, r.id",
    )?;
    let rows = st.query_map(params![event_id, since], revocation_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a check-in unless it is already there; true when added.
pub fn add_checkin(c: &Connection, ci: &PackCheckIn) -> Result<bool> {
    let n = c.execute_cached(
        "INSERT OR IGNORE INTO checkin (id, event_id, expert_id, point_id, at, desk_id, desk_name, method)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            ci.id,
            ci.event_id,
            ci.expert_id,
            ci.point_id,
            ci.at,
            ci.desk_id,
            ci.desk_name,
            ci.method
        ],
    )?;
    Ok(n == 1)
}

pub fn add_revocation(c: &Connection, r: &PackRevocation) -> Result<bool> {
    let n = c.execute_cached(
        "INSERT OR IGNORE INTO revocation (id, checkin_id, at, desk_id, desk_name, reason)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM checkin WHERE id = ?2)",
        params![r.id, r.checkin_id, r.at, r.desk_id, r.desk_name, r.reason],
    )?;
    Ok(n == 1)
}

pub fn checkin_exists(c: &Connection, id: &str) -> Result<bool> {
    Ok(c.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM checkin WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

pub fn signup_exists(c: &Connection, id: &str) -> Result<bool> {
    Ok(c.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM signup WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

/// One expert's live check-ins at one checkpoint: (desk name, UTC time) each.
pub struct Double {
    pub expert_id: String,
    pub point_id: Option<String>,
    pub records: Vec<(String, String)>,
}

/// Experts with more than one live check-in at the same checkpoint of the event — made at
/// different desks before their records met — for review. One pass over the event's live
/// check-ins in order, grouped as they come: counting each record's twins in a subquery was
/// quadratic once the planner left the expert's index (45,000 merged check-ins: 200 s).
pub fn double_checkins(c: &Connection, event_id: &str) -> Result<Vec<Double>> {
    let mut st = c.prepare_cached(
        "SELECT c.expert_id, c.point_id, c.desk_name, c.at FROM checkin c
         WHERE c.event_id = ?1
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)
         ORDER BY c.expert_id, c.point_id, c.at",
    )?;
    let rows = st.query_map([event_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out: Vec<Double> = Vec::new();
    let mut group: Option<Double> = None;
    for row in rows {
        let (expert, point, desk, at) = row?;
        match &mut group {
            Some(g) if g.expert_id == expert && g.point_id == point => g.records.push((desk, at)),
            _ => {
                out.extend(group.take().filter(|g| g.records.len() > 1));
                group = Some(Double {
                    expert_id: expert,
                    point_id: point,
                    records: vec![(desk, at)],
                });
            }
        }
    }
    out.extend(group.filter(|g| g.records.len() > 1));
    Ok(out)
}

/// A merged record whose time this laptop's clock says cannot be (see `clock_flag`).
pub struct ClockFlag {
    pub record_id: String,
    pub expert_id: String,
    pub point_id: Option<String>,
    pub desk_name: String,
    pub recorded_at: String,
    pub received_at: String,
    pub skew_seconds: i64,
}

pub fn add_clock_flag(c: &Connection, event_id: &str, f: &ClockFlag) -> Result<()> {
    c.execute_cached(
        "INSERT OR IGNORE INTO clock_flag (record_id, event_id, desk_name, recorded_at,
                                           received_at, skew_seconds)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![
            f.record_id,
            event_id,
            f.desk_name,
            f.recorded_at,
            f.received_at,
            f.skew_seconds
        ],
    )?;
    Ok(())
}

/// The event's check-ins flagged for their time, oldest arrival first.
pub fn clock_flags(c: &Connection, event_id: &str) -> Result<Vec<ClockFlag>> {
    let mut st = c.prepare_cached(
        "SELECT f.record_id, k.expert_id, k.point_id, f.desk_name, f.recorded_at,
                f.received_at, f.skew_seconds
         FROM clock_flag f JOIN checkin k ON k.id = f.record_id
         WHERE f.event_id = ?1 ORDER BY f.received_at, f.record_id",
    )?;
    let rows = st.query_map([event_id], |r| {
        Ok(ClockFlag {
            record_id: r.get(0)?,
            expert_id: r.get(1)?,
            point_id: r.get(2)?,
            desk_name: r.get(3)?,
            recorded_at: r.get(4)?,
            received_at: r.get(5)?,
            skew_seconds: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The latest time a check-in here was recorded at, leaving out those merged from a desk whose
/// clock was ahead of this one (flagged when they arrived).
pub fn latest_checkin_at(c: &Connection) -> Result<Option<String>> {
    Ok(c.query_row_cached(
        "SELECT max(at) FROM checkin k
         WHERE NOT EXISTS (SELECT 1 FROM clock_flag f WHERE f.record_id = k.id)",
        [],
        |r| r.get(0),
    )?)
}
