//! Restoring a chosen backup: the file is read, never trusted — refused unless it is a sound
//! Tongxin database this version can read, its rows copied into a fresh schema, and only then
//! copied over the open database.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::backup_now;
use crate::keys::DbKey;
use crate::store::schema::{self, Side};
use crate::store::{snapshot, Conn, SqlError};
use crate::{db, Db, Error, Refusal, Result};

/// Replaces the open database's content with the backup at `from`, after backing up the
/// current content into `dir` (its path is returned).
///
/// Nothing of the file but its rows reaches the live database: the file is read through a
/// read-only attach and refused unless it is a sound Tongxin database of this version or an
/// older one, with no trigger or view this version never creates (a trigger in a backup could
/// make every later check-in vanish); its rows, in the columns its version has, are copied into
/// a fresh schema of that version and migrated up from there. Only then is the current content
/// backed up and the fresh database copied over the open one with the backup API, in one write
/// transaction, so that the open connection (and the desk's `Db`) stays valid. A refused file
/// leaves the live database and the backup folder as they were.
pub fn restore(db: &mut Db, from: &Path, dir: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    restore_with(db, from, dir, now, None)
}

/// [`restore`] of a backup that may be under another laptop's key: opened with this database's
/// key, else with `recovery` (the other laptop's recovery key), else as an unencrypted backup
/// of an earlier version. A backup none of these opens asks for its recovery key
/// (`Error::RestoreNeedsKey`); its content is then encrypted under this database's key.
pub fn restore_with(
    db: &mut Db,
    from: &Path,
    dir: &Path,
    now: DateTime<Utc>,
    recovery: Option<&DbKey>,
) -> Result<PathBuf> {
    let page_size = schema::page_size(db.conn())?;
    std::fs::create_dir_all(dir).map_err(|e| Error::Backup(format!("无法创建备份文件夹：{e}")))?;
    // The rows are gathered in a file keyed like the live one (the backup API copies pages,
    // and encrypted pages only between files keyed alike), removed at the end either way.
    let scratch = dir.join(".restoring.db");
    let fresh = prepare(from, page_size, db.key(), recovery, &scratch);
    let done = fresh.and_then(|fresh| {
        let kept = backup_now(db, dir, "before-restore", now)?;
        // All pages in one step: one write transaction, so a restore cut short leaves the
        // day as it was.
        if !snapshot::overwrite(&fresh, db.conn_mut())? {
            return Err(Error::Busy);
        }
        Ok(kept)
    });
    for side in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", scratch.display()));
    }
    let kept = done?;
    // Whatever the connection kept of the content it had is no longer true of this one (a
    // backup from another laptop can stand at the very same sign-up stamp with another list).
    db.forget_kept();
    // The fresh copy is at this version already; this keeps the one place that refuses newer.
    db.upgrade()?;
    Ok(kept)
}

/// Attaches the backup under the first key that opens it: this database's, the recovery key
/// given, none (an unencrypted backup of an earlier version).
fn attach(c: &Conn, from: &Path, key: Option<&DbKey>, recovery: Option<&DbKey>) -> Result<()> {
    let uri = read_only_uri(from);
    let plain = crate::db::is_plain(from);
    let tries: Vec<Option<&DbKey>> = if plain {
        vec![None]
    } else {
        key.into_iter().chain(recovery).map(Some).collect()
    };
    for k in tries {
        match schema::attach_backup(c, &uri, k.map(|k| k.literal()).as_deref()) {
            Ok(()) => return Ok(()),
            Err(e) if matches!(snapshot::refusal(&e), Some(Refusal::NotADatabase)) => {
                let _ = schema::detach_backup(c);
            }
            Err(e) => return Err(reading(from)(e)),
        }
    }
    // An encrypted database is whole pages of what reads as noise: a file that is not (a few
    // bytes of text, a file cut short) is no database at all, whatever key is tried.
    let pages = std::fs::metadata(from).is_ok_and(|m| m.len() >= 1024 && m.len() % 1024 == 0);
    Err(match recovery {
        _ if !pages => refused(from, Refusal::NotADatabase),
        None => Error::RestoreNeedsKey(from.to_path_buf()),
        Some(_) => Error::KeyWrong(from.to_path_buf()),
    })
}

fn refused(from: &Path, why: Refusal) -> Error {
    Error::RestoreRefused {
        file: from.to_path_buf(),
        why,
    }
}

/// What an SQLite error met reading the chosen file says about it; other errors are ours.
fn reading(from: &Path) -> impl Fn(SqlError) -> Error + '_ {
    move |e| match snapshot::refusal(&e) {
        Some(why) => refused(from, why),
        None => Error::from(e),
    }
}

/// The content of `from` in a fresh database of this version (under `key`, in `scratch`; in
/// memory for an in-memory database), or why not.
fn prepare(
    from: &Path,
    page_size: i64,
    key: Option<&DbKey>,
    recovery: Option<&DbKey>,
    scratch: &Path,
) -> Result<Conn> {
    match std::fs::metadata(from) {
        Ok(m) if m.is_file() && m.len() == 0 => return Err(refused(from, Refusal::Empty)),
        Ok(m) if m.is_file() => {}
        _ => return Err(refused(from, Refusal::Unreadable)),
    }
    let mut c = match key {
        Some(k) => snapshot::open_fresh_file(scratch, page_size, &k.literal())?,
        None => snapshot::open_fresh(page_size)?,
    };
    attach(&c, from, key, recovery)?;
    let version = inspect(&mut c, from)?;
    rebuild(&mut c, from, version)?;
    schema::detach_backup(&c)?;
    db::migrate_to(&mut c, db::SCHEMA_VERSION)?;
    Ok(c)
}

/// Refuses the attached backup unless this version can restore it; returns its version, and
/// leaves the fresh side with this program's schema as of that version.
fn inspect(c: &mut Conn, from: &Path) -> Result<i64> {
    let read = reading(from);
    let no = |why| Err(refused(from, why));
    if schema::backup_integrity(c).map_err(&read)? != "ok" {
        return no(Refusal::Damaged);
    }
    let found = schema::objects(c, Side::Backup).map_err(&read)?;
    let has_table = |name: &str| found.iter().any(|o| o.kind == "table" && o.name == name);
    if !["event", "expert", "checkin"].into_iter().all(has_table) {
        return no(Refusal::NotOurs);
    }
    let version = schema::user_version(c, Side::Backup).map_err(&read)?;
    if version <= 0 {
        return no(Refusal::Unversioned);
    }
    if version > db::SCHEMA_VERSION {
        return no(Refusal::TooNew {
            found: version,
            supported: db::SCHEMA_VERSION,
        });
    }
    db::migrate_to(c, version)?;
    let known = schema::objects(c, Side::Fresh)?;

    // Tables and indexes this version does not know are harmless: only known tables are
    // copied. Code that runs on its own (a trigger) or a view standing in for a table is not.
    let foreign: Vec<String> = found
        .iter()
        .filter(|o| matches!(o.kind.as_str(), "trigger" | "view") && !known.contains(o))
        .map(|o| {
            let kind = if o.kind == "trigger" {
                "触发器"
            } else {
                "视图"
            };
            format!("{kind} {}", o.name)
        })
        .collect();
    if !foreign.is_empty() {
        return no(Refusal::Foreign(listed(&foreign)));
    }

    let mut missing = Vec::new();
    for table in known.iter().filter(|o| o.kind == "table") {
        if !has_table(&table.name) {
            missing.push(format!("数据表 {}", table.name));
            continue;
        }
        let theirs = schema::columns(c, Side::Backup, &table.name).map_err(&read)?;
        for col in schema::columns(c, Side::Fresh, &table.name)? {
            if !theirs.contains(&col) {
                missing.push(format!("数据表 {} 的列 {col}", table.name));
            }
        }
    }
    if !missing.is_empty() {
        return no(Refusal::Incomplete(listed(&missing)));
    }
    Ok(version)
}

/// "a、b、c" and, past five, how many more.
fn listed(items: &[String]) -> String {
    let mut s = items.iter().take(5).cloned().collect::<Vec<_>>().join("、");
    if items.len() > 5 {
        s.push_str(&format!(" 等 {} 项", items.len()));
    }
    s
}

/// Copies every table of the fresh side's schema (the backup's version, see `inspect`) from the
/// backup, in the order the schema created them (parents first), in one transaction.
fn rebuild(c: &mut Conn, from: &Path, version: i64) -> Result<()> {
    db::migrate_to(c, version)?;
    let tx = c.transaction()?;
    for table in schema::objects(&tx, Side::Fresh)? {
        if table.kind != "table" {
            continue;
        }
        let cols = schema::columns(&tx, Side::Fresh, &table.name)?;
        schema::copy_rows(&tx, &table.name, &cols).map_err(|e| {
            if snapshot::is_constraint(&e) {
                refused(from, Refusal::Rejected(table.name.clone()))
            } else {
                reading(from)(e)
            }
        })?;
    }
    tx.commit()?;
    Ok(())
}

/// `path` as an SQLite URI that opens it read-only (ATTACH takes no open flags, and opening a
/// backup for writing could checkpoint a WAL beside it into the file).
fn read_only_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut bytes = abs.as_os_str().as_encoded_bytes().to_vec();
    if cfg!(windows) {
        // C:\x\y.db is file:/C:/x/y.db
        for b in bytes.iter_mut().filter(|b| **b == b'\\') {
            *b = b'/';
        }
        if bytes.first() != Some(&b'/') {
            bytes.insert(0, b'/');
        }
    }
    let mut uri = String::from("file:");
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?mode=ro");
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::copy_to;
    use crate::testing;
    use rusqlite::Connection;

    /// The demo day saved to `path`, as a backup of it would be.
    fn demo_file(path: &Path) {
        copy_to(&testing::demo(), path).unwrap();
    }

    fn count(c: &Connection, sql: &str) -> i64 {
        c.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn an_older_backup_is_copied_into_its_own_schema_then_migrated_up() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("v3.db");
        {
            let mut c = Connection::open(&old).unwrap();
            db::migrate_to(&mut c, 3).unwrap();
            c.execute_batch(
                "INSERT INTO event (id, name, kind, date, created_at)
                   VALUES ('e', '旧活动', 'main', '2024-09-29', 'now');
                 INSERT INTO expert (id, code, name, created_at, updated_at)
                   VALUES ('x', 'E-1', '张三', 'now', 'now');",
            )
            .unwrap();
        }
        let mut live = Db::open(&dir.path().join("day.db")).unwrap();
        restore(
            &mut live,
            &old,
            &dir.path().join("backups"),
            testing::at(9, 0),
        )
        .unwrap();
        let c = live.conn();
        assert_eq!(count(c, "PRAGMA user_version"), db::SCHEMA_VERSION);
        assert_eq!(
            count(
                c,
                "SELECT count(*) FROM expert WHERE name = '张三' AND merged_into IS NULL"
            ),
            1,
            "the row is there, with the column migration 4 added"
        );
    }

    #[test]
    fn the_rebuilt_copy_has_the_rows_but_never_the_files_triggers() {
        let dir = tempfile::tempdir().unwrap();
        let poisoned = dir.path().join("poisoned.db");
        demo_file(&poisoned);
        Connection::open(&poisoned)
            .unwrap()
            .execute_batch(
                "CREATE TRIGGER t BEFORE INSERT ON checkin BEGIN SELECT RAISE(IGNORE); END;",
            )
            .unwrap();
        // Past the refusal in `inspect`: the copy itself must not carry the trigger either.
        let mut c = Connection::open_in_memory().unwrap();
        schema::attach_backup(&c, &read_only_uri(&poisoned), None).unwrap();
        rebuild(&mut c, &poisoned, db::SCHEMA_VERSION).unwrap();
        assert_eq!(
            count(&c, "SELECT count(*) FROM main.checkin"),
            count(&c, "SELECT count(*) FROM src.checkin")
        );
        assert_eq!(
            count(
                &c,
                "SELECT count(*) FROM main.sqlite_master WHERE type = 'trigger' AND name = 't'"
            ),
            0,
            "the file's own trigger stays behind"
        );
        assert_eq!(
            count(
                &c,
                "SELECT count(*) FROM main.sqlite_master WHERE type = 'trigger'
                 AND name NOT IN ('signup_edited', 'signup_removed')"
            ),
            0,
            "only this version's own triggers are there"
        );
    }

    #[test]
    fn after_a_restore_the_desk_counts_the_restored_list_not_the_one_it_kept() {
        let dir = tempfile::tempdir().unwrap();
        let day = |name: &str, seed: u64, points: usize| {
            let mut db = Db::open(&dir.path().join(name)).unwrap();
            crate::synth::create_event(&db, "e").unwrap();
            let people = crate::synth::experts(40, seed);
            crate::synth::load(&mut db, "e", &people, testing::at(8, 0)).unwrap();
            crate::synth::groups(&mut db, "e", points).unwrap();
            db
        };
        let mut live = day("day.db", 1, 2);
        let other = day("other.db", 2, 5);
        let stamp = |db: &Db| crate::store::attendance::signups_stamp(db.conn()).unwrap();
        assert_eq!(stamp(&live), stamp(&other), "two lists at the same stamp");
        let main = crate::Checkpoint::Main;
        let before = crate::attendance::attendance(&live, "e", &main).unwrap();
        assert_eq!(before.groups.len(), 2);
        drop(other);
        let backups = dir.path().join("backups");
        restore(
            &mut live,
            &dir.path().join("other.db"),
            &backups,
            testing::at(9, 0),
        )
        .unwrap();
        let after = crate::attendance::attendance(&live, "e", &main).unwrap();
        assert_eq!(after.groups.len(), 5);
        assert_eq!(
            after,
            crate::attendance::recounted(&live, "e", &main).unwrap(),
            "the five groups of the restored day, each with its own 应到"
        );
    }

    #[test]
    fn a_backup_is_read_whatever_its_name_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("备份 #1 100%.db");
        demo_file(&odd);
        let before = std::fs::read(&odd).unwrap();
        let mut live = Db::open(&dir.path().join("day.db")).unwrap();
        restore(
            &mut live,
            &odd,
            &dir.path().join("backups"),
            testing::at(9, 0),
        )
        .unwrap();
        assert!(count(live.conn(), "SELECT count(*) FROM checkin") > 0);
        assert_eq!(std::fs::read(&odd).unwrap(), before);
    }

    #[test]
    fn a_refusal_names_the_file_what_was_found_and_that_nothing_changed() {
        let e = refused(Path::new("x.db"), Refusal::Foreign("触发器 t".into()));
        assert_eq!(e.code(), "restore_foreign_objects");
        assert_eq!(
            e.to_string(),
            "x.db 不能用于恢复：文件里有同心签到从不创建的触发器 t，它被别的程序改动过，\
             恢复后可能让签到不被保存。请选择备份文件夹里的另一份备份。当前的数据没有任何改动。"
        );
    }
}
