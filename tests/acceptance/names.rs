//! Every name printed as written. Names are registered from 通用规范汉字表, which includes
//! characters outside the BMP (王𬀩, U+2C029). The sheets, record sheets, badges and table cards
//! must print each of them with a real glyph — never glyph 0, the empty box — and a character
//! that no shipped font has is named in the export instead of printed as a box.

use std::path::Path;
use std::process::Command;

use tongxin_tests::{cli, cli_json};

/// Extension-block characters of 通用规范汉字表 (and GB 18030 BMP ones) in plausible names.
const RARE: [&str; 8] = [
    "王𬀩",
    "李𬇙",
    "张𬣙明",
    "陈𫖯",
    "刘𬭚",
    "赵𬘬",
    "孙堃",
    "周珺喆",
];
/// A CJK Ext. H character: no shipped font has it.
const UNPRINTABLE: &str = "吴\u{31350}";

fn day_with_rare_names() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("day.db");
    assert!(cli(&db, &["demo"]).status.success());
    for (i, name) in RARE.iter().chain([&UNPRINTABLE]).enumerate() {
        let phone = format!("1390000{:04}", 7100 + i);
        let e = cli_json(
            &db,
            &[
                "experts",
                "add",
                "--name",
                name,
                "--organisation",
                "华东师范大学",
                "--phone",
                &phone,
            ],
        );
        let code = e["code"].as_str().unwrap().to_string();
        // Signed up for the plenary: on the venue's sheet and among the event's badges.
        let s = cli(&db, &["signup", "add", "--code", &code]);
        assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    }
    (dir, db)
}

/// Every (CID → text) pair of the PDF's ToUnicode maps; CID 0 is the empty box (.notdef).
fn cids_of(pdf: &Path) -> Vec<(u16, String)> {
    let bytes = std::fs::read(pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mut out = Vec::new();
    for block in text.split("beginbfchar").skip(1) {
        let body = block.split("endbfchar").next().unwrap_or("");
        for line in body.lines() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() == 2 {
                let cid = u16::from_str_radix(parts[0].trim_matches(['<', '>']), 16).unwrap();
                out.push((cid, parts[1].to_string()));
            }
        }
    }
    assert!(!out.is_empty(), "{} has no ToUnicode map", pdf.display());
    out
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn fonts_embedded(pdf: &Path) {
    let out = Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("pdffonts");
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    let cjk = list
        .lines()
        .find(|l| l.contains("NotoSansCJKsc"))
        .unwrap_or_else(|| panic!("no Noto CJK font in {}:\n{list}", pdf.display()));
    // name, type…, emb sub uni: all yes.
    assert!(cjk.matches("yes").count() >= 3, "{cjk}");
}

fn check_pdf(pdf: &Path, what: &str) {
    fonts_embedded(pdf);
    let cids = cids_of(pdf);
    assert!(
        !cids.iter().any(|(cid, _)| *cid == 0),
        "{what}: a character is drawn with glyph 0 (an empty box)"
    );
    let text = pdftotext(pdf);
    for name in RARE {
        // Names may be spaced out by the layout: compare without white space.
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            flat.contains(name),
            "{what}: {name} is not in the text:\n{text}"
        );
    }
}

fn export(db: &Path, out: &Path, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(["--out", out.to_str().unwrap()]);
    let r = cli(db, &all);
    assert!(
        r.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    r
}

#[test]
fn sheets_badges_and_cards_print_every_rare_name_with_a_real_glyph() {
    let (dir, db) = day_with_rare_names();
    let cases: [(&str, Vec<&str>); 4] = [
        (
            "blank sheet",
            vec!["export", "sheet", "--checkpoint", "main", "--format", "pdf"],
        ),
        (
            "record sheet",
            vec![
                "export",
                "sheet",
                "--checkpoint",
                "main",
                "--kind",
                "record",
                "--format",
                "pdf",
            ],
        ),
        ("badges", vec!["badges"]),
        ("table cards", vec!["badges", "--cards"]),
    ];
    for (what, args) in cases {
        let pdf = dir.path().join(format!("{what}.pdf"));
        let r = export(&db, &pdf, &args);
        check_pdf(&pdf, what);
        // The one name no font can print is named, with its code point, on stderr.
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(
            err.contains(UNPRINTABLE) && err.contains("U+31350"),
            "{what}: {err}"
        );
        assert!(
            !RARE.iter().any(|n| err.contains(n)),
            "{what} warns about a printable name: {err}"
        );
        // … and spelt out in the PDF instead of a box.
        let text = pdftotext(&pdf);
        assert!(
            text.contains("[U+31350]"),
            "{what}: the missing character is not spelt out"
        );
    }
}

#[test]
fn the_json_answer_of_an_export_lists_the_unprintable_name() {
    let (dir, db) = day_with_rare_names();
    let pdf = dir.path().join("s.pdf");
    let r = cli_json(
        &db,
        &[
            "export",
            "sheet",
            "--checkpoint",
            "main",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let list = r["unprintable"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{r}");
    assert_eq!(list[0]["text"], UNPRINTABLE);
    assert_eq!(list[0]["code_points"][0], "U+31350");
}

#[test]
fn rare_names_are_found_by_their_other_characters_phone_digits_and_code() {
    let (_dir, db) = day_with_rare_names();
    let found = |q: &str, name: &str| {
        let hits = cli_json(&db, &["search", q, "--limit", "20"]);
        assert!(
            hits.as_array().unwrap().iter().any(|h| h["name"] == name),
            "{q} does not find {name}: {hits}"
        );
    };
    found("王𬀩", "王𬀩");
    found("𬀩", "王𬀩");
    found("张𬣙", "张𬣙明");
    found("7100", "王𬀩");
    found("wang", "王𬀩");
    let e = cli_json(&db, &["search", "7104", "--limit", "1"]);
    let code = e[0]["code"].as_str().unwrap().to_string();
    found(&code, "刘𬭚");
    // Typing "wang" is not the whole of 王𬀩: it is not an exact-name hit.
    let hits = cli_json(&db, &["search", "wang", "--limit", "50"]);
    let hit = hits
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "王𬀩")
        .unwrap();
    assert_ne!(hit["match_kind"], "exact_name", "{hit}");
}
