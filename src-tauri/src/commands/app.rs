//! The app as a whole: which database, which event, which desk; reset and empty start.

use chrono::Utc;
use serde::Serialize;
use tauri::State;
use tongxin_core::setup::{self, Fresh};
use tongxin_core::{demo, events, experts, service_points, Desk, Event, ServicePoint, Theme};

use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    db_path: String,
    desk: Desk,
    events: Vec<Event>,
    current_event: Option<Event>,
    points: Vec<ServicePoint>,
    themes: Vec<Theme>,
    experts: i64,
    /// Nothing set up yet: the window shows the welcome screen.
    first_run: bool,
    /// The current event is the embedded demo day (marked on every screen).
    is_demo: bool,
    /// This laptop's clock reads earlier than a check-in it holds: said on the header.
    clock_warning: Option<String>,
}

#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    let db = state.db()?;
    let current = events::current(&db)?;
    let points = match &current {
        Some(e) => service_points::list(&db, &e.id)?,
        None => Vec::new(),
    };
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        db_path: db
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        desk: state.desk(),
        events: events::list(&db)?,
        first_run: setup::first_run(&db)?,
        is_demo: current.as_ref().is_some_and(|e| demo::is_demo(&e.id)),
        current_event: current,
        points,
        themes: service_points::themes(&db)?,
        experts: experts::count(&db)?,
        clock_warning: tongxin_core::checkin::clock_warning(&db, Utc::now())?,
    })
}

#[tauri::command(async)]
pub fn set_current_event(state: State<'_, AppState>, event_id: String) -> CmdResult<Event> {
    let db = state.db()?;
    let e = events::set_current(&db, &event_id)?;
    state.invalidate_index();
    Ok(e)
}

#[derive(Serialize)]
pub struct ResetResult {
    backup: String,
}

/// Empties the database (then loads the demo day, or not) after backing it up.
fn start_over(state: &AppState, fresh: Fresh) -> CmdResult<ResetResult> {
    let kept = {
        let mut db = state.db()?;
        setup::start_over(&mut db, &state.backups_dir(), fresh, Utc::now())?
    };
    state.invalidate_index();
    Ok(ResetResult {
        backup: kept.display().to_string(),
    })
}

#[tauri::command(async)]
pub fn reset_to_demo(state: State<'_, AppState>) -> CmdResult<ResetResult> {
    start_over(&state, Fresh::Demo)
}

#[tauri::command(async)]
pub fn start_empty(state: State<'_, AppState>) -> CmdResult<ResetResult> {
    start_over(&state, Fresh::Empty)
}

/// The page has drawn its first screen. With `TONGXIN_STARTUP_PROBE=FILE` (the cold-start
/// measurement, tests/bench/cold_start.sh) the moment goes to FILE, in nanoseconds since the
/// epoch, and the app quits; otherwise nothing happens.
#[tauri::command]
pub fn first_screen_drawn(app: tauri::AppHandle) {
    let Some(file) = std::env::var_os("TONGXIN_STARTUP_PROBE") else {
        return;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let _ = std::fs::write(file, now.to_string());
    app.exit(0);
}

/// Renames this laptop's desk (kept in desk.json).
#[tauri::command(async)]
pub fn rename_desk(state: State<'_, AppState>, name: String) -> CmdResult<Desk> {
    state.rename_desk(&name)
}
