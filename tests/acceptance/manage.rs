//! Preparing the day through the CLI: experts added, edited, merged and archived; sign-ups
//! with capacity and a waiting list that moves up; suggestions; a sub-venue with copied
//! service points.

use tongxin_tests::{cli, cli_json, demo_day};

fn err(db: &std::path::Path, args: &[&str]) -> String {
    let out = cli(db, args);
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn experts_are_added_edited_merged_and_archived_without_losing_a_check_in() {
    let (_d, db) = demo_day();
    let a = cli_json(
        &db,
        &[
            "experts",
            "add",
            "--name",
            "韩　冬",
            "--phone",
            "139 1234 5001",
            "--organisation",
            "复旦大学",
        ],
    );
    assert_eq!(a["name"], "韩冬");
    let code = a["code"].as_str().unwrap().to_string();
    assert!(err(
        &db,
        &[
            "experts",
            "add",
            "--name",
            "另一个人",
            "--phone",
            "13912345001"
        ]
    )
    .contains("韩冬"));
    assert!(err(&db, &["experts", "add", "--name", " "]).contains("姓名"));
    let e = cli_json(
        &db,
        &[
            "experts",
            "edit",
            "--code",
            &code,
            "--name",
            "韩冬",
            "--phone",
            "13912345001",
            "--title",
            "教授",
        ],
    );
    assert_eq!(e["title"], "教授");

    // A second record of the same person, checked in at the door, merged into the first.
    let b = cli_json(
        &db,
        &["experts", "add", "--name", "韩冬", "--organisation", "复旦"],
    );
    let b_code = b["code"].as_str().unwrap().to_string();
    cli_json(&db, &["signup", "add", "--code", &b_code]);
    cli_json(&db, &["checkin", "--code", &b_code]);
    let present = cli_json(&db, &["attendance"])["present"].as_u64().unwrap();
    let m = cli_json(
        &db,
        &["experts", "merge", "--keep", &code, "--other", &b_code],
    );
    assert_eq!(m["moved_checkins"], 1);
    assert_eq!(
        cli_json(&db, &["attendance"])["present"].as_u64().unwrap(),
        present,
        "still one attendance"
    );
    let list = cli_json(&db, &["experts"]);
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == b_code.as_str()),
        "the other record is archived"
    );

    // Archived (has a check-in) versus deleted (never came).
    let r = cli_json(&db, &["experts", "archive", "--code", &code]);
    assert_eq!(r["result"], "archived");
    let c = cli_json(&db, &["experts", "add", "--name", "没来的人"]);
    let r = cli_json(
        &db,
        &["experts", "archive", "--code", c["code"].as_str().unwrap()],
    );
    assert_eq!(r["result"], "deleted");
}

#[test]
fn a_full_point_has_a_waiting_list_that_moves_up_when_a_place_frees() {
    let (_d, db) = demo_day();
    let p1 = "2024-jinshan-p1"; // 御风未来, full in the demo
    let new = cli_json(&db, &["experts", "add", "--name", "候补者"]);
    let code = new["code"].as_str().unwrap().to_string();
    let s = cli_json(&db, &["signup", "add", "--code", &code, "--point", p1]);
    assert_eq!(s["signup"]["status"], "waiting");
    let position = s["waiting_position"].as_u64().unwrap();
    assert!(position >= 1);
    assert!(err(
        &db,
        &[
            "signup",
            "add",
            "--code",
            &code,
            "--point",
            "2024-jinshan-p2"
        ]
    )
    .contains("已报名"));

    // Free places one by one: the waiting list moves up in order, our expert last.
    let roster = cli_json(&db, &["roster", "--point", p1]);
    let registered: Vec<String> = roster
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "registered")
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    for (i, leaving) in registered.iter().take(position as usize).enumerate() {
        let r = cli_json(&db, &["signup", "cancel", "--code", leaving]);
        assert_eq!(
            r["promoted"].as_array().unwrap().len(),
            1,
            "place {i} goes to the next one waiting"
        );
    }
    let roster = cli_json(&db, &["roster", "--point", p1]);
    let me = roster
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code.as_str())
        .unwrap();
    assert_eq!(me["status"], "registered");
}

#[test]
fn suggestions_place_the_unassigned_and_a_sub_venue_copies_the_points() {
    let (_d, db) = demo_day();
    let before = cli_json(&db, &["suggest"]);
    let n = before.as_array().unwrap().len();
    // The demo's points are full: first give one room.
    cli_json(
        &db,
        &[
            "points",
            "add",
            "--name",
            "金山嘴渔村",
            "--capacity",
            "40",
            "--depart",
            "13:15",
            "--bus",
            "6号车",
        ],
    );
    let s = cli_json(&db, &["suggest"]);
    assert!(s.as_array().unwrap().len() >= n);
    assert!(s
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["reason"].as_str().unwrap().len() > 3));
    let applied = cli_json(&db, &["suggest", "--apply"]);
    assert_eq!(applied, s);
    assert_eq!(
        cli_json(&db, &["suggest"]).as_array().unwrap().len(),
        0,
        "everyone placed"
    );

    let e = cli_json(
        &db,
        &[
            "event-add",
            "--name",
            "2025年专家服务日",
            "--short-name",
            "枫泾分会场",
            "--date",
            "2025-09-28",
            "--parent",
            "2024-jinshan",
            "--copy-points-from",
            "2024-jinshan",
        ],
    );
    assert_eq!(e["copied_points"], 6);
    let id = e["event"]["id"].as_str().unwrap();
    assert_eq!(
        cli_json(&db, &["points", "--event", id])
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert!(err(&db, &["event-add", "--name", "x", "--date", "明天"]).contains("日期"));
}
