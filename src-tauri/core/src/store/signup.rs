use super::CachedSql;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{Result, SignUp, SignUpStatus};

const COLS: &str = "id, event_id, expert_id, point_id, status";

fn from_row(r: &Row) -> rusqlite::Result<SignUp> {
    Ok(SignUp {
        id: r.get(0)?,
        event_id: r.get(1)?,
        expert_id: r.get(2)?,
        point_id: r.get(3)?,
        status: SignUpStatus::parse(&r.get::<_, String>(4)?),
    })
}

pub fn insert(c: &Connection, s: &SignUp, now: &str) -> Result<()> {
    c.execute_cached(
        "INSERT INTO signup (id, event_id, expert_id, point_id, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            s.id,
            s.event_id,
            s.expert_id,
            s.point_id,
            s.status.as_str(),
            now
        ],
    )?;
    Ok(())
}

/// Inserts many sign-ups in as few statements as it can. Inside a transaction only: a failing
/// row rolls the whole transaction back.
pub fn insert_many(c: &Connection, rows: &[SignUp], now: &str) -> Result<()> {
    super::insert_many(
        c,
        "signup (id, event_id, expert_id, point_id, status, created_at, updated_at)",
        rows,
        now,
        |s| [&s.id, &s.event_id, &s.expert_id, &s.point_id, &s.status],
    )
}

/// A sign-up's status is stored as its name.
impl rusqlite::ToSql for SignUpStatus {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

pub fn for_event(c: &Connection, event_id: &str) -> Result<Vec<SignUp>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM signup WHERE event_id = ?1 AND status != 'cancelled'
         ORDER BY created_at, rowid"
    ))?;
    let rows = st.query_map([event_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The expert's live (not cancelled) sign-up for the event, registered before waiting.
pub fn current(c: &Connection, event_id: &str, expert_id: &str) -> Result<Option<SignUp>> {
    Ok(c.query_row_cached(
        &format!(
            "SELECT {COLS} FROM signup
             WHERE event_id = ?1 AND expert_id = ?2 AND status != 'cancelled'
             ORDER BY status = 'waiting', created_at LIMIT 1"
        ),
        [event_id, expert_id],
        from_row,
    )
    .optional()?)
}

/// Registered (not waiting, not cancelled) sign-ups of a service point.
pub fn registered_at_point(c: &Connection, point_id: &str) -> Result<i64> {
    Ok(c.query_row_cached(
        "SELECT count(*) FROM signup WHERE point_id = ?1 AND status = 'registered'",
        [point_id],
        |r| r.get(0),
    )?)
}

pub fn set_point(c: &Connection, signup_id: &str, point_id: Option<&str>, now: &str) -> Result<()> {
    c.execute_cached(
        "UPDATE signup SET point_id = ?2, updated_at = ?3 WHERE id = ?1",
        params![signup_id, point_id, now],
    )?;
    Ok(())
}

/// The expert's group for the event as the desk shows it: sign-up status, service point,
/// theme, departure and bus (empty when not signed up).
pub fn assignment(c: &Connection, event_id: &str, expert_id: &str) -> Result<crate::Assignment> {
    Ok(c.query_row_cached(
        "SELECT s.status, p.id, p.name, p.short_name, t.name, p.depart_time, p.bus
         FROM signup s
         LEFT JOIN service_point p ON p.id = s.point_id
         LEFT JOIN theme t ON t.id = p.theme_id
         WHERE s.event_id = ?1 AND s.expert_id = ?2 AND s.status != 'cancelled'
         ORDER BY s.status = 'waiting', s.created_at LIMIT 1",
        [event_id, expert_id],
        |r| {
            Ok(crate::Assignment {
                signup_status: Some(SignUpStatus::parse(&r.get::<_, String>(0)?)),
                point_id: r.get(1)?,
                point_name: r.get(2)?,
                point_short_name: r.get(3)?,
                theme_name: r.get(4)?,
                depart_time: r.get(5)?,
                bus: r.get(6)?,
            })
        },
    )
    .optional()?
    .unwrap_or_default())
}

pub fn delete(c: &Connection, id: &str) -> Result<()> {
    c.execute_cached("DELETE FROM signup WHERE id = ?1", [id])?;
    Ok(())
}

/// Deletes every sign-up of an expert, cancelled ones too (the expert is being deleted).
pub fn delete_for_expert(c: &Connection, expert_id: &str) -> Result<()> {
    c.execute("DELETE FROM signup WHERE expert_id = ?1", [expert_id])?;
    Ok(())
}

pub fn set_status(c: &Connection, id: &str, status: SignUpStatus, now: &str) -> Result<()> {
    c.execute_cached(
        "UPDATE signup SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), now],
    )?;
    Ok(())
}

/// A service point's waiting list, first come first.
pub fn waiting_at_point(c: &Connection, point_id: &str) -> Result<Vec<SignUp>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM signup WHERE point_id = ?1 AND status = 'waiting'
         ORDER BY created_at, rowid"
    ))?;
    let rows = st.query_map([point_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every live sign-up of the expert, in any event.
pub fn live_for_expert(c: &Connection, expert_id: &str) -> Result<Vec<SignUp>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM signup WHERE expert_id = ?1 AND status != 'cancelled'
         ORDER BY event_id, status = 'waiting', created_at"
    ))?;
    let rows = st.query_map([expert_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
