//! The big screen in the real windows: from the check-in asked for at the desk (a scan) to the
//! desk's confirmation drawn and to the welcome card drawn on the projector, and between the two, over 50 arrivals scanned at the desk one after another (spaced so that
//! each card has the screen to itself, as at a calm door), and the memory the big screen's window
//! costs (PSS summed over the app's processes, smaps_rollup) — before it opens, open, and after
//! the 50 arrivals. Both pages record the moment at the next animation frame (epoch ms).
//!
//!     cargo build --release -p tongxin
//!     TONGXIN_APP_BIN=target/release/tongxin cargo bench -p tongxin-tests --bench bigscreen

#![allow(clippy::unwrap_used)]

#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "shared/pss.rs"]
mod pss;

use std::time::Duration;

use anyhow::{Context, Result};
use chrono::Utc;
use fantoccini::key::Key;
use serde_json::{json, Value};
use tongxin_core::{rollcall, Db};

use harness::{keys, start_xvfb_sized, wait_js, App};

const ARRIVALS: usize = 50;

#[tokio::main]
async fn main() -> Result<()> {
    let mut codes = Vec::new();
    let xvfb = start_xvfb_sized("1920x1080x24")?;
    let app = App::start_on(
        |db| {
            let d = &mut Db::open(db)?;
            tongxin_core::demo::load(d, Utc::now())?;
            codes = rollcall::not_arrived(d, "2024-jinshan")?
                .into_iter()
                .take(ARRIVALS)
                .map(|r| r.code)
                .collect();
            Ok(())
        },
        &[],
        Some(xvfb),
    )
    .await?;
    anyhow::ensure!(codes.len() == ARRIVALS, "{ARRIVALS} experts to arrive");
    let db = app.db.clone();
    app.run(move |c| async move {
        wait_js(&c, "return document.querySelector('#present-count')", 30).await?;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let before = pss::pss_kib("tongxin", &db);
        let desk = c.window().await?;
        keys(&c, &char::from(Key::F11).to_string()).await?;
        let mut handles = Vec::new();
        for _ in 0..100 {
            handles = c.windows().await?;
            if handles.len() > 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let screen = handles
            .into_iter()
            .find(|h| *h != desk)
            .context("the big screen")?;
        c.switch_to_window(screen.clone()).await?;
        c.set_window_rect(0, 0, 1920, 1080).await?;
        wait_js(&c, "return document.querySelector('#bs-present')", 30).await?;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let open = pss::pss_kib("tongxin", &db);
        c.switch_to_window(desk.clone()).await?;
        for code in &codes {
            c.execute(
                "document.querySelector('.chip[data-cp=main]').focus()",
                vec![],
            )
            .await?;
            keys(&c, &format!("TX:{code}\n")).await?;
            // A card stays 3.5 s when nobody waits: the next one comes after it.
            tokio::time::sleep(Duration::from_millis(3800)).await;
        }
        let started: Value = c
            .execute("return window.__tongxinCheckinStarted", vec![])
            .await?;
        let confirmed: Value = c
            .execute("return window.__tongxinConfirmDrawn", vec![])
            .await?;
        c.switch_to_window(screen).await?;
        let drawn: Value = c
            .execute("return window.__tongxinWelcomeDrawn", vec![])
            .await?;
        let after = pss::pss_kib("tongxin", &db);
        // Per check-in: (asked → desk's confirmation drawn, asked → welcome drawn).
        let spans: Vec<(f64, f64)> = started
            .as_object()
            .unwrap()
            .iter()
            .filter_map(|(id, t0)| {
                let t0 = t0.as_f64()?;
                Some((
                    confirmed.get(id)?.as_f64()? - t0,
                    drawn.get(id)?.as_f64()? - t0,
                ))
            })
            .collect();
        anyhow::ensure!(
            spans.len() == ARRIVALS,
            "{} of {ARRIVALS} welcomes matched",
            spans.len()
        );
        let summary = |mut v: Vec<f64>| {
            v.sort_by(|a, b| a.total_cmp(b));
            let pct =
                |p: f64| (v[((v.len() - 1) as f64 * p).round() as usize] * 10.0).round() / 10.0;
            json!({ "p50": pct(0.5), "p95": pct(0.95), "max": pct(1.0) })
        };
        let desk_ms = summary(spans.iter().map(|s| s.0).collect());
        let screen_ms = summary(spans.iter().map(|s| s.1).collect());
        let gap_ms = summary(spans.iter().map(|s| s.1 - s.0).collect());
        println!(
            "{}",
            json!({
                "arrivals": ARRIVALS,
                "scan_to_desk_confirmation_drawn_ms": desk_ms,
                "scan_to_welcome_drawn_ms": screen_ms,
                // Negative: the projector shows the welcome before the desk shows its own.
                "desk_confirmation_to_welcome_ms": gap_ms,
                "pss_mib": {
                    "desk_only": before / 1024,
                    "big_screen_open": open / 1024,
                    "after_arrivals": after / 1024,
                    "big_screen_costs": (after.saturating_sub(before)) / 1024,
                }
            })
        );
        Ok(())
    })
    .await?;
    Ok(())
}
