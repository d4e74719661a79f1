//! The city's morning on a real PostgreSQL (Debian's, on loopback): 16 venues × 3 desks, each
//! desk checking in its 150 experts over the simulated 08:20–08:30 rush (compressed ten times:
//! 60 s of real time), syncing after every check-in as the window's background task does. It
//! reports, side by side in the same run:
//!
//! - Enter → on the server: from a check-in's local commit to the end of the sync round that
//!   carried it up (push, then pull of the venue's other desks' rows), p50 / p99 / max;
//! - the server's CPU over the morning (postmaster and every backend, from /proc);
//! - the desk's own check-in (the local commit) with no sync, with sync running beside it on
//!   the same file against the live server, and against a dead one: what the network costs the
//!   desk — it should cost nothing.
//!
//!     cargo bench -p tongxin-tests --bench sync      (TONGXIN_BENCH_SPEED=1: the real ten minutes)

#![allow(clippy::unwrap_used)]

#[path = "../server/pg.rs"]
#[allow(dead_code)]
mod pg;

use std::sync::Arc;
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

    let cpu0 = server_cpu(&pg_data(&pg));
    let started = Instant::now();
    let gap = MORNING.as_secs_f64() / speed / PER_DESK as f64;
    let mut tasks = Vec::new();
    for (v, d, mut db, mut l, ids) in desks {
        tasks.push(tokio::spawn(async move {
            let me = desk(v, d);
            let event = format!("venue-{v:02}");
            let mut rng = synth::Rng::new((v * 10 + d) as u64 + 1);
            let mut lat = Vec::new();
            for id in ids {
                // Arrivals come unevenly: between none and twice the mean gap.
                let wait = gap * (rng.below(2000) as f64 / 1000.0);
                tokio::time::sleep(Duration::from_secs_f64(wait)).await;
                let t0 = Instant::now();
                checkin::check_in(
                    &mut db,
                    &event,
                    &id,
                    &Checkpoint::Main,
                    Method::Scan,
                    &me,
                    Utc::now(),
                )
                .unwrap();
                tongxin_sync::round(&mut l, &mut db, &me, central::BATCH)
                    .await
                    .unwrap();
                lat.push(t0.elapsed().as_secs_f64() * 1000.0);
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
    let on_server: i64 = pg
        .value("SELECT count(*) FROM tongxin.checkin")
        .parse()
        .unwrap();
    line(
        "check-in committed here → its sync round done (on the server)",
        &mut lat,
    );
    println!(
        "server: {on_server} check-ins received (expected {}), {cpu:.1} CPU-s over {wall:.0} s \
         = {:.0}% of one core",
        VENUES * DESKS * PER_DESK,
        cpu / wall * 100.0
    );

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

fn pg_data(pg: &pg::Pg) -> std::path::PathBuf {
    pg.data_dir()
}
