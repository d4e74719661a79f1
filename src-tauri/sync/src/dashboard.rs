//! The city's picture (城市总览): every venue's 应到 / 实到 / walk-ins from the server's
//! `tongxin.dashboard` view (counts only, no names), with how long ago a desk of it synced.

use serde::Serialize;

use crate::{Link, Result};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Venue {
    pub event_id: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub district: String,
    pub date: String,
    pub expected: i64,
    pub arrived: i64,
    pub walkins: i64,
    pub desks: i64,
    /// Rows the venue's desks said they still had to upload, at their last contact.
    pub unsent: i64,
    /// When a desk of the venue last synced (UTC, ISO 8601), none if never.
    pub last_sync: Option<String>,
    /// Seconds since then, by the server's clock.
    pub quiet_seconds: Option<i64>,
}

pub async fn dashboard(link: &Link) -> Result<Vec<Venue>> {
    let rows = link
        .client
        .query(
            "SELECT event_id, name, short_name, kind, district, date, expected, arrived, walkins,
                    desks, unsent::bigint,
                    to_char(last_sync AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
                    extract(epoch FROM now() - last_sync)::bigint
             FROM tongxin.dashboard ORDER BY date DESC, kind, district, name",
            &[],
        )
        .await
        .map_err(|e| link.err(e))?;
    Ok(rows
        .iter()
        .map(|r| Venue {
            event_id: r.get(0),
            name: r.get(1),
            short_name: r.get(2),
            kind: r.get(3),
            district: r.get(4),
            date: r.get(5),
            expected: r.get(6),
            arrived: r.get(7),
            walkins: r.get(8),
            desks: r.get(9),
            unsent: r.get(10),
            last_sync: r.get(11),
            quiet_seconds: r.get(12),
        })
        .collect())
}
