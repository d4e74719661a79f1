//! The whole arrival loop in the real window, as the door lives it: 150 arrivals — badges
//! scanned and names typed, alternately — with 100,000 experts on file, and another desk's
//! package (40 check-ins) merged through 设置 in the middle of the morning. For each arrival the
//! page records when the check-in was asked for (the Enter key's handler, or the scan's
//! recognition), when the confirmation was drawn and when the counts were (the next animation
//! frame after each); this prints p50 / p95 / max of both, before and after the merge.
//!
//!     cargo build --release -p tongxin
//!     TONGXIN_APP_BIN=$PWD/target/release/tongxin cargo bench -p tongxin-tests --bench arrivals

#![allow(clippy::unwrap_used)]

#[path = "shared/percentiles.rs"]
mod percentiles;

#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

use percentiles::line;
use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::Utc;
use fantoccini::Locator;
use serde_json::Value;
use tongxin_core::{checkin, package, synth, Checkpoint, Db, Desk, Expert, Method};

use harness::{answer_dialog, wait_js, App};

const EXPERTS: usize = 100_000;
const ARRIVALS: usize = 150;
const EVENT: &str = "2024-jinshan";

fn xdotool(display: &str, args: &[&str]) -> Result<()> {
    let ok = std::process::Command::new("xdotool")
        .env("DISPLAY", display)
        .args(args)
        .status()
        .context("xdotool (apt-get install xdotool)")?
        .success();
    anyhow::ensure!(ok, "xdotool {args:?} failed");
    Ok(())
}

/// A badge as a scanner types it: "TX:" + the code and Return, one X key event 5 ms apart.
fn scan(display: &str, code: &str) -> Result<()> {
    let mut keys: Vec<String> = ["T", "X", "colon"].map(String::from).to_vec();
    keys.extend(code.chars().map(|c| match c {
        '-' => "minus".to_string(),
        c => c.to_string(),
    }));
    keys.push("Return".into());
    let mut args = vec!["key", "--delay", "5"];
    args.extend(keys.iter().map(String::as_str));
    xdotool(display, &args)
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut script: Vec<Expert> = Vec::new();
    let mut pkg = None;
    // The badges, and the Enter after a typed name, are real X11 key events (xdotool; a badge
    // 5 ms a key, as a keyboard-wedge scanner types it). WebDriver's key actions are not: played
    // through the window's automation, a badge's check-in was done in Rust 3 ms after its
    // Enter but the answer reached the page ~30 ms after that — a delay of the driver, not of
    // the desk.
    let xvfb = harness::start_xvfb()?;
    let display = xvfb.display.clone();
    let app = App::start_on(
        |db| {
            let mut d = Db::open(db)?;
            tongxin_core::demo::load(&mut d, Utc::now())?;
            let people = synth::experts(EXPERTS, 99);
            synth::load(&mut d, EVENT, &people, Utc::now())?;
            // Typed arrivals need a name nobody else on file has; scans do not.
            let mut count: HashMap<&str, usize> = HashMap::new();
            for e in &people {
                *count.entry(e.name.as_str()).or_default() += 1;
            }
            script = people
                .iter()
                .step_by(397)
                .filter(|e| count[e.name.as_str()] == 1)
                .take(ARRIVALS)
                .cloned()
                .collect();
            // Another desk, set up from a copy of this database, checks 40 others in.
            let other = db.with_file_name("desk2.db");
            tongxin_core::backup::copy_to(&d, &other)?;
            let mut d2 = Db::open(&other)?;
            let desk2 = Desk {
                id: "desk-2".into(),
                name: "2号台".into(),
            };
            for e in people.iter().skip(13).step_by(1009).take(40) {
                checkin::check_in(
                    &mut d2,
                    EVENT,
                    &e.id,
                    &Checkpoint::Main,
                    Method::Scan,
                    &desk2,
                    Utc::now(),
                )?;
            }
            let p = package::build(&d2, EVENT, package::Kind::Desk, None, &desk2, Utc::now())?;
            let file = db.with_file_name("2号台.txpack");
            std::fs::write(
                &file,
                package::to_bytes(&d2, &p, &package::Sealing::EventKey)?,
            )?;
            pkg = Some(file);
            Ok(())
        },
        &[],
        Some(xvfb),
    )
    .await?;
    anyhow::ensure!(script.len() == ARRIVALS, "{} arrivals found", script.len());
    let pkg = pkg.context("the package")?.to_string_lossy().into_owned();
    app.run(move |c| async move {
        wait_js(&c, "return /^\\d+$/.test(document.querySelector('#present-count')?.textContent)", 60).await?;
        // No window manager under Xvfb: the window is given the X input focus.
        xdotool(&display, &["search", "--name", "同心签到", "windowfocus"])?;
        let mut ids: Vec<(usize, String)> = Vec::new();
        for (i, e) in script.iter().enumerate() {
            if i == ARRIVALS / 2 {
                // Mid-morning: another desk's package, merged through 设置.
                c.find(Locator::Css(".nav-item[data-screen=settings]")).await?.click().await?;
                wait_js(&c, "return document.querySelector('#merge')", 10).await?;
                answer_dialog(&pkg)?;
                c.find(Locator::Css("#merge")).await?.click().await?;
                wait_js(&c, "return document.querySelector('.merge-report')?.dataset.added === '40'", 60).await?;
                c.find(Locator::Css(".nav-item[data-screen=desk]")).await?.click().await?;
                wait_js(&c, "return document.querySelector('#search')", 10).await?;
            }
            // The desk redraws its parts: find the box afresh each time.
            let search = c.find(Locator::Css("#search")).await?;
            let known: usize = c
                .execute("return Object.keys(window.__tongxinCountsDrawn).length", vec![])
                .await?
                .as_u64()
                .unwrap_or(0) as usize;
            if i % 2 == 0 {
                search.click().await?;
                search.send_keys(&e.name).await?;
                wait_js(
                    &c,
                    &format!("return document.querySelector('.hit.selected')?.dataset.expert === {:?}", e.id),
                    20,
                )
                .await
                .with_context(|| format!("typed {}", e.name))?;
                // The name is typed through WebDriver, Enter on a real key.
                xdotool(&display, &["key", "Return"])?;
            } else {
                c.execute("document.activeElement?.blur()", vec![]).await?;
                scan(&display, &e.code)?;
            }
            wait_js(
                &c,
                &format!("return Object.keys(window.__tongxinCountsDrawn).length > {known}"),
                20,
            )
            .await
            .with_context(|| format!("arrival {i}: {}", e.name))?;
            let id: Value = c
                .execute(
                    "const m = window.__tongxinCountsDrawn; \
                     return Object.keys(m).sort((a, b) => m[b] - m[a])[0]",
                    vec![],
                )
                .await?;
            ids.push((i, id.as_str().unwrap_or_default().to_string()));
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        let maps: Value = c
            .execute(
                "return { s: window.__tongxinCheckinStarted, a: window.__tongxinCheckinAnswered, c: window.__tongxinConfirmDrawn, n: window.__tongxinCountsDrawn }",
                vec![],
            )
            .await?;
        let at = |m: &str, id: &str| maps[m][id].as_f64();
        let (mut conf, mut counts, mut conf_after, mut counts_after) = (vec![], vec![], vec![], vec![]);
        for (i, id) in &ids {
            let (Some(s), Some(cf), Some(n)) = (at("s", id), at("c", id), at("n", id)) else {
                anyhow::bail!("arrival {i} has no timings");
            };
            let (a, b) = if *i >= ARRIVALS / 2 { (&mut conf_after, &mut counts_after) } else { (&mut conf, &mut counts) };
            a.push(cf - s);
            b.push(n - s);
        }
        println!("{ARRIVALS} arrivals (typed names and scanned badges, alternately), {EXPERTS} experts on file, a desk package of 40 merged after the {}th", ARRIVALS / 2);
        let mut all_conf: Vec<f64> = conf.iter().chain(&conf_after).cloned().collect();
        let mut all_counts: Vec<f64> = counts.iter().chain(&counts_after).cloned().collect();
        // The check-in command's answer reaching the page: the rest is drawing.
        let mut answered: Vec<f64> = ids
            .iter()
            .filter_map(|(_, id)| Some(at("a", id)? - at("s", id)?))
            .collect();
        line("Enter → the check-in's answer in the page", 44, &mut answered);
        line("Enter → confirmation drawn (all)", 44, &mut all_conf);
        line("Enter → counts drawn (all)", 44, &mut all_counts);
        line("Enter → confirmation drawn (before the merge)", 44, &mut conf);
        line("Enter → confirmation drawn (after the merge)", 44, &mut conf_after);
        line("Enter → counts drawn (after the merge)", 44, &mut counts_after);
        let mut slow: Vec<(f64, usize)> = ids
            .iter()
            .filter_map(|(i, id)| Some((at("c", id)? - at("s", id)?, *i)))
            .collect();
        slow.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, i) in slow.iter().take(3) {
            let how = if i % 2 == 0 { "typed" } else { "scanned" };
            println!("slowest: arrival {i} ({how}) {ms:.1} ms to the confirmation");
        }
        // The same window's floor, in the same run: the round trip of a command that only
        // reads (the counts, 实到 / 应到), 50 times one after another.
        let floor: Value = c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const inv = window.__TAURI__.core.invoke;
                 (async () => {
                   const ms = [];
                   for (let i = 0; i < 50; i++) {
                     const t = performance.now();
                     await inv('attendance', { checkpoint: 'main' });
                     ms.push(performance.now() - t);
                   }
                   return ms;
                 })().then(done, (e) => done(String(e)));",
                vec![],
            )
            .await?;
        let mut floor: Vec<f64> = floor
            .as_array()
            .context("the floor's timings")?
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        line("a read-only command's round trip (attendance)", 44, &mut floor);
        Ok(())
    })
    .await?;
    Ok(())
}
