//! Venues converge: concurrent desks of two venues, and a package carried by file beside the
//! network.

use std::thread;

use super::*;

#[test]
fn three_desks_of_two_venues_checking_in_while_syncing_converge_on_one_set_of_check_ins() {
    let city = City::set_up();
    let (a1, a2, b1) = (city.desk("a1"), city.desk("a2"), city.desk("b1"));
    for (db, login) in [(&a1, "a1"), (&a2, "a2"), (&b1, "b1")] {
        ok("first sync", city.sync(db, login));
    }
    // Each desk has its venue's day from the server, and only that.
    assert_eq!(
        codes_not_arrived(&a1, MAIN),
        codes_not_arrived(&city.main_db, MAIN)
    );
    assert_eq!(codes_not_arrived(&b1, &city.sub).len(), 20);
    let events: Vec<String> = cli_json(&b1, &["events"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(events, vec![city.sub.clone()], "b1 sees its venue only");

    let main_codes = codes_not_arrived(&a1, MAIN);
    let sub_codes = codes_not_arrived(&b1, &city.sub);
    // a1 and a2 share ten people: whoever reaches them second either sees the first desk's
    // check-in (pulled) or records a second one before the two met.
    let jobs = [
        (
            a1.clone(),
            "a1",
            MAIN.to_string(),
            main_codes[0..40].to_vec(),
        ),
        (
            a2.clone(),
            "a2",
            MAIN.to_string(),
            main_codes[30..70].to_vec(),
        ),
        (
            b1.clone(),
            "b1",
            city.sub.clone(),
            sub_codes[0..20].to_vec(),
        ),
    ];
    thread::scope(|s| {
        for (db, login, event, codes) in &jobs {
            let city = &city;
            s.spawn(move || {
                for (i, code) in codes.iter().enumerate() {
                    check_in(db, event, code, login);
                    if i % 5 == 4 {
                        ok("sync", city.sync(db, login));
                    }
                }
            });
        }
    });
    for _ in 0..2 {
        for (db, login, _, _) in &jobs {
            ok("last sync", city.sync(db, login));
        }
    }

    let server_main = city.server_checkins(MAIN);
    let server_sub = city.server_checkins(&city.sub);
    assert_eq!(local_checkins(&a1, MAIN), server_main);
    assert_eq!(local_checkins(&a2, MAIN), server_main);
    assert_eq!(local_checkins(&b1, &city.sub), server_sub);
    // Nothing doubled: the server holds exactly the demo's nine and what each desk made.
    let made_here = |db: &Path, event: &str, login: &str| {
        cli_json(db, &["checkins", "--event", event])
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["desk_id"] == format!("cli:{login}"))
            .count()
    };
    assert_eq!(
        server_main.len(),
        9 + made_here(&a1, MAIN, "a1") + made_here(&a2, MAIN, "a2")
    );
    assert_eq!(server_sub.len(), made_here(&b1, &city.sub, "b1"));
    assert_eq!(server_sub.len(), 20);

    // The dashboard's totals are the desks' own figures.
    let dash = serde_json::from_str::<serde_json::Value>(&ok(
        "dashboard",
        cli_bare(&[
            "server",
            "dashboard",
            "--server",
            &city.pg.owner_url(),
            "--json",
        ]),
    ))
    .unwrap();
    for (db, event) in [(&a1, MAIN), (&b1, city.sub.as_str())] {
        let att = cli_json(db, &["attendance", "--event", event]);
        let row = dash
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["event_id"] == event)
            .unwrap();
        assert_eq!(row["arrived"], att["present"], "{event}: 实到");
        assert_eq!(row["expected"], att["expected"], "{event}: 应到");
        assert_eq!(row["walkins"], att["walk_ins"], "{event}: 现场补录");
        assert!(row["quiet_seconds"].as_i64().unwrap() < 600);
    }
    let total: i64 = dash
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["arrived"].as_i64().unwrap())
        .sum();
    let from_files = cli_json(&a2, &["attendance", "--event", MAIN])["present"]
        .as_i64()
        .unwrap()
        + cli_json(&b1, &["attendance", "--event", &city.sub])["present"]
            .as_i64()
            .unwrap();
    assert_eq!(total, from_files);
}

#[test]
fn a_walk_in_and_an_undo_at_one_desk_reach_the_other_desk_of_the_venue() {
    let city = City::set_up();
    let (a1, a2) = (city.desk("a1"), city.desk("a2"));
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    ok(
        "walkin",
        cli(
            &a1,
            &[
                "walkin",
                "--event",
                MAIN,
                "--name",
                "欧阳新来",
                "--phone",
                "13900001111",
                "--desk",
                "a1",
            ],
        ),
    );
    let code = codes_not_arrived(&a1, MAIN)[0].clone();
    check_in(&a1, MAIN, &code, "a1");
    let undone = cli_json(&a1, &["checkins", "--event", MAIN])
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["desk_id"] == "cli:a1" && c["method"] != "walkin")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok("undo", cli(&a1, &["undo", &undone, "--reason", "误签"]));
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    let found = ok("search", cli(&a2, &["search", "欧阳新来"]));
    assert!(
        found.contains("欧阳新来") && found.contains("已签到"),
        "{found}"
    );
    let rows = cli_json(&a2, &["checkins", "--event", MAIN]);
    let r = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == undone.as_str())
        .unwrap();
    assert_eq!(
        r["revoke_reason"], "误签",
        "the undo travelled with the check-in"
    );
    // Checking the walk-in in again at the second desk is a duplicate naming the first.
    let again = ok(
        "checkin",
        cli(
            &a2,
            &[
                "checkin",
                "--event",
                MAIN,
                "--code",
                &walkin_code(&a2),
                "--desk",
                "a2",
            ],
        ),
    );
    assert!(again.contains("a1"), "{again}");

    // The city office's laptop (the owner's login, which serves every venue) checks someone
    // in and syncs: it goes up, and reaches the venue's desks.
    let code = codes_not_arrived(&city.main_db, MAIN)[0].clone();
    check_in(&city.main_db, MAIN, &code, "main");
    let owner = city.pg.owner_url();
    let up = ok(
        "owner sync",
        cli(
            &city.main_db,
            &["sync", "--once", "--server", &owner, "--desk", "main"],
        ),
    );
    assert!(!up.contains("上传 0 条"), "{up}");
    ok("sync", city.sync(&a2, "a2"));
    assert!(!codes_not_arrived(&a2, MAIN).contains(&code));
}

fn walkin_code(db: &Path) -> String {
    cli_json(db, &["experts"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "欧阳新来")
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_desks_package_merged_by_file_and_synced_by_network_ends_as_either_alone() {
    let city = City::set_up();
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    for code in codes_not_arrived(&a1, MAIN).iter().take(12) {
        check_in(&a1, MAIN, code, "a1");
    }
    let pkg = city.dir.path().join("a1.tongxin");
    ok(
        "pack",
        cli(
            &a1,
            &[
                "pack",
                "--event",
                MAIN,
                "--out",
                pkg.to_str().unwrap(),
                "--desk",
                "a1",
            ],
        ),
    );
    ok("sync", city.sync(&a1, "a1"));

    // Three copies of the main laptop: by file only, by network only, by both.
    let copy = |name: &str| {
        let p = city.dir.path().join(name);
        std::fs::copy(&city.main_db, &p).unwrap();
        p
    };
    let (by_file, by_net, by_both) = (copy("file.db"), copy("net.db"), copy("both.db"));
    let owner = city.pg.owner_url();
    let merge = |db: &Path| ok("merge", cli(db, &["merge", pkg.to_str().unwrap()]));
    let net = |db: &Path| {
        ok(
            "sync",
            cli(
                db,
                &["sync", "--once", "--server", &owner, "--desk", "main"],
            ),
        )
    };
    merge(&by_file);
    net(&by_net);
    merge(&by_both);
    net(&by_both);
    net(&by_both);
    let file = local_checkins(&by_file, MAIN);
    assert_eq!(file.len(), 9 + 12);
    assert_eq!(local_checkins(&by_net, MAIN), file);
    assert_eq!(local_checkins(&by_both, MAIN), file);
    let present = |db: &Path| cli_json(db, &["attendance", "--event", MAIN])["present"].clone();
    assert_eq!(present(&by_both), present(&by_file));
    assert_eq!(present(&by_net), present(&by_file));
}

/// An expert's title corrected at two desks of a venue while apart: the later edit wins on
/// the server and on both desks; the earlier one stays in the server's edit log, marked as not
/// applied.
/// Edits an expert's title on the desk `db` as if its clock read `now`; the expert's id.
fn edit_title(db: &Path, code: &str, title: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    edit_expert(db, code, serde_json::json!({ "title": title }), now)
}

fn title(db: &Path, code: &str) -> String {
    let d = tongxin_core::Db::open(db).unwrap();
    tongxin_core::experts::by_code(&d, code)
        .unwrap()
        .unwrap()
        .title
}

#[test]
fn two_edits_of_one_expert_end_as_the_one_the_server_received_last_everywhere_and_both_in_the_log()
{
    let city = City::set_up();
    let (a1, a2) = (city.desk("a1"), city.desk("a2"));
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    let code = codes_not_arrived(&a1, MAIN)[0].clone();
    let now = chrono::Utc::now();
    let id = edit_title(&a1, &code, "研究员（1号台改）", now);
    edit_title(
        &a2,
        &code,
        "教授（2号台改）",
        now + chrono::Duration::milliseconds(20),
    );
    // 2号台's edit reaches the server first, 1号台's after it: 1号台's is the later one there.
    ok("sync", city.sync(&a2, "a2"));
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    assert_eq!(title(&a1, &code), "研究员（1号台改）");
    assert_eq!(title(&a2, &code), "研究员（1号台改）");
    assert_eq!(
        city.pg.value(&format!(
            "SELECT title FROM tongxin.expert WHERE id = '{id}'"
        )),
        "研究员（1号台改）"
    );
    assert_eq!(
        city.pg.value(&format!(
            "SELECT string_agg(title, ' | ' ORDER BY received_at)
             FROM tongxin.expert_edit WHERE expert_id = '{id}'"
        )),
        "教授（2号台改） | 研究员（1号台改）"
    );
    // 2号台 says in its log what its edit said before the later one replaced it.
    let d = tongxin_core::Db::open(&a2).unwrap();
    let log = serde_json::to_string(&tongxin_core::audit::recent(&d, 50).unwrap()).unwrap();
    assert!(log.contains("教授（2号台改）"), "{log}");
}

#[test]
fn a_desk_whose_clock_runs_three_days_fast_does_not_win_the_edits_made_after_its_own() {
    let city = City::set_up();
    let (fast, right) = (city.desk("a1"), city.desk("a2"));
    ok("sync", city.sync(&fast, "a1"));
    ok("sync", city.sync(&right, "a2"));
    let code = codes_not_arrived(&fast, MAIN)[0].clone();
    let now = chrono::Utc::now();
    // The fast laptop edits first and syncs; the right one edits an hour later and syncs.
    edit_title(&fast, &code, "快钟的修改", now + chrono::Duration::days(3));
    ok("sync", city.sync(&fast, "a1"));
    ok("sync", city.sync(&right, "a2"));
    edit_title(
        &right,
        &code,
        "后来的修改",
        now + chrono::Duration::hours(1),
    );
    ok("sync", city.sync(&right, "a2"));
    ok("sync", city.sync(&fast, "a1"));
    assert_eq!(title(&right, &code), "后来的修改");
    assert_eq!(
        title(&fast, &code),
        "后来的修改",
        "the fast clock's edit still wins"
    );
    // And the fast laptop's next edit goes up and wins in turn: nothing is stuck behind it.
    edit_title(
        &fast,
        &code,
        "快钟再改",
        now + chrono::Duration::days(3) + chrono::Duration::hours(2),
    );
    ok("sync", city.sync(&fast, "a1"));
    ok("sync", city.sync(&right, "a2"));
    assert_eq!(title(&right, &code), "快钟再改");
    assert_eq!(title(&fast, &code), "快钟再改");
}
