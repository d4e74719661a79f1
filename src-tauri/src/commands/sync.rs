//! Several desks and nothing lost: desk and sub-venue packages written and merged through the
//! native dialogs, the double check-ins to review, backups made, listed and restored.

use chrono::Utc;
use serde::Serialize;
use tauri::{AppHandle, State};
use tongxin_core::package::{self, Flag, MergeReport};
use tongxin_core::{backup, export};

use crate::commands::desk::current_event_id;
use crate::error::CmdResult;
use crate::screen::{self, Change};
use crate::state::AppState;
use tongxin_core::backup::AutoStatus;

#[derive(Serialize)]
pub struct Packed {
    path: String,
    experts: usize,
    checkins: usize,
    revocations: usize,
    sealed: bool,
    /// A sub-venue package's passphrase, shown once.
    passphrase: Option<String>,
}

fn pack(state: &AppState, kind: package::Kind, path: &str, unsealed: bool) -> CmdResult<Packed> {
    let now = Utc::now();
    let sealing = match (unsealed, kind) {
        (true, _) => package::Sealing::Unsealed,
        (false, package::Kind::Desk) => package::Sealing::EventKey,
        (false, package::Kind::Subvenue) => {
            package::Sealing::Passphrase(tongxin_core::seal::new_passphrase()?)
        }
    };
    let file = state.chosen_for_writing(path)?;
    let (p, bytes) = {
        let db = state.db()?;
        let ev = current_event_id(&db)?;
        let p = package::build(&db, &ev, kind, None, &state.desk(), now)?;
        let bytes = package::to_bytes(&db, &p, &sealing)?;
        (p, bytes)
    };
    export::save(&file, &bytes)?;
    Ok(Packed {
        path: path.to_string(),
        experts: p.experts.len(),
        checkins: p.checkins.len(),
        revocations: p.revocations.len(),
        sealed: !matches!(sealing, package::Sealing::Unsealed),
        passphrase: match sealing {
            package::Sealing::Passphrase(phrase) => Some(phrase),
            _ => None,
        },
    })
}

/// This desk's check-ins, revocations and walk-ins for the current event, as a package file:
/// sealed under the event's key, or (on explicit request) unsealed.
#[tauri::command(async)]
pub fn pack_checkins(
    state: State<'_, AppState>,
    path: String,
    unsealed: bool,
) -> CmdResult<Packed> {
    pack(&state, package::Kind::Desk, &path, unsealed)
}

/// The current event's points, experts and sign-ups, to set up a sub-venue's laptop: sealed
/// under a new passphrase, returned once to be shown.
#[tauri::command(async)]
pub fn pack_subvenue(
    state: State<'_, AppState>,
    path: String,
    unsealed: bool,
) -> CmdResult<Packed> {
    pack(&state, package::Kind::Subvenue, &path, unsealed)
}

/// Merges a package; an unsealed or foreign one only with `trust_foreign` (the coordinator
/// confirmed it in the window), a sub-venue package with its passphrase.
#[tauri::command(async)]
pub fn merge_package(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    passphrase: Option<String>,
    trust_foreign: bool,
) -> CmdResult<MergeReport> {
    let unlock = package::Unlock {
        passphrase,
        trust_foreign,
    };
    let file = state.chosen_for_reading(&path)?;
    let now = Utc::now();
    // The desk's scans go between the parts: the database is taken for no file reading.
    let r = package::merge_file(&file, &unlock, &state.desk(), now, || state.db())?;
    state.invalidate_index();
    crate::state::rebuild_index_soon(&app);
    // The city server hears of it at once (in the background, never waited for).
    crate::city::kick(&app);
    screen::tell(
        &app,
        Change {
            kind: "merge",
            welcome: false,
            arrival: None,
            checkin_id: None,
        },
    );
    Ok(r)
}

#[tauri::command(async)]
pub fn review_flags(state: State<'_, AppState>) -> CmdResult<Vec<Flag>> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    Ok(package::flags(&db, &ev)?)
}

#[derive(Serialize)]
pub struct Backups {
    dir: String,
    files: Vec<backup::BackupFile>,
    status: AutoStatus,
    /// Proposed names for the package save dialogs.
    desk_package_name: String,
    subvenue_package_name: String,
    /// Backups made by hand or before a reset/restore (never pruned): how many, how large,
    /// how many of them older than [`KEPT_DAYS`] days.
    kept: usize,
    kept_bytes: u64,
    kept_old: usize,
}

/// Kept backups older than this are offered for deletion.
const KEPT_DAYS: i64 = 30;

fn kept_cutoff() -> String {
    (Utc::now() - chrono::Duration::days(KEPT_DAYS))
        .with_timezone(&tongxin_core::clock::shanghai())
        .format("%Y-%m-%d")
        .to_string()
}

#[tauri::command(async)]
pub fn backups(state: State<'_, AppState>) -> CmdResult<Backups> {
    let dir = state.backups_dir();
    let status = state.backup.lock().map(|s| s.clone()).unwrap_or_default();
    let (desk_package_name, subvenue_package_name) = {
        let db = state.db()?;
        let ev = tongxin_core::events::current(&db)?;
        let stamp = Utc::now()
            .with_timezone(&tongxin_core::clock::shanghai())
            .format("%H%M");
        let short = ev.map(|e| e.short_name).unwrap_or_default();
        (
            format!("{short}_{}_签到数据_{stamp}.txpack", state.desk().name),
            format!("{short}_分会场数据.txpack"),
        )
    };
    let kept = backup::kept(&dir)?;
    let cutoff = kept_cutoff();
    Ok(Backups {
        dir: dir.display().to_string(),
        files: backup::list(&dir)?,
        status,
        desk_package_name,
        subvenue_package_name,
        kept_bytes: kept.iter().map(|b| b.bytes).sum(),
        // The newest is never deleted.
        kept_old: kept
            .iter()
            .skip(1)
            .filter(|b| b.local_time.get(..10).is_some_and(|d| d < cutoff.as_str()))
            .count(),
        kept: kept.len(),
    })
}

/// Deletes backups made by hand or before a reset/restore that are over 30 days old (the
/// newest of them stays); how many were deleted.
#[tauri::command(async)]
pub fn delete_old_backups(state: State<'_, AppState>) -> CmdResult<usize> {
    Ok(backup::delete_kept_before(&state.backups_dir(), &kept_cutoff())?.len())
}

#[tauri::command(async)]
pub fn backup_now(state: State<'_, AppState>) -> CmdResult<String> {
    let db = state.db()?;
    let p = backup::backup_now(&db, &state.backups_dir(), "manual", Utc::now())?;
    Ok(p.display().to_string())
}

/// Restores a backup; the current content is backed up first (its path is returned).
#[tauri::command(async)]
pub fn restore_backup(
    state: State<'_, AppState>,
    path: String,
    recovery_key: Option<String>,
) -> CmdResult<String> {
    let file = state.restorable(&path)?;
    // Another laptop's backup opens with that laptop's recovery key (the window asks for it
    // when this database's key does not open the file).
    let recovery = recovery_key
        .as_deref()
        .map(tongxin_core::keys::DbKey::from_recovery)
        .transpose()?;
    let kept = {
        let mut db = state.db()?;
        backup::restore_with(
            &mut db,
            &file,
            &state.backups_dir(),
            Utc::now(),
            recovery.as_ref(),
        )?
    };
    state.invalidate_index();
    Ok(kept.display().to_string())
}
