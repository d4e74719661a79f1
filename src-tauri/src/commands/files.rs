//! The only files the page can have read or written: those the native dialog — opened here,
//! by Rust — returned. The page asks `pick_file` / `save_file`; the path chosen is remembered
//! and every command that takes a path checks it against what the dialog gave
//! (`AppState::chosen_for_reading` / `chosen_for_writing`), so a script in the page could not
//! name `~/.ssh/` or a program to run even if one got there. "Open folder" opens only
//! folders of files saved that way, or the app's own.
//!
//! `TONGXIN_TEST_DIALOG` (set only by the end-to-end tests when they start the app) names a
//! file holding the path the next dialog returns, since WebDriver cannot drive a native
//! dialog; the path still goes through the same grant.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Filter {
    name: String,
    extensions: Vec<String>,
}

/// The answer the tests left for the next dialog, consumed; `None` when not under test.
fn test_answer() -> Option<Option<PathBuf>> {
    let file = std::env::var_os("TONGXIN_TEST_DIALOG")?;
    let answer = std::fs::read_to_string(&file).ok();
    let _ = std::fs::remove_file(&file);
    Some(
        answer
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .map(PathBuf::from),
    )
}

fn dialog(
    app: &AppHandle,
    title: &str,
    filters: &[Filter],
) -> tauri_plugin_dialog::FileDialogBuilder<tauri::Wry> {
    let mut d = app.dialog().file().set_title(title);
    if let Some(w) = app.get_webview_window("main") {
        d = d.set_parent(&w);
    }
    for f in filters {
        let ext: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
        d = d.add_filter(&f.name, &ext);
    }
    d
}

fn chosen(p: Option<tauri_plugin_dialog::FilePath>) -> Option<PathBuf> {
    p.and_then(|p| p.into_path().ok())
}

/// The native open dialog; the file chosen may then be read by the commands.
#[tauri::command(async)]
pub fn pick_file(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    filters: Vec<Filter>,
) -> CmdResult<Option<String>> {
    let path = match test_answer() {
        Some(answer) => answer,
        None => chosen(dialog(&app, &title, &filters).blocking_pick_file()),
    };
    Ok(path.map(|p| state.grant_read(p)))
}

/// The native save dialog; the file chosen may then be written by the commands.
#[tauri::command(async)]
pub fn save_file(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    default_path: Option<String>,
    filters: Vec<Filter>,
) -> CmdResult<Option<String>> {
    let path = match test_answer() {
        Some(answer) => answer,
        None => {
            let mut d = dialog(&app, &title, &filters);
            if let Some(name) = default_path.as_deref().filter(|n| !n.is_empty()) {
                // A file name only: a folder from the page is not where the dialog starts.
                let name = Path::new(name)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned());
                if let Some(name) = name {
                    d = d.set_file_name(name);
                }
            }
            chosen(d.blocking_save_file())
        }
    };
    Ok(path.map(|p| state.grant_write(p)))
}

/// Said when a command is handed a path the dialog did not return.
pub fn not_chosen(path: &str) -> CmdError {
    CmdError::new(
        "path_not_chosen",
        format!(
            "“{path}”不是在本程序的文件对话框里选择的，已拒绝。请点按钮，在对话框里重新选择文件。"
        ),
    )
}
