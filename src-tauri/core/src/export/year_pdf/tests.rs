use super::*;
use crate::report::{Counted, Figures};

fn line(key: &str, a: i64, p: i64) -> Line {
    Line {
        key: key.into(),
        figures: Figures {
            activities: a,
            participations: p,
            enterprises: a * 3,
            people: p * 5,
        },
    }
}

fn sample() -> YearReport {
    let f = Figures {
        activities: 3,
        participations: 140,
        enterprises: 9,
        people: 700,
    };
    YearReport {
        year: 2024,
        district: None,
        activities: 3,
        participations: 140,
        experts: 90,
        enterprises: 9,
        people: 700,
        suggestions: 4,
        adopted: 1,
        by_district: vec![line("金山区", 2, 120), line("浦东新区", 1, 20)],
        by_kind: vec![line("科技服务", 2, 120), line("健康义诊", 1, 20)],
        by_month: (1..=12)
            .map(|m| line(&format!("2024-{m:02}"), i64::from(m == 9), 0))
            .collect(),
        sentence: crate::report::sentence(2024, &f),
        sentence_en: crate::report::sentence_en(2024, &f),
        items: vec![Counted {
            id: "a".into(),
            source: Source::Ledger,
            date: "2024-09-20".into(),
            district: "金山区".into(),
            name: "金山区专家服务日".into(),
            kind: "科技服务".into(),
            participations: 120,
            enterprises: 6,
            people: 600,
        }],
        left_out: Vec::new(),
    }
}

#[test]
fn figures_are_printed_with_thousands_separators() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(4120), "4,120");
    assert_eq!(thousands(1_234_567), "1,234,567");
}

#[test]
fn the_english_report_names_districts_kinds_and_months_in_english() {
    assert_eq!(district_name(Lang::En, "金山区"), "Jinshan");
    assert_eq!(district_name(Lang::En, "浦东新区"), "Pudong New Area");
    assert_eq!(district_name(Lang::En, "市级"), "City-wide");
    assert_eq!(district_name(Lang::Zh, "金山区"), "金山区");
    assert_eq!(kind_name(Lang::En, "健康义诊"), "Health clinics");
    assert_eq!(
        kind_name(Lang::En, "乡村振兴"),
        "乡村振兴",
        "a typed kind stays"
    );
    assert_eq!(month_name(Lang::En, "2024-09"), "Sep");
    assert_eq!(month_name(Lang::Zh, "2024-09"), "9月");
    assert_eq!(Lang::from_code("en-GB"), Lang::En);
    assert_eq!(Lang::from_code("zh-CN"), Lang::Zh);
}

#[test]
fn english_lines_break_between_words() {
    let m = Metrics::new().unwrap();
    let f = Flow::new(&m, Lang::En, String::new());
    let lines = f.wrap(&sample().sentence_en, 11.5, 200.0);
    assert!(lines.len() > 2);
    for l in &lines {
        assert!(!l.starts_with(' ') && !l.ends_with(' '), "{l:?}");
        assert!(m.width(l, 11.5) <= 200.0, "{l:?}");
    }
    assert_eq!(lines.join(" "), sample().sentence_en);
}

#[test]
fn the_report_is_a_pdf_with_fonts_embedded_and_coloured_vector_charts() {
    for lang in [Lang::Zh, Lang::En] {
        let pdf = write(&sample(), lang).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("/FontFile3") && text.contains("/FontFile2"),
            "both faces embedded"
        );
        assert!(
            text.contains("/MediaBox [0 0 595.28 841.89]"),
            "A4 portrait"
        );
    }
}

#[test]
fn a_year_without_activities_still_makes_a_report() {
    let mut r = sample();
    r.by_district.clear();
    r.by_kind.clear();
    r.items.clear();
    for l in &mut r.by_month {
        l.figures = Figures::default();
    }
    let pdf = write(&r, Lang::Zh).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn the_charts_draw_in_colour_as_paths() {
    let m = Metrics::new().unwrap();
    let mut f = Flow::new(&m, Lang::Zh, String::new());
    let r = sample();
    let d: Vec<(String, &Line)> = r.by_district.iter().map(|l| (l.key.clone(), l)).collect();
    charts::bars(&mut f, Lang::Zh, &d);
    // Two districts × two bars, two legend keys.
    let areas = f
        .ops
        .iter()
        .filter(|o| matches!(o, Op::Area { .. }))
        .count();
    assert_eq!(areas, 6);
    // The longest bar of a panel is the largest figure's.
    let widths: Vec<f32> = f
        .ops
        .iter()
        .filter_map(|o| match o {
            Op::Area { points, rgb }
                if *rgb == charts::BRAND && points[1].0 - points[0].0 > 7.5 =>
            {
                Some(points[1].0 - points[0].0)
            }
            _ => None,
        })
        .collect();
    assert_eq!(widths.len(), 2);
    assert!(
        (widths[0] / widths[1] - 2.0).abs() < 0.01,
        "2 activities against 1: {widths:?}"
    );
    let mut f = Flow::new(&m, Lang::Zh, String::new());
    let k: Vec<(String, &Line)> = r.by_kind.iter().map(|l| (l.key.clone(), l)).collect();
    charts::pie(&mut f, Lang::Zh, &k);
    let slices: Vec<usize> = f
        .ops
        .iter()
        .filter_map(|o| match o {
            Op::Area { points, .. } if points.len() > 4 => Some(points.len()),
            _ => None,
        })
        .collect();
    assert_eq!(slices.len(), 2, "one slice per kind");
    assert!(slices[0] > slices[1], "the larger share has the longer arc");
}

#[test]
fn chinese_lines_never_break_inside_a_number_or_before_a_comma() {
    let m = Metrics::new().unwrap();
    let f = Flow::new(&m, Lang::Zh, String::new());
    let s = "2024年，同心专家服务团共开展专业服务活动211场，参与党外知识分子4504人次，服务企业5749家，服务群众22628人。";
    for max in [120.0, 160.0, 200.0, 260.0, 320.0, 400.0] {
        let lines = f.wrap(s, 11.5, max);
        assert_eq!(lines.concat(), s);
        for pair in lines.windows(2) {
            let (a, b) = (
                pair[0].chars().last().unwrap(),
                pair[1].chars().next().unwrap(),
            );
            assert!(
                !(a.is_ascii_digit() && b.is_ascii_digit()),
                "{max}: {lines:?}"
            );
            assert!(!"，。".contains(b), "{max}: {lines:?}");
        }
        for l in &lines {
            assert!(m.width(l, 11.5) <= max, "{l}");
        }
    }
}
