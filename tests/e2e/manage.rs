//! Preparing the day in the window: the experts table with 100,000 rows (scrolled to the
//! middle, searched), an expert edited, someone moved into a full service point (with the
//! warning), two records of one person merged; the sign-up board.

use anyhow::Result;
use chrono::Utc;
use fantoccini::Locator;
use serde_json::json;
use tongxin_core::{store, synth, Db, SignUpStatus};

use crate::harness::{page_state, screenshot, text, wait_js, App};

const EVENT: &str = "2024-jinshan";

#[tokio::test]
async fn a_table_of_100000_experts_scrolls_and_searches() -> Result<()> {
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        synth::load(&mut d, EVENT, &synth::experts(100_000, 17), Utc::now())?;
        Ok(())
    })
    .await?;
    app.run(|c| async move {
        c.find(Locator::Css(".nav-item[data-screen=experts]")).await?.click().await?;
        if let Err(e) = wait_js(&c, "return document.querySelector('.vt-row[data-id]')", 90).await {
            anyhow::bail!("{e}; page: {}", page_state(&c).await);
        }
        let count = text(&c, "#experts-count").await?;
        assert!(count.replace(',', "").contains("100121"), "{count}");
        // Only the rows in view are in the page.
        let in_page = c.execute("return document.querySelectorAll('.vt-row').length", vec![]).await?;
        assert!(in_page.as_u64().unwrap() < 80, "{in_page}");
        screenshot(&c, "experts-100k").await?;

        // The middle of the list, straight away.
        c.execute("document.querySelector('#vt').scrollTop = 50000 * 38", vec![]).await?;
        wait_js(&c, "return document.querySelector('.vt-row[data-i=\"50005\"][data-id]')", 30).await?;
        // Through the whole list and back to the top: the page holds only the rows near the
        // view, so the first ones, long dropped, are read again and shown.
        for at in (6_000..100_000).step_by(6_000) {
            c.execute(&format!("document.querySelector('#vt').scrollTop = {at} * 38"), vec![]).await?;
            let row = format!("return document.querySelector('.vt-row[data-i=\"{}\"][data-id]')", at + 5);
            wait_js(&c, &row, 30).await?;
        }
        c.execute("document.querySelector('#vt').scrollTop = 0", vec![]).await?;
        wait_js(&c, "return document.querySelector('.vt-row[data-i=\"0\"][data-id]')", 30).await?;

        // The desk's search narrows it down.
        let q = c.find(Locator::Css("#x-query")).await?;
        q.send_keys("zhang").await?;
        wait_js(
            &c,
            "const t = document.querySelector('#experts-count').textContent.replace(/,/g, ''); return /筛选出 \\d+ 位/.test(t) && document.querySelector('.vt-row[data-id]')",
            60,
        )
        .await?;
        let first = text(&c, ".vt-row[data-i=\"0\"] .strong").await?;
        assert!(first.starts_with('张') || first.starts_with('章'), "{first}");
        screenshot(&c, "experts-search").await?;
        Ok(())
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn an_expert_is_edited_moved_into_a_full_point_and_merged() -> Result<()> {
    let mut picked = None;
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        // Someone of 天承化学 (p2) to move into 御风未来 (p1, full), and a duplicate record of
        // one person to merge.
        let mover = store::signup::for_event(d.conn(), EVENT)?
            .into_iter()
            .find(|s| {
                s.point_id.as_deref() == Some("2024-jinshan-p2")
                    && s.status == SignUpStatus::Registered
            })
            .unwrap();
        let mover = store::expert::get(d.conn(), &mover.expert_id)?.unwrap();
        let e42 = store::expert::by_code(d.conn(), "E-0042")?.unwrap();
        let dup = tongxin_core::experts::add(
            &mut d,
            &tongxin_core::experts::ExpertForm {
                name: e42.name.clone(),
                organisation: "（重复录入）".into(),
                ..Default::default()
            },
            &tongxin_core::Desk {
                id: "t".into(),
                name: "t".into(),
            },
            Utc::now(),
        )?;
        picked = Some((mover, e42, dup));
        Ok(())
    })
    .await?;
    let (mover, e42, dup) = picked.unwrap();
    let (mover_name, mover_id, e42_name, e42_code, e42_id) = (
        mover.name.clone(),
        mover.id.clone(),
        e42.name.clone(),
        e42.code.clone(),
        e42.id.clone(),
    );
    let (_dir, db) = app
        .run(move |c| async move {
            // Edit: E-0042 gets a new title.
            c.find(Locator::Css(".nav-item[data-screen=experts]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.vt-row[data-id]')", 20).await?;
            c.find(Locator::Css("#x-query")).await?.send_keys(&e42_code).await?;
            wait_js(&c, &format!("const r = document.querySelector('.vt-row[data-i=\"0\"] .mono'); return r && r.textContent === '{e42_code}'"), 20).await?;
            // The virtual table redraws its rows as data arrives: click through the page itself.
            c.execute("document.querySelector('.vt-row[data-i=\"0\"] .strong').click()", vec![]).await?;
            wait_js(&c, "return document.querySelector('#ex-title')", 10).await?;
            c.execute("const i = document.querySelector('#ex-title'); i.value = '首席科学家';", vec![]).await?;
            screenshot(&c, "expert-edit").await?;
            c.find(Locator::Css(".modal [data-act=ok]")).await?.click().await?;
            wait_js(&c, "return !document.querySelector('.modal-backdrop')", 10).await?;
            wait_js(&c, "const r = document.querySelector('.vt-row[data-i=\"0\"]'); return r && r.textContent.includes('首席科学家')", 20).await?;

            // Merge: the duplicate into E-0042.
            c.execute("const q = document.querySelector('#x-query'); q.value = ''; q.dispatchEvent(new Event('input'))", vec![]).await?;
            c.find(Locator::Css("#x-query")).await?.send_keys(&e42_name).await?;
            wait_js(&c, "return document.querySelectorAll('.vt-row[data-id]').length === 2", 20).await?;
            for i in 0..2 {
                c.execute(&format!("document.querySelector('.vt-row[data-i=\"{i}\"] input[type=checkbox]').click()"), vec![]).await?;
            }
            wait_js(&c, "return !document.querySelector('#merge-selected').disabled", 10).await?;
            c.find(Locator::Css("#merge-selected")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.merge-pair')", 10).await?;
            // Keep E-0042's record.
            c.execute(
                "document.querySelector(\".merge-card input[value='\" + arguments[0] + \"']\").click()",
                vec![json!(e42_id)],
            )
            .await?;
            c.find(Locator::Css(".modal [data-act=ok]")).await?.click().await?;
            wait_js(&c, "return document.querySelectorAll('.vt-row[data-id]').length === 1", 20).await?;

            // A new expert, added and signed up for the full point: the waiting list.
            c.find(Locator::Css("#add-expert")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#ex-name')", 10).await?;
            c.find(Locator::Css("#ex-name")).await?.send_keys("新来的专家").await?;
            c.find(Locator::Css(".modal [data-act=ok]")).await?.click().await?;
            wait_js(&c, "return !document.querySelector('.modal-backdrop')", 10).await?;
            c.execute("const q = document.querySelector('#x-query'); q.value = '新来的专家'; q.dispatchEvent(new Event('input'))", vec![]).await?;
            wait_js(&c, "const r = document.querySelector('.vt-row[data-i=\"0\"] .strong'); return r && r.textContent === '新来的专家'", 20).await?;
            c.execute("document.querySelector('.vt-row[data-i=\"0\"] .strong').click()", vec![]).await?;
            wait_js(&c, "return document.querySelector('#ex-signup')", 10).await?;
            c.execute("document.querySelector('#ex-point').value = '2024-jinshan-p1'; document.querySelector('#ex-signup').click()", vec![]).await?;
            wait_js(&c, "return document.querySelector('#ex-signup-result').textContent.includes('候补')", 10).await?;
            c.find(Locator::Css(".modal [data-act=cancel]")).await?.click().await?;

            // Move into the full point, confirming the warning.
            c.find(Locator::Css(".nav-item[data-screen=points]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.b-col[data-point=\"2024-jinshan-p1\"].full')", 20).await?;
            screenshot(&c, "signup-board").await?;
            c.find(Locator::Css(&format!("input[data-pick='{mover_id}']"))).await?.click().await?;
            wait_js(&c, "return !document.querySelector('#bulk').hidden", 10).await?;
            c.execute("const s = document.querySelector('#bulk-target'); s.value = '2024-jinshan-p1';", vec![]).await?;
            c.find(Locator::Css("#bulk-move")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.modal-backdrop')", 10).await?;
            let warning = text(&c, ".modal").await?;
            assert!(warning.contains("已满"), "{warning}");
            c.find(Locator::Css(".modal [data-act=ok]")).await?.click().await?;
            wait_js(
                &c,
                &format!("return [...document.querySelectorAll('.b-col[data-point=\"2024-jinshan-p1\"] .b-name')].some(n => n.textContent === '{mover_name}')"),
                20,
            )
            .await?;
            Ok(())
        })
        .await?;

    let d = Db::open(&db)?;
    let e = store::expert::get(d.conn(), &e42.id)?.unwrap();
    assert_eq!(e.title, "首席科学家");
    assert!(store::expert::is_archived(d.conn(), &dup.id)?);
    assert_eq!(store::expert::resolve(d.conn(), &dup.id)?, e42.id);
    let s = store::signup::current(d.conn(), EVENT, &mover.id)?.unwrap();
    assert_eq!(s.point_id.as_deref(), Some("2024-jinshan-p1"));
    let newcomer = store::expert::by_name(d.conn(), "新来的专家")?
        .pop()
        .unwrap();
    let s = store::signup::current(d.conn(), EVENT, &newcomer.id)?.unwrap();
    assert_eq!(s.status, SignUpStatus::Waiting);
    Ok(())
}

/// 专家 → 删除个人信息: two clicks in the expert's dialog; the table then shows the placeholder,
/// the desk's counts are what they were, and the database no longer holds the name.
#[tokio::test]
async fn a_persons_information_is_erased_on_request_and_their_counts_stay() -> Result<()> {
    let mut picked = None;
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        picked = Some(store::expert::by_code(d.conn(), "E-0042")?.unwrap());
        Ok(())
    })
    .await?;
    let e42 = picked.unwrap();
    let (name, code) = (e42.name.clone(), e42.code.clone());
    let (_dir, db) = app
        .run(move |c| async move {
            c.find(Locator::Css(".nav-item[data-screen=experts]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.vt-row[data-id]')", 20).await?;
            c.find(Locator::Css("#x-query")).await?.send_keys(&code).await?;
            wait_js(&c, &format!("const r = document.querySelector('.vt-row[data-i=\"0\"] .mono'); return r && r.textContent === '{code}'"), 20).await?;
            c.execute("document.querySelector('.vt-row[data-i=\"0\"] .strong').click()", vec![]).await?;
            wait_js(&c, "return document.querySelector('#ex-erase')", 10).await?;
            c.find(Locator::Css("#ex-erase")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#ex-erase')?.dataset.armed === '1'", 10).await?;
            screenshot(&c, "expert-erase").await?;
            c.find(Locator::Css("#ex-erase")).await?.click().await?;
            wait_js(&c, "return !document.querySelector('.modal-backdrop')", 10).await?;
            wait_js(
                &c,
                &format!("const r = document.querySelector('.vt-row[data-i=\"0\"]'); return r && r.textContent.includes('已删除个人信息（{code}）')"),
                20,
            )
            .await?;
            Ok(())
        })
        .await?;
    let experts = tongxin_tests::cli_json(&db, &["experts"]);
    let list = experts.as_array().unwrap();
    assert_eq!(list.len(), 121, "still on file, still counted");
    assert!(
        !list.iter().any(|e| e["name"] == name.as_str()),
        "the name is gone"
    );
    let audit = tongxin_tests::cli_json(&db, &["audit", "--limit", "100000"]).to_string();
    assert!(!audit.contains(&name), "the audit log still names them");
    assert!(audit.contains("expert_erase"), "the erasure is recorded");
    Ok(())
}
