//! A sign-up list obeys the points' places as the desk does: the rows beyond a point's
//! capacity go to its waiting list in file order, the preview says so per point with the rows
//! (as Excel numbers them) before anything is written, and `--over-capacity` registers them
//! anyway. A point without a capacity takes everyone.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tongxin_tests::{cli, cli_json, demo_db};

/// A list as the associations send it: 姓名, 手机号码, 参加专题组; row 1 is the header, so the
/// n-th person is on row n + 1.
fn list(dir: &Path, name: &str, people: &[(&str, &str)]) -> PathBuf {
    let mut text = String::from("姓名,手机号码,参加专题组\n");
    for (i, (who, group)) in people.iter().enumerate() {
        text.push_str(&format!("{who},166{:08},{group}\n", 10_000 + i));
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn point_id(db: &Path, name: &str) -> String {
    cli_json(db, &["points"])
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("point {name}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// (name, status) at a point, registered first.
fn roster(db: &Path, point: &str) -> Vec<(String, String)> {
    cli_json(db, &["roster", "--point", point])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn count(roster: &[(String, String)], status: &str) -> usize {
    roster.iter().filter(|(_, s)| s == status).count()
}

fn overflow(r: &Value) -> Vec<(String, Vec<u64>, u64)> {
    r["overflow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["point"].as_str().unwrap().to_string(),
                o["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_u64().unwrap())
                    .collect(),
                o["waitlisted"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The demo day with a new point 金山嘴渔村 of 4 places, one of them taken (E-0008, moved
/// there from the plenary), and a list of five for it and two for 低空经济 (20 of 20).
fn near_full_day(dir: &Path) -> (PathBuf, PathBuf, String) {
    let db = demo_db(dir);
    cli_json(
        &db,
        &["points", "add", "--name", "金山嘴渔村", "--capacity", "4"],
    );
    let yucun = point_id(&db, "金山嘴渔村");
    cli_json(&db, &["move", "--code", "E-0008", "--to", &yucun]);
    let file = list(
        dir,
        "报名表.csv",
        &[
            ("钱一", "金山嘴渔村"), // row 2
            ("孙二", "低空经济组"), // row 3: 低空经济 is full
            ("李三", "金山嘴渔村"), // row 4
            ("周四", "金山嘴渔村"), // row 5: the last place
            ("赵五", "金山嘴渔村"), // row 6: beyond
            ("吴六", "低空经济"),   // row 7
            ("安七", "金山嘴渔村"), // row 8: beyond
        ],
    );
    (db, file, yucun)
}

#[test]
fn the_preview_names_the_rows_beyond_each_points_places_and_the_first_rows_get_them() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file, yucun) = near_full_day(dir.path());
    let f = file.to_str().unwrap();

    let preview = cli_json(&db, &["import", f, "--dry-run"]);
    assert_eq!(preview["committed"], false);
    assert_eq!(
        overflow(&preview),
        [
            ("低空经济（御风未来）".to_string(), vec![3, 7], 2),
            ("金山嘴渔村".to_string(), vec![6, 8], 2),
        ]
    );
    let text = String::from_utf8(cli(&db, &["import", f, "--dry-run"]).stdout).unwrap();
    assert!(
        text.contains(
            "低空经济（御风未来）：超出名额 2 人（名额 20，已报 20），第 3、7 行将进入候补。"
        ),
        "{text}"
    );
    assert!(
        text.contains("金山嘴渔村：超出名额 2 人（名额 4，已报 1），第 6、8 行将进入候补。"),
        "{text}"
    );
    assert!(
        text.contains("--over-capacity"),
        "the other choice is offered: {text}"
    );
    assert_eq!(roster(&db, &yucun).len(), 1, "a preview writes nothing");

    let report = cli_json(&db, &["import", f]);
    assert_eq!(report["committed"], true);
    assert_eq!(report["over_capacity"], "waitlist");
    assert_eq!(report["overflow"][1]["waitlisted"], 2);
    assert_eq!(
        report["overflow"][1]["message"],
        "金山嘴渔村：名额 4 已满，2 人进入候补（第 6、8 行）。"
    );

    let at_yucun = roster(&db, &yucun);
    assert_eq!(count(&at_yucun, "registered"), 4, "exactly the capacity");
    let waiting: Vec<&str> = at_yucun
        .iter()
        .filter(|(_, s)| s == "waiting")
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(waiting.len(), 2);
    assert!(waiting.contains(&"赵五") && waiting.contains(&"安七"));
    let p1 = roster(&db, "2024-jinshan-p1");
    assert_eq!(count(&p1, "registered"), 20, "低空经济 stays at 20");
    assert!(p1.contains(&("孙二".into(), "waiting".into())));
    assert!(p1.contains(&("吴六".into(), "waiting".into())));

    // The waiting list is in file order: the place E-0008 frees goes to row 6, not row 8.
    let cancelled = cli_json(&db, &["signup", "cancel", "--code", "E-0008"]);
    assert_eq!(cancelled["promoted"][0]["name"], "赵五");
}

#[test]
fn over_capacity_registers_everyone_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let (db, file, yucun) = near_full_day(dir.path());
    let f = file.to_str().unwrap();

    let preview = cli_json(&db, &["import", f, "--dry-run", "--over-capacity"]);
    assert_eq!(preview["overflow"][1]["waitlisted"], 0);
    assert_eq!(
        preview["overflow"][1]["message"],
        "金山嘴渔村：将超额报名 2 人（名额 4，报名后 6 人）。"
    );

    let report = cli_json(&db, &["import", f, "--over-capacity"]);
    assert_eq!(report["over_capacity"], "register");
    assert_eq!(
        report["overflow"][0]["message"],
        "低空经济（御风未来）：已超额报名 2 人（名额 20，现 22 人）。"
    );
    let at_yucun = roster(&db, &yucun);
    assert_eq!(count(&at_yucun, "registered"), 6);
    assert_eq!(count(&at_yucun, "waiting"), 0);
    assert_eq!(count(&roster(&db, "2024-jinshan-p1"), "registered"), 22);
}

#[test]
fn a_point_without_a_capacity_takes_everyone_and_a_new_points_capacity_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    // The points sheet creates both: one with no number of places, one with 3.
    let sheet = dir.path().join("服务点位.csv");
    std::fs::write(
        &sheet,
        "服务点位,专题组,接待人数\n金山嘴渔村,海洋经济,\n枫泾古镇,文旅产业,3人\n",
    )
    .unwrap();
    cli_json(
        &db,
        &["import", sheet.to_str().unwrap(), "--kind", "points"],
    );

    let mut people: Vec<(String, &str)> = (1..=25)
        .map(|i| (format!("渔村专家{i:02}"), "金山嘴渔村"))
        .collect();
    people.extend((1..=5).map(|i| (format!("古镇专家{i}"), "枫泾古镇")));
    let people: Vec<(&str, &str)> = people.iter().map(|(n, g)| (n.as_str(), *g)).collect();
    let file = list(dir.path(), "报名表.csv", &people);

    let report = cli_json(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(report["counts"]["added"], 30);
    assert_eq!(
        overflow(&report),
        [("文旅产业（枫泾古镇）".to_string(), vec![30, 31], 2)],
        "only the point with a capacity overflows: rows 27–29 take its 3 places"
    );
    let yucun = roster(&db, &point_id(&db, "金山嘴渔村"));
    assert_eq!(count(&yucun, "registered"), 25);
    assert_eq!(count(&yucun, "waiting"), 0);
    let fengjing = roster(&db, &point_id(&db, "枫泾古镇"));
    assert_eq!(count(&fengjing, "registered"), 3);
    assert_eq!(count(&fengjing, "waiting"), 2);
}
