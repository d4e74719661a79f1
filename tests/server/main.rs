//! Desks syncing through a real PostgreSQL (Debian's, started per test on loopback): venues
//! converge, a push cut by a dying server resumes, file packages and the network agree, the
//! server's roles hold, and a bad server leaves the desk as it was. Everything goes through
//! the CLI (`tongxin-cli server …`, `tongxin-cli sync --once`) on real SQLite files.

// Tests panic on purpose when something is not as expected.
#![allow(clippy::unwrap_used)]

mod attacks;
mod converge;
mod faults;
mod pg;
mod security;
mod tls;
mod trust;
mod venues;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use pg::Pg;
use tongxin_tests::{cli, cli_json};

pub const MAIN: &str = "2024-jinshan";

/// The city office's set-up: a main laptop with the demo day and a sub-venue of twenty
/// experts, the server initialised, the day published, and desk logins for both venues.
pub struct City {
    pub pg: Pg,
    pub dir: tempfile::TempDir,
    pub main_db: PathBuf,
    pub sub: String,
}

pub fn ok(what: &str, out: Output) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `tongxin-cli ARGS…` without a database.
pub fn cli_bare(args: &[&str]) -> Output {
    std::process::Command::new(tongxin_tests::target_bin("tongxin-cli"))
        .args(args)
        .env_remove("TONGXIN_DB")
        .output()
        .unwrap()
}

impl City {
    pub fn set_up() -> City {
        let pg = Pg::start();
        let dir = tempfile::tempdir().unwrap();
        let main_db = tongxin_tests::demo_db(dir.path());
        let sub = cli_json(
            &main_db,
            &[
                "event-add",
                "--name",
                "2024年专家服务日 浦东分会场",
                "--short-name",
                "浦东分会场",
                "--date",
                "2024-09-29",
                "--place",
                "上海市浦东新区",
                "--parent",
                MAIN,
            ],
        )["event"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        // Twenty of the day's experts serve at the sub-venue instead.
        for code in codes_not_arrived(&main_db, MAIN).iter().take(20) {
            ok(
                "signup",
                cli(
                    &main_db,
                    &["signup", "add", "--event", &sub, "--code", code],
                ),
            );
        }
        let owner = pg.owner_url();
        ok(
            "server init",
            cli_bare(&["server", "init", "--server", &owner]),
        );
        ok(
            "publish",
            cli(&main_db, &["server", "publish", "--server", &owner]),
        );
        let city = City {
            pg,
            dir,
            main_db,
            sub,
        };
        city.login("a1", MAIN);
        city.login("a2", MAIN);
        let sub = city.sub.clone();
        city.login("b1", &sub);
        city
    }

    pub fn login(&self, name: &str, event: &str) {
        ok(
            "add-desk",
            cli_bare(&[
                "server",
                "add-desk",
                "--server",
                &self.pg.owner_url(),
                "--login",
                name,
                "--login-password",
                &format!("{name}-pw"),
                "--event",
                event,
            ]),
        );
    }

    /// A new desk laptop: an empty database that syncs as `login`.
    pub fn desk(&self, login: &str) -> PathBuf {
        let db = self.dir.path().join(format!("{login}.db"));
        ok("init", cli(&db, &["init"]));
        db
    }

    pub fn desk_url(&self, login: &str) -> String {
        self.pg.url(login, &format!("{login}-pw"))
    }

    /// One round for the desk `login` (its database is `db`); the CLI's output.
    pub fn sync(&self, db: &Path, login: &str) -> Output {
        cli(
            db,
            &[
                "sync",
                "--once",
                "--server",
                &self.desk_url(login),
                "--desk",
                login,
            ],
        )
    }

    /// The check-in ids the server has for an event.
    pub fn server_checkins(&self, event: &str) -> BTreeSet<String> {
        self.pg
            .value(&format!(
                "SELECT string_agg(id, ',') FROM tongxin.checkin WHERE event_id = '{event}'"
            ))
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The codes of the event's registered experts who have not arrived yet.
pub fn codes_not_arrived(db: &Path, event: &str) -> Vec<String> {
    cli_json(db, &["roster", "--event", event])
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "registered")
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

/// Every check-in id of the event on a desk (morning check-ins, revoked or not).
pub fn local_checkins(db: &Path, event: &str) -> BTreeSet<String> {
    cli_json(db, &["checkins", "--event", event])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn check_in(db: &Path, event: &str, code: &str, desk: &str) {
    ok(
        "checkin",
        cli(
            db,
            &["checkin", "--event", event, "--code", code, "--desk", desk],
        ),
    );
}

/// Edits the expert with `code` on the desk `db` as if its clock read `now`: the fields given
/// in `changes` (JSON, as the window's form sends them) over what the expert has. Their id.
pub fn edit_expert(
    db: &Path,
    code: &str,
    changes: serde_json::Value,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    use tongxin_core::{experts, Db, Desk};
    let mut d = Db::open(db).unwrap();
    let e = experts::by_code(&d, code).unwrap().unwrap();
    let mut form = serde_json::json!({
        "name": e.name, "organisation": e.organisation, "title": e.title, "phone": e.phone,
        "party": e.party, "gender": e.gender, "field": e.field, "notes": e.notes,
    });
    for (k, v) in changes.as_object().unwrap() {
        form[k] = v.clone();
    }
    let form: experts::ExpertForm = serde_json::from_value(form).unwrap();
    let who = Desk {
        id: "cli:test".into(),
        name: "test".into(),
    };
    experts::edit(&mut d, &e.id, &form, &who, now).unwrap();
    e.id
}
