//! Nothing readable off the laptop: after a morning — the demo, check-ins, a walk-in, a backup
//! and a package — no file in the data folder holds any expert's name or phone; Python's
//! sqlite3 cannot open the database; the CLI without a key says so and creates nothing; a
//! backup opens on a "new laptop" with the recovery key and not without; an earlier version's
//! plain database is encrypted in place; and the key lives in a real Secret Service
//! (gnome-keyring on its own D-Bus session), unlocked by the login, not in any file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tongxin_tests::{cli, cli_json, target_bin};

fn ok(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The CLI with another key (another laptop), or none.
fn cli_keyed(db: &Path, key: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(target_bin("tongxin-cli"));
    c.arg("--db").arg(db).args(args).env_remove("TONGXIN_DB");
    // No Secret Service either: the test's own process may have none, and must not reach one.
    c.env_remove("DBUS_SESSION_BUS_ADDRESS");
    match key {
        Some(k) => c.env("TONGXIN_DB_KEY", k),
        None => c.env_remove("TONGXIN_DB_KEY"),
    };
    c.output().unwrap()
}

fn new_key() -> String {
    let mut k = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut k))
        .unwrap();
    k.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Every name and phone on file (as UTF-8, and as UTF-16 the way SQLite may also store text).
fn needles(db: &Path) -> Vec<(String, Vec<u8>)> {
    let experts = cli_json(db, &["experts"]);
    let mut out = Vec::new();
    for e in experts.as_array().unwrap() {
        for field in ["name", "phone"] {
            let v = e[field].as_str().unwrap_or_default();
            if v.chars().count() < 2 {
                continue;
            }
            out.push((v.to_string(), v.as_bytes().to_vec()));
            let utf16: Vec<u8> = v.encode_utf16().flat_map(u16::to_le_bytes).collect();
            out.push((format!("{v} (UTF-16)"), utf16));
        }
    }
    out
}

#[test]
fn no_file_in_the_data_folder_holds_any_expert_s_name_or_phone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tongxin.db");
    // What the commands write besides what was asked of them (stderr: a script's log).
    let mut said: Vec<u8> = Vec::new();
    let mut run = |what: &str, args: &[&str]| {
        let out = cli(&db, args);
        ok(what, &out);
        said.extend(&out.stderr);
    };
    run("demo", &["demo"]);
    for code in ["E-0001", "E-0002", "E-0042"] {
        run("checkin", &["checkin", "--code", code]);
    }
    let walk_in = ["walkin", "--name", "欧阳明远", "--phone", "13912345678"];
    run("walk-in", &walk_in);
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let backup = backups.join("tongxin-20240929-090000-manual.db");
    run("backup", &["backup", "--out", backup.to_str().unwrap()]);
    let pkg = dir.path().join("1号台.txpack");
    run("pack", &["pack", "--out", pkg.to_str().unwrap()]);
    let needles = needles(&db);
    for (what, n) in &needles {
        assert!(!contains(&said, n), "a command logged {what}");
    }
    assert!(
        needles.iter().any(|(n, _)| n == "欧阳明远"),
        "the walk-in is on file"
    );
    assert!(needles.len() > 400, "{} names and phones", needles.len());
    let all = files(dir.path());
    assert!(all.len() >= 3, "{all:?}");
    for f in &all {
        let bytes = std::fs::read(f).unwrap();
        for (what, n) in &needles {
            assert!(
                !contains(&bytes, n),
                "{} holds {what} in the clear",
                f.display()
            );
        }
    }
    // Python's sqlite3 (any SQLite without the key) sees no database.
    for f in [&db, &backup] {
        let out = Command::new("python3")
            .arg("-c")
            .arg("import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('select count(*) from sqlite_master').fetchall()")
            .arg(f)
            .output()
            .unwrap();
        assert!(!out.status.success(), "python opened {}", f.display());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("file is not a database"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn without_a_key_or_a_credential_store_the_cli_says_so_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("new.db");
    let out = cli_keyed(&fresh, None, &["init"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("凭据库")
            && err.contains("TONGXIN_DB_KEY")
            && err.contains("没有创建任何未加密的文件"),
        "{err}"
    );
    assert!(
        std::fs::metadata(&fresh).map_or(true, |m| m.len() == 0),
        "nothing written"
    );
    // An existing day: refused the same way, the file as it was.
    let db = tongxin_tests::demo_db(dir.path());
    let before = std::fs::read(&db).unwrap();
    let out = cli_keyed(&db, None, &["experts"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("凭据库"));
    assert!(out.stdout.is_empty(), "nothing printed");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // A wrong key (another laptop's): refused by name, unchanged.
    let out = cli_keyed(&db, Some(&new_key()), &["experts"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("密钥不对"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_backup_opens_on_a_new_laptop_with_the_recovery_key_and_not_without() {
    let (ka, kb) = (new_key(), new_key());
    let a_dir = tempfile::tempdir().unwrap();
    let a = a_dir.path().join("tongxin.db");
    ok("demo on A", &cli_keyed(&a, Some(&ka), &["demo"]));
    ok(
        "check-in on A",
        &cli_keyed(&a, Some(&ka), &["checkin", "--code", "E-0042"]),
    );
    let backup = a_dir.path().join("A的备份.db");
    ok(
        "backup",
        &cli_keyed(
            &a,
            Some(&ka),
            &["backup", "--out", backup.to_str().unwrap()],
        ),
    );
    let recovery = recovery_of(&a, &ka);
    assert_eq!(recovery.split('-').count(), 13, "{recovery}");

    // The new laptop: its own key, an empty day.
    let b_dir = tempfile::tempdir().unwrap();
    let b = b_dir.path().join("tongxin.db");
    ok("init on B", &cli_keyed(&b, Some(&kb), &["init"]));
    let checkins = |db: &Path, k: &str| {
        let out = cli_keyed(db, Some(k), &["checkins", "--json"]);
        ok("checkins", &out);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let before = cli_keyed(&b, Some(&kb), &["events", "--json"]).stdout;
    let no_key = cli_keyed(&b, Some(&kb), &["restore", backup.to_str().unwrap()]);
    assert!(!no_key.status.success());
    assert!(
        String::from_utf8_lossy(&no_key.stderr).contains("恢复密钥"),
        "{}",
        String::from_utf8_lossy(&no_key.stderr)
    );
    let own = recovery_of(&b, &kb);
    let wrong = cli_keyed(
        &b,
        Some(&kb),
        &["restore", backup.to_str().unwrap(), "--recovery-key", &own],
    );
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("密钥不对"));
    assert_eq!(
        cli_keyed(&b, Some(&kb), &["events", "--json"]).stdout,
        before,
        "refused restores changed nothing"
    );
    let typed = recovery.to_lowercase().replace('-', " ");
    ok(
        "restore with A's recovery key",
        &cli_keyed(
            &b,
            Some(&kb),
            &[
                "restore",
                backup.to_str().unwrap(),
                "--recovery-key",
                &typed,
            ],
        ),
    );
    assert_eq!(checkins(&b, &kb), checkins(&a, &ka), "B holds A's day");
    // Still B's database: B's key opens it, A's does not.
    let with_a = cli_keyed(&b, Some(&ka), &["events"]);
    assert!(String::from_utf8_lossy(&with_a.stderr).contains("密钥不对"));
}

/// The recovery key of a database, read with its key.
fn recovery_of(db: &Path, key: &str) -> String {
    let out = cli_keyed(db, Some(key), &["key", "show", "--json"]);
    ok("key show", &out);
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["recovery_key"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn an_earlier_version_s_plain_database_and_backups_are_encrypted_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tongxin.db");
    let fixture = tongxin_tests::root().join("tests/fixtures/upgrade/tongxin-0.1.0.db");
    std::fs::copy(&fixture, &db).unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let old_backup = backups.join("tongxin-20240928-180000-auto.db");
    std::fs::copy(&fixture, &old_backup).unwrap();
    let plain = std::fs::read(&fixture).unwrap();
    assert!(plain.starts_with(b"SQLite format 3\0"));
    let names: Vec<String> = {
        let c = rusqlite::Connection::open(&fixture).unwrap();
        let mut st = c.prepare("SELECT name FROM expert").unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(!names.is_empty());
    // First start of this version: the day is there, and the file is no longer readable.
    let experts = cli_json(&db, &["experts"]);
    assert_eq!(experts.as_array().unwrap().len(), names.len());
    let now = std::fs::read(&db).unwrap();
    assert!(!now.starts_with(b"SQLite format 3"));
    for n in &names {
        assert!(!contains(&now, n.as_bytes()), "{n} still readable");
    }
    for side in ["tongxin.db-wal", "tongxin.db.encrypting"] {
        let p = dir.path().join(side);
        assert!(!p.exists() || !contains(&std::fs::read(&p).unwrap(), names[0].as_bytes()));
    }
    // The backups an earlier version left in the clear, on the coordinator's word.
    let d = tongxin_core::Db::open(&db).unwrap();
    assert_eq!(tongxin_core::backup::plain(&backups).unwrap().len(), 1);
    assert_eq!(
        tongxin_core::backup::encrypt_plain(&d, &backups).unwrap(),
        1
    );
    assert!(tongxin_core::backup::plain(&backups).unwrap().is_empty());
    let b = std::fs::read(&old_backup).unwrap();
    assert!(!contains(&b, names[0].as_bytes()));
    // And the encrypted backup still restores.
    drop(d);
    ok(
        "restore",
        &cli(&db, &["restore", old_backup.to_str().unwrap()]),
    );
    assert_eq!(
        cli_json(&db, &["experts"]).as_array().unwrap().len(),
        names.len()
    );
}

/// Runs `script` in a D-Bus session of its own with gnome-keyring's Secret Service unlocked
/// (the login keyring, password "test"), HOME at `home`, and no TONGXIN_DB_KEY. The script's
/// output goes through files: a daemon the bus starts may outlive the session, and must not
/// hold the test's pipes open.
fn in_secret_service(home: &Path, script: &str) -> Output {
    let (out, err) = (home.join("script.out"), home.join("script.err"));
    let status = Command::new("dbus-run-session")
        .arg("--")
        .arg("sh")
        .arg("-c")
        .arg(format!(
            "printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; \
             ( {script} ) >\"$OUT\" 2>\"$ERR\""
        ))
        .env("HOME", home)
        .env("CLI", target_bin("tongxin-cli"))
        .env("OUT", &out)
        .env("ERR", &err)
        .env_remove("TONGXIN_DB_KEY")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("dbus-run-session (apt-get install dbus gnome-keyring)");
    Output {
        status,
        stdout: std::fs::read(&out).unwrap_or_default(),
        stderr: std::fs::read(&err).unwrap_or_default(),
    }
}

#[test]
fn the_key_lives_in_the_system_credential_store_and_the_recovery_key_brings_it_back() {
    let home = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("tongxin.db");
    let dbs = db.to_str().unwrap();
    // First start: a key made and kept in the store; the day opens again in a new session.
    let first = in_secret_service(
        home.path(),
        &format!("\"$CLI\" --db '{dbs}' demo && \"$CLI\" --db '{dbs}' key show --json"),
    );
    ok("first start in a Secret Service", &first);
    let out = String::from_utf8_lossy(&first.stdout);
    let recovery = out
        .find('{')
        .and_then(|i| serde_json::from_str::<serde_json::Value>(&out[i..]).ok())
        .and_then(|v| v["recovery_key"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("no recovery key in {out}"));
    assert!(!std::fs::read(&db).unwrap().starts_with(b"SQLite format 3"));
    // The same file reached another way (through a link to its folder) finds the same key.
    let link = home.path().join("data-link");
    std::os::unix::fs::symlink(data.path(), &link).unwrap();
    let linked = link.join("tongxin.db");
    let again = in_secret_service(
        home.path(),
        &format!("\"$CLI\" --db '{}' events --json", linked.display()),
    );
    ok("the next start, the key from the store", &again);
    assert!(String::from_utf8_lossy(&again.stdout).contains("2024-jinshan"));
    // The city server's password goes to the store too, not into the database: a backup opened
    // with the recovery key does not log into the city's server.
    let city = in_secret_service(
        home.path(),
        &format!(
            "\"$CLI\" --db '{dbs}' server use postgres://a1@10.0.0.5/tongxin --password 'S3cret-金山' \
             && \"$CLI\" --db '{dbs}' server show --json"
        ),
    );
    ok("the city server set", &city);
    assert!(
        String::from_utf8_lossy(&city.stdout).contains("\"password_kept\": true"),
        "{}",
        String::from_utf8_lossy(&city.stdout)
    );
    let key = tongxin_core::keys::DbKey::from_recovery(&recovery).unwrap();
    let raw = rusqlite::Connection::open(&db).unwrap();
    raw.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.hex()))
        .unwrap();
    let in_db: String = raw
        .query_row(
            "SELECT coalesce(group_concat(value, ''), '') FROM setting WHERE key = 'central.password'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(in_db, "", "the password is not in the database");
    // The key is in no file of the data folder (a stolen folder has no key with it).
    for f in files(data.path()) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(!contains(&bytes, recovery.as_bytes()), "{}", f.display());
    }

    // Another laptop (another login's store): the key is missing, the recovery key brings it.
    let other = tempfile::tempdir().unwrap();
    let missing = in_secret_service(other.path(), &format!("\"$CLI\" --db '{dbs}' events"));
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("没有数据库") && err.contains("恢复密钥") && err.contains("key recover"),
        "{err}"
    );
    let recovered = in_secret_service(
        other.path(),
        &format!(
            "\"$CLI\" --db '{dbs}' key recover '{recovery}' && \"$CLI\" --db '{dbs}' events --json"
        ),
    );
    ok("recovered", &recovered);
    assert!(String::from_utf8_lossy(&recovered.stdout).contains("2024-jinshan"));
}

/// Every text the database holds, table by table (for searching it for an erased person).
fn every_text(db: &Path) -> String {
    let c = tongxin_tests::open_raw(db);
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut all = String::new();
    for t in tables {
        let mut st = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                if let Ok(s) = r.get::<_, String>(i) {
                    all.push_str(&s);
                    all.push('\n');
                }
            }
        }
    }
    all
}

#[test]
fn an_erased_person_stays_erased_after_a_merge_and_still_counts() {
    let dir = tempfile::tempdir().unwrap();
    let a = tongxin_tests::demo_db(dir.path());
    ok("check-in", &cli(&a, &["checkin", "--code", "E-0042"]));
    // Another desk set up from this one: it still holds the person, and checks them in again.
    let b = dir.path().join("b.db");
    ok("copy", &cli(&a, &["backup", "--out", b.to_str().unwrap()]));
    ok("check-in at b", &cli(&b, &["checkin", "--code", "E-0043"]));
    // …and the person at their service point: a check-in new to `a`, naming them in b's package.
    ok(
        "E-0042 at a point, at b",
        &cli(
            &b,
            &[
                "checkin",
                "--code",
                "E-0042",
                "--checkpoint",
                "2024-jinshan-p1",
            ],
        ),
    );
    let person = cli_json(&a, &["experts"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "E-0042")
        .cloned()
        .unwrap();
    let (name, phone) = (
        person["name"].as_str().unwrap().to_string(),
        person["phone"].as_str().unwrap().to_string(),
    );
    assert!(every_text(&a).contains(&name));
    let tally = |db: &Path| {
        let v = cli_json(db, &["attendance"]);
        (
            v["expected"].clone(),
            v["present"].clone(),
            v["walk_ins"].clone(),
        )
    };
    let counts = tally(&a);

    let done = cli_json(&a, &["experts", "erase", "--code", "E-0042"]);
    assert_eq!(done["records"], 1);
    let after = cli_json(&a, &["experts"]);
    let erased = after
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "E-0042")
        .unwrap();
    assert_eq!(erased["name"], "已删除个人信息（E-0042）");
    assert_eq!(erased["phone"], "");
    assert_eq!(erased["organisation"], "");
    assert_eq!(tally(&a), counts, "the day's counts stand");
    let text = every_text(&a);
    assert!(!text.contains(&name), "the name is still in the database");
    assert!(!text.contains(&phone), "the phone is still in the database");
    assert!(
        text.contains("expert_erase"),
        "the erasure is in the audit log"
    );

    // b's package still names the person: merged, it writes nothing of them back.
    let pkg = dir.path().join("b.txpack");
    ok(
        "pack at b",
        &cli(&b, &["pack", "--out", pkg.to_str().unwrap()]),
    );
    ok("merge", &cli(&a, &["merge", pkg.to_str().unwrap()]));
    let text = every_text(&a);
    assert!(
        !text.contains(&name),
        "a merged package brought the name back"
    );
    assert!(
        !text.contains(&phone),
        "a merged package brought the phone back"
    );
    assert_ne!(tally(&a).1, counts.1, "b's check-in of E-0043 arrived");
}

#[test]
fn erasing_someone_leaves_a_colleague_whose_name_contains_theirs_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let a = tongxin_tests::demo_db(dir.path());
    let name = cli_json(&a, &["experts"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "E-0042")
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    let colleague = format!("{name}明");
    ok(
        "walk-in",
        &cli(
            &a,
            &["walkin", "--name", &colleague, "--phone", "13912340000"],
        ),
    );
    let naming = |db: &Path| {
        cli_json(db, &["audit", "--limit", "100000"])
            .to_string()
            .matches(&colleague)
            .count()
    };
    let before = naming(&a);
    assert!(
        before >= 2,
        "the walk-in and its check-in are in the audit log"
    );
    ok("erase", &cli(&a, &["experts", "erase", "--code", "E-0042"]));
    assert_eq!(
        naming(&a),
        before,
        "a line about the colleague lost their name"
    );
    assert!(cli_json(&a, &["experts"])
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["name"] == colleague.as_str()));
}
