//! The city's morning on a real PostgreSQL (Debian's, on loopback): 16 venues × 3 desks, each
//! desk checking in its 150 experts over the simulated 08:20–08:30 rush (compressed ten times:
//! 60 s of real time), syncing as the window's background task does: after every check-in, and
//! when the server's NOTIFY says a check-in of its venue arrived. It reports, side by side in
//! the same run:
//!
//! - Enter → on the server: from a check-in's local commit to the end of the sync round that
//!   carried it up (push, then pull of the venue's other desks' rows), p50 / p99 / max;
//! - Enter → on another desk of the venue: from the local commit to the end of the round that
//!   brought it to each of the venue's other desks, p50 / p95 / max;
//! - Enter → on 城市总览: from the local commit to the first read of the city's picture (woken
//!   by NOTIFY) that counts it;
//! - the server's CPU over the morning (postmaster and every backend, from /proc);
//! - a desk offline for an hour with 2,000 check-ins to push and 10,000 to pull: its catch-up;
//! - the desk's own check-in (the local commit) with no sync, with sync running beside it on
//!   the same file against the live server, and against a dead one: what the network costs the
//!   desk — it should cost nothing.
//!
//!     cargo bench -p tongxin-tests --bench sync      (TONGXIN_BENCH_SPEED=1: the real ten minutes)

#![allow(clippy::unwrap_used)]

#[path = "../server/pg.rs"]
#[allow(dead_code)]
mod pg;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use tongxin_core::{central, checkin, synth, Checkpoint, Db, Desk, Method};
use tongxin_sync::server::{self, Role};
use tongxin_sync::Target;

const VENUES: usize = 16;
const DESKS: usize = 3;
const PER_DESK: usize = 150;
const MORNING: Duration = Duration::from_secs(600);

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn line(what: &str, v: &mut [f64]) {
    let max = v.iter().cloned().fold(0.0, f64::max);
    println!(
        "{what:<58} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms   (n = {})",
        pct(v, 0.5),
        pct(v, 0.99),
        max,
        v.len()
    );
}

/// CPU seconds used by the cluster so far: the postmaster with its reaped children, and the
/// live backends.
fn server_cpu(data: &std::path::Path) -> f64 {
    let pid = std::fs::read_to_string(data.join("postmaster.pid"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim()
        .to_string();
    let ticks = |pid: &str, with_children: bool| -> u64 {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            return 0;
        };
        let f: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        // after ")": state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
        let n = |i: usize| f[i].parse::<u64>().unwrap_or(0);
        n(11) + n(12) + if with_children { n(13) + n(14) } else { 0 }
    };
    let mut total = ticks(&pid, true);
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{name}/stat")) {
                let ppid = stat.rsplit(')').next().unwrap().split_whitespace().nth(1);
                if ppid == Some(pid.as_str()) {
                    total += ticks(&name, false);
                }
            }
        }
    }
    total as f64 / 100.0
}

fn desk(v: usize, d: usize) -> Desk {
    Desk {
        id: format!("bench-v{v:02}-d{d}"),
        name: format!("{}号台", d + 1),
    }
}

/// The desk's local check-ins, timed, with something (or nothing) syncing beside it.
async fn desk_alone(dir: &std::path::Path, name: &str, target: Option<Target>) -> Vec<f64> {
    let path = dir.join(format!("{name}.db"));
    let mut db = Db::open(&path).unwrap();
    synth::create_event(&db, "solo").unwrap();
    let experts = synth::experts(PER_DESK, 99);
    synth::load(&mut db, "solo", &experts, Utc::now()).unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let beside = target.map(|t| {
        let path = path.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut other = Db::open(&path).unwrap();
            let me = desk(99, 0);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                match tongxin_sync::connect(&t).await {
                    Ok(mut link) => {
                        let _ =
                            tongxin_sync::round(&mut link, &mut other, &me, central::BATCH).await;
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            }
        })
    });
    let me = desk(98, 0);
    let mut times = Vec::new();
    for e in &experts {
        let t0 = Instant::now();
        checkin::check_in(
            &mut db,
            "solo",
            &e.id,
            &Checkpoint::Main,
            Method::Scan,
            &me,
            Utc::now(),
        )
        .unwrap();
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Some(h) = beside {
        let _ = h.await;
    }
    times
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() {
    let speed: f64 = std::env::var("TONGXIN_BENCH_SPEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10.0);
    let pg = pg::Pg::start();
    let dir = tempfile::tempdir().unwrap();
    let owner = Target::new(&pg.owner_url(), None);
    server::init(&owner).await.unwrap();

    // The city office's laptop: sixteen venues of 450 experts each, published.
    let main_path = dir.path().join("city.db");
    let mut main = Db::open(&main_path).unwrap();
    let all = synth::experts(VENUES * DESKS * PER_DESK, 7);
    for v in 0..VENUES {
        let id = format!("venue-{v:02}");
        synth::create_event(&main, &id).unwrap();
        let chunk = &all[v * DESKS * PER_DESK..(v + 1) * DESKS * PER_DESK];
        synth::load(&mut main, &id, chunk, Utc::now()).unwrap();
    }
    let mut link = tongxin_sync::connect(&owner).await.unwrap();
    tongxin_sync::publish(&mut link, &mut main, None)
        .await
        .unwrap();
    for v in 0..VENUES {
        server::add_login(
            &owner,
            Role::Desk,
            &format!("venue{v:02}"),
            "pw",
            &[format!("venue-{v:02}")],
        )
        .await
        .unwrap();
    }

    // 48 desk laptops, each set up from the server.
    let mut desks = Vec::new();
    for v in 0..VENUES {
        for d in 0..DESKS {
            let path = dir.path().join(format!("v{v:02}-d{d}.db"));
            let mut db = Db::open(&path).unwrap();
            let t = Target::new(&pg.url(&format!("venue{v:02}"), "pw"), None);
            let mut l = tongxin_sync::connect(&t).await.unwrap();
            tongxin_sync::round(&mut l, &mut db, &desk(v, d), central::BATCH)
                .await
                .unwrap();
            let base = v * DESKS * PER_DESK + d * PER_DESK;
            let ids: Vec<String> = all[base..base + PER_DESK]
                .iter()
                .map(|e| e.id.clone())
                .collect();
            desks.push((v, d, db, l, ids));
        }
    }
    println!(
        "{VENUES} venues × {DESKS} desks × {PER_DESK} check-ins, the 10-minute rush at ×{speed} \
         ({:.0} s), PostgreSQL on loopback",
        MORNING.as_secs_f64() / speed
    );

    // When each check-in was committed at its desk, and when it was seen elsewhere.
    let made: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let on_desks: Arc<Mutex<Vec<f64>>> = Arc::default();
    let on_city: Arc<Mutex<Vec<f64>>> = Arc::default();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let city = {
        let (made, on_city, done) = (made.clone(), on_city.clone(), done.clone());
        let (link, mut woken) = tongxin_sync::connect_listening(&owner).await.unwrap();
        tokio::spawn(async move {
            let mut seen = HashSet::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if tokio::time::timeout(Duration::from_millis(200), woken.recv())
                    .await
                    .is_ok_and(|n| n.is_none())
                {
                    break;
                }
                while woken.try_recv().is_ok() {}
                // The picture 城市总览 reads, and (as the owner) which check-ins it counts.
                let _ = tongxin_sync::dashboard(&link).await;
                let rows = link
                    .client
                    .query(
                        "SELECT id FROM tongxin.checkin WHERE received_at > now() - interval '60 s'",
                        &[],
                    )
                    .await
                    .unwrap();
                let now = Instant::now();
                let made = made.lock().unwrap();
                for r in rows {
                    let id: String = r.get(0);
                    if let Some(t) = made.get(&id) {
                        if seen.insert(id) {
                            on_city
                                .lock()
                                .unwrap()
                                .push((now - *t).as_secs_f64() * 1000.0);
                        }
                    }
                }
            }
        })
    };

    let cpu0 = server_cpu(&pg_data(&pg));
    let started = Instant::now();
    let gap = MORNING.as_secs_f64() / speed / PER_DESK as f64;
    let mut tasks = Vec::new();
    for (v, d, mut db, _, ids) in desks {
        let (made, on_desks) = (made.clone(), on_desks.clone());
        let t = Target::new(&pg.url(&format!("venue{v:02}"), "pw"), None);
        tasks.push(tokio::spawn(async move {
            let (mut l, mut woken) = tongxin_sync::connect_listening(&t).await.unwrap();
            let me = desk(v, d);
            let event = format!("venue-{v:02}");
            let mut rng = synth::Rng::new((v * 10 + d) as u64 + 1);
            let mut lat = Vec::new();
            let mut known: HashSet<String> = HashSet::new();
            let mut pending = ids.into_iter();
            let mut next = pending.next();
            let mut at = tokio::time::Instant::now();
            let mut last_new = Instant::now();
            loop {
                let mut local = false;
                match &next {
                    Some(id) => {
                        // Arrivals come unevenly: between none and twice the mean gap.
                        if at <= tokio::time::Instant::now() {
                            at = tokio::time::Instant::now()
                                + Duration::from_secs_f64(gap * (rng.below(2000) as f64 / 1000.0));
                        }
                        tokio::select! {
                            _ = tokio::time::sleep_until(at) => {
                                let t0 = Instant::now();
                                let r = checkin::check_in(
                                    &mut db, &event, id, &Checkpoint::Main, Method::Scan, &me,
                                    Utc::now(),
                                )
                                .unwrap();
                                made.lock().unwrap().insert(r.checkin.id.clone(), t0);
                                known.insert(r.checkin.id);
                                tongxin_sync::round(&mut l, &mut db, &me, central::BATCH)
                                    .await
                                    .unwrap();
                                lat.push(t0.elapsed().as_secs_f64() * 1000.0);
                                next = pending.next();
                                local = true;
                            }
                            n = woken.recv() => {
                                if n.as_deref() != Some(event.as_str()) { continue; }
                            }
                        }
                    }
                    None => {
                        // The rush is over here: wait for the venue's last arrivals elsewhere.
                        if known.len() >= DESKS * PER_DESK
                            || last_new.elapsed() > Duration::from_secs(30)
                        {
                            break;
                        }
                        match tokio::time::timeout(Duration::from_millis(500), woken.recv()).await {
                            Ok(Some(n)) if n == event => {}
                            Ok(Some(_)) => continue,
                            Ok(None) => break,
                            Err(_) => {}
                        }
                    }
                }
                // A NOTIFY of its venue (and any queued behind it): one round for them all.
                while woken.try_recv().is_ok() {}
                if !local {
                    tongxin_sync::round(&mut l, &mut db, &me, central::BATCH)
                        .await
                        .unwrap();
                }
                let now = Instant::now();
                let here = checkin::list(&db, &event, &Checkpoint::Main).unwrap();
                let made = made.lock().unwrap();
                for c in here {
                    if known.insert(c.id.clone()) {
                        last_new = now;
                        if let Some(t) = made.get(&c.id) {
                            on_desks
                                .lock()
                                .unwrap()
                                .push((now - *t).as_secs_f64() * 1000.0);
                        }
                    }
                }
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let wall = started.elapsed().as_secs_f64();
    let cpu = server_cpu(&pg_data(&pg)) - cpu0;
    tokio::time::sleep(Duration::from_millis(500)).await;
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = city.await;
    let on_server: i64 = pg
        .value("SELECT count(*) FROM tongxin.checkin")
        .parse()
        .unwrap();
    line(
        "check-in committed here → its sync round done (on the server)",
        &mut lat,
    );
    let mut seen_desks = on_desks.lock().unwrap().clone();
    let mut seen_city = on_city.lock().unwrap().clone();
    line95(
        "check-in committed here → on another desk of the venue",
        &mut seen_desks,
    );
    line95(
        "check-in committed here → counted on 城市总览",
        &mut seen_city,
    );
    println!(
        "server: {on_server} check-ins received (expected {}), {} seen on other desks \
         (expected {}), {cpu:.1} CPU-s over {wall:.0} s = {:.0}% of one core",
        VENUES * DESKS * PER_DESK,
        seen_desks.len(),
        VENUES * DESKS * PER_DESK * (DESKS - 1),
        cpu / wall * 100.0
    );

    catch_up(&pg, &owner, dir.path()).await;

    // What the network costs the desk itself.
    let live = Target::new(&pg.url("venue00", "pw"), None);
    let dead = Target::new("postgres://venue00:pw@127.0.0.1:9/tongxin", None);
    let mut alone = desk_alone(dir.path(), "alone", None).await;
    let mut with_live = desk_alone(dir.path(), "live", Some(live)).await;
    let mut with_dead = desk_alone(dir.path(), "dead", Some(dead)).await;
    line("desk check-in (local commit), no sync", &mut alone);
    line(
        "desk check-in, sync running beside it (live server)",
        &mut with_live,
    );
    line(
        "desk check-in, sync failing beside it (dead server)",
        &mut with_dead,
    );
}

fn line95(what: &str, v: &mut [f64]) {
    let max = v.iter().cloned().fold(0.0, f64::max);
    println!(
        "{what:<58} p50 {:>7.2} ms   p95 {:>7.2} ms   max {:>7.2} ms   (n = {})",
        pct(v, 0.5),
        pct(v, 0.95),
        max,
        v.len()
    );
}

/// A desk offline for an hour: 2,000 check-ins made here while the venue's other desk pushed
/// 10,000; the rounds it takes, back online, until it has sent everything and holds all.
async fn catch_up(pg: &pg::Pg, owner: &Target, dir: &std::path::Path) {
    const MINE: usize = 2_000;
    const THEIRS: usize = 10_000;
    let event = "venue-big";
    // Its own office laptop: the morning's people keep their codes.
    let mut office = Db::open(&dir.join("big-office.db")).unwrap();
    synth::create_event(&office, event).unwrap();
    let people = synth::experts(MINE + THEIRS, 11);
    synth::load(&mut office, event, &people, Utc::now()).unwrap();
    let mut link = tongxin_sync::connect(owner).await.unwrap();
    tongxin_sync::publish(&mut link, &mut office, Some(event))
        .await
        .unwrap();
    server::add_login(owner, Role::Desk, "bigvenue", "pw", &[event.to_string()])
        .await
        .unwrap();
    let t = Target::new(&pg.url("bigvenue", "pw"), None);
    let open = |name: &str, d: usize| {
        let db = Db::open(&dir.join(format!("{name}.db"))).unwrap();
        (db, desk(90, d))
    };
    let (mut away, away_desk) = open("away", 0);
    let (mut other, other_desk) = open("online", 1);
    for (db, who) in [(&mut away, &away_desk), (&mut other, &other_desk)] {
        let mut l = tongxin_sync::connect(&t).await.unwrap();
        tongxin_sync::round(&mut l, db, who, central::BATCH)
            .await
            .unwrap();
    }
    // The hour: the other desk checks 10,000 in and sends them; this one 2,000, offline.
    for (i, e) in people.iter().enumerate() {
        let (db, who) = if i < MINE {
            (&mut away, &away_desk)
        } else {
            (&mut other, &other_desk)
        };
        checkin::check_in(
            db,
            event,
            &e.id,
            &Checkpoint::Main,
            Method::Scan,
            who,
            Utc::now(),
        )
        .unwrap();
    }
    let mut l = tongxin_sync::connect(&t).await.unwrap();
    tongxin_sync::round(&mut l, &mut other, &other_desk, central::BATCH)
        .await
        .unwrap();
    let cpu0 = server_cpu(&pg.data_dir());
    let t0 = Instant::now();
    let mut l = tongxin_sync::connect(&t).await.unwrap();
    let mut rounds = 0;
    loop {
        let r = tongxin_sync::round(&mut l, &mut away, &away_desk, central::BATCH)
            .await
            .unwrap();
        rounds += 1;
        if r.unsent == 0 && r.pulled.checkins == 0 {
            break;
        }
    }
    let took = t0.elapsed().as_secs_f64();
    let cpu = server_cpu(&pg.data_dir()) - cpu0;
    let held = checkin::list(&away, event, &Checkpoint::Main)
        .unwrap()
        .len();
    println!(
        "offline desk back: {MINE} to push, {THEIRS} to pull → caught up in {took:.2} s \
         ({rounds} rounds, the last one empty; it holds {held} of {}), server {cpu:.1} CPU-s",
        MINE + THEIRS
    );
}

fn pg_data(pg: &pg::Pg) -> std::path::PathBuf {
    pg.data_dir()
}
