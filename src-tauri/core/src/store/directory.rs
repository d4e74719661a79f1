//! One row per expert for the experts table: the person, their sign-up for the event (point,
//! theme, status) and whether they checked in at the venue — read in one statement.

use rusqlite::Connection;

use serde::Serialize;

use crate::{Result, SignUpStatus};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub gender: String,
    pub party: String,
    pub organisation: String,
    pub title: String,
    pub field: String,
    /// The phone as stored; serialised masked.
    #[serde(rename = "phone_masked", serialize_with = "crate::serialize_masked")]
    pub phone: String,
    pub point_id: Option<String>,
    /// The service point's short name.
    pub point: String,
    pub theme: String,
    pub theme_id: Option<String>,
    /// The sign-up for the event, if any.
    pub status: Option<SignUpStatus>,
    /// Checked in at the venue.
    pub checked_in: bool,
    /// Pinyin of the name, for sorting.
    #[serde(skip)]
    pub sort_name: String,
}

pub fn rows(c: &Connection, event_id: &str) -> Result<Vec<TableRow>> {
    let mut st = c.prepare_cached(
        "SELECT e.id, e.code, e.name, e.gender, e.party, e.organisation, e.title, e.field,
                e.phone, s.point_id, coalesce(nullif(p.short_name, ''), p.name, ''),
                coalesce(t.name, ''), t.id, s.status,
                EXISTS (SELECT 1 FROM checkin c WHERE c.event_id = ?1 AND c.expert_id = e.id
                          AND c.point_id IS NULL
                          AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id))
         FROM expert e
         LEFT JOIN signup s ON s.id = (SELECT s2.id FROM signup s2
                WHERE s2.event_id = ?1 AND s2.expert_id = e.id AND s2.status != 'cancelled'
                ORDER BY s2.status = 'waiting', s2.created_at LIMIT 1)
         LEFT JOIN service_point p ON p.id = s.point_id
         LEFT JOIN theme t ON t.id = p.theme_id
         WHERE e.archived_at IS NULL",
    )?;
    let rows = st.query_map([event_id], |r| {
        let status: Option<String> = r.get(13)?;
        Ok(TableRow {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            gender: r.get(3)?,
            party: r.get(4)?,
            organisation: r.get(5)?,
            title: r.get(6)?,
            field: r.get(7)?,
            phone: r.get(8)?,
            point_id: r.get(9)?,
            point: r.get(10)?,
            theme: r.get(11)?,
            theme_id: r.get(12)?,
            status: status.as_deref().map(SignUpStatus::parse),
            checked_in: r.get(14)?,
            sort_name: String::new(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
