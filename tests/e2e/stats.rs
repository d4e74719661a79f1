//! 统计 in the window: a ledger imported through 导入 beside the demo day counts in the year; the
//! screen shows the year's figures as the core counts them and draws its charts; a visit's
//! outcomes entered move the year's figures; a district picked shows its activities; the PDF
//! report is saved through the dialog.

use anyhow::Result;
use chrono::Utc;
use fantoccini::Locator;
use serde_json::{json, Value};
use tongxin_core::import::{self, FileImport, Kind, OverCapacity};
use tongxin_core::{report, Db, Desk};

use fantoccini::key::Key;

use crate::harness::{answer_dialog, chord, page_state, screenshot, text, wait_js, App};

const LEDGER: &str = "2024年服务活动台账\n日期,区,活动名称,服务类型,参与人次,服务企业,服务群众\n\
    2024-03-15,金山,科技助企行,科技服务,12,\"1,200\",350\n\
    2024.4.2,浦东,法律咨询进园区,法律咨询,8,15,80\n\
    2024年5月8日,徐汇,健康义诊进社区,健康义诊,6,0,200\n\
    2024-06-20,浦东新区,科普进校园,教育服务,10,0,600\n\
    2024-11-03,静安,文化沙龙,文化服务,7,2,90\n";

/// The five figures as the page shows them, digits only.
async fn figures(c: &fantoccini::Client) -> Result<Value> {
    Ok(c.execute(
        "return Object.fromEntries([...document.querySelectorAll('[data-figure]')].map(f => \
           [f.dataset.figure, Number(f.querySelector('.stat-value').textContent.replace(/[^0-9]/g, ''))]))",
        vec![],
    )
    .await?)
}

fn expected(r: &report::YearReport) -> Value {
    json!({
        "activities": r.activities, "participations": r.participations, "experts": r.experts,
        "enterprises": r.enterprises, "people": r.people,
    })
}

#[tokio::test]
async fn the_year_is_shown_in_figures_and_charts_and_moves_with_a_visits_outcomes() -> Result<()> {
    let mut files = None;
    let app = App::start(|db| {
        tongxin_core::demo::load(&mut Db::open(db)?, Utc::now())?;
        let ledger = db.with_file_name("台账.csv");
        std::fs::write(&ledger, LEDGER)?;
        // The year as the core counts it once the ledger is in: the same day and ledger in a
        // twin database.
        let twin = db.with_file_name("twin.db");
        let mut d = Db::open(&twin)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        let desk = Desk {
            id: "t".into(),
            name: "测试".into(),
        };
        let how = FileImport {
            kind: Kind::Activities,
            over_capacity: OverCapacity::Waitlist,
            dry_run: false,
            choices: Default::default(),
        };
        let r = import::import_file(&mut d, "2024-jinshan", &ledger, how, &desk, Utc::now())?;
        anyhow::ensure!(r.counts.added == 5, "ledger imported: {r:?}");
        files = Some((
            ledger,
            report::year(&d, 2024, None)?,
            db.with_file_name("2024年度统计.pdf"),
        ));
        Ok(())
    })
    .await?;
    let (ledger, before, pdf) = files.unwrap();
    let (ent0, ppl0) = (before.enterprises, before.people);
    let pdf_path = pdf.to_string_lossy().into_owned();
    let (_dir, db) = app
        .run(move |c| async move {
            // The ledger through 导入: its kind picked, the file chosen, its rows previewed.
            c.find(Locator::Css(".nav-item[data-screen=import]")).await?.click().await?;
            c.find(Locator::Css("input[name=kind][value=activities]")).await?.click().await?;
            answer_dialog(&ledger.to_string_lossy())?;
            c.find(Locator::Css("#pick")).await?.click().await?;
            if let Err(e) = wait_js(&c, "return document.querySelectorAll('#sample[data-kind=activities] tbody tr').length === 5", 15).await {
                anyhow::bail!("{e}; page: {}", page_state(&c).await);
            }
            assert_eq!(text(&c, ".preview [data-count=added] b").await?, "5");
            let pudong = c
                .execute("return [...document.querySelectorAll('#sample tbody tr')].filter(r => r.textContent.includes('浦东新区')).length", vec![])
                .await?;
            assert_eq!(pudong, json!(2), "浦东 and 浦东新区 are one district");
            screenshot(&c, "import-ledger").await?;
            c.find(Locator::Css("#commit")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.report[data-committed=true]')", 15).await?;

            // 统计 is the seventh screen: Ctrl+7.
            chord(&c, Key::Control, '7').await?;
            if let Err(e) = wait_js(&c, "return document.querySelector('[data-figure=activities]')", 15).await {
                anyhow::bail!("{e}; page: {}", page_state(&c).await);
            }
            assert_eq!(figures(&c).await?, expected(&before));
            assert_eq!(text(&c, "#s-sentence").await?, before.sentence);
            // Three charts drawn, each with a table under it: a district's bars for each row of
            // its table, a point a month on each of the two lines, a slice a kind of service.
            let drawn = wait_js(
                &c,
                "return ['c-district','c-kind','c-month'].every(id => { const r = document.querySelector(`#${id} svg`)?.getBoundingClientRect(); \
                   return r && r.width > 100 && r.height > 100; })",
                15,
            )
            .await?;
            assert_eq!(drawn, json!(true));
            let shapes = c
                .execute(
                    "return { bars: [...document.querySelectorAll('#c-district .chart-cat')].map(g => g.dataset.key).join(), \
                       rows: [...document.querySelectorAll('#t-district tbody tr')].map(tr => tr.dataset.district).join(), \
                       points: document.querySelectorAll('#c-month circle').length, \
                       slices: document.querySelectorAll('#c-kind path, #c-kind circle').length, \
                       kinds: [...document.querySelectorAll('#t-kind tbody tr')].filter(tr => tr.children[1].textContent !== '0').length }",
                    vec![],
                )
                .await?;
            assert_eq!(shapes["bars"], shapes["rows"], "{shapes}");
            assert_eq!(shapes["points"], json!(24), "{shapes}");
            assert_eq!(shapes["slices"], shapes["kinds"], "{shapes}");
            let rows = c
                .execute("return document.querySelectorAll('#t-month tbody tr').length", vec![])
                .await?;
            assert_eq!(rows, json!(12));
            screenshot(&c, "stats-screen").await?;

            // A district's row shows its activities: 浦东新区 held two.
            let pudong = "#t-district tr[data-district='浦东新区']";
            // (WebKitWebDriver cannot click a table row; the page's own click does.)
            let click = format!("document.querySelector(\"{pudong} td\").click()");
            c.execute(&click, vec![]).await?;
            wait_js(&c, "return document.querySelectorAll('#s-activities tbody tr').length === 2", 15).await?;
            assert_eq!(figures(&c).await?["activities"], json!(2));
            screenshot(&c, "stats-district").await?;
            // Its bar in the chart picks it again: all districts.
            c.execute(
                "document.querySelector(\"#c-district .chart-cat[data-key='浦东新区'] rect\").dispatchEvent(new MouseEvent('click', { bubbles: true }))",
                vec![],
            )
            .await?;
            wait_js(&c, "return !document.querySelector('#s-activities')", 15).await?;

            // The afternoon's outcomes typed for a point, on the service points' page, move the
            // year's figures.
            c.find(Locator::Css(".nav-item[data-screen=points]")).await?.click().await?;
            let button = "[data-outcome='2024-jinshan-p1']";
            wait_js(&c, &format!("return document.querySelector(\"{button}\")"), 15).await?;
            c.find(Locator::Css(button)).await?.click().await?;
            let field = c.find(Locator::Css("#oc-enterprises")).await?;
            field.clear().await?;
            field.send_keys("30").await?;
            let field = c.find(Locator::Css("#oc-people")).await?;
            field.clear().await?;
            field.send_keys("120").await?;
            // A suggestion collected there: typed, Enter adds it (the dialog stays), then adopted.
            wait_js(&c, "return document.querySelector('#sg-text')", 15).await?;
            let title = c.find(Locator::Css("#sg-text")).await?;
            title.send_keys("关于低空物流航线审批的建议").await?;
            title.send_keys(&Key::Enter.to_string()).await?;
            wait_js(&c, "return document.querySelector('#sg-count[data-n=\"1\"]')", 15).await?;
            c.find(Locator::Css("[data-adopt]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.sg-status.ok')", 15).await?;
            screenshot(&c, "outcome-suggestions").await?;
            c.find(Locator::Css("[data-act=ok]")).await?.click().await?;
            wait_js(
                &c,
                &format!("return document.querySelector(\"{button}\")?.textContent.includes('30')"),
                15,
            )
            .await?;
            screenshot(&c, "points-outcome").await?;
            c.find(Locator::Css(".nav-item[data-screen=stats]")).await?.click().await?;
            let want = json!(before.enterprises + 30);
            wait_js(
                &c,
                &format!("return Number(document.querySelector('[data-figure=enterprises] .stat-value')?.textContent.replace(/[^0-9]/g, '')) === {want}"),
                15,
            )
            .await?;

            wait_js(&c, "return document.querySelector('#s-suggestions')?.textContent.includes('1')", 15).await?;

            // The PDF report, through the save dialog.
            answer_dialog(&pdf_path)?;
            c.find(Locator::Css("#s-pdf")).await?.click().await?;
            wait_js(&c, "return [...document.querySelectorAll('.toast')].some(t => t.textContent.includes('.pdf'))", 15).await?;

            // The same screen in English.
            c.execute("localStorage.setItem('tongxin.lang', 'en'); location.reload();", vec![]).await?;
            // The page before the reload has the same menu: wait for the new one, in English and
            // ready for keys, or the chord may reach the old page as it goes.
            wait_js(
                &c,
                "return document.documentElement.lang === 'en' && document.body.classList.contains('ready') \
                 && document.querySelector('.nav-item[data-screen=stats]')",
                15,
            )
            .await?;
            chord(&c, Key::Control, '7').await?;
            wait_js(&c, "return document.querySelector('#c-month svg') && document.querySelector('.page-title')?.textContent === 'The year in figures'", 15).await?;
            assert!(text(&c, "#s-sentence").await?.starts_with("In 2024, the Tongxin expert service teams held"));
            screenshot(&c, "stats-year-en").await?;
            Ok(())
        })
        .await?;
    let after = report::year(&Db::open(&db)?, 2024, None)?;
    assert_eq!(after.enterprises, ent0 + 30);
    assert_eq!(after.people, ppl0 + 120);
    assert_eq!((after.suggestions, after.adopted), (1, 1));
    let out = std::process::Command::new("pdftotext")
        .args([pdf.as_os_str(), "-".as_ref()])
        .output()?;
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let text = squeeze(&String::from_utf8(out.stdout)?);
    assert!(
        text.contains(&squeeze(&after.sentence)),
        "the saved report has the year's sentence: {text}"
    );
    Ok(())
}
