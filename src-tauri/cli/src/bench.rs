//! `tongxin-cli bench …`: the speed figures the desk depends on, each measured beside its
//! baseline in the same run on this machine.

use std::time::Instant;

use anyhow::Result;
use chrono::Utc;
use clap::Subcommand;
use serde::Serialize;
use tongxin_core::search::SearchIndex;
use tongxin_core::{checkin, store, synth, Checkpoint, Db, Desk, Event, EventKind, Method};

#[derive(Subcommand)]
pub enum What {
    /// The desk's search index against a plain SQLite LIKE scan over the same rows.
    Search {
        #[arg(long, default_value_t = 100_000)]
        experts: usize,
        #[arg(long, default_value_t = 2_000)]
        queries: usize,
    },
    /// A durable check-in (validation, duplicate check, commit, the confirmation's data)
    /// against one bare INSERT of the same row, both with synchronous=FULL.
    Checkin {
        #[arg(long, default_value_t = 300)]
        runs: usize,
    },
}

#[derive(Serialize)]
struct Latency {
    p50_ms: f64,
    p99_ms: f64,
}

fn latency(mut samples: Vec<f64>) -> Latency {
    samples.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    Latency {
        p50_ms: round(at(0.50)),
        p99_ms: round(at(0.99)),
    }
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        Scratch(
            std::env::temp_dir().join(format!("tongxin-bench-{tag}-{}.db", uuid::Uuid::new_v4())),
        )
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", self.0.display()));
        }
    }
}

fn bench_event(db: &Db) -> Result<()> {
    store::event::insert(
        db.conn(),
        &Event {
            id: "bench".into(),
            name: "基准测试".into(),
            short_name: String::new(),
            kind: EventKind::Main,
            parent_id: None,
            date: "2024-09-29".into(),
            place: String::new(),
        },
        "2024-09-29T00:00:00.000Z",
    )?;
    Ok(())
}

pub fn run(what: &What, json: bool) -> Result<()> {
    match *what {
        What::Search { experts, queries } => search(experts, queries, json),
        What::Checkin { runs } => checkin_bench(runs, json),
    }
}

fn search(n: usize, q: usize, json: bool) -> Result<()> {
    let scratch = Scratch::new("search");
    let mut db = Db::open(&scratch.0)?;
    bench_event(&db)?;
    let people = synth::experts(n, 7);
    let t = Instant::now();
    synth::load(&mut db, "bench", &people, Utc::now())?;
    let load_ms = ms(t);
    let t = Instant::now();
    let index = SearchIndex::build(&db, "bench")?;
    let build_ms = ms(t);
    let qs = synth::queries(&people, q, 11);

    let mut idx = Vec::with_capacity(qs.len());
    let mut found = 0usize;
    let mut slow: Vec<(f64, &str)> = Vec::new();
    for query in &qs {
        let t = Instant::now();
        let hits = index.query(query, 8);
        let took = ms(t);
        idx.push(took);
        slow.push((took, query));
        found += usize::from(!hits.is_empty());
    }
    slow.sort_by(|a, b| b.0.total_cmp(&a.0));
    if std::env::var_os("TONGXIN_BENCH_SLOW").is_some() {
        for (t, q) in slow.iter().take(15) {
            eprintln!("{t:.3} ms  {q}");
        }
    }
    // The LIKE scan is slow: a sample of the same queries is enough for its percentiles.
    let like_n = qs.len().min(300);
    let mut like = Vec::with_capacity(like_n);
    for query in qs.iter().take(like_n) {
        let t = Instant::now();
        store::search::like_scan(db.conn(), query, 8)?;
        like.push(ms(t));
    }
    let report = serde_json::json!({
        "experts": n,
        "queries": qs.len(),
        "index": latency(idx),
        "like_scan": latency(like),
        "like_scan_queries": like_n,
        "queries_with_hits": found,
        "index_build_ms": (build_ms * 10.0).round() / 10.0,
        "load_ms": (load_ms * 10.0).round() / 10.0,
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{n} 位专家，{} 次查询：索引 p50 {} ms / p99 {} ms；LIKE 扫描 p50 {} ms / p99 {} ms",
            qs.len(),
            report["index"]["p50_ms"],
            report["index"]["p99_ms"],
            report["like_scan"]["p50_ms"],
            report["like_scan"]["p99_ms"]
        );
    }
    Ok(())
}

fn checkin_bench(runs: usize, json: bool) -> Result<()> {
    let scratch = Scratch::new("checkin");
    let mut db = Db::open(&scratch.0)?;
    bench_event(&db)?;
    // Twice as many people: half are checked in through the desk's code, the other half get
    // the same check-in row written by one bare INSERT (autocommit): same table, same indexes,
    // same synchronous=FULL.
    let people = synth::experts(runs * 2, 3);
    synth::load(&mut db, "bench", &people, Utc::now())?;
    let (desk_people, bare_people) = people.split_at(runs);
    let desk = Desk {
        id: "bench".into(),
        name: "基准".into(),
    };
    // Interleave the two so that disk hiccups hit both alike.
    let mut durable = Vec::with_capacity(runs);
    let mut bare = Vec::with_capacity(runs);
    for (e, other) in desk_people.iter().zip(bare_people) {
        let t = Instant::now();
        checkin::check_in(
            &mut db,
            "bench",
            &e.id,
            &Checkpoint::Main,
            Method::Scan,
            &desk,
            Utc::now(),
        )?;
        durable.push(ms(t));
        let row = tongxin_core::CheckIn {
            id: uuid::Uuid::new_v4().to_string(),
            event_id: "bench".into(),
            expert_id: other.id.clone(),
            point_id: None,
            at: tongxin_core::clock::to_db(Utc::now()),
            local_time: String::new(),
            desk_id: desk.id.clone(),
            desk_name: desk.name.clone(),
            method: Method::Scan,
            revoked_at: None,
            revoke_reason: None,
        };
        let t = Instant::now();
        store::checkin::insert(db.conn(), &row)?;
        bare.push(ms(t));
    }
    let d = latency(durable);
    let b = latency(bare);
    let report = serde_json::json!({
        "runs": runs,
        "synchronous": "FULL",
        "checkin": d,
        "bare_insert": b,
        "ratio_p50": (d.p50_ms / b.p50_ms * 100.0).round() / 100.0,
        "ratio_p99": (d.p99_ms / b.p99_ms * 100.0).round() / 100.0,
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{runs} 次：签到 p50 {} ms / p99 {} ms；单行插入 p50 {} ms / p99 {} ms",
            report["checkin"]["p50_ms"],
            report["checkin"]["p99_ms"],
            report["bare_insert"]["p50_ms"],
            report["bare_insert"]["p99_ms"]
        );
    }
    Ok(())
}
