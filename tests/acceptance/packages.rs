//! Packages as an attacker with a USB stick would try them: a package whose checksum was
//! recomputed, one sealed on a laptop with its own copy of the event, and — trusted on the
//! coordinator's word — records that break the rules. Each is refused whole with a message
//! naming the problem, and the database is unchanged; a genuine package says line by line what
//! it added, carries only what the receiving desk needs, and may not add service points.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tongxin_tests::{cli, cli_json, demo_db};

fn copy(from: &Path, to: &Path) -> PathBuf {
    cli_json(from, &["backup", "--out", to.to_str().unwrap()]);
    to.to_path_buf()
}

/// A desk package written unsealed (on request, say for a laptop that imported the list
/// itself) and found on a stick: header and payload as JSON.
fn unsealed_package(db: &Path, out: &Path) -> (Value, Value) {
    cli_json(
        db,
        &[
            "pack",
            "--out",
            out.to_str().unwrap(),
            "--desk",
            "2号台",
            "--unsealed",
        ],
    );
    let bytes = std::fs::read(out).unwrap();
    let nl = bytes.iter().position(|b| *b == b'\n').unwrap();
    (
        serde_json::from_slice(&bytes[..nl]).unwrap(),
        serde_json::from_slice(&bytes[nl + 1..]).unwrap(),
    )
}

/// The forger's edit, with the checksum and length recomputed as anyone can.
fn write_forged(out: &Path, mut header: Value, payload: &Value) -> PathBuf {
    let body = serde_json::to_vec(payload).unwrap();
    header["sha256"] = json!(Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>());
    header["bytes"] = json!(body.len());
    let mut bytes = serde_json::to_vec(&header).unwrap();
    bytes.push(b'\n');
    bytes.extend(body);
    std::fs::write(out, bytes).unwrap();
    out.to_path_buf()
}

/// What the coordinator sees: check-ins, attendance, people, points.
fn day(db: &Path) -> Vec<Value> {
    ["checkins", "attendance", "experts"]
        .iter()
        .map(|c| cli_json(db, &[c]))
        .chain([cli_json(db, &["points", "list"])])
        .collect()
}

fn refused(db: &Path, file: &Path, extra: &[&str]) -> String {
    let mut args = vec!["merge", file.to_str().unwrap()];
    args.extend(extra);
    let out = cli(db, &args);
    assert!(
        !out.status.success(),
        "merged: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Someone not on the list arrives at desk 2.
fn walk_in_at_desk_2(db: &Path) {
    let args = [
        "walkin",
        "--name",
        "顾晨曦",
        "--phone",
        "13900007777",
        "--desk",
        "2号台",
    ];
    cli_json(db, &args);
}

fn code_of(db: &Path, code: &str) -> Value {
    cli_json(db, &["experts"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == code)
        .unwrap()
        .clone()
}

#[test]
fn a_forged_package_with_a_recomputed_checksum_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let m = demo_db(dir.path());
    let present = cli_json(&m, &["checkin", "--code", "E-0042"]);
    let b = copy(&m, &dir.path().join("b.db"));
    cli_json(&b, &["checkin", "--code", "E-0043", "--desk", "2号台"]);
    let (header, mut p) = unsealed_package(&b, &dir.path().join("b.txpack"));
    // Revoke a real check-in, mark an absent expert present, add a 9999-place point.
    let real = present["checkin"]["id"].as_str().unwrap().to_string();
    p["revocations"] = json!([{ "id": "5b0f8a5e-3c1d-4f7a-9f00-000000000001", "checkin_id": real,
        "at": p["created_at"], "desk_id": "x", "desk_name": "2号台", "reason": "伪造" }]);
    p["checkins"].as_array_mut().unwrap()[0]["expert_id"] = code_of(&m, "E-0100")["id"].clone();
    let f = write_forged(&dir.path().join("forged.txpack"), header, &p);
    let before = day(&m);
    let err = refused(&m, &f, &[]);
    assert!(err.contains("此数据包未加密"), "{err}");
    assert!(
        err.contains("Tongxin") || err.contains("--trust-foreign"),
        "{err}"
    );
    assert_eq!(day(&m), before, "nothing merged");
}

#[test]
fn a_package_sealed_on_another_laptop_with_its_own_copy_of_the_event_is_refused_as_forged() {
    let dir = tempfile::tempdir().unwrap();
    let m = demo_db(dir.path());
    // Anyone can load the demo day: same event id, another key.
    let other = demo_db(&dir.path().join("x").tap_mkdir());
    cli_json(&other, &["checkin", "--code", "E-0100"]);
    let f = dir.path().join("other.txpack");
    cli_json(&other, &["pack", "--out", f.to_str().unwrap()]);
    let before = day(&m);
    let err = refused(&m, &f, &[]);
    assert!(err.contains("无法通过验证"), "{err}");
    let err = refused(&m, &f, &["--trust-foreign"]);
    assert!(
        err.contains("无法通过验证"),
        "trust does not open a sealed package: {err}"
    );
    assert_eq!(day(&m), before);
}

trait Mkdir {
    fn tap_mkdir(self) -> PathBuf;
}

impl Mkdir for PathBuf {
    fn tap_mkdir(self) -> PathBuf {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

#[test]
fn a_trusted_package_is_still_checked_record_by_record_and_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let m = demo_db(dir.path());
    let b = copy(&m, &dir.path().join("b.db"));
    cli_json(&b, &["checkin", "--code", "E-0042", "--desk", "2号台"]);
    walk_in_at_desk_2(&b);
    let (header, p) = unsealed_package(&b, &dir.path().join("b.txpack"));
    assert!(
        p["checkins"].as_array().unwrap().len() >= 2,
        "the demo's and b's"
    );
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "a 3000-character name",
            |p| {
                let e = p["experts"].as_array_mut().unwrap();
                let k = e.iter().position(|e| e["name"] == "顾晨曦").unwrap();
                e[k]["name"] = json!("名".repeat(3000));
            },
            "姓名过长（3000 字）",
        ),
        (
            "an id of two letters",
            |p| p["checkins"][0]["id"] = json!("ab"),
            "第 1 条签到记录",
        ),
        (
            "a check-in time that is not a time (a wrong clock's is kept and flagged instead)",
            |p| p["checkins"][1]["at"] = json!("明天早上八点"),
            "不是合理的时间",
        ),
        (
            "an unknown method",
            |p| p["checkins"][0]["method"] = json!("teleport"),
            "签到方式“teleport”未知",
        ),
        (
            "a check-in of someone not in the package",
            |p| p["checkins"][0]["expert_id"] = json!("00000000-0000-4000-8000-000000000000"),
            "引用了包里没有的专家",
        ),
        (
            "a revocation without a reason",
            |p| {
                let c = p["checkins"][0]["id"].clone();
                p["revocations"] = json!([{ "id": "5b0f8a5e-3c1d-4f7a-9f00-000000000002", "checkin_id": c,
                "at": p["created_at"], "desk_id": "x", "desk_name": "2号台", "reason": "" }]);
            },
            "撤销原因为空",
        ),
        (
            "a phone of letters",
            |p| p["experts"][0]["phone"] = json!("call me"),
            "手机号",
        ),
        (
            "a desk package for an event this laptop does not have",
            |p| {
                let id = json!("7d1c5e8a-0000-4000-8000-00000000abcd");
                p["event"]["id"] = id.clone();
                for c in p["checkins"].as_array_mut().unwrap() {
                    c["event_id"] = id.clone();
                }
                for s in p["signups"].as_array_mut().unwrap() {
                    s["event_id"] = id.clone();
                }
            },
            "本机没有的活动",
        ),
    ];
    let before = day(&m);
    for (what, edit, message) in cases {
        let mut forged = p.clone();
        edit(&mut forged);
        let mut h = header.clone();
        h["event_id"] = forged["event"]["id"].clone();
        let f = write_forged(&dir.path().join("case.txpack"), h, &forged);
        let err = refused(&m, &f, &["--trust-foreign"]);
        assert!(err.contains(message), "{what}: {err}");
        assert!(
            err.contains("没有合并") || err.contains("没有任何改动"),
            "{what}: says nothing was merged: {err}"
        );
        assert_eq!(day(&m), before, "{what}: nothing merged");
    }
    // The package as written merges, on trust.
    let f = write_forged(&dir.path().join("as-written.txpack"), header, &p);
    let r = cli_json(&m, &["merge", f.to_str().unwrap(), "--trust-foreign"]);
    assert_eq!(r["added"]["checkins"], 2, "{r}");
}

#[test]
fn a_desk_package_adds_no_service_points() {
    let dir = tempfile::tempdir().unwrap();
    let m = demo_db(dir.path());
    let b = copy(&m, &dir.path().join("b.db"));
    cli_json(&b, &["checkin", "--code", "E-0042", "--desk", "2号台"]);
    let (header, mut p) = unsealed_package(&b, &dir.path().join("b.txpack"));
    assert_eq!(p["points"], json!([]), "a desk package carries no points");
    let event = p["event"]["id"].clone();
    p["points"] = json!([{ "id": "fake-bus", "event_id": event, "theme_id": null, "name": "9999 座大巴",
        "short_name": "", "address": "", "contact": "", "contact_phone": "", "capacity": 9999,
        "depart_time": "13:00", "bus": "", "sort_order": 9 }]);
    let f = write_forged(&dir.path().join("points.txpack"), header, &p);
    let points = cli_json(&m, &["points", "list"]);
    let r = cli_json(&m, &["merge", f.to_str().unwrap(), "--trust-foreign"]);
    assert_eq!(r["added"]["points"], 0, "{r}");
    assert_eq!(cli_json(&m, &["points", "list"]), points);
    assert_eq!(r["added"]["checkins"], 1);
}

#[test]
fn what_a_package_adds_is_reported_line_by_line_and_written_to_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let m = demo_db(dir.path());
    let b = copy(&m, &dir.path().join("b.db"));
    let c = cli_json(&b, &["checkin", "--code", "E-0042", "--desk", "2号台"]);
    let id = c["checkin"]["id"].as_str().unwrap().to_string();
    cli_json(&b, &["undo", &id, "--reason", "认错人", "--desk", "2号台"]);
    walk_in_at_desk_2(&b);
    let f = dir.path().join("b.txpack");
    let w = cli_json(
        &b,
        &["pack", "--out", f.to_str().unwrap(), "--desk", "2号台"],
    );
    assert_eq!(w["sealed"], true);
    let r = cli_json(&m, &["merge", f.to_str().unwrap()]);
    assert_eq!(r["sealed"], true);
    let lines: Vec<String> = r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    let name42 = code_of(&m, "E-0042")["name"].as_str().unwrap().to_string();
    for wanted in [
        "新增专家：顾晨曦".to_string(),
        format!("新增签到：{name42}"),
        "新增签到：顾晨曦".to_string(),
        "撤销签到：".to_string(),
        "（认错人）".to_string(),
    ] {
        assert!(
            lines.iter().any(|l| l.contains(&wanted)),
            "{wanted}: {lines:?}"
        );
    }
    let audit = cli_json(&m, &["audit"]).to_string();
    for l in &lines {
        assert!(audit.contains(l.as_str()), "audit has {l}");
    }
}

#[test]
fn a_package_carries_only_what_the_receiving_desk_needs() {
    let dir = tempfile::tempdir().unwrap();
    let m = demo_db(dir.path());
    let e = code_of(&m, "E-0042");
    cli_json(
        &m,
        &[
            "experts",
            "edit",
            "--code",
            "E-0042",
            "--notes",
            "私下：不吃辣",
            "--name",
            e["name"].as_str().unwrap(),
        ],
    );
    cli_json(&m, &["checkin", "--code", "E-0042"]);
    let (_, desk) = unsealed_package(&m, &dir.path().join("d.txpack"));
    for x in desk["experts"].as_array().unwrap() {
        for field in ["notes", "party", "gender", "field"] {
            assert_eq!(x[field], "", "desk package: {field} of {}", x["name"]);
        }
        assert!(!x["name"].as_str().unwrap().is_empty());
    }
    let sub = dir.path().join("s.txpack");
    cli_json(
        &m,
        &["subvenue", "--out", sub.to_str().unwrap(), "--unsealed"],
    );
    let bytes = std::fs::read(&sub).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("不吃辣"), "notes stay home");
    assert!(
        text.contains(e["party"].as_str().unwrap()),
        "the party is on the sheets"
    );
}
