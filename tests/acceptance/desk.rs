//! The desk's rules through the CLI: surname-aware pinyin search, walk-ins, moving people
//! between groups with the capacity check, the audit log, and the bench report's shape.

use tongxin_tests::{cli, cli_json, demo_day};

fn top_code(db: &std::path::Path, query: &str) -> Option<String> {
    let hits = cli_json(db, &["search", query]);
    hits.as_array()
        .unwrap()
        .first()
        .map(|h| h["code"].as_str().unwrap().to_string())
}

#[test]
fn polyphonic_surnames_are_found_by_their_surname_reading() {
    let (_d, db) = demo_day();
    // 单蕾 is shan lei, not dan lei; 解立新 xie, 仇永刚 qiu, 尉迟晓 yuchi, 区一鸣 ou.
    assert_eq!(top_code(&db, "shanlei").as_deref(), Some("E-0034"));
    assert_ne!(top_code(&db, "danlei").as_deref(), Some("E-0034"));
    assert_eq!(top_code(&db, "xielixin").as_deref(), Some("E-0012"));
    assert_eq!(top_code(&db, "qiuyonggang").as_deref(), Some("E-0056"));
    assert_eq!(top_code(&db, "yuchixiao").as_deref(), Some("E-0048"));
    assert_eq!(top_code(&db, "ycx").as_deref(), Some("E-0048"));
    assert_eq!(top_code(&db, "ouyiming").as_deref(), Some("E-0097"));
}

#[test]
fn the_same_name_twice_is_told_apart_by_organisation() {
    let (_d, db) = demo_day();
    let experts = cli_json(&db, &["experts"]);
    let twin = experts
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "E-0121")
        .unwrap();
    let name = twin["name"].as_str().unwrap();
    let hits = cli_json(&db, &["search", name]);
    let same: Vec<_> = hits
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["name"] == name)
        .collect();
    assert_eq!(same.len(), 2);
    assert_ne!(same[0]["organisation"], same[1]["organisation"]);
}

#[test]
fn a_walk_in_is_created_once_per_phone() {
    let (_d, db) = demo_day();
    let args = [
        "walkin",
        "--name",
        "顾晨曦",
        "--phone",
        "+86 139-0000-7777",
        "--organisation",
        "上海大学",
        "--point",
        "2024-jinshan-p5",
    ];
    let first = cli_json(&db, &args);
    assert_eq!(first["created"], true);
    assert_eq!(first["outcome"], "recorded");
    assert_eq!(first["checkin"]["method"], "walkin");
    assert!(first["expert"]["code"].as_str().unwrap().starts_with("W-"));
    assert_eq!(first["expert"]["phone"], "13900007777");
    let again = cli_json(&db, &args);
    assert_eq!(again["created"], false);
    assert_eq!(again["outcome"], "duplicate");
    assert_eq!(cli_json(&db, &["attendance"])["walk_ins"], 1);
}

#[test]
fn moving_into_a_full_point_needs_over_capacity_and_is_audited() {
    let (_d, db) = demo_day();
    let p2 = cli_json(&db, &["roster", "--point", "2024-jinshan-p2"]);
    let code = p2[0]["code"].as_str().unwrap().to_string();
    let out = cli(&db, &["move", "--code", &code, "--to", "2024-jinshan-p1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("已满"));
    let moved = cli_json(
        &db,
        &[
            "move",
            "--code",
            &code,
            "--to",
            "2024-jinshan-p1",
            "--over-capacity",
        ],
    );
    assert_eq!(moved["used"], 21);
    assert_eq!(moved["capacity"], 20);
    let p1 = cli_json(&db, &["roster", "--point", "2024-jinshan-p1"]);
    assert!(p1
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == code.as_str()));
    let audit = cli_json(&db, &["audit"]);
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["action"] == "move" && a["detail"].as_str().unwrap().contains("确认超额")));
}

#[test]
fn the_audit_log_shows_check_ins_and_their_undo() {
    let (_d, db) = demo_day();
    let waiting = cli_json(&db, &["roster"]);
    let code = waiting[0]["code"].as_str().unwrap();
    let r = cli_json(&db, &["checkin", "--code", code, "--desk", "2号台"]);
    assert_eq!(r["outcome"], "recorded");
    let id = r["checkin"]["id"].as_str().unwrap();
    cli_json(&db, &["undo", id, "--reason", "误签", "--desk", "2号台"]);
    let audit = cli_json(&db, &["audit"]);
    let entries = audit.as_array().unwrap();
    assert_eq!(entries[0]["action"], "revoke");
    assert_eq!(entries[0]["detail"], "误签");
    assert!(entries
        .iter()
        .any(|a| a["action"] == "checkin" && a["entity_id"] == id && a["desk_name"] == "2号台"));
}

#[test]
fn not_arrived_and_off_bus_lists_follow_the_check_ins() {
    let (_d, db) = demo_day();
    let before = cli_json(&db, &["roster"]).as_array().unwrap().len();
    let p4 = cli_json(&db, &["roster", "--point", "2024-jinshan-p4"]);
    let who = p4
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["morning_time"].is_null() && r["status"] == "registered")
        .unwrap();
    let code = who["code"].as_str().unwrap();
    cli_json(&db, &["checkin", "--code", code]);
    assert_eq!(
        cli_json(&db, &["roster"]).as_array().unwrap().len(),
        before - 1
    );
    let off = cli_json(&db, &["roster", "--off-bus"]);
    assert!(off.as_array().unwrap().iter().any(|r| r["code"] == code));
    cli_json(
        &db,
        &["checkin", "--code", code, "--checkpoint", "2024-jinshan-p4"],
    );
    let off = cli_json(&db, &["roster", "--off-bus"]);
    assert!(!off.as_array().unwrap().iter().any(|r| r["code"] == code));
}

#[test]
fn bench_search_reports_the_index_beside_the_like_scan() {
    let dir = tempfile::tempdir().unwrap();
    let r = cli_json(
        &dir.path().join("unused.db"),
        &["bench", "search", "--experts", "3000", "--queries", "200"],
    );
    assert_eq!(r["experts"], 3000);
    assert_eq!(r["queries"], 200);
    for k in ["index", "like_scan"] {
        assert!(r[k]["p50_ms"].as_f64().unwrap() > 0.0, "{k}");
        assert!(r[k]["p99_ms"].as_f64().unwrap() >= r[k]["p50_ms"].as_f64().unwrap());
    }
    // Every generated query is about someone who exists.
    assert_eq!(r["queries_with_hits"], 200);
}
