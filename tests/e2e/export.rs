//! The export screen in the window: the venue's sheet previewed as it prints (a hostile name
//! shown as text), switched to a service point's record, saved as .xlsx and .pdf where the
//! save dialog would have said — and the files read back.

use anyhow::Result;
use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::Utc;
use fantoccini::Locator;
use serde_json::json;
use tongxin_core::walkin::{self, WalkInForm};
use tongxin_core::{Checkpoint, Db, Desk};

use crate::harness::{answer_dialog, page_state, screenshot, text, wait_js, App};

const HOSTILE: &str = "<img src=x onerror=alert(1)>";
const FORMULA: &str = "=HYPERLINK(\"http://x\",\"点我\")";

/// Saves through the page the way the native save dialog would hand it a path.
async fn save_as(c: &fantoccini::Client, format: &str, path: &str) -> Result<()> {
    answer_dialog(path)?;
    c.execute(
        "document.querySelector('#x-status').replaceChildren(); \
         document.querySelector(`[data-format=${arguments[0]}]`).click()",
        vec![json!(format)],
    )
    .await?;
    wait_js(
        c,
        "return document.querySelector('#x-status [data-saved]')",
        20,
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_sheet_is_previewed_as_it_prints_and_saved_as_xlsx_and_pdf() -> Result<()> {
    let mut out = None;
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        let desk = Desk {
            id: "d".into(),
            name: "1号台".into(),
        };
        walkin::register(
            &mut d,
            "2024-jinshan",
            &WalkInForm {
                name: HOSTILE.into(),
                organisation: FORMULA.into(),
                title: String::new(),
                phone: "13900000001".into(),
                point_id: Some("2024-jinshan-p2".into()),
            },
            &Checkpoint::Main,
            &desk,
            Utc::now(),
        )?;
        out = Some(db.with_file_name("out"));
        Ok(())
    })
    .await?;
    let out = out.unwrap();
    std::fs::create_dir_all(&out)?;
    let xlsx = out.join("2024专家服务日_天承化学_签到记录.xlsx");
    let pdf = out.join("sheet.pdf");
    let (xlsx_s, pdf_s) = (
        xlsx.to_string_lossy().into_owned(),
        pdf.to_string_lossy().into_owned(),
    );
    let (_dir, _db) = app.run(move |c| async move {
        c.find(Locator::Css(".nav-item[data-screen=export]")).await?.click().await?;
        if let Err(e) = wait_js(&c, "return document.querySelector('.print-sheet tbody tr')", 15).await {
            anyhow::bail!("{e}; page: {}", page_state(&c).await);
        }
        assert!(text(&c, ".sheet-title").await?.contains("专家服务日"));
        // The markup name is text in the preview, not an element.
        let shown = c
            .execute(
                "return [...document.querySelectorAll('.print-sheet td.name')].some(td => td.textContent === arguments[0]) \
                 && !document.querySelector('.print-sheet img')",
                vec![json!(HOSTILE)],
            )
            .await?;
        assert_eq!(shown, json!(true));
        screenshot(&c, "export-screen").await?;

        // A service point's record, saved as xlsx and pdf.
        c.execute(
            "const s = document.querySelector('#x-scope'); s.value = '2024-jinshan-p2'; s.dispatchEvent(new Event('change', { bubbles: true })); \
             document.querySelector('input[name=x-kind][value=record]').click();",
            vec![],
        )
        .await?;
        wait_js(&c, "return document.querySelector('.print-sheet .sheet-subtitle')?.textContent.includes('天承化学') \
                     && document.querySelector('.print-sheet th:last-child')?.textContent === '备注'", 15).await?;
        save_as(&c, "xlsx", &xlsx_s).await?;
        assert!(text(&c, "#x-status").await?.contains("已保存"));
        assert!(c.find(Locator::Css("#x-open")).await.is_ok(), "offers to open the folder");
        save_as(&c, "pdf", &pdf_s).await?;
        screenshot(&c, "export-saved").await?;
        Ok(())
    })
    .await?;

    let mut wb: Xlsx<_> = open_workbook(&xlsx)?;
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name)?;
    let row = range
        .rows()
        .find(|r| r.get(1) == Some(&Data::String(HOSTILE.into())))
        .expect("the walk-in on the record");
    assert_eq!(
        row[2],
        Data::String(FORMULA.into()),
        "a string, not a formula"
    );
    assert_eq!(row[6], Data::String("现场补录".into()));
    let bytes = std::fs::read(&pdf)?;
    assert!(bytes.starts_with(b"%PDF-"));
    Ok(())
}
