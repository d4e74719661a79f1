//! 大屏 in the real window: opened from the desk with F11 (a second webview) and switched to by
//! WebDriver. Arrivals typed, scanned, in a burst of five, and one written by another process (a
//! write the window did not make: the screen hears of it through the database's file) are each
//! welcomed by name, and its counts are the database's; an undo takes one off the wall; the
//! afternoon board moves as someone is scanned onto a bus; the privacy switch hides the names;
//! the page cannot write.

use std::collections::HashSet;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::Utc;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use tongxin_core::{attendance, checkin, rollcall, Checkpoint, Db, Desk, Method, SignUpStatus};

use crate::harness::{
    chord, keys, page_state, screenshot, start_xvfb_sized, text, wait_js, wait_present, App,
};

const EV: &str = "2024-jinshan";
const POINT: &str = "2024-jinshan-p1";

#[derive(Clone)]
struct Person {
    id: String,
    code: String,
    name: String,
}

/// What the big screen's welcome card has shown, in order (observed from the test's side).
const OBSERVE: &str = "window.__seen = [];
    new MutationObserver(() => {
      const n = document.querySelector('#bs-name')?.dataset.name;
      if (n && window.__seen[window.__seen.length - 1] !== n) window.__seen.push(n);
    }).observe(document.getElementById('stage'), { childList: true, subtree: true });";

async fn seen(c: &Client) -> Result<Vec<String>> {
    let v: Value = c.execute("return window.__seen", vec![]).await?;
    Ok(serde_json::from_value(v)?)
}

fn present_in_db(db: &std::path::Path) -> Result<i64> {
    Ok(attendance::attendance(&Db::open(db)?, EV, &Checkpoint::Main)?.present)
}

#[tokio::test]
async fn the_big_screen_welcomes_each_arrival_and_boards_the_buses() -> Result<()> {
    let mut people: Vec<Person> = Vec::new();
    let mut boarder: Option<Person> = None;
    let xvfb = start_xvfb_sized("1920x1080x24")?;
    let app = App::start_on(
        |db| {
            let d = &mut Db::open(db)?;
            tongxin_core::demo::load(d, Utc::now())?;
            let waiting = rollcall::not_arrived(d, EV)?;
            let names: Vec<&str> = waiting.iter().map(|r| r.name.as_str()).collect();
            for r in &waiting {
                // Names nobody else on the list shares, so that typing one finds one person.
                if names.iter().filter(|n| **n == r.name).count() == 1 && people.len() < 8 {
                    people.push(Person {
                        id: r.expert_id.clone(),
                        code: r.code.clone(),
                        name: r.name.clone(),
                    });
                }
            }
            // Someone of the first point who arrived in the morning, for the bus.
            let on_list = rollcall::roster(d, EV, POINT)?;
            let b = on_list
                .iter()
                .find(|r| {
                    r.status == SignUpStatus::Registered
                        && r.morning_time.is_some()
                        && r.point_checkin_id.is_none()
                })
                .context("someone of the point at the venue")?;
            boarder = Some(Person {
                id: b.expert_id.clone(),
                code: b.code.clone(),
                name: b.name.clone(),
            });
            Ok(())
        },
        &[],
        Some(xvfb),
    )
    .await?;
    anyhow::ensure!(people.len() == 8, "eight arrivals to come");
    let boarder = boarder.unwrap();
    let db_path = app.db.clone();
    let list = people.clone();
    let (_dir, _db) = app
        .run(move |c| async move {
            let p = list;
            wait_js(&c, "return document.querySelector('#search')", 15).await?;
            let desk = c.window().await?;
            // F11 on the desk (the key bar shows it) opens the big screen; the desk keeps the keys.
            keys(&c, &char::from(Key::F11).to_string()).await?;
            let mut handles = Vec::new();
            for _ in 0..50 {
                handles = c.windows().await?;
                if handles.len() > 1 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            anyhow::ensure!(handles.len() == 2, "two windows: {handles:?}; {}", page_state(&c).await);
            let focus: Value = c.execute("return document.hasFocus() && document.activeElement?.id", vec![]).await?;
            assert_eq!(focus, json!("search"), "the desk keeps the keyboard");
            let screen = handles.into_iter().find(|h| *h != desk).context("the big screen")?;
            c.switch_to_window(screen.clone()).await?;
            c.set_window_rect(0, 0, 1920, 1080).await?;
            wait_js(&c, "return document.querySelector('#bs-present')", 15).await?;
            c.execute(OBSERVE, vec![]).await?;
            let p0: i64 = text(&c, "#bs-present").await?.replace(',', "").parse()?;
            assert_eq!(p0, present_in_db(&db_path)?);

            // Typed at the desk, then a scan, then five scans in one burst.
            c.switch_to_window(desk.clone()).await?;
            c.find(Locator::Css("#search")).await?.click().await?;
            keys(&c, &p[0].name).await?;
            wait_js(&c, &format!("return document.querySelector('.hit')?.textContent.includes('{}')", p[0].name), 10).await?;
            keys(&c, "\n").await?;
            wait_present(&c, p0 + 1).await?;
            c.execute("document.querySelector('.chip[data-cp=main]').focus()", vec![]).await?;
            keys(&c, &format!("TX:{}\n", p[1].code)).await?;
            wait_present(&c, p0 + 2).await?;
            let burst: String = p[2..7].iter().map(|x| format!("TX:{}\n", x.code)).collect();
            keys(&c, &burst).await?;
            wait_present(&c, p0 + 7).await?;
            // And one written by another process on the same database (the window did not make it).
            {
                let mut other = Db::open(&db_path)?;
                let d = Desk { id: "other".into(), name: "另一程序".into() };
                checkin::check_in(&mut other, EV, &p[7].id, &Checkpoint::Main, Method::Manual, &d, Utc::now())?;
            }

            // Every one of them welcomed by name, in turn.
            c.switch_to_window(screen.clone()).await?;
            let want: HashSet<String> = p.iter().map(|x| x.name.clone()).collect();
            let mut shown = Vec::new();
            for _ in 0..300 {
                shown = seen(&c).await?;
                if want.iter().all(|n| shown.contains(n)) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert!(want.iter().all(|n| shown.contains(n)), "welcomed {shown:?}, wanted {want:?}");
            wait_js(&c, &format!("return document.querySelector('#bs-present')?.textContent === '{}'", p0 + 8), 10).await?;
            assert_eq!(present_in_db(&db_path)?, p0 + 8);
            let wall: Value = c.execute("return [...document.querySelectorAll('.bs-wall-name')].slice(0, 8).map(e => e.textContent)", vec![]).await?;
            for x in &p {
                assert!(wall.as_array().unwrap().iter().any(|w| w == &json!(x.name)), "{} on the wall {wall}", x.name);
            }
            wait_js(&c, "return document.querySelector('#bs-welcome[data-checkin]')", 15).await?;
            // The card's entrance (0.4 s) played: the picture the room sees.
            tokio::time::sleep(Duration::from_millis(700)).await;
            screenshot(&c, "bigscreen-welcome").await?;

            // Undone at the desk (the last of the burst): off the wall and the counts.
            c.switch_to_window(desk.clone()).await?;
            chord(&c, Key::Control, 'z').await?;
            wait_js(&c, "return document.querySelector('#undo-reason')", 10).await?;
            keys(&c, "认错人\n").await?;
            c.switch_to_window(screen.clone()).await?;
            let gone = &p[6].name;
            wait_js(
                &c,
                &format!("return ![...document.querySelectorAll('.bs-wall-name')].some(e => e.textContent === '{gone}')
                   && document.querySelector('#bs-present')?.textContent === '{}'", p0 + 7),
                10,
            )
            .await?;

            // The afternoon: the desk at a point's roll call; the board follows and moves.
            c.switch_to_window(desk.clone()).await?;
            c.find(Locator::Css(&format!(".chip[data-cp='{POINT}']"))).await?.click().await?;
            c.switch_to_window(screen.clone()).await?;
            let row = format!("#bs-departures tr[data-point='{POINT}']");
            wait_js(&c, &format!("return document.querySelector(\"{row}\")"), 10).await?;
            let on0: i64 = c.execute(&format!("return Number(document.querySelector(\"{row} [data-on-board]\").dataset.onBoard)"), vec![]).await?.as_i64().unwrap();
            assert!(text(&c, &row).await?.contains(&boarder.name), "missing before boarding");
            c.switch_to_window(desk.clone()).await?;
            c.execute("document.querySelector('.chip.on, .chip[aria-selected=true]')?.focus()", vec![]).await?;
            keys(&c, &format!("TX:{}\n", boarder.code)).await?;
            c.switch_to_window(screen.clone()).await?;
            wait_js(&c, &format!("return document.querySelector(\"{row} [data-on-board='{}']\")", on0 + 1), 10).await?;
            assert!(!text(&c, &row).await?.contains(&boarder.name), "boarded: no longer missing");
            screenshot(&c, "bigscreen-departures").await?;

            // The page reads; asked to write, it is refused.
            let refused: Value = c
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     window.__TAURI__.core.invoke('check_in', { expertId: arguments[0], checkpoint: 'main', method: 'manual' })
                       .then(() => done('written'), (e) => done(e.code || String(e)));",
                    vec![json!(p[6].id)],
                )
                .await?;
            assert_eq!(refused, json!("screen_read_only"));

            // 设置 → 大屏: counts only. No name is on the screen, in either board.
            c.switch_to_window(desk.clone()).await?;
            chord(&c, Key::Control, '6').await?;
            wait_js(&c, "return document.querySelector('#screen-card input[value=counts]')", 10).await?;
            c.find(Locator::Css("#screen-card input[value=counts]")).await?.click().await?;
            c.switch_to_window(screen.clone()).await?;
            wait_js(&c, "return document.body.dataset.privacy === 'counts'", 10).await?;
            let board = text(&c, "#stage").await?;
            assert!(!board.contains(&p[0].name) && !board.contains(&boarder.name), "{board}");
            c.switch_to_window(desk.clone()).await?;
            c.find(Locator::Css("#screen-card input[value=welcome]")).await?.click().await?;
            c.switch_to_window(screen.clone()).await?;
            wait_js(&c, "return document.body.dataset.board === 'welcome' && !document.querySelector('#bs-wall')", 10).await?;
            let board = text(&c, "#stage").await?;
            assert!(p.iter().all(|x| !board.contains(&x.name)), "{board}");
            assert!(board.contains(&(p0 + 7).to_string()), "the counts stay: {board}");
            Ok(())
        })
        .await?;
    Ok(())
}
