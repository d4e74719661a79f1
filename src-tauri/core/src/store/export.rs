//! What the attendance sheets and the summary read: sign-ups with the expert's check-in at a
//! checkpoint, people present at a checkpoint who were not expected there, revocations.

use rusqlite::{params, Connection};

use crate::Result;

/// One person on a sheet, as stored (times UTC, phone in full).
pub struct SheetPerson {
    pub expert_id: String,
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub phone: String,
    pub party: String,
    pub point_id: Option<String>,
    /// The first live check-in at the checkpoint, UTC.
    pub at: Option<String>,
    pub walk_in: bool,
    /// On the waiting list of their service point (expected at the venue all the same).
    pub waiting: bool,
}

/// Registered sign-ups of the event (of one service point, or of every point of a theme; at the
/// venue, those waiting for a point's place too), each
/// with the expert's first live check-in: at the venue when `at_venue`, else at their point.
pub fn expected(
    c: &Connection,
    event_id: &str,
    point_id: Option<&str>,
    theme_id: Option<&str>,
    at_venue: bool,
) -> Result<Vec<SheetPerson>> {
    let mut st = c.prepare_cached(
        "SELECT e.id, e.name, e.organisation, e.title, e.phone, e.party, s.point_id,
           (SELECT c.at FROM checkin c
              WHERE c.event_id = s.event_id AND c.expert_id = s.expert_id
                AND c.point_id IS (CASE WHEN ?4 THEN NULL ELSE s.point_id END)
                AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)
              ORDER BY c.at LIMIT 1),
           EXISTS (SELECT 1 FROM checkin c WHERE c.event_id = s.event_id
                     AND c.expert_id = s.expert_id AND c.method = 'walkin'
                     AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)),
           s.status = 'waiting'
         FROM signup s JOIN expert e ON e.id = s.expert_id
         LEFT JOIN service_point p ON p.id = s.point_id
         WHERE s.event_id = ?1
           AND (s.status = 'registered' OR (?4 AND s.status = 'waiting'))
           AND (?2 IS NULL OR s.point_id = ?2)
           AND (?3 IS NULL OR p.theme_id = ?3)",
    )?;
    let rows = st.query_map(params![event_id, point_id, theme_id, at_venue], person)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// People with a live check-in at the checkpoint (`point_id` NULL: the venue) who are not in
/// `expected`: walk-ins, the waiting list, people of another group.
pub fn present(c: &Connection, event_id: &str, point_id: Option<&str>) -> Result<Vec<SheetPerson>> {
    let mut st = c.prepare_cached(
        "SELECT e.id, e.name, e.organisation, e.title, e.phone, e.party,
                (SELECT s.point_id FROM signup s WHERE s.event_id = ?1 AND s.expert_id = e.id
                   AND s.status != 'cancelled' LIMIT 1),
                min(c.at), max(c.method = 'walkin'), 0
         FROM checkin c JOIN expert e ON e.id = c.expert_id
         WHERE c.event_id = ?1 AND c.point_id IS ?2
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)
         GROUP BY e.id",
    )?;
    let rows = st.query_map(params![event_id, point_id], person)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn person(r: &rusqlite::Row) -> rusqlite::Result<SheetPerson> {
    Ok(SheetPerson {
        expert_id: r.get(0)?,
        name: r.get(1)?,
        organisation: r.get(2)?,
        title: r.get(3)?,
        phone: r.get(4)?,
        party: r.get(5)?,
        point_id: r.get(6)?,
        at: r.get(7)?,
        walk_in: r.get(8)?,
        waiting: r.get(9)?,
    })
}

/// A revoked check-in, for the summary.
pub struct Revoked {
    pub name: String,
    pub organisation: String,
    pub point_id: Option<String>,
    pub checked_in_at: String,
    pub desk_name: String,
    pub revoked_at: String,
    pub revoked_by: String,
    pub reason: String,
}

pub fn revoked(c: &Connection, event_id: &str) -> Result<Vec<Revoked>> {
    let mut st = c.prepare_cached(
        "SELECT e.name, e.organisation, c.point_id, c.at, c.desk_name, r.at, r.desk_name, r.reason
         FROM revocation r JOIN checkin c ON c.id = r.checkin_id JOIN expert e ON e.id = c.expert_id
         WHERE c.event_id = ?1 ORDER BY r.at",
    )?;
    let rows = st.query_map([event_id], |r| {
        Ok(Revoked {
            name: r.get(0)?,
            organisation: r.get(1)?,
            point_id: r.get(2)?,
            checked_in_at: r.get(3)?,
            desk_name: r.get(4)?,
            revoked_at: r.get(5)?,
            revoked_by: r.get(6)?,
            reason: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live check-in times at the venue, UTC, for the arrivals timeline.
pub fn venue_times(c: &Connection, event_id: &str) -> Result<Vec<String>> {
    let mut st = c.prepare_cached(
        "SELECT min(c.at) FROM checkin c
         WHERE c.event_id = ?1 AND c.point_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)
         GROUP BY c.expert_id ORDER BY 1",
    )?;
    let rows = st.query_map([event_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
