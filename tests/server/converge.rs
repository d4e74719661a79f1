//! Convergence under a random day: four desks of two venues check people in, undo check-ins,
//! register walk-ins and sync in an order drawn from a seeded generator, while bulk rows pile
//! thousands of revisions onto the server, the server is killed in the middle of rounds, a
//! desk stays offline for half the day, and a transaction commits late. At the end every
//! desk holds exactly its venues' check-ins as the server has them, revoked or not, and the
//! server holds exactly what was made: no committed row skipped, none doubled.
//!
//! The test keeps its own record of what was made: after every action it reads the desk's
//! file back and takes the new rows of that desk (checking that the action wrote exactly the
//! row it reported, or none for a duplicate), and it knows the ids of every row it wrote to
//! the server directly.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::pg::{OWNER, OWNER_PASSWORD};
use super::*;

/// The desks of the run: two at the main venue, two at the sub-venue.
const DESKS: [(&str, bool); 4] = [("a1", true), ("a2", true), ("b1", false), ("b2", false)];

/// Rows the late transaction must stay open across, at each venue (the client's overlap
/// today is 1,000 revisions).
const LATE_GAP: i64 = 1600;

/// splitmix64: a small generator whose sequence depends on the seed alone.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }

    /// A check-in id in the desks' own form (a UUID).
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }
}

/// What a run does besides the desks' ordinary work.
struct Plan {
    seeds: &'static [u64],
    steps: usize,
    /// Rounds cut by killing the server, per seed.
    cuts: usize,
    /// One desk stays offline for the middle half of the day.
    offline: bool,
    /// A check-in at each venue committed late, across more than `LATE_GAP` revisions.
    late: bool,
}

/// One check-in as a desk's file lists it (`checkins --json`).
struct Local {
    id: String,
    expert_id: String,
    desk_id: String,
    revoked: bool,
}

struct Desk {
    login: &'static str,
    event: String,
    db: PathBuf,
    /// The file's check-ins at the last read; `None` once a sync may have changed them.
    seen: Option<Vec<Local>>,
}

#[derive(Default)]
struct Stats {
    checkins: usize,
    duplicates: usize,
    undos: usize,
    walkins: usize,
    syncs: usize,
    bulk_rows: usize,
    cut_mid_round: usize,
    cut_after_round: usize,
}

/// One seed's day.
struct Day {
    city: City,
    seed: u64,
    rng: Rng,
    desks: Vec<Desk>,
    /// Each venue's registered people (expert ids), whom the desks check in.
    people: BTreeMap<String, Vec<String>>,
    /// Every check-in made, by id: its venue and who made it.
    made: BTreeMap<String, (String, String)>,
    /// Every check-in some desk or bulk write revoked.
    revoked: BTreeSet<String>,
    offline: Option<usize>,
    bulks: usize,
    stats: Stats,
}

fn ids(csv: &str) -> BTreeSet<String> {
    csv.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Fails with the sizes and the first few ids either side lacks, not two sets of thousands.
fn same(what: &str, got: &BTreeSet<String>, want: &BTreeSet<String>) {
    if got == want {
        return;
    }
    let missing: Vec<_> = want.difference(got).take(5).collect();
    let extra: Vec<_> = got.difference(want).take(5).collect();
    panic!(
        "{what}: {} ids where {} were expected; missing {} (e.g. {missing:?}), unexpected {} \
         (e.g. {extra:?})",
        got.len(),
        want.len(),
        want.difference(got).count(),
        got.difference(want).count()
    );
}

/// Waits for a child process, failing the test if it has not ended within a minute.
fn wait_bounded(mut child: Child, what: &str) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{what} did not end within 60 s");
        }
        sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

fn psql_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .unwrap()
        .flatten()
        .map(|e| e.path().join("bin/psql"))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop().unwrap()
}

/// A transaction of a desk login held open in its own `psql`: begun and written now,
/// committed later.
struct Late {
    login: &'static str,
    event: String,
    id: String,
    child: Child,
    stdin: ChildStdin,
}

impl Late {
    fn open(pg: &pg::Pg, login: &'static str, event: &str, expert: &str, id: String) -> Late {
        let app = format!("late-{login}");
        let mut child = Command::new(psql_bin())
            .arg(format!(
                "postgres://{login}@127.0.0.1:{}/tongxin?application_name={app}",
                pg.port
            ))
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"])
            .env("PGPASSWORD", format!("{login}-pw"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        writeln!(
            stdin,
            "BEGIN;\nINSERT INTO tongxin.checkin (id, event_id, expert_id, at, desk_id, desk_name, \
             method) VALUES ('{id}', '{event}', '{expert}', '{}', 'psql:{login}', '{login} 迟交', \
             'manual');",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ")
        )
        .unwrap();
        stdin.flush().unwrap();
        // The row is written (its revision drawn) and the transaction waits for its COMMIT.
        pg.wait_for("the late transaction's insert", || {
            pg.value(&format!(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '{app}'
                   AND state = 'idle in transaction' AND query LIKE 'INSERT%'"
            )) == "1"
        });
        Late {
            login,
            event: event.to_string(),
            id,
            child,
            stdin,
        }
    }

    fn commit(self) {
        let Late {
            login,
            child,
            mut stdin,
            ..
        } = self;
        writeln!(stdin, "COMMIT;").unwrap();
        drop(stdin);
        ok(
            &format!("{login}'s late COMMIT"),
            wait_bounded(child, "psql"),
        );
    }
}

impl Day {
    fn new(seed: u64) -> Day {
        let city = City::set_up();
        let sub = city.sub.clone();
        city.login("b2", &sub);
        let desks: Vec<Desk> = DESKS
            .iter()
            .map(|&(login, main)| Desk {
                login,
                event: if main { MAIN.to_string() } else { sub.clone() },
                db: city.desk(login),
                seen: None,
            })
            .collect();
        for d in &desks {
            ok("first sync", city.sync(&d.db, d.login));
        }
        let mut day = Day {
            rng: Rng(seed),
            seed,
            desks,
            people: BTreeMap::new(),
            made: BTreeMap::new(),
            revoked: BTreeSet::new(),
            offline: None,
            bulks: 0,
            stats: Stats::default(),
            city,
        };
        // What the published day already holds is the starting point.
        for event in [MAIN.to_string(), sub] {
            let people = day.city.pg.value(&format!(
                "SELECT string_agg(expert_id, ',' ORDER BY expert_id) FROM tongxin.signup
                 WHERE event_id = '{event}' AND status = 'registered'"
            ));
            day.people
                .insert(event.clone(), ids(&people).into_iter().collect());
            for id in day.city.server_checkins(&event) {
                day.made.insert(id, (event.clone(), "published".into()));
            }
            day.revoked.extend(day.server_revoked(&event));
        }
        day
    }

    fn server_revoked(&self, event: &str) -> BTreeSet<String> {
        ids(&self.city.pg.value(&format!(
            "SELECT string_agg(DISTINCT checkin_id, ',') FROM tongxin.revocation
             WHERE event_id = '{event}'"
        )))
    }

    /// The venue's rows on the server: check-ins and revocations.
    fn server_rows(&self, event: &str) -> i64 {
        self.city
            .pg
            .value(&format!(
                "SELECT (SELECT count(*) FROM tongxin.checkin WHERE event_id = '{event}')
                      + (SELECT count(*) FROM tongxin.revocation WHERE event_id = '{event}')"
            ))
            .parse()
            .unwrap()
    }

    fn read(&self, i: usize) -> Vec<Local> {
        let d = &self.desks[i];
        cli_json(&d.db, &["checkins", "--event", &d.event])
            .as_array()
            .unwrap()
            .iter()
            .map(|c| Local {
                id: c["id"].as_str().unwrap().to_string(),
                expert_id: c["expert_id"].as_str().unwrap().to_string(),
                desk_id: c["desk_id"].as_str().unwrap().to_string(),
                revoked: !c["revoked_at"].is_null(),
            })
            .collect()
    }

    fn seen(&mut self, i: usize) -> &Vec<Local> {
        if self.desks[i].seen.is_none() {
            self.desks[i].seen = Some(self.read(i));
        }
        self.desks[i].seen.as_ref().unwrap()
    }

    /// Reads the desk's file back after an action: every check-in it made before is still
    /// there, and the new ones are exactly `new` (the id the action reported, or none).
    fn read_back(&mut self, i: usize, new: Option<&str>) {
        let rows = self.read(i);
        let (login, event) = (self.desks[i].login, self.desks[i].event.clone());
        let own: BTreeSet<String> = rows
            .iter()
            .filter(|r| r.desk_id == format!("cli:{login}"))
            .map(|r| r.id.clone())
            .collect();
        let before: BTreeSet<String> = self
            .made
            .iter()
            .filter(|(_, (_, who))| who == login)
            .map(|(id, _)| id.clone())
            .collect();
        let fresh: BTreeSet<String> = own.difference(&before).cloned().collect();
        let want: BTreeSet<String> = new.map(str::to_string).into_iter().collect();
        same(
            &format!("{login}'s new rows after an action"),
            &fresh,
            &want,
        );
        same(
            &format!("{login}'s own rows still in its file"),
            &own.intersection(&before).cloned().collect(),
            &before,
        );
        for id in fresh {
            assert!(
                self.made
                    .insert(id.clone(), (event.clone(), login.into()))
                    .is_none(),
                "{id} made twice"
            );
        }
        self.desks[i].seen = Some(rows);
    }

    fn check_in(&mut self, i: usize) {
        let event = self.desks[i].event.clone();
        let live: BTreeSet<String> = self
            .seen(i)
            .iter()
            .filter(|r| !r.revoked)
            .map(|r| r.expert_id.clone())
            .collect();
        let people = &self.people[&event];
        let free: Vec<&String> = people.iter().filter(|p| !live.contains(*p)).collect();
        // Now and then someone already here (the desk must write nothing).
        let expert = if free.is_empty() || self.rng.percent(10) {
            people[self.rng.below(people.len())].clone()
        } else {
            free[self.rng.below(free.len())].clone()
        };
        let d = &self.desks[i];
        let r = cli_json(
            &d.db,
            &[
                "checkin", "--event", &event, "--expert", &expert, "--desk", d.login,
            ],
        );
        if r["outcome"] == "recorded" {
            self.stats.checkins += 1;
            self.read_back(i, r["checkin"]["id"].as_str());
        } else {
            self.stats.duplicates += 1;
            self.read_back(i, None);
        }
    }

    fn undo(&mut self, i: usize) {
        let live: Vec<String> = self
            .seen(i)
            .iter()
            .filter(|r| !r.revoked)
            .map(|r| r.id.clone())
            .collect();
        if live.is_empty() {
            return self.check_in(i);
        }
        let id = live[self.rng.below(live.len())].clone();
        let d = &self.desks[i];
        ok(
            "undo",
            cli(&d.db, &["undo", &id, "--reason", "误签", "--desk", d.login]),
        );
        self.stats.undos += 1;
        self.revoked.insert(id.clone());
        self.read_back(i, None);
        let seen = self.desks[i].seen.as_ref().unwrap();
        assert!(seen.iter().any(|r| r.id == id && r.revoked), "{id} undone");
    }

    fn walk_in(&mut self, i: usize) {
        let n = self.stats.walkins;
        let (seed, d) = (self.seed, &self.desks[i]);
        let r = cli_json(
            &d.db,
            &[
                "walkin",
                "--event",
                &d.event,
                "--name",
                &format!("补录{seed}号{n}"),
                "--phone",
                &format!("139{:08}", seed * 10_000 + n as u64),
                "--desk",
                d.login,
            ],
        );
        self.stats.walkins += 1;
        // A phone already on file checks that person in instead: maybe a duplicate.
        let fresh = (r["outcome"] == "recorded").then(|| r["checkin"]["id"].as_str().unwrap());
        self.read_back(i, fresh);
    }

    fn sync(&mut self, i: usize) {
        let d = &self.desks[i];
        ok(
            &format!("{}'s sync", d.login),
            self.city.sync(&d.db, d.login),
        );
        self.desks[i].seen = None;
        self.stats.syncs += 1;
    }

    /// `pairs` check-ins written straight to the server as the desk login of desk `i`, each
    /// revoked again (so they leave the desks free to check people in): revisions in bulk.
    fn bulk(&mut self, i: usize, pairs: usize) {
        let (login, event) = (self.desks[i].login, self.desks[i].event.clone());
        let tag = format!("s{}-b{}", self.seed, self.bulks);
        self.bulks += 1;
        let now = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
        let out = ok(
            "bulk rows",
            self.city.pg.psql(
                login,
                &format!("{login}-pw"),
                &format!(
                    "WITH people AS (
                       SELECT array_agg(expert_id ORDER BY expert_id) AS ids
                       FROM tongxin.signup WHERE event_id = '{event}' AND status = 'registered'
                     )
                     INSERT INTO tongxin.checkin (id, event_id, expert_id, at, desk_id,
                                                  desk_name, method)
                     SELECT md5('{tag}-' || g)::uuid::text, '{event}',
                            ids[1 + g % cardinality(ids)], {now}, 'psql:{login}',
                            '{login} 批量', 'manual'
                     FROM people, generate_series(1, {pairs}) AS g;
                     -- A revocation names a check-in the server already has (its own
                     -- statement: a policy does not see rows the same statement writes).
                     INSERT INTO tongxin.revocation (id, checkin_id, event_id, at, desk_id,
                                                     desk_name, reason)
                     SELECT md5('undo-' || c.id)::uuid::text, c.id, '{event}', {now},
                            'psql:{login}', '{login} 批量', '批量撤销'
                     FROM tongxin.checkin c
                     WHERE c.id IN (SELECT md5('{tag}-' || g)::uuid::text
                                    FROM generate_series(1, {pairs}) AS g)
                     RETURNING checkin_id"
                ),
            ),
        );
        let written = ids(&out);
        assert_eq!(written.len(), pairs, "bulk rows written");
        for id in written {
            self.made
                .insert(id.clone(), (event.clone(), format!("psql:{login}")));
            self.revoked.insert(id);
        }
        self.stats.bulk_rows += 2 * pairs;
    }

    /// A round of desk `i` cut by killing the server once the desk is connected (mid-push or
    /// mid-pull, or just after: whichever the timing gives), then the server started again.
    fn cut(&mut self, i: usize) {
        if self.rng.percent(50) {
            // Something for the desk to pull when the cut comes.
            let pairs = 200 + self.rng.below(300);
            self.bulk(i, pairs);
        }
        let d = &self.desks[i];
        let url = self.city.desk_url(d.login);
        let mut child = Command::new(tongxin_tests::target_bin("tongxin-cli"))
            .arg("--db")
            .arg(&d.db)
            // Batches of five: a push of many rows spans many transactions.
            .args([
                "sync", "--once", "--batch", "5", "--server", &url, "--desk", d.login,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let connected = format!(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = '{}'
               AND application_name = 'tongxin'",
            d.login
        );
        while child.try_wait().unwrap().is_none() && self.city.pg.value(&connected) == "0" {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "sync never connected"
            );
        }
        sleep(Duration::from_millis(self.rng.below(15) as u64));
        self.city.pg.kill();
        let out = wait_bounded(child, "the cut sync");
        self.city.pg.start_again();
        if out.status.success() {
            self.stats.cut_after_round += 1;
        } else {
            self.stats.cut_mid_round += 1;
        }
        self.desks[i].seen = None;
    }

    /// One random action of one random desk.
    fn step(&mut self) {
        let i = self.rng.below(self.desks.len());
        let offline = self.offline == Some(i);
        match self.rng.below(100) {
            0..=39 => self.check_in(i),
            40..=54 => self.undo(i),
            55..=61 => self.walk_in(i),
            62..=63 => {
                let pairs = 50 + self.rng.below(250);
                self.bulk(i, pairs);
            }
            _ if offline => self.check_in(i),
            _ => self.sync(i),
        }
    }

    /// Every desk syncs twice over: all have pushed before any last pull.
    fn settle(&mut self) {
        for _ in 0..2 {
            for i in 0..self.desks.len() {
                self.sync(i);
            }
        }
    }

    /// A check-in at each venue written in a transaction held open while the other desks
    /// push and pull more than `LATE_GAP` revisions of the venue, committed, and then one
    /// round: every desk of the venue holds it.
    fn late_commit(&mut self, window: usize) {
        let mut lates = Vec::new();
        let mut base = BTreeMap::new();
        for i in [1, 3] {
            let (login, event) = (self.desks[i].login, self.desks[i].event.clone());
            let people = &self.people[&event];
            let expert = people[self.rng.below(people.len())].clone();
            let id = self.rng.uuid();
            lates.push(Late::open(&self.city.pg, login, &event, &expert, id));
            base.insert(event.clone(), self.server_rows(&event));
        }
        for _ in 0..window {
            self.step();
        }
        for i in [0, 2] {
            let event = self.desks[i].event.clone();
            let added = self.server_rows(&event) - base[&event];
            if added < LATE_GAP {
                self.bulk(i, ((LATE_GAP - added) / 2 + 1) as usize);
            }
        }
        for i in 0..self.desks.len() {
            self.sync(i);
        }
        let mut committed = Vec::new();
        for late in lates {
            let (id, event, login) = (late.id.clone(), late.event.clone(), late.login);
            late.commit();
            self.made
                .insert(id.clone(), (event.clone(), format!("psql:{login}")));
            let rev = self.city.pg.psql(
                OWNER,
                OWNER_PASSWORD,
                &format!("SELECT rev FROM tongxin.checkin WHERE id = '{id}'"),
            );
            let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();
            committed.push((id, event, rev));
        }
        // One round of every desk after the COMMIT.
        let mut cursors = Vec::new();
        for d in &self.desks {
            let url = self.city.desk_url(d.login);
            let report = cli_json(
                &d.db,
                &["sync", "--once", "--server", &url, "--desk", d.login],
            );
            cursors.push(report["cursor"].to_string());
        }
        let mut lacking = Vec::new();
        for (id, event, rev) in &committed {
            for (d, cursor) in self.desks.iter().zip(&cursors) {
                if d.event == *event && !local_checkins(&d.db, event).contains(id) {
                    lacking.push(format!(
                        "{} lacks {id} (revision {rev}; the desk's cursor now {cursor})",
                        d.login
                    ));
                }
            }
        }
        for d in &mut self.desks {
            d.seen = None;
        }
        assert!(
            lacking.is_empty(),
            "seed {}: check-ins whose transactions drew their revisions before the venue's \
             next {LATE_GAP}+ rows and committed after the desks had pulled those are \
             missing one round after the COMMIT: {}",
            self.seed,
            lacking.join("; ")
        );
    }

    fn verify(&mut self) {
        for event in [MAIN.to_string(), self.city.sub.clone()] {
            let server = self.city.server_checkins(&event);
            let made: BTreeSet<String> = self
                .made
                .iter()
                .filter(|(_, (e, _))| *e == event)
                .map(|(id, _)| id.clone())
                .collect();
            let seed = self.seed;
            same(
                &format!("seed {seed}: {event} on the server against what was made"),
                &server,
                &made,
            );
            let revoked = self.server_revoked(&event);
            same(
                &format!("seed {seed}: {event}'s revoked check-ins on the server"),
                &revoked,
                &self.revoked.intersection(&made).cloned().collect(),
            );
            for i in 0..self.desks.len() {
                if self.desks[i].event != event {
                    continue;
                }
                let rows = self.read(i);
                let login = self.desks[i].login;
                let local: BTreeSet<String> = rows.iter().map(|r| r.id.clone()).collect();
                assert_eq!(
                    local.len(),
                    rows.len(),
                    "seed {seed}: {login} lists an id twice"
                );
                same(
                    &format!("seed {seed}: {login}'s check-ins against the server's"),
                    &local,
                    &server,
                );
                same(
                    &format!("seed {seed}: {login}'s revoked check-ins against the server's"),
                    &rows
                        .iter()
                        .filter(|r| r.revoked)
                        .map(|r| r.id.clone())
                        .collect(),
                    &revoked,
                );
            }
        }
    }

    fn run(seed: u64, plan: &Plan) {
        let start = Instant::now();
        let mut day = Day::new(seed);
        let n = plan.steps;
        let cuts: BTreeSet<usize> = (0..plan.cuts).map(|_| day.rng.below(n)).collect();
        let off = day.rng.below(DESKS.len());
        let late_at = n / 3;
        let mut step = 0;
        while step < n {
            if plan.offline && step == n / 4 {
                day.offline = Some(off);
            }
            if plan.offline && step == 3 * n / 4 {
                // Back after half the day: everything it made reaches the server.
                day.offline = None;
                day.sync(off);
                let event = day.desks[off].event.clone();
                let server = day.city.server_checkins(&event);
                let login = day.desks[off].login;
                let own: BTreeSet<String> = day
                    .made
                    .iter()
                    .filter(|(_, (_, who))| who == login)
                    .map(|(id, _)| id.clone())
                    .collect();
                same(
                    &format!("seed {seed}: {login}'s offline check-ins on the server"),
                    &server.intersection(&own).cloned().collect(),
                    &own,
                );
            }
            if plan.late && step == late_at {
                let window = n / 3;
                day.late_commit(window);
                step += window;
                continue;
            }
            if cuts.contains(&step) {
                let i = day.rng.below(DESKS.len());
                if day.offline != Some(i) {
                    day.cut(i);
                }
            }
            day.step();
            step += 1;
        }
        day.settle();
        day.verify();
        let s = &day.stats;
        let log = day.server_rows(MAIN) + day.server_rows(&day.city.sub);
        let seq = day
            .city
            .pg
            .psql(OWNER, OWNER_PASSWORD, "SELECT last_value FROM tongxin.rev");
        println!(
            "converge seed {seed}: {n} steps in {:.1} s; {} check-ins ({} duplicates refused), \
             {} undos, {} walk-ins, {} syncs, {} bulk rows, {} rounds cut mid-way and {} cut \
             after they ended; server log {log} rows, revision sequence at {}",
            start.elapsed().as_secs_f64(),
            s.checkins,
            s.duplicates,
            s.undos,
            s.walkins,
            s.syncs,
            s.bulk_rows,
            s.cut_mid_round,
            s.cut_after_round,
            String::from_utf8_lossy(&seq.stdout).trim()
        );
    }
}

/// Four desks of two venues working and syncing in a random order (four seeds), with rounds
/// cut by the server dying mid-push or mid-pull and one desk offline for half the day: in
/// the end the server holds exactly what the desks and the direct writes made (nothing
/// skipped, nothing doubled), and every desk holds exactly its venue's check-ins as the
/// server does, revoked exactly where the server has a revocation.
#[test]
fn desks_of_two_venues_working_in_a_random_order_through_cuts_and_an_offline_stretch_converge() {
    let plan = Plan {
        seeds: &[11, 23, 37, 41],
        steps: 400,
        cuts: 5,
        offline: true,
        late: false,
    };
    for &seed in plan.seeds {
        Day::run(seed, &plan);
    }
}

/// A desk login's transaction that draws its revision early and commits only after the
/// venue's desks have pushed and pulled more than 1,600 later revisions: one round after the
/// COMMIT every desk of the venue holds that check-in (a cursor of "the highest revision seen,
/// less an overlap of 1,000" skips it), and the random day around it still converges.
#[test]
fn a_check_in_committed_late_across_thousands_of_revisions_reaches_every_desk_of_its_venue() {
    let plan = Plan {
        seeds: &[101, 202, 303],
        steps: 300,
        cuts: 1,
        offline: false,
        late: true,
    };
    for &seed in plan.seeds {
        Day::run(seed, &plan);
    }
}
