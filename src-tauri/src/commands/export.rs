//! The export screen: the checkpoints to choose from, a preview of the sheet (which the window
//! can also print), the file written where the native save dialog said, the folder opened.

use std::path::Path;

use serde::Serialize;
use tauri::State;
use tongxin_core::export::{self, AttendanceSheet, FileFormat, Scope, SheetKind, SheetOptions};
use tongxin_core::{events, service_points, Db, Event};

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;

#[derive(Serialize)]
pub struct Choice {
    /// As `Scope::parse` reads it: main, all, theme:ID, a point id.
    value: String,
    label: String,
    group: &'static str,
}

#[derive(Serialize)]
pub struct ExportChoices {
    event_id: String,
    events: Vec<Event>,
    checkpoints: Vec<Choice>,
}

/// The event asked for, or the current one.
fn event(db: &Db, event_id: Option<String>) -> CmdResult<Event> {
    match event_id {
        Some(id) => Ok(events::get(db, &id)?),
        None => events::current(db)?.ok_or_else(CmdError::no_event),
    }
}

#[tauri::command(async)]
pub fn export_choices(
    state: State<'_, AppState>,
    event_id: Option<String>,
) -> CmdResult<ExportChoices> {
    let db = state.db()?;
    let ev = event(&db, event_id)?;
    let points = service_points::list(&db, &ev.id)?;
    let themes = service_points::themes(&db)?;
    let mut checkpoints = vec![
        Choice {
            value: "main".into(),
            label: ev.short_name.clone(),
            group: "venue",
        },
        Choice {
            value: "all".into(),
            label: String::new(),
            group: "all",
        },
    ];
    checkpoints.extend(points.iter().map(|p| Choice {
        value: p.id.clone(),
        label: p.name.clone(),
        group: "point",
    }));
    checkpoints.extend(
        themes
            .iter()
            .filter(|t| points.iter().any(|p| p.theme_id.as_ref() == Some(&t.id)))
            .map(|t| Choice {
                value: format!("theme:{}", t.id),
                label: t.name.clone(),
                group: "theme",
            }),
    );
    Ok(ExportChoices {
        event_id: ev.id,
        events: events::list(&db)?,
        checkpoints,
    })
}

fn sheets_for(
    state: &AppState,
    event_id: Option<String>,
    options: &SheetOptions,
) -> CmdResult<(Event, Vec<AttendanceSheet>)> {
    let db = state.db()?;
    let ev = event(&db, event_id)?;
    let sheets = export::sheets(&db, &ev.id, options)?;
    Ok((ev, sheets))
}

#[derive(Serialize)]
pub struct SheetPreview {
    sheets: Vec<AttendanceSheet>,
    headers: Vec<&'static str>,
    /// What the save dialog proposes, per format.
    file_names: std::collections::BTreeMap<&'static str, String>,
}

#[tauri::command(async)]
pub fn export_preview(
    state: State<'_, AppState>,
    event_id: Option<String>,
    options: SheetOptions,
) -> CmdResult<SheetPreview> {
    let (ev, sheets) = sheets_for(&state, event_id, &options)?;
    let checkpoint = match &options.scope {
        Scope::All => "全部服务点位".to_string(),
        _ => sheets
            .first()
            .map(|s| s.checkpoint.replace(" · ", "_"))
            .unwrap_or_default(),
    };
    let what = match options.kind {
        SheetKind::Blank => "签到表",
        SheetKind::Record => "签到记录",
    };
    let file_names = [FileFormat::Xlsx, FileFormat::Pdf, FileFormat::Csv]
        .into_iter()
        .map(|f| {
            (
                f.extension(),
                export::file_name(&ev, &checkpoint, what, f.extension()),
            )
        })
        .collect();
    Ok(SheetPreview {
        headers: sheets.first().map(|s| s.headers()).unwrap_or_default(),
        sheets,
        file_names,
    })
}

#[derive(Serialize)]
pub struct Saved {
    path: String,
    bytes: usize,
    /// Names with characters the PDF could not print (spelt as code points there).
    unprintable: Vec<export::pdf::Unprintable>,
}

#[tauri::command(async)]
pub fn export_sheet(
    state: State<'_, AppState>,
    event_id: Option<String>,
    options: SheetOptions,
    format: FileFormat,
    path: String,
) -> CmdResult<Saved> {
    let file = state.chosen_for_writing(&path)?;
    // Read under the database lock, render and write without it.
    let (_, sheets) = sheets_for(&state, event_id, &options)?;
    let bytes = export::render(&sheets, format)?;
    export::save(&file, &bytes)?;
    let unprintable = match format {
        FileFormat::Pdf => export::unprintable(&sheets)?,
        _ => Vec::new(),
    };
    Ok(Saved {
        path,
        bytes: bytes.len(),
        unprintable,
    })
}

#[tauri::command(async)]
pub fn summary_file_name(
    state: State<'_, AppState>,
    event_id: Option<String>,
) -> CmdResult<String> {
    let db = state.db()?;
    let ev = event(&db, event_id)?;
    Ok(export::file_name(&ev, &ev.short_name, "签到汇总", "xlsx"))
}

#[tauri::command(async)]
pub fn export_summary(
    state: State<'_, AppState>,
    event_id: Option<String>,
    path: String,
) -> CmdResult<Saved> {
    let file = state.chosen_for_writing(&path)?;
    let summary = {
        let db = state.db()?;
        let ev = event(&db, event_id)?;
        export::summary::summary(&db, &ev.id)?
    };
    let bytes = export::summary::write_xlsx(&summary)?;
    export::save(&file, &bytes)?;
    Ok(Saved {
        path,
        bytes: bytes.len(),
        unprintable: Vec::new(),
    })
}

/// Opens the folder holding `path` — a file saved through the dialog — in the system's file
/// manager; any other path is refused (the opener would run a program on Windows).
#[tauri::command(async)]
pub fn open_folder(state: State<'_, AppState>, path: String) -> CmdResult<()> {
    open_dir(&state.saved_folder(&path)?)
}

/// Opens `dir` in the platform's file manager.
pub fn open_dir(dir: &Path) -> CmdResult<()> {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut cmd = std::process::Command::new(program);
    crate::fonts::for_child(&mut cmd);
    cmd.arg(dir).spawn().map(|_| ()).map_err(|e| {
        CmdError::new(
            "open_folder",
            format!("无法打开文件夹 {}：{e}", dir.display()),
        )
    })
}
