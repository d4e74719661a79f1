//! The sign-up board: points with their people and waiting lists, moves, cancellations and
//! suggestions.

use chrono::Utc;
use serde::Serialize;
use tauri::State;
use tongxin_core::board::{self, Board};
use tongxin_core::rollcall::{self};
use tongxin_core::signups::{self, Promoted, SignedUp, Suggestion};

use crate::commands::desk::current_event_id;
use crate::error::{CmdError, CmdResult};
use crate::state::AppState;

/// The sign-up board: each service point with its people and waiting list.
#[tauri::command(async)]
pub fn signup_board(state: State<'_, AppState>) -> CmdResult<Board> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    Ok(board::board(&db, &ev)?)
}

#[tauri::command(async)]
pub fn signup_add(
    state: State<'_, AppState>,
    expert_id: String,
    point_id: Option<String>,
) -> CmdResult<SignedUp> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let r = signups::sign_up(
        &mut db,
        &ev,
        &expert_id,
        point_id.as_deref(),
        &state.desk(),
        Utc::now(),
    )?;
    state.invalidate_table();
    Ok(r)
}

#[tauri::command(async)]
pub fn signup_cancel(state: State<'_, AppState>, expert_id: String) -> CmdResult<Vec<Promoted>> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let r = signups::cancel(&mut db, &ev, &expert_id, &state.desk(), Utc::now())?;
    state.invalidate_table();
    Ok(r)
}

#[derive(Serialize)]
pub struct BulkMove {
    moved: usize,
    promoted: Vec<Promoted>,
}

/// Moves several experts to a point (or to none), all or nothing per expert: a full point
/// stops the batch with its message unless `over_capacity` is confirmed.
#[tauri::command(async)]
pub fn signup_move_many(
    state: State<'_, AppState>,
    expert_ids: Vec<String>,
    to_point_id: Option<String>,
    over_capacity: bool,
) -> CmdResult<BulkMove> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let mut out = BulkMove {
        moved: 0,
        promoted: Vec::new(),
    };
    for id in &expert_ids {
        let m = rollcall::move_to_point(
            &mut db,
            &ev,
            id,
            to_point_id.as_deref(),
            over_capacity,
            &state.desk(),
            Utc::now(),
        );
        match m {
            Ok(m) => {
                out.moved += 1;
                out.promoted.extend(m.promoted);
            }
            Err(e) => {
                state.invalidate_table();
                return Err(CmdError::from(e));
            }
        }
    }
    state.invalidate_table();
    Ok(out)
}

#[tauri::command(async)]
pub fn signup_suggestions(state: State<'_, AppState>) -> CmdResult<Vec<Suggestion>> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    Ok(signups::suggest(&db, &ev)?)
}

/// Applies the suggestions as they are now (recomputed, so nobody lands on a full point).
#[tauri::command(async)]
pub fn signup_apply_suggestions(state: State<'_, AppState>) -> CmdResult<usize> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let list = signups::apply_suggestions(&mut db, &ev, &state.desk(), Utc::now())?;
    state.invalidate_table();
    Ok(list.len())
}
