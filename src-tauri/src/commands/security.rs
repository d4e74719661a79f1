//! 设置 → 数据安全: the database is encrypted, where its key is kept, its recovery key (shown
//! once after it is made, and on request, with a page to print), and backups an earlier version
//! left in the clear — encrypted or deleted on the coordinator's word.

use serde::Serialize;
use tauri::State;
use tongxin_core::backup;
use tongxin_core::db::Opened;

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;

#[derive(Serialize)]
pub struct SecurityStatus {
    /// The database file is encrypted (false only in memory).
    encrypted: bool,
    /// Where the key is kept: `store` (the system's credential store) or `env` (a script's
    /// TONGXIN_DB_KEY).
    key_in: &'static str,
    /// A key made (or a plain database encrypted) at this start, its recovery key not yet
    /// noted: the window shows it now.
    show_recovery: bool,
    /// The plain database of an earlier version was encrypted at this start.
    upgraded: bool,
    /// Backups still in the clear (from an earlier version).
    plain_backups: Vec<backup::BackupFile>,
}

#[tauri::command(async)]
pub fn security_status(state: State<'_, AppState>) -> CmdResult<SecurityStatus> {
    let opened = state.db()?.opened();
    let fresh = matches!(opened, Opened::NewKey | Opened::Encrypted);
    Ok(SecurityStatus {
        encrypted: state.key().is_some(),
        key_in: if std::env::var_os(tongxin_core::keys::ENV).is_some() {
            "env"
        } else {
            "store"
        },
        show_recovery: fresh
            && !state
                .recovery_noted
                .load(std::sync::atomic::Ordering::Relaxed),
        upgraded: opened == Opened::Encrypted,
        plain_backups: backup::plain(&state.backups_dir())?,
    })
}

/// The recovery key, for the coordinator to copy or print.
#[tauri::command(async)]
pub fn recovery_key(state: State<'_, AppState>) -> CmdResult<String> {
    state
        .key()
        .map(|k| k.recovery())
        .ok_or_else(|| CmdError::new("internal", "这个数据库没有加密，没有恢复密钥。"))
}

/// The coordinator noted the recovery key: it is not shown again at this start.
#[tauri::command(async)]
pub fn recovery_key_noted(state: State<'_, AppState>) {
    state
        .recovery_noted
        .store(true, std::sync::atomic::Ordering::Relaxed);
}

#[tauri::command(async)]
pub fn encrypt_plain_backups(state: State<'_, AppState>) -> CmdResult<usize> {
    let db = state.db()?;
    Ok(backup::encrypt_plain(&db, &state.backups_dir())?)
}

#[tauri::command(async)]
pub fn delete_plain_backups(state: State<'_, AppState>) -> CmdResult<usize> {
    Ok(backup::delete_plain(&state.backups_dir())?)
}
