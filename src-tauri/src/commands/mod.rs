pub mod app;
pub mod bigscreen;
pub mod city;
pub mod desk;
pub mod erasure;
pub mod events;
pub mod experts;
pub mod export;
pub mod files;
pub mod import;
pub mod points;
pub mod rollcall;
pub mod scanner;
pub mod security;
pub mod signups;
pub mod stations;
pub mod sync;
pub mod welcome;
pub mod year;

use tauri::{AppHandle, Manager};

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;

/// Runs a command that may wait — for the search index being built after a merge or an import
/// (over a second with 100,000 experts) — on a thread of its own. A plain `async` command runs
/// on one of the runtime's few workers (one per core): two searches waiting there for the index
/// held up a badge's check-in behind them for a second.
pub(crate) async fn may_wait<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|_| CmdError::new("internal", "内部错误：查询未能完成，请重试。"))?
}
