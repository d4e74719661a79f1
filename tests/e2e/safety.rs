//! Bad input in the window: a hostile name is shown as text, an unknown badge gets a clear
//! message, and the English UI says it in English.

use anyhow::Result;
use chrono::Utc;
use fantoccini::Locator;
use serde_json::json;
use tongxin_core::walkin::{self, WalkInForm};
use tongxin_core::{Checkpoint, Db, Desk};

use crate::harness::{keys, screenshot, text, wait_js, App};

const HOSTILE: &str = "<img src=x onerror=\"window.__pwned=1\">";

#[tokio::test]
async fn a_name_with_markup_is_shown_as_text_and_runs_nothing() -> Result<()> {
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        let form = WalkInForm {
            name: HOSTILE.into(),
            organisation: "=HYPERLINK(\"http://x\",\"点我\")".into(),
            phone: "13900005555".into(),
            ..Default::default()
        };
        let desk = Desk {
            id: "x".into(),
            name: "1号台".into(),
        };
        walkin::register(
            &mut d,
            "2024-jinshan",
            &form,
            &Checkpoint::Main,
            &desk,
            Utc::now(),
        )?;
        Ok(())
    })
    .await?;
    app.run(|c| async move {
        let search = c.find(Locator::Css("#search")).await?;
        search.send_keys("5555").await?;
        wait_js(&c, "return document.querySelector('.hit')", 10).await?;
        assert_eq!(text(&c, ".hit .hit-name").await?, HOSTILE);
        assert!(text(&c, ".hit .hit-org").await?.starts_with("=HYPERLINK("));
        let injected = c
            .execute(
                "return [document.querySelectorAll('#results img').length, window.__pwned || 0]",
                vec![],
            )
            .await?;
        assert_eq!(injected, json!([0, 0]));
        // The recent list shows it as text too.
        assert_eq!(text(&c, "#recent li .r-name").await?, HOSTILE);
        Ok(())
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn an_unknown_badge_gets_a_clear_message_in_the_english_ui() -> Result<()> {
    let app = App::start(|_| Ok(())).await?;
    app.run(|c| async move {
        c.find(Locator::Css(".nav-item[data-screen=settings]")).await?.click().await?;
        wait_js(&c, "return document.querySelector('#lang')", 10).await?;
        c.execute(
            "const s = document.querySelector('#lang'); s.value = 'en'; s.dispatchEvent(new Event('change'));",
            vec![],
        )
        .await?;
        wait_js(&c, "return document.querySelector('#brand').textContent === 'Tongxin'", 10).await?;
        c.find(Locator::Css(".nav-item[data-screen=desk]")).await?.click().await?;
        wait_js(&c, "return document.querySelector('#search')", 10).await?;
        let placeholder = c
            .execute("return document.querySelector('#search').placeholder", vec![])
            .await?;
        assert_eq!(placeholder, json!("Name, pinyin, phone digits, or scan"));
        screenshot(&c, "desk-english").await?;
        c.execute("document.querySelector('.chip[data-cp=main]').focus()", vec![]).await?;
        keys(&c, "TX:E-9999\n").await?;
        wait_js(&c, "return document.querySelector('.toast-error')", 10).await?;
        assert_eq!(text(&c, ".toast-error").await?, "No expert with that code.");

        // The preparation screens speak English too.
        c.find(Locator::Css(".nav-item[data-screen=points]")).await?.click().await?;
        wait_js(&c, "return document.querySelector('.b-col')", 15).await?;
        assert_eq!(text(&c, ".board-page .page-title").await?, "Service points & sign-ups");
        screenshot(&c, "board-english").await?;
        c.find(Locator::Css(".nav-item[data-screen=export]")).await?.click().await?;
        wait_js(&c, "return document.querySelector('.print-sheet')", 15).await?;
        assert!(text(&c, ".export-form").await?.contains("Attendance record"));
        screenshot(&c, "export-english").await?;
        Ok(())
    })
    .await?;
    Ok(())
}
