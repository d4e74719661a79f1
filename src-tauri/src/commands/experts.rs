//! The experts screen: a window of the experts table at a time, the edit form, merge and
//! removal.

use chrono::Utc;
use serde::Serialize;
use tauri::{AppHandle, State};
use tongxin_core::board::{self, ExpertDetail};
use tongxin_core::directory::{self, Facets, TableQuery, TableRow};
use tongxin_core::experts::{self, ExpertForm, Merged, Removed};
use tongxin_core::Expert;

use crate::commands::desk::current_event_id;
use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Serialize)]
pub struct TablePage {
    total: usize,
    /// Everyone on file (without the filters).
    all: usize,
    offset: usize,
    rows: Vec<TableRow>,
    facets: Option<Facets>,
}

/// A window of the experts table for the query: `offset..offset+limit` of the filtered,
/// searched and sorted rows (with the filters' values when `facets` is asked for).
#[tauri::command]
pub async fn experts_page(
    app: AppHandle,
    query: TableQuery,
    offset: usize,
    limit: usize,
    facets: bool,
) -> CmdResult<TablePage> {
    // Reading the table and building the index take a while with 100,000 experts: not on one
    // of the runtime's workers.
    crate::commands::may_wait(app, move |state| {
        let ev = current_event_id(&*state.db()?)?;
        let hits: Option<Vec<String>> = if query.query.trim().is_empty() {
            None
        } else {
            Some(state.with_index(&ev, |ix| {
                ix.query(&query.query, 100_000)
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect()
            })?)
        };
        let db = state.db()?;
        let mut again = false;
        loop {
            let (page, short) =
                state.with_table(&db, &ev, |t| -> CmdResult<(TablePage, bool)> {
                    let fresh = t.last.as_ref().is_none_or(|(q, _)| q != &query);
                    if fresh {
                        let hits = match &hits {
                            Some(ids) => Some(directory::hit_rowids(&db, ids)?),
                            None => None,
                        };
                        let order = directory::select(&t.rows, hits.as_deref(), &query);
                        t.last = Some((query.clone(), order));
                    }
                    let order = t.last.as_ref().map(|(_, o)| o.as_slice()).unwrap_or(&[]);
                    let window: Vec<usize> = order
                        .iter()
                        .skip(offset)
                        .take(limit.min(500))
                        .copied()
                        .collect();
                    let rows = t.rows.rows(&db, &window)?;
                    let short = rows.len() < window.len();
                    Ok((
                        TablePage {
                            total: order.len(),
                            all: t.rows.len(),
                            offset,
                            rows,
                            facets: facets.then(|| directory::facets(&t.rows)),
                        },
                        short,
                    ))
                })??;
            if !short || again {
                return Ok(page);
            }
            // Someone in the window left the file after the table was read (a write that
            // committed before it said so): the table is read again rather than the rows
            // below them shifted up a place.
            state.invalidate_table();
            again = true;
        }
    })
    .await
}

/// The experts screen was left: the table it read (4 MiB with 100,000 experts) is let go and
/// its memory given back to the system. Read afresh on return (0.4 s with 100,000 experts).
#[tauri::command(async)]
pub fn experts_closed(state: State<'_, AppState>) {
    state.invalidate_table();
    tongxin_trim::give_back();
}

#[tauri::command(async)]
pub fn expert_detail(state: State<'_, AppState>, id: String) -> CmdResult<ExpertDetail> {
    Ok(board::expert_detail(&*state.db()?, &id)?)
}

/// Adds (no id) or edits an expert.
#[tauri::command(async)]
pub fn expert_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: ExpertForm,
) -> CmdResult<Expert> {
    let mut db = state.db()?;
    let e = match id {
        Some(id) => experts::edit(&mut db, &id, &form, &state.desk(), Utc::now())?,
        None => experts::add(&mut db, &form, &state.desk(), Utc::now())?,
    };
    state.invalidate_index();
    Ok(e)
}

#[tauri::command(async)]
pub fn expert_remove(state: State<'_, AppState>, id: String) -> CmdResult<Removed> {
    let mut db = state.db()?;
    let r = experts::remove(&mut db, &id, &state.desk(), Utc::now())?;
    state.invalidate_index();
    Ok(r)
}

#[tauri::command(async)]
pub fn expert_merge(state: State<'_, AppState>, keep: String, other: String) -> CmdResult<Merged> {
    let mut db = state.db()?;
    let m = experts::merge(&mut db, &keep, &other, &state.desk(), Utc::now())?;
    state.invalidate_index();
    Ok(m)
}
