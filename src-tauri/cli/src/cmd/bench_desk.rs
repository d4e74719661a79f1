//! `bench attendance`: the desk's counts (应到 / 实到, every group, the latest arrivals) after
//! each arrival with a large list on file — as the desk reads them, keeping the expected side
//! between arrivals, beside the same counts made afresh from every sign-up, in the same run.

use std::time::Instant;

use anyhow::Result;
use chrono::Utc;
use serde::Serialize;
use tongxin_core::{attendance, checkin, synth, Checkpoint, Desk, Method};

use super::bench::{ms, Scratch};
use crate::print::outln;

#[derive(Serialize)]
struct Spread {
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
}

fn spread(mut v: Vec<f64>) -> Spread {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| (v[((v.len() - 1) as f64 * q).round() as usize] * 100.0).round() / 100.0;
    Spread {
        p50_ms: at(0.5),
        p95_ms: at(0.95),
        max_ms: at(1.0),
    }
}

#[derive(Serialize)]
struct AttendanceBench {
    experts: usize,
    groups: usize,
    arrivals: usize,
    /// What the desk does: `attendance::attendance`, the expected side kept.
    desk: Spread,
    /// The same figures counted from every sign-up each time (the reference).
    recounted: Spread,
    /// The first call after the list changed (the kept side made once).
    first_after_change_ms: f64,
    same_figures: bool,
}

pub fn attendance_bench(experts: usize, groups: usize, arrivals: usize, json: bool) -> Result<()> {
    let scratch = Scratch::new("attendance");
    let mut db = super::bench::scratch_db(&scratch.0)?;
    synth::create_event(&db, "bench")?;
    let people = synth::experts(experts, 17);
    synth::load(&mut db, "bench", &people, Utc::now())?;
    synth::groups(&mut db, "bench", groups)?;
    let desk = Desk {
        id: "bench".into(),
        name: "基准".into(),
    };
    let t = Instant::now();
    attendance::attendance(&db, "bench", &Checkpoint::Main)?;
    let first = ms(t);
    let step = (experts / arrivals.max(1)).max(1);
    let (mut kept, mut fresh) = (Vec::new(), Vec::new());
    let mut same = true;
    for e in people.iter().step_by(step).take(arrivals) {
        checkin::check_in(
            &mut db,
            "bench",
            &e.id,
            &Checkpoint::Main,
            Method::Scan,
            &desk,
            Utc::now(),
        )?;
        let t = Instant::now();
        let a = attendance::attendance(&db, "bench", &Checkpoint::Main)?;
        kept.push(ms(t));
        let t = Instant::now();
        let r = attendance::recounted(&db, "bench", &Checkpoint::Main)?;
        fresh.push(ms(t));
        same &= a == r;
    }
    let report = AttendanceBench {
        experts,
        groups,
        arrivals: kept.len(),
        desk: spread(kept),
        recounted: spread(fresh),
        first_after_change_ms: (first * 100.0).round() / 100.0,
        same_figures: same,
    };
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "{experts} 位专家、{groups} 个组、{} 次到场：台前计数 p50 {} ms / p95 {} ms；每次全部重数 p50 {} ms / p95 {} ms；名单变动后首次 {} ms；数字一致：{}",
            report.arrivals,
            report.desk.p50_ms,
            report.desk.p95_ms,
            report.recounted.p50_ms,
            report.recounted.p95_ms,
            report.first_after_change_ms,
            if report.same_figures { "是" } else { "否" }
        );
    }
    anyhow::ensure!(report.same_figures, "the kept counts differ from a recount");
    Ok(())
}
