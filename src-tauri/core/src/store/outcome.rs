//! The outcomes of a service day's visits: per service point, enterprises and people served,
//! and the suggestions (建言) collected.

use rusqlite::{params, Connection};

use super::CachedSql;
use crate::{Outcome, Result, Suggestion, SuggestionStatus};

/// Sets a point's outcome (replacing the one entered before).
pub fn set(c: &Connection, o: &Outcome, now: &str) -> Result<()> {
    c.execute_cached(
        "INSERT INTO point_outcome (point_id, enterprises, people, updated_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (point_id) DO UPDATE SET enterprises = ?2, people = ?3, updated_at = ?4",
        params![o.point_id, o.enterprises, o.people, now],
    )?;
    Ok(())
}

/// The outcomes entered for the points of an event.
pub fn for_event(c: &Connection, event_id: &str) -> Result<Vec<Outcome>> {
    let mut st = c.prepare_cached(
        "SELECT o.point_id, o.enterprises, o.people FROM point_outcome o
         JOIN service_point p ON p.id = o.point_id WHERE p.event_id = ?1 ORDER BY p.sort_order",
    )?;
    let rows = st.query_map([event_id], |r| {
        Ok(Outcome {
            point_id: r.get(0)?,
            enterprises: r.get(1)?,
            people: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Runs `sql` (three columns, `?1`/`?2` the year's bounds) for the events dated in `year`.
fn per_event_in_year(c: &Connection, sql: &str, year: i32) -> Result<Vec<(String, i64, i64)>> {
    let mut st = c.prepare_cached(sql)?;
    let rows = st.query_map(
        params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Per event dated in `year`: (event id, enterprises, people) summed over its points.
pub fn sums_in_year(c: &Connection, year: i32) -> Result<Vec<(String, i64, i64)>> {
    per_event_in_year(
        c,
        "SELECT p.event_id, sum(o.enterprises), sum(o.people) FROM point_outcome o
         JOIN service_point p ON p.id = o.point_id JOIN event e ON e.id = p.event_id
         WHERE e.date >= ?1 AND e.date < ?2 GROUP BY p.event_id",
        year,
    )
}

/// Per event dated in `year`: (event id, suggestions collected, of them adopted).
pub fn suggestions_in_year(c: &Connection, year: i32) -> Result<Vec<(String, i64, i64)>> {
    per_event_in_year(
        c,
        "SELECT p.event_id, count(*), sum(s.status = 'adopted') FROM suggestion s
         JOIN service_point p ON p.id = s.point_id JOIN event e ON e.id = p.event_id
         WHERE e.date >= ?1 AND e.date < ?2 GROUP BY p.event_id",
        year,
    )
}

pub fn add_suggestion(c: &Connection, s: &Suggestion, now: &str) -> Result<()> {
    c.execute_cached(
        "INSERT INTO suggestion (id, point_id, title, lead_expert_id, theme, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            s.id,
            s.point_id,
            s.title,
            s.lead_expert_id,
            s.theme,
            s.status.as_str(),
            now
        ],
    )?;
    Ok(())
}

pub fn set_suggestion_status(c: &Connection, id: &str, status: SuggestionStatus) -> Result<usize> {
    Ok(c.execute_cached(
        "UPDATE suggestion SET status = ?2 WHERE id = ?1",
        params![id, status.as_str()],
    )?)
}

pub fn suggestions_for_point(c: &Connection, point_id: &str) -> Result<Vec<Suggestion>> {
    let mut st = c.prepare_cached(
        "SELECT id, point_id, title, lead_expert_id, theme, status FROM suggestion
         WHERE point_id = ?1 ORDER BY created_at, title",
    )?;
    let rows = st.query_map([point_id], |r| {
        Ok(Suggestion {
            id: r.get(0)?,
            point_id: r.get(1)?,
            title: r.get(2)?,
            lead_expert_id: r.get(3)?,
            theme: r.get(4)?,
            status: SuggestionStatus::parse(&r.get::<_, String>(5)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
