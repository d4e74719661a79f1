//! `tongxin-cli bench …`: the speed figures the desk depends on, each measured beside its
//! baseline in the same run on this machine.

use std::time::Instant;

use anyhow::Result;
use chrono::Utc;
use clap::Subcommand;
use serde::Serialize;
use tongxin_core::search::SearchIndex;
use tongxin_core::{checkin, synth, Checkpoint, Db, Desk, Method};

use crate::print::outln;

#[derive(Subcommand)]
pub enum What {
    /// The desk's search index against a plain SQLite LIKE scan over the same rows.
    Search {
        #[arg(long, default_value_t = 100_000)]
        experts: usize,
        #[arg(long, default_value_t = 2_000)]
        queries: usize,
    },
    /// Import of an N-row sign-up .xlsx end to end (read, normalise, validate, commit), beside
    /// a plain Python openpyxl + sqlite3 script on the same file when python3 + openpyxl exist.
    Import {
        #[arg(long, default_value_t = 10_000)]
        rows: usize,
    },
    /// A durable check-in (validation, duplicate check, commit, the confirmation's data)
    /// against one bare INSERT of the same row, both with synchronous=FULL.
    Checkin {
        #[arg(long, default_value_t = 300)]
        runs: usize,
    },
    /// The experts table with N experts: reading it, then filtering / searching / sorting it
    /// and reading the window of 200 rows it shows from the file, as the experts screen does
    /// while scrolling and typing.
    Table {
        #[arg(long, default_value_t = 100_000)]
        experts: usize,
    },
    /// An N-row attendance sheet (the venue's, everyone signed up) written as xlsx, PDF and
    /// csv: read from the database and rendered, median of a few runs each.
    Export {
        #[arg(long, default_value_t = 5_000)]
        rows: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// The desk's counts after each of N arrivals with a large list on file, the expected side
    /// kept between arrivals (as the desk does), beside the same counts made from every sign-up.
    Attendance {
        #[arg(long, default_value_t = 100_000)]
        experts: usize,
        #[arg(long, default_value_t = 200)]
        groups: usize,
        #[arg(long, default_value_t = 150)]
        arrivals: usize,
    },
    /// Encryption at rest: a durable check-in, search, a list's import and opening the day, on
    /// an encrypted database beside the same on an unencrypted one, in the same run (and the
    /// import beside the openpyxl script when python3 + openpyxl exist).
    AtRest {
        #[arg(long, default_value_t = 300)]
        runs: usize,
        #[arg(long, default_value_t = 100_000)]
        experts: usize,
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
    /// The year's report (and its workbook) over N ledger activities with M linked
    /// participations each, on 5,000 experts; median of a few runs.
    Report {
        #[arg(long, default_value_t = 10_000)]
        activities: usize,
        #[arg(long, default_value_t = 20)]
        per_activity: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

#[derive(Serialize)]
pub(super) struct Latency {
    pub(super) p50_ms: f64,
    pub(super) p99_ms: f64,
}

pub(super) fn latency(mut samples: Vec<f64>) -> Latency {
    samples.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    Latency {
        p50_ms: round(at(0.50)),
        p99_ms: round(at(0.99)),
    }
}

/// The process's resident memory (VmRSS) in KiB: what a structure costs is the figure with it
/// built minus the figure before, allocator's overhead included, as the app would hold it.
pub(super) fn resident_kib() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

pub(super) fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

pub(super) struct Scratch(pub(super) std::path::PathBuf);

impl Scratch {
    pub(super) fn new(tag: &str) -> Scratch {
        Scratch(
            std::env::temp_dir().join(format!("tongxin-bench-{tag}-{}.db", uuid::Uuid::new_v4())),
        )
    }
}

/// A scratch database, encrypted as every database of the app is, under a key of its own (a
/// benchmark needs no credential store).
pub(super) fn scratch_db(path: &std::path::Path) -> Result<Db> {
    Ok(Db::open_with(path, &tongxin_core::keys::DbKey::random()?)?)
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", self.0.display()));
        }
    }
}

pub fn run(what: &What, json: bool) -> Result<()> {
    match *what {
        What::Search { experts, queries } => search(experts, queries, json),
        What::Checkin { runs } => checkin_bench(runs, json),
        What::Import { rows } => import_bench(rows, json),
        What::Export { rows, runs } => export_bench(rows, runs, json),
        What::Table { experts } => table_bench(experts, json),
        What::Attendance {
            experts,
            groups,
            arrivals,
        } => super::bench_desk::attendance_bench(experts, groups, arrivals, json),
        What::Report {
            activities,
            per_activity,
            runs,
        } => super::bench_year::report_bench(activities, per_activity, runs, json),
        What::AtRest {
            runs,
            experts,
            rows,
        } => super::bench_at_rest::at_rest_bench(runs, experts, rows, json),
    }
}

fn table_bench(n: usize, json: bool) -> Result<()> {
    use tongxin_core::directory::{self, TableQuery};
    let scratch = Scratch::new("table");
    let mut db = scratch_db(&scratch.0)?;
    synth::create_event(&db, "bench")?;
    let people = synth::experts(n, 9);
    synth::load(&mut db, "bench", &people, Utc::now())?;
    let before = resident_kib();
    let t = Instant::now();
    let rows = directory::Table::read(&db, "bench")?;
    let read_ms = ms(t);
    let rows_kib = resident_kib().saturating_sub(before);
    let index = SearchIndex::build(&db, "bench")?;
    let mut cases = serde_json::Map::new();
    let queries: [(&str, TableQuery); 4] = [
        ("all_by_code", TableQuery::default()),
        (
            "all_by_pinyin",
            TableQuery {
                sort: "name".into(),
                ..Default::default()
            },
        ),
        (
            "all_by_organisation",
            TableQuery {
                sort: "organisation".into(),
                ..Default::default()
            },
        ),
        (
            "search_zhang",
            TableQuery {
                query: "zhang".into(),
                ..Default::default()
            },
        ),
    ];
    for (name, q) in queries {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let hits = match q.query.is_empty() {
                true => None,
                false => {
                    let ids: Vec<String> = index
                        .query(&q.query, 100_000)
                        .into_iter()
                        .map(|h| h.0)
                        .collect();
                    Some(directory::hit_rowids(&db, &ids)?)
                }
            };
            let order = directory::select(&rows, hits.as_deref(), &q);
            let window: Vec<usize> = order
                .iter()
                .skip(order.len() / 2)
                .take(200)
                .copied()
                .collect();
            std::hint::black_box(rows.rows(&db, &window)?);
            times.push(ms(t));
            total = order.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        cases.insert(
            name.into(),
            serde_json::json!({ "median_ms": (times[2] * 10.0).round() / 10.0, "rows": total }),
        );
    }
    let report = serde_json::json!({
        "experts": n,
        "read_ms": (read_ms * 10.0).round() / 10.0,
        "rows_resident_mib": (rows_kib as f64 / 1024.0 * 10.0).round() / 10.0,
        "rows_held_mib": (rows.held_bytes() as f64 / 1048576.0 * 10.0).round() / 10.0,
        "queries": cases,
    });
    // The same JSON either way: there is no shorter way to say it.
    let _ = json;
    outln!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

fn export_bench(rows: usize, runs: usize, json: bool) -> Result<()> {
    use tongxin_core::export::{self, FileFormat, SheetOptions};
    let scratch = Scratch::new("export");
    let mut db = scratch_db(&scratch.0)?;
    synth::create_event(&db, "bench")?;
    synth::load(&mut db, "bench", &synth::experts(rows, 5), Utc::now())?;
    let opts = SheetOptions::default();
    let mut report = serde_json::Map::new();
    report.insert("rows".into(), rows.into());
    for format in [FileFormat::Xlsx, FileFormat::Pdf, FileFormat::Csv] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let bytes = export::sheet_file(&db, "bench", &opts, format)?;
            times.push(ms(t));
            size = bytes.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let median = (times[times.len() / 2] * 10.0).round() / 10.0;
        report.insert(
            format.extension().into(),
            serde_json::json!({ "median_ms": median, "bytes": size }),
        );
    }
    let report = serde_json::Value::Object(report);
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "{rows} 行签到表：xlsx {} ms（{} 字节），PDF {} ms（{} 字节），csv {} ms",
            report["xlsx"]["median_ms"],
            report["xlsx"]["bytes"],
            report["pdf"]["median_ms"],
            report["pdf"]["bytes"],
            report["csv"]["median_ms"]
        );
    }
    Ok(())
}

fn search(n: usize, q: usize, json: bool) -> Result<()> {
    let scratch = Scratch::new("search");
    let mut db = scratch_db(&scratch.0)?;
    synth::create_event(&db, "bench")?;
    let people = synth::experts(n, 7);
    let t = Instant::now();
    synth::load(&mut db, "bench", &people, Utc::now())?;
    let load_ms = ms(t);
    let before = resident_kib();
    let t = Instant::now();
    let index = SearchIndex::build(&db, "bench")?;
    let build_ms = ms(t);
    // As the app holds it: the app gives the build's freed memory back once the index is made.
    tongxin_trim::give_back();
    let index_heap = resident_kib().saturating_sub(before);
    let mib = |b: usize| (b as f64 / 1_048_576.0 * 10.0).round() / 10.0;
    let parts = index.footprint();
    let counted = parts.iter().map(|p| p.1).sum::<usize>();
    let parts: serde_json::Map<String, serde_json::Value> = parts
        .into_iter()
        .map(|(name, b)| (name.to_string(), mib(b).into()))
        .collect();
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
        synth::like_scan(&db, query, 8)?;
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
        "index_resident_mib": (index_heap as f64 / 1024.0 * 10.0).round() / 10.0,
        "index_counted_mib": mib(counted),
        "index_parts_mib": parts,
        "load_ms": (load_ms * 10.0).round() / 10.0,
    });
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
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
    let mut db = scratch_db(&scratch.0)?;
    synth::create_event(&db, "bench")?;
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
        synth::bare_insert(&db, &row)?;
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
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "{runs} 次：签到 p50 {} ms / p99 {} ms；单行插入 p50 {} ms / p99 {} ms",
            report["checkin"]["p50_ms"],
            report["checkin"]["p99_ms"],
            report["bare_insert"]["p50_ms"],
            report["bare_insert"]["p99_ms"]
        );
    }
    Ok(())
}

/// The openpyxl + sqlite3 script's import of `file` (written into `dir`), or why it was skipped.
pub(super) fn python_reference(
    file: &std::path::Path,
    dir: &std::path::Path,
) -> Result<serde_json::Value> {
    let script = dir.join("import_openpyxl.py");
    std::fs::write(&script, PYTHON_BASELINE)?;
    let py = std::process::Command::new("python3")
        .arg(&script)
        .arg(file)
        .arg(dir.join("python.db"))
        .output();
    Ok(match py {
        Ok(out) if out.status.success() => {
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default()
        }
        Ok(out) => serde_json::json!({
            "skipped": String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("failed").to_string()
        }),
        Err(e) => serde_json::json!({ "skipped": e.to_string() }),
    })
}

const PYTHON_BASELINE: &str = include_str!("../../../../tests/bench/import_openpyxl.py");

/// A sign-up list as associations send it: title row, header, N people across the five groups.
pub(super) fn write_signup_xlsx(
    path: &std::path::Path,
    people: &[tongxin_core::Expert],
) -> Result<()> {
    let groups = ["低空经济组", "新材料", "生物医药组", "文旅产业", "乡村振兴"];
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "2025年专家服务日报名汇总表")?;
    for (j, h) in ["序号", "姓名", "工作单位", "职务", "手机", "专题组"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, j as u16, *h)?;
    }
    for (i, e) in people.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, &e.name)?;
        ws.write_string(r, 2, &e.organisation)?;
        ws.write_string(r, 3, &e.title)?;
        // Typed as a number, as in real sheets.
        ws.write_number(r, 4, e.phone.parse::<f64>().unwrap_or(0.0))?;
        ws.write_string(r, 5, groups[i % groups.len()])?;
    }
    wb.save(path)?;
    Ok(())
}

fn import_bench(rows: usize, json: bool) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("tongxin-bench-import-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let result = (|| -> Result<serde_json::Value> {
        let file = dir.join("报名表.xlsx");
        let people = synth::experts(rows, 5);
        write_signup_xlsx(&file, &people)?;
        let mut db = scratch_db(&dir.join("day.db"))?;
        tongxin_core::demo::load(&mut db, Utc::now())?;
        let desk = Desk {
            id: "bench".into(),
            name: "基准".into(),
        };
        // The same steps as `import_file`, timed one by one: reading the workbook, checking
        // every row (normalising, who is who, groups, duplicates), writing in one transaction.
        use tongxin_core::import;
        let t = Instant::now();
        let table = import::read::read_file(&file)?;
        let read_ms = ms(t);
        let t1 = Instant::now();
        let preview = import::preview(
            &db,
            tongxin_core::demo::DEMO_EVENT_ID,
            &table,
            None,
            import::Kind::Signups,
        )?;
        let check_ms = ms(t1);
        let t2 = Instant::now();
        let report = import::commit(
            &mut db,
            tongxin_core::demo::DEMO_EVENT_ID,
            &preview,
            import::OverCapacity::Waitlist,
            &desk,
            Utc::now(),
        )?;
        let write_ms = ms(t2);
        let ours = ms(t);
        let python = python_reference(&file, &dir)?;
        Ok(serde_json::json!({
            "rows": rows,
            "file_kb": std::fs::metadata(&file)?.len() / 1024,
            "tongxin": {
                "ms": (ours * 10.0).round() / 10.0,
                "read_ms": read_ms.round(),
                "check_ms": check_ms.round(),
                "write_ms": write_ms.round(),
                "added": report.counts.added,
                "problems": report.problems.len()
            },
            "python_openpyxl_sqlite3": python,
        }))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    let report = result?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "{rows} 行：同心签到 {} ms；Python openpyxl+sqlite3 {}",
            report["tongxin"]["ms"],
            report["python_openpyxl_sqlite3"]
        );
    }
    Ok(())
}
