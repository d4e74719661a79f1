//! The Tauri shell: opens the database, keeps the state, registers the commands. Every
//! command is a few lines over tongxin-core.

mod city;
mod commands;
mod error;
pub mod fonts;
#[cfg(target_os = "linux")]
mod keytap;
mod screen;
mod serial;
mod state;

use std::path::PathBuf;

use tauri::Manager;
use tongxin_core::Db;

use crate::state::AppState;

/// `TONGXIN_DB` selects another database file (tests, a USB stick); otherwise the app keeps
/// `tongxin.db` in the platform's app-data folder.
fn database_path(app: &tauri::App) -> Result<(PathBuf, PathBuf), Box<dyn std::error::Error>> {
    if let Ok(p) = std::env::var("TONGXIN_DB") {
        let p = PathBuf::from(p);
        let dir = p
            .parent()
            .map(|d| d.to_path_buf())
            .unwrap_or_else(|| PathBuf::from("."));
        return Ok((p, dir));
    }
    let dir = app.path().app_data_dir()?;
    std::fs::create_dir_all(&dir)?;
    Ok((dir.join("tongxin.db"), dir))
}

/// The database cannot be opened (another window has it, it comes from a newer version, it is
/// not a database): say so in a dialog, in both languages, and stop without touching it.
fn refuse(app: &tauri::App, e: &tongxin_core::Error) -> ! {
    use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
    let english = match e.code() {
        "already_open" => "Tongxin is already open on this database in another window.",
        "db_too_new" => {
            "This database comes from a newer version of Tongxin. Install the new version to \
             open it; the file has not been changed."
        }
        _ => "Tongxin cannot open its database; the file has not been changed.",
    };
    let message = format!("{e}\n\n{english}");
    app.dialog()
        .message(&message)
        .title("同心签到 Tongxin")
        .kind(MessageDialogKind::Warning)
        .blocking_show();
    eprintln!("{message}");
    std::process::exit(2);
}

fn open_state(app: &tauri::App) -> Result<(AppState, PathBuf), Box<dyn std::error::Error>> {
    let (path, dir) = database_path(app)?;
    let lock = match tongxin_core::db::lock(&path) {
        Ok(l) => l,
        Err(e) => refuse(app, &e),
    };
    let mut db = match Db::open(&path) {
        Ok(db) => db,
        Err(e) => refuse(app, &e),
    };
    // Fault injection for the end-to-end tests (debug builds only; the installed app has no
    // such hook): the database may grow by only this many pages, then reports a full disk.
    #[cfg(debug_assertions)]
    if let Some(extra) = std::env::var("TONGXIN_FAULT_MAX_PAGES_EXTRA")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
    {
        db.limit_growth(extra)?;
    }
    // First start: the window shows the welcome screen (try the demo, or start our own day).
    // `TONGXIN_DEMO=1` (the README's run command, the tests) opens straight on the demo day.
    let open_on_demo = std::env::var("TONGXIN_DEMO").is_ok_and(|v| v == "1");
    tongxin_core::setup::on_start(&mut db, open_on_demo, chrono::Utc::now())?;
    let desk = tongxin_core::desk::load(&dir, std::env::var("TONGXIN_DESK").ok().as_deref());
    Ok((AppState::new(db, desk, dir, lock), path))
}

pub fn run() {
    let commands: Box<dyn Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync> =
        Box::new(tauri::generate_handler![
            commands::app::app_info,
            commands::app::set_current_event,
            commands::app::reset_to_demo,
            commands::app::start_empty,
            commands::app::first_screen_drawn,
            commands::welcome::welcome_demo,
            commands::welcome::welcome_start,
            commands::welcome::about,
            commands::welcome::open_data_folder,
            commands::desk::search,
            commands::desk::check_in,
            commands::desk::check_in_code,
            commands::desk::undo_check_in,
            commands::desk::attendance,
            commands::rollcall::walkin_similar,
            commands::rollcall::register_walk_in,
            commands::rollcall::roster,
            commands::rollcall::not_arrived,
            commands::rollcall::not_on_any_bus,
            commands::rollcall::move_expert,
            commands::rollcall::audit_log,
            commands::import::import_preview,
            commands::import::import_commit,
            commands::import::save_import_report,
            commands::import::undo_last_import,
            commands::export::export_choices,
            commands::export::export_preview,
            commands::export::export_sheet,
            commands::export::summary_file_name,
            commands::export::export_summary,
            commands::export::open_folder,
            commands::files::pick_file,
            commands::files::save_file,
            commands::sync::pack_checkins,
            commands::sync::pack_subvenue,
            commands::sync::merge_package,
            commands::sync::review_flags,
            commands::sync::backups,
            commands::sync::backup_now,
            commands::sync::delete_old_backups,
            commands::sync::restore_backup,
            commands::app::rename_desk,
            commands::scanner::serial_ports,
            commands::scanner::serial_status,
            commands::scanner::serial_use,
            commands::experts::experts_page,
            commands::experts::experts_closed,
            commands::experts::expert_detail,
            commands::experts::expert_save,
            commands::experts::expert_remove,
            commands::experts::expert_merge,
            commands::signups::signup_board,
            commands::signups::signup_add,
            commands::signups::signup_cancel,
            commands::signups::signup_move_many,
            commands::signups::signup_suggestions,
            commands::signups::signup_apply_suggestions,
            commands::points::point_save,
            commands::events::event_create,
            commands::year::year_report,
            commands::year::year_report_save,
            commands::year::outcome_set,
            commands::year::outcomes_for_event,
            commands::year::suggestions_for_point,
            commands::year::suggestion_add,
            commands::year::suggestion_status,
            commands::bigscreen::bigscreen_snapshot,
            commands::bigscreen::bigscreen_settings,
            commands::bigscreen::bigscreen_set,
            commands::bigscreen::bigscreen_follow,
            commands::bigscreen::bigscreen_toggle,
            commands::stations::stations_list,
            commands::stations::station_add,
            commands::stations::station_appoint,
            commands::stations::appointment_end,
            commands::stations::appointments_save,
            commands::points::badges_save,
            commands::points::badges_file_name,
            commands::city::city_settings,
            commands::city::city_set,
            commands::city::city_sync_now,
            commands::city::city_picture,
            commands::security::security_status,
            commands::erasure::expert_erase,
            commands::security::recovery_key,
            commands::security::recovery_key_noted,
            commands::security::encrypt_plain_backups,
            commands::security::delete_plain_backups,
        ]);
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let (state, db_path) = open_state(app)?;
            app.manage(screen::DeskAt::default());
            app.manage(screen::watch(app.handle().clone(), db_path.clone()));
            city::start(app.handle(), db_path, state.key().cloned());
            // A scanner in serial mode chosen earlier is read again from the start.
            let port = state
                .db()
                .ok()
                .and_then(|db| tongxin_core::scanner::serial_port(&db).ok().flatten());
            app.manage(state);
            let link = serial::SerialLink::default();
            if port.is_some() {
                link.switch(app.handle(), port);
            }
            app.manage(link);
            #[cfg(target_os = "linux")]
            if let Some(w) = app.get_webview_window("main") {
                keytap::install(&w);
            }
            start_backups(app.handle().clone());
            Ok(())
        })
        .invoke_handler(move |invoke| {
            // The big screen's page reads; anything else it asks for is refused here.
            if invoke.message.webview_ref().label() == screen::LABEL
                && !screen::ALLOWED.contains(&invoke.message.command())
            {
                invoke.resolver.reject(error::CmdError::new(
                    "screen_read_only",
                    "大屏窗口只能显示，不能修改数据。",
                ));
                return true;
            }
            commands(invoke)
        })
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|handle, event| {
            // Closing the window: one last backup if anything changed since the previous one.
            if let tauri::RunEvent::Exit = event {
                if let Some(state) = handle.try_state::<AppState>() {
                    state.auto_backup(false);
                }
            }
        }),
        Err(e) => {
            eprintln!("同心签到无法启动：{e}");
            std::process::exit(1);
        }
    }
}

/// Automatic backups while the app runs: every few minutes, when something changed
/// (`TONGXIN_BACKUP_SECS` shortens the interval for tests).
fn start_backups(handle: tauri::AppHandle) {
    let secs = std::env::var("TONGXIN_BACKUP_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(180)
        .max(1);
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(secs));
        if let Some(state) = handle.try_state::<AppState>() {
            state.auto_backup(false);
        }
    });
}
