//! 专家 → 删除个人信息 (PIPL art. 47): a person's details erased on request, their counts kept.

use chrono::Utc;
use tauri::{AppHandle, State};
use tongxin_core::erasure::{self, Erased};

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn expert_erase(app: AppHandle, state: State<'_, AppState>, id: String) -> CmdResult<Erased> {
    let done = {
        let mut db = state.db()?;
        erasure::erase(&mut db, &id, &state.desk(), Utc::now())?
    };
    // Searches, the table and the other desks (through the city server) follow at once.
    state.invalidate_index();
    crate::state::rebuild_index_soon(&app);
    crate::city::kick(&app);
    Ok(done)
}
