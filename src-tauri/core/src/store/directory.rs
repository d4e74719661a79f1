//! One row per expert for the experts table: the person, their sign-up for the event (point,
//! theme, status) and whether they checked in at the venue — read in one statement, for
//! everyone (what the table filters and sorts by) or for a window of rows (what it shows).

use rusqlite::{Connection, Params, Statement};

use crate::{Result, SignUpStatus};

/// One row as read, borrowed from the statement: the table keeps what it needs of it.
pub struct RowRef<'a> {
    /// The expert's rowid: how the table finds the row again for a window.
    pub rowid: i64,
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

/// The row's columns for event `?1`; a `WHERE` follows.
const ROWS: &str = "SELECT e.rowid, e.id, e.code, e.name, e.gender, e.party, e.organisation,
                e.title, e.field, e.phone, s.point_id,
                coalesce(nullif(p.short_name, ''), p.name, ''), coalesce(t.name, ''), t.id,
                s.status,
                EXISTS (SELECT 1 FROM checkin c WHERE c.event_id = ?1 AND c.expert_id = e.id
                          AND c.point_id IS NULL
                          AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id))
         FROM expert e
         LEFT JOIN signup s ON s.id = (SELECT s2.id FROM signup s2
                WHERE s2.event_id = ?1 AND s2.expert_id = e.id AND s2.status != 'cancelled'
                ORDER BY s2.status = 'waiting', s2.created_at LIMIT 1)
         LEFT JOIN service_point p ON p.id = s.point_id
         LEFT JOIN theme t ON t.id = p.theme_id
         WHERE e.archived_at IS NULL";

/// Every expert on file (not archived) with their place in `event_id`, one row at a time, in
/// rowid order.
pub fn each(c: &Connection, event_id: &str, f: impl FnMut(RowRef<'_>)) -> Result<()> {
    let mut st = c.prepare_cached(&format!("{ROWS} ORDER BY e.rowid"))?;
    read(&mut st, [event_id], f)
}

/// The experts among `rowids` still on file, with their place in `event_id`, in rowid order.
pub fn by_rowids(
    c: &Connection,
    event_id: &str,
    rowids: &[i64],
    f: impl FnMut(RowRef<'_>),
) -> Result<()> {
    let mut st = c.prepare_cached(&format!(
        "{ROWS} AND e.rowid IN (SELECT value FROM json_each(?2)) ORDER BY e.rowid"
    ))?;
    let list = serde_json::to_string(rowids).unwrap_or_else(|_| "[]".into());
    read(&mut st, rusqlite::params![event_id, list], f)
}

/// The rowids of the experts `ids` (on file, not archived), in the order given; an id not on
/// file is left out.
pub fn rowids_of(c: &Connection, ids: &[String]) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT e.rowid FROM json_each(?1) j JOIN expert e ON e.id = j.value
         WHERE e.archived_at IS NULL ORDER BY j.key",
    )?;
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let rows = st.query_map([list], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn read(st: &mut Statement<'_>, params: impl Params, mut f: impl FnMut(RowRef<'_>)) -> Result<()> {
    let mut rows = st.query(params)?;
    while let Some(r) = rows.next()? {
        let text =
            |i: usize| -> rusqlite::Result<Option<&str>> { Ok(r.get_ref(i)?.as_str_or_null()?) };
        let status = text(14)?.map(SignUpStatus::parse);
        f(RowRef {
            rowid: r.get(0)?,
            id: text(1)?.unwrap_or(""),
            code: text(2)?.unwrap_or(""),
            name: text(3)?.unwrap_or(""),
            gender: text(4)?.unwrap_or(""),
            party: text(5)?.unwrap_or(""),
            organisation: text(6)?.unwrap_or(""),
            title: text(7)?.unwrap_or(""),
            field: text(8)?.unwrap_or(""),
            phone: text(9)?.unwrap_or(""),
            point_id: text(10)?,
            point: text(11)?.unwrap_or(""),
            theme: text(12)?.unwrap_or(""),
            theme_id: text(13)?,
            status,
            checked_in: r.get(15)?,
        });
    }
    Ok(())
}
