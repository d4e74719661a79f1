//! The year's record in the window: the statistics screen's report, its workbook, and the
//! outcomes of a day's visits.

use chrono::{Datelike, Utc};
use serde::Serialize;
use tauri::State;
use tongxin_core::report::{self, YearReport};
use tongxin_core::{export, outcomes, Outcome, Suggestion, SuggestionStatus};

use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Serialize)]
pub struct YearView {
    /// The years with an event or an activity, newest first (this year when none).
    years: Vec<i32>,
    report: YearReport,
}

#[tauri::command(async)]
pub fn year_report(
    state: State<'_, AppState>,
    year: Option<i32>,
    district: Option<String>,
) -> CmdResult<YearView> {
    let db = state.db()?;
    let mut years = report::years(&db)?;
    if years.is_empty() {
        years.push(Utc::now().year());
    }
    let year = year.unwrap_or(years[0]);
    let report = report::year(&db, year, district.as_deref().filter(|d| !d.is_empty()))?;
    Ok(YearView { years, report })
}

#[tauri::command(async)]
pub fn year_report_save(
    state: State<'_, AppState>,
    year: i32,
    district: Option<String>,
    path: String,
    lang: Option<String>,
) -> CmdResult<String> {
    let file = state.chosen_for_writing(&path)?;
    let r = {
        let db = state.db()?;
        report::year(&db, year, district.as_deref().filter(|d| !d.is_empty()))?
    };
    // The file the dialog chose says which: a PDF report or the workbook.
    let pdf = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let bytes = if pdf {
        let lang = export::year_pdf::Lang::from_code(lang.as_deref().unwrap_or("zh"));
        export::year_pdf::write(&r, lang)?
    } else {
        export::year_xlsx::workbook(&r)?
    };
    export::save(&file, &bytes)?;
    Ok(path)
}

#[tauri::command(async)]
pub fn outcome_set(
    state: State<'_, AppState>,
    point_id: String,
    enterprises: i64,
    people: i64,
) -> CmdResult<Outcome> {
    let mut db = state.db()?;
    Ok(outcomes::set(
        &mut db,
        &point_id,
        enterprises,
        people,
        &state.desk(),
        Utc::now(),
    )?)
}

#[tauri::command(async)]
pub fn outcomes_for_event(state: State<'_, AppState>, event_id: String) -> CmdResult<Vec<Outcome>> {
    let db = state.db()?;
    Ok(outcomes::for_event(&db, &event_id)?)
}

#[tauri::command(async)]
pub fn suggestions_for_point(
    state: State<'_, AppState>,
    point_id: String,
) -> CmdResult<Vec<Suggestion>> {
    let db = state.db()?;
    Ok(outcomes::suggestions(&db, &point_id)?)
}

#[tauri::command(async)]
pub fn suggestion_add(
    state: State<'_, AppState>,
    point_id: String,
    title: String,
    lead_expert_id: Option<String>,
    theme: String,
) -> CmdResult<Suggestion> {
    let mut db = state.db()?;
    Ok(outcomes::suggest(
        &mut db,
        &point_id,
        &title,
        lead_expert_id.as_deref().filter(|s| !s.is_empty()),
        &theme,
        &state.desk(),
        Utc::now(),
    )?)
}

#[tauri::command(async)]
pub fn suggestion_status(state: State<'_, AppState>, id: String, adopted: bool) -> CmdResult<()> {
    let db = state.db()?;
    let status = if adopted {
        SuggestionStatus::Adopted
    } else {
        SuggestionStatus::Submitted
    };
    Ok(outcomes::set_suggestion_status(&db, &id, status)?)
}
