//! The big screen's window (签到大屏) and how it learns what changed. The desk's commands tell
//! it (a check-in with the arrival to welcome, an undo, a walk-in, a move, a merge) as Tauri
//! events addressed to that window only; a write the window did not make — the CLI on the same
//! database, another tool — is seen by watching the database's files (inotify), and the screen
//! resyncs. Nothing polls. The page of that window may call only the commands in `ALLOWED`: it
//! reads, it never writes.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tongxin_core::bigscreen::Shown;
use tongxin_core::Checkpoint;

/// The window's label (its capability and the command guard name it).
pub const LABEL: &str = "bigscreen";

/// What the big screen's page may call.
pub const ALLOWED: &[&str] = &["bigscreen_snapshot", "city_picture"];

/// Where the desk stands (the venue or a service point): the board follows it.
pub struct DeskAt(pub Mutex<Checkpoint>);

impl Default for DeskAt {
    fn default() -> Self {
        DeskAt(Mutex::new(Checkpoint::Main))
    }
}

impl DeskAt {
    pub fn get(&self) -> Checkpoint {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
    pub fn set(&self, c: Checkpoint) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = c;
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// checkin, undo, walkin, move, merge, settings.
    pub kind: &'static str,
    /// A new arrival at the venue: the screen welcomes them.
    pub welcome: bool,
    /// Who to welcome, as the privacy setting allows (None under counts only).
    pub arrival: Option<Shown>,
    /// The check-in undone.
    pub checkin_id: Option<String>,
}

/// Tells the big screen, if it is open, what just changed.
pub fn tell(app: &AppHandle, change: Change) {
    if app.get_webview_window(LABEL).is_some() {
        let _ = app.emit_to(LABEL, "screen-change", change);
    }
}

/// Asks the big screen to read everything again.
pub fn resync(app: &AppHandle) {
    if app.get_webview_window(LABEL).is_some() {
        let _ = app.emit_to(LABEL, "screen-resync", ());
    }
}

/// Keeps the watcher alive while the app runs.
pub struct FileWatch(#[allow(dead_code)] Mutex<Option<notify::RecommendedWatcher>>);

fn ours(db: &Path, changed: &Path) -> bool {
    match (db.file_name(), changed.file_name()) {
        (Some(d), Some(c)) => c.to_string_lossy().starts_with(&*d.to_string_lossy()),
        _ => false,
    }
}

/// Watches the database's folder for writes to the database (and its WAL); after a quiet
/// 150 ms the big screen resyncs. Without inotify (a file system without it) the screen still
/// hears every change made in this window.
pub fn watch(app: AppHandle, db: PathBuf) -> FileWatch {
    let (tx, rx) = mpsc::channel::<()>();
    let db_for_events = db.clone();
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            let write = ev.kind.is_modify() || ev.kind.is_create();
            if write && ev.paths.iter().any(|p| ours(&db_for_events, p)) {
                let _ = tx.send(());
            }
        }
    });
    let watcher = watcher.ok().and_then(|mut w| {
        let dir = db.parent().filter(|d| !d.as_os_str().is_empty())?;
        w.watch(dir, RecursiveMode::NonRecursive).ok()?;
        Some(w)
    });
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Coalesce a burst of writes into one resync.
            while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
            resync(&app);
        }
    });
    FileWatch(Mutex::new(watcher))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_and_its_wal_are_ours_other_files_are_not() {
        let db = Path::new("/data/tongxin.db");
        assert!(ours(db, Path::new("/data/tongxin.db")));
        assert!(ours(db, Path::new("/data/tongxin.db-wal")));
        assert!(!ours(db, Path::new("/data/desk.json")));
        assert!(!ours(db, Path::new("/data/backups")));
    }
}
