//! `tongxin-cli bench at-rest`: what encrypting the database costs. Each figure is taken on an
//! encrypted database (SQLCipher under a random key, as the app writes it) beside the same work
//! on an unencrypted one, in the same run and the same build — check-ins interleaved so that a
//! disk hiccup hits both alike.

use std::time::Instant;

use anyhow::Result;
use chrono::Utc;
use tongxin_core::keys::DbKey;
use tongxin_core::search::SearchIndex;
use tongxin_core::{checkin, synth, Checkpoint, Db, Desk, Method};

use super::bench::{latency, ms, python_reference, write_signup_xlsx, Scratch};
use crate::print::outln;

fn both(tag: &str) -> Result<(Scratch, Db, Scratch, Db)> {
    let (e, p) = (
        Scratch::new(&format!("{tag}-enc")),
        Scratch::new(&format!("{tag}-plain")),
    );
    let enc = Db::open_with(&e.0, &DbKey::random()?)?;
    let plain = Db::open_unencrypted(&p.0)?;
    Ok((e, enc, p, plain))
}

fn desk() -> Desk {
    Desk {
        id: "bench".into(),
        name: "基准".into(),
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Durable check-ins, interleaved: p50 / p99 of each side.
fn checkins(runs: usize) -> Result<serde_json::Value> {
    let (_e, mut enc, _p, mut plain) = both("checkin")?;
    let people = synth::experts(runs, 3);
    for db in [&mut enc, &mut plain] {
        synth::create_event(db, "bench")?;
        synth::load(db, "bench", &people, Utc::now())?;
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for e in &people {
        for (db, out) in [(&mut enc, &mut a), (&mut plain, &mut b)] {
            let t = Instant::now();
            checkin::check_in(
                db,
                "bench",
                &e.id,
                &Checkpoint::Main,
                Method::Scan,
                &desk(),
                Utc::now(),
            )?;
            out.push(ms(t));
        }
    }
    let (a, b) = (latency(a), latency(b));
    Ok(serde_json::json!({
        "runs": runs,
        "encrypted": a,
        "unencrypted": b,
        "ratio_p50": round(a.p50_ms / b.p50_ms),
        "ratio_p99": round(a.p99_ms / b.p99_ms),
    }))
}

/// The search index built from each file, and the same queries on each.
fn search(n: usize) -> Result<serde_json::Value> {
    let (_e, mut enc, _p, mut plain) = both("search")?;
    let people = synth::experts(n, 7);
    let qs = synth::queries(&people, 2_000, 11);
    let mut out = serde_json::Map::new();
    for (name, db) in [("encrypted", &mut enc), ("unencrypted", &mut plain)] {
        synth::create_event(db, "bench")?;
        synth::load(db, "bench", &people, Utc::now())?;
        let t = Instant::now();
        let index = SearchIndex::build(db, "bench")?;
        let build = ms(t);
        let mut took = Vec::with_capacity(qs.len());
        for q in &qs {
            let t = Instant::now();
            index.query(q, 8);
            took.push(ms(t));
        }
        out.insert(
            name.into(),
            serde_json::json!({ "index_build_ms": build.round(), "query": latency(took) }),
        );
    }
    Ok(serde_json::json!({ "experts": n, "sides": out }))
}

/// One N-row list imported into each (read, check, write), and the openpyxl script beside.
fn import(rows: usize) -> Result<serde_json::Value> {
    use tongxin_core::import;
    let dir = std::env::temp_dir().join(format!("tongxin-bench-at-rest-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let result = (|| -> Result<serde_json::Value> {
        let file = dir.join("报名表.xlsx");
        write_signup_xlsx(&file, &synth::experts(rows, 5))?;
        let mut took = serde_json::Map::new();
        let mut times = Vec::new();
        for (name, encrypted) in [("encrypted", true), ("unencrypted", false)] {
            let path = dir.join(format!("{name}.db"));
            let mut db = if encrypted {
                Db::open_with(&path, &DbKey::random()?)?
            } else {
                Db::open_unencrypted(&path)?
            };
            tongxin_core::demo::load(&mut db, Utc::now())?;
            let ev = tongxin_core::demo::DEMO_EVENT_ID;
            let t = Instant::now();
            let table = import::read::read_file(&file)?;
            let preview = import::preview(&db, ev, &table, None, import::Kind::Signups)?;
            let report = import::commit(
                &mut db,
                ev,
                &preview,
                import::OverCapacity::Waitlist,
                &desk(),
                Utc::now(),
            )?;
            let elapsed = ms(t);
            times.push(elapsed);
            took.insert(
                name.into(),
                serde_json::json!({ "ms": elapsed.round(), "added": report.counts.added }),
            );
        }
        let python = python_reference(&file, &dir)?;
        let python_ms = python["ms"].as_f64();
        Ok(serde_json::json!({
            "rows": rows,
            "sides": took,
            "ratio": round(times[0] / times[1]),
            "python_openpyxl_sqlite3": python,
            "times_faster_than_python": python_ms.map(|p| round(p / times[0])),
        }))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Opening the demo day and reading what the first screen shows, median of 20.
fn opening() -> Result<serde_json::Value> {
    let key = DbKey::random()?;
    let (e, p) = (Scratch::new("open-enc"), Scratch::new("open-plain"));
    tongxin_core::demo::load(&mut Db::open_with(&e.0, &key)?, Utc::now())?;
    tongxin_core::demo::load(&mut Db::open_unencrypted(&p.0)?, Utc::now())?;
    let mut out = serde_json::Map::new();
    let mut medians = Vec::new();
    for (name, encrypted) in [("encrypted", true), ("unencrypted", false)] {
        let mut took = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let db = if encrypted {
                Db::open_with(&e.0, &key)?
            } else {
                Db::open_unencrypted(&p.0)?
            };
            let ev = tongxin_core::events::current(&db)?
                .map(|e| e.id)
                .unwrap_or_default();
            tongxin_core::attendance::attendance(&db, &ev, &Checkpoint::Main)?;
            tongxin_core::service_points::list(&db, &ev)?;
            took.push(ms(t));
        }
        took.sort_by(f64::total_cmp);
        medians.push(took[10]);
        out.insert(
            name.into(),
            serde_json::json!({ "median_ms": round(took[10]) }),
        );
    }
    out.insert(
        "later_ms".into(),
        serde_json::json!(round(medians[0] - medians[1])),
    );
    Ok(serde_json::Value::Object(out))
}

pub fn at_rest_bench(runs: usize, experts: usize, rows: usize, json: bool) -> Result<()> {
    let report = serde_json::json!({
        "checkin": checkins(runs)?,
        "search": search(experts)?,
        "import": import(rows)?,
        "open": opening()?,
    });
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let c = &report["checkin"];
        outln!(
            "签到 p99：加密 {} ms / 未加密 {} ms（{}×）",
            c["encrypted"]["p99_ms"],
            c["unencrypted"]["p99_ms"],
            c["ratio_p99"]
        );
        outln!(
            "导入 {rows} 行：{}×（未加密为 1）；比 openpyxl 快 {}×",
            report["import"]["ratio"],
            report["import"]["times_faster_than_python"]
        );
        outln!("打开并读出首屏：多 {} ms", report["open"]["later_ms"]);
    }
    Ok(())
}
