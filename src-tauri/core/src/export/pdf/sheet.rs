//! The attendance sheet's layout: title and subtitle, a bordered table whose header repeats on
//! every page, long organisations wrapped, rows tall enough to sign, 第 N 页 共 M 页 at the foot.

use super::canvas::{render, Op, PAGE_H, PAGE_W};
use super::font::Metrics;
use crate::export::{AttendanceSheet, SheetKind};
use crate::Result;

const MARGIN_X: f32 = 36.0;
const MARGIN_TOP: f32 = 42.0;
const MARGIN_BOTTOM: f32 = 46.0;
const BODY_SIZE: f32 = 10.0;
const LINE: f32 = 13.0;
const PAD: f32 = 4.0;

/// Column widths in points on A4 portrait (523 pt between the margins); 单位 takes the rest.
fn column_widths(headers: &[&str]) -> Vec<f32> {
    let table_w = PAGE_W - 2.0 * MARGIN_X;
    let group = headers.contains(&"组别");
    let fixed = |h: &str| match h {
        "序号" => Some(26.0),
        "姓名" => Some(58.0),
        "职务/职称" => Some(if group { 72.0 } else { 84.0 }),
        "联系电话" => Some(72.0),
        "组别" => Some(58.0),
        "签到时间" => Some(48.0),
        "签名" | "备注" => Some(if group { 60.0 } else { 74.0 }),
        _ => None,
    };
    let used: f32 = headers.iter().filter_map(|h| fixed(h)).sum();
    headers
        .iter()
        .map(|h| fixed(h).unwrap_or(table_w - used))
        .collect()
}

/// One sheet laid out into pages of drawing operations.
fn layout(m: &Metrics, s: &AttendanceSheet) -> Vec<Vec<Op>> {
    let headers = s.headers();
    let widths = column_widths(&headers);
    let min_row = match s.kind {
        SheetKind::Blank => 30.0,
        SheetKind::Record => 22.0,
    };
    let mut pages: Vec<Vec<Op>> = Vec::new();
    let mut ops: Vec<Op> = Vec::new();
    let centre = |ops: &mut Vec<Op>, y, size, bold, grey, text: &str| {
        let w = m.width(text, size);
        ops.push(Op::Text {
            x: (PAGE_W - w) / 2.0,
            y,
            size,
            bold,
            grey,
            text: text.to_string(),
        });
    };
    let header_row = |ops: &mut Vec<Op>, top: f32| -> f32 {
        let h = 22.0;
        let mut x = MARGIN_X;
        for (j, t) in headers.iter().enumerate() {
            ops.push(Op::Rect {
                x,
                y: top - h,
                w: widths[j],
                h,
                fill: true,
            });
            let tw = m.width(t, BODY_SIZE);
            ops.push(Op::Text {
                x: x + (widths[j] - tw) / 2.0,
                y: top - h + 7.5,
                size: BODY_SIZE,
                bold: true,
                grey: false,
                text: t.to_string(),
            });
            x += widths[j];
        }
        top - h
    };
    let mut y = PAGE_H - MARGIN_TOP;
    centre(&mut ops, y - 16.0, 16.0, true, false, &s.title);
    centre(&mut ops, y - 36.0, 10.0, false, true, &s.subtitle);
    y = header_row(&mut ops, y - 48.0);
    for i in 0..s.total_rows() {
        let no = (i + 1).to_string();
        let mut cells = vec![no.as_str()];
        cells.extend(s.cells(i));
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .enumerate()
            .map(|(j, c)| m.wrap(c, BODY_SIZE, widths[j] - 2.0 * PAD))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let h = (lines as f32 * LINE + 2.0 * PAD + 2.0).max(min_row);
        if y - h < MARGIN_BOTTOM {
            pages.push(std::mem::take(&mut ops));
            y = PAGE_H - MARGIN_TOP;
            // Later pages: the sheet's name small, then the header again.
            centre(
                &mut ops,
                y - 10.0,
                9.0,
                false,
                true,
                &format!("{} · {}", s.title, s.checkpoint),
            );
            y = header_row(&mut ops, y - 18.0);
        }
        let mut x = MARGIN_X;
        for (j, text) in wrapped.iter().enumerate() {
            ops.push(Op::Rect {
                x,
                y: y - h,
                w: widths[j],
                h,
                fill: false,
            });
            let block = text.len() as f32 * LINE;
            let mut ty = y - (h - block) / 2.0 - LINE + 3.0;
            for l in text {
                let centred = matches!(headers[j], "序号" | "联系电话" | "签到时间" | "组别");
                let tx = if centred {
                    x + (widths[j] - m.width(l, BODY_SIZE)) / 2.0
                } else {
                    x + PAD
                };
                ops.push(Op::Text {
                    x: tx,
                    y: ty,
                    size: BODY_SIZE,
                    bold: headers[j] == "姓名",
                    grey: false,
                    text: l.clone(),
                });
                ty -= LINE;
            }
            x += widths[j];
        }
        y -= h;
    }
    pages.push(ops);
    pages
}

/// The sheets as one PDF; each sheet starts on a new page and counts its own pages.
pub fn write(sheets: &[AttendanceSheet]) -> Result<Vec<u8>> {
    let m = Metrics::new()?;
    // Lay out every sheet, then number its pages.
    let mut pages: Vec<Vec<Op>> = Vec::new();
    for s in sheets {
        let mut sheet_pages = layout(&m, s);
        let n = sheet_pages.len();
        for (i, p) in sheet_pages.iter_mut().enumerate() {
            let foot = format!("第 {} 页 共 {} 页", i + 1, n);
            let w = m.width(&foot, 9.0);
            p.push(Op::Text {
                x: (PAGE_W - w) / 2.0,
                y: MARGIN_BOTTOM - 24.0,
                size: 9.0,
                bold: false,
                grey: true,
                text: foot,
            });
        }
        pages.extend(sheet_pages);
    }
    let title = sheets
        .first()
        .map(|s| format!("{} {}", s.title, s.checkpoint))
        .unwrap_or_default();
    render(&m, pages, &title)
}
