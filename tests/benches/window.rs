//! Keystroke to rendered results in the real window, with 100,000 experts loaded.
//!
//! The page records, for every search, the time from the input event (its timeStamp) to the
//! new results laid out in the DOM (`window.__tongxinSearchTimings`), and separately how long
//! the next animation frame (the paint) then took to come.
//! This drives the window through WebDriver, typing queries key by key, and prints p50/p95.
//!
//!     cargo build --release -p tongxin
//!     TONGXIN_APP_BIN=target/release/tongxin cargo bench -p tongxin-tests --bench window

#![allow(clippy::unwrap_used)]

#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

use anyhow::Result;
use chrono::Utc;
use fantoccini::Locator;
use tongxin_core::{pinyin, synth, Db};

use harness::{wait_js, App};

const EXPERTS: usize = 100_000;

#[tokio::main]
async fn main() -> Result<()> {
    let mut queries = Vec::new();
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        let people = synth::experts(EXPERTS, 99);
        synth::load(&mut d, "2024-jinshan", &people, Utc::now())?;
        for (k, e) in people.iter().step_by(997).take(60).enumerate() {
            let (full, initials) = pinyin::full_and_initials(&e.name);
            queries.push(match k % 4 {
                0 => e.name.clone(),
                1 => initials,
                2 => full,
                _ => e.phone[e.phone.len() - 4..].to_string(),
            });
        }
        Ok(())
    })
    .await?;
    let qs = queries.clone();
    app.run(move |c| async move {
        let search = c.find(Locator::Css("#search")).await?;
        // Warm up: the first search builds the index.
        search.send_keys("zhang").await?;
        wait_js(&c, "return document.querySelector('.hit')", 60).await?;
        for q in &qs {
            c.execute("const s = document.querySelector('#search'); s.value = ''; window.__tongxinSearchTimings.length = 0;", vec![]).await?;
            for ch in q.chars() {
                search.send_keys(&ch.to_string()).await?;
            }
            wait_js(&c, "return window.__tongxinSearchTimings.length > 0", 10).await?;
            tokio::time::sleep(std::time::Duration::from_millis(60)).await;
            let v = c.execute("return window.__tongxinSearchTimings.slice()", vec![]).await?;
            ALL.with(|all| all.borrow_mut().extend(v.as_array().unwrap().iter().filter_map(|x| x.as_f64())));
        }
        // After layout the page waits for the next frame to paint; under Xvfb that frame clock
        // is irregular, so it is reported on its own.
        let frames = c
            .execute("return (window.__tongxinSearchBreakdown || []).map((b) => b.frame)", vec![])
            .await?;
        let mut frames: Vec<f64> = frames.as_array().unwrap().iter().filter_map(|x| x.as_f64()).collect();
        frames.sort_by(|a, b| a.total_cmp(b));
        // Where the time goes: the search command's round trip alone, from the page.
        let ipc = c
            .execute_async(
                r#"const [qs, done] = arguments; const out = [];
                   (async () => {
                     for (const q of qs) {
                       const t = performance.now();
                       await window.__TAURI__.core.invoke('search', { query: q, checkpoint: 'main', limit: 8 });
                       out.push(performance.now() - t);
                     }
                     done(out);
                   })();"#,
                vec![serde_json::json!(qs)],
            )
            .await?;
        let mut ipc: Vec<f64> = ipc.as_array().unwrap().iter().filter_map(|x| x.as_f64()).collect();
        ipc.sort_by(|a, b| a.total_cmp(b));
        let mut all = ALL.with(|a| a.borrow().clone());
        all.sort_by(|a, b| a.total_cmp(b));
        let pct = |p: f64| all[((all.len() - 1) as f64 * p).round() as usize];
        println!(
            "{}",
            serde_json::json!({
                "experts": EXPERTS,
                "queries": qs.len(),
                "keystrokes_rendered": all.len(),
                "keystroke_to_render": { "p50_ms": pct(0.5), "p95_ms": pct(0.95), "max_ms": pct(1.0) },
                "then_next_frame": { "p50_ms": frames[frames.len() / 2], "p95_ms": frames[(frames.len() - 1) * 95 / 100] },
                "search_command_round_trip": { "p50_ms": ipc[ipc.len() / 2], "p95_ms": ipc[(ipc.len() - 1) * 95 / 100] }
            })
        );
        Ok(())
    })
    .await?;
    Ok(())
}

thread_local! {
    static ALL: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}
