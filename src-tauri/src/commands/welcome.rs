//! The first run and 设置 → 关于: the welcome screen's two ways in (the demo day, or our own
//! day), and what the app says about itself (version, data folder, backups, licences).

use chrono::Utc;
use serde::Serialize;
use tauri::State;
use tongxin_core::events::EventForm;
use tongxin_core::{setup, Event};

use crate::error::CmdResult;
use crate::state::AppState;

/// 试用示例: the embedded demo day, on a database that has nothing else in it.
#[tauri::command(async)]
pub fn welcome_demo(state: State<'_, AppState>) -> CmdResult<Event> {
    let event = setup::try_demo(&mut *state.db()?, Utc::now())?;
    state.invalidate_index();
    Ok(event)
}

/// 开始我们的活动: the coordinator's own day (name, date, main venue) becomes the current event.
#[tauri::command(async)]
pub fn welcome_start(state: State<'_, AppState>, form: EventForm) -> CmdResult<Event> {
    let event = setup::start_own_day(&mut *state.db()?, &form, Utc::now())?;
    state.invalidate_index();
    Ok(event)
}

#[derive(Serialize)]
pub struct Licence {
    /// What it covers, e.g. "Noto Sans CJK SC".
    name: &'static str,
    /// What it is used for is said by the page, in either language, from this id.
    id: &'static str,
    licence: &'static str,
    text: &'static str,
}

const LICENCES: &[Licence] = &[
    Licence {
        name: "同心签到 Tongxin",
        id: "app",
        licence: "MIT",
        text: include_str!("../../../assets/LICENSE-MIT.txt"),
    },
    Licence {
        name: "Noto Sans CJK SC",
        id: "noto",
        licence: "SIL Open Font License 1.1",
        text: include_str!("../../../assets/fonts/NotoSansCJK-LICENSE.txt"),
    },
    Licence {
        name: "DejaVu Sans Condensed",
        id: "dejavu",
        licence: "Bitstream Vera / DejaVu",
        text: include_str!("../../../assets/fonts/DejaVu-COPYRIGHT.txt"),
    },
];

#[derive(Serialize)]
pub struct About {
    version: &'static str,
    data_dir: String,
    db_path: String,
    backups_dir: String,
    licences: &'static [Licence],
}

#[tauri::command(async)]
pub fn about(state: State<'_, AppState>) -> CmdResult<About> {
    let db = state.db()?;
    Ok(About {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir.display().to_string(),
        db_path: db
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        backups_dir: state.backups_dir().display().to_string(),
        licences: LICENCES,
    })
}

/// Opens a folder of the app's (the data folder or the backups) in the file manager.
#[tauri::command(async)]
pub fn open_data_folder(state: State<'_, AppState>, which: String) -> CmdResult<()> {
    let dir = match which.as_str() {
        "backups" => state.backups_dir(),
        _ => state.data_dir.clone(),
    };
    std::fs::create_dir_all(&dir).map_err(tongxin_core::Error::from)?;
    crate::commands::export::open_dir(&dir)
}
