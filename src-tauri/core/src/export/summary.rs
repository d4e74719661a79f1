//! The day in numbers, filed after it: 应到 / 实到 / 现场补录 per group and service point, per
//! party and per organisation; arrivals per 10 minutes; revoked check-ins with their reasons.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use crate::{clock, store, Checkpoint, Db, Error, Result};

/// 应到 / 实到 / 现场补录 for one line of a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Line {
    pub label: String,
    pub expected: i64,
    pub present: i64,
    pub walk_ins: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupLine {
    pub theme: String,
    pub point: String,
    pub capacity: i64,
    pub expected: i64,
    /// Of those signed up here, checked in at the venue in the morning.
    pub present_morning: i64,
    /// Checked in at the service point (on the bus / arrived).
    pub present_at_point: i64,
    pub walk_ins: i64,
    pub waiting: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// Shanghai HH:MM, the start of the 10 minutes.
    pub from: String,
    pub arrivals: i64,
    pub cumulative: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevokedLine {
    pub name: String,
    pub organisation: String,
    pub checkpoint: String,
    pub checked_in_at: String,
    pub desk: String,
    pub revoked_at: String,
    pub revoked_by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub event_id: String,
    pub event_name: String,
    pub date: String,
    /// The morning check-in at the venue.
    pub venue: Line,
    pub groups: Vec<GroupLine>,
    pub parties: Vec<Line>,
    pub organisations: Vec<Line>,
    pub timeline: Vec<Bin>,
    pub revoked: Vec<RevokedLine>,
}

pub fn summary(db: &Db, event_id: &str) -> Result<Summary> {
    let c = db.conn();
    let event = store::event::get(c, event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    let t = crate::attendance::attendance(db, event_id, &Checkpoint::Main)?;
    let venue = Line {
        label: event.short_name.clone(),
        expected: t.expected,
        present: t.present,
        walk_ins: t.walk_ins,
    };
    let points = store::point::list_for_event(c, event_id)?;
    let mut groups = Vec::new();
    for g in t.groups {
        let at = crate::attendance::attendance(db, event_id, &Checkpoint::Point(g.point_id))?;
        groups.push(GroupLine {
            theme: g.theme_name.unwrap_or_default(),
            point: g.point_name,
            capacity: g.capacity,
            expected: g.expected,
            present_morning: g.present,
            present_at_point: at.present,
            walk_ins: at.walk_ins,
            waiting: g.waiting,
        });
    }

    // Per party and organisation: who was expected, who came to the venue (walk-ins too).
    let expected = store::export::expected(c, event_id, None, None, true)?;
    let extra = store::export::present(c, event_id, None)?;
    let mut parties: BTreeMap<String, Line> = BTreeMap::new();
    let mut orgs: BTreeMap<String, Line> = BTreeMap::new();
    let ids: std::collections::HashSet<&str> =
        expected.iter().map(|p| p.expert_id.as_str()).collect();
    let people = expected.iter().map(|p| (p, true)).chain(
        extra
            .iter()
            .filter(|p| !ids.contains(p.expert_id.as_str()))
            .map(|p| (p, false)),
    );
    for (p, was_expected) in people {
        for (map, key, blank) in [
            (&mut parties, &p.party, "（未填党派）"),
            (&mut orgs, &p.organisation, "（未填单位）"),
        ] {
            let label = if key.trim().is_empty() {
                blank
            } else {
                key.as_str()
            };
            let l = map.entry(label.to_string()).or_insert_with(|| Line {
                label: label.to_string(),
                ..Line::default()
            });
            l.expected += i64::from(was_expected);
            l.present += i64::from(p.at.is_some());
            l.walk_ins += i64::from(p.at.is_some() && p.walk_in);
        }
    }
    let by_size = |m: BTreeMap<String, Line>| {
        let mut v: Vec<Line> = m.into_values().collect();
        v.sort_by(|a, b| b.expected.cmp(&a.expected).then(a.label.cmp(&b.label)));
        v
    };

    let mut bins: BTreeMap<String, i64> = BTreeMap::new();
    for at in store::export::venue_times(c, event_id)? {
        let hm = clock::local_hm(&at);
        let from = format!("{}0", &hm[..hm.len().saturating_sub(1)]);
        *bins.entry(from).or_default() += 1;
    }
    let mut cumulative = 0;
    let timeline = bins
        .into_iter()
        .map(|(from, arrivals)| {
            cumulative += arrivals;
            Bin {
                from,
                arrivals,
                cumulative,
            }
        })
        .collect();

    let point_name = |id: &Option<String>| match id {
        None => event.short_name.clone(),
        Some(id) => points
            .iter()
            .find(|p| &p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
    };
    let revoked = store::export::revoked(c, event_id)?
        .into_iter()
        .map(|r| RevokedLine {
            checkpoint: point_name(&r.point_id),
            name: r.name,
            organisation: r.organisation,
            checked_in_at: clock::local_hm(&r.checked_in_at),
            desk: r.desk_name,
            revoked_at: clock::local_hm(&r.revoked_at),
            revoked_by: r.revoked_by,
            reason: r.reason,
        })
        .collect();
    Ok(Summary {
        event_id: event.id.clone(),
        event_name: crate::demo::printed_name(&event),
        date: event.date.clone(),
        venue,
        groups,
        parties: by_size(parties),
        organisations: by_size(orgs),
        timeline,
        revoked,
    })
}

struct Styles {
    title: Format,
    head: Format,
    text: Format,
    num: Format,
}

fn table(
    ws: &mut Worksheet,
    st: &Styles,
    title: &str,
    heads: &[(&str, f64)],
    rows: &[Vec<Cell>],
) -> std::result::Result<(), XlsxError> {
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页 共 &N 页");
    ws.merge_range(0, 0, 0, (heads.len() - 1) as u16, title, &st.title)?;
    ws.set_row_height(0, 28)?;
    for (j, (h, w)) in heads.iter().enumerate() {
        ws.set_column_width(j as u16, *w)?;
        ws.write_string_with_format(1, j as u16, *h, &st.head)?;
    }
    ws.set_repeat_rows(1, 1)?;
    for (i, r) in rows.iter().enumerate() {
        for (j, v) in r.iter().enumerate() {
            let (row, col) = (2 + i as u32, j as u16);
            match v {
                Cell::Text(s) => ws.write_string_with_format(row, col, s, &st.text)?,
                Cell::Num(n) => ws.write_number_with_format(row, col, *n as f64, &st.num)?,
            };
        }
    }
    Ok(())
}

enum Cell {
    Text(String),
    Num(i64),
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn line_rows(lines: &[Line]) -> Vec<Vec<Cell>> {
    lines
        .iter()
        .map(|l| {
            vec![
                t(&l.label),
                Cell::Num(l.expected),
                Cell::Num(l.present),
                Cell::Num(l.walk_ins),
            ]
        })
        .collect()
}

/// The summary workbook: 概况, 按党派, 按单位, 签到时间线, 撤销记录. Text is written as string
/// cells, counts as numbers; no formulas.
pub fn write_xlsx(s: &Summary) -> Result<Vec<u8>> {
    let font = "Microsoft YaHei";
    let base = Format::new()
        .set_font_name(font)
        .set_font_size(11)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let st = Styles {
        title: Format::new()
            .set_font_name(font)
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        head: base
            .clone()
            .set_bold()
            .set_background_color(0xEEF1F5)
            .set_align(FormatAlign::Center),
        text: base.clone().set_text_wrap(),
        num: base.set_align(FormatAlign::Center),
    };
    let e = |e: XlsxError| Error::Export(format!("生成汇总表失败：{e}"));
    let mut wb = Workbook::new();
    let title = |what: &str| {
        format!(
            "{} · {} · {what}",
            s.event_name,
            super::chinese_date(&s.date)
        )
    };

    let mut rows = vec![vec![
        t("全体（主会场签到）"),
        t(""),
        t(""),
        Cell::Num(s.venue.expected),
        Cell::Num(s.venue.present),
        t(""),
        Cell::Num(s.venue.walk_ins),
        t(""),
    ]];
    rows.extend(s.groups.iter().map(|g| {
        vec![
            t(&g.theme),
            t(&g.point),
            Cell::Num(g.capacity),
            Cell::Num(g.expected),
            Cell::Num(g.present_morning),
            Cell::Num(g.present_at_point),
            Cell::Num(g.walk_ins),
            Cell::Num(g.waiting),
        ]
    }));
    let ws = wb.add_worksheet().set_name("概况").map_err(e)?;
    table(
        ws,
        &st,
        &title("签到汇总"),
        &[
            ("专题组", 14.0),
            ("服务点位", 30.0),
            ("名额", 7.0),
            ("应到", 7.0),
            ("上午实到", 10.0),
            ("点位实到", 10.0),
            ("现场补录", 10.0),
            ("候补", 7.0),
        ],
        &rows,
    )
    .map_err(e)?;

    let heads = [("", 30.0), ("应到", 8.0), ("实到", 8.0), ("现场补录", 10.0)];
    for (name, label, lines) in [
        ("按党派", "党派", &s.parties),
        ("按单位", "单位", &s.organisations),
    ] {
        let mut h = heads;
        h[0].0 = label;
        let ws = wb.add_worksheet().set_name(name).map_err(e)?;
        table(ws, &st, &title(name), &h, &line_rows(lines)).map_err(e)?;
    }

    let rows: Vec<Vec<Cell>> = s
        .timeline
        .iter()
        .map(|b| vec![t(&b.from), Cell::Num(b.arrivals), Cell::Num(b.cumulative)])
        .collect();
    let ws = wb.add_worksheet().set_name("签到时间线").map_err(e)?;
    table(
        ws,
        &st,
        &title("主会场每 10 分钟到达"),
        &[("时段起", 10.0), ("到达", 8.0), ("累计", 8.0)],
        &rows,
    )
    .map_err(e)?;

    let rows: Vec<Vec<Cell>> = s
        .revoked
        .iter()
        .map(|r| {
            vec![
                t(&r.name),
                t(&r.organisation),
                t(&r.checkpoint),
                t(&r.checked_in_at),
                t(&r.desk),
                t(&r.revoked_at),
                t(&r.revoked_by),
                t(&r.reason),
            ]
        })
        .collect();
    let ws = wb.add_worksheet().set_name("撤销记录").map_err(e)?;
    table(
        ws,
        &st,
        &title("撤销的签到"),
        &[
            ("姓名", 10.0),
            ("单位", 24.0),
            ("签到点", 16.0),
            ("签到时间", 9.0),
            ("签到台", 10.0),
            ("撤销时间", 9.0),
            ("撤销台", 10.0),
            ("原因", 24.0),
        ],
        &rows,
    )
    .map_err(e)?;
    wb.save_to_buffer().map_err(e)
}
