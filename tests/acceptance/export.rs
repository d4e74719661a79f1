//! Attendance sheets and the summary, exported through the CLI from a real database and read
//! back: the workbook with calamine, the CSV as bytes, the PDF through its fonts, pages and text.

use std::path::Path;
use std::process::Command;

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;
use tongxin_tests::{cli, cli_json, demo_db};

fn export(db: &Path, args: &[&str]) -> Value {
    let mut a = vec!["export"];
    a.extend_from_slice(args);
    cli_json(db, &a)
}

fn cells(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected a string cell, got {other:?}"),
    }
}

/// Someone whose organisation is a formula and whose name is markup, signed up for 御风未来.
fn add_hostile_expert(dir: &Path, db: &Path) {
    let csv = dir.join("hostile.csv");
    std::fs::write(
        &csv,
        "姓名,手机,工作单位,参加专题组\n\
         <img src=x onerror=alert(1)>,13900000001,\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",低空经济\n\
         王堃,13900000002,+1+1,低空经济\n",
    )
    .unwrap();
    // 御风未来 is full in the demo: taken over capacity, so they are on its sheet.
    let r = cli_json(db, &["import", csv.to_str().unwrap(), "--over-capacity"]);
    assert_eq!(r["counts"]["added"], 2, "{r}");
}

#[test]
fn a_blank_sheet_is_a_print_ready_workbook_with_every_registered_expert() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = dir.path().join("签到表.xlsx");
    export(
        &db,
        &[
            "sheet",
            "--format",
            "xlsx",
            "--blank-rows",
            "8",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let rows = cells(&out, "金山主会场");
    assert_eq!(text(&rows[0][0]), "2024年上海党外知识分子专家服务日");
    assert!(text(&rows[1][0]).contains("2024年9月29日"));
    let header: Vec<String> = rows[2].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "序号",
            "姓名",
            "单位",
            "职务/职称",
            "联系电话",
            "组别",
            "签到时间",
            "签名"
        ]
    );
    let registered = cli_json(&db, &["attendance"])["expected"].as_u64().unwrap() as usize;
    assert_eq!(
        rows.len(),
        3 + registered + 8,
        "everyone registered, then 8 blank rows"
    );
    let last = &rows[rows.len() - 1];
    assert_eq!(text(&last[0]), (registered + 8).to_string());
    assert_eq!(text(&last[1]), "", "a blank row for a walk-in");
    // Phones masked by default, every cell a string (序号 too).
    let phone = text(&rows[3][4]);
    assert!(phone.contains("****"), "{phone}");

    // The page set-up travels inside the file: A4, portrait, fit to width, repeated header,
    // page numbers in the footer.
    let xml = zip_part(&out, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("paperSize=\"9\""), "A4");
    assert!(xml.contains("orientation=\"portrait\""));
    assert!(xml.contains("fitToHeight=\"0\""), "fit to one page wide");
    assert!(
        xml.contains("第 &amp;P 页 共 &amp;N 页"),
        "page numbers in the footer"
    );
    assert!(
        xml.contains("<mergeCell ref=\"A1:H1\"/>"),
        "title merged across the columns"
    );
    let book = zip_part(&out, "xl/workbook.xml");
    assert!(
        book.contains("Print_Titles"),
        "header row repeated on every page"
    );

    let full = dir.path().join("full.xlsx");
    export(
        &db,
        &[
            "sheet",
            "--format",
            "xlsx",
            "--full-phone",
            "--out",
            full.to_str().unwrap(),
        ],
    );
    let phone = text(&cells(&full, "金山主会场")[3][4]);
    assert_eq!(phone.len(), 11, "{phone}");
}

fn zip_part(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn a_formula_or_markup_in_the_data_is_exported_as_text_never_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    add_hostile_expert(dir.path(), &db);
    let xlsx = dir.path().join("p1.xlsx");
    let csv = dir.path().join("p1.csv");
    let pdf = dir.path().join("p1.pdf");
    for (f, p) in [("xlsx", &xlsx), ("csv", &csv), ("pdf", &pdf)] {
        export(
            &db,
            &[
                "sheet",
                "--checkpoint",
                "2024-jinshan-p1",
                "--format",
                f,
                "--sort",
                "pinyin",
                "--out",
                p.to_str().unwrap(),
            ],
        );
    }
    // xlsx: string cells, no formula anywhere in the sheet.
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    let row = range
        .rows()
        .find(|r| r[1] == Data::String("<img src=x onerror=alert(1)>".into()))
        .expect("the markup name, verbatim");
    assert_eq!(
        row[2],
        Data::String("=HYPERLINK(\"http://x\",\"点我\")".into())
    );
    let formulas = wb.worksheet_formula(&name).unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula cells"
    );
    let sheet_xml = zip_part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(!sheet_xml.contains("<f>"), "no <f> element in the sheet");

    // csv: the BOM, and the formula neutralised with an apostrophe.
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\""),
        "{text}"
    );
    assert!(text.contains(",'+1+1,"), "{text}");
    assert!(text.contains("<img src=x onerror=alert(1)>"));
    assert!(text.contains("\r\n"));

    // pdf: the name as text (and 堃, a GBK-only character, in the embedded font).
    let t = pdf_text(&pdf);
    assert!(t.contains("<imgsrc=xonerror=alert(1)>"), "{t}");
    assert!(t.contains("王堃"), "{t}");
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, installed by .ci/setup)");
    assert!(out.status.success());
    // -raw: text in the order the page draws it (cell by cell). pdftotext drops the spaces
    // between CJK and Latin runs and breaks wrapped cells into lines: compare without them.
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn a_pdf_sheet_embeds_its_fonts_and_numbers_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let pdf = dir.path().join("main.pdf");
    export(
        &db,
        &["sheet", "--format", "pdf", "--out", pdf.to_str().unwrap()],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        bytes.len() < 200_000,
        "subset fonts keep it small: {} bytes",
        bytes.len()
    );
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let lines: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(lines.len(), 2, "{fonts}");
    for l in &lines {
        // emb sub uni: embedded, subset, with a ToUnicode map.
        assert!(l.contains("yes yes yes"), "{fonts}");
    }
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 3, "{info}");
    assert!(info.contains("595.28 x 841.89"), "A4: {info}");
    let t = pdf_text(&pdf);
    assert!(t.contains(&format!("第1页共{pages}页")), "{t}");
    assert!(t.contains(&format!("第{pages}页共{pages}页")));
    // The header is on every page.
    assert_eq!(t.matches("联系电话").count(), pages);
}

#[test]
fn a_record_shows_times_walk_ins_and_leaves_out_revoked_check_ins() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let a = cli_json(&db, &["checkin", "--code", "E-0001"]);
    let b = cli_json(&db, &["checkin", "--code", "E-0002"]);
    cli_json(
        &db,
        &[
            "undo",
            b["checkin"]["id"].as_str().unwrap(),
            "--reason",
            "点错了人",
        ],
    );
    cli_json(
        &db,
        &[
            "walkin",
            "--name",
            "现场来宾",
            "--organisation",
            "金山区科委",
        ],
    );
    let out = dir.path().join("record.csv");
    export(
        &db,
        &[
            "sheet",
            "--kind",
            "record",
            "--format",
            "csv",
            "--blank-rows",
            "0",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let text = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
    let line = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not on the record"))
            .to_string()
    };
    assert!(text.lines().next().unwrap().ends_with("签到时间,备注"));
    let time = a["checkin"]["local_time"].as_str().unwrap();
    assert!(line(a["expert"]["name"].as_str().unwrap()).contains(time));
    let revoked = line(b["expert"]["name"].as_str().unwrap());
    assert!(
        !revoked.contains(':'),
        "a revoked check-in is no time: {revoked}"
    );
    assert!(line("现场来宾").ends_with("现场补录"));

    let stats = cli_json(&db, &["stats"]);
    let att = cli_json(&db, &["attendance"]);
    assert_eq!(stats["venue"]["present"], att["present"]);
    assert_eq!(stats["venue"]["expected"], att["expected"]);
    assert_eq!(stats["venue"]["walk_ins"], 1);
    assert_eq!(stats["revoked"][0]["reason"], "点错了人");
    let arrivals: u64 = stats["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["arrivals"].as_u64().unwrap())
        .sum();
    assert_eq!(arrivals, att["present"].as_u64().unwrap());
}

#[test]
fn all_service_points_make_one_workbook_with_a_sheet_each() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = dir.path().join("all.xlsx");
    export(
        &db,
        &[
            "sheet",
            "--checkpoint",
            "all",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let wb: Xlsx<_> = open_workbook(&out).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names.iter().any(|n| n.contains("山塘村")), "{names:?}");
    let roster = cli_json(&db, &["roster", "--point", "2024-jinshan-p5"]);
    let registered = roster
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "registered")
        .count();
    let name = names.iter().find(|n| n.contains("山塘村")).unwrap();
    let rows = cells(&out, name);
    assert_eq!(rows.len(), 3 + registered + 5);
    assert_eq!(rows[2].len(), 7, "no 组别 column on a single point's sheet");
}

#[test]
fn the_summary_workbook_has_its_five_sheets_and_matches_stats() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = dir.path().join("summary.xlsx");
    export(&db, &["summary", "--out", out.to_str().unwrap()]);
    let wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["概况", "按党派", "按单位", "签到时间线", "撤销记录"]
    );
    let stats = cli_json(&db, &["stats"]);
    let rows = cells(&out, "概况");
    assert_eq!(
        rows[2][3],
        Data::Float(stats["venue"]["expected"].as_f64().unwrap())
    );
    assert_eq!(rows.len(), 3 + stats["groups"].as_array().unwrap().len());
    let parties = cells(&out, "按党派");
    let expected: f64 = parties[2..]
        .iter()
        .map(|r| match r[1] {
            Data::Float(f) => f,
            _ => 0.0,
        })
        .sum();
    assert_eq!(expected, stats["venue"]["expected"].as_f64().unwrap());
}

#[test]
fn an_unwritable_destination_is_a_clear_error_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = dir.path().join("no-such-folder").join("x.xlsx");
    let r = cli(
        &db,
        &[
            "export",
            "sheet",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(!r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("无法保存到"), "{err}");
    let unknown = cli(
        &db,
        &[
            "export",
            "sheet",
            "--checkpoint",
            "nowhere",
            "--format",
            "csv",
            "--out",
            dir.path().join("y.csv").to_str().unwrap(),
        ],
    );
    assert!(!unknown.status.success());
    assert!(!dir.path().join("y.csv").exists());
}
