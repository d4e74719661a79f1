//! The server's promises, attacked: logged in as a desk of the main venue (and as the city's
//! dashboard login, and as a login of no group), every way around "a desk reaches its own
//! venues and nothing else" this suite could think of is tried. Each try must fail with the
//! server's error **and** leave every row on the server as it was.

use super::*;

const OTHER_EXPERT: &str = "sub-only-expert";

/// Every row the server keeps that a desk could hope to change, as one digest (sequences left
/// out: a refused insert may still have drawn a number).
fn fingerprint(pg: &pg::Pg) -> String {
    let tables = [
        "meta",
        "access",
        "event",
        "theme",
        "service_point",
        "expert",
        "signup",
        "checkin",
        "revocation",
        "expert_edit",
        "signup_edit",
        "desk",
    ];
    let union: Vec<String> = tables
        .iter()
        .map(|t| format!("SELECT '{t}:' || t::text AS x FROM tongxin.{t} t"))
        .collect();
    pg.value(&format!(
        "SELECT md5(string_agg(x, '|' ORDER BY x)) || ':' || count(*) FROM ({}) q",
        union.join(" UNION ALL ")
    ))
}

/// What the login owns outside the server's schema: tables, views, functions, schemas.
fn owned_by(pg: &pg::Pg, login: &str) -> String {
    pg.value(&format!(
        "SELECT (SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                 WHERE r.rolname = '{login}')
              + (SELECT count(*) FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
                 WHERE r.rolname = '{login}')
              + (SELECT count(*) FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
                 WHERE r.rolname = '{login}')"
    ))
}

struct Attack<'a> {
    city: &'a City,
    before: String,
}

impl Attack<'_> {
    /// Runs `sql` as `login`; it must fail with `expect` in the message and change nothing.
    fn refused(&self, login: &str, sql: &str, expect: &str) {
        let out = self.city.pg.psql(login, &format!("{login}-pw"), sql);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "the server let {login} run: {sql}\nit printed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            err.contains(expect),
            "{login}: {sql}\nexpected “{expect}”, got: {err}"
        );
        assert_eq!(
            fingerprint(&self.city.pg),
            self.before,
            "{login}'s refused attempt changed the server: {sql}"
        );
        assert_eq!(
            owned_by(&self.city.pg, login),
            "0",
            "{login} owns something now"
        );
    }

    /// Runs `sql` as `login`; what it prints (it is allowed to run, but must show nothing).
    fn reads(&self, login: &str, sql: &str) -> String {
        ok(
            "read",
            self.city.pg.psql(login, &format!("{login}-pw"), sql),
        )
        .trim()
        .to_string()
    }
}

/// The city, with a person signed up at the sub-venue only, a check-in there by its desk b1,
/// and a login that belongs to no group.
fn set_up() -> (City, String, String) {
    let city = City::set_up();
    let sub = city.sub.clone();
    city.pg.value(&format!(
        "INSERT INTO tongxin.expert (id, code, name, party, organisation, title, phone, archived,
                                     updated_at)
         VALUES ('{OTHER_EXPERT}', 'E-SUB-1', '分会场专家', '民盟', '浦东某医院', '主任医师',
                 '13900000001', false, '2024-09-01T00:00:00.000Z');
         INSERT INTO tongxin.signup (id, event_id, expert_id, status, updated_at)
         VALUES ('sub-only-signup', '{sub}', '{OTHER_EXPERT}', 'registered',
                 '2024-09-01T00:00:00.000Z');
         CREATE ROLE nobody LOGIN PASSWORD 'nobody-pw';
         SELECT 1"
    ));
    let b1 = city.desk("b1");
    ok("sync", city.sync(&b1, "b1"));
    check_in(&b1, &sub, "E-SUB-1", "b1");
    ok("sync", city.sync(&b1, "b1"));
    let a1 = city.desk("a1");
    ok("sync", city.sync(&a1, "a1"));
    let sub_checkin = city
        .server_checkins(&sub)
        .into_iter()
        .next()
        .expect("b1's check-in on the server");
    let b1_desk = city
        .pg
        .value("SELECT desk_id FROM tongxin.desk WHERE role = 'b1'");
    assert!(!b1_desk.is_empty(), "b1 said hello");
    (city, sub_checkin, b1_desk)
}

fn checkin_sql(extra_col: &str, extra_val: &str, event: &str, expert: &str) -> String {
    format!(
        "INSERT INTO tongxin.checkin (id, event_id, expert_id, at, desk_id, desk_name, method{extra_col})
         VALUES ('00000000-0000-4000-8000-00000000a77a', '{event}', '{expert}',
                 '2024-09-29T01:00:00.000Z', 'a1', 'a1', 'scan'{extra_val})"
    )
}

#[test]
fn a_desk_login_cannot_shadow_names_create_objects_or_write_what_the_server_owns() {
    let (city, _, _) = set_up();
    let sub = city.sub.clone();
    let at = Attack {
        before: fingerprint(&city.pg),
        city: &city,
    };
    // Temporary tables named like what the server's functions look up.
    at.refused(
        "a1",
        &format!(
            "CREATE TEMP TABLE access (role name, event_id text);
             INSERT INTO access VALUES (session_user, '{sub}');
             SELECT id, key FROM tongxin.event"
        ),
        "permission denied",
    );
    at.refused(
        "a1",
        "CREATE TEMP TABLE pg_auth_members (roleid oid, member oid);
         SELECT id, key FROM tongxin.event",
        "permission denied",
    );
    at.refused(
        "a1",
        "CREATE TEMP VIEW event AS SELECT 1",
        "permission denied",
    );
    at.refused(
        "a1",
        "CREATE TABLE public.access (x int)",
        "permission denied",
    );
    at.refused("a1", "CREATE SCHEMA evil", "permission denied");
    at.refused(
        "a1",
        "CREATE FUNCTION tongxin.my_events() RETURNS SETOF text LANGUAGE sql AS 'SELECT id FROM tongxin.event'",
        "permission denied",
    );
    at.refused(
        "a1",
        "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "permission denied",
    );
    // What the server sets on every row: its revision, the receiver, the time received.
    at.refused(
        "a1",
        &checkin_sql(", rev", ", 9000000000000000000", MAIN, "x"),
        "permission denied",
    );
    at.refused(
        "a1",
        &checkin_sql(", received_by", ", 'b1'", MAIN, "x"),
        "permission denied",
    );
    at.refused(
        "a1",
        &checkin_sql(", received_at", ", now() - interval '1 day'", MAIN, "x"),
        "permission denied",
    );
    at.refused(
        "a1",
        "INSERT INTO tongxin.signup_edit (id, event_id, signup_id, expert_id, status, updated_at,
                                          desk_id, applied)
         VALUES ('x@1', '2024-jinshan', 'x', 'x', 'registered', '1', 'a1', true)",
        "permission denied",
    );
    // Tables a desk never writes directly, and the roles it could hope to become.
    at.refused(
        "a1",
        "UPDATE tongxin.checkin SET desk_name = '伪造'",
        "permission denied",
    );
    at.refused("a1", "DELETE FROM tongxin.revocation", "permission denied");
    at.refused(
        "a1",
        "UPDATE tongxin.expert SET name = '伪造'",
        "permission denied",
    );
    at.refused("a1", "TRUNCATE tongxin.checkin", "permission denied");
    at.refused("a1", "SELECT * FROM tongxin.access", "permission denied");
    at.refused("a1", "SELECT * FROM tongxin.desk", "permission denied");
    at.refused(
        "a1",
        "INSERT INTO tongxin.access VALUES ('a1', 'x')",
        "permission denied",
    );
    at.refused("a1", "SET ROLE city", "permission denied");
    at.refused("a1", "SET ROLE tongxin_city", "permission denied");
    at.refused(
        "a1",
        "SELECT setval('tongxin.rev', 9000000000000000000)",
        "permission denied",
    );
    // Large objects are objects (and disk).
    at.refused("a1", "SELECT lo_from_bytea(0, 'x')", "permission denied");
    at.refused("a1", "SELECT lo_create(0)", "permission denied");
    // A function the office adds later is not everyone's to run.
    city.pg.value(
        "CREATE FUNCTION tongxin.later() RETURNS bigint LANGUAGE sql SECURITY DEFINER
                SET search_path = pg_catalog, tongxin, pg_temp
                AS 'SELECT count(*) FROM tongxin.expert'; SELECT 1",
    );
    let at = Attack {
        before: fingerprint(&city.pg),
        city: &city,
    };
    at.refused("a1", "SELECT tongxin.later()", "permission denied");
    // An edit under an id that is not its own (to take another's future edit id).
    at.refused(
        "a1",
        &format!(
            "INSERT INTO tongxin.expert_edit (id, event_id, expert_id, code, name, updated_at,
                                              desk_id)
             SELECT 'someone-else@2099', '{MAIN}', s.expert_id, 'E-X', '某人',
                    '2024-09-29T01:00:00.000Z', 'a1'
             FROM tongxin.signup s WHERE s.event_id = '{MAIN}' LIMIT 1"
        ),
        "id is its expert's id",
    );
    // A theme named by a point of its own venue, with a notice for the city as its name, or
    // 1 MB long: the first is seen by its own venue only, the second refused.
    at.refused(
        "a1",
        &format!(
            "INSERT INTO tongxin.point_edit (id, event_id, point_id, theme_id, theme_name, name,
                                             desk_id)
             VALUES ('p-big@1', '{MAIN}', 'p-big', 'th-big', repeat('长', 1000000), '点位', 'a1')"
        ),
        "malformed",
    );
    ok(
        "own venue's point",
        city.pg.psql(
            "a1",
            "a1-pw",
            &format!(
                "INSERT INTO tongxin.point_edit (id, event_id, point_id, theme_id, theme_name,
                                                 name, desk_id)
                 VALUES ('p-new@1', '{MAIN}', 'p-new', 'th-notice', '城市通知：今日活动取消',
                         '新点位', 'a1')"
            ),
        ),
    );
    let b1 = city.desk("b1");
    ok("sync", city.sync(&b1, "b1"));
    assert_eq!(
        ok(
            "read",
            city.pg.psql(
                "b1",
                "b1-pw",
                "SELECT count(*) FROM tongxin.theme WHERE id = 'th-notice'"
            )
        )
        .trim(),
        "0",
        "another venue's desk sees a theme only its points name"
    );
}

#[test]
fn a_desk_login_reaches_no_other_venue_s_people_keys_check_ins_or_desks() {
    let (city, sub_checkin, b1_desk) = set_up();
    let sub = city.sub.clone();
    let at = Attack {
        before: fingerprint(&city.pg),
        city: &city,
    };
    // Reading: its venue's rows only, whichever way it asks.
    assert_eq!(
        at.reads("a1", "SELECT string_agg(id, ',') FROM tongxin.event"),
        MAIN
    );
    assert_eq!(
        at.reads(
            "a1",
            &format!("SELECT count(*) FROM tongxin.expert WHERE id = '{OTHER_EXPERT}'")
        ),
        "0"
    );
    assert_eq!(
        at.reads(
            "a1",
            &format!("SELECT count(*) FROM tongxin.checkin WHERE event_id = '{sub}'")
        ),
        "0"
    );
    // Editing someone of another venue: renaming, archiving.
    at.refused(
        "a1",
        &format!(
            "INSERT INTO tongxin.expert_edit (id, event_id, expert_id, code, name, archived,
                                              updated_at, desk_id)
             VALUES ('{OTHER_EXPERT}@2099', '{MAIN}', '{OTHER_EXPERT}', 'E-SUB-1', '改名',
                     true, '2099-01-01T00:00:00.000Z', 'a1')"
        ),
        "not signed up at a venue of this login",
    );
    // Signing them up at its own venue, to read them through the sign-up.
    at.refused(
        "a1",
        &format!(
            "INSERT INTO tongxin.signup_edit (id, event_id, signup_id, expert_id, status,
                                              updated_at, desk_id)
             VALUES ('steal@1', '{MAIN}', 'steal', '{OTHER_EXPERT}', 'registered',
                     '2024-09-29T01:00:00.000Z', 'a1')"
        ),
        "not signed up at a venue of this login",
    );
    // Moving the other venue's sign-up, or its own to the other venue.
    at.refused(
        "a1",
        &format!(
            "INSERT INTO tongxin.signup_edit (id, event_id, signup_id, expert_id, status,
                                              updated_at, desk_id)
             VALUES ('move@1', '{MAIN}', 'sub-only-signup', '{OTHER_EXPERT}', 'cancelled',
                     '2024-09-29T01:00:00.000Z', 'a1')"
        ),
        "belongs to another venue",
    );
    // Revoking the other venue's check-in (lowering its 实到), under either venue.
    for event in [MAIN, sub.as_str()] {
        at.refused(
            "a1",
            &format!(
                "INSERT INTO tongxin.revocation (id, checkin_id, event_id, at, desk_id, desk_name,
                                                 reason)
                 VALUES ('00000000-0000-4000-8000-0000000000r1', '{sub_checkin}', '{event}',
                         '2024-09-29T01:00:00.000Z', 'a1', 'a1', '伪造')"
            ),
            "row-level security",
        );
    }
    // Writing the other venue's log.
    at.refused(
        "a1",
        &checkin_sql("", "", &sub, OTHER_EXPERT),
        "row-level security",
    );
    // Making the other venue's desk look like its own, or alive: its row stays b1's.
    let _ = at.reads(
        "a1",
        &format!("SELECT tongxin.hello('{b1_desk}', '伪造', 0)"),
    );
    let row = city.pg.value(&format!(
        "SELECT role || ':' || desk_name FROM tongxin.desk WHERE desk_id = '{b1_desk}'"
    ));
    assert!(
        row.starts_with("b1:") && !row.contains("伪造"),
        "b1's desk now reads {row}"
    );
    assert_eq!(
        fingerprint(&city.pg),
        at.before,
        "a hello naming another venue's desk changed the server"
    );
    // A check-in naming the other venue's person does not reveal them.
    let _ = at.reads("a1", &checkin_sql("", "", MAIN, OTHER_EXPERT));
    assert_eq!(
        at.reads(
            "a1",
            &format!("SELECT count(*) FROM tongxin.expert WHERE id = '{OTHER_EXPERT}'")
        ),
        "0",
        "a check-in naming a person opened their record"
    );
}

#[test]
fn the_city_login_and_a_login_of_no_group_read_counts_at_most() {
    let (city, _, b1_desk) = set_up();
    ok(
        "add-city",
        cli_bare(&[
            "server",
            "add-city",
            "--server",
            &city.pg.owner_url(),
            "--login",
            "office",
            "--login-password",
            "office-pw",
        ]),
    );
    let at = Attack {
        before: fingerprint(&city.pg),
        city: &city,
    };
    assert_eq!(
        at.reads("office", "SELECT count(*) FROM tongxin.dashboard"),
        "2"
    );
    for login in ["office", "nobody"] {
        at.refused(login, "SELECT * FROM tongxin.expert", "permission denied");
        at.refused(login, "SELECT * FROM tongxin.event", "permission denied");
        at.refused(login, "SELECT tongxin.my_events()", "permission denied");
        at.refused(
            login,
            &format!("SELECT tongxin.hello('{b1_desk}', '伪造', 0)"),
            "permission denied",
        );
        at.refused(
            login,
            "CREATE TEMP TABLE access (role name, event_id text)",
            "permission denied",
        );
        at.refused(login, &checkin_sql("", "", MAIN, "x"), "permission denied");
    }
    at.refused(
        "nobody",
        "SELECT * FROM tongxin.dashboard",
        "permission denied",
    );
}
