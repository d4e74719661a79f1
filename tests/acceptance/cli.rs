//! The command line: set up a database, read it, check in, undo — as a script would.

use tongxin_tests::{cli, cli_json};

fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("day.db");
    let out = cli(&db, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, db)
}

#[test]
fn init_creates_an_empty_database_with_no_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let out = cli(&db, &["init"]);
    assert!(out.status.success());
    assert!(db.exists());
    assert_eq!(cli_json(&db, &["events"]), serde_json::json!([]));
    assert_eq!(cli_json(&db, &["experts"]), serde_json::json!([]));
}

#[test]
fn demo_loads_the_jinshan_day_with_its_experts() {
    let (_d, db) = demo_db();
    let events = cli_json(&db, &["events"]);
    assert_eq!(events[0]["id"], "2024-jinshan");
    assert_eq!(events[0]["date"], "2024-09-29");
    assert_eq!(events[0]["name"], "2024年上海党外知识分子专家服务日");
    let experts = cli_json(&db, &["experts"]);
    let list = experts.as_array().unwrap();
    assert!(list.len() >= 100, "{} experts", list.len());
    assert!(list
        .iter()
        .all(|e| e["code"].as_str().unwrap().starts_with("E-")));
}

#[test]
fn loading_the_demo_twice_fails_with_a_chinese_message() {
    let (_d, db) = demo_db();
    let out = cli(&db, &["demo"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("演示活动"), "stderr: {err}");
}

#[test]
fn a_missing_database_argument_is_a_clear_error() {
    let out = std::process::Command::new(tongxin_tests::target_bin("tongxin-cli"))
        .arg("events")
        .env_remove("TONGXIN_DB")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--db"));
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    std::fs::write(&db, b"this is a shopping list, not SQLite").unwrap();
    let out = cli(&db, &["events"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("错误"));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        b"this is a shopping list, not SQLite"
    );
}

#[test]
fn check_in_by_code_shows_up_in_checkins_and_a_second_one_is_a_duplicate() {
    let (_d, db) = demo_db();
    let first = cli_json(&db, &["checkin", "--code", "E-0100", "--desk", "2号台"]);
    let again = cli_json(&db, &["checkin", "--code", "E-0100", "--desk", "2号台"]);
    assert_eq!(first["outcome"], "recorded");
    assert_eq!(again["outcome"], "duplicate");
    assert_eq!(again["checkin"]["id"], first["checkin"]["id"]);
    let list = cli_json(&db, &["checkins"]);
    let mine: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["expert_id"] == first["expert"]["id"])
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["desk_name"], "2号台");
    assert!(mine[0]["revoked_at"].is_null());
}

#[test]
fn undo_marks_the_check_in_revoked_and_lowers_present() {
    let (_d, db) = demo_db();
    let before = cli_json(&db, &["attendance"])["present"].as_i64().unwrap();
    let r = cli_json(&db, &["checkin", "--code", "E-0101"]);
    assert_eq!(cli_json(&db, &["attendance"])["present"], before + 1);
    let id = r["checkin"]["id"].as_str().unwrap();
    cli_json(&db, &["undo", id, "--reason", "认错人"]);
    assert_eq!(cli_json(&db, &["attendance"])["present"], before);
    let list = cli_json(&db, &["checkins"]);
    let c = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap();
    assert_eq!(c["revoke_reason"], "认错人");
}

#[test]
fn an_unknown_code_is_an_error_and_records_nothing() {
    let (_d, db) = demo_db();
    let before = cli_json(&db, &["checkins"]).as_array().unwrap().len();
    let out = cli(&db, &["checkin", "--code", "E-9999"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("找不到专家"));
    assert_eq!(
        cli_json(&db, &["checkins"]).as_array().unwrap().len(),
        before
    );
}

#[test]
fn search_masks_phones_and_finds_by_the_last_four_digits() {
    let (_d, db) = demo_db();
    let experts = cli_json(&db, &["experts"]);
    let e = &experts[3];
    let phone = e["phone"].as_str().unwrap();
    let hits = cli_json(&db, &["search", &phone[phone.len() - 4..]]);
    let hit = hits
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["expert_id"] == e["id"])
        .expect("the expert is found by the last four digits");
    let masked = hit["phone_masked"].as_str().unwrap();
    assert!(masked.contains("****"));
    assert!(!masked.contains(&phone[3..7]));
}

/// The CLI takes the window's lock for anything that writes: while a desk has the database
/// open, `checkin`, `demo` or `restore` from a script are refused with the reason; reading
/// beside the desk still works; once the desk closes, the same command goes through.
#[test]
fn a_cli_command_that_writes_waits_for_the_window_to_close_the_database() {
    let (_dir, db) = demo_db();
    let before = cli_json(&db, &["checkins"]).as_array().unwrap().len();
    let window = tongxin_core::db::lock(&db).unwrap();
    let out = cli(&db, &["checkin", "--code", "E-0003"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("正在使用这个数据库"), "{err}");
    let out = cli(&db, &["demo"]);
    assert!(
        !out.status.success(),
        "demo must not rewrite an open database"
    );
    // Reading is fine while the desk works.
    assert_eq!(
        cli_json(&db, &["checkins"]).as_array().unwrap().len(),
        before
    );
    drop(window);
    let out = cli(&db, &["checkin", "--code", "E-0003"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        cli_json(&db, &["checkins"]).as_array().unwrap().len(),
        before + 1
    );
}

/// `tongxin-cli experts --json | head -1`: the reader closes the pipe after one line and the
/// CLI ends quietly (exit 0, nothing on stderr) instead of panicking on the broken pipe.
#[test]
fn a_reader_that_stops_early_ends_the_cli_quietly() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.db");
    {
        // 5,000 experts print about a megabyte of JSON: far more than a pipe holds (64 KB),
        // so the CLI is still writing when the reader goes away.
        let mut db = tongxin_core::Db::open(&path).unwrap();
        tongxin_core::synth::create_event(&db, "many").unwrap();
        let people = tongxin_core::synth::experts(5_000, 7);
        tongxin_core::synth::load(&mut db, "many", &people, chrono::Utc::now()).unwrap();
    }
    let mut child = std::process::Command::new(tongxin_tests::target_bin("tongxin-cli"))
        .arg("--db")
        .arg(&path)
        .args(["experts", "--json"])
        .env_remove("TONGXIN_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first.trim(), "[");
    // The reader (and the pipe with it) is gone here, as `head -1` exits.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "stderr: {err}");
    assert!(err.is_empty(), "stderr: {err}");
    assert_eq!(out.status.code(), Some(0), "stderr: {err}");
}
