//! Walk-ins, the roll call per service point, moving people between groups, the audit log.

use chrono::Utc;
use tauri::{AppHandle, State};
use tongxin_core::audit::{self, AuditEntry};
use tongxin_core::rollcall::{self, Moved, RosterRow};
use tongxin_core::walkin::{self, Similar, WalkInForm, WalkInResult};
use tongxin_core::Checkpoint;

use crate::commands::desk::{current_event_id, welcome};
use crate::error::CmdResult;
use crate::screen::{self, Change};
use crate::state::AppState;

#[tauri::command(async)]
pub fn walkin_similar(
    state: State<'_, AppState>,
    name: String,
    phone: String,
) -> CmdResult<Vec<Similar>> {
    let db = state.db()?;
    Ok(walkin::similar(&db, &name, &phone)?)
}

#[tauri::command(async)]
pub fn register_walk_in(
    app: AppHandle,
    state: State<'_, AppState>,
    form: WalkInForm,
    checkpoint: String,
) -> CmdResult<WalkInResult> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let r = walkin::register(
        &mut db,
        &ev,
        &form,
        &Checkpoint::parse(&checkpoint),
        &state.desk(),
        Utc::now(),
    )?;
    if r.created {
        // A new person must be findable at once.
        state.invalidate_index();
    }
    welcome(&app, &db, &ev, &r.result);
    Ok(r)
}

#[tauri::command(async)]
pub fn roster(state: State<'_, AppState>, point_id: String) -> CmdResult<Vec<RosterRow>> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    Ok(rollcall::roster(&db, &ev, &point_id)?)
}

#[tauri::command(async)]
pub fn not_arrived(state: State<'_, AppState>) -> CmdResult<Vec<RosterRow>> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    Ok(rollcall::not_arrived(&db, &ev)?)
}

#[tauri::command(async)]
pub fn not_on_any_bus(state: State<'_, AppState>) -> CmdResult<Vec<RosterRow>> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    Ok(rollcall::not_on_any_bus(&db, &ev)?)
}

#[tauri::command(async)]
pub fn move_expert(
    app: AppHandle,
    state: State<'_, AppState>,
    expert_id: String,
    to_point_id: Option<String>,
    over_capacity: bool,
) -> CmdResult<Moved> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let m = rollcall::move_to_point(
        &mut db,
        &ev,
        &expert_id,
        to_point_id.as_deref(),
        over_capacity,
        &state.desk(),
        Utc::now(),
    )?;
    state.invalidate_table();
    // The city server hears of it at once (in the background, never waited for).
    crate::city::kick(&app);
    screen::tell(
        &app,
        Change {
            kind: "move",
            welcome: false,
            arrival: None,
            checkin_id: None,
        },
    );
    Ok(m)
}

#[tauri::command(async)]
pub fn audit_log(state: State<'_, AppState>, limit: Option<i64>) -> CmdResult<Vec<AuditEntry>> {
    let db = state.db()?;
    Ok(audit::recent(&db, limit.unwrap_or(200).min(2000))?)
}
