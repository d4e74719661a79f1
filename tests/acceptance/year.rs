//! The year's record: the activity ledger (活动台账) imported as organisers keep it, the
//! outcomes of the day's visits, and the yearly statistics with the no-double-count rule —
//! through the CLI on real files and a real SQLite database.

use std::collections::HashSet;
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use tongxin_tests::{cli, cli_json, demo_day};

/// A ledger as a district office keeps it: a title row, a header, Excel dates and dates typed
/// as text, counts as numbers, as text with a thousands separator and in full-width digits,
/// names instead of a count, a blank row, a repeated row, an estimate (约20), last year's row
/// and a 合计 row.
fn messy_ledger(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.write(0, 0, "2024年同心专家服务团活动台账").unwrap();
    let header = [
        "序号",
        "活动日期",
        "所属区",
        "活动名称",
        "服务类型",
        "活动地点",
        "参与专家",
        "参与人次",
        "服务企业（家）",
        "服务群众（人）",
        "备注",
    ];
    for (j, h) in header.iter().enumerate() {
        ws.write(2, j as u16, *h).unwrap();
    }
    let rows: [[&str; 11]; 8] = [
        [
            "1",
            "",
            "金山",
            "科技助企行",
            "科技服务",
            "枫泾镇",
            "",
            "12",
            "1,200",
            "３５０",
            "",
        ],
        [
            "2",
            "2024.4.2",
            "浦东",
            "法律咨询进园区",
            "法律咨询",
            "张江",
            "张三、李四",
            "",
            "15",
            "80人",
            "",
        ],
        [
            "3",
            "2024年5月8日",
            "徐汇区",
            "健康义诊进社区",
            "健康义诊",
            "",
            "",
            "6",
            "0",
            "200",
            "",
        ],
        ["", "", "", "", "", "", "", "", "", "", ""],
        [
            "4",
            "2024年5月8日",
            "徐汇区",
            "健康义诊进社区",
            "健康义诊",
            "",
            "",
            "6",
            "0",
            "200",
            "重复填报",
        ],
        [
            "5",
            "2024-06-01",
            "静安",
            "文化讲座",
            "文化服务",
            "",
            "",
            "约20",
            "0",
            "150",
            "",
        ],
        [
            "6",
            "2023.12.20",
            "金山区",
            "跨年科技服务",
            "科技服务",
            "",
            "",
            "5",
            "3",
            "10",
            "",
        ],
        ["合计", "", "", "", "", "", "", "43", "1218", "990", ""],
    ];
    for (i, row) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        for (j, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            // Counts typed as numbers where they are plain digits, as Excel keeps them.
            match cell.parse::<f64>() {
                Ok(n) if j >= 7 => ws.write_number(r, j as u16, n).unwrap(),
                _ => ws.write(r, j as u16, *cell).unwrap(),
            };
        }
    }
    // The first row's date as an Excel date cell.
    let d = ExcelDateTime::from_ymd(2024, 3, 15).unwrap();
    ws.write_datetime_with_format(3, 1, &d, &date).unwrap();
    wb.save(path).unwrap();
}

fn line<'a>(lines: &'a Value, key: &str) -> &'a Value {
    lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == key)
        .unwrap_or_else(|| panic!("no line {key} in {lines}"))
}

fn four(l: &Value) -> [i64; 4] {
    ["activities", "participations", "enterprises", "people"].map(|k| l[k].as_i64().unwrap())
}

/// The demo event as the report counts it.
fn event_item(r: &Value) -> &Value {
    r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["source"] == "event")
        .expect("the demo day is an activity of 2024")
}

#[test]
fn a_messy_ledger_is_read_as_the_organisers_meant_it() {
    let (dir, db) = demo_day();
    let file = dir.path().join("台账.xlsx");
    messy_ledger(&file);
    let r = cli_json(
        &db,
        &["import", file.to_str().unwrap(), "--kind", "activities"],
    );
    assert_eq!(r["committed"], true, "{r}");
    // Four rows of 2024 and last year's; the repeat, the estimate and the total are not rows.
    assert_eq!(r["counts"]["added"], 4, "{r}");
    let problems: Vec<(i64, String)> = r["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap(),
                p["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        problems.contains(&(8, "duplicate_activity_in_file".into())),
        "{problems:?}"
    );
    assert!(
        problems.contains(&(9, "count_invalid".into())),
        "{problems:?}"
    );
    assert!(
        problems.contains(&(11, "summary_row".into())),
        "{problems:?}"
    );

    let y = cli_json(&db, &["report", "--year", "2024"]);
    assert_eq!(four(line(&y["by_kind"], "科技服务")), [1, 12, 1200, 350]);
    assert_eq!(four(line(&y["by_kind"], "法律咨询")), [1, 2, 15, 80]);
    assert_eq!(four(line(&y["by_kind"], "健康义诊")), [1, 6, 0, 200]);
    assert_eq!(four(line(&y["by_district"], "浦东新区")), [1, 2, 15, 80]);
    assert_eq!(four(line(&y["by_month"], "2024-03")), [1, 12, 1200, 350]);
    assert_eq!(four(line(&y["by_month"], "2024-06")), [0, 0, 0, 0]);
    assert_eq!(y["by_month"].as_array().unwrap().len(), 12);
    let ev = event_item(&y);
    let (ep, ee, epl) = (
        ev["participations"].as_i64().unwrap(),
        ev["enterprises"].as_i64().unwrap(),
        ev["people"].as_i64().unwrap(),
    );
    assert_eq!(y["activities"], 4);
    assert_eq!(y["participations"].as_i64().unwrap(), 20 + ep);
    assert_eq!(y["enterprises"].as_i64().unwrap(), 1215 + ee);
    assert_eq!(y["people"].as_i64().unwrap(), 630 + epl);
    let sentence = y["sentence"].as_str().unwrap();
    assert!(
        sentence.starts_with(&format!(
            "2024年，同心专家服务团共开展专业服务活动4场，参与党外知识分子{}人次",
            20 + ep
        )),
        "{sentence}"
    );
    // Last year's row counts in last year.
    let last = cli_json(&db, &["report", "--year", "2023"]);
    assert_eq!(four(line(&last["by_district"], "金山区")), [1, 5, 3, 10]);

    // The same file again changes nothing.
    let again = cli_json(
        &db,
        &["import", file.to_str().unwrap(), "--kind", "activities"],
    );
    assert_eq!(again["counts"]["added"], 0, "{again}");
    assert_eq!(again["counts"]["unchanged"], 4, "{again}");
    assert_eq!(cli_json(&db, &["report", "--year", "2024"]), y);
}

#[test]
fn the_days_check_ins_are_its_participations_and_its_outcomes_move_the_year() {
    let (_dir, db) = demo_day();
    let before = cli_json(&db, &["report", "--year", "2024"]);
    let ev = event_item(&before);
    // Distinct experts with a live check-in at the venue or a point.
    let checkins = cli_json(&db, &["checkins"]);
    let present: HashSet<&str> = checkins
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["revoked_at"].is_null())
        .map(|c| c["expert_id"].as_str().unwrap())
        .collect();
    assert!(present.len() > 3, "the demo day has check-ins");
    assert_eq!(
        ev["participations"].as_u64().unwrap() as usize,
        present.len()
    );
    assert_eq!(ev["district"], "金山区");
    assert_eq!(ev["kind"], "专家服务日");

    // A revoked check-in is not a participation.
    let first = checkins
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["revoked_at"].is_null() && c["point_id"].is_null())
        .unwrap();
    let expert = first["expert_id"].as_str().unwrap();
    let only_once = checkins
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["expert_id"] == expert && c["revoked_at"].is_null())
        .count()
        == 1;
    let out = cli(
        &db,
        &["undo", first["id"].as_str().unwrap(), "--reason", "误签"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after_undo = cli_json(&db, &["report", "--year", "2024"]);
    let expected = present.len() - usize::from(only_once);
    assert_eq!(
        event_item(&after_undo)["participations"].as_u64().unwrap() as usize,
        expected
    );

    // The afternoon's outcomes become the event's enterprises and people.
    let points = cli_json(&db, &["points"]);
    let p: Vec<&str> = points
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    cli_json(
        &db,
        &[
            "outcome",
            "--point",
            p[0],
            "--enterprises",
            "12",
            "--people",
            "40",
        ],
    );
    cli_json(
        &db,
        &[
            "outcome",
            "--point",
            p[1],
            "--enterprises",
            "3",
            "--people",
            "25",
        ],
    );
    // Entered again, the figure is replaced, not added.
    cli_json(
        &db,
        &[
            "outcome",
            "--point",
            p[1],
            "--enterprises",
            "4",
            "--people",
            "25",
        ],
    );
    let y = cli_json(&db, &["report", "--year", "2024"]);
    assert_eq!(event_item(&y)["enterprises"], 16);
    assert_eq!(event_item(&y)["people"], 65);
    assert_eq!(
        y["enterprises"].as_i64().unwrap(),
        before["enterprises"].as_i64().unwrap() + 16
    );
    assert_eq!(four(line(&y["by_district"], "金山区"))[2], 16);

    // A count no visit has is refused and changes nothing.
    let out = cli(
        &db,
        &[
            "outcome",
            "--point",
            p[0],
            "--enterprises=-5",
            "--people",
            "40",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是一个数目"));
    assert_eq!(cli_json(&db, &["report", "--year", "2024"]), y);
}

#[test]
fn a_ledger_row_of_the_apps_own_day_is_not_counted_twice() {
    let (dir, db) = demo_day();
    let before = cli_json(&db, &["report", "--year", "2024"]);
    let file = dir.path().join("ledger.csv");
    std::fs::write(
        &file,
        "日期,区,活动名称,服务类型,参与人次,服务企业,服务群众\n\
         2024-09-29,金山区,2024年专家服务日（金山）,科技服务,150,40,500\n\
         2024-10-12,金山区,科技沙龙,科技服务,9,5,30\n",
    )
    .unwrap();
    let r = cli_json(
        &db,
        &["import", file.to_str().unwrap(), "--kind", "activities"],
    );
    assert!(
        r["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "same_as_event" && p["row"] == 2),
        "{r}"
    );
    let y = cli_json(&db, &["report", "--year", "2024"]);
    // Only the salon adds to the year; the day's own figures stand.
    assert_eq!(
        y["activities"].as_i64().unwrap(),
        before["activities"].as_i64().unwrap() + 1
    );
    assert_eq!(
        y["participations"].as_i64().unwrap(),
        before["participations"].as_i64().unwrap() + 9
    );
    assert_eq!(y["left_out"].as_array().unwrap().len(), 1);
    assert_eq!(y["left_out"][0]["date"], "2024-09-29");
}

#[test]
fn a_ledger_with_no_usable_row_or_a_hostile_cell_changes_nothing() {
    let (dir, db) = demo_day();
    let before = cli_json(&db, &["report", "--year", "2024"]);
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "日期,区,活动名称,参与人次\n明天,金山,某活动,5\n2024-05-01,杭州,外地,3\n2024-05-02,金山,估计,约20\n",
    )
    .unwrap();
    let out = cli(
        &db,
        &["import", bad.to_str().unwrap(), "--kind", "activities"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("第 2 行"), "{err}");
    assert_eq!(cli_json(&db, &["report", "--year", "2024"]), before);

    // A formula stays text, a script tag stays text, a 1 MB cell keeps its row out.
    let hostile = dir.path().join("hostile.csv");
    let huge = "长".repeat(1_000_000);
    std::fs::write(
        &hostile,
        format!(
            "日期,区,活动名称,参与人次\n2024-05-03,金山,=HYPERLINK(\"http://x\"),2\n\
             2024-05-04,金山,<script>alert(1)</script>,3\n2024-05-05,金山,{huge},4\n"
        ),
    )
    .unwrap();
    let r = cli_json(
        &db,
        &["import", hostile.to_str().unwrap(), "--kind", "activities"],
    );
    assert_eq!(
        r["counts"]["added"],
        2,
        "{}",
        &r.to_string()[..300.min(r.to_string().len())]
    );
    let y = cli_json(&db, &["report", "--year", "2024"]);
    let names: Vec<&str> = y["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"=HYPERLINK(\"http://x\")"), "{names:?}");
    assert!(names.contains(&"<script>alert(1)</script>"), "{names:?}");
    assert_eq!(
        y["participations"].as_i64().unwrap(),
        before["participations"].as_i64().unwrap() + 5
    );
}

#[test]
fn an_experts_year_of_service_is_counted_from_the_ledger_and_the_day() {
    let (dir, db) = demo_day();
    let experts = cli_json(&db, &["experts"]);
    let someone = &experts.as_array().unwrap()[0];
    let (name, code) = (
        someone["name"].as_str().unwrap(),
        someone["code"].as_str().unwrap(),
    );
    let file = dir.path().join("ledger.csv");
    std::fs::write(
        &file,
        format!(
            "日期,区,活动名称,服务类型,参与专家\n2024-03-01,金山,助企调研,调研建言,{name}、王某某\n\
             2024-04-01,金山,科普讲座,教育服务,{name}\n"
        ),
    )
    .unwrap();
    let r = cli_json(
        &db,
        &["import", file.to_str().unwrap(), "--kind", "activities"],
    );
    assert_eq!(r["counts"]["added"], 2, "{r}");
    let h = cli_json(&db, &["history", "--code", code, "--year", "2024"]);
    let at_the_day = cli_json(&db, &["checkins"])
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["expert_id"] == someone["id"] && c["revoked_at"].is_null());
    assert_eq!(
        h["count"].as_u64().unwrap(),
        2 + u64::from(at_the_day),
        "{h}"
    );
    // Names counted as participations: two in the first row, one in the second.
    let y = cli_json(&db, &["report", "--year", "2024"]);
    assert_eq!(four(line(&y["by_kind"], "调研建言")), [1, 2, 0, 0]);
}

#[test]
fn the_years_workbook_has_its_tables_as_numbers_and_a_native_chart_per_breakdown() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let (dir, db, y) = demo_day_with_messy_ledger();
    let out = dir.path().join("2024年度统计.xlsx");
    cli_json(
        &db,
        &["report", "--year", "2024", "--out", out.to_str().unwrap()],
    );

    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["总览", "按区", "按服务类型", "按月", "活动明细"]
    );
    let overview = wb.worksheet_range("总览").unwrap();
    assert_eq!(
        overview.get_value((2, 0)),
        Some(&Data::String(y["sentence"].as_str().unwrap().into()))
    );
    let by_district = wb.worksheet_range("按区").unwrap();
    let pudong = by_district
        .rows()
        .find(|r| r[0] == Data::String("浦东新区".into()))
        .expect("a 浦东新区 line");
    assert_eq!(
        pudong[1..5],
        [
            Data::Float(1.0),
            Data::Float(2.0),
            Data::Float(15.0),
            Data::Float(80.0)
        ]
    );
    let items = wb.worksheet_range("活动明细").unwrap();
    assert_eq!(items.height(), 1 + y["items"].as_array().unwrap().len());

    // One native chart for each breakdown: column, pie, line.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut kinds = Vec::new();
    for i in 1..=3 {
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut z.by_name(&format!("xl/charts/chart{i}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        kinds.extend(
            ["<c:barChart>", "<c:pieChart>", "<c:lineChart>"]
                .into_iter()
                .filter(|k| xml.contains(k)),
        );
    }
    assert_eq!(kinds, ["<c:barChart>", "<c:pieChart>", "<c:lineChart>"]);
}

/// The demo day with the messy ledger imported, and the year's report as JSON.
fn demo_day_with_messy_ledger() -> (tempfile::TempDir, std::path::PathBuf, Value) {
    let (dir, db) = demo_day();
    let file = dir.path().join("台账.xlsx");
    messy_ledger(&file);
    cli_json(
        &db,
        &["import", file.to_str().unwrap(), "--kind", "activities"],
    );
    let y = cli_json(&db, &["report", "--year", "2024"]);
    (dir, db, y)
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils, installed by .ci/setup): {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A page rendered at 40 dpi (pdftoppm), as its RGB pixels.
fn page_pixels(pdf: &Path, page: u32) -> Vec<[u8; 3]> {
    let stem = pdf.with_extension(format!("page{page}"));
    let n = page.to_string();
    poppler(
        "pdftoppm",
        &[
            "-r",
            "40",
            "-f",
            &n,
            "-l",
            &n,
            "-singlefile",
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    let ppm = std::fs::read(format!("{}.ppm", stem.display())).unwrap();
    // P6, width, height, 255 — then the pixels.
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    ppm[at + 1..]
        .chunks(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

fn near(p: [u8; 3], c: [u8; 3]) -> bool {
    p.iter().zip(c).all(|(a, b)| a.abs_diff(b) < 24)
}

#[test]
fn the_years_pdf_report_prints_sentence_figures_tables_and_vector_charts_in_chinese_or_english() {
    let (dir, db, y) = demo_day_with_messy_ledger();
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();

    let zh = dir.path().join("2024年度统计.pdf");
    cli_json(
        &db,
        &["report", "--year", "2024", "--out", zh.to_str().unwrap()],
    );
    let info = poppler("pdfinfo", &[zh.to_str().unwrap()]);
    assert!(info.contains("595.28 x 841.89 pts (A4)"), "{info}");
    let fonts = poppler("pdffonts", &[zh.to_str().unwrap()]);
    let embedded = fonts
        .lines()
        .skip(2)
        .filter(|l| l.contains(" yes yes "))
        .count();
    assert_eq!(embedded, 2, "both faces embedded and subset:\n{fonts}");
    // The charts are vector drawing: no picture in the file.
    let images = poppler("pdfimages", &["-list", zh.to_str().unwrap()]);
    assert_eq!(images.lines().count(), 2, "no images:\n{images}");

    let text = squeeze(&poppler("pdftotext", &["-raw", zh.to_str().unwrap(), "-"]));
    assert!(
        text.contains(&squeeze(y["sentence"].as_str().unwrap())),
        "{text}"
    );
    for l in y["by_district"].as_array().unwrap() {
        assert!(text.contains(l["key"].as_str().unwrap()), "{}", l["key"]);
    }
    for l in y["by_kind"].as_array().unwrap() {
        assert!(text.contains(l["key"].as_str().unwrap()), "{}", l["key"]);
    }
    let people = y["people"].as_i64().unwrap();
    let with_commas = {
        let d = people.to_string();
        let mut s = String::new();
        for (i, c) in d.chars().enumerate() {
            if i > 0 && (d.len() - i).is_multiple_of(3) {
                s.push(',');
            }
            s.push(c);
        }
        s
    };
    assert!(
        text.contains(&format!("合计{}", y["activities"])),
        "the totals line"
    );
    assert!(
        text.contains(&with_commas),
        "people served as {with_commas}"
    );
    // Every activity counted is listed.
    for a in y["items"].as_array().unwrap() {
        assert!(
            text.contains(&squeeze(a["name"].as_str().unwrap())),
            "{}",
            a["name"]
        );
    }
    // Page 1 draws the district chart in the screen's two colours.
    let px = page_pixels(&zh, 1);
    let red = px.iter().filter(|p| near(**p, [184, 39, 44])).count();
    let blue = px.iter().filter(|p| near(**p, [47, 91, 154])).count();
    assert!(
        red > 200 && blue > 200,
        "bars drawn: {red} red, {blue} blue pixels"
    );

    let en = dir.path().join("report-2024.pdf");
    cli_json(
        &db,
        &[
            "report",
            "--year",
            "2024",
            "--lang",
            "en",
            "--out",
            en.to_str().unwrap(),
        ],
    );
    let text = squeeze(&poppler("pdftotext", &["-raw", en.to_str().unwrap(), "-"]));
    assert!(
        text.contains(&squeeze(y["sentence_en"].as_str().unwrap())),
        "{text}"
    );
    assert!(
        text.contains("PudongNewArea") && text.contains("Bydistrict"),
        "{text}"
    );
    assert!(text.contains("Page1of"), "{text}");
}

#[test]
fn suggestions_collected_at_the_points_are_counted_with_those_adopted() {
    let (_dir, db) = demo_day();
    let before = cli_json(&db, &["report", "--year", "2024"]);
    assert_eq!(before["suggestions"], 0);
    let a = cli_json(
        &db,
        &[
            "suggestion",
            "add",
            "--point",
            "2024-jinshan-p1",
            "--title",
            "关于低空物流航线审批的建议",
            "--lead",
            "E-0001",
            "--theme",
            "低空经济",
        ],
    );
    cli_json(
        &db,
        &[
            "suggestion",
            "add",
            "--point",
            "2024-jinshan-p2",
            "--title",
            "新材料中试平台共享",
        ],
    );
    cli_json(
        &db,
        &["suggestion", "adopt", "--id", a["id"].as_str().unwrap()],
    );
    let refused = cli(
        &db,
        &[
            "suggestion",
            "add",
            "--point",
            "2024-jinshan-p1",
            "--title",
            "  ",
        ],
    );
    assert!(!refused.status.success(), "a suggestion needs a title");
    let unknown = cli(&db, &["suggestion", "adopt", "--id", "no-such-id"]);
    assert!(
        !unknown.status.success(),
        "adopting nothing is an error, not a silent yes"
    );

    let y = cli_json(&db, &["report", "--year", "2024"]);
    assert_eq!(
        (y["suggestions"].as_i64(), y["adopted"].as_i64()),
        (Some(2), Some(1))
    );
    let list = cli_json(&db, &["suggestion", "list", "--point", "2024-jinshan-p1"]);
    assert_eq!(list[0]["status"], "adopted");
    assert_eq!(list[0]["theme"], "低空经济");
    // Another district's report has none of them.
    let pudong = cli_json(&db, &["report", "--year", "2024", "--district", "浦东"]);
    assert_eq!(pudong["suggestions"], 0);
    // The PDF report says so.
    let pdf = db.with_file_name("r.pdf");
    cli_json(
        &db,
        &["report", "--year", "2024", "--out", pdf.to_str().unwrap()],
    );
    let text: String = poppler("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("收集建言2条，其中已采纳1条"), "{text}");
}
