//! The SQL of the exchange with the central server: what is still to upload (rows not in
//! `central_known`, or known at an older version), marking rows known, and writing rows pulled
//! from the server with the version they carry. The events a desk serves are passed as a JSON
//! array (`json_each`), so one statement serves any number of them.

use super::package::{checkin_row, revocation_row};
use super::CachedSql;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{
    CentralEvent, CentralExpert, CentralSignUp, EventKind, Expert, PackCheckIn, PackRevocation,
    ParkedRow, Result, ServicePoint, SignUp, SignUpStatus, Theme,
};

const EVENTS: &str = "SELECT value FROM json_each(?1)";

fn expert_row(r: &Row) -> rusqlite::Result<CentralExpert> {
    Ok(CentralExpert {
        expert: Expert {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            gender: r.get(3)?,
            party: r.get(4)?,
            organisation: r.get(5)?,
            title: r.get(6)?,
            field: r.get(7)?,
            phone: r.get(8)?,
            notes: r.get(9)?,
        },
        archived: r.get(10)?,
        updated_at: r.get(11)?,
        event_id: r.get(12)?,
    })
}

fn signup_row(r: &Row) -> rusqlite::Result<CentralSignUp> {
    Ok(CentralSignUp {
        signup: SignUp {
            id: r.get(0)?,
            event_id: r.get(1)?,
            expert_id: r.get(2)?,
            point_id: r.get(3)?,
            status: SignUpStatus::parse(&r.get::<_, String>(4)?),
        },
        updated_at: r.get(5)?,
    })
}

/// Check-ins of the events the server has not got, oldest first.
pub fn unsent_checkins(c: &Connection, events: &str, limit: i64) -> Result<Vec<PackCheckIn>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT c.id, c.event_id, c.expert_id, c.point_id, c.at, c.desk_id, c.desk_name, c.method
         FROM checkin c WHERE c.event_id IN ({EVENTS})
           AND NOT EXISTS (SELECT 1 FROM central_known k WHERE k.id = c.id)
         ORDER BY c.rowid LIMIT ?2"
    ))?;
    let rows = st.query_map(params![events, limit], checkin_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn unsent_revocations(c: &Connection, events: &str, limit: i64) -> Result<Vec<PackRevocation>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT r.id, r.checkin_id, r.at, r.desk_id, r.desk_name, r.reason
         FROM revocation r JOIN checkin c ON c.id = r.checkin_id
         WHERE c.event_id IN ({EVENTS})
           AND NOT EXISTS (SELECT 1 FROM central_known k WHERE k.id = r.id)
         ORDER BY r.rowid LIMIT ?2"
    ))?;
    let rows = st.query_map(params![events, limit], revocation_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sign-ups of the events created or changed here since the server last had them.
pub fn unsent_signups(c: &Connection, events: &str, limit: i64) -> Result<Vec<CentralSignUp>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT s.id, s.event_id, s.expert_id, s.point_id, s.status, s.updated_at
         FROM signup s WHERE s.event_id IN ({EVENTS})
           AND NOT EXISTS (SELECT 1 FROM central_known k
                           WHERE k.id = s.id AND k.version = s.updated_at)
         ORDER BY s.updated_at, s.id LIMIT ?2"
    ))?;
    let rows = st.query_map(params![events, limit], signup_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Experts signed up for or checked in at the events, created or edited here since the server
/// last had them.
pub fn unsent_experts(c: &Connection, events: &str, limit: i64) -> Result<Vec<CentralExpert>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT e.id, e.code, e.name, e.gender, e.party, e.organisation, e.title, e.field,
                e.phone, e.notes, e.archived_at IS NOT NULL, e.updated_at,
                coalesce((SELECT s.event_id FROM signup s
                          WHERE s.expert_id = e.id AND s.event_id IN ({EVENTS}) LIMIT 1),
                         (SELECT c.event_id FROM checkin c
                          WHERE c.expert_id = e.id AND c.event_id IN ({EVENTS}) LIMIT 1), '')
         FROM expert e
         WHERE e.id IN (SELECT expert_id FROM signup WHERE event_id IN ({EVENTS})
                        UNION SELECT expert_id FROM checkin WHERE event_id IN ({EVENTS}))
           AND NOT EXISTS (SELECT 1 FROM central_known k
                           WHERE k.id = e.id AND k.version = e.updated_at)
         ORDER BY e.updated_at, e.id LIMIT ?2"
    ))?;
    let rows = st.query_map(params![events, limit], expert_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records that the server has `id` at `version` ('' for a log row). A row is still to upload
/// while its version here differs from the one recorded: versions are compared for equality,
/// never for order, since they come from the clocks of different laptops.
pub fn mark_known(c: &Connection, id: &str, version: &str) -> Result<()> {
    c.execute_cached(
        "INSERT INTO central_known (id, version) VALUES (?1, ?2)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        params![id, version],
    )?;
    Ok(())
}

/// The version of an expert here (`updated_at`) and the one the server was last known to have.
pub fn expert_versions(c: &Connection, id: &str) -> Result<Option<(String, Option<String>)>> {
    Ok(c.query_row_cached(
        "SELECT e.updated_at, k.version FROM expert e
         LEFT JOIN central_known k ON k.id = e.id WHERE e.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?)
}

pub fn signup_versions(c: &Connection, id: &str) -> Result<Option<(String, Option<String>)>> {
    Ok(c.query_row_cached(
        "SELECT s.updated_at, k.version FROM signup s
         LEFT JOIN central_known k ON k.id = s.id WHERE s.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?)
}

/// Writes an expert as the server has it, created if new, with the server's `updated_at`. The
/// server has no gender, field or notes (they stay on each laptop): those are kept here.
pub fn put_expert(c: &Connection, x: &CentralExpert, search_keys: &str) -> Result<()> {
    let e = &x.expert;
    c.execute_cached(
        "INSERT INTO expert (id, code, name, gender, party, organisation, title, field, phone,
                             notes, search_keys, archived_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                 CASE WHEN ?12 THEN ?13 END, ?13, ?13)
         ON CONFLICT (id) DO UPDATE SET
           code = excluded.code, name = excluded.name,
           party = excluded.party, organisation = excluded.organisation,
           title = excluded.title, phone = excluded.phone, search_keys = excluded.search_keys,
           archived_at = CASE WHEN ?12 THEN coalesce(expert.archived_at, ?13) END,
           updated_at = excluded.updated_at",
        params![
            e.id,
            e.code,
            e.name,
            e.gender,
            e.party,
            e.organisation,
            e.title,
            e.field,
            e.phone,
            e.notes,
            search_keys,
            x.archived,
            x.updated_at
        ],
    )?;
    Ok(())
}

/// Another expert here with `code` (a code is unique on a desk).
pub fn code_taken(c: &Connection, code: &str, id: &str) -> Result<bool> {
    Ok(c.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM expert WHERE code = ?1 COLLATE NOCASE AND id != ?2)",
        params![code, id],
        |r| r.get(0),
    )?)
}

pub fn put_signup(c: &Connection, x: &CentralSignUp) -> Result<()> {
    let s = &x.signup;
    c.execute_cached(
        "INSERT INTO signup (id, event_id, expert_id, point_id, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT (id) DO UPDATE SET point_id = excluded.point_id,
           status = excluded.status, updated_at = excluded.updated_at",
        params![
            s.id,
            s.event_id,
            s.expert_id,
            s.point_id,
            s.status.as_str(),
            x.updated_at
        ],
    )?;
    Ok(())
}

/// Writes an event as the server publishes it; its key only when the event is new here.
pub fn put_event(c: &Connection, x: &CentralEvent, key: &[u8; 32], now: &str) -> Result<bool> {
    let e = &x.event;
    let existed: bool = c.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM event WHERE id = ?1)",
        [&e.id],
        |r| r.get(0),
    )?;
    c.execute_cached(
        "INSERT INTO event (id, name, short_name, kind, parent_id, date, place, district, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
           date = excluded.date, place = excluded.place, district = excluded.district",
        params![
            e.id,
            e.name,
            e.short_name,
            e.kind.as_str(),
            e.parent_id,
            e.date,
            e.place,
            x.district,
            now
        ],
    )?;
    c.execute_cached(
        "INSERT OR IGNORE INTO event_key (event_id, key) VALUES (?1, ?2)",
        params![e.id, &key[..]],
    )?;
    Ok(!existed)
}

/// Events with their district and key, for publishing to the server.
pub fn events_for_publishing(c: &Connection, only: Option<&str>) -> Result<Vec<CentralEvent>> {
    let mut st = c.prepare_cached(
        "SELECT e.id, e.name, e.short_name, e.kind, e.parent_id, e.date, e.place, e.district,
                k.key
         FROM event e JOIN event_key k ON k.event_id = e.id
         WHERE ?1 IS NULL OR e.id = ?1 OR e.parent_id = ?1 ORDER BY e.kind = 'sub', e.id",
    )?;
    let rows = st.query_map([only], |r| {
        Ok(CentralEvent {
            event: crate::Event {
                id: r.get(0)?,
                name: r.get(1)?,
                short_name: r.get(2)?,
                kind: EventKind::parse(&r.get::<_, String>(3)?),
                parent_id: r.get(4)?,
                date: r.get(5)?,
                place: r.get(6)?,
            },
            district: r.get(7)?,
            key: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every sign-up of the events with its version, for publishing.
pub fn signups_of(c: &Connection, events: &str) -> Result<Vec<CentralSignUp>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT id, event_id, expert_id, point_id, status, updated_at FROM signup
         WHERE event_id IN ({EVENTS}) ORDER BY id"
    ))?;
    let rows = st.query_map([events], signup_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every expert signed up for or checked in at the events, for publishing.
pub fn experts_of(c: &Connection, events: &str) -> Result<Vec<CentralExpert>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT e.id, e.code, e.name, e.gender, e.party, e.organisation, e.title, e.field,
                e.phone, e.notes, e.archived_at IS NOT NULL, e.updated_at,
                coalesce((SELECT s.event_id FROM signup s
                          WHERE s.expert_id = e.id AND s.event_id IN ({EVENTS}) LIMIT 1),
                         (SELECT c.event_id FROM checkin c
                          WHERE c.expert_id = e.id AND c.event_id IN ({EVENTS}) LIMIT 1), '')
         FROM expert e
         WHERE e.id IN (SELECT expert_id FROM signup WHERE event_id IN ({EVENTS})
                        UNION SELECT expert_id FROM checkin WHERE event_id IN ({EVENTS}))
         ORDER BY e.id"
    ))?;
    let rows = st.query_map([events], expert_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn put_theme(c: &Connection, t: &Theme) -> Result<()> {
    c.execute_cached(
        "INSERT INTO theme (id, name, sort_order) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET sort_order = excluded.sort_order",
        params![t.id, t.name, t.sort_order],
    )?;
    Ok(())
}

pub fn put_point(c: &Connection, p: &ServicePoint) -> Result<bool> {
    let existed: bool = c.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM service_point WHERE id = ?1)",
        [&p.id],
        |r| r.get(0),
    )?;
    c.execute_cached(
        "INSERT INTO service_point (id, event_id, theme_id, name, short_name, address, contact,
                                    contact_phone, capacity, depart_time, bus, sort_order)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET theme_id = excluded.theme_id, name = excluded.name,
           short_name = excluded.short_name, address = excluded.address,
           contact = excluded.contact, contact_phone = excluded.contact_phone,
           capacity = excluded.capacity, depart_time = excluded.depart_time,
           bus = excluded.bus, sort_order = excluded.sort_order",
        params![
            p.id,
            p.event_id,
            p.theme_id,
            p.name,
            p.short_name,
            p.address,
            p.contact,
            p.contact_phone,
            p.capacity,
            p.depart_time,
            p.bus,
            p.sort_order
        ],
    )?;
    Ok(!existed)
}

/// How many rows of the events are still to upload.
pub fn unsent_count(c: &Connection, events: &str) -> Result<i64> {
    Ok(c.query_row_cached(
        &format!(
            "SELECT
               (SELECT count(*) FROM checkin c WHERE c.event_id IN ({EVENTS})
                  AND NOT EXISTS (SELECT 1 FROM central_known k WHERE k.id = c.id))
             + (SELECT count(*) FROM revocation r JOIN checkin c ON c.id = r.checkin_id
                  WHERE c.event_id IN ({EVENTS})
                  AND NOT EXISTS (SELECT 1 FROM central_known k WHERE k.id = r.id))
             + (SELECT count(*) FROM signup s WHERE s.event_id IN ({EVENTS})
                  AND NOT EXISTS (SELECT 1 FROM central_known k
                                  WHERE k.id = s.id AND k.version = s.updated_at))"
        ),
        [events],
        |r| r.get(0),
    )?)
}

/// The service points of the events, with their theme's name, for uploading.
pub fn points_of(c: &Connection, events: &str) -> Result<Vec<(ServicePoint, String)>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT p.id, p.event_id, p.theme_id, p.name, p.short_name, p.address, p.contact,
                p.contact_phone, p.capacity, p.depart_time, p.bus, p.sort_order,
                coalesce(t.name, '')
         FROM service_point p LEFT JOIN theme t ON t.id = p.theme_id
         WHERE p.event_id IN ({EVENTS}) ORDER BY p.event_id, p.sort_order, p.id"
    ))?;
    let rows = st.query_map([events], |r| Ok((super::point::from_row(r)?, r.get(12)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The version the server was last known to have of `id`.
pub fn known_version(c: &Connection, id: &str) -> Result<Option<String>> {
    Ok(c.query_row_cached(
        "SELECT version FROM central_known WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?)
}

/// Forgets everything known of the server (another server: whatever it lacks goes up again).
pub fn forget_server(c: &Connection) -> Result<()> {
    c.execute_batch("DELETE FROM central_known; DELETE FROM central_parked;")?;
    Ok(())
}

/// Sets a pulled row aside (again: its reason is updated).
pub fn park(
    c: &Connection,
    kind: &str,
    id: &str,
    body: &str,
    reason: &str,
    waiting: bool,
    at: &str,
) -> Result<()> {
    c.execute_cached(
        "INSERT INTO central_parked (kind, id, body, reason, waiting, parked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, reason = excluded.reason,
           waiting = excluded.waiting",
        params![kind, id, body, reason, waiting, at],
    )?;
    Ok(())
}

pub fn unpark(c: &Connection, kind: &str, id: &str) -> Result<()> {
    c.execute_cached(
        "DELETE FROM central_parked WHERE kind = ?1 AND id = ?2",
        params![kind, id],
    )?;
    Ok(())
}

/// The rows waiting for what they refer to, oldest first: (kind, body).
pub fn parked_waiting(c: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = c.prepare_cached(
        "SELECT kind, body FROM central_parked WHERE waiting ORDER BY parked_at, kind, id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Up to `limit` rows set aside, and how many there are in all.
pub fn parked(c: &Connection, limit: i64) -> Result<(Vec<ParkedRow>, i64)> {
    let mut st = c.prepare_cached(
        "SELECT kind, id, reason, waiting FROM central_parked
         ORDER BY waiting, parked_at, kind, id LIMIT ?1",
    )?;
    let rows = st
        .query_map([limit], |r| {
            Ok(ParkedRow {
                kind: r.get(0)?,
                id: r.get(1)?,
                reason: r.get(2)?,
                waiting: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let n = c.query_row_cached("SELECT count(*) FROM central_parked", [], |r| r.get(0))?;
    Ok((rows, n))
}

/// Events on this desk with sign-ups or check-ins, among those not in `events` (JSON).
pub fn events_with_rows_except(c: &Connection, events: &str) -> Result<Vec<(String, String)>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT e.id, e.name FROM event e
         WHERE e.id NOT IN ({EVENTS})
           AND (EXISTS (SELECT 1 FROM signup s WHERE s.event_id = e.id)
                OR EXISTS (SELECT 1 FROM checkin c WHERE c.event_id = e.id))
         ORDER BY e.date, e.name"
    ))?;
    let rows = st.query_map([events], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
