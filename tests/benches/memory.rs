//! Memory beside a bare Tauri 2 window, in the same run: PSS summed over each app's processes
//! (smaps_rollup of the app and its web processes), both release builds of this workspace
//! started the same way (tauri-driver, Xvfb, fresh folders) —
//! - the bare window (`tests/bare-window`) 5 s after start: the reference;
//! - Tongxin on the demo day 5 s after start, then after each screen in turn (what each one
//!   left behind), the last reading being after every screen;
//! - Tongxin with 100,000 experts on file after start, with the experts table opened, after it
//!   was scrolled from top to bottom, and after desk searches;
//!
//! each as a ratio to the bare window, process by process.
//!
//!     cargo build --release -p tongxin -p tongxin-bare-window
//!     TONGXIN_APP_BIN=$PWD/target/release/tongxin cargo bench -p tongxin-tests --bench memory
//!
//! `TONGXIN_MEMORY_MAPS=1` (or `=40`: how many) also prints each reading's largest mappings (a library's pages, a
//! font file's, the heap, anonymous memory); `TONGXIN_MEMORY_LARGE_ONLY=1` leaves out the demo
//! day; `TONGXIN_MEMORY_SETTLE_S=30` waits longer than 3 s before each reading (with 30 s the
//! web process after the table was scrolled held 3–4 MiB less: garbage collected late).

#![allow(clippy::unwrap_used)]

#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "shared/pss.rs"]
#[allow(dead_code)]
mod pss;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::Utc;
use fantoccini::{Client, Locator};
use tongxin_core::{synth, Db};

use harness::{wait_js, App};

const EXPERTS: usize = 100_000;
const EVENT: &str = "2024-jinshan";

/// Three readings a second apart once the app has settled; the median, process by process.
async fn settle_and_read(comm: &str, db: &Path) -> Vec<(String, u64)> {
    let settle = std::env::var("TONGXIN_MEMORY_SETTLE_S")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    tokio::time::sleep(Duration::from_secs(settle)).await;
    let mut reads = Vec::new();
    for _ in 0..3 {
        reads.push(pss::parts(comm, db));
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    reads.sort_by_key(|r| r.iter().map(|(_, k)| k).sum::<u64>());
    // TONGXIN_MEMORY_MAPS=N: where it is, mapping by mapping (the largest N; 12 for a non-number).
    if let Some(n) = std::env::var_os("TONGXIN_MEMORY_MAPS") {
        let n = n.to_str().and_then(|n| n.parse().ok()).unwrap_or(12);
        for (process, mapping, kib) in pss::by_mapping(comm, db).iter().take(n) {
            println!("    {process:<16} {:>7.1} MiB  {mapping}", mib(*kib));
        }
    }
    reads.swap_remove(1)
}

fn mib(kib: u64) -> f64 {
    (kib as f64 / 1024.0 * 10.0).round() / 10.0
}

fn line(what: &str, parts: &[(String, u64)], bare: u64) -> serde_json::Value {
    let total: u64 = parts.iter().map(|(_, k)| k).sum();
    let by: Vec<String> = parts
        .iter()
        .map(|(n, k)| format!("{n} {}", mib(*k)))
        .collect();
    println!(
        "{what}: {} MiB = {:.2}× the bare window ({})",
        mib(total),
        total as f64 / bare as f64,
        by.join(", ")
    );
    serde_json::json!({
        "what": what,
        "pss_mib": mib(total),
        "ratio": (total as f64 / bare as f64 * 100.0).round() / 100.0,
        "processes": parts.iter().map(|(n, k)| serde_json::json!({ "name": n, "pss_mib": mib(*k) })).collect::<Vec<_>>(),
    })
}

/// Visits every screen and comes back to the desk; what each screen left in the app's
/// processes (PSS once settled, in KiB, process by process) after it was opened.
async fn every_screen(c: &Client, db: &Path) -> Result<Vec<(String, Vec<(String, u64)>)>> {
    let screens: Vec<String> = c
        .execute(
            "return [...document.querySelectorAll('.nav-item')].map((b) => b.dataset.screen)",
            vec![],
        )
        .await?
        .as_array()
        .context("the screens")?
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    anyhow::ensure!(screens.len() >= 8, "{} screens", screens.len());
    let mut after = Vec::new();
    for s in screens.iter().chain(std::iter::once(&"desk".to_string())) {
        c.find(Locator::Css(&format!(".nav-item[data-screen={s}]")))
            .await?
            .click()
            .await?;
        wait_js(
            c,
            &format!("return document.querySelector('.nav-item.active[data-screen={s}]')"),
            20,
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        after.push((s.clone(), settle_and_read("tongxin", db).await));
    }
    Ok(after)
}

/// What each screen added to each process, beside the reading before it.
fn per_screen(start: &[(String, u64)], after: &[(String, Vec<(String, u64)>)]) {
    let of = |parts: &[(String, u64)], name: &str| -> i64 {
        parts
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, k)| *k as i64)
            .sum()
    };
    let names: Vec<String> = start.iter().map(|(n, _)| n.clone()).collect();
    let mut before = start.to_vec();
    println!("What each screen added, once settled (MiB, process by process):");
    for (screen, parts) in after {
        let deltas: Vec<String> = names
            .iter()
            .map(|n| {
                let d = of(parts, n) - of(&before, n);
                format!("{n} {:+.1}", d as f64 / 1024.0)
            })
            .collect();
        let total: u64 = parts.iter().map(|(_, k)| k).sum();
        println!(
            "  {screen:<10} {:>6.1} MiB  ({})",
            mib(total),
            deltas.join(", ")
        );
        before = parts.clone();
    }
}

async fn open_experts(c: &Client) -> Result<()> {
    c.find(Locator::Css(".nav-item[data-screen=experts]"))
        .await?
        .click()
        .await?;
    wait_js(
        c,
        "return document.querySelectorAll('#vt-rows .vt-row:not(.loading)').length > 10",
        60,
    )
    .await?;
    Ok(())
}

async fn scroll_experts(c: &Client) -> Result<()> {
    // Top to bottom in forty steps, each drawn before the next.
    for step in 0..=40 {
        c.execute(
            &format!(
                "const vt = document.getElementById('vt');
                 vt.scrollTop = (vt.scrollHeight - vt.clientHeight) * {step} / 40;"
            ),
            vec![],
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let shown: i64 = c
        .execute(
            "return document.querySelectorAll('#vt-rows .vt-row').length",
            vec![],
        )
        .await?
        .as_i64()
        .unwrap_or(0);
    anyhow::ensure!(shown > 10, "the table shows rows at the bottom");
    Ok(())
}

async fn desk_searches(c: &Client) -> Result<()> {
    c.find(Locator::Css(".nav-item[data-screen=desk]"))
        .await?
        .click()
        .await?;
    wait_js(c, "return document.querySelector('#search')", 20).await?;
    for q in ["zhang", "wang", "li", "chen", "zzg"] {
        let search = c.find(Locator::Css("#search")).await?;
        search.clear().await?;
        search.send_keys(q).await?;
        let shown = wait_js(
            c,
            "return document.querySelectorAll('#results .hit').length > 0",
            30,
        )
        .await;
        if shown.is_err() {
            let said = c
                .execute(
                    "return document.getElementById('results').innerText",
                    vec![],
                )
                .await?;
            anyhow::bail!("no hits for {q}: the desk shows {said}");
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let tongxin = std::env::var_os("TONGXIN_APP_BIN")
        .map(PathBuf::from)
        .context("TONGXIN_APP_BIN: the release build to measure")?;
    let bare = tongxin.with_file_name("bare-window");
    anyhow::ensure!(
        bare.exists(),
        "{} is missing: cargo build --release -p tongxin-bare-window",
        bare.display()
    );
    type Reads = Arc<Mutex<Vec<Vec<(String, u64)>>>>;
    let reads: Reads = Arc::default();
    let take = |r: &Reads| std::mem::take(&mut *r.lock().unwrap());

    // The reference draws the way Tongxin draws here: Tongxin chooses WebKit's older renderer
    // where there is no GPU render node (src-tauri/src/main.rs), so the bare window is given the
    // same choice; WebKit's own default is measured too, for the record.
    let no_render_node = !std::fs::read_dir("/dev/dri").is_ok_and(|d| {
        d.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    let same: Vec<(&str, String)> = if no_render_node {
        vec![("WEBKIT_DISABLE_DMABUF_RENDERER", "1".into())]
    } else {
        Vec::new()
    };
    let mut bares = Vec::new();
    for env in [same, vec![("WEBKIT_DISABLE_DMABUF_RENDERER", "0".into())]] {
        let app = App::start_bin(&bare, |_| Ok(()), &env, harness::own_display()?).await?;
        let (db, got) = (app.db.clone(), reads.clone());
        app.run(move |_c| async move {
            let r = settle_and_read("bare-window", &db).await;
            got.lock().unwrap().push(r);
            Ok(())
        })
        .await?;
        bares.push(take(&reads).remove(0));
    }
    let b = &bares[0];
    let bare_kib: u64 = b.iter().map(|(_, k)| k).sum();
    let mut report = vec![line(
        "bare window after start (the renderer Tongxin uses here)",
        b,
        bare_kib,
    )];
    if no_render_node {
        report.push(line(
            "bare window after start, WebKit's default renderer",
            &bares[1],
            bare_kib,
        ));
    }

    // TONGXIN_MEMORY_LARGE_ONLY=1 leaves out the demo day (when looking into the large case).
    if std::env::var_os("TONGXIN_MEMORY_LARGE_ONLY").is_none() {
        let app = App::start(|db| {
            tongxin_core::demo::load(&mut Db::open(db)?, Utc::now())?;
            Ok(())
        })
        .await?;
        let (db, got) = (app.db.clone(), reads.clone());
        app.run(move |c| async move {
            wait_js(&c, "return document.querySelector('#present-count')", 30).await?;
            {
                let r = settle_and_read("tongxin", &db).await;
                got.lock().unwrap().push(r);
            }
            let after = every_screen(&c, &db).await?;
            let start = got.lock().unwrap()[0].clone();
            per_screen(&start, &after);
            if let Some((_, last)) = after.last() {
                got.lock().unwrap().push(last.clone());
            }
            Ok(())
        })
        .await?;
        let demo = take(&reads);
        report.push(line("Tongxin, demo day, after start", &demo[0], bare_kib));
        report.push(line(
            "Tongxin, demo day, after every screen",
            &demo[1],
            bare_kib,
        ));
    }

    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        synth::load(&mut d, EVENT, &synth::experts(EXPERTS, 41), Utc::now())?;
        Ok(())
    })
    .await?;
    let (db, got) = (app.db.clone(), reads.clone());
    app.run(move |c| async move {
        wait_js(&c, "return document.querySelector('#present-count')", 60).await?;
        {
            let r = settle_and_read("tongxin", &db).await;
            got.lock().unwrap().push(r);
        }
        open_experts(&c).await?;
        {
            let r = settle_and_read("tongxin", &db).await;
            got.lock().unwrap().push(r);
        }
        scroll_experts(&c).await?;
        {
            let r = settle_and_read("tongxin", &db).await;
            got.lock().unwrap().push(r);
        }
        desk_searches(&c).await?;
        {
            let r = settle_and_read("tongxin", &db).await;
            got.lock().unwrap().push(r);
        }
        Ok(())
    })
    .await?;
    let large = take(&reads);
    for (what, r) in [
        "Tongxin, 100,000 experts, after start",
        "Tongxin, 100,000 experts, experts table opened",
        "Tongxin, 100,000 experts, experts table scrolled top to bottom",
        "Tongxin, 100,000 experts, then five desk searches",
    ]
    .iter()
    .zip(&large)
    {
        report.push(line(what, r, bare_kib));
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
