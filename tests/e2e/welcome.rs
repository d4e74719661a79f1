//! The first run: a new database opens on the welcome screen, not on someone else's data.
//! Starting our own day leads to 导入 with the next step shown; the demo, once chosen, is
//! marked on every screen and on what is printed from it.

use anyhow::{bail, Result};
use fantoccini::key::Key;
use fantoccini::Locator;

use crate::harness::{chord, keys, page_state, screenshot, text, wait_js, App};

/// The installed app's first start: no `TONGXIN_DEMO` (the harness sets it for other tests).
fn first_start() -> [(&'static str, String); 1] {
    [("TONGXIN_DEMO", "0".to_string())]
}

const WELCOME_SHOWN: &str = "const w = document.querySelector('#welcome'); \
    return !!w && w.offsetParent !== null \
      && getComputedStyle(document.querySelector('#nav')).visibility === 'hidden'";

#[tokio::test]
async fn our_own_day_is_created_at_first_start_and_leads_to_the_import_of_its_lists() -> Result<()>
{
    let app = App::start_with(|_| Ok(()), &first_start()).await?;
    let (_dir, db) = app
        .run(|c| async move {
            if let Err(e) = wait_js(&c, WELCOME_SHOWN, 10).await {
                bail!("{e}; page: {}", page_state(&c).await);
            }
            assert!(text(&c, "#choose-demo .choice-title")
                .await?
                .contains("试用示例"));
            assert_eq!(text(&c, "#open-own .choice-title").await?, "开始我们的活动");
            // Scans and Ctrl+digit do nothing here: there is no desk yet.
            chord(&c, Key::Control, '1').await?;
            assert!(wait_js(&c, WELCOME_SHOWN, 2).await.is_ok());
            screenshot(&c, "welcome-first-run").await?;
            // The same choices in English, and back.
            c.find(Locator::Css("#welcome-lang")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#welcome-title')?.textContent === 'Welcome to Tongxin'", 5).await?;
            assert!(text(&c, "#open-own .choice-title").await?.contains("Start our own day"));
            screenshot(&c, "welcome-first-run-english").await?;
            c.find(Locator::Css("#welcome-lang")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#welcome-title')?.textContent === '欢迎使用同心签到'", 5).await?;
            // Key 2 opens the form; the name takes the focus.
            keys(&c, "2").await?;
            wait_js(&c, "return document.activeElement?.id === 'own-name'", 5).await?;
            // Nothing typed: the form says what is missing and creates nothing.
            keys(&c, "\n").await?;
            wait_js(
                &c,
                "return document.querySelector('#own-error').textContent.length > 0",
                5,
            )
            .await?;
            c.find(Locator::Css("#own-name"))
                .await?
                .send_keys("2025年枫泾镇专家服务日")
                .await?;
            c.execute(
                "const d = document.querySelector('#own-date'); d.value = '2025-10-18'; \
                 d.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![],
            )
            .await?;
            c.find(Locator::Css("#own-venue"))
                .await?
                .send_keys("枫泾主会场")
                .await?;
            screenshot(&c, "welcome-own-day").await?;
            c.find(Locator::Css("#own-name"))
                .await?
                .send_keys("\u{E007}")
                .await?;
            if let Err(e) = wait_js(&c, "return document.querySelector('#next-steps')", 10).await {
                bail!("{e}; page: {}", page_state(&c).await);
            }
            assert_eq!(
                c.execute(
                    "return document.querySelector('#screen').dataset.screen",
                    vec![]
                )
                .await?
                .as_str(),
                Some("import")
            );
            assert!(text(&c, "#next-steps .next-title")
                .await?
                .contains("2025年枫泾镇专家服务日"));
            // The points sheet is the first step, so it is the kind already chosen.
            wait_js(
                &c,
                "return document.querySelector('input[name=kind][value=points]').checked",
                5,
            )
            .await?;
            assert_eq!(
                text(&c, "#event-title .event-name").await?,
                "2025年枫泾镇专家服务日"
            );
            // Our own day is not demo data.
            wait_js(
                &c,
                "return document.querySelector('#demo-ribbon').hidden",
                5,
            )
            .await?;
            screenshot(&c, "import-next-steps").await?;
            Ok(())
        })
        .await?;
    let events = tongxin_tests::cli_json(&db, &["events"]);
    let list = events.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 1, "{events}");
    assert_eq!(list[0]["name"], "2025年枫泾镇专家服务日");
    assert_eq!(list[0]["date"], "2025-10-18");
    assert_eq!(list[0]["short_name"], "枫泾主会场");
    Ok(())
}

#[tokio::test]
async fn the_demo_chosen_at_first_start_is_marked_on_every_screen_and_sheet() -> Result<()> {
    let app = App::start_with(|_| Ok(()), &first_start()).await?;
    let (_dir, db) = app
        .run(|c| async move {
            wait_js(&c, WELCOME_SHOWN, 10).await?;
            // Nothing is loaded until the coordinator chooses.
            keys(&c, "1").await?;
            if let Err(e) = wait_js(
                &c,
                "return /^\\d+$/.test(document.querySelector('#present-count')?.textContent)",
                15,
            )
            .await
            {
                bail!("{e}; page: {}", page_state(&c).await);
            }
            for (i, screen) in ["desk", "experts", "points", "import", "export", "settings"]
                .iter()
                .enumerate()
            {
                let digit = char::from(b'1' + i as u8);
                chord(&c, Key::Control, digit).await?;
                wait_js(
                    &c,
                    &format!("return document.querySelector('#screen').dataset.screen === '{screen}'"),
                    5,
                )
                .await?;
                let marked = wait_js(
                    &c,
                    "const r = document.querySelector('#demo-ribbon'); \
                     return r && !r.hidden && r.offsetParent !== null && r.textContent === '示例数据'",
                    5,
                )
                .await;
                if marked.is_err() {
                    bail!("the {screen} screen does not say it shows demo data");
                }
            }
            chord(&c, Key::Control, '5').await?;
            wait_js(&c, "return document.querySelector('.print-sheet .sheet-subtitle')", 15).await?;
            let subtitle = text(&c, ".print-sheet .sheet-subtitle").await?;
            assert!(subtitle.starts_with("【示例数据】"), "sheet subtitle: {subtitle}");
            screenshot(&c, "export-demo-marked").await?;
            // 设置 → 关于: the version, the data folder and the licences, each readable in full.
            chord(&c, Key::Control, '6').await?;
            wait_js(&c, "return document.querySelector('#about-version')", 10).await?;
            assert_eq!(text(&c, "#about-version").await?, env!("CARGO_PKG_VERSION"));
            assert!(!text(&c, "#about-data").await?.is_empty());
            assert!(text(&c, "#about-backups").await?.ends_with("backups"));
            let rows = c
                .execute("return document.querySelectorAll('#about-licences tbody tr').length", vec![])
                .await?;
            assert_eq!(rows.as_i64(), Some(3), "the app, Noto Sans CJK SC, DejaVu");
            c.find(Locator::Css("[data-licence=noto]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.modal .licence-text')?.textContent.includes('SIL OPEN FONT LICENSE')", 5).await?;
            c.execute("document.querySelector('#about').scrollIntoView()", vec![]).await?;
            screenshot(&c, "settings-about-licence").await?;
            Ok(())
        })
        .await?;
    let events = tongxin_tests::cli_json(&db, &["events"]);
    assert_eq!(events[0]["id"], "2024-jinshan");
    Ok(())
}
