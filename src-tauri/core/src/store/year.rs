//! The year as the statistics read it: the events the app ran in a year, and who was present
//! at each (distinct experts with a live check-in at the venue or a service point).

use rusqlite::{params, Connection};

use crate::Result;

/// An event the app ran, as an activity of the year.
#[derive(Debug, Clone, PartialEq)]
pub struct EventOfYear {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub place: String,
    pub date: String,
    /// The district set on the event, or empty.
    pub district: String,
}

fn bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1))
}

/// The events dated in `year`.
pub fn events(c: &Connection, year: i32) -> Result<Vec<EventOfYear>> {
    let (from, to) = bounds(year);
    events_between(c, &from, &to)
}

/// Every event, of whatever year.
pub fn all_events(c: &Connection) -> Result<Vec<EventOfYear>> {
    events_between(c, "0000", "9999")
}

fn events_between(c: &Connection, from: &str, to: &str) -> Result<Vec<EventOfYear>> {
    let mut st = c.prepare_cached(
        "SELECT id, name, short_name, place, date, district FROM event
         WHERE date >= ?1 AND date < ?2 ORDER BY date, name",
    )?;
    let rows = st.query_map(params![from, to], |r| {
        Ok(EventOfYear {
            id: r.get(0)?,
            name: r.get(1)?,
            short_name: r.get(2)?,
            place: r.get(3)?,
            date: r.get(4)?,
            district: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// (event id, expert id), once per expert present at an event dated in `year`.
pub fn present(c: &Connection, year: i32) -> Result<Vec<(String, String)>> {
    let (from, to) = bounds(year);
    let mut st = c.prepare_cached(
        "SELECT DISTINCT c.event_id, c.expert_id FROM checkin c JOIN event e ON e.id = c.event_id
         WHERE e.date >= ?1 AND e.date < ?2
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)",
    )?;
    let rows = st.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The years that have an event or an activity, newest first.
pub fn years(c: &Connection) -> Result<Vec<i32>> {
    let mut st = c.prepare_cached(
        "SELECT DISTINCT CAST(substr(date, 1, 4) AS INTEGER) y FROM
           (SELECT date FROM event UNION ALL SELECT date FROM activity)
         WHERE y > 0 ORDER BY y DESC",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets the district of an event (empty: read from its name again).
pub fn set_event_district(c: &Connection, event_id: &str, district: &str) -> Result<usize> {
    Ok(c.execute(
        "UPDATE event SET district = ?2 WHERE id = ?1",
        params![event_id, district],
    )?)
}
