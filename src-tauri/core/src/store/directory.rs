//! One row per expert for the experts table: the person, their sign-up for the event (point,
//! theme, status) and whether they checked in at the venue — read in one statement.

use rusqlite::Connection;

use crate::{Result, SignUpStatus};

/// One row as read, borrowed from the statement: the table keeps what it needs of it.
pub struct RowRef<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub gender: &'a str,
    pub party: &'a str,
    pub organisation: &'a str,
    pub title: &'a str,
    pub field: &'a str,
    /// The phone as stored.
    pub phone: &'a str,
    pub point_id: Option<&'a str>,
    /// The service point's short name.
    pub point: &'a str,
    pub theme: &'a str,
    pub theme_id: Option<&'a str>,
    /// The sign-up for the event, if any.
    pub status: Option<SignUpStatus>,
    /// Checked in at the venue.
    pub checked_in: bool,
}

/// Every expert on file (not archived) with their place in `event_id`, one row at a time.
pub fn each(c: &Connection, event_id: &str, mut f: impl FnMut(RowRef<'_>)) -> Result<()> {
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
    let mut rows = st.query([event_id])?;
    while let Some(r) = rows.next()? {
        let text =
            |i: usize| -> rusqlite::Result<Option<&str>> { Ok(r.get_ref(i)?.as_str_or_null()?) };
        let status = text(13)?.map(SignUpStatus::parse);
        f(RowRef {
            id: text(0)?.unwrap_or(""),
            code: text(1)?.unwrap_or(""),
            name: text(2)?.unwrap_or(""),
            gender: text(3)?.unwrap_or(""),
            party: text(4)?.unwrap_or(""),
            organisation: text(5)?.unwrap_or(""),
            title: text(6)?.unwrap_or(""),
            field: text(7)?.unwrap_or(""),
            phone: text(8)?.unwrap_or(""),
            point_id: text(9)?,
            point: text(10)?.unwrap_or(""),
            theme: text(11)?.unwrap_or(""),
            theme_id: text(12)?,
            status,
            checked_in: r.get(14)?,
        });
    }
    Ok(())
}
