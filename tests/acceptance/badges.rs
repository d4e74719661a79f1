//! QR badges: eight to a page, the codes read back from the printed page by a real QR reader,
//! and each one checks its person in at the desk.

use std::process::Command;

use tongxin_tests::{cli_json, demo_day};

/// The demo day in a fresh database.
#[test]
fn every_badge_qr_code_scans_back_to_its_expert_and_checks_them_in() {
    let (dir, db) = demo_day();
    let pdf = dir.path().join("badges.pdf");
    let r = cli_json(
        &db,
        &[
            "badges",
            "--point",
            "2024-jinshan-p3",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let n = r["badges"].as_u64().unwrap();
    let roster = cli_json(&db, &["roster", "--point", "2024-jinshan-p3"]);
    assert_eq!(
        n as usize,
        roster.as_array().unwrap().len(),
        "one badge per person of the point"
    );
    assert_eq!(r["pages"], n.div_ceil(8));

    // The first page as a printer would see it, read by zbarimg.
    let png = dir.path().join("page");
    let ok = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(ok.success());
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(png.with_extension("png"))
        .output()
        .expect("zbarimg (zbar-tools, installed by .ci/setup)");
    let codes: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        codes.len(),
        8,
        "eight readable codes on a full page: {codes:?}"
    );
    let text = String::from_utf8(
        Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for payload in &codes {
        assert!(payload.starts_with("TX:E-"), "{payload}");
        let code = &payload[3..];
        assert!(text.contains(code), "the code is printed under its QR");
        let c = cli_json(&db, &["checkin", "--code", payload]);
        assert_eq!(c["expert"]["code"], code);
        let name = c["expert"]["name"].as_str().unwrap();
        assert!(text.contains(name), "{name} is on the badge page");
    }
}

#[test]
fn table_cards_are_one_folded_page_per_person() {
    let (dir, db) = demo_day();
    let pdf = dir.path().join("cards.pdf");
    let r = cli_json(
        &db,
        &[
            "badges",
            "--cards",
            "--point",
            "2024-jinshan-p5",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let n = r["badges"].as_u64().unwrap();
    assert_eq!(r["pages"], n);
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    assert!(info.contains(&format!("Pages:           {n}")), "{info}");
    let roster = cli_json(&db, &["roster", "--point", "2024-jinshan-p5"]);
    let first = roster
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    let page1 = String::from_utf8(
        Command::new("pdftotext")
            .args(["-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        first
            .iter()
            .any(|name| page1.matches(name.as_str()).count() >= 1),
        "{page1}"
    );
}
