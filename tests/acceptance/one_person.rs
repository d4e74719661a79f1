//! One person, one count at the door: a record merged into another is that person (its old
//! badge is a duplicate naming the first check-in), a record archived without a merge gets a
//! clear message instead of a check-in, and a badge is found through an index.

use tongxin_tests::{cli, cli_json, demo_day};

const EVENT: &str = "2024-jinshan";

fn live_count(db: &std::path::Path) -> usize {
    cli_json(db, &["checkins", "--event", EVENT])
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["revoked_at"].is_null())
        .count()
}

fn scan(db: &std::path::Path, code: &str) -> std::process::Output {
    cli(
        db,
        &[
            "checkin", "--event", EVENT, "--code", code, "--desk", "1号台", "--json",
        ],
    )
}

#[test]
fn the_old_badge_of_a_record_merged_into_another_is_that_person_already_checked_in() {
    let (_d, db) = demo_day();
    let out = cli(
        &db,
        &["experts", "merge", "--keep", "E-0080", "--other", "E-0081"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first: serde_json::Value = serde_json::from_slice(&scan(&db, "E-0080").stdout).unwrap();
    let before = live_count(&db);
    // The badge printed for E-0081 before the merge, and in small letters as a scanner may send.
    for badge in ["E-0081", "e-0081"] {
        let out = scan(&db, badge);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(again["outcome"], "duplicate", "{badge}: {again}");
        assert_eq!(again["checkin"]["id"], first["checkin"]["id"]);
        assert_eq!(again["expert"]["code"], "E-0080");
    }
    assert_eq!(
        live_count(&db),
        before,
        "实到 went up for a merged-away badge"
    );
}

#[test]
fn the_badge_of_a_record_archived_without_a_merge_is_refused_with_a_message() {
    let (_d, db) = demo_day();
    let first: serde_json::Value = serde_json::from_slice(&scan(&db, "E-0070").stdout).unwrap();
    let id = first["checkin"]["id"].as_str().unwrap();
    let out = cli(&db, &["undo", id, "--reason", "扫错了"]);
    assert!(out.status.success());
    let out = cli(&db, &["experts", "archive", "--code", "E-0070"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = live_count(&db);
    let out = scan(&db, "E-0070");
    assert!(!out.status.success(), "an archived record was checked in");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("已归档"), "{err}");
    assert_eq!(live_count(&db), before);
}

#[test]
fn a_badge_is_looked_up_through_an_index_not_by_reading_every_expert() {
    let (_d, db) = demo_day();
    let c = tongxin_tests::open_raw(&db);
    let plan: Vec<String> = c
        .prepare("EXPLAIN QUERY PLAN SELECT id FROM expert WHERE code = ?1 COLLATE NOCASE")
        .unwrap()
        .query_map(["e-0081"], |r| r.get::<_, String>(3))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(
        plan.iter()
            .any(|p| p.contains("USING") && p.contains("INDEX")),
        "{plan:?}"
    );
}

/// `tongxin-cli --db DB ARGS…` on a laptop whose clock reads `clock` (faketime's syntax:
/// `+3d`, `-3d`, or an absolute '2009-01-01 08:30:00').
fn at_clock(db: &std::path::Path, clock: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new("faketime")
        .arg("-f")
        .arg(clock)
        .arg(tongxin_tests::target_bin("tongxin-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TONGXIN_DB")
        .output()
        .unwrap()
}

fn desk_copy(m: &std::path::Path, to: &std::path::Path) {
    let out = cli(m, &["backup", "--out", to.to_str().unwrap()]);
    assert!(out.status.success());
}

#[test]
fn a_laptop_whose_clock_runs_three_days_fast_keeps_its_morning_and_is_named_for_review() {
    let dir = tempfile::tempdir().unwrap();
    let m = tongxin_tests::demo_db(dir.path());
    let b = dir.path().join("b.db");
    desk_copy(&m, &b);
    let out = at_clock(
        &b,
        "+3d",
        &["checkin", "--code", "E-0042", "--desk", "2号台", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mine: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pack = dir.path().join("b.txpack");
    let out = at_clock(
        &b,
        "+3d",
        &["pack", "--out", pack.to_str().unwrap(), "--desk", "2号台"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cli(&m, &["merge", pack.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "the main laptop refused the fast desk's morning: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let here = cli_json(&m, &["checkins", "--event", EVENT]);
    let kept = here
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == mine["checkin"]["id"])
        .expect("the fast desk's check-in is here");
    assert_eq!(
        kept["at"], mine["checkin"]["at"],
        "kept with the time the desk recorded"
    );
    let flagged = report["flagged"].to_string();
    assert!(flagged.contains("2号台的时钟比本机快 3 天"), "{flagged}");
    // The main laptop's own clock is right: the fast desk's times do not make it say otherwise.
    let out = cli(&m, &["checkin", "--code", "E-0043", "--desk", "1号台"]);
    assert!(out.status.success());
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("本机时钟"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_main_laptop_whose_clock_was_set_back_still_takes_the_desks_packages() {
    let dir = tempfile::tempdir().unwrap();
    let m = tongxin_tests::demo_db(dir.path());
    let b = dir.path().join("b.db");
    desk_copy(&m, &b);
    cli_json(&b, &["checkin", "--code", "E-0042", "--desk", "2号台"]);
    let pack = dir.path().join("b.txpack");
    cli_json(
        &b,
        &["pack", "--out", pack.to_str().unwrap(), "--desk", "2号台"],
    );
    let out = at_clock(&m, "-3d", &["merge", pack.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["flagged"]
            .to_string()
            .contains("2号台的时钟比本机快 3 天"),
        "{report}"
    );
}

#[test]
fn a_desk_whose_clock_is_behind_its_own_records_says_so_when_it_checks_in() {
    let (_d, db) = demo_day();
    let out = at_clock(
        &db,
        "@2009-01-01 08:30:00",
        &[
            "checkin", "--event", EVENT, "--code", "E-0042", "--desk", "1号台",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("本机时钟") && said.contains("2009"), "{said}");
}

#[test]
fn a_walk_in_sharing_a_phone_with_someone_else_is_merged_as_their_own_person() {
    let dir = tempfile::tempdir().unwrap();
    let m = tongxin_tests::demo_db(dir.path());
    let b = dir.path().join("b.db");
    desk_copy(&m, &b);
    // The same office landline, two colleagues: one registered at the main door, one at 2号台.
    for (db, name, desk) in [(&m, "张三", "1号台"), (&b, "王小明", "2号台")] {
        let args = [
            "walkin",
            "--name",
            name,
            "--phone",
            "02157930000",
            "--organisation",
            "某某公司",
            "--desk",
            desk,
        ];
        cli_json(db, &args);
    }
    let pack = dir.path().join("b.txpack");
    cli_json(
        &b,
        &["pack", "--out", pack.to_str().unwrap(), "--desk", "2号台"],
    );
    cli_json(&m, &["merge", pack.to_str().unwrap()]);
    let experts = cli_json(&m, &["experts"]);
    let id_of = |name: &str| {
        experts
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .map(|e| e["id"].as_str().unwrap().to_string())
    };
    let wang = id_of("王小明").expect("王小明 is a person of his own on the main laptop");
    let zhang = id_of("张三").unwrap();
    let live: Vec<String> = cli_json(&m, &["checkins", "--event", EVENT])
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["revoked_at"].is_null())
        .map(|c| c["expert_id"].as_str().unwrap().to_string())
        .collect();
    assert!(live.contains(&wang), "王小明's check-in is his");
    assert_eq!(
        live.iter().filter(|e| **e == zhang).count(),
        1,
        "张三 is counted once, for his own check-in"
    );
}

#[test]
fn someone_waiting_for_a_service_point_is_still_expected_at_the_plenary_and_on_its_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let db = tongxin_tests::demo_db(dir.path());
    let ev = cli_json(
        &db,
        &[
            "event-add",
            "--name",
            "金山区科技服务活动",
            "--short-name",
            "科技服务",
            "--date",
            "2024-10-12",
            "--place",
            "金山",
        ],
    )["event"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let point = cli_json(
        &db,
        &[
            "points",
            "--event",
            &ev,
            "add",
            "--name",
            "山塘村",
            "--capacity",
            "1",
        ],
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    for code in ["E-0001", "E-0002"] {
        cli_json(
            &db,
            &[
                "signup", "add", "--event", &ev, "--code", code, "--point", &point,
            ],
        );
    }
    // One on the bus, one waiting for a place on it: both are expected at the plenary.
    let venue = cli_json(&db, &["attendance", "--event", &ev]);
    assert_eq!(venue["expected"], 2, "{venue}");
    let at_point = cli_json(&db, &["attendance", "--event", &ev, "--checkpoint", &point]);
    assert_eq!(at_point["expected"], 1, "the bus holds one: {at_point}");
    let out = dir.path().join("sheet.csv");
    cli_json(
        &db,
        &[
            "export",
            "sheet",
            "--event",
            &ev,
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let sheet = String::from_utf8_lossy(&std::fs::read(&out).unwrap()).into_owned();
    let names = cli_json(&db, &["experts"]);
    let name_of = |code: &str| {
        names
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["code"] == code)
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let waiting = sheet
        .lines()
        .find(|l| l.contains(&name_of("E-0002")))
        .unwrap_or_else(|| {
            panic!("the one waiting is missing from the sheet the door signs:\n{sheet}")
        });
    assert!(waiting.contains("候补"), "{waiting}");
    assert!(sheet.contains(&name_of("E-0001")));
}

#[test]
fn a_list_row_with_someone_else_s_phone_never_renames_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = tongxin_tests::demo_db(dir.path());
    // 缪汉青's mobile on another name; then two colleagues on one office line.
    let text = "姓名,手机,工作单位\n王小明,13779797514,某某公司\n李雷,02157930000,甲公司\n韩梅梅,02157930000,甲公司\n";
    let file = dir.path().join("list.csv");
    std::fs::write(&file, text).unwrap();
    let r = cli_json(
        &db,
        &["import", file.to_str().unwrap(), "--kind", "experts"],
    );
    assert_eq!(r["counts"]["updated"], 0, "{}", r["counts"]);
    assert_eq!(r["counts"]["added"], 3, "{}", r["counts"]);
    let flagged: Vec<u64> = r["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "same_phone_other_name")
        .map(|p| p["row"].as_u64().unwrap())
        .collect();
    assert_eq!(flagged, [2, 4], "{}", r["problems"]);
    let said = r["problems"].to_string();
    assert!(said.contains("缪汉青") && said.contains("李雷"), "{said}");
    let experts = cli_json(&db, &["experts"]);
    let by_name = |name: &str| {
        experts
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .cloned()
    };
    let miao = by_name("缪汉青").expect("缪汉青 is still on file by his name");
    assert_eq!(miao["organisation"], "上海大学");
    for name in ["王小明", "李雷", "韩梅梅"] {
        assert!(by_name(name).is_some(), "{name} was not imported");
    }
}

#[test]
fn a_shared_phone_row_is_what_the_coordinator_chose() {
    let dir = tempfile::tempdir().unwrap();
    let db = tongxin_tests::demo_db(dir.path());
    // Rows 2–4 carry 缪汉青's mobile under other names; row 5 a landline two colleagues share.
    let text = "姓名,手机,工作单位\n缪瀚青,13779797514,上海大学\n王小明,13779797514,某某公司\n赵六,13779797514,丙公司\n";
    let file = dir.path().join("list.csv");
    std::fs::write(&file, text).unwrap();
    let f = file.to_str().unwrap();
    let dry = cli_json(&db, &["import", f, "--kind", "experts", "--dry-run"]);
    let rows: Vec<(u64, String, bool, String)> = dry["shared_phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["row"].as_u64().unwrap(),
                s["on_file_name"].as_str().unwrap().to_string(),
                s["mobile"].as_bool().unwrap(),
                s["choice"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [(2, "缪汉青".to_string(), true, "another".to_string())],
        "only the first row naming the phone is asked about (the others share it in the file): {}",
        dry["shared_phones"]
    );
    // The coordinator knows row 2 is 缪汉青 with his name corrected.
    let r = cli_json(
        &db,
        &["import", f, "--kind", "experts", "--shared-phone", "2=same"],
    );
    assert_eq!(r["counts"]["updated"], 1, "{}", r["counts"]);
    let experts = cli_json(&db, &["experts"]);
    let named = |name: &str| {
        experts
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["name"] == name)
            .count()
    };
    assert_eq!(named("缪汉青"), 0, "the chosen update renames the record");
    assert_eq!(named("缪瀚青"), 1, "one record under the corrected name");
}

#[test]
fn a_shared_phone_row_can_be_skipped_and_a_shared_landline_finds_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = tongxin_tests::demo_db(dir.path());
    let first = dir.path().join("first.csv");
    std::fs::write(
        &first,
        "姓名,手机,工作单位\n李雷,02157930000,甲公司\n韩梅梅,02157930000,甲公司\n",
    )
    .unwrap();
    let r = cli_json(
        &db,
        &["import", first.to_str().unwrap(), "--kind", "experts"],
    );
    assert_eq!(r["counts"]["added"], 2, "{}", r["counts"]);
    // The same list again: both colleagues are found under their own names on the shared line,
    // nobody is asked about and nobody added twice.
    let again = cli_json(
        &db,
        &["import", first.to_str().unwrap(), "--kind", "experts"],
    );
    assert_eq!(again["counts"]["added"], 0, "{}", again);
    assert_eq!(
        again["shared_phones"].as_array().unwrap().len(),
        0,
        "{again}"
    );
    // A third name on the line, skipped by choice: nothing written for it.
    let third = dir.path().join("third.csv");
    std::fs::write(
        &third,
        "姓名,手机,工作单位\n张伟,02157930000,甲公司\n周新,13900001111,乙公司\n",
    )
    .unwrap();
    let t = third.to_str().unwrap();
    let dry = cli_json(&db, &["import", t, "--kind", "experts", "--dry-run"]);
    assert_eq!(dry["shared_phones"][0]["mobile"], false, "{dry}");
    let r = cli_json(
        &db,
        &["import", t, "--kind", "experts", "--shared-phone", "2=skip"],
    );
    assert_eq!(
        (
            r["counts"]["added"].as_u64(),
            r["counts"]["skipped"].as_u64()
        ),
        (Some(1), Some(1)),
        "{}",
        r["counts"]
    );
    let experts = cli_json(&db, &["experts"]);
    let has = |name: &str| {
        experts
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == name)
    };
    assert!(!has("张伟"), "a row skipped by choice was imported");
    assert!(has("周新"), "the row after it was not imported");
}
