//! Checking experts in and undoing it. Every write is one transaction that commits (with
//! synchronous=FULL) before the caller is told "done", so what the screen confirms is on disk.

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use crate::model::Assignment;
use crate::store::{self, checkin::NewRevocation};
use crate::{clock, CheckIn, Checkpoint, Db, Desk, Error, Expert, Method, Result};

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A new check-in was written.
    Recorded,
    /// The expert was already checked in here; nothing was written.
    Duplicate,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckInResult {
    pub outcome: Outcome,
    /// The new record, or the earlier one for a duplicate.
    pub checkin: CheckIn,
    pub expert: Expert,
    pub assignment: Assignment,
}

pub fn assignment(db: &Db, event_id: &str, expert_id: &str) -> Result<Assignment> {
    store::signup::assignment(db.conn(), event_id, expert_id)
}

/// Checks the expert in at the checkpoint. A second check-in at the same checkpoint writes
/// nothing and returns the first one as a `Duplicate`.
pub fn check_in(
    db: &mut Db,
    event_id: &str,
    expert_id: &str,
    checkpoint: &Checkpoint,
    method: Method,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<CheckInResult> {
    let tx = db.conn_mut().transaction()?;
    let r = check_in_tx(&tx, event_id, expert_id, checkpoint, method, desk, now)?;
    tx.commit()?;
    Ok(r)
}

/// The check-in itself, inside the caller's transaction: one read, at most one write.
pub(crate) fn check_in_tx(
    tx: &crate::store::Conn,
    event_id: &str,
    expert_id: &str,
    checkpoint: &Checkpoint,
    method: Method,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<CheckInResult> {
    // A record merged into another is that person (an old badge, a stale search hit); one
    // archived without a merge is no one to check in.
    let expert_id = &store::expert::resolve(tx, expert_id)?;
    if store::expert::is_archived(tx, expert_id)? {
        let e = store::expert::get(tx, expert_id)?
            .ok_or_else(|| Error::ExpertNotFound(expert_id.to_string()))?;
        return Err(Error::ExpertArchived {
            name: e.name,
            code: e.code,
        });
    }
    let point_id = checkpoint.point_id();
    let view = store::checkin::desk_view(tx, event_id, expert_id, point_id)?;
    if !view.event_exists {
        return Err(Error::EventNotFound(event_id.to_string()));
    }
    let expert = view
        .expert
        .ok_or_else(|| Error::ExpertNotFound(expert_id.to_string()))?;
    if let Some(pid) = point_id {
        if view.point_event_id.as_deref() != Some(event_id) {
            return Err(Error::PointNotFound(pid.to_string()));
        }
    }
    if let Some(existing) = view.active {
        return Ok(CheckInResult {
            outcome: Outcome::Duplicate,
            checkin: existing,
            expert,
            assignment: view.assignment,
        });
    }
    let at = clock::to_db(now);
    let ci = CheckIn {
        id: store::new_id(),
        event_id: event_id.to_string(),
        expert_id: expert_id.to_string(),
        point_id: point_id.map(str::to_string),
        local_time: clock::local_hm(&at),
        at,
        desk_id: desk.id.clone(),
        desk_name: desk.name.clone(),
        method,
        revoked_at: None,
        revoke_reason: None,
    };
    // The check-in row is its own audit record (who, when, which desk, how): the audit log
    // shows it from there, so the hot path writes one row.
    store::checkin::insert(tx, &ci)?;
    Ok(CheckInResult {
        outcome: Outcome::Recorded,
        checkin: ci,
        expert,
        assignment: view.assignment,
    })
}

/// What a badge's QR code holds: this prefix and the expert's code (`TX:E-0042`). The prefix
/// lets the desk tell a scan from typing; a bare code is accepted too.
pub const QR_PREFIX: &str = "TX:";

pub fn qr_payload(code: &str) -> String {
    format!("{QR_PREFIX}{code}")
}

/// The expert code inside what a scanner typed: `TX:E-0042`, `tx：e-0042` (a Chinese input
/// method may turn the colon full-width), or a bare `E-0042`.
pub fn code_from_scan(scanned: &str) -> String {
    let s = crate::pinyin::normalise(scanned);
    // A layout or an IME may turn the colon into "：" or ";".
    let s = s.replace(['：', ';', '；'], ":");
    let code = s.strip_prefix("tx:").unwrap_or(&s);
    code.to_uppercase()
}

/// Every check-in of the event at the checkpoint, revoked ones included, oldest first.
pub fn list(db: &Db, event_id: &str, checkpoint: &Checkpoint) -> Result<Vec<CheckIn>> {
    store::checkin::for_checkpoint(db.conn(), event_id, checkpoint.point_id())
}

/// What the desk says, on its header and at start, when its own clock reads earlier than a
/// check-in it already holds (a laptop reset to 2009, a clock turned back): its check-ins would
/// be stamped wrong. `None` while the clock is plausible. (A clock running fast cannot be told
/// here; the laptop that merges its package names it.)
pub fn clock_warning(db: &Db, now: DateTime<Utc>) -> Result<Option<String>> {
    let Some(latest) = store::package::latest_checkin_at(db.conn())? else {
        return Ok(None);
    };
    let Some(t) = clock::from_db(&latest) else {
        return Ok(None);
    };
    Ok((now + chrono::Duration::minutes(10) < t).then(|| {
        format!(
            "本机时钟现在是 {}，比本机已有的签到记录（{}）还早：系统时间可能被调回过。请先把电脑的日期和时间校准，再继续签到，否则签到时间会记错。",
            clock::local_datetime(&clock::to_db(now)),
            clock::local_datetime(&latest)
        )
    }))
}

/// Checks in the expert whose code a scanner (or a person) typed.
pub fn check_in_by_code(
    db: &mut Db,
    event_id: &str,
    code: &str,
    checkpoint: &Checkpoint,
    method: Method,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<CheckInResult> {
    let code = code_from_scan(code);
    let expert = store::expert::by_code(db.conn(), &code)?
        .ok_or_else(|| Error::ExpertNotFound(code.clone()))?;
    check_in(db, event_id, &expert.id, checkpoint, method, desk, now)
}

/// Undoes a check-in by recording a revocation (who, when, why). Nothing is deleted.
pub fn revoke(
    db: &mut Db,
    checkin_id: &str,
    reason: &str,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<CheckIn> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::ReasonRequired);
    }
    let tx = db.conn_mut().transaction()?;
    let ci = store::checkin::get(&tx, checkin_id)?
        .ok_or_else(|| Error::CheckinNotFound(checkin_id.to_string()))?;
    if let Some(at) = ci.revoked_at {
        return Err(Error::AlreadyRevoked {
            at: clock::local_datetime(&at),
        });
    }
    let at = clock::to_db(now);
    store::checkin::insert_revocation(
        &tx,
        &NewRevocation {
            id: &store::new_id(),
            checkin_id,
            at: &at,
            desk_id: &desk.id,
            desk_name: &desk.name,
            reason,
        },
    )?;
    store::audit::append(&tx, &at, desk, "revoke", "checkin", checkin_id, reason)?;
    tx.commit()?;
    store::checkin::get(db.conn(), checkin_id)?
        .ok_or_else(|| Error::CheckinNotFound(checkin_id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::{at, demo, desk};

    #[test]
    fn a_second_check_in_writes_nothing_and_reports_the_first() {
        let mut db = demo();
        let e = store::expert::by_code(db.conn(), "E-0050")
            .unwrap()
            .unwrap();
        let first = check_in(
            &mut db,
            "2024-jinshan",
            &e.id,
            &Checkpoint::Main,
            Method::Search,
            &desk(),
            at(9, 12),
        )
        .unwrap();
        let again = check_in(
            &mut db,
            "2024-jinshan",
            &e.id,
            &Checkpoint::Main,
            Method::Scan,
            &desk(),
            at(9, 20),
        )
        .unwrap();
        assert_eq!(again.outcome, Outcome::Duplicate);
        assert_eq!(again.checkin.id, first.checkin.id);
        assert_eq!(again.checkin.local_time, "09:12");
        let n = store::checkin::for_checkpoint(db.conn(), "2024-jinshan", None)
            .unwrap()
            .into_iter()
            .filter(|c| c.expert_id == e.id)
            .count();
        assert_eq!(n, 1);
    }

    #[test]
    fn undo_keeps_the_record_and_allows_a_new_check_in() {
        let mut db = demo();
        let r = check_in_by_code(
            &mut db,
            "2024-jinshan",
            "e-0051",
            &Checkpoint::Main,
            Method::Scan,
            &desk(),
            at(9, 0),
        )
        .unwrap();
        assert!(matches!(
            revoke(&mut db, &r.checkin.id, "  ", &desk(), at(9, 1)),
            Err(Error::ReasonRequired)
        ));
        let revoked = revoke(&mut db, &r.checkin.id, "认错人", &desk(), at(9, 1)).unwrap();
        assert_eq!(revoked.revoke_reason.as_deref(), Some("认错人"));
        assert!(matches!(
            revoke(&mut db, &r.checkin.id, "again", &desk(), at(9, 2)),
            Err(Error::AlreadyRevoked { .. })
        ));
        let again = check_in_by_code(
            &mut db,
            "2024-jinshan",
            "E-0051",
            &Checkpoint::Main,
            Method::Scan,
            &desk(),
            at(9, 3),
        )
        .unwrap();
        assert_eq!(again.outcome, Outcome::Recorded);
        let all = store::checkin::for_checkpoint(db.conn(), "2024-jinshan", None).unwrap();
        assert!(all
            .iter()
            .any(|c| c.id == r.checkin.id && c.revoked_at.is_some()));
        let audit = store::audit::recent(db.conn(), 10).unwrap();
        assert!(audit
            .iter()
            .any(|a| a.action == "revoke" && a.detail == "认错人"));
    }

    #[test]
    fn a_scan_is_read_with_or_without_its_prefix_and_under_an_ime() {
        assert_eq!(code_from_scan("TX:E-0042"), "E-0042");
        assert_eq!(code_from_scan("tx：e-0042"), "E-0042");
        assert_eq!(code_from_scan(" E-0042 "), "E-0042");
        assert_eq!(code_from_scan("tx;e-0042"), "E-0042");
        assert_eq!(code_from_scan("ＴＸ:Ｅ-００４２"), "E-0042");
        assert_eq!(qr_payload("E-0042"), "TX:E-0042");
    }

    #[test]
    fn the_confirmation_knows_the_group_and_the_bus() {
        let mut db = demo();
        let s = store::signup::for_event(db.conn(), "2024-jinshan")
            .unwrap()
            .into_iter()
            .find(|s| s.point_id.as_deref() == Some("2024-jinshan-p2"))
            .unwrap();
        let r = check_in(
            &mut db,
            "2024-jinshan",
            &s.expert_id,
            &Checkpoint::Main,
            Method::Search,
            &desk(),
            at(9, 5),
        )
        .unwrap();
        assert_eq!(r.assignment.theme_name.as_deref(), Some("新材料"));
        assert_eq!(r.assignment.bus.as_deref(), Some("2号车"));
        assert_eq!(r.assignment.depart_time.as_deref(), Some("13:00"));
    }

    #[test]
    fn checking_in_at_a_point_of_another_event_is_refused() {
        let mut db = demo();
        let e = store::expert::by_code(db.conn(), "E-0001")
            .unwrap()
            .unwrap();
        let err = check_in(
            &mut db,
            "2024-jinshan",
            &e.id,
            &Checkpoint::Point("nowhere".into()),
            Method::Search,
            &desk(),
            at(13, 0),
        )
        .unwrap_err();
        assert_eq!(err.code(), "point_not_found");
    }
}
