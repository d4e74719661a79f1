//! Upgrades keep the day: a database written by release 0.1.0 (tests/fixtures/upgrade, made
//! by its make.sh: the demo day, door check-ins, a walk-in, a revoked check-in, an import
//! batch, a merged package) opens in this build with every record in place; a database from a
//! newer version is refused and left exactly as it was.

use std::path::{Path, PathBuf};

use tongxin_core::Db;
use tongxin_tests::{cli, cli_json, root};

fn fixture_copy(dir: &Path) -> PathBuf {
    let db = dir.join("tongxin.db");
    std::fs::copy(root().join("tests/fixtures/upgrade/tongxin-0.1.0.db"), &db).unwrap();
    db
}

fn names(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_day_written_by_release_0_1_0_opens_with_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_copy(dir.path());

    let events = cli_json(&db, &["events"]);
    assert_eq!(events.as_array().unwrap().len(), 1);
    assert_eq!(events[0]["id"], "2024-jinshan");

    let experts = names(&cli_json(&db, &["experts"]));
    assert_eq!(
        experts.len(),
        124,
        "121 demo experts, a walk-in and two imported"
    );
    for who in ["欧阳明远", "司马琳", "上官云"] {
        assert!(experts.iter().any(|n| n == who), "{who} is missing");
    }

    let checkins = cli_json(&db, &["checkins"]);
    let list = checkins.as_array().unwrap();
    assert_eq!(
        list.len(),
        17,
        "9 demo, 4 at the door, the walk-in, a revoked one, 2 merged"
    );
    let revoked: Vec<_> = list.iter().filter(|c| !c["revoked_at"].is_null()).collect();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0]["revoke_reason"], "认错人，已撤销");
    let merged = list.iter().filter(|c| c["desk_name"] == "2号台").count();
    assert_eq!(
        merged, 2,
        "the check-ins merged from the second desk's package"
    );

    let d = Db::open(&db).unwrap();
    let count = |sql: &str| -> i64 { d.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM import_batch"), 1);
    assert_eq!(count("SELECT COUNT(*) FROM service_point"), 5);
    assert_eq!(count("SELECT COUNT(*) FROM signup"), 122);
    assert_eq!(count("SELECT COUNT(*) FROM audit"), 4);
    assert_eq!(
        count("PRAGMA user_version"),
        tongxin_core::db::SCHEMA_VERSION
    );
    drop(d);

    // The import of 0.1.0 is still one batch that can be undone as a whole.
    let out = cli(&db, &["undo-import"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = names(&cli_json(&db, &["experts"]));
    assert!(
        !after.iter().any(|n| n == "司马琳" || n == "上官云"),
        "{after:?}"
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("newer.db");
    newer_database(&db);
    let before = std::fs::read(&db).unwrap();
    let out = cli(&db, &["events"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("这个数据库来自更新版本的同心签到"), "{err}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the newer database was changed"
    );
}

/// A database as a future version would leave it: today's schema, then `user_version` one
/// higher (written with the CLI's own backup of a fresh database, then bumped).
fn newer_database(db: &Path) {
    let fresh = db.with_file_name("fresh.db");
    assert!(cli(&fresh, &["init"]).status.success());
    assert!(cli(&fresh, &["backup", "--out", db.to_str().unwrap()])
        .status
        .success());
    // A schema one version past this program's.
    let c = tongxin_tests::open_raw(db);
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    c.pragma_update(None, "user_version", v + 1).unwrap();
}
