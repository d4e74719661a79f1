//! The import wizard in the window: a messy GBK list is previewed with its problems on their
//! rows, a column mapping is corrected, the import commits, and the corrected mapping is
//! remembered for the next file with the same headers. (The path is handed to the page the
//! way the native dialog would; WebDriver cannot drive that dialog.)

use anyhow::Result;
use chrono::Utc;
use fantoccini::Locator;
use serde_json::json;
use tongxin_core::Db;

use crate::harness::{answer_dialog, page_state, screenshot, text, wait_js, App};

const LIST: &str = "2025年专家服务日报名汇总表\n序号,姓名,工作单位,职务/职称,手机号码,参加专题组\n\
1,张　伟,同济大学,教授,+86 138-0013-8000,低空经济组\n\
2,王堃,上海交通大学,研究员,13900139000,文旅\n\
3,,东华大学,,13500135000,\n\
4,李珺,复旦大学,副教授,13700137000,火星基地\n\
合计,,,,,\n";

/// Ctrl+O and the file chosen in the dialog (the app takes the test's answer for it).
async fn hand_in(c: &fantoccini::Client, path: &str) -> Result<()> {
    answer_dialog(path)?;
    c.execute(
        "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'o', ctrlKey: true, bubbles: true }))",
        vec![],
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_list_is_previewed_corrected_imported_and_its_mapping_remembered() -> Result<()> {
    let mut file = None;
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        let (gbk, _, _) = encoding_rs::GBK.encode(LIST);
        let p = db.with_file_name("知联会报名表.csv");
        std::fs::write(&p, &gbk)?;
        file = Some(p);
        Ok(())
    })
    .await?;
    let path = file.unwrap().to_string_lossy().into_owned();
    let (_dir, db) = app
        .run(move |c| async move {
            c.find(Locator::Css(".nav-item[data-screen=import]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#pick')", 10).await?;
            hand_in(&c, &path).await?;
            if let Err(e) = wait_js(&c, "return document.querySelector('.preview #problems')", 15).await {
                anyhow::bail!("{e}; page: {}", page_state(&c).await);
            }
            assert_eq!(text(&c, ".preview [data-count=added] b").await?, "3");
            let rows = c
                .execute(
                    "return [...document.querySelectorAll('#problems tr[data-code]')].map(r => r.dataset.code + '@' + r.dataset.row)",
                    vec![],
                )
                .await?;
            assert_eq!(rows, json!(["no_name@5", "unknown_group@6", "summary_row@7"]));
            screenshot(&c, "import-preview").await?;

            // The coordinator decides 职务/职称 is not to be imported.
            c.execute(
                "const s = document.querySelector('.mapping select[data-col=\"3\"]'); s.value = ''; s.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![],
            )
            .await?;
            wait_js(&c, "const s = document.querySelector('.mapping select[data-col=\"3\"]'); return s && s.value === ''", 15).await?;
            c.find(Locator::Css("#commit")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.report[data-committed=true]')", 15).await?;
            assert_eq!(text(&c, ".report [data-count=added] b").await?, "3");
            screenshot(&c, "import-report").await?;

            // The same headers again: the corrected mapping comes back, nothing is new.
            hand_in(&c, &path).await?;
            wait_js(&c, "return document.querySelector('.preview')", 15).await?;
            let remembered = c
                .execute("return document.querySelector('.mapping select[data-col=\"3\"]').value", vec![])
                .await?;
            assert_eq!(remembered, json!(""));
            assert_eq!(text(&c, ".preview [data-count=added] b").await?, "0");
            assert_eq!(text(&c, ".preview [data-count=unchanged] b").await?, "3");
            Ok(())
        })
        .await?;

    let experts = tongxin_tests::cli_json(&db, &["experts"]);
    let list = experts.as_array().unwrap();
    assert_eq!(list.len(), 121 + 3);
    let zhang = list.iter().find(|e| e["name"] == "张伟").unwrap();
    assert_eq!(zhang["phone"], "13800138000");
    assert_eq!(zhang["title"], "", "the ignored column was not imported");
    Ok(())
}

/// A service-point sheet through the wizard, and a long sign-up list whose progress the
/// window shows while it is checked and written.
#[tokio::test]
async fn a_points_sheet_imports_and_a_long_list_shows_its_progress() -> Result<()> {
    let mut files = None;
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        let points = db.with_file_name("服务点位.csv");
        std::fs::write(
            &points,
            "服务点位,专题组,地址,联系人,接待人数,发车时间,车辆\n\
             金山嘴渔村,海洋经济,金山区 山阳镇,韩冬,18,12:45,6号车\n\
             山塘村,乡村振兴,,,25人,,\n",
        )?;
        let mut long = String::from("姓名,手机号码,工作单位,参加专题组\n");
        for i in 0..30_000u32 {
            long.push_str(&format!("专家{i},139{i:08},某大学,低空经济\n"));
        }
        let list = db.with_file_name("长名单.csv");
        std::fs::write(&list, long)?;
        files = Some((points, list));
        Ok(())
    })
    .await?;
    let (points, list) = files.unwrap();
    let points = points.to_string_lossy().into_owned();
    let list = list.to_string_lossy().into_owned();
    let (_dir, db) = app
        .run(move |c| async move {
            c.find(Locator::Css(".nav-item[data-screen=import]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#pick')", 10).await?;
            c.find(Locator::Css("input[name=kind][value=points]")).await?.click().await?;
            hand_in(&c, &points).await?;
            if let Err(e) = wait_js(&c, "return document.querySelector('.preview #sample')", 15).await {
                anyhow::bail!("{e}; page: {}", page_state(&c).await);
            }
            assert_eq!(text(&c, ".preview [data-count=added] b").await?, "1");
            assert_eq!(text(&c, ".preview [data-count=updated] b").await?, "1");
            let first = text(&c, "#sample tbody tr:first-child").await?;
            assert!(first.contains("金山嘴渔村") && first.contains("海洋经济") && first.contains("12:45"), "{first}");
            screenshot(&c, "import-points-preview").await?;
            c.find(Locator::Css("#commit")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.report[data-committed=true]')", 15).await?;

            // The long list: note every progress text the page shows while it works.
            c.find(Locator::Css("input[name=kind][value=signups]")).await?.click().await?;
            c.execute(
                "window.__seen = []; new MutationObserver(() => { const t = document.querySelector('#progress-text'); \
                 const b = document.querySelector('#progress-bar'); if (t && b && !b.hidden) window.__seen.push(t.textContent); })\
                 .observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });",
                vec![],
            )
            .await?;
            hand_in(&c, &list).await?;
            wait_js(&c, "return document.querySelector('.preview #sample')", 120).await?;
            assert_eq!(text(&c, ".preview [data-count=added] b").await?, "30000");
            // 30,000 people for a point of 20 places: the preview says who waits, in brief.
            let overflow = text(&c, "#overflow").await?;
            assert!(overflow.contains("超出名额") && overflow.contains("候补"), "{overflow}");
            assert!(overflow.len() < 2000, "row numbers abbreviated: {} bytes", overflow.len());
            c.execute("document.querySelector('#overflow').scrollIntoView({ block: 'center' })", vec![]).await?;
            screenshot(&c, "import-overflow").await?;
            c.find(Locator::Css("#commit")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.report[data-committed=true]')", 120).await?;
            let seen = c.execute("return window.__seen", vec![]).await?;
            let seen: Vec<String> = serde_json::from_value(seen)?;
            assert!(seen.iter().any(|s| s.contains("检查") && s.replace(',', "").contains("/ 30000")), "{seen:?}");
            assert!(seen.iter().any(|s| s.contains("写入")), "{seen:?}");
            Ok(())
        })
        .await?;

    let pts = tongxin_tests::cli_json(&db, &["points"]);
    let list = pts.as_array().unwrap();
    assert_eq!(list.len(), 6);
    let shantang = list.iter().find(|p| p["name"] == "山塘村").unwrap();
    assert_eq!(shantang["capacity"], 25);
    let experts = tongxin_tests::cli_json(&db, &["experts"]);
    assert_eq!(experts.as_array().unwrap().len(), 121 + 30_000);
    Ok(())
}

/// A list row carrying the phone of someone on file under another name: the preview shows both
/// names with three choices; the coordinator's choice changes the counts and is what is written.
#[tokio::test]
async fn a_shared_phone_row_is_asked_about_and_the_choice_is_written() -> Result<()> {
    let mut file = None;
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        // E-0001 钟永刚's and E-0002 张雅琴's mobiles, under other names.
        let on_file = |code: &str| {
            tongxin_core::store::expert::list_all(d.conn())
                .map(|l| l.into_iter().find(|e| e.code == code).expect("demo expert"))
        };
        let (zhong, zhang) = (on_file("E-0001")?, on_file("E-0002")?);
        let p = db.with_file_name("名单.csv");
        std::fs::write(
            &p,
            format!(
                "姓名,手机,工作单位\n钟勇刚,{},{}\n王小明,{},某某咨询公司\n",
                zhong.phone, zhong.organisation, zhang.phone
            ),
        )?;
        file = Some((p, zhong.name, zhang.name));
        Ok(())
    })
    .await?;
    let (path, zhong, zhang) = file.unwrap();
    let path = path.to_string_lossy().into_owned();
    let (_dir, db) = app
        .run(move |c| async move {
            c.find(Locator::Css(".nav-item[data-screen=import]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#pick')", 10).await?;
            hand_in(&c, &path).await?;
            if let Err(e) = wait_js(&c, "return document.querySelector('#shared-phones')", 15).await {
                anyhow::bail!("{e}; page: {}", page_state(&c).await);
            }
            let box_text = text(&c, "#shared-phones").await?;
            assert!(box_text.contains("钟勇刚") && box_text.contains(&zhong), "{box_text}");
            assert!(box_text.contains("王小明") && box_text.contains(&zhang), "{box_text}");
            assert_eq!(text(&c, ".preview [data-count=added] b").await?, "2");
            // Row 2 is 钟永刚 with a typo fixed; row 3 is left out.
            c.find(Locator::Css("input[data-shared-row='2'][value=same]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#shared-table tr[data-row=\"2\"][data-choice=same]')", 15).await?;
            c.find(Locator::Css("input[data-shared-row='3'][value=skip]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#shared-table tr[data-row=\"3\"][data-choice=skip]')", 15).await?;
            assert_eq!(text(&c, ".preview [data-count=added] b").await?, "0");
            assert_eq!(text(&c, ".preview [data-count=updated] b").await?, "1");
            assert_eq!(text(&c, ".preview [data-count=skipped] b").await?, "1");
            screenshot(&c, "import-shared-phone").await?;
            c.find(Locator::Css("#commit")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.report[data-committed=true]')", 15).await?;
            Ok(())
        })
        .await?;
    let experts = tongxin_tests::cli_json(&db, &["experts"]);
    let list = experts.as_array().unwrap();
    assert_eq!(list.len(), 121, "nobody added");
    let e1 = list.iter().find(|e| e["code"] == "E-0001").unwrap();
    assert_eq!(e1["name"], "钟勇刚", "the chosen update");
    assert!(
        !list.iter().any(|e| e["name"] == "王小明"),
        "the skipped row"
    );
    Ok(())
}
