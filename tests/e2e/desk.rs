//! The desk: type a name, press Enter, the expert is checked in — on screen and on disk.

use anyhow::{Context, Result};
use chrono::Utc;
use fantoccini::key::Key;
use fantoccini::Locator;
use tongxin_core::{store, Checkpoint, Db, Method};

use crate::harness::{screenshot, text, wait_js, App};

/// A registered demo expert who is not checked in yet and whose name nobody else bears.
fn pick_expert(db_path: &std::path::Path) -> Result<tongxin_core::Expert> {
    let db = Db::open(db_path)?;
    let experts = store::expert::list(db.conn())?;
    let signups = store::signup::for_event(db.conn(), "2024-jinshan")?;
    experts
        .iter()
        .filter(|e| e.name.chars().count() == 3)
        .filter(|e| experts.iter().filter(|o| o.name.contains(&e.name)).count() == 1)
        .filter(|e| {
            signups.iter().any(|s| {
                s.expert_id == e.id
                    && s.point_id.is_some()
                    && s.status == tongxin_core::SignUpStatus::Registered
            })
        })
        .find(|e| {
            store::checkin::active(db.conn(), "2024-jinshan", &e.id, None)
                .map(|c| c.is_none())
                .unwrap_or(false)
        })
        .cloned()
        .context("no suitable demo expert")
}

#[tokio::test]
async fn typing_a_name_and_pressing_enter_checks_the_expert_in() -> Result<()> {
    let mut chosen = None;
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        drop(d);
        chosen = Some(pick_expert(db)?);
        Ok(())
    })
    .await?;
    let expert = chosen.context("prepare ran")?;
    let name = expert.name.clone();
    let (_dir, db) = app
        .run(move |c| async move {
            wait_js(&c, "return /^\\d+$/.test(document.querySelector('#present-count').textContent)", 10).await?;
            let before: i64 = text(&c, "#present-count").await?.parse()?;

            let search = c.find(Locator::Css("#search")).await?;
            search.send_keys(&name).await?;
            wait_js(
                &c,
                &format!(
                    "const h = document.querySelector('.hit.selected .hit-name'); return h && h.textContent === {:?};",
                    name
                ),
                10,
            )
            .await?;
            screenshot(&c, "desk-search").await?;
            search.send_keys(&char::from(Key::Enter).to_string()).await?;

            wait_js(&c, "return document.querySelector('.confirm.ok')", 10).await?;
            assert!(text(&c, ".confirm.ok .confirm-title").await?.contains(&name));
            wait_js(
                &c,
                &format!("return document.querySelector('#present-count').textContent === '{}'", before + 1),
                10,
            )
            .await?;
            assert_eq!(text(&c, "#recent li .r-name").await?, name);
            // The search box is cleared and focused for the next person.
            let v = c
                .execute("return [document.activeElement.id, document.querySelector('#search').value]", vec![])
                .await?;
            assert_eq!(v, serde_json::json!(["search", ""]));
            screenshot(&c, "desk-checked-in").await?;
            Ok(())
        })
        .await?;

    // On disk, after the app has gone: one live check-in at the main venue, made by search.
    let d = Db::open(&db)?;
    let ci = store::checkin::active(
        d.conn(),
        "2024-jinshan",
        &expert.id,
        Checkpoint::Main.point_id(),
    )?
    .context("the check-in is in the SQLite file")?;
    assert_eq!(ci.method, Method::Search);
    assert_eq!(ci.desk_name, "测试台");
    Ok(())
}

/// Three badges scanned one right after the other (no pause for the screen): all three are
/// checked in — a scan that arrives while the previous one is being saved waits its turn.
#[tokio::test]
async fn badges_scanned_back_to_back_are_all_checked_in() -> Result<()> {
    let mut codes = Vec::new();
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        for s in store::signup::for_event(d.conn(), "2024-jinshan")? {
            if codes.len() < 3
                && store::checkin::active(d.conn(), "2024-jinshan", &s.expert_id, None)?.is_none()
            {
                codes.push(
                    store::expert::get(d.conn(), &s.expert_id)?
                        .context("expert")?
                        .code,
                );
            }
        }
        Ok(())
    })
    .await?;
    let (_dir, db) = app
        .run(move |c| async move {
            let before = crate::harness::present(&c).await?;
            // As a scanner types: the three bursts in one go, milliseconds apart (dispatched by
            // the page itself, so the second arrives while the first is still being saved).
            c.execute(
                "const t = document.activeElement || document.body;
                 for (const code of arguments[0]) {
                   for (const ch of 'TX:' + code) t.dispatchEvent(new KeyboardEvent('keydown', { key: ch, bubbles: true }));
                   t.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
                 }",
                vec![serde_json::json!(codes)],
            )
            .await?;
            crate::harness::wait_present(&c, before + 3).await?;
            Ok(())
        })
        .await?;
    let d = Db::open(&db)?;
    let a = tongxin_core::attendance::attendance(&d, "2024-jinshan", &Checkpoint::Main)?;
    assert_eq!(a.present, 9 + 3);
    Ok(())
}
