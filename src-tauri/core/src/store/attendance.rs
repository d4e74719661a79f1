//! Counts for the desk: expected (应到) and present (实到), overall and per service point.

use super::CachedSql;
use std::collections::HashMap;

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

/// Where the sign-ups stand: a new sign-up raises the largest rowid, an edit or a removal
/// bumps the generation (triggers of migration 0008). Equal stamps, equal sign-ups — read in
/// two index lookups, however long the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignUpsStamp {
    pub max_rowid: i64,
    pub generation: i64,
}

pub fn signups_stamp(c: &Connection) -> Result<SignUpsStamp> {
    Ok(c.query_row_cached(
        "SELECT coalesce((SELECT max(rowid) FROM signup), 0),
                coalesce((SELECT n FROM signup_generation WHERE id = 1), 0)",
        [],
        |r| {
            Ok(SignUpsStamp {
                max_rowid: r.get(0)?,
                generation: r.get(1)?,
            })
        },
    )?)
}

/// One service point's list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PointExpected {
    /// Distinct experts registered (应到).
    pub expected: i64,
    /// Sign-ups on the waiting list.
    pub waiting: i64,
}

/// The expected side of an event's counts: what only a change to the sign-ups changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expected {
    /// Distinct experts expected at the venue (its 应到): registered, or waiting for a place at
    /// a service point — someone waiting for a bus is still expected at the plenary.
    pub venue: i64,
    pub points: HashMap<String, PointExpected>,
}

/// Counts the event's sign-ups: one pass over the list (a whole 100,000-row list takes tens of
/// milliseconds, which is why the desk keeps the result until the sign-ups change).
pub fn expected(c: &Connection, event_id: &str) -> Result<Expected> {
    let venue: i64 = c.query_row_cached(
        "SELECT count(DISTINCT expert_id) FROM signup
         WHERE event_id = ?1 AND status IN ('registered', 'waiting')",
        [event_id],
        |r| r.get(0),
    )?;
    let mut st = c.prepare_cached(
        "SELECT point_id,
                count(DISTINCT CASE WHEN status = 'registered' THEN expert_id END),
                count(CASE WHEN status = 'waiting' THEN 1 END)
         FROM signup WHERE event_id = ?1 AND point_id IS NOT NULL GROUP BY point_id",
    )?;
    let points = st
        .query_map([event_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                PointExpected {
                    expected: r.get(1)?,
                    waiting: r.get(2)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Expected { venue, points })
}

/// The present side, counted from the live check-ins at the checkpoint (hundreds, a few
/// thousand at most), never from the whole list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Present {
    /// Distinct experts with a live check-in here (实到).
    pub present: i64,
    /// Of them, those checked in as walk-ins.
    pub walk_ins: i64,
    /// Of them, those registered for the checkpoint (the event, or the point when `point_id`).
    pub expected_present: i64,
    /// Per service point: its registered experts with a live check-in here.
    pub points: HashMap<String, i64>,
}

/// The live check-ins at checkpoint `point_id` (the venue when `None`) of the event.
const LIVE: &str = "SELECT c.expert_id, c.method FROM checkin c
     WHERE c.event_id = ?1 AND c.point_id IS ?2
       AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)";

pub fn present(c: &Connection, event_id: &str, point_id: Option<&str>) -> Result<Present> {
    let (present, walk_ins): (i64, i64) = c.query_row_cached(
        &format!(
            "SELECT count(DISTINCT expert_id),
                    count(DISTINCT CASE WHEN method = 'walkin' THEN expert_id END)
             FROM ({LIVE})"
        ),
        params![event_id, point_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let expected_present: i64 = c.query_row_cached(
        &format!(
            "SELECT count(DISTINCT l.expert_id) FROM ({LIVE}) l
             WHERE EXISTS (SELECT 1 FROM signup s
                           WHERE s.event_id = ?1 AND s.expert_id = l.expert_id
                             AND (s.status = 'registered'
                                  OR (?2 IS NULL AND s.status = 'waiting'))
                             AND (?2 IS NULL OR s.point_id = ?2))"
        ),
        params![event_id, point_id],
        |r| r.get(0),
    )?;
    let mut st = c.prepare_cached(&format!(
        "SELECT s.point_id, count(DISTINCT s.expert_id)
         FROM ({LIVE}) l JOIN signup s ON s.event_id = ?1 AND s.expert_id = l.expert_id
         WHERE s.status = 'registered' AND s.point_id IS NOT NULL
         GROUP BY s.point_id"
    ))?;
    let points = st
        .query_map(params![event_id, point_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Present {
        present,
        walk_ins,
        expected_present,
        points,
    })
}

/// A service point as the counts list it: the event's points in their order.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupHead {
    pub point_id: String,
    pub point_name: String,
    pub point_short_name: String,
    pub theme_name: Option<String>,
    pub capacity: i64,
    pub depart_time: String,
    pub bus: String,
}

pub fn group_heads(c: &Connection, event_id: &str) -> Result<Vec<GroupHead>> {
    let mut st = c.prepare_cached(
        "SELECT p.id, p.name, p.short_name, t.name, p.capacity, p.depart_time, p.bus
         FROM service_point p LEFT JOIN theme t ON t.id = p.theme_id
         WHERE p.event_id = ?1
         ORDER BY p.sort_order, p.name",
    )?;
    let rows = st.query_map([event_id], |r| {
        Ok(GroupHead {
            point_id: r.get(0)?,
            point_name: r.get(1)?,
            point_short_name: r.get(2)?,
            theme_name: r.get(3)?,
            capacity: r.get(4)?,
            depart_time: r.get(5)?,
            bus: r.get(6)?,
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
