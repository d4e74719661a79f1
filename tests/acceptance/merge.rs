//! Several desks, nothing lost: desk packages merged by file in every order and twice give the
//! same day; revocations travel; a walk-in registered at two doors is one person; the same
//! list imported on two laptops still merges; sub-venue packages go out and come back; broken
//! packages change nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use tongxin_core::walkin::{self, WalkInForm};
use tongxin_core::{attendance, checkin, package, store, synth::Rng, Checkpoint, Db, Desk, Method};
use tongxin_tests::{cli, cli_json};

const EVENT: &str = "2024-jinshan";

fn desk(n: u32) -> Desk {
    Desk {
        id: format!("desk-{n}"),
        name: format!("{n}号台"),
    }
}

fn master(dir: &Path) -> PathBuf {
    let p = dir.join("master.db");
    let mut db = Db::open(&p).unwrap();
    tongxin_core::demo::load(&mut db, Utc::now()).unwrap();
    p
}

fn copy(from: &Path, to: &Path) -> PathBuf {
    let db = Db::open(from).unwrap();
    tongxin_core::backup::copy_to(&db, to).unwrap();
    to.to_path_buf()
}

/// Five people who may turn up unannounced at any door, always giving the same details.
fn walk_in(k: usize) -> WalkInForm {
    let names = ["顾晨曦", "陆一鸣", "沈佳怡", "钱学文", "欧阳娜"];
    WalkInForm {
        name: names[k].into(),
        organisation: "金山区科委".into(),
        title: String::new(),
        phone: format!("1390000{:04}", 7000 + k),
        point_id: None,
    }
}

/// A morning at one desk: check-ins at the venue and at service points, a few undone, a few
/// walk-ins — decided by `seed`.
fn a_morning(path: &Path, d: &Desk, seed: u64) {
    let mut db = Db::open(path).unwrap();
    let mut rng = Rng::new(seed);
    let signups = store::signup::for_event(db.conn(), EVENT).unwrap();
    let start = Utc.with_ymd_and_hms(2024, 9, 29, 0, 30, 0).unwrap();
    let mut mine: Vec<String> = Vec::new();
    for i in 0..80 {
        let now = start + Duration::seconds(i * 37 + rng.below(30) as i64);
        match rng.below(100) {
            0..=69 => {
                let s = rng.pick(&signups);
                let cp = if rng.below(4) == 0 {
                    s.point_id
                        .clone()
                        .map(Checkpoint::Point)
                        .unwrap_or(Checkpoint::Main)
                } else {
                    Checkpoint::Main
                };
                let r =
                    checkin::check_in(&mut db, EVENT, &s.expert_id, &cp, Method::Search, d, now)
                        .unwrap();
                mine.push(r.checkin.id);
            }
            70..=84 if !mine.is_empty() => {
                let id = mine.remove(rng.below(mine.len()));
                let _ = checkin::revoke(&mut db, &id, "认错人", d, now);
            }
            _ => {
                let form = walk_in(rng.below(5));
                let _ = walkin::register(&mut db, EVENT, &form, &Checkpoint::Main, d, now);
            }
        }
    }
}

fn pack(path: &Path, d: &Desk, out: &Path) -> PathBuf {
    let db = Db::open(path).unwrap();
    let p = package::build(&db, EVENT, package::Kind::Desk, None, d, Utc::now()).unwrap();
    let bytes = package::to_bytes(&db, &p, &package::Sealing::EventKey).unwrap();
    std::fs::write(out, bytes).unwrap();
    out.to_path_buf()
}

/// What the coordinator sees of the day, independent of internal ids: every live and revoked
/// check-in (by person, place, time, desk), who is on file, the counts per checkpoint, the
/// double check-ins to review.
#[derive(Debug, PartialEq)]
struct Day {
    checkins: BTreeSet<(String, String, String, String, String, bool)>,
    people: BTreeSet<(String, String)>,
    counts: Vec<(i64, i64, i64)>,
    flagged: BTreeSet<(String, String, String)>,
}

fn person_key(db: &Db, expert_id: &str) -> String {
    let e = store::expert::get(db.conn(), expert_id).unwrap().unwrap();
    if e.phone.is_empty() {
        e.code
    } else {
        e.phone
    }
}

fn the_day(path: &Path) -> Day {
    let db = Db::open(path).unwrap();
    let mut checkins = BTreeSet::new();
    let mut points: Vec<Option<String>> = vec![None];
    points.extend(
        store::point::list_for_event(db.conn(), EVENT)
            .unwrap()
            .into_iter()
            .map(|p| Some(p.id)),
    );
    for cp in &points {
        for c in store::checkin::for_checkpoint(db.conn(), EVENT, cp.as_deref()).unwrap() {
            checkins.insert((
                c.id.clone(),
                person_key(&db, &c.expert_id),
                cp.clone().unwrap_or_default(),
                c.at.clone(),
                c.desk_name.clone(),
                c.revoked_at.is_some(),
            ));
        }
    }
    let people = store::expert::list(db.conn())
        .unwrap()
        .into_iter()
        .map(|e| (e.name, e.phone))
        .collect();
    let counts = points
        .iter()
        .map(|cp| {
            let cp = cp
                .clone()
                .map(Checkpoint::Point)
                .unwrap_or(Checkpoint::Main);
            let a = attendance::attendance(&db, EVENT, &cp).unwrap();
            (a.expected, a.present, a.walk_ins)
        })
        .collect();
    let flagged = package::flags(&db, EVENT)
        .unwrap()
        .into_iter()
        .map(|f| (f.name, f.checkpoint, f.records))
        .collect();
    Day {
        checkins,
        people,
        counts,
        flagged,
    }
}

#[test]
fn three_desks_merged_in_every_order_and_twice_give_the_same_day() {
    let dir = tempfile::tempdir().unwrap();
    let m = master(dir.path());
    let packages: Vec<PathBuf> = (1..=3)
        .map(|n| {
            let p = copy(&m, &dir.path().join(format!("desk{n}.db")));
            a_morning(&p, &desk(n), 1000 + u64::from(n));
            pack(&p, &desk(n), &dir.path().join(format!("desk{n}.txpack")))
        })
        .collect();
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let mut days = Vec::new();
    for (k, order) in orders.iter().enumerate() {
        let target = copy(&m, &dir.path().join(format!("merged{k}.db")));
        for &i in order {
            cli_json(&target, &["merge", packages[i].to_str().unwrap()]);
        }
        // Twice: nothing changes, everything is "already present".
        let mut again = 0;
        for &i in order {
            let r = cli_json(&target, &["merge", packages[i].to_str().unwrap()]);
            assert_eq!(r["added"]["checkins"], 0, "{r}");
            assert_eq!(r["added"]["revocations"], 0);
            assert_eq!(r["added"]["experts"], 0);
            again += r["already"]["checkins"].as_u64().unwrap();
        }
        assert!(again > 0);
        days.push(the_day(&target));
    }
    for d in &days[1..] {
        assert_eq!(d, &days[0], "every order gives the same day");
    }
    let day = &days[0];
    let live = day.checkins.iter().filter(|c| !c.5).count();
    let revoked = day.checkins.len() - live;
    // Five walk-in identities at most, however many doors registered them.
    let walk_ins = day
        .people
        .iter()
        .filter(|p| p.1.starts_with("13900007"))
        .count();
    assert!(walk_ins <= 5 && walk_ins > 0, "{walk_ins}");
    println!(
        "three desks: {} check-ins ({live} live, {revoked} revoked), {} walk-in people, {} flagged double check-ins, venue {:?}",
        day.checkins.len(),
        walk_ins,
        day.flagged.len(),
        day.counts[0]
    );
}

#[test]
fn a_revocation_made_on_one_desk_applies_on_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let m = master(dir.path());
    let a = copy(&m, &dir.path().join("a.db"));
    let b = copy(&m, &dir.path().join("b.db"));
    let r = cli_json(&a, &["checkin", "--code", "E-0042", "--desk", "1号台"]);
    let id = r["checkin"]["id"].as_str().unwrap().to_string();
    let pa = dir.path().join("a.txpack");
    cli_json(
        &a,
        &["pack", "--out", pa.to_str().unwrap(), "--desk", "1号台"],
    );
    cli_json(&b, &["merge", pa.to_str().unwrap()]);
    cli_json(&b, &["undo", &id, "--reason", "认错人", "--desk", "2号台"]);
    let pb = dir.path().join("b.txpack");
    cli_json(
        &b,
        &["pack", "--out", pb.to_str().unwrap(), "--desk", "2号台"],
    );
    // The master hears from desk 2 first: the check-in comes along with its revocation.
    let before = cli_json(&m, &["attendance"])["present"].as_u64().unwrap();
    cli_json(&m, &["merge", pb.to_str().unwrap()]);
    cli_json(&m, &["merge", pa.to_str().unwrap()]);
    assert_eq!(
        cli_json(&m, &["attendance"])["present"].as_u64().unwrap(),
        before
    );
    let all = cli_json(&m, &["checkins"]);
    let c = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap();
    assert!(c["revoked_at"].is_string());
    // Desk 1 learns it too.
    cli_json(&a, &["merge", pb.to_str().unwrap()]);
    let c = cli_json(&a, &["checkins"]);
    assert!(c
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == id.as_str() && c["revoked_at"].is_string()));
}

#[test]
fn the_same_person_at_two_desks_is_one_attendance_flagged_for_review() {
    let dir = tempfile::tempdir().unwrap();
    let m = master(dir.path());
    let a = copy(&m, &dir.path().join("a.db"));
    let b = copy(&m, &dir.path().join("b.db"));
    cli_json(&a, &["checkin", "--code", "E-0042", "--desk", "1号台"]);
    cli_json(&b, &["checkin", "--code", "E-0042", "--desk", "2号台"]);
    // The same walk-in registered at both doors.
    for (db, d) in [(&a, "1号台"), (&b, "2号台")] {
        cli_json(
            db,
            &[
                "walkin",
                "--name",
                "顾晨曦",
                "--phone",
                "13900007777",
                "--desk",
                d,
            ],
        );
    }
    let before = cli_json(&m, &["attendance"]);
    let experts_before = cli_json(&m, &["experts"]).as_array().unwrap().len();
    for (db, d) in [(&a, "1号台"), (&b, "2号台")] {
        let out = dir.path().join(format!("{d}.txpack"));
        cli_json(db, &["pack", "--out", out.to_str().unwrap(), "--desk", d]);
        let r = cli_json(&m, &["merge", out.to_str().unwrap()]);
        if d == "2号台" {
            assert_eq!(
                r["matched_experts"], 1,
                "the walk-in is the one from desk 1: {r}"
            );
            let flags = r["flagged"].as_array().unwrap();
            let names: Vec<&str> = flags.iter().map(|f| f["name"].as_str().unwrap()).collect();
            assert!(names.contains(&"顾晨曦") && flags.len() == 2, "{r}");
            let rec = flags.iter().find(|f| f["name"] != "顾晨曦").unwrap()["records"]
                .as_str()
                .unwrap();
            assert!(rec.contains("1号台") && rec.contains(" / 2号台"), "{rec}");
        }
    }
    let after = cli_json(&m, &["attendance"]);
    assert_eq!(
        after["present"].as_u64().unwrap(),
        before["present"].as_u64().unwrap() + 2,
        "E-0042 once, the walk-in once"
    );
    assert_eq!(
        cli_json(&m, &["experts"]).as_array().unwrap().len(),
        experts_before + 1
    );
    let checkins = cli_json(&m, &["checkins"]);
    assert_eq!(
        checkins
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["desk_name"] == "2号台")
            .count(),
        2,
        "both records kept"
    );
}

#[test]
fn laptops_that_imported_the_same_list_separately_still_merge() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("名单.csv");
    std::fs::write(&list, "姓名,手机,工作单位,参加专题组\n韩冬,13912345001,复旦大学,文旅\n许晴,13912345002,同济大学,新材料\n").unwrap();
    let a = master(dir.path());
    let b = dir.path().join("b.db");
    cli_json(&b, &["demo"]);
    for db in [&a, &b] {
        cli_json(db, &["import", list.to_str().unwrap()]);
    }
    let xu = |db: &Path| {
        cli_json(db, &["experts"])
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "许晴")
            .unwrap()
            .clone()
    };
    assert_ne!(xu(&a)["id"], xu(&b)["id"], "two imports, two ids");
    cli_json(
        &b,
        &[
            "checkin",
            "--code",
            xu(&b)["code"].as_str().unwrap(),
            "--desk",
            "2号台",
        ],
    );
    // The two laptops share no key: b writes an unsealed package, a merges it on trust.
    let out = dir.path().join("b.txpack");
    let sealed = dir.path().join("b-sealed.txpack");
    cli_json(
        &b,
        &["pack", "--out", sealed.to_str().unwrap(), "--desk", "2号台"],
    );
    let refused = cli(&a, &["merge", sealed.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("无法通过验证"),
        "a's key does not open b's package"
    );
    let w = cli_json(
        &b,
        &[
            "pack",
            "--out",
            out.to_str().unwrap(),
            "--desk",
            "2号台",
            "--unsealed",
        ],
    );
    assert_eq!(w["sealed"], false);
    let n = cli_json(&a, &["experts"]).as_array().unwrap().len();
    let untrusted = cli(&a, &["merge", out.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&untrusted.stderr).contains("此数据包未加密"));
    let r = cli_json(&a, &["merge", out.to_str().unwrap(), "--trust-foreign"]);
    assert_eq!(r["sealed"], false);
    assert_eq!(r["added"]["experts"], 0, "{r}");
    assert_eq!(r["matched_experts"], 1);
    assert_eq!(cli_json(&a, &["experts"]).as_array().unwrap().len(), n);
    let here = cli_json(&a, &["checkins"]);
    assert!(here
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["expert_id"] == xu(&a)["id"]));
}

#[test]
fn a_sub_venue_package_sets_up_a_laptop_and_its_results_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let m = master(dir.path());
    let sub = dir.path().join("subvenue.txpack");
    let r = cli_json(&m, &["subvenue", "--out", sub.to_str().unwrap()]);
    assert!(r["experts"].as_u64().unwrap() > 100);
    let phrase = r["passphrase"].as_str().unwrap().to_string();
    let district = dir.path().join("district.db");
    cli_json(&district, &["init"]);
    let before = std::fs::read(&district).unwrap();
    for (given, message) in [
        (None, "需要输入主会场电脑显示的口令"),
        (Some("K7QF-3M9P-XW2D-8H4T-RN6C"), "口令不对"),
    ] {
        let mut args = vec!["merge", sub.to_str().unwrap()];
        args.extend(given.iter().flat_map(|g| ["--passphrase", *g]));
        let out = cli(&district, &args);
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{given:?}"
        );
        assert_eq!(std::fs::read(&district).unwrap(), before);
    }
    // Typed back as read off the screen: lower case, spaces for dashes.
    let typed = phrase.to_lowercase().replace('-', " ");
    let setup = cli_json(
        &district,
        &["merge", sub.to_str().unwrap(), "--passphrase", &typed],
    );
    assert_eq!(setup["added"]["points"], 5, "{setup}");
    assert_eq!(
        cli_json(&district, &["attendance"])["expected"],
        cli_json(&m, &["attendance"])["expected"]
    );
    cli_json(
        &district,
        &["checkin", "--code", "E-0050", "--desk", "枫泾"],
    );
    let back = dir.path().join("district.txpack");
    cli_json(
        &district,
        &["pack", "--out", back.to_str().unwrap(), "--desk", "枫泾"],
    );
    let before = cli_json(&m, &["attendance"])["present"].as_u64().unwrap();
    let r = cli_json(&m, &["merge", back.to_str().unwrap()]);
    assert_eq!(r["added"]["experts"], 0, "{r}");
    assert_eq!(
        cli_json(&m, &["attendance"])["present"].as_u64().unwrap(),
        before + 1
    );
}

#[test]
fn a_broken_or_foreign_package_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let m = master(dir.path());
    let a = copy(&m, &dir.path().join("a.db"));
    cli_json(&a, &["checkin", "--code", "E-0042"]);
    let good = dir.path().join("a.txpack");
    cli_json(&a, &["pack", "--out", good.to_str().unwrap()]);
    let bytes = std::fs::read(&good).unwrap();
    let mut flipped = bytes.clone();
    let k = flipped.len() - 20;
    flipped[k] ^= 0x01;
    let nl = bytes.iter().position(|b| *b == b'\n').unwrap();
    let header = String::from_utf8(bytes[..nl].to_vec()).unwrap();
    assert!(header.contains("\"version\":2"), "{header}");
    let newer = [
        header
            .replacen("\"version\":2", "\"version\":99", 1)
            .into_bytes(),
        bytes[nl..].to_vec(),
    ]
    .concat();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", bytes[..bytes.len() / 2].to_vec(), "文件不完整"),
        ("one byte changed", flipped, "无法通过验证"),
        ("random bytes", (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect(), "不是同心签到的数据包"),
        ("empty", Vec::new(), "不是同心签到的数据包"),
        ("a text file", std::fs::read(tongxin_tests::root().join("assets/fonts/README.md")).unwrap(), "不是同心签到的数据包"),
        ("another format", b"{\"format\":\"other\",\"version\":1,\"kind\":\"desk\",\"sha256\":\"\",\"bytes\":0}\n{}".to_vec(), "不是同心签到的数据包"),
        ("newer", newer, "更新版本"),
    ];
    let db_bytes = || std::fs::read(&m).unwrap();
    let before = db_bytes();
    for (what, content, message) in cases {
        let f = dir.path().join(format!("{what}.txpack"));
        std::fs::write(&f, content).unwrap();
        let out = cli(&m, &["merge", f.to_str().unwrap()]);
        assert!(!out.status.success(), "{what}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{what}: {err}");
        assert_eq!(db_bytes(), before, "{what}: the database is unchanged");
    }
}

#[test]
fn a_long_package_merges_in_parts_and_one_cut_short_completes_when_merged_again() {
    let dir = tempfile::tempdir().unwrap();
    let m = master(dir.path());
    {
        let mut db = Db::open(&m).unwrap();
        let people = tongxin_core::synth::experts(5_000, 7);
        tongxin_core::synth::load(&mut db, EVENT, &people, Utc::now()).unwrap();
    }
    let a = copy(&m, &dir.path().join("a.db"));
    let d = desk(2);
    // One real check-in at desk 2, and one like it for each of the 5,000 others: a package
    // of more than two parts.
    let bytes = {
        let mut db = Db::open(&a).unwrap();
        let people = store::expert::list_all(db.conn()).unwrap();
        checkin::check_in(
            &mut db,
            EVENT,
            &people[0].id,
            &Checkpoint::Main,
            Method::Scan,
            &d,
            Utc::now(),
        )
        .unwrap();
        let mut p = package::build(&db, EVENT, package::Kind::Desk, None, &d, Utc::now()).unwrap();
        let first = p.checkins[0].clone();
        for e in people.iter().skip(1) {
            p.experts.push(e.clone());
            p.checkins.push(package::PackCheckIn {
                id: store::new_id(),
                expert_id: e.id.clone(),
                ..first.clone()
            });
        }
        package::to_bytes(&db, &p, &package::Sealing::EventKey).unwrap()
    };
    let live = |db: &Db| -> i64 {
        db.conn()
            .query_row(
                "SELECT count(*) FROM checkin WHERE event_id = ?1",
                [EVENT],
                |r| r.get(0),
            )
            .unwrap()
    };
    let mut db = Db::open(&m).unwrap();
    let opened = package::open(&db, &bytes, &package::Unlock::default()).unwrap();
    let total = opened.payload.checkins.len() + opened.payload.revocations.len();
    assert!(total > 2 * package::PART, "{total} records");
    // The demo's own check-ins are on both laptops, and in the package too.
    let before = live(&db) as usize;
    let carried = opened.payload.checkins.len();
    // Cut short after the set-up and one part, as a power cut between two parts would.
    {
        let mut merging = package::Merging::new(&opened, &desk(1), Utc::now());
        assert!(merging.step(&mut db).unwrap().is_none(), "the set-up");
        assert!(merging.step(&mut db).unwrap().is_none(), "the first part");
        assert_eq!(merging.progress(), (package::PART, total));
    }
    let first_part = live(&db) as usize - before;
    assert!(
        first_part + before >= package::PART,
        "the part written stays written: {first_part}"
    );
    // The same file again: the rest, nothing twice.
    let r = package::merge(&mut db, &opened, &desk(1), Utc::now()).unwrap();
    assert_eq!(r.added.checkins, carried - before - first_part);
    assert_eq!(live(&db) as usize, carried);
    let again = package::merge(&mut db, &opened, &desk(1), Utc::now()).unwrap();
    assert_eq!((again.added.checkins, again.already.checkins), (0, carried));
}
