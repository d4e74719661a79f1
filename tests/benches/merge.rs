//! The desk while a 200 MB package merges: a badge scanned every 20 ms (the confirmation: the
//! database taken, the check-in made durable, the answer back), first with nothing merging, then
//! while another desk's package of the largest size accepted (`package::MAX_BYTES`) is read,
//! unsealed, checked and merged exactly as the window merges it (`package::merge_file`: the
//! database taken only for the key and for one part at a time), and, for reference, while the
//! same package is merged holding the database from its first byte read to its last record
//! written — how the window merged before. Same build, same run, 100,000 experts on file.
//!
//!     cargo bench -p tongxin-tests --bench merge

#![allow(clippy::unwrap_used)]

#[path = "shared/percentiles.rs"]
mod percentiles;

use percentiles::line;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::Utc;
use tongxin_core::{checkin, package, store, synth, Checkpoint, Db, Desk, Error, Method};

const EVENT: &str = "2024-jinshan";
const EXPERTS: usize = 100_000;

/// A guard of the database that notes how long it was held.
struct Held<'a> {
    guard: std::sync::MutexGuard<'a, Db>,
    since: Instant,
    holds: &'a Mutex<Vec<f64>>,
}

impl std::ops::Deref for Held<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.guard
    }
}

impl std::ops::DerefMut for Held<'_> {
    fn deref_mut(&mut self) -> &mut Db {
        &mut self.guard
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.holds
            .lock()
            .unwrap()
            .push(self.since.elapsed().as_secs_f64() * 1e3);
    }
}

fn desk(n: u32) -> Desk {
    Desk {
        id: format!("desk-{n}"),
        name: format!("{n}号台"),
    }
}

/// Scans badges one by one, 20 ms apart, until `stop` (or `at_most` scans); each one's time
/// from the scan to the confirmation, in ms.
fn scans(
    db: &Mutex<Db>,
    codes: &mut impl Iterator<Item = String>,
    stop: &AtomicBool,
    at_most: usize,
) -> Vec<f64> {
    let mut ms = Vec::new();
    while !stop.load(Ordering::Relaxed) && ms.len() < at_most {
        let code = codes.next().unwrap();
        let t = Instant::now();
        {
            let mut d = db.lock().unwrap();
            checkin::check_in_by_code(
                &mut d,
                EVENT,
                &code,
                &Checkpoint::Main,
                Method::Scan,
                &desk(1),
                Utc::now(),
            )
            .unwrap();
        }
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        std::thread::sleep(Duration::from_millis(20));
    }
    ms
}

/// Scans while `merge` runs on another thread; the scans' times and the merge's seconds.
fn scans_during(
    db: &Arc<Mutex<Db>>,
    codes: &mut impl Iterator<Item = String>,
    merge: impl FnOnce(Arc<Mutex<Db>>) + Send + 'static,
) -> (Vec<f64>, f64) {
    let stop = Arc::new(AtomicBool::new(false));
    let t = Instant::now();
    let worker = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            merge(db);
            stop.store(true, Ordering::Relaxed);
            t.elapsed().as_secs_f64()
        })
    };
    let ms = scans(db, codes, &stop, usize::MAX);
    (ms, worker.join().unwrap())
}

fn main() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let main_db = dir.path().join("main.db");
    let people = synth::experts(EXPERTS, 41);
    {
        let mut d = Db::open(&main_db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        synth::load(&mut d, EVENT, &people, Utc::now())?;
    }
    // Desk 2's package: everyone on file, checked in over and over, up to the largest package
    // accepted (less a margin for the header).
    let pkg = dir.path().join("2号台.txpack");
    {
        let other = dir.path().join("desk2.db");
        tongxin_core::backup::copy_to(&Db::open(&main_db)?, &other)?;
        let mut d2 = Db::open(&other)?;
        checkin::check_in(
            &mut d2,
            EVENT,
            &people[0].id,
            &Checkpoint::Main,
            Method::Scan,
            &desk(2),
            Utc::now(),
        )?;
        let mut p = package::build(&d2, EVENT, package::Kind::Desk, None, &desk(2), Utc::now())?;
        let first = p.checkins[0].clone();
        let one = serde_json::to_vec(&first)?.len() as u64 + 1;
        let mb: u64 = std::env::var("TONGXIN_BENCH_MB")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200);
        let room = ((mb << 20).min(package::MAX_BYTES) * 97 / 100)
            .saturating_sub(serde_json::to_vec(&p)?.len() as u64);
        // Everyone on file if the size allows, each checked in over and over.
        let per_person = serde_json::to_vec(&people[0])?.len() as u64 + 1 + one;
        let k = people.len().min((room / per_person).max(1) as usize);
        p.experts.extend(people[..k].iter().cloned());
        let room = room.saturating_sub(serde_json::to_vec(&p.experts)?.len() as u64);
        let n = (room / one) as usize;
        p.checkins.extend((0..n).map(|i| package::PackCheckIn {
            id: store::new_id(),
            expert_id: people[i % k].id.clone(),
            ..first.clone()
        }));
        std::fs::write(
            &pkg,
            package::to_bytes(&d2, &p, &package::Sealing::EventKey)?,
        )?;
        println!(
            "package: {:.0} MB, {} check-ins of {} people; merged in parts of {}",
            std::fs::metadata(&pkg)?.len() as f64 / 1048576.0,
            p.checkins.len(),
            p.experts.len(),
            package::PART
        );
    }
    // The same starting day for both merges: a copy made before either.
    let reference_db = dir.path().join("reference.db");
    tongxin_core::backup::copy_to(&Db::open(&main_db)?, &reference_db)?;
    let codes: Vec<String> = people
        .iter()
        .skip(7)
        .step_by(13)
        .map(|e| e.code.clone())
        .collect();
    let mut codes = codes.into_iter().cycle();

    eprintln!("scanning with nothing merging");
    let db = Arc::new(Mutex::new(Db::open(&main_db)?));
    let mut idle = scans(&db, &mut codes, &AtomicBool::new(false), 150);
    let path = pkg.clone();
    let holds = Arc::new(Mutex::new(Vec::new()));
    let noted = holds.clone();
    let (mut during, secs) = scans_during(&db, &mut codes, move |db| {
        let r = package::merge_file(
            &path,
            &package::Unlock::default(),
            &desk(1),
            Utc::now(),
            || {
                Ok::<_, Error>(Held {
                    guard: db.lock().unwrap(),
                    since: Instant::now(),
                    holds: &noted,
                })
            },
        )
        .unwrap();
        assert!(r.added.checkins > 0);
    });
    let mut holds = holds.lock().unwrap().clone();
    eprintln!("merge done in {secs:.1} s; {} holds", holds.len());
    drop(db);

    let db = Arc::new(Mutex::new(Db::open(&reference_db)?));
    let path = pkg.clone();
    let (mut held, held_secs) = scans_during(&db, &mut codes, move |db| {
        let mut d = db.lock().unwrap();
        let opened = package::read_file(&d, &path, &package::Unlock::default()).unwrap();
        package::merge(&mut d, &opened, &desk(1), Utc::now()).unwrap();
    });

    println!("{EXPERTS} experts on file; a badge scanned every 20 ms");
    line("scan → confirmation, nothing merging", 52, &mut idle);
    line(
        &format!("scan → confirmation, during the merge ({secs:.1} s)"),
        52,
        &mut during,
    );
    line(
        &format!("reference: the merge holding the database ({held_secs:.1} s)"),
        52,
        &mut held,
    );
    println!(
        "the merge took the database {} times: the first (the key) {:.1} ms, the set-up {:.1} ms",
        holds.len(),
        holds[0],
        holds[1]
    );
    line(
        "each part of the merge holding the database",
        52,
        &mut holds[2..],
    );
    Ok(())
}
