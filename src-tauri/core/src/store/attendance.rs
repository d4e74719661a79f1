//! Counts for the desk: expected (应到) and present (实到), overall and per service point.

use super::CachedSql;
use rusqlite::{params, Connection};

use serde::Serialize;

use crate::{clock, Method, Result, RosterRow};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupAttendance {
    pub point_id: String,
    pub point_name: String,
    pub point_short_name: String,
    pub theme_name: Option<String>,
    pub capacity: i64,
    pub depart_time: String,
    pub bus: String,
    pub expected: i64,
    pub present: i64,
    pub waiting: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecentArrival {
    pub checkin_id: String,
    pub expert_id: String,
    pub name: String,
    pub organisation: String,
    pub at: String,
    pub local_time: String,
    pub desk_name: String,
    pub method: Method,
    pub revoked: bool,
}

/// "This expert has a live check-in at checkpoint ?2 of the event": the one definition of
/// present, shared by every count below.
const PRESENT: &str = "EXISTS (SELECT 1 FROM checkin c
      WHERE c.event_id = s.event_id AND c.expert_id = s.expert_id AND c.point_id IS ?2
        AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id))";

pub struct Totals {
    pub expected: i64,
    pub present: i64,
    pub walk_ins: i64,
    pub unexpected: i64,
}

pub fn totals(c: &Connection, event_id: &str, point_id: Option<&str>) -> Result<Totals> {
    let expected: i64 = c.query_row_cached(
        "SELECT count(DISTINCT s.expert_id)
         FROM signup s WHERE s.event_id = ?1 AND s.status = 'registered'
           AND (?2 IS NULL OR s.point_id = ?2)",
        params![event_id, point_id],
        |r| r.get(0),
    )?;
    // From the check-ins (hundreds) to the sign-ups, not from every sign-up (100,000 on a large
    // list) to its check-ins: the same count, measured 0.2 s → a few ms with 100,000 on file.
    let expected_present: i64 = c.query_row_cached(
        "SELECT count(DISTINCT c.expert_id) FROM checkin c
         WHERE c.event_id = ?1 AND c.point_id IS ?2
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)
           AND EXISTS (SELECT 1 FROM signup s
                       WHERE s.event_id = c.event_id AND s.expert_id = c.expert_id
                         AND s.status = 'registered' AND (?2 IS NULL OR s.point_id = ?2))",
        params![event_id, point_id],
        |r| r.get(0),
    )?;
    let (present, walk_ins): (i64, i64) = c.query_row_cached(
        "SELECT count(DISTINCT c.expert_id),
                count(DISTINCT CASE WHEN c.method = 'walkin' THEN c.expert_id END)
         FROM checkin c
         WHERE c.event_id = ?1 AND c.point_id IS ?2
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)",
        params![event_id, point_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Totals {
        expected,
        present,
        walk_ins,
        // Present but not on the expected list (walk-ins, people of another group at a point).
        unexpected: present - expected_present,
    })
}

pub fn groups(
    c: &Connection,
    event_id: &str,
    point_id: Option<&str>,
) -> Result<Vec<GroupAttendance>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT p.id, p.name, p.short_name, t.name, p.capacity, p.depart_time, p.bus,
           (SELECT count(DISTINCT s.expert_id) FROM signup s
              WHERE s.point_id = p.id AND s.status = 'registered'),
           (SELECT count(DISTINCT s.expert_id) FROM signup s
              WHERE s.point_id = p.id AND s.status = 'registered' AND {PRESENT}),
           (SELECT count(*) FROM signup s WHERE s.point_id = p.id AND s.status = 'waiting')
         FROM service_point p LEFT JOIN theme t ON t.id = p.theme_id
         WHERE p.event_id = ?1
         ORDER BY p.sort_order, p.name"
    ))?;
    let rows = st.query_map(params![event_id, point_id], |r| {
        Ok(GroupAttendance {
            point_id: r.get(0)?,
            point_name: r.get(1)?,
            point_short_name: r.get(2)?,
            theme_name: r.get(3)?,
            capacity: r.get(4)?,
            depart_time: r.get(5)?,
            bus: r.get(6)?,
            expected: r.get(7)?,
            present: r.get(8)?,
            waiting: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The latest check-ins at the checkpoint, newest first, revoked ones included (and marked).
pub fn recent(
    c: &Connection,
    event_id: &str,
    point_id: Option<&str>,
    limit: i64,
) -> Result<Vec<RecentArrival>> {
    let mut st = c.prepare_cached(
        "SELECT c.id, c.expert_id, e.name, e.organisation, c.at, c.desk_name, c.method,
                EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)
         FROM checkin c JOIN expert e ON e.id = c.expert_id
         WHERE c.event_id = ?1 AND c.point_id IS ?2
         ORDER BY c.at DESC, c.rowid DESC LIMIT ?3",
    )?;
    let rows = st.query_map(params![event_id, point_id, limit], |r| {
        let at: String = r.get(4)?;
        Ok(RecentArrival {
            checkin_id: r.get(0)?,
            expert_id: r.get(1)?,
            name: r.get(2)?,
            organisation: r.get(3)?,
            local_time: clock::local_hm(&at),
            at,
            desk_name: r.get(5)?,
            method: Method::parse(&r.get::<_, String>(6)?),
            revoked: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live check-in of the sign-up's expert at checkpoint `POINT` (an SQL expression).
macro_rules! live_at {
    ($what:literal, $point:literal) => {
        concat!(
            "(SELECT ",
            $what,
            " FROM checkin c WHERE c.event_id = s.event_id AND c.expert_id = s.expert_id
               AND c.point_id IS ",
            $point,
            " AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)
             ORDER BY c.at LIMIT 1)"
        )
    };
}

/// Every live sign-up of the event (of one service point when `point_id` is given), with the
/// expert's morning check-in at the venue and their check-in at their own service point.
pub fn roster(c: &Connection, event_id: &str, point_id: Option<&str>) -> Result<Vec<RosterRow>> {
    let sql = concat!(
        "SELECT e.id, e.code, e.name, e.organisation, e.title, e.phone, s.point_id, s.status, ",
        live_at!("c.at", "NULL"),
        ", ",
        live_at!("c.id", "s.point_id"),
        ", ",
        live_at!("c.at", "s.point_id"),
        ", ",
        live_at!("c.desk_name", "s.point_id"),
        " FROM signup s JOIN expert e ON e.id = s.expert_id
         WHERE s.event_id = ?1 AND s.status != 'cancelled'
           AND (?2 IS NULL OR s.point_id = ?2)
         ORDER BY s.status = 'waiting', e.name, e.code"
    );
    let mut st = c.prepare_cached(sql)?;
    let rows = st.query_map(params![event_id, point_id], |r| {
        let morning: Option<String> = r.get(8)?;
        let here_at: Option<String> = r.get(10)?;
        Ok(RosterRow {
            expert_id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            organisation: r.get(3)?,
            title: r.get(4)?,
            phone: r.get(5)?,
            point_id: r.get(6)?,
            status: crate::SignUpStatus::parse(&r.get::<_, String>(7)?),
            morning_time: morning.as_deref().map(clock::local_hm),
            point_checkin_id: r.get(9)?,
            point_time: here_at.as_deref().map(clock::local_hm),
            point_desk: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An arrival on the big screen's wall.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WallEntry {
    pub checkin_id: String,
    pub expert_id: String,
    pub name: String,
    pub title: String,
    pub organisation: String,
    /// Shanghai HH:MM.
    pub local_time: String,
}

/// The live check-ins at the main venue, newest first (revoked ones left out).
pub fn wall(c: &Connection, event_id: &str, limit: i64) -> Result<Vec<WallEntry>> {
    let mut st = c.prepare_cached(
        "SELECT c.id, c.expert_id, e.name, e.title, e.organisation, c.at
         FROM checkin c JOIN expert e ON e.id = c.expert_id
         WHERE c.event_id = ?1 AND c.point_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)
         ORDER BY c.at DESC, c.rowid DESC LIMIT ?2",
    )?;
    let rows = st.query_map(params![event_id, limit], |r| {
        Ok(WallEntry {
            checkin_id: r.get(0)?,
            expert_id: r.get(1)?,
            name: r.get(2)?,
            title: r.get(3)?,
            organisation: r.get(4)?,
            local_time: clock::local_hm(&r.get::<_, String>(5)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
