//! Restoring a backup brings back its records and nothing else: a file that is not a sound
//! Tongxin backup of this version or an older one is refused with a message saying why, and the
//! day on the desk is left exactly as it was (no backup of it made either); a file that is
//! restored brings no trigger, view or unknown table along, and the desk keeps saving.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tongxin_core::Db;
use tongxin_tests::{cli, cli_json, root};

/// A desk's day (the demo, then E-0042 checked in) and a backup taken before that check-in.
struct Day {
    dir: tempfile::TempDir,
    live: PathBuf,
    backup: PathBuf,
}

fn day() -> Day {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("day.db");
    cli_json(&live, &["demo"]);
    let backup = dir.path().join("copy.db");
    assert!(cli(&live, &["backup", "--out", backup.to_str().unwrap()])
        .status
        .success());
    cli_json(&live, &["checkin", "--code", "E-0042"]);
    Day { dir, live, backup }
}

impl Day {
    /// A copy of the backup, changed by `sql` as another program could change it.
    fn tampered(&self, name: &str, sql: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::copy(&self.backup, &p).unwrap();
        Db::open(&p).unwrap().conn().execute_batch(sql).unwrap();
        p
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn restore(&self, file: &Path) -> std::process::Output {
        cli(&self.live, &["restore", file.to_str().unwrap()])
    }

    fn before_restore_backups(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("backups"))
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
                    .count()
            })
            .unwrap_or(0)
    }

    /// Restoring `file` is refused with a message containing `says` and no SQL; the day reads
    /// back exactly as before and no before-restore backup was made.
    fn assert_refused(&self, file: &Path, says: &str) -> String {
        let before = shown(&self.live);
        let out = self.restore(file);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "restored {}", file.display());
        assert!(err.contains("不能用于恢复"), "{err}");
        assert!(err.contains(says), "expected “{says}” in: {err}");
        assert!(err.contains("当前的数据没有任何改动"), "{err}");
        assert!(!err.to_uppercase().contains("CREATE "), "SQL shown: {err}");
        assert_eq!(shown(&self.live), before, "the day changed");
        assert_eq!(self.before_restore_backups(), 0);
        err
    }
}

/// What the desk shows of the day, read by another process.
fn shown(db: &Path) -> Value {
    json!({
        "events": cli_json(db, &["events"]),
        "experts": cli_json(db, &["experts"]),
        "checkins": cli_json(db, &["checkins"]),
        "attendance": cli_json(db, &["attendance"]),
    })
}

fn present(db: &Path) -> i64 {
    cli_json(db, &["attendance"])["present"].as_i64().unwrap()
}

/// A check-in at the desk is confirmed and then seen by another process: on disk.
fn assert_check_in_lands(db: &Path, code: &str) {
    let before = present(db);
    let r = cli_json(db, &["checkin", "--code", code]);
    let id = r["checkin"]["id"].as_str().unwrap().to_string();
    assert_eq!(present(db), before + 1, "{code} is not counted");
    let stored = cli_json(db, &["checkins"]);
    assert!(
        stored.as_array().unwrap().iter().any(|c| c["id"] == id),
        "{code}'s check-in {id} is not on disk"
    );
}

fn schema_names(db: &Path) -> Vec<String> {
    let d = Db::open(db).unwrap();
    let mut st = d
        .conn()
        .prepare("SELECT name FROM sqlite_master ORDER BY name")
        .unwrap();
    let names = st
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    names
}

#[test]
fn a_backup_with_a_trigger_that_swallows_check_ins_is_refused_and_the_desk_keeps_saving() {
    let d = day();
    let poisoned = d.tampered(
        "poisoned.db",
        "CREATE TRIGGER t BEFORE INSERT ON checkin BEGIN SELECT RAISE(IGNORE); END;",
    );
    d.assert_refused(&poisoned, "触发器 t");
    assert!(!schema_names(&d.live).contains(&"t".to_string()));
    assert_check_in_lands(&d.live, "E-0043");
}

#[test]
fn a_backup_with_a_view_is_refused_by_name() {
    let d = day();
    let viewed = d.tampered(
        "viewed.db",
        "CREATE VIEW everyone AS SELECT name, phone FROM expert;",
    );
    d.assert_refused(&viewed, "视图 everyone");
}

#[test]
fn an_unknown_table_or_index_in_a_backup_is_left_behind_and_its_records_restored() {
    let d = day();
    let extra = d.tampered(
        "extra.db",
        "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('from elsewhere');
         CREATE INDEX expert_notes ON expert(notes);",
    );
    let backed_up = cli_json(&d.backup, &["checkins"]);
    let out = d.restore(&extra);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(cli_json(&d.live, &["checkins"]), backed_up);
    let names = schema_names(&d.live);
    assert!(!names.contains(&"notes".to_string()), "{names:?}");
    assert!(!names.contains(&"expert_notes".to_string()), "{names:?}");
    assert_check_in_lands(&d.live, "E-0042");
}

#[test]
fn a_file_without_a_database_version_is_refused_without_sql_and_the_day_still_opens() {
    let d = day();
    let unversioned = d.tampered("unversioned.db", "PRAGMA user_version = 0;");
    d.assert_refused(&unversioned, "没有数据库版本号");
    // Only our table names, nothing else: the same.
    let names_only = d.dir.path().join("names.db");
    Db::open_in_memory()
        .unwrap()
        .conn()
        .execute_batch(&format!(
            "ATTACH '{}' AS n; CREATE TABLE n.event (x); CREATE TABLE n.expert (x);
             CREATE TABLE n.checkin (x);",
            names_only.display()
        ))
        .unwrap();
    d.assert_refused(&names_only, "没有数据库版本号");
    assert_check_in_lands(&d.live, "E-0043");
}

#[test]
fn a_file_with_our_table_names_but_not_our_columns_is_refused() {
    let d = day();
    let renamed = d.tampered(
        "renamed.db",
        "ALTER TABLE checkin RENAME COLUMN at TO happened;",
    );
    d.assert_refused(&renamed, "数据表 checkin 的列 at");
    let dropped = d.tampered("dropped.db", "DROP TABLE revocation;");
    d.assert_refused(&dropped, "数据表 revocation");
}

#[test]
fn a_backup_with_records_against_the_rules_is_refused() {
    let d = day();
    let bent = d.tampered(
        "bent.db",
        "PRAGMA ignore_check_constraints = ON;
         UPDATE checkin SET method = 'teleport' WHERE rowid = (SELECT min(rowid) FROM checkin);",
    );
    d.assert_refused(&bent, "数据表 checkin 里有本版本不接受的记录");
}

#[test]
fn a_backup_from_a_newer_version_is_refused_and_the_day_is_unchanged() {
    let d = day();
    let newer = d.tampered(
        "newer.db",
        &format!(
            "PRAGMA user_version = {};",
            tongxin_core::db::SCHEMA_VERSION + 1
        ),
    );
    let err = d.assert_refused(&newer, "这个备份来自更新版本的同心签到");
    assert!(err.contains("请安装新版同心签到后再恢复"), "{err}");
}

#[test]
fn a_day_saved_by_release_0_1_0_restores_with_its_records_and_takes_check_ins() {
    let d = day();
    let old = d.dir.path().join("tongxin-0.1.0.db");
    std::fs::copy(root().join("tests/fixtures/upgrade/tongxin-0.1.0.db"), &old).unwrap();
    let out = d.restore(&old);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let experts = cli_json(&d.live, &["experts"]);
    assert_eq!(experts.as_array().unwrap().len(), 124);
    assert!(experts
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["name"] == "欧阳明远"));
    let checkins = cli_json(&d.live, &["checkins"]);
    assert_eq!(checkins.as_array().unwrap().len(), 17);
    assert_eq!(
        checkins
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["revoke_reason"] == "认错人，已撤销")
            .count(),
        1
    );
    assert_eq!(d.before_restore_backups(), 1);
    assert_check_in_lands(&d.live, "E-0042");
}

#[test]
fn junk_an_empty_file_a_truncated_backup_and_a_missing_file_are_refused() {
    let d = day();
    let whole = std::fs::read(&d.backup).unwrap();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "junk.db",
            b"not a database at all".to_vec(),
            "这不是数据库文件",
        ),
        ("empty.db", Vec::new(), "文件是空的"),
        (
            "truncated.db",
            whole[..whole.len() / 2].to_vec(),
            "文件已损坏或不完整",
        ),
        // Encrypted, a backup's first 100 bytes are noise like any other: no database at all.
        ("header-only.db", whole[..100].to_vec(), "这不是数据库文件"),
    ];
    for (name, bytes, says) in cases {
        let f = d.file(name, &bytes);
        d.assert_refused(&f, says);
        assert_eq!(std::fs::read(&f).unwrap(), bytes, "{name} was changed");
    }
    d.assert_refused(&d.dir.path().join("gone.db"), "无法读取这个文件");
    assert_check_in_lands(&d.live, "E-0043");
}

#[test]
fn a_damaged_backup_is_refused() {
    let d = day();
    // An index that no longer matches its table: integrity_check finds it, a read may not.
    let damaged = d.tampered(
        "damaged.db",
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_master SET sql = replace(sql, 'expert(phone)', 'expert(name)')
          WHERE name = 'expert_phone';",
    );
    d.assert_refused(&damaged, "文件已损坏或不完整");
}
