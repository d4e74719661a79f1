//! The experts screen (read-only list for now; editing comes with data management).

use serde::Serialize;
use tauri::State;
use tongxin_core::{mask_phone, store};

use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Serialize)]
pub struct ExpertRow {
    id: String,
    code: String,
    name: String,
    gender: String,
    party: String,
    organisation: String,
    title: String,
    field: String,
    phone_masked: String,
}

#[tauri::command(async)]
pub fn list_experts(state: State<'_, AppState>) -> CmdResult<Vec<ExpertRow>> {
    let db = state.db()?;
    Ok(store::expert::list(db.conn())?
        .into_iter()
        .map(|e| ExpertRow {
            phone_masked: mask_phone(&e.phone),
            id: e.id,
            code: e.code,
            name: e.name,
            gender: e.gender,
            party: e.party,
            organisation: e.organisation,
            title: e.title,
            field: e.field,
        })
        .collect())
}
