//! 同心荟 service stations through the CLI on a real database: opened with a district written
//! loosely, experts appointed, renewed and ended, the ledger's activities held there linked,
//! and the appointment list (受聘专家名单) exported as a workbook that prints.

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;
use tongxin_tests::{cli, cli_json, demo_day};

fn station<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {list}"))
}

#[test]
fn a_station_is_opened_experts_appointed_and_its_years_activities_counted() {
    let (dir, db) = demo_day();
    // The demo district has two stations with nine experts appointed.
    let list = cli_json(&db, &["station", "list", "--year", "2024"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let appointed: usize = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["experts"].as_array().unwrap().len())
        .sum();
    assert_eq!(appointed, 9);

    let s = cli_json(
        &db,
        &[
            "station",
            "add",
            "--name",
            "同心荟专家服务站（张堰）",
            "--district",
            "上海市金山区",
            "--host",
            "张堰镇人民政府",
            "--opened",
            "2024年7月1日",
        ],
    );
    assert_eq!(s["district"], "金山区");
    assert_eq!(s["opened_on"], "2024-07-01");
    let id = s["id"].as_str().unwrap();
    // The same name again in the same district is refused, with what to do.
    let again = cli(
        &db,
        &[
            "station",
            "add",
            "--name",
            "同心荟专家服务站（张堰）",
            "--district",
            "金山",
        ],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("已有服务站"));

    // Two experts appointed; one renewed with a longer term, one ended.
    let a = cli_json(
        &db,
        &[
            "station",
            "appoint",
            "--station",
            id,
            "--code",
            "E-0010",
            "--on",
            "2024-07-01",
        ],
    );
    assert_eq!(a["term_years"], 2);
    let b = cli_json(
        &db,
        &[
            "station",
            "appoint",
            "--station",
            id,
            "--code",
            "E-0011",
            "--on",
            "2024-07-01",
        ],
    );
    let renewed = cli_json(
        &db,
        &[
            "station",
            "appoint",
            "--station",
            id,
            "--code",
            "E-0010",
            "--on",
            "2024-09-29",
            "--term",
            "3",
        ],
    );
    assert_eq!(renewed["id"], a["id"], "renewing keeps one appointment");
    cli_json(
        &db,
        &["station", "end", "--appointment", b["id"].as_str().unwrap()],
    );
    let bad = cli(
        &db,
        &[
            "station",
            "appoint",
            "--station",
            id,
            "--code",
            "E-0012",
            "--term",
            "12",
        ],
    );
    assert!(!bad.status.success(), "a 12-year term is refused");

    // A ledger row held at the station's place is its activity.
    let ledger = dir.path().join("台账.csv");
    std::fs::write(
        &ledger,
        "日期,区,活动名称,服务类型,活动地点,参与人次,服务企业,服务群众\n\
         2024-08-02,金山,张堰科技助企,科技服务,同心荟专家服务站（张堰）,9,12,40\n\
         2024-08-09,金山,张堰法律咨询,法律咨询,张堰镇文化中心,4,0,30\n\
         2023-08-02,金山,去年的活动,科技服务,同心荟专家服务站（张堰）,5,1,10\n",
    )
    .unwrap();
    cli_json(
        &db,
        &["import", ledger.to_str().unwrap(), "--kind", "activities"],
    );

    let list = cli_json(&db, &["station", "list", "--year", "2024"]);
    let z = station(&list, "同心荟专家服务站（张堰）");
    let standing: Vec<(&str, &str)> = z["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["standing"].as_str().unwrap()))
        .collect();
    assert_eq!(standing, [("E-0010", "serving"), ("E-0011", "ended")]);
    assert_eq!(z["experts"][0]["until"], "2027-09-29");
    let held: Vec<&str> = z["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(held, ["张堰科技助企"], "this year's, at its place");
    assert_eq!(z["participations"], 9);
    // The stations of 2023 list last year's.
    let last = cli_json(&db, &["station", "list", "--year", "2023"]);
    assert_eq!(
        station(&last, "同心荟专家服务站（张堰）")["activities"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_appointment_list_is_a_workbook_of_strings_that_keeps_a_formula_as_text() {
    let (dir, db) = demo_day();
    let csv = dir.path().join("专家.csv");
    std::fs::write(
        &csv,
        "姓名,手机,工作单位\n\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",13900000009,<b>某研究所</b>\n",
    )
    .unwrap();
    cli_json(&db, &["import", csv.to_str().unwrap(), "--kind", "experts"]);
    let experts = cli_json(&db, &["experts"]);
    let code = experts
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"].as_str().unwrap().starts_with("=HYPERLINK"))
        .expect("the expert with a formula for a name")["code"]
        .as_str()
        .unwrap()
        .to_string();
    let list = cli_json(&db, &["station", "list"]);
    let fengjing = station(&list, "同心荟专家服务站（枫泾）")["id"]
        .as_str()
        .unwrap()
        .to_string();
    cli_json(
        &db,
        &[
            "station",
            "appoint",
            "--station",
            &fengjing,
            "--code",
            &code,
        ],
    );

    let out = dir.path().join("受聘专家名单.xlsx");
    cli_json(&db, &["station", "export", "--out", out.to_str().unwrap()]);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let r = wb.worksheet_range("受聘专家名单").unwrap();
    let rows: Vec<&[Data]> = r.rows().collect();
    assert_eq!(rows[3][1], Data::String("服务站".into()));
    let body = &rows[4..];
    assert_eq!(body.len(), 10, "the demo's nine and the new one");
    let hostile = body
        .iter()
        .find(|r| matches!(&r[3], Data::String(s) if s.starts_with("=HYPERLINK")))
        .expect("the formula is a string cell");
    assert_eq!(hostile[1], Data::String("同心荟专家服务站（枫泾）".into()));
    assert_eq!(hostile[4], Data::String("<b>某研究所</b>".into()));
    assert!(
        matches!(body[0][7], Data::Float(t) if t == 3.0),
        "the term is a number"
    );
    assert!(body.iter().all(|r| r[9] == Data::String("在聘".into())));
}
