//! The network and the server failing: a push cut by the server dying, a desk offline for
//! hours, a wrong password, a refused connection, a server of another schema version.

use std::process::Stdio;
use std::time::{Duration, Instant};

use super::*;

/// Runs the CLI, failing the test if it has not ended within a bound (it must never hang).
fn bounded(db: &Path, args: &[&str]) -> Output {
    let mut child = std::process::Command::new(tongxin_tests::target_bin("tongxin-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(40) {
            let _ = child.kill();
            panic!("tongxin-cli {args:?} did not end within 40 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_push_cut_by_the_server_dying_resumes_after_restart_and_nothing_is_lost_or_doubled() {
    let city = City::set_up();
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    let codes = codes_not_arrived(&a1, MAIN);
    for code in &codes[..60] {
        check_in(&a1, MAIN, code, "a1");
    }
    // Slow the server's inserts down (a real server under load), so that the cut falls
    // between batches of five.
    city.pg.value(
        "CREATE FUNCTION tongxin.slow() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN PERFORM pg_sleep(0.15); RETURN NULL; END $$;
         CREATE TRIGGER slow AFTER INSERT ON tongxin.checkin
           FOR EACH STATEMENT EXECUTE FUNCTION tongxin.slow();",
    );
    let url = city.desk_url("a1");
    let push = std::process::Command::new(tongxin_tests::target_bin("tongxin-cli"))
        .arg("--db")
        .arg(&a1)
        .args([
            "sync", "--once", "--batch", "5", "--desk", "a1", "--server", &url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    city.pg.wait_for("some batches on the server", || {
        city.server_checkins(MAIN).len() >= 9 + 15
    });
    city.pg.kill();
    let out = push.wait_with_output().unwrap();
    assert!(!out.status.success(), "the cut push reports failure");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("本机照常签到"), "{err}");

    // Offline for hours: the desk carries on checking people in.
    for code in &codes[60..80] {
        check_in(&a1, MAIN, code, "a1");
    }
    let offline = bounded(&a1, &["sync", "--once", "--desk", "a1", "--server", &url]);
    assert!(!offline.status.success());
    assert!(String::from_utf8_lossy(&offline.stderr).contains("连不上市级服务器"));

    city.pg.start_again();
    city.pg.value("DROP TRIGGER slow ON tongxin.checkin");
    let partial = city.server_checkins(MAIN).len();
    assert!(partial > 9 && partial < 9 + 80, "cut midway: {partial}");
    ok("sync after restart", city.sync(&a1, "a1"));
    let server = city.server_checkins(MAIN);
    assert_eq!(server, local_checkins(&a1, MAIN));
    assert_eq!(server.len(), 9 + 80);
    let unsent = ok("again", city.sync(&a1, "a1"));
    assert!(
        unsent.contains("上传 0 条") && unsent.contains("待上传 0"),
        "{unsent}"
    );
}

fn unchanged_by(db: &Path, out: Output, message: &str) {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(message), "expected “{message}”, got: {err}");
    assert!(
        err.contains("本机"),
        "says what happened to the desk: {err}"
    );
    let _ = db;
}

#[test]
fn a_wrong_password_a_refused_connection_or_another_schema_version_leave_the_desk_as_it_was() {
    let city = City::set_up();
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    let code = codes_not_arrived(&a1, MAIN)[0].clone();
    check_in(&a1, MAIN, &code, "a1");
    let before = cli_json(&a1, &["checkins", "--event", MAIN]);
    let run = |url: &str| bounded(&a1, &["sync", "--once", "--desk", "a1", "--server", url]);

    let wrong = city.pg.url("a1", "not-the-password");
    unchanged_by(&a1, run(&wrong), "用户名或密码不对");
    let closed = format!("postgres://a1:a1-pw@127.0.0.1:{}/tongxin", free_port());
    unchanged_by(&a1, run(&closed), "连不上市级服务器");
    unchanged_by(&a1, run("mysql://a1@127.0.0.1/tongxin"), "服务器地址不对");
    city.pg
        .value("UPDATE tongxin.meta SET value = '99' WHERE key = 'schema_version'");
    unchanged_by(&a1, run(&city.desk_url("a1")), "数据结构版本是 99");
    assert_eq!(cli_json(&a1, &["checkins", "--event", MAIN]), before);
    assert_eq!(city.server_checkins(MAIN).len(), 9, "nothing went up");
    // And a server nobody set up.
    city.pg.value("DROP SCHEMA tongxin CASCADE");
    unchanged_by(&a1, run(&city.pg.owner_url()), "server init");
    assert_eq!(cli_json(&a1, &["checkins", "--event", MAIN]), before);
}

#[test]
fn server_init_is_idempotent_and_the_desks_carry_on_after_it() {
    let city = City::set_up();
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    let again = ok(
        "init",
        cli_bare(&["server", "init", "--server", &city.pg.owner_url()]),
    );
    assert!(again.contains("无需改动"), "{again}");
    let code = codes_not_arrived(&a1, MAIN)[0].clone();
    check_in(&a1, MAIN, &code, "a1");
    ok("sync", city.sync(&a1, "a1"));
    assert_eq!(city.server_checkins(MAIN).len(), 10);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
