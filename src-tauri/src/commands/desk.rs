//! The check-in desk.

use chrono::Utc;
use serde::Serialize;
use tauri::{AppHandle, State};
use tongxin_core::attendance::Attendance;
use tongxin_core::bigscreen;
use tongxin_core::checkin::CheckInResult;
use tongxin_core::search::SearchHit;
use tongxin_core::{attendance, checkin, events, search, CheckIn, Checkpoint, Db, Method};

use crate::error::{CmdError, CmdResult};
use crate::screen::{self, Change};
use crate::state::AppState;

pub(crate) fn current_event_id(db: &Db) -> CmdResult<String> {
    events::current(db)?
        .map(|e| e.id)
        .ok_or_else(CmdError::no_event)
}

/// Tells the big screen of a check-in: a new arrival at the venue is welcomed by name.
pub(crate) fn welcome(app: &AppHandle, db: &Db, event_id: &str, r: &CheckInResult) {
    let welcome = r.outcome != checkin::Outcome::Duplicate && r.checkin.point_id.is_none();
    let arrival = if welcome {
        bigscreen::arrival(db, event_id, &r.checkin.id)
            .ok()
            .flatten()
    } else {
        None
    };
    // The city server hears of it at once (in the background, never waited for).
    crate::city::kick(app);
    screen::tell(
        app,
        Change {
            kind: "checkin",
            welcome,
            arrival,
            checkin_id: Some(r.checkin.id.clone()),
        },
    );
}

/// A check-in as the desk gets it: what happened, and the counts that include it (实到 / 应到,
/// the groups, the latest check-ins), read in the same command so that the side panel is drawn
/// with the confirmation instead of one more round trip later. No counts if they could not be
/// read: the check-in is on disk all the same, and the desk asks for them again.
#[derive(Serialize)]
pub struct DeskCheckIn {
    #[serde(flatten)]
    result: CheckInResult,
    attendance: Option<Attendance>,
}

fn with_counts(
    db: &Db,
    event_id: &str,
    checkpoint: &Checkpoint,
    result: CheckInResult,
) -> DeskCheckIn {
    DeskCheckIn {
        attendance: attendance::attendance(db, event_id, checkpoint).ok(),
        result,
    }
}

#[tauri::command]
pub async fn search(
    app: AppHandle,
    query: String,
    checkpoint: String,
    limit: Option<usize>,
) -> CmdResult<Vec<SearchHit>> {
    super::may_wait(app, move |state| {
        // Not holding the database while the index is looked up (or built, after a merge): a
        // badge scanned meanwhile goes straight through.
        let ev = current_event_id(&*state.db()?)?;
        let limit = limit.unwrap_or(8).min(50);
        let matches = state.with_index(&ev, |i| i.query(&query, limit))?;
        let db = state.db()?;
        Ok(search::hits(
            &db,
            &ev,
            &Checkpoint::parse(&checkpoint),
            &matches,
        )?)
    })
    .await
}

#[tauri::command(async)]
pub fn check_in(
    app: AppHandle,
    state: State<'_, AppState>,
    expert_id: String,
    checkpoint: String,
    method: Method,
) -> CmdResult<DeskCheckIn> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let checkpoint = Checkpoint::parse(&checkpoint);
    let r = checkin::check_in(
        &mut db,
        &ev,
        &expert_id,
        &checkpoint,
        method,
        &state.desk(),
        Utc::now(),
    )?;
    state.invalidate_table();
    welcome(&app, &db, &ev, &r);
    Ok(with_counts(&db, &ev, &checkpoint, r))
}

#[tauri::command(async)]
pub fn check_in_code(
    app: AppHandle,
    state: State<'_, AppState>,
    code: String,
    checkpoint: String,
) -> CmdResult<DeskCheckIn> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let checkpoint = Checkpoint::parse(&checkpoint);
    let r = checkin::check_in_by_code(
        &mut db,
        &ev,
        &code,
        &checkpoint,
        Method::Scan,
        &state.desk(),
        Utc::now(),
    )?;
    state.invalidate_table();
    welcome(&app, &db, &ev, &r);
    Ok(with_counts(&db, &ev, &checkpoint, r))
}

#[tauri::command(async)]
pub fn undo_check_in(
    app: AppHandle,
    state: State<'_, AppState>,
    checkin_id: String,
    reason: String,
) -> CmdResult<CheckIn> {
    let mut db = state.db()?;
    let r = checkin::revoke(&mut db, &checkin_id, &reason, &state.desk(), Utc::now())?;
    state.invalidate_table();
    // The city server hears of it at once (in the background, never waited for).
    crate::city::kick(&app);
    screen::tell(
        &app,
        Change {
            kind: "undo",
            welcome: false,
            arrival: None,
            checkin_id: Some(checkin_id),
        },
    );
    Ok(r)
}

#[tauri::command(async)]
pub fn attendance(state: State<'_, AppState>, checkpoint: String) -> CmdResult<Attendance> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    Ok(attendance::attendance(
        &db,
        &ev,
        &Checkpoint::parse(&checkpoint),
    )?)
}
