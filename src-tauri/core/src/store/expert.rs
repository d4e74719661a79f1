use super::CachedSql;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::{Expert, Result};

const COLS: &str = "id, code, name, gender, party, organisation, title, field, phone, notes";

fn from_row(r: &Row) -> rusqlite::Result<Expert> {
    Ok(Expert {
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
    })
}

pub fn insert(c: &Connection, e: &Expert, search_keys: &str, now: &str) -> Result<()> {
    c.execute_cached(
        "INSERT INTO expert (id, code, name, gender, party, organisation, title, field, phone,
                             notes, search_keys, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
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
            now
        ],
    )?;
    Ok(())
}

/// Inserts many new experts (each with its search keys) in as few statements as it can. Inside
/// a transaction only: a failing row rolls the whole transaction back.
pub fn insert_many(c: &Connection, rows: &[(&Expert, String)], now: &str) -> Result<()> {
    super::insert_many(
        c,
        "expert (id, code, name, gender, party, organisation, title, field, phone, notes,
                 search_keys, created_at, updated_at)",
        rows,
        now,
        |(e, keys)| {
            [
                &e.id,
                &e.code,
                &e.name,
                &e.gender,
                &e.party,
                &e.organisation,
                &e.title,
                &e.field,
                &e.phone,
                &e.notes,
                keys,
            ]
        },
    )
}

/// Everyone not archived, by code.
pub fn list(c: &Connection) -> Result<Vec<Expert>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM expert WHERE archived_at IS NULL ORDER BY code"
    ))?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(c: &Connection, id: &str) -> Result<Option<Expert>> {
    Ok(c.query_row_cached(
        &format!("SELECT {COLS} FROM expert WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?)
}

pub fn by_code(c: &Connection, code: &str) -> Result<Option<Expert>> {
    Ok(c.query_row_cached(
        &format!("SELECT {COLS} FROM expert WHERE code = ?1 COLLATE NOCASE"),
        [code],
        from_row,
    )
    .optional()?)
}

pub fn count(c: &Connection) -> Result<i64> {
    Ok(c.query_row_cached(
        "SELECT count(*) FROM expert WHERE archived_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// Everyone (archived included) with exactly this phone.
pub fn by_phone(c: &Connection, phone: &str) -> Result<Vec<Expert>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM expert WHERE phone = ?1 AND phone != '' ORDER BY archived_at IS NOT NULL, code"
    ))?;
    let rows = st.query_map([phone], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Everyone not archived with exactly this name.
pub fn by_name(c: &Connection, name: &str) -> Result<Vec<Expert>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM expert WHERE name = ?1 AND archived_at IS NULL ORDER BY code"
    ))?;
    let rows = st.query_map([name], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The number after "E-" of the highest code of that form (0 when there is none).
pub fn max_code_number(c: &Connection) -> Result<i64> {
    Ok(c.query_row_cached(
        "SELECT coalesce(max(CAST(substr(code, 3) AS INTEGER)), 0) FROM expert
         WHERE code LIKE 'E-%' AND substr(code, 3) GLOB '[0-9]*'",
        [],
        |r| r.get(0),
    )?)
}

pub fn update(c: &Connection, e: &Expert, search_keys: &str, now: &str) -> Result<()> {
    c.execute_cached(
        "UPDATE expert SET name = ?2, gender = ?3, party = ?4, organisation = ?5, title = ?6,
                field = ?7, phone = ?8, notes = ?9, search_keys = ?10, updated_at = ?11
         WHERE id = ?1",
        params![
            e.id,
            e.name,
            e.gender,
            e.party,
            e.organisation,
            e.title,
            e.field,
            e.phone,
            e.notes,
            search_keys,
            now
        ],
    )?;
    Ok(())
}

/// Everyone, archived included (the importer matches against all of them).
pub fn list_all(c: &Connection) -> Result<Vec<Expert>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM expert"))?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Removes an expert created by an import that is being undone (only without check-ins).
pub fn delete(c: &Connection, id: &str) -> Result<()> {
    c.execute_cached("DELETE FROM expert WHERE id = ?1", [id])?;
    Ok(())
}

/// Whether the expert has a history that must be kept: a check-in, a ledger activity, an
/// appointment to a station or a suggestion they led.
pub fn has_checkins(c: &Connection, id: &str) -> Result<bool> {
    Ok(c.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM checkin WHERE expert_id = ?1)
             OR EXISTS (SELECT 1 FROM activity_expert WHERE expert_id = ?1)
             OR EXISTS (SELECT 1 FROM appointment WHERE expert_id = ?1)
             OR EXISTS (SELECT 1 FROM suggestion WHERE lead_expert_id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

pub fn archive(c: &Connection, id: &str, merged_into: Option<&str>, now: &str) -> Result<()> {
    c.execute_cached(
        "UPDATE expert SET archived_at = ?2, merged_into = ?3, updated_at = ?2 WHERE id = ?1",
        params![id, now, merged_into],
    )?;
    Ok(())
}

/// The record a merged-away id now stands for (itself when not merged).
pub fn resolve(c: &Connection, id: &str) -> Result<String> {
    let mut id = id.to_string();
    // A chain of merges is short; the bound guards against a (corrupt) cycle.
    for _ in 0..8 {
        let next: Option<String> = c
            .query_row_cached("SELECT merged_into FROM expert WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        match next {
            Some(n) => id = n,
            None => break,
        }
    }
    Ok(id)
}

/// Moves everything of `from` to `to`: check-ins and sign-ups (the caller decides which
/// sign-ups stay live first).
pub fn reassign(c: &Connection, from: &str, to: &str) -> Result<(usize, usize)> {
    let checkins = c.execute_cached(
        "UPDATE checkin SET expert_id = ?2 WHERE expert_id = ?1",
        params![from, to],
    )?;
    let signups = c.execute_cached(
        "UPDATE signup SET expert_id = ?2 WHERE expert_id = ?1",
        params![from, to],
    )?;
    // The year's record follows the person too.
    c.execute_cached(
        "INSERT OR IGNORE INTO activity_expert (activity_id, expert_id)
         SELECT activity_id, ?2 FROM activity_expert WHERE expert_id = ?1",
        params![from, to],
    )?;
    c.execute_cached("DELETE FROM activity_expert WHERE expert_id = ?1", [from])?;
    c.execute_cached(
        "UPDATE OR IGNORE appointment SET expert_id = ?2 WHERE expert_id = ?1",
        params![from, to],
    )?;
    c.execute_cached("DELETE FROM appointment WHERE expert_id = ?1", [from])?;
    c.execute_cached(
        "UPDATE suggestion SET lead_expert_id = ?2 WHERE lead_expert_id = ?1",
        params![from, to],
    )?;
    Ok((checkins, signups))
}

pub fn is_archived(c: &Connection, id: &str) -> Result<bool> {
    Ok(c.query_row_cached(
        "SELECT archived_at IS NOT NULL FROM expert WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .unwrap_or(false))
}
