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
    let c = rusqlite::Connection::open(&db).unwrap();
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
