//! One row per expert for the experts table: the person, their sign-up for the event (point,
//! theme, status) and whether they checked in at the venue — read in one statement.

use std::collections::HashSet;
use std::sync::Arc;

use rusqlite::Connection;
use serde::Serialize;

use crate::{Result, SignUpStatus};

/// A row's values that many rows share (their organisation, party, group …) are held once
/// and pointed at: 100,000 rows of a few hundred organisations hold a few hundred strings.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub gender: Arc<str>,
    pub party: Arc<str>,
    pub organisation: Arc<str>,
    pub title: Arc<str>,
    pub field: Arc<str>,
    /// The phone as stored; serialised masked.
    #[serde(rename = "phone_masked", serialize_with = "crate::serialize_masked")]
    pub phone: String,
    pub point_id: Option<Arc<str>>,
    /// The service point's short name.
    pub point: Arc<str>,
    pub theme: Arc<str>,
    pub theme_id: Option<Arc<str>>,
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
    let mut pool: HashSet<Arc<str>> = HashSet::new();
    let mut shared = |r: &rusqlite::Row, i: usize| -> rusqlite::Result<Arc<str>> {
        let v = r.get_ref(i)?.as_str_or_null()?.unwrap_or("");
        Ok(match pool.get(v) {
            Some(s) => s.clone(),
            None => {
                let s: Arc<str> = v.into();
                pool.insert(s.clone());
                s
            }
        })
    };
    let rows = st.query_map([event_id], |r| {
        let status: Option<String> = r.get(13)?;
        let point_id = match r.get_ref(9)?.as_str_or_null()? {
            Some(_) => Some(shared(r, 9)?),
            None => None,
        };
        let theme_id = match r.get_ref(12)?.as_str_or_null()? {
            Some(_) => Some(shared(r, 12)?),
            None => None,
        };
        Ok(TableRow {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            gender: shared(r, 3)?,
            party: shared(r, 4)?,
            organisation: shared(r, 5)?,
            title: shared(r, 6)?,
            field: shared(r, 7)?,
            phone: r.get(8)?,
            point_id,
            point: shared(r, 10)?,
            theme: shared(r, 11)?,
            theme_id,
            status: status.as_deref().map(SignUpStatus::parse),
            checked_in: r.get(14)?,
            sort_name: String::new(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
