//! Rolling backups with SQLite's online backup API: a consistent copy taken while the desk
//! keeps working, written beside the database in `backups/`, pruned to the last few plus one
//! per day; restore copies a chosen backup into the open database after keeping the current
//! state as a backup of its own.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::store::snapshot;
use crate::{clock, Db, Error, Result};

mod restore;
pub use restore::{restore, restore_with};

/// Automatic backups kept besides one per day.
pub const KEEP_RECENT: usize = 12;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BackupFile {
    pub path: String,
    pub name: String,
    pub bytes: u64,
    /// Shanghai time, from the name.
    pub local_time: String,
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Backup(format!("{what}：{e}"))
}

/// Copies the live database to `dest` page by page (the desk is not blocked for long), into a
/// temporary file renamed at the end so that a half-written backup never looks like one.
pub fn copy_to(db: &Db, dest: &Path) -> Result<()> {
    let tmp = dest.with_extension("db.part");
    let _ = std::fs::remove_file(&tmp);
    if let Err(e) = snapshot::copy_to(db.conn(), &tmp, db.key().map(|k| k.literal()).as_deref()) {
        let _ = std::fs::remove_file(&tmp);
        return Err(match Error::from(e) {
            // A full disk keeps its own code everywhere.
            Error::DiskFull => Error::DiskFull,
            other => failed("备份失败", other),
        });
    }
    std::fs::rename(&tmp, dest).map_err(|e| failed("备份无法保存", e))?;
    // The rename is on disk only once the folder is synced.
    if let Some(dir) = dest.parent() {
        crate::export::sync_dir(dir).map_err(|e| failed("备份无法保存", e))?;
    }
    Ok(())
}

/// A backup now into `dir` (created if needed), named by its local time; then prunes.
pub fn backup_now(db: &Db, dir: &Path, tag: &str, now: DateTime<Utc>) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| failed("无法创建备份文件夹", e))?;
    let stamp = now
        .with_timezone(&clock::shanghai())
        .format("%Y%m%d-%H%M%S");
    let dest = dir.join(format!("tongxin-{stamp}-{tag}.db"));
    copy_to(db, &dest)?;
    prune(dir, KEEP_RECENT)?;
    Ok(dest)
}

/// The backups in `dir`, newest first.
pub fn list(dir: &Path) -> Result<Vec<BackupFile>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<BackupFile> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !(name.starts_with("tongxin-") && name.ends_with(".db")) {
                return None;
            }
            let bytes = e.metadata().ok()?.len();
            // tongxin-20240929-083000-auto.db
            let stamp = name.get(8..23).unwrap_or("");
            let local_time = if stamp.len() == 15 {
                format!(
                    "{}-{}-{} {}:{}:{}",
                    &stamp[0..4],
                    &stamp[4..6],
                    &stamp[6..8],
                    &stamp[9..11],
                    &stamp[11..13],
                    &stamp[13..15]
                )
            } else {
                String::new()
            };
            Some(BackupFile {
                path: e.path().to_string_lossy().into_owned(),
                name,
                bytes,
                local_time,
            })
        })
        .collect();
    out.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(out)
}

/// The backups in `dir` still in the clear (written by an earlier version), newest first.
pub fn plain(dir: &Path) -> Result<Vec<BackupFile>> {
    Ok(list(dir)?
        .into_iter()
        .filter(|b| crate::db::is_plain(Path::new(&b.path)))
        .collect())
}

/// Encrypts the plain backups in `dir` under the database's key, each in place (written,
/// checked, then renamed over the plain file); how many.
pub fn encrypt_plain(db: &Db, dir: &Path) -> Result<usize> {
    let key = db
        .key()
        .ok_or_else(|| Error::Backup("这个数据库没有加密，无法加密它的备份".into()))?;
    let found = plain(dir)?;
    for b in &found {
        crate::db::encrypt_in_place(Path::new(&b.path), key)?;
    }
    Ok(found.len())
}

/// Deletes the plain backups in `dir`; how many. (On an SSD a deleted file's blocks may
/// survive until the drive reuses them: see the README.)
pub fn delete_plain(dir: &Path) -> Result<usize> {
    let found = plain(dir)?;
    for b in &found {
        std::fs::remove_file(&b.path).map_err(|e| failed("无法删除未加密的备份", e))?;
    }
    crate::export::sync_dir(dir).map_err(|e| failed("无法删除未加密的备份", e))?;
    Ok(found.len())
}

/// Keeps the newest `keep` automatic backups and the newest backup of every day; backups made
/// by hand or before a reset/restore are never pruned.
pub fn prune(dir: &Path, keep: usize) -> Result<()> {
    let all = list(dir)?;
    let mut days = std::collections::HashSet::new();
    let mut kept_auto = 0;
    for b in &all {
        let day = b.local_time.get(..10).unwrap_or("").to_string();
        let newest_of_day = days.insert(day);
        if !b.name.ends_with("-auto.db") {
            continue;
        }
        kept_auto += 1;
        if kept_auto > keep && !newest_of_day {
            let _ = std::fs::remove_file(&b.path);
        }
    }
    Ok(())
}

/// The automatic backups of a running desk: when the last one succeeded, or why it failed
/// (the window shows it).
#[derive(Debug, Clone, Default, Serialize)]
pub struct AutoStatus {
    /// Shanghai time, HH:MM.
    pub last_ok: Option<String>,
    pub last_error: Option<String>,
    /// The connection's change counter at the last backup: back up only after changes.
    #[serde(skip)]
    pub changes_seen: i64,
}

impl AutoStatus {
    /// A backup into `dir` if anything changed since the last one (or `force`, on exit).
    pub fn tick(&mut self, db: &Db, dir: &Path, force: bool, now: DateTime<Utc>) {
        self.tick_with(db.total_changes().unwrap_or(0), db, dir, force, now);
    }

    /// Whether a tick with the desk connection's change count `changes` would back up.
    pub fn due(&self, changes: i64, force: bool) -> bool {
        force || changes != self.changes_seen
    }

    /// [`tick`](Self::tick) where `changes` is the desk connection's count of rows changed and
    /// `db` another connection to the same file, which makes the copy (in WAL mode a copy read
    /// through its own connection does not hold up the desk's check-ins while it runs).
    pub fn tick_with(
        &mut self,
        changes: i64,
        db: &Db,
        dir: &Path,
        force: bool,
        now: DateTime<Utc>,
    ) {
        if !self.due(changes, force) {
            return;
        }
        match backup_now(db, dir, "auto", now) {
            Ok(_) => {
                self.last_ok = Some(clock::local_hm(&clock::to_db(now)));
                self.last_error = None;
                self.changes_seen = changes;
            }
            Err(e) => self.last_error = Some(e.to_string()),
        }
    }
}

/// Backups made by hand or before a reset/restore: never pruned, so they pile up over a year.
/// Settings says how many there are and offers [`delete_kept_before`].
pub fn kept(dir: &Path) -> Result<Vec<BackupFile>> {
    Ok(list(dir)?
        .into_iter()
        .filter(|b| !b.name.ends_with("-auto.db"))
        .collect())
}

/// Deletes the kept backups (see [`kept`]) from before `day` (local date, `YYYY-MM-DD`), all
/// but the newest of them, whatever its age; automatic backups are left to [`prune`]. The names
/// of the files deleted.
pub fn delete_kept_before(dir: &Path, day: &str) -> Result<Vec<String>> {
    let mut deleted = Vec::new();
    for b in kept(dir)?.iter().skip(1) {
        if b.local_time.get(..10).is_some_and(|d| d < day) {
            std::fs::remove_file(&b.path).map_err(|e| failed("无法删除旧备份", e))?;
            deleted.push(b.name.clone());
        }
    }
    Ok(deleted)
}

#[cfg(test)]
mod kept_tests {
    use super::*;

    #[test]
    fn a_desk_is_backed_up_after_changes_only_and_a_failure_is_kept_to_be_shown() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("day.db")).unwrap();
        let backups = dir.path().join("backups");
        let mut status = AutoStatus::default();
        crate::demo::load(&mut db, Utc::now()).unwrap();
        status.tick(&db, &backups, false, Utc::now());
        assert_eq!(list(&backups).unwrap().len(), 1);
        assert!(status.last_ok.is_some() && status.last_error.is_none());
        status.tick(
            &db,
            &backups,
            false,
            Utc::now() + chrono::Duration::seconds(5),
        );
        assert_eq!(
            list(&backups).unwrap().len(),
            1,
            "nothing changed: no new backup"
        );
        let blocked = dir.path().join("not-a-folder");
        std::fs::write(&blocked, b"x").unwrap();
        status.tick(&db, &blocked, true, Utc::now());
        assert!(
            status.last_error.is_some(),
            "the failure is kept for the window"
        );
    }

    #[test]
    fn old_backups_made_by_hand_are_deleted_on_request_keeping_the_newest_and_the_automatic() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "tongxin-20240101-090000-manual.db",
            "tongxin-20240301-090000-before-restore.db",
            "tongxin-20240601-090000-manual.db",
            "tongxin-20240101-100000-auto.db",
            "tongxin-20241001-090000-manual.db",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        assert_eq!(kept(dir.path()).unwrap().len(), 4);
        let gone = delete_kept_before(dir.path(), "2024-09-01").unwrap();
        assert_eq!(gone.len(), 3, "{gone:?}");
        let left: Vec<String> = list(dir.path())
            .unwrap()
            .into_iter()
            .map(|b| b.name)
            .collect();
        assert_eq!(
            left,
            [
                "tongxin-20241001-090000-manual.db",
                "tongxin-20240101-100000-auto.db"
            ]
        );
        // The newest kept backup stays, however old.
        let gone = delete_kept_before(dir.path(), "2099-01-01").unwrap();
        assert!(gone.is_empty());
    }

    #[test]
    fn pruning_keeps_the_recent_ones_and_one_per_day() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "tongxin-20240927-100000-auto.db",
            "tongxin-20240928-090000-auto.db",
            "tongxin-20240928-100000-auto.db",
            "tongxin-20240929-080000-auto.db",
            "tongxin-20240929-081000-auto.db",
            "tongxin-20240929-082000-auto.db",
            "tongxin-20240929-083000-manual.db",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        prune(dir.path(), 2).unwrap();
        let left: Vec<String> = list(dir.path())
            .unwrap()
            .into_iter()
            .map(|b| b.name)
            .collect();
        assert_eq!(
            left,
            [
                "tongxin-20240929-083000-manual.db",
                "tongxin-20240929-082000-auto.db",
                "tongxin-20240929-081000-auto.db",
                "tongxin-20240928-100000-auto.db",
                "tongxin-20240927-100000-auto.db",
            ]
        );
    }
}
