//! Service points and their badges and table cards.

use chrono::Utc;
use serde::Serialize;
use tauri::State;
use tongxin_core::service_points::{self, PointForm, SavedPoint};
use tongxin_core::{events, export};

use crate::commands::desk::current_event_id;
use crate::error::{CmdError, CmdResult};
use crate::state::AppState;

#[tauri::command(async)]
pub fn point_save(state: State<'_, AppState>, form: PointForm) -> CmdResult<SavedPoint> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let r = service_points::save(&mut db, &ev, &form, &state.desk(), Utc::now())?;
    state.invalidate_table();
    Ok(r)
}

#[derive(Serialize)]
pub struct BadgesSaved {
    path: String,
    badges: usize,
    unprintable: Vec<export::pdf::Unprintable>,
}

/// The current event's badges — or table cards with `cards` — (one point's when given) as a
/// PDF at `path`.
#[tauri::command(async)]
pub fn badges_save(
    state: State<'_, AppState>,
    point_id: Option<String>,
    path: String,
    cards: Option<bool>,
) -> CmdResult<BadgesSaved> {
    let file = state.chosen_for_writing(&path)?;
    let (name, list) = {
        let db = state.db()?;
        let ev = current_event_id(&db)?;
        let name = tongxin_core::demo::printed_name(&events::get(&db, &ev)?);
        (name, export::badges::badges(&db, &ev, point_id.as_deref())?)
    };
    let bytes = if cards.unwrap_or(false) {
        export::badges::table_cards_pdf(&name, &list)?
    } else {
        export::badges::pdf(&name, &list)?
    };
    export::save(&file, &bytes)?;
    Ok(BadgesSaved {
        path,
        badges: list.len(),
        unprintable: export::badges::unprintable(&list)?,
    })
}

/// The name the badge save dialog proposes.
#[tauri::command(async)]
pub fn badges_file_name(
    state: State<'_, AppState>,
    point: Option<String>,
    cards: Option<bool>,
) -> CmdResult<String> {
    let db = state.db()?;
    let ev = tongxin_core::events::current(&db)?.ok_or_else(CmdError::no_event)?;
    Ok(export::file_name(
        &ev,
        point.as_deref().unwrap_or(&ev.short_name),
        if cards.unwrap_or(false) {
            "桌签"
        } else {
            "胸卡"
        },
        "pdf",
    ))
}
