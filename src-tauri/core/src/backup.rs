//! Rolling backups with SQLite's online backup API: a consistent copy taken while the desk
//! keeps working, written beside the database in `backups/`, pruned to the last few plus one
//! per day; restore copies a chosen backup into the open database after keeping the current
//! state as a backup of its own.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{backup::Backup, Connection, OpenFlags};
use serde::Serialize;

use crate::{clock, Db, Error, Result};

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
    let run = || -> rusqlite::Result<()> {
        let mut out = Connection::open(&tmp)?;
        let b = Backup::new(db.conn(), &mut out)?;
        b.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
        Ok(())
    };
    if let Err(e) = run() {
        let _ = std::fs::remove_file(&tmp);
        return Err(match Error::from(e) {
            Error::DiskFull => Error::Backup("磁盘已满，备份没有写成".into()),
            other => failed("备份失败", other),
        });
    }
    std::fs::rename(&tmp, dest).map_err(|e| failed("备份无法保存", e))
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

/// Checks that `path` is a Tongxin database this program can open, without changing it.
pub fn check(path: &Path) -> Result<()> {
    let bad = |why: &str| Error::Backup(format!("{} 不能用于恢复：{why}", path.display()));
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| bad("无法打开"))?;
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| bad("不是数据库文件"))?;
    if ok != "ok" {
        return Err(bad("文件已损坏"));
    }
    let ours: bool = c
        .query_row(
            "SELECT count(*) = 3 FROM sqlite_master WHERE name IN ('event', 'checkin', 'expert')",
            [],
            |r| r.get(0),
        )
        .map_err(|_| bad("不是同心签到的数据库"))?;
    if !ours {
        return Err(bad("不是同心签到的数据库"));
    }
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > crate::db::SCHEMA_VERSION {
        return Err(bad("来自更新版本的同心签到"));
    }
    Ok(())
}

/// Replaces the open database's content with the backup at `from`, after backing up the
/// current content into `dir` (its path is returned). The schema is brought up to date after.
pub fn restore(db: &mut Db, from: &Path, dir: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    check(from)?;
    let kept = backup_now(db, dir, "before-restore", now)?;
    let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    {
        let b = Backup::new(&src, db.conn_mut())?;
        b.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
    }
    db.upgrade()?;
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

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
