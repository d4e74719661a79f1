//! The people whose personal information was erased, and scrubbing what other tables still
//! say of them.

use rusqlite::{params, Connection};

use super::CachedSql;
use crate::Result;

/// From now on what this connection frees is overwritten in the file, not only unlinked.
pub fn overwrite_freed(c: &Connection) -> Result<()> {
    c.execute_batch("PRAGMA secure_delete = ON;")?;
    Ok(())
}

pub fn insert(c: &Connection, expert_id: &str, at: &str) -> Result<()> {
    c.execute(
        "INSERT OR IGNORE INTO erased (expert_id, erased_at) VALUES (?1, ?2)",
        params![expert_id, at],
    )?;
    Ok(())
}

pub fn contains(c: &Connection, expert_id: &str) -> Result<bool> {
    Ok(c.query_row_cached(
        "SELECT EXISTS (SELECT 1 FROM erased WHERE expert_id = ?1)",
        [expert_id],
        |r| r.get(0),
    )?)
}

/// Replaces `text` with `with` in the audit lines about the person `expert_id` — their record,
/// their sign-ups, their check-ins and the revocations of those — and nowhere else: another
/// person whose name contains theirs (王伟 in 王伟明) keeps every line as it was.
pub fn scrub_audit(c: &Connection, expert_id: &str, text: &str, with: &str) -> Result<()> {
    c.execute(
        "UPDATE audit SET detail = replace(detail, ?2, ?3)
          WHERE instr(detail, ?2) > 0
            AND (entity_id = ?1
                 OR entity_id IN (SELECT id FROM signup WHERE expert_id = ?1)
                 OR entity_id IN (SELECT id FROM checkin WHERE expert_id = ?1)
                 OR entity_id IN (SELECT r.id FROM revocation r
                                  JOIN checkin k ON k.id = r.checkin_id WHERE k.expert_id = ?1))",
        params![expert_id, text, with],
    )?;
    Ok(())
}

/// Replaces the exact JSON member `member` (`"name":"王伟"`) with `with` where a record is
/// written out whole: an import's undo record, a row set aside from the city server.
pub fn scrub_records(c: &Connection, member: &str, with: &str) -> Result<()> {
    for sql in [
        "UPDATE import_batch SET undo = replace(undo, ?1, ?2) WHERE instr(undo, ?1) > 0",
        "UPDATE central_parked SET body = replace(body, ?1, ?2) WHERE instr(body, ?1) > 0",
    ] {
        c.execute(sql, params![member, with])?;
    }
    Ok(())
}

/// The experts merged into `survivor` (archived, the same person).
pub fn merged_into(c: &Connection, survivor: &str) -> Result<Vec<String>> {
    let mut st = c.prepare_cached("SELECT id FROM expert WHERE merged_into = ?1")?;
    let ids = st
        .query_map([survivor], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// Dates the erased record `at`, so that it goes to the city server again as the newest edit.
pub fn touch(c: &Connection, expert_id: &str, at: &str) -> Result<()> {
    c.execute(
        "UPDATE expert SET updated_at = ?2 WHERE id = ?1",
        params![expert_id, at],
    )?;
    Ok(())
}
