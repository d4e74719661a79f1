//! What a desk can rely on from the city server beyond the roles: a check-in that commits late
//! is still pulled, nothing a desk sends refers to something the others cannot pull, a row that
//! cannot be applied is set aside without holding up the rest, a rebuilt server is noticed,
//! and only what the city needs leaves the laptop.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use super::*;

fn stdout(out: Output) -> String {
    ok("cli", out)
}

/// The expert id of a code on the server.
fn expert_id(city: &City, code: &str) -> String {
    city.pg.value(&format!(
        "SELECT id FROM tongxin.expert WHERE code = '{code}'"
    ))
}

/// A psql session as `login` that stays open: statements go in one at a time.
struct Session {
    child: std::process::Child,
    out: BufReader<std::process::ChildStdout>,
}

impl Session {
    fn open(city: &City, login: &str) -> Session {
        let mut child = Command::new(city.pg.psql_bin())
            .arg(format!(
                "postgres://{login}@127.0.0.1:{}/tongxin",
                city.pg.port
            ))
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"])
            .env("PGPASSWORD", format!("{login}-pw"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        Session { child, out }
    }

    /// Runs `sql` and waits until the server has answered it.
    fn run(&mut self, sql: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{sql}\nSELECT 'done';").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        loop {
            line.clear();
            assert!(self.out.read_line(&mut line).unwrap() > 0, "psql ended");
            if line.trim() == "done" {
                return;
            }
        }
    }

    fn close(mut self) {
        drop(self.child.stdin.take());
        assert!(self.child.wait().unwrap().success());
    }
}

#[test]
fn a_check_in_committed_after_thousands_of_later_revisions_were_pulled_still_reaches_its_venue() {
    let city = City::set_up();
    let (a1, a2) = (city.desk("a1"), city.desk("a2"));
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    let code = codes_not_arrived(&a2, MAIN)[0].clone();
    let late = "6d1e5c1a-0000-4000-8000-00000000beef";
    // A desk's push that takes its revision now and commits much later.
    let mut held = Session::open(&city, "a1");
    held.run(&format!(
        "BEGIN; INSERT INTO tongxin.checkin (id, event_id, expert_id, at, desk_id, desk_name,
                                            method)
         VALUES ('{late}', '{MAIN}', '{}', to_char(now() at time zone 'utc',
                 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), 'cli:a1', 'a1', 'scan');",
        expert_id(&city, &code)
    ));
    // Meanwhile 1,500 other revisions of the venue commit, and the other desk pulls them.
    let experts: i64 = city
        .pg
        .value(&format!(
            "SELECT count(*) FROM tongxin.signup WHERE event_id = '{MAIN}'"
        ))
        .parse()
        .unwrap();
    for _ in 0..(1500 / experts + 1) {
        city.pg.value(&format!(
            "UPDATE tongxin.expert SET title = title, rev = nextval('tongxin.rev') WHERE id IN
               (SELECT expert_id FROM tongxin.signup WHERE event_id = '{MAIN}');
             SELECT 1"
        ));
        ok("sync", city.sync(&a2, "a2"));
    }
    assert!(!local_checkins(&a2, MAIN).contains(late));
    held.run("COMMIT;");
    held.close();
    ok("sync", city.sync(&a2, "a2"));
    assert!(
        local_checkins(&a2, MAIN).contains(late),
        "the check-in that committed late never reached the other desk"
    );
    assert_eq!(local_checkins(&a2, MAIN), city.server_checkins(MAIN));
}

#[test]
fn a_service_point_made_on_a_desk_travels_with_the_sign_ups_and_check_ins_that_name_it() {
    let city = City::set_up();
    let (a1, a2) = (city.desk("a1"), city.desk("a2"));
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    let point = cli_json(
        &a1,
        &[
            "points",
            "--event",
            MAIN,
            "add",
            "--name",
            "金山嘴渔村",
            "--capacity",
            "12",
            "--bus",
            "6号车",
        ],
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    let codes = codes_not_arrived(&a1, MAIN);
    ok(
        "move",
        cli(
            &a1,
            &[
                "signup", "move", "--event", MAIN, "--code", &codes[0], "--to", &point,
            ],
        ),
    );
    check_in(&a1, MAIN, &codes[1], "a1");
    ok("sync", city.sync(&a1, "a1"));
    // The other desk gets the point, the sign-up at it and the check-in, in one round, and
    // every later round goes through.
    ok("sync", city.sync(&a2, "a2"));
    ok("sync", city.sync(&a2, "a2"));
    let points = cli_json(&a2, &["points", "--event", MAIN]);
    assert!(
        points
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == point.as_str() && p["bus"] == "6号车"),
        "{points}"
    );
    let roster = cli_json(&a2, &["roster", "--event", MAIN, "--point", &point]);
    assert!(
        roster
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == codes[0].as_str()),
        "{roster}"
    );
    assert_eq!(local_checkins(&a2, MAIN), city.server_checkins(MAIN));
}

#[test]
fn a_pulled_row_that_breaks_the_rules_or_lacks_its_person_is_set_aside_and_the_rest_arrive() {
    let city = City::set_up();
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    let codes = codes_not_arrived(&a1, MAIN);
    let id = expert_id(&city, &codes[0]);
    // As the owner could write, or a broken program: a check-in from the year 2999, and one
    // naming a person who is not on the server yet.
    city.pg.value(&format!(
        "INSERT INTO tongxin.checkin (id, event_id, expert_id, at, desk_id, desk_name, method)
         VALUES ('6d1e5c1a-0000-4000-8000-000000002999', '{MAIN}', '{id}',
                 '2999-01-01T00:00:00.000Z', 'x', 'x', 'scan'),
                ('6d1e5c1a-0000-4000-8000-00000000060a', '{MAIN}', 'ghost', 
                 '2024-09-29T01:00:00.000Z', 'x', 'x', 'scan');
         SELECT 1"
    ));
    let a2 = city.desk("a2");
    ok("sync", city.sync(&a2, "a2"));
    check_in(&a2, MAIN, &codes[1], "a2");
    ok("sync", city.sync(&a2, "a2"));
    let said = stdout(city.sync(&a1, "a1"));
    assert!(said.contains("暂存 2 条"), "{said}");
    assert!(said.contains("不是合理的时间"), "{said}");
    assert!(said.contains("签到的专家还没有到本机"), "{said}");
    let here = local_checkins(&a1, MAIN);
    assert!(!here.contains("6d1e5c1a-0000-4000-8000-000000002999"));
    assert!(!here.contains("6d1e5c1a-0000-4000-8000-00000000060a"));
    assert_eq!(
        here.len(),
        10,
        "a2's check-in arrived beside the two set aside"
    );
    // The person arrives: the check-in waiting for them is applied; the other stays aside.
    city.pg.value(&format!(
        "INSERT INTO tongxin.expert (id, code, name, party, organisation, title, phone,
                                     archived, updated_at)
         VALUES ('ghost', 'E-GHOST', '迟到的专家', '', '某单位', '', '', false,
                 '2024-09-01T00:00:00.000Z');
         INSERT INTO tongxin.signup (id, event_id, expert_id, status, updated_at)
         VALUES ('ghost-signup', '{MAIN}', 'ghost', 'registered', '2024-09-01T00:00:00.000Z');
         SELECT 1"
    ));
    let said = stdout(city.sync(&a1, "a1"));
    assert!(said.contains("暂存 1 条"), "{said}");
    assert!(local_checkins(&a1, MAIN).contains("6d1e5c1a-0000-4000-8000-00000000060a"));
}

#[test]
fn a_rebuilt_server_is_noticed_and_gets_again_everything_it_lacks() {
    let city = City::set_up();
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    let codes = codes_not_arrived(&a1, MAIN);
    check_in(&a1, MAIN, &codes[0], "a1");
    check_in(&a1, MAIN, &codes[1], "a1");
    ok("sync", city.sync(&a1, "a1"));
    let mine = local_checkins(&a1, MAIN);
    let old_id = city
        .pg
        .value("SELECT value FROM tongxin.meta WHERE key = 'server_id'");
    // After the rehearsal the office drops the schema and sets the server up again.
    city.pg.value("DROP SCHEMA tongxin CASCADE; SELECT 1");
    let owner = city.pg.owner_url();
    ok("init", cli_bare(&["server", "init", "--server", &owner]));
    ok(
        "publish",
        cli(&city.main_db, &["server", "publish", "--server", &owner]),
    );
    city.login("a1", MAIN);
    let new_id = city
        .pg
        .value("SELECT value FROM tongxin.meta WHERE key = 'server_id'");
    assert_ne!(old_id, new_id);
    assert!(
        city.server_checkins(MAIN).len() < mine.len(),
        "the rebuilt server lacks a1's check-ins"
    );
    let said = stdout(city.sync(&a1, "a1"));
    assert!(said.contains("新的（重建或恢复的）服务器"), "{said}");
    assert_eq!(city.server_checkins(MAIN), mine);
    assert_eq!(local_checkins(&a1, MAIN), mine);
}

#[test]
fn notes_gender_and_field_stay_on_the_laptop_where_they_were_written() {
    use tongxin_core::{experts, Db};
    let city = City::set_up();
    let (a1, a2) = (city.desk("a1"), city.desk("a2"));
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    let code = codes_not_arrived(&a1, MAIN)[0].clone();
    let edit = |db: &Path, title: &str, notes: &str| {
        let private = serde_json::json!({
            "title": title, "gender": "女", "field": "心血管", "notes": notes,
        });
        edit_expert(db, &code, private, chrono::Utc::now())
    };
    edit(&a2, "", "2号台的备注");
    ok("sync", city.sync(&a2, "a2"));
    edit(&a1, "主任医师", "心脏不好，请安排座位");
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    assert_eq!(
        city.pg.value(
            "SELECT count(*) FROM information_schema.columns
             WHERE table_schema = 'tongxin' AND column_name IN ('notes', 'gender', 'field')"
        ),
        "0"
    );
    let d = Db::open(&a2).unwrap();
    let e = experts::by_code(&d, &code).unwrap().unwrap();
    assert_eq!(e.title, "主任医师", "the title travels");
    assert_eq!(
        e.notes, "2号台的备注",
        "a2's own notes stay, a1's never came"
    );
}

#[test]
fn a_desk_says_which_of_its_events_the_server_does_not_sync_for_it() {
    let city = City::set_up();
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    let local = cli_json(
        &a1,
        &[
            "event-add",
            "--name",
            "本机新建的活动",
            "--date",
            "2024-09-30",
            "--place",
            "金山",
        ],
    )["event"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let code = codes_not_arrived(&a1, MAIN)[0].clone();
    ok(
        "signup",
        cli(&a1, &["signup", "add", "--event", &local, "--code", &code]),
    );
    check_in(&a1, &local, &code, "a1");
    let said = stdout(city.sync(&a1, "a1"));
    assert!(
        said.contains("本机新建的活动") && said.contains("不会上传"),
        "{said}"
    );
}

#[test]
fn one_row_the_server_refuses_is_named_and_the_others_still_go_up() {
    let city = City::set_up();
    // A person signed up at the sub-venue only; a1 has them on file (as from an old package)
    // and a sign-up of its own for them, which the server must refuse.
    city.pg.value(&format!(
        "INSERT INTO tongxin.expert (id, code, name, party, organisation, title, phone, archived,
                                     updated_at)
         VALUES ('sub-only', 'E-SUB-9', '分会场专家', '', '某医院', '', '', false,
                 '2024-09-01T00:00:00.000Z');
         INSERT INTO tongxin.signup (id, event_id, expert_id, status, updated_at)
         VALUES ('sub-only-signup', '{}', 'sub-only', 'registered', '2024-09-01T00:00:00.000Z');
         SELECT 1",
        city.sub
    ));
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    {
        let c = tongxin_tests::open_raw(&a1);
        c.execute_batch(&format!(
            "INSERT INTO expert (id, code, name, search_keys, created_at, updated_at)
             VALUES ('sub-only', 'E-SUB-9', '分会场专家', '', '2024-09-01T00:00:00.000Z',
                     '2024-09-01T00:00:00.000Z');
             INSERT INTO signup (id, event_id, expert_id, status, created_at, updated_at)
             VALUES ('a1-steal', '{MAIN}', 'sub-only', 'registered',
                     '2024-09-28T00:00:00.000Z', '2024-09-28T00:00:00.000Z');"
        ))
        .unwrap();
    }
    let codes = codes_not_arrived(&a1, MAIN);
    check_in(&a1, MAIN, &codes[0], "a1");
    let said = stdout(city.sync(&a1, "a1"));
    assert!(said.contains("服务器拒收"), "{said}");
    assert_eq!(city.server_checkins(MAIN), local_checkins(&a1, MAIN));
    assert_eq!(
        city.pg.value(&format!(
            "SELECT count(*) FROM tongxin.signup WHERE expert_id = 'sub-only' AND event_id = '{MAIN}'"
        )),
        "0"
    );
    // The next round offers it no more, and goes through.
    let said = stdout(city.sync(&a1, "a1"));
    assert!(!said.contains("服务器拒收"), "{said}");
}

#[test]
fn a_server_restored_from_a_backup_and_given_a_new_id_gets_again_what_the_backup_lacks() {
    let city = City::set_up();
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    let codes = codes_not_arrived(&a1, MAIN);
    check_in(&a1, MAIN, &codes[0], "a1");
    ok("sync", city.sync(&a1, "a1"));
    let dump = city.dir.path().join("tongxin.dump");
    let dump_arg = dump.display().to_string();
    ok(
        "pg_dump",
        city.pg
            .tool("pg_dump", &["-Fc", "-f", &dump_arg, "tongxin"]),
    );
    // After the backup: one more check-in reaches the server, which is then restored.
    check_in(&a1, MAIN, &codes[1], "a1");
    ok("sync", city.sync(&a1, "a1"));
    let mine = local_checkins(&a1, MAIN);
    assert_eq!(city.server_checkins(MAIN), mine);
    city.pg.value("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'tongxin' AND pid <> pg_backend_pid()");
    ok("drop", city.pg.tool("dropdb", &["tongxin"]));
    ok("createdb", city.pg.tool("createdb", &["tongxin"]));
    ok(
        "pg_restore",
        city.pg.tool("pg_restore", &["-d", "tongxin", &dump_arg]),
    );
    assert!(
        city.server_checkins(MAIN).len() < mine.len(),
        "the backup lacks one"
    );
    ok(
        "new-id",
        cli_bare(&["server", "new-id", "--server", &city.pg.owner_url()]),
    );
    let said = stdout(city.sync(&a1, "a1"));
    assert!(said.contains("新的（重建或恢复的）服务器"), "{said}");
    assert_eq!(city.server_checkins(MAIN), mine);
}

#[test]
fn a_person_signed_up_later_and_a_venue_given_later_reach_a_desk_whose_cursor_is_past_them() {
    let city = City::set_up();
    let sub = city.sub.clone();
    let a1 = city.desk("a1");
    let b1 = city.desk("b1");
    ok("sync", city.sync(&b1, "b1"));
    check_in(&b1, &sub, &codes_not_arrived(&b1, &sub)[0], "b1");
    ok("sync", city.sync(&b1, "b1"));
    // Someone only at the sub-venue, written long before a1's cursor.
    city.pg.value(&format!(
        "INSERT INTO tongxin.expert (id, code, name, party, organisation, title, phone, archived,
                                     updated_at)
         VALUES ('sub-later', 'E-SUB-7', '后来报名的专家', '', '某研究所', '', '', false,
                 '2024-09-01T00:00:00.000Z');
         INSERT INTO tongxin.signup (id, event_id, expert_id, status, updated_at)
         VALUES ('sub-later-1', '{sub}', 'sub-later', 'registered', '2024-09-01T00:00:00.000Z');
         SELECT 1"
    ));
    for _ in 0..3 {
        ok("sync", city.sync(&a1, "a1"));
    }
    let has = |db: &Path, code: &str| {
        let d = tongxin_core::Db::open(db).unwrap();
        tongxin_core::experts::by_code(&d, code).unwrap().is_some()
    };
    assert!(!has(&a1, "E-SUB-7"), "not a1's venue yet");
    // The office signs them up at the main venue too: a1 can read them now, and gets them.
    city.pg.value(&format!(
        "INSERT INTO tongxin.signup (id, event_id, expert_id, status, updated_at)
         VALUES ('sub-later-2', '{MAIN}', 'sub-later', 'registered', '2024-09-02T00:00:00.000Z');
         SELECT 1"
    ));
    ok("sync", city.sync(&a1, "a1"));
    assert!(
        has(&a1, "E-SUB-7"),
        "the person signed up at a1's venue never came"
    );
    // And a1's login is given the sub-venue as well: its rows, old as they are, come.
    city.login("a1", &sub);
    let said = stdout(city.sync(&a1, "a1"));
    assert_eq!(
        local_checkins(&a1, &sub),
        city.server_checkins(&sub),
        "{said}"
    );
    assert!(!city.server_checkins(&sub).is_empty());
}

#[test]
fn a_person_erased_at_one_desk_is_erased_everywhere_and_no_pull_brings_them_back() {
    use tongxin_core::{experts, Db};
    let city = City::set_up();
    let (a1, a2) = (city.desk("a1"), city.desk("a2"));
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    let code = codes_not_arrived(&a1, MAIN)[0].clone();
    let person = |db: &Path| {
        let d = Db::open(db).unwrap();
        experts::by_code(&d, &code).unwrap().unwrap()
    };
    let before = person(&a1);
    assert!(!before.phone.is_empty());
    ok("erase", cli(&a1, &["experts", "erase", "--code", &code]));
    ok("sync", city.sync(&a1, "a1"));
    ok("sync", city.sync(&a2, "a2"));
    let on_a2 = person(&a2);
    assert_eq!(
        on_a2.name,
        format!("已删除个人信息（{code}）"),
        "erased on a2"
    );
    assert_eq!(on_a2.phone, "");
    let on_server = city.pg.value(&format!(
        "SELECT name || '|' || phone FROM tongxin.expert WHERE code = '{code}'"
    ));
    assert!(!on_server.contains(&before.name), "{on_server}");
    assert!(!on_server.contains(&before.phone), "{on_server}");

    // The server is given the old details again (a desk that never heard of the erasure edits
    // the person, or a restored server): a1 does not take them, and erases the server again.
    city.pg.value(&format!(
        "UPDATE tongxin.expert SET name = '{}', phone = '{}',
           updated_at = to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')
         WHERE code = '{code}'",
        before.name, before.phone
    ));
    ok("sync", city.sync(&a1, "a1"));
    let on_a1 = person(&a1);
    assert_eq!(
        on_a1.name,
        format!("已删除个人信息（{code}）"),
        "a pull brought the name back"
    );
    assert_eq!(on_a1.phone, "");
    ok("sync", city.sync(&a1, "a1"));
    let on_server = city.pg.value(&format!(
        "SELECT name || '|' || phone FROM tongxin.expert WHERE code = '{code}'"
    ));
    assert!(
        !on_server.contains(&before.phone),
        "a1 erased the server again: {on_server}"
    );
}
