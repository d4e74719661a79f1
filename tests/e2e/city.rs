//! The city server in the window, with a real PostgreSQL on loopback: 设置 → 市级同步 takes the
//! address and password (never shown again); a check-in at this desk reaches the server within
//! seconds; another laptop's check-in at the same venue reaches this desk's counts and the
//! city dashboard (城市总览) by itself; with the server killed the desk carries on and says
//! 未联网 · 1 条待上传, and once it is back everything arrives once.

use anyhow::{Context, Result};
use chrono::Utc;
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::json;
use tongxin_core::{rollcall, Db};

use crate::harness::{chord, keys, present, screenshot, text, wait_js, wait_present, App};
use crate::pg::Pg;

const EVENT: &str = "2024-jinshan";

fn cli(args: &[&str]) -> Result<String> {
    let out = std::process::Command::new(tongxin_tests::target_bin("tongxin-cli"))
        .args(args)
        .env_remove("TONGXIN_DB")
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "tongxin-cli {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn check_in_code(c: &fantoccini::Client, (code, expert): &(String, String)) -> Result<()> {
    let search = c.find(Locator::Css("#search")).await?;
    search.clear().await?;
    search.send_keys(code).await?;
    // The code is typed as a scanner would; the desk finds its person.
    wait_js(
        c,
        &format!("return document.querySelector('.hit.selected[data-expert={expert:?}]')"),
        10,
    )
    .await?;
    search
        .send_keys(&char::from(Key::Enter).to_string())
        .await?;
    wait_js(c, "return document.querySelector('.confirm.ok')", 10).await?;
    Ok(())
}

#[tokio::test]
async fn a_check_in_reaches_the_city_and_another_laptops_reaches_this_desk_with_the_cable_pulled_in_between(
) -> Result<()> {
    let pg = std::sync::Arc::new(Pg::start());
    let owner = pg.owner_url();
    cli(&["server", "init", "--server", &owner])?;
    for login in ["a1", "a2"] {
        cli(&[
            "server",
            "add-desk",
            "--server",
            &owner,
            "--login",
            login,
            "--login-password",
            &format!("{login}-pw"),
            "--event",
            EVENT,
        ])?;
    }
    let mut codes = Vec::new();
    let other = tempfile::tempdir()?;
    let laptop2 = other.path().join("laptop2.db");
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        codes = rollcall::not_arrived(&d, EVENT)?
            .into_iter()
            .filter(|r| r.status == tongxin_core::SignUpStatus::Registered)
            .take(4)
            .map(|r| (r.code, r.expert_id))
            .collect();
        drop(d);
        // The city office publishes the day from this laptop's database.
        let db_s = db.to_string_lossy().into_owned();
        cli(&["--db", &db_s, "server", "publish", "--server", &owner])?;
        Ok(())
    })
    .await?;
    let url = format!("postgres://a1@127.0.0.1:{}/tongxin", pg.port);
    let laptop2_s = laptop2.to_string_lossy().into_owned();
    let a2 = pg.url("a2", "a2-pw");
    cli(&["--db", &laptop2_s, "init"])?;
    cli(&[
        "--db", &laptop2_s, "sync", "--once", "--server", &a2, "--desk", "2号台",
    ])?;
    let server_count = |pg: &Pg| -> i64 {
        pg.value("SELECT count(*) FROM tongxin.checkin")
            .parse()
            .unwrap_or(-1)
    };
    let pg_ref = pg.clone();
    let (_dir, _db) = app
        .run(move |c| async move {
            let pg = &*pg_ref;
            let before = present(&c).await?;
            wait_js(&c, "return document.querySelector('#sync-chip')?.dataset.state === 'off'", 10).await?;

            chord(&c, Key::Control, '6').await?;
            wait_js(&c, "return document.querySelector('#city-url')", 10).await?;
            c.find(Locator::Css("#city-url")).await?.send_keys(&url).await?;
            c.find(Locator::Css("#city-password")).await?.send_keys("a1-pw").await?;
            c.find(Locator::Css("#city-save")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#sync-chip')?.dataset.state === 'synced'", 20).await?;
            // The password is not shown again, nor handed back to the page.
            let view = c
                .execute_async(
                    "const done = arguments[arguments.length - 1]; \
                     window.__TAURI__.core.invoke('city_settings').then(done, (e) => done(String(e)))",
                    vec![],
                )
                .await?;
            assert_eq!(view["has_password"], json!(true));
            assert!(!view.to_string().contains("a1-pw"), "{view}");
            assert_eq!(c.find(Locator::Css("#city-password")).await?.prop("value").await?, Some(String::new()));
            screenshot(&c, "settings-city").await?;

            // A check-in here reaches the server by itself.
            chord(&c, Key::Control, '1').await?;
            wait_js(&c, "return document.querySelector('#search')", 10).await?;
            let on_server = server_count(pg);
            check_in_code(&c, &codes[0]).await?;
            pg.wait_for("this desk's check-in on the server", || server_count(pg) == on_server + 1);

            // Another laptop of the venue checks someone in and syncs: this desk's counts move.
            cli(&["--db", &laptop2_s, "checkin", "--code", &codes[1].0, "--desk", "2号台"])?;
            cli(&["--db", &laptop2_s, "sync", "--once", "--server", &a2, "--desk", "2号台"])?;
            wait_present(&c, before + 2).await.context("the other desk's arrival counted here")?;

            // The city dashboard shows the same, live.
            chord(&c, Key::Control, '9').await?;
            wait_js(&c, "return document.querySelector('#c-table')", 20).await?;
            let arrived = wait_js(
                &c,
                &format!(
                    "const v = document.querySelector('[data-figure=arrived] .stat-value')?.textContent; \
                     return v === '{}' && v",
                    before + 2
                ),
                20,
            )
            .await?;
            assert_eq!(arrived, json!((before + 2).to_string()));
            cli(&["--db", &laptop2_s, "checkin", "--code", &codes[2].0, "--desk", "2号台"])?;
            cli(&["--db", &laptop2_s, "sync", "--once", "--server", &a2, "--desk", "2号台"])?;
            wait_js(
                &c,
                &format!(
                    "return document.querySelector('[data-figure=arrived] .stat-value')?.textContent === '{}'",
                    before + 3
                ),
                20,
            )
            .await
            .context("the dashboard moved without being asked")?;
            assert!(text(&c, "#c-table").await?.contains("金山"));
            screenshot(&c, "city-dashboard").await?;

            // The cable is pulled: the desk carries on, and says so.
            pg.kill();
            chord(&c, Key::Control, '1').await?;
            wait_js(&c, "return document.querySelector('#search')", 10).await?;
            wait_js(&c, "return document.querySelector('#sync-chip')?.dataset.state === 'offline'", 20).await?;
            check_in_code(&c, &codes[3]).await?;
            wait_present(&c, before + 4).await?;
            wait_js(&c, "return document.querySelector('#sync-chip')?.textContent.includes('1 条待上传')", 20).await?;
            let chip = text(&c, "#sync-chip").await?;
            assert!(chip.contains("未联网"), "{chip}");

            // Plugged back: it arrives, once.
            pg.start_again();
            wait_js(&c, "return document.querySelector('#sync-chip')?.dataset.state === 'synced' && !document.querySelector('#sync-chip').textContent.includes('待上传')", 60).await?;
            assert_eq!(server_count(pg), on_server + 4);
            let doubled = pg.value("SELECT count(*) - count(DISTINCT id) FROM tongxin.checkin");
            assert_eq!(doubled, "0");

            // The big screen's 城市总览 board: the city's count, from the server, on the projector.
            c.execute_async(
                "const done = arguments[arguments.length - 1]; \
                 window.__TAURI__.core.invoke('bigscreen_set', { settings: { privacy: 'names_titles', mode: 'city' } }).then(done, done)",
                vec![],
            )
            .await?;
            let desk = c.window().await?;
            keys(&c, &char::from(Key::F11).to_string()).await?;
            let mut handles = Vec::new();
            for _ in 0..50 {
                handles = c.windows().await?;
                if handles.len() > 1 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            let screen = handles.into_iter().find(|h| *h != desk).context("the big screen")?;
            c.switch_to_window(screen).await?;
            let arrived = pg.value(&format!(
                "SELECT arrived FROM tongxin.dashboard WHERE event_id = '{EVENT}'"
            ));
            wait_js(
                &c,
                &format!("return document.querySelector('#bs-city-arrived')?.textContent === '{arrived}'"),
                20,
            )
            .await
            .context("the city board on the big screen")?;
            screenshot(&c, "bigscreen-city").await?;
            c.switch_to_window(desk).await?;
            Ok(())
        })
        .await?;
    Ok(())
}
