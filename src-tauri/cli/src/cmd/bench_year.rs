//! `bench report`: the year's statistics over a large district's ten years of ledger.

use std::time::Instant;

use anyhow::Result;
use chrono::Utc;
use serde::Serialize;
use tongxin_core::{export, report, synth};

use super::bench::{ms, Scratch};
use crate::print::{outln, print};

#[derive(Serialize)]
struct ReportBench {
    activities: usize,
    participations: usize,
    runs: usize,
    report_median_ms: f64,
    report_max_ms: f64,
    workbook_median_ms: f64,
    figures_checked: bool,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub fn report_bench(activities: usize, per: usize, runs: usize, json: bool) -> Result<()> {
    let scratch = Scratch::new("report");
    let mut db = super::bench::scratch_db(&scratch.0)?;
    synth::create_event(&db, "bench")?;
    let people = synth::experts(5_000, 11);
    synth::load(&mut db, "bench", &people, Utc::now())?;
    synth::ledger(&mut db, 2030, activities, per, &people, Utc::now())?;
    let runs = runs.max(1);
    let (mut times, mut books) = (Vec::new(), Vec::new());
    let mut run = || -> Result<report::YearReport> {
        let t = Instant::now();
        let r = report::year(&db, 2030, None)?;
        times.push(ms(t));
        let t = Instant::now();
        export::year_xlsx::workbook(&r)?;
        books.push(ms(t));
        Ok(r)
    };
    let mut r = run()?;
    for _ in 1..runs {
        r = run()?;
    }
    let out = ReportBench {
        activities,
        participations: activities * per,
        runs,
        report_max_ms: times.iter().copied().fold(0.0, f64::max),
        report_median_ms: median(times),
        workbook_median_ms: median(books),
        figures_checked: r.activities == activities as i64
            && r.participations == (activities * per) as i64,
    };
    print(json, &out, |o| {
        outln!(
            "{} 场活动、{} 人次：统计 中位 {:.1} ms（最长 {:.1} ms），Excel 报表 {:.1} ms；数字核对 {}",
            o.activities,
            o.participations,
            o.report_median_ms,
            o.report_max_ms,
            o.workbook_median_ms,
            if o.figures_checked { "无误" } else { "不符" }
        );
    })
}
