//! The server's roles, tried for real: a desk login may add to its venue's log and read its
//! venue's rows, and nothing else; a dashboard login reads counts only.

use super::*;

fn denied(out: Output, expect: &str) {
    assert!(!out.status.success(), "the server allowed it");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(expect), "expected “{expect}”, got: {err}");
}

#[test]
fn a_desk_login_cannot_change_or_delete_a_check_in_nor_read_or_write_another_venue() {
    let city = City::set_up();
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    let pg = &city.pg;
    let as_a1 = |sql: &str| pg.psql("a1", "a1-pw", sql);

    denied(
        as_a1("UPDATE tongxin.checkin SET desk_name = '伪造'"),
        "permission denied",
    );
    denied(as_a1("DELETE FROM tongxin.checkin"), "permission denied");
    denied(as_a1("DELETE FROM tongxin.revocation"), "permission denied");
    denied(
        as_a1("UPDATE tongxin.expert SET name = '伪造'"),
        "permission denied",
    );
    denied(as_a1("TRUNCATE tongxin.checkin"), "permission denied");
    denied(as_a1("SELECT * FROM tongxin.access"), "permission denied");

    // Its own venue: readable; the other venue's people and sign-ups: not there for it.
    let own = ok(
        "read",
        as_a1(&format!(
            "SELECT count(*) FROM tongxin.signup WHERE event_id = '{MAIN}'"
        )),
    );
    assert!(own.trim().parse::<i64>().unwrap() > 100, "{own}");
    let other = ok(
        "read",
        as_a1(&format!(
            "SELECT count(*) FROM tongxin.signup WHERE event_id = '{}'",
            city.sub
        )),
    );
    assert_eq!(other.trim(), "0");
    assert_eq!(
        pg.value(&format!(
            "SELECT count(*) FROM tongxin.signup WHERE event_id = '{}'",
            city.sub
        )),
        "20"
    );
    let events = ok(
        "read",
        as_a1("SELECT string_agg(id, ',') FROM tongxin.event"),
    );
    assert_eq!(events.trim(), MAIN);
    denied(
        as_a1(&format!(
            "INSERT INTO tongxin.checkin (id, event_id, expert_id, at, desk_id, desk_name, method)
             VALUES ('forged', '{}', 'x', '2024-09-29T01:00:00.000Z', 'd', 'd', 'scan')",
            city.sub
        )),
        "row-level security",
    );
    // The counts of every venue are for everyone.
    let venues = ok("dashboard", as_a1("SELECT count(*) FROM tongxin.dashboard"));
    assert_eq!(venues.trim(), "2");

    // A dashboard login reads the counts and nothing else.
    ok(
        "add-city",
        cli_bare(&[
            "server",
            "add-city",
            "--server",
            &pg.owner_url(),
            "--login",
            "office",
            "--login-password",
            "office-pw",
        ]),
    );
    let as_office = |sql: &str| pg.psql("office", "office-pw", sql);
    ok("dashboard", as_office("SELECT * FROM tongxin.dashboard"));
    denied(
        as_office("SELECT * FROM tongxin.expert"),
        "permission denied",
    );
    denied(
        as_office("INSERT INTO tongxin.checkin (id) VALUES ('x')"),
        "permission denied",
    );
}
