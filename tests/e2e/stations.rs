//! 服务站 in the window: the demo's stations listed by district with their experts; a station
//! opened through its form (district written loosely), an expert found by pinyin and appointed,
//! the appointment ended; the appointment list saved through the dialog.

use anyhow::Result;
use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::Utc;
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::json;
use tongxin_core::Db;

use crate::harness::{answer_dialog, chord, page_state, screenshot, wait_js, App};

const NEW: &str = "同心荟专家服务站（陆家嘴）";

#[tokio::test]
async fn a_station_is_opened_an_expert_appointed_and_ended_and_the_list_saved() -> Result<()> {
    let mut out = None;
    let app = App::start(|db| {
        tongxin_core::demo::load(&mut Db::open(db)?, Utc::now())?;
        out = Some(db.with_file_name("受聘专家名单.xlsx"));
        Ok(())
    })
    .await?;
    let out = out.unwrap();
    let out_path = out.to_string_lossy().into_owned();
    let (_dir, db) = app
        .run(move |c| async move {
            // 服务站 is the eighth screen: Ctrl+8.
            chord(&c, Key::Control, '8').await?;
            if let Err(e) = wait_js(&c, "return document.querySelectorAll('[data-station]').length === 2", 15).await {
                anyhow::bail!("{e}; page: {}", page_state(&c).await);
            }
            let serving = c
                .execute(
                    "return [...document.querySelectorAll('[data-serving]')].map(p => Number(p.dataset.serving))",
                    vec![],
                )
                .await?;
            assert_eq!(serving, json!([5, 4]), "the oldest station first");

            // A new station through its form: Ctrl+N.
            chord(&c, Key::Control, 'n').await?;
            wait_js(&c, "return document.querySelector('#st-name')", 10).await?;
            c.find(Locator::Css("#st-name")).await?.send_keys(NEW).await?;
            c.find(Locator::Css("#st-district")).await?.send_keys("浦东").await?;
            c.find(Locator::Css("#st-opened")).await?.send_keys("2024年7月1日").await?;
            c.find(Locator::Css("#st-host")).await?.send_keys("陆家嘴金融城").await?;
            c.find(Locator::Css("[data-act=ok]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('[data-district=\"浦东新区\"] [data-station]')", 15).await?;
            let card = "[data-district=\"浦东新区\"] [data-station]";

            // An expert found by pinyin initials and appointed.
            c.find(Locator::Css(&format!("{card} [data-appoint]"))).await?.click().await?;
            wait_js(&c, "return document.querySelector('#ap-query')", 10).await?;
            c.find(Locator::Css("#ap-query")).await?.send_keys("zyg").await?;
            wait_js(&c, "return [...document.querySelectorAll('.ap-hit')].some(h => h.textContent.includes('钟永刚'))", 15).await?;
            // ↓ moves the choice to 钟永刚 (邹永刚 is zyg too); Enter appoints.
            let chosen = "return document.querySelector('.ap-hit:has(input:checked)')?.textContent.includes('钟永刚')";
            for _ in 0..6 {
                if c.execute(chosen, vec![]).await? == json!(true) {
                    break;
                }
                c.find(Locator::Css("#ap-query")).await?.send_keys(&Key::Down.to_string()).await?;
            }
            assert_eq!(c.execute(chosen, vec![]).await?, json!(true));
            screenshot(&c, "stations-appoint").await?;
            c.find(Locator::Css("#ap-query")).await?.send_keys(&Key::Enter.to_string()).await?;
            wait_js(&c, &format!("return document.querySelector('{card} [data-serving=\"1\"]')"), 15).await?;
            screenshot(&c, "stations").await?;

            // Ended: the record stays, shown as ended.
            c.find(Locator::Css(&format!("{card} [data-end]"))).await?.click().await?;
            wait_js(&c, "return document.querySelector('.modal [data-act=ok]')", 10).await?;
            c.find(Locator::Css(".modal [data-act=ok]")).await?.click().await?;
            wait_js(&c, &format!("return document.querySelector('{card} tr.standing-ended')"), 15).await?;

            // The appointment list, through the save dialog (Ctrl+S).
            answer_dialog(&out_path)?;
            chord(&c, Key::Control, 's').await?;
            wait_js(&c, "return [...document.querySelectorAll('.toast')].some(t => t.textContent.includes('.xlsx'))", 15).await?;
            Ok(())
        })
        .await?;

    let list = tongxin_tests::cli_json(&db, &["station", "list", "--year", "2024"]);
    let s = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == NEW)
        .expect("the new station is in the database");
    assert_eq!(s["district"], "浦东新区");
    assert_eq!(s["opened_on"], "2024-07-01");
    assert_eq!(s["experts"][0]["name"], "钟永刚");
    assert_eq!(s["experts"][0]["standing"], "ended");

    let mut wb: Xlsx<_> = open_workbook(&out)?;
    let r = wb.worksheet_range("受聘专家名单")?;
    let ours: Vec<Vec<Data>> = r
        .rows()
        .filter(|row| row.get(1) == Some(&Data::String(NEW.into())))
        .map(<[Data]>::to_vec)
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0][3], Data::String("钟永刚".into()));
    assert_eq!(ours[0][9], Data::String("已解聘".into()));
    Ok(())
}
