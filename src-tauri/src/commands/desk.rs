//! The check-in desk.

use chrono::Utc;
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

#[tauri::command(async)]
pub fn search(
    state: State<'_, AppState>,
    query: String,
    checkpoint: String,
    limit: Option<usize>,
) -> CmdResult<Vec<SearchHit>> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    let limit = limit.unwrap_or(8).min(50);
    let matches = state.with_index(&db, &ev, |i| i.query(&query, limit))?;
    Ok(search::hits(
        &db,
        &ev,
        &Checkpoint::parse(&checkpoint),
        &matches,
    )?)
}

#[tauri::command(async)]
pub fn check_in(
    app: AppHandle,
    state: State<'_, AppState>,
    expert_id: String,
    checkpoint: String,
    method: Method,
) -> CmdResult<CheckInResult> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let r = checkin::check_in(
        &mut db,
        &ev,
        &expert_id,
        &Checkpoint::parse(&checkpoint),
        method,
        &state.desk(),
        Utc::now(),
    )?;
    state.invalidate_table();
    welcome(&app, &db, &ev, &r);
    Ok(r)
}

#[tauri::command(async)]
pub fn check_in_code(
    app: AppHandle,
    state: State<'_, AppState>,
    code: String,
    checkpoint: String,
) -> CmdResult<CheckInResult> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let r = checkin::check_in_by_code(
        &mut db,
        &ev,
        &code,
        &Checkpoint::parse(&checkpoint),
        Method::Scan,
        &state.desk(),
        Utc::now(),
    )?;
    state.invalidate_table();
    welcome(&app, &db, &ev, &r);
    Ok(r)
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
