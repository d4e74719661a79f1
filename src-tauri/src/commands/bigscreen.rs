//! The big screen from the desk: open it (fullscreen on the display chosen, or as a preview
//! window with one display) and close it, its settings (privacy, board), where the desk stands;
//! and the one command its own page calls: the snapshot it draws.

use serde::Serialize;
use tauri::{AppHandle, Manager, State, WebviewUrl, WebviewWindowBuilder};
use tongxin_core::bigscreen::{self, Settings, Snapshot};
use tongxin_core::Checkpoint;

use super::desk::current_event_id;
use crate::error::{CmdError, CmdResult};
use crate::screen::{self, DeskAt};
use crate::state::AppState;

#[tauri::command(async)]
pub fn bigscreen_snapshot(
    state: State<'_, AppState>,
    desk: State<'_, DeskAt>,
) -> CmdResult<Snapshot> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    Ok(bigscreen::snapshot(&db, &ev, &desk.get())?)
}

#[derive(Serialize)]
pub struct Monitor {
    index: usize,
    name: String,
    width: u32,
    height: u32,
    /// The display the desk's window is on.
    desk: bool,
}

#[derive(Serialize)]
pub struct ScreenView {
    settings: Settings,
    monitors: Vec<Monitor>,
    open: bool,
}

fn monitors(app: &AppHandle) -> Vec<(tauri::Monitor, bool)> {
    let here = app
        .get_webview_window("main")
        .and_then(|w| w.current_monitor().ok().flatten());
    app.available_monitors()
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            let desk = here
                .as_ref()
                .is_some_and(|h| h.position() == m.position() && h.size() == m.size());
            (m, desk)
        })
        .collect()
}

#[tauri::command(async)]
pub fn bigscreen_settings(app: AppHandle, state: State<'_, AppState>) -> CmdResult<ScreenView> {
    let db = state.db()?;
    Ok(ScreenView {
        settings: bigscreen::settings(&db)?,
        monitors: monitors(&app)
            .into_iter()
            .enumerate()
            .map(|(index, (m, desk))| Monitor {
                index,
                name: m
                    .name()
                    .cloned()
                    .unwrap_or_else(|| format!("{}", index + 1)),
                width: m.size().width,
                height: m.size().height,
                desk,
            })
            .collect(),
        open: app.get_webview_window(screen::LABEL).is_some(),
    })
}

#[tauri::command(async)]
pub fn bigscreen_set(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> CmdResult<()> {
    {
        let db = state.db()?;
        bigscreen::set_settings(&db, settings)?;
    }
    screen::resync(&app);
    Ok(())
}

/// The desk moved to another checkpoint (the venue, a service point's roll call).
#[tauri::command(async)]
pub fn bigscreen_follow(
    app: AppHandle,
    desk: State<'_, DeskAt>,
    checkpoint: String,
) -> CmdResult<()> {
    desk.set(Checkpoint::parse(&checkpoint));
    screen::resync(&app);
    Ok(())
}

/// Opens the big screen, or closes it when open; true when it is now open. On the display
/// `monitor` (by default the first that is not the desk's), fullscreen; with one display, a
/// window to preview it. The desk keeps the keyboard.
#[tauri::command(async)]
pub fn bigscreen_toggle(app: AppHandle, monitor: Option<usize>) -> CmdResult<bool> {
    if let Some(w) = app.get_webview_window(screen::LABEL) {
        w.close()
            .map_err(|e| CmdError::new("window", e.to_string()))?;
        return Ok(false);
    }
    let all = monitors(&app);
    let target = match monitor {
        Some(i) => all.get(i),
        None => all.iter().find(|(_, desk)| !desk),
    }
    .filter(|_| all.len() > 1);
    let mut b = WebviewWindowBuilder::new(
        &app,
        screen::LABEL,
        WebviewUrl::App("bigscreen.html".into()),
    )
    .title("同心签到 · 大屏")
    .focused(false);
    b = match target {
        Some((m, _)) => {
            let scale = m.scale_factor();
            let p = m.position().to_logical::<f64>(scale);
            let s = m.size().to_logical::<f64>(scale);
            b.position(p.x, p.y)
                .inner_size(s.width, s.height)
                .decorations(false)
        }
        None => b.inner_size(1280.0, 720.0),
    };
    let w = b
        .build()
        .map_err(|e| CmdError::new("window", format!("无法打开大屏窗口：{e}")))?;
    if target.is_some() {
        let _ = w.set_fullscreen(true);
    }
    if let Some(main) = app.get_webview_window("main") {
        let _ = main.set_focus();
    }
    Ok(true)
}
