//! Importing the lists as they really arrive — every messy case and every hostile file, made
//! by the generator below into a temporary folder — through the CLI on a real database.

use std::io::Write;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use tongxin_tests::{cli, cli_json, demo_db};

const HEADER: [&str; 9] = [
    "序号",
    "姓名",
    "性别",
    "工作单位",
    "职务/职称",
    "手机号码",
    "党派",
    "参加专题组",
    "备注",
];

/// The rows an association typically sends: padded names, phones every which way, loose
/// group names, GBK-only characters, a blank row, a nameless row, a duplicate, a total row.
fn messy_rows() -> Vec<Vec<&'static str>> {
    vec![
        vec![
            "1",
            "张　伟",
            "男",
            "同济大学",
            "教授",
            "+86 138-0013-8000",
            "民盟",
            "低空经济组",
            "",
        ],
        vec![
            "2",
            "王堃",
            "男",
            "上海交通大学",
            "研究员",
            "１３９００１３９０００",
            "九三学社",
            "文旅",
            "",
        ],
        vec![
            "3",
            "李珺",
            "女",
            "复旦大学",
            "副教授",
            "137 0013 7000",
            "无党派人士",
            "山塘村",
            "",
        ],
        vec![
            "4",
            "买买提·艾力",
            "男",
            "上海大学",
            "教授",
            "13600136000",
            "民进",
            "新材料",
            "",
        ],
        vec![],
        vec![
            "5",
            "",
            "",
            "东华大学",
            "",
            "13500135000",
            "",
            "",
            "没写名字",
        ],
        vec![
            "6",
            "赵喆",
            "男",
            "华东理工大学",
            "高级工程师",
            "",
            "农工党",
            "生物医药",
            "没写手机",
        ],
        vec![
            "7",
            "张伟",
            "男",
            "同济大学",
            "教授",
            "13800138000",
            "民盟",
            "低空经济",
            "重复一行",
        ],
        vec![
            "8",
            "陈晓东",
            "男",
            "上海市律师协会",
            "律师",
            "13300133000",
            "民建",
            "火星基地",
            "",
        ],
        vec![
            "9",
            "<script>alert(1)</script>",
            "女",
            "=HYPERLINK(\"http://x\",\"点我\")",
            "",
            "13200132000",
            "",
            "乡村振兴",
            "",
        ],
        vec!["合计", "", "", "", "", "", "", "", "9人"],
    ]
}

fn csv_text(rows: &[Vec<&str>], sep: &str) -> String {
    let mut s = String::from("2025年专家服务日报名汇总表\n填报单位：某知联会\n");
    s.push_str(&HEADER.join(sep));
    s.push('\n');
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains(sep) || c.contains('"') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.to_string()
                }
            })
            .collect();
        s.push_str(&cells.join(sep));
        s.push('\n');
    }
    s
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn gbk_csv(dir: &Path) -> PathBuf {
    let text = csv_text(&messy_rows(), ",");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    write(dir, "报名表-gbk.csv", &bytes)
}

fn xlsx(dir: &Path) -> PathBuf {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 8, "2025年专家服务日报名汇总表", &bold)
        .unwrap();
    ws.write_string(1, 0, "填报单位：某知联会").unwrap();
    for (j, h) in HEADER.iter().enumerate() {
        ws.write_string(2, j as u16, *h).unwrap();
    }
    ws.write_string(2, 9, "身份证号").unwrap();
    for (i, r) in messy_rows().iter().enumerate() {
        let row = 3 + i as u32;
        for (j, c) in r.iter().enumerate() {
            // Phones typed as numbers, as Excel users do.
            if j == 5 && c.len() == 11 && c.chars().all(|d| d.is_ascii_digit()) {
                ws.write_number(row, j as u16, c.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                ws.write_string(row, j as u16, *c).unwrap();
            }
        }
    }
    // An 18-digit ID typed as a number: Excel keeps 15 significant digits.
    ws.write_number(3, 9, 310101199001011234.0).unwrap();
    let p = dir.join("报名表.xlsx");
    wb.save(&p).unwrap();
    p
}

fn problems(r: &Value, code: &str) -> Vec<u64> {
    r["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == code)
        .map(|p| p["row"].as_u64().unwrap())
        .collect()
}

fn import(db: &Path, file: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    cli_json(db, &args)
}

#[test]
fn a_messy_gbk_csv_is_read_with_every_problem_on_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let r = import(&db, &gbk_csv(dir.path()), &[]);
    assert_eq!(r["committed"], true);
    assert_eq!(r["header_row"], 3, "two title rows above the header");
    assert_eq!(r["counts"]["added"], 7);
    assert_eq!(
        r["counts"]["skipped"], 3,
        "no name, duplicate phone, total row"
    );
    // Row numbers as Excel shows them: title, title, header, then data from row 4.
    assert_eq!(problems(&r, "no_name"), [9]);
    assert_eq!(problems(&r, "no_phone"), [10]);
    assert_eq!(problems(&r, "duplicate_in_file"), [11]);
    assert_eq!(problems(&r, "unknown_group"), [12]);
    assert_eq!(problems(&r, "summary_row"), [14]);

    let experts = cli_json(&db, &["experts"]);
    let find = |name: &str| {
        experts
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} imported"))
    };
    assert_eq!(
        find("张伟")["phone"],
        "13800138000",
        "+86 and dashes dropped, padding removed"
    );
    assert_eq!(find("王堃")["phone"], "13900139000", "full-width digits");
    assert_eq!(
        find("王堃")["organisation"],
        "上海交通大学",
        "GBK-only 堃 decoded"
    );
    find("买买提·艾力");
    // Names and organisations with markup or formulas are data, kept as typed.
    assert_eq!(
        find("<script>alert(1)</script>")["organisation"],
        "=HYPERLINK(\"http://x\",\"点我\")"
    );

    // Loose group names went to the right service points.
    let p1 = cli_json(&db, &["roster", "--point", "2024-jinshan-p1"]);
    assert!(p1.as_array().unwrap().iter().any(|x| x["name"] == "张伟"));
    let p4 = cli_json(&db, &["roster", "--point", "2024-jinshan-p4"]);
    assert!(
        p4.as_array().unwrap().iter().any(|x| x["name"] == "王堃"),
        "文旅 → 文旅产业"
    );
    let p5 = cli_json(&db, &["roster", "--point", "2024-jinshan-p5"]);
    assert!(
        p5.as_array().unwrap().iter().any(|x| x["name"] == "李珺"),
        "山塘村 by point name"
    );
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let file = gbk_csv(dir.path());
    import(&db, &file, &[]);
    let before = cli_json(&db, &["experts"]);
    let again = import(&db, &file, &[]);
    assert_eq!(again["counts"]["added"], 0);
    assert_eq!(again["counts"]["updated"], 0);
    assert_eq!(again["counts"]["unchanged"], 7);
    assert_eq!(cli_json(&db, &["experts"]), before);
}

#[test]
fn the_same_phone_updates_and_the_same_name_is_someone_else() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    import(&db, &gbk_csv(dir.path()), &[]);
    let n = cli_json(&db, &["experts"]).as_array().unwrap().len();
    let text = "姓名,手机,工作单位,职务\n张伟,13800138000,同济大学,副校长\n张伟,13100131000,复旦大学,教授\n";
    let r = import(
        &db,
        &write(dir.path(), "second.csv", text.as_bytes()),
        &["--kind", "experts"],
    );
    assert_eq!(r["counts"]["updated"], 1);
    assert_eq!(r["counts"]["added"], 1);
    assert_eq!(problems(&r, "same_name"), [3]);
    let experts = cli_json(&db, &["experts"]);
    assert_eq!(experts.as_array().unwrap().len(), n + 1);
    let zhang: Vec<_> = experts
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"] == "张伟")
        .collect();
    assert_eq!(zhang.len(), 2);
    assert!(zhang
        .iter()
        .any(|e| e["title"] == "副校长" && e["phone"] == "13800138000"));
}

#[test]
fn an_xlsx_with_a_merged_title_and_numeric_phones_imports_like_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let r = import(&db, &xlsx(dir.path()), &[]);
    assert_eq!(r["header_row"], 3);
    assert_eq!(r["counts"]["added"], 7);
    assert_eq!(problems(&r, "id_number_lost_digits"), [4]);
    assert_eq!(
        problems(&r, "no_name"),
        [9],
        "the blank row 8 counts in the numbering"
    );
    let experts = cli_json(&db, &["experts"]);
    assert!(experts
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["name"] == "李珺" && e["phone"] == "13700137000"));
}

#[test]
fn utf16_tab_text_and_utf8_bom_semicolons_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let rows = messy_rows();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in csv_text(&rows, "\t").encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(csv_text(&rows, ";").as_bytes());
    for (name, bytes) in [("unicode.txt", utf16), ("bom.csv", bom)] {
        let sub = dir.path().join(name).with_extension("d");
        std::fs::create_dir_all(&sub).unwrap();
        let db = demo_db(&sub);
        let r = import(&db, &write(dir.path(), name, &bytes), &["--dry-run"]);
        assert_eq!(r["committed"], false);
        assert_eq!(r["counts"]["added"], 7, "{name}");
        assert_eq!(
            cli_json(&db, &["experts"]).as_array().unwrap().len(),
            121,
            "dry run wrote nothing"
        );
    }
}

/// A zip whose one part inflates to more than the import allows.
fn zip_bomb(dir: &Path) -> PathBuf {
    let p = dir.join("bomb.xlsx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..310 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap();
    p
}

#[test]
fn hostile_files_get_a_clear_message_and_leave_the_database_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    let valid = std::fs::read(xlsx(d)).unwrap();
    let header_only = format!("{}\n", HEADER.join(","));
    let unrelated = "日期,金额,经手人\n2024-01-01,300,王\n";
    let big_cell = format!(
        "姓名,手机,备注\n张三,13800000001,{}\n",
        "长".repeat(1_000_000)
    );
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let cases: Vec<(PathBuf, &str)> = vec![
        (write(d, "random.csv", &random), "import_unreadable"),
        (write(d, "empty.csv", b""), "import_empty"),
        (
            write(d, "header-only.csv", header_only.as_bytes()),
            "import_no_rows",
        ),
        (
            write(d, "unrelated.csv", unrelated.as_bytes()),
            "import_no_header",
        ),
        (
            write(d, "truncated.xlsx", &valid[..valid.len() / 2]),
            "import_unreadable",
        ),
        (
            write(d, "fake.xlsx", b"<html>not a workbook</html>"),
            "import_unreadable",
        ),
        (
            write(d, "big-cell.csv", big_cell.as_bytes()),
            "import_no_usable_rows",
        ),
        (zip_bomb(d), "import_zip_bomb"),
    ];
    // (Reading once first lets SQLite fold its write-ahead log into the file.)
    let experts_before = cli_json(&db, &["experts"]);
    let db_bytes = || std::fs::read(&db).unwrap();
    let before = db_bytes();
    for (file, expect) in cases {
        let out = cli(&db, &["import", file.to_str().unwrap(), "--json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{} must be refused ({expect})",
            file.display()
        );
        assert!(stderr.starts_with("错误："), "{}: {stderr}", file.display());
        assert!(
            stderr.chars().count() > 12,
            "a message that says what to do: {stderr}"
        );
        if expect == "import_no_usable_rows" {
            assert!(
                stderr.contains("第 2 行") && stderr.contains("单元格过长"),
                "{stderr}"
            );
        }
    }
    assert_eq!(cli_json(&db, &["experts"]), experts_before);
    assert!(
        db_bytes() == before,
        "the database file is byte-for-byte unchanged"
    );
}

#[test]
fn the_last_import_can_be_undone_as_a_whole_one_after_another() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let demo = cli_json(&db, &["experts"]);
    import(&db, &gbk_csv(dir.path()), &[]);
    let after_first = cli_json(&db, &["experts"]);
    let text = "姓名,手机,工作单位,职务,专题组\n张伟,13800138000,同济大学,副校长,新材料\n顾晨,13100131000,复旦大学,教授,\n";
    let second = import(&db, &write(dir.path(), "second.csv", text.as_bytes()), &[]);
    assert_eq!(second["counts"]["updated"], 1);
    assert_eq!(second["counts"]["added"], 1);

    let u = cli_json(&db, &["undo-import"]);
    assert_eq!(u["removed_experts"], 1);
    assert_eq!(u["restored_experts"], 1);
    assert_eq!(
        cli_json(&db, &["experts"]),
        after_first,
        "张伟 is a 教授 again, 顾晨 is gone"
    );
    let p1 = cli_json(&db, &["roster", "--point", "2024-jinshan-p1"]);
    assert!(
        p1.as_array().unwrap().iter().any(|x| x["name"] == "张伟"),
        "back in his first group"
    );

    cli_json(&db, &["undo-import"]);
    assert_eq!(cli_json(&db, &["experts"]), demo);
    let out = cli(&db, &["undo-import"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有可撤销的导入"));
}

#[test]
fn an_import_whose_people_have_checked_in_is_not_undone() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    import(&db, &gbk_csv(dir.path()), &[]);
    let experts = cli_json(&db, &["experts"]);
    let n = experts.as_array().unwrap().len();
    let wang = experts
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "王堃")
        .unwrap();
    cli_json(&db, &["checkin", "--code", wang["code"].as_str().unwrap()]);
    let out = cli(&db, &["undo-import"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("王堃 已经签到"));
    assert_eq!(cli_json(&db, &["experts"]).as_array().unwrap().len(), n);
}

/// The organisers' service-point sheet: a merged title, times typed as Excel times, capacity
/// as "25人", a point already on file (by its short name), a new theme, a duplicate, a total.
fn points_xlsx(dir: &Path) -> PathBuf {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        7,
        "2024年金山专家服务日服务点位安排",
        &Format::new(),
    )
    .unwrap();
    let header = [
        "序号",
        "服务点位",
        "专题组",
        "地址",
        "联系人",
        "联系电话",
        "接待人数",
        "发车时间",
        "车辆",
    ];
    for (j, h) in header.iter().enumerate() {
        ws.write_string(1, j as u16, *h).unwrap();
    }
    let rows: [[&str; 9]; 5] = [
        ["1", "御风未来", "低空经济组", "", "", "", "24人", "", ""],
        [
            "2",
            "金山嘴渔村",
            "海洋经济",
            "金山区 山阳镇金山嘴渔村",
            "韩冬",
            "139 1700 2211",
            "18",
            "",
            "6号车",
        ],
        [
            "3",
            "廊下郊野公园",
            "乡村振兴",
            "",
            "",
            "",
            "若干",
            "13:30",
            "",
        ],
        ["4", "金山嘴渔村", "", "", "", "", "", "", ""],
        ["合计", "", "", "", "", "", "42", "", ""],
    ];
    for (i, r) in rows.iter().enumerate() {
        for (j, c) in r.iter().enumerate() {
            ws.write_string(2 + i as u32, j as u16, *c).unwrap();
        }
    }
    // 12:45 typed as a time: Excel stores the fraction of a day.
    let time = Format::new().set_num_format("hh:mm");
    ws.write_number_with_format(3, 7, 12.75 / 24.0, &time)
        .unwrap();
    let p = dir.join("服务点位.xlsx");
    wb.save(&p).unwrap();
    p
}

#[test]
fn a_service_point_sheet_adds_and_updates_the_events_points() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let before = cli_json(&db, &["points"]);
    let file = points_xlsx(dir.path());
    let r = import(&db, &file, &["--kind", "points"]);
    assert_eq!(r["committed"], true);
    assert_eq!(r["counts"]["added"], 2, "{r}");
    assert_eq!(r["counts"]["updated"], 1, "{r}");
    assert_eq!(problems(&r, "capacity_invalid"), vec![5]);
    assert_eq!(problems(&r, "duplicate_point_in_file"), vec![6]);
    assert_eq!(problems(&r, "summary_row"), vec![7]);

    let points = cli_json(&db, &["points"]);
    let list = points.as_array().unwrap();
    assert_eq!(list.len(), 7);
    let p1 = list.iter().find(|p| p["id"] == "2024-jinshan-p1").unwrap();
    assert_eq!(p1["capacity"], 24, "found by its short name 御风未来");
    assert_eq!(
        p1["name"], "上海御风未来航空科技有限公司",
        "named by its short name, the point keeps its full name"
    );
    assert_eq!(p1["bus"], "1号车", "an empty cell keeps what was on file");
    let yucun = list.iter().find(|p| p["name"] == "金山嘴渔村").unwrap();
    assert_eq!(yucun["depart_time"], "12:45");
    assert_eq!(yucun["contact_phone"], "13917002211");
    assert_eq!(yucun["capacity"], 18);
    assert!(
        yucun["theme_id"].is_string(),
        "a new theme 海洋经济 is created"
    );
    let langxia = list.iter().find(|p| p["name"] == "廊下郊野公园").unwrap();
    assert_eq!(langxia["capacity"], 0);
    assert_eq!(
        langxia["theme_id"], "theme-xiangcun",
        "乡村振兴 is the known theme"
    );

    let again = import(&db, &file, &["--kind", "points"]);
    assert_eq!(again["committed"], false, "re-importing changes nothing");
    assert_eq!(again["counts"]["unchanged"], 3);

    cli_json(&db, &["undo-import"]);
    assert_eq!(
        cli_json(&db, &["points"]),
        before,
        "undo restores the points"
    );
}

#[test]
fn a_new_point_someone_has_moved_to_is_not_undone() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    import(&db, &points_xlsx(dir.path()), &["--kind", "points"]);
    let points = cli_json(&db, &["points"]);
    let yucun = points
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "金山嘴渔村")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let someone = cli_json(&db, &["experts"])[0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    cli_json(&db, &["move", "--code", &someone, "--to", &yucun]);
    let out = cli(&db, &["undo-import"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("金山嘴渔村"));
    assert_eq!(cli_json(&db, &["points"]), points, "nothing changed");
}
