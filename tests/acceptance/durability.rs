//! What the screen confirmed is on disk: a check-in survives closing and reopening the file,
//! seen by another process.

use chrono::Utc;
use tongxin_core::{checkin, store, Checkpoint, Db, Desk, Method};
use tongxin_tests::{cli, cli_json};

#[test]
fn a_committed_check_in_is_read_back_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.db");
    let id = {
        let mut db = Db::open(&path).unwrap();
        tongxin_core::demo::load(&mut db, Utc::now()).unwrap();
        let e = store::expert::by_code(db.conn(), "E-0042")
            .unwrap()
            .unwrap();
        let desk = Desk {
            id: "test-desk".into(),
            name: "1号台".into(),
        };
        let r = checkin::check_in(
            &mut db,
            "2024-jinshan",
            &e.id,
            &Checkpoint::Main,
            Method::Search,
            &desk,
            Utc::now(),
        )
        .unwrap();
        // The connection stays open: another process must already see the row.
        let seen = cli_json(&path, &["checkins"]);
        assert!(seen
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == r.checkin.id.as_str()));
        r.checkin.id
    };
    let db = Db::open(&path).unwrap();
    assert!(store::checkin::get(db.conn(), &id).unwrap().is_some());
}

/// A database with `n` experts signed up for a synthetic event, for bursts of check-ins.
fn crowd(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let path = dir.join("crowd.db");
    let mut db = Db::open(&path).unwrap();
    tongxin_core::synth::create_event(&db, "burst").unwrap();
    let people = tongxin_core::synth::experts(n, 3);
    tongxin_core::synth::load(&mut db, "burst", &people, Utc::now()).unwrap();
    path
}

/// The CLI's arguments for 1,000 check-ins one after another, each printed once committed.
fn burst(path: &std::path::Path) -> Vec<String> {
    let p = path.display().to_string();
    [
        "--db",
        &p,
        "checkin-burst",
        "--event",
        "burst",
        "--count",
        "1000",
    ]
    .map(String::from)
    .to_vec()
}

fn integrity(path: &std::path::Path) -> String {
    let db = Db::open(path).unwrap();
    db.conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn live_ids(path: &std::path::Path) -> std::collections::HashSet<String> {
    cli_json(path, &["checkins", "--event", "burst"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_killed_process_loses_no_confirmed_check_in() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let path = crowd(dir.path(), 1000);
    let mut child = std::process::Command::new(tongxin_tests::target_bin("tongxin-cli"))
        .args(burst(&path))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut confirmed = Vec::new();
    // Let a few hundred through, then SIGKILL in the middle of the burst.
    while confirmed.len() < 300 {
        confirmed.push(lines.next().unwrap().unwrap());
    }
    child.kill().unwrap();
    // Whatever was printed before the kill was confirmed too.
    confirmed.extend(lines.map_while(Result::ok));
    child.wait().unwrap();
    assert!(
        confirmed.len() < 1000,
        "killed before the end ({})",
        confirmed.len()
    );

    assert_eq!(integrity(&path), "ok");
    let stored = live_ids(&path);
    let lost: Vec<&String> = confirmed
        .iter()
        .filter(|id| !stored.contains(*id))
        .collect();
    assert!(lost.is_empty(), "confirmed but lost: {lost:?}");
    println!(
        "SIGKILL after {} confirmed check-ins: {} stored, 0 lost, integrity ok",
        confirmed.len(),
        stored.len()
    );
}

#[test]
fn a_full_disk_stops_with_a_clear_message_and_loses_nothing_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let path = crowd(dir.path(), 1000);
    let size_kb = std::fs::metadata(&path).unwrap().len() / 1024;
    // The process may not write files beyond a size a little above the database's: the WAL
    // soon hits it, as on a full disk (SIGXFSZ ignored, so writes fail instead).
    let script = format!(
        "ulimit -f {}; trap '' XFSZ; exec \"$0\" \"$@\"",
        size_kb + 64
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .arg(tongxin_tests::target_bin("tongxin-cli"))
        .args(burst(&path))
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the burst cannot finish on a full disk"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("无法写入磁盘") || err.contains("磁盘已满"),
        "{err}"
    );
    let confirmed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert!(
        !confirmed.is_empty() && confirmed.len() < 1000,
        "{}",
        confirmed.len()
    );

    // With room again: every confirmed check-in is there, nothing else, the file is sound,
    // and the desk carries on.
    assert_eq!(integrity(&path), "ok");
    let stored = live_ids(&path);
    assert_eq!(stored.len(), confirmed.len());
    assert!(confirmed.iter().all(|id| stored.contains(id)));
    let more = cli(
        &path,
        &["checkin-burst", "--event", "burst", "--count", "1000"],
    );
    assert!(more.status.success());
    println!(
        "disk full after {} check-ins: \"{}\"; all {} present afterwards",
        confirmed.len(),
        err.trim(),
        stored.len()
    );
}

#[test]
fn a_backup_restores_the_day_and_keeps_what_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.db");
    cli_json(&path, &["demo"]);
    let copy = dir.path().join("copy.db");
    assert!(cli(&path, &["backup", "--out", copy.to_str().unwrap()])
        .status
        .success());
    let before = cli_json(&path, &["checkins"]);
    cli_json(&path, &["checkin", "--code", "E-0042"]);
    assert_ne!(cli_json(&path, &["checkins"]), before);

    let out = cli(&path, &["restore", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(cli_json(&path, &["checkins"]), before, "back to the backup");
    // What was replaced is itself kept, with E-0042's check-in.
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1);
    let kept_checkins = cli_json(&kept[0], &["checkins"]);
    assert_eq!(
        kept_checkins.as_array().unwrap().len(),
        before.as_array().unwrap().len() + 1
    );

    // Not a database, or not ours: refused, nothing changed.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let out = cli(&path, &["restore", junk.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不能用于恢复"));
    assert_eq!(cli_json(&path, &["checkins"]), before);
}

#[test]
fn a_backup_that_cannot_be_written_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.db");
    cli_json(&path, &["demo"]);
    let out = cli(
        &path,
        &[
            "backup",
            "--out",
            dir.path().join("no/such/dir/b.db").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("备份失败"));
}
