//! New events: another day, or a district sub-venue.

use chrono::Utc;
use serde::Serialize;
use tauri::State;
use tongxin_core::events::{self, EventForm};
use tongxin_core::Event;

use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Serialize)]
pub struct Created {
    event: Event,
    copied_points: usize,
}

#[tauri::command(async)]
pub fn event_create(
    state: State<'_, AppState>,
    form: EventForm,
    copy_points_from: Option<String>,
) -> CmdResult<Created> {
    let mut db = state.db()?;
    let (event, copied_points) =
        events::create(&mut db, &form, copy_points_from.as_deref(), Utc::now())?;
    Ok(Created {
        event,
        copied_points,
    })
}
