//! 同心荟 service stations in the window: the page's list, opening a station, appointing and
//! ending appointments, and the appointment list saved through the dialog.

use chrono::Utc;
use tauri::State;
use tongxin_core::stations::{self, StationForm, StationView};
use tongxin_core::{clock, export, Appointment, Station};

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn stations_list(state: State<'_, AppState>, year: Option<i32>) -> CmdResult<Vec<StationView>> {
    let db = state.db()?;
    let now = Utc::now();
    Ok(stations::list(
        &db,
        year.unwrap_or_else(|| stations::this_year(now)),
        now,
    )?)
}

#[tauri::command(async)]
pub fn station_add(state: State<'_, AppState>, form: StationForm) -> CmdResult<Station> {
    let mut db = state.db()?;
    Ok(stations::add(&mut db, &form, &state.desk(), Utc::now())?)
}

#[tauri::command(async)]
pub fn station_appoint(
    state: State<'_, AppState>,
    station_id: String,
    expert_id: String,
    on: String,
    term_years: i64,
) -> CmdResult<Appointment> {
    let mut db = state.db()?;
    Ok(stations::appoint(
        &mut db,
        &station_id,
        &expert_id,
        &on,
        term_years,
        &state.desk(),
        Utc::now(),
    )?)
}

#[tauri::command(async)]
pub fn appointment_end(state: State<'_, AppState>, appointment_id: String) -> CmdResult<()> {
    let mut db = state.db()?;
    Ok(stations::end(
        &mut db,
        &appointment_id,
        &state.desk(),
        Utc::now(),
    )?)
}

#[tauri::command(async)]
pub fn appointments_save(state: State<'_, AppState>, path: String) -> CmdResult<String> {
    let file = state.chosen_for_writing(&path)?;
    let now = Utc::now();
    let list = {
        let db = state.db()?;
        stations::list(&db, stations::this_year(now), now)?
    };
    let today = now
        .with_timezone(&clock::shanghai())
        .format("%Y-%m-%d")
        .to_string();
    export::save(&file, &export::appointments_xlsx::workbook(&list, &today)?)?;
    Ok(path)
}
