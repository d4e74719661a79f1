//! Undoing an import as a whole: what it changed is kept with it, and given back in one
//! transaction.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{activities, points};
use crate::{clock, search, store, Db, Desk, Error, Expert, Result, SignUpStatus};

/// What an import changed, kept so that it can be undone as a whole.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct UndoLog {
    pub(super) added_experts: Vec<String>,
    pub(super) added_signups: Vec<String>,
    /// The records as they were before the import changed them.
    pub(super) updated_experts: Vec<Expert>,
    /// (sign-up id, its service point before the import).
    pub(super) moved_signups: Vec<(String, Option<String>)>,
    #[serde(default)]
    pub(super) points: points::PointUndo,
    #[serde(default)]
    pub(super) activities: activities::ActivityUndo,
    /// (sign-up id, its status before the import): moved onto or off a waiting list.
    #[serde(default)]
    pub(super) changed_status: Vec<(String, SignUpStatus)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Undone {
    pub imported_at: String,
    pub summary: String,
    pub removed_experts: usize,
    pub restored_experts: usize,
}

/// Undoes the event's last import as a whole, in one transaction: people it created are
/// removed (refused if any of them has checked in since), records it changed get their earlier
/// values back, sign-ups it moved go back.
pub fn undo_last(db: &mut Db, event_id: &str, desk: &Desk, now: DateTime<Utc>) -> Result<Undone> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let batch = store::import_batch::last_open(&tx, event_id)?.ok_or(Error::NothingToUndo)?;
    let log: UndoLog = serde_json::from_str(&batch.undo).map_err(|_| Error::NothingToUndo)?;
    for id in &log.added_experts {
        if store::expert::has_checkins(&tx, id)? {
            let name = store::expert::get(&tx, id)?
                .map(|e| e.name)
                .unwrap_or_else(|| id.clone());
            return Err(Error::UndoBlockedByCheckIn { name });
        }
    }
    for id in &log.added_signups {
        store::signup::delete(&tx, id)?;
    }
    for id in &log.added_experts {
        store::expert::delete(&tx, id)?;
    }
    for e in &log.updated_experts {
        store::expert::update(&tx, e, &search::stored_keys(&e.name), &at)?;
    }
    for (signup_id, point) in &log.moved_signups {
        store::signup::set_point(&tx, signup_id, point.as_deref(), &at)?;
    }
    for (signup_id, status) in &log.changed_status {
        store::signup::set_status(&tx, signup_id, *status, &at)?;
    }
    points::undo(&tx, &log.points)?;
    activities::undo(&tx, &log.activities)?;
    store::import_batch::mark_undone(&tx, &batch.id, &at)?;
    store::audit::append(
        &tx,
        &at,
        desk,
        "import_undo",
        "event",
        event_id,
        &batch.summary,
    )?;
    tx.commit()?;
    Ok(Undone {
        imported_at: clock::local_datetime(&batch.at),
        summary: batch.summary,
        removed_experts: log.added_experts.len(),
        restored_experts: log.updated_experts.len(),
    })
}
