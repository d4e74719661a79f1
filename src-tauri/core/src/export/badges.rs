//! Name badges: eight to an A4 page with cutting guides — the event, the name large, title and
//! organisation, the theme group and service point (with departure and bus), and the QR code
//! the check-in desk scans (`TX:E-0042`, the same payload the scanner path reads).

use qrcode::{types::Color, EcLevel, QrCode};
use serde::Serialize;

use super::pdf::{render, Metrics, Op, PAGE_H, PAGE_W};
use crate::{checkin, pinyin, store, Db, Error, Result};

const MARGIN: f32 = 28.0;
const COLS: usize = 2;
const ROWS: usize = 4;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Badge {
    pub code: String,
    pub name: String,
    pub title: String,
    pub organisation: String,
    /// 低空经济组 · 御风未来
    pub group: String,
    /// 13:00 发车 · 1号车
    pub departure: String,
}

/// Badges whose texts a PDF cannot print in full (see [`super::pdf::unprintable`]).
pub fn unprintable(list: &[Badge]) -> Result<Vec<super::pdf::Unprintable>> {
    super::pdf::unprintable(
        list.iter()
            .flat_map(|b| [b.name.as_str(), b.title.as_str(), b.organisation.as_str()]),
    )
}

/// The badges of everyone signed up for the event (of one service point when given), by group
/// then by pinyin.
pub fn badges(db: &Db, event_id: &str, point_id: Option<&str>) -> Result<Vec<Badge>> {
    let c = db.conn();
    store::event::get(c, event_id)?.ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    let points = store::point::list_for_event(c, event_id)?;
    if let Some(p) = point_id {
        if !points.iter().any(|x| x.id == p) {
            return Err(Error::PointNotFound(p.to_string()));
        }
    }
    let themes = store::theme::list(c)?;
    let mut out = Vec::new();
    for s in store::signup::for_event(c, event_id)? {
        if point_id.is_some() && s.point_id.as_deref() != point_id {
            continue;
        }
        let Some(e) = store::expert::get(c, &s.expert_id)? else {
            continue;
        };
        let point = s
            .point_id
            .as_ref()
            .and_then(|id| points.iter().position(|p| &p.id == id));
        let (group, departure) = match point.map(|i| &points[i]) {
            Some(p) => {
                let theme = p
                    .theme_id
                    .as_ref()
                    .and_then(|t| themes.iter().find(|x| &x.id == t))
                    .map(|t| format!("{}组 · ", t.name))
                    .unwrap_or_default();
                let short = if p.short_name.is_empty() {
                    &p.name
                } else {
                    &p.short_name
                };
                let dep = [
                    (!p.depart_time.is_empty()).then(|| format!("{} 发车", p.depart_time)),
                    (!p.bus.is_empty()).then(|| p.bus.clone()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
                (format!("{theme}{short}"), dep)
            }
            None => ("主会场".to_string(), String::new()),
        };
        out.push((
            point.unwrap_or(usize::MAX),
            pinyin::full_and_initials(&pinyin::normalise(&e.name)).0,
            Badge {
                code: e.code,
                name: e.name,
                title: e.title,
                organisation: e.organisation,
                group,
                departure,
            },
        ));
    }
    out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Ok(out.into_iter().map(|(_, _, b)| b).collect())
}

fn qr(ops: &mut Vec<Op>, payload: &str, x: f32, y: f32, size: f32) -> Result<()> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| Error::Export(format!("二维码生成失败：{e}")))?;
    let n = code.width();
    let module = size / n as f32;
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == Color::Dark {
            let (row, col) = (i / n, i % n);
            ops.push(Op::Block {
                x: x + col as f32 * module,
                // PDF y grows upwards; row 0 is the top.
                y: y + size - (row + 1) as f32 * module,
                w: module + 0.05, // no hairline gaps between modules
            });
        }
    }
    Ok(())
}

/// The badges as a PDF, eight per A4 page.
pub fn pdf(event_name: &str, badges: &[Badge]) -> Result<Vec<u8>> {
    let m = Metrics::new()?;
    let cell_w = (PAGE_W - 2.0 * MARGIN) / COLS as f32;
    let cell_h = (PAGE_H - 2.0 * MARGIN) / ROWS as f32;
    let text = |ops: &mut Vec<Op>, x: f32, y: f32, size: f32, bold: bool, grey: bool, t: &str| {
        ops.push(Op::Text {
            x,
            y,
            size,
            bold,
            grey,
            text: t.to_string(),
        })
    };
    let mut pages = Vec::new();
    for chunk in badges.chunks(COLS * ROWS) {
        let mut ops = Vec::new();
        // Cutting guides between the badges.
        for c in 0..=COLS {
            let x = MARGIN + c as f32 * cell_w;
            ops.push(Op::Dash {
                x1: x,
                y1: MARGIN,
                x2: x,
                y2: PAGE_H - MARGIN,
            });
        }
        for r in 0..=ROWS {
            let y = MARGIN + r as f32 * cell_h;
            ops.push(Op::Dash {
                x1: MARGIN,
                y1: y,
                x2: PAGE_W - MARGIN,
                y2: y,
            });
        }
        for (k, b) in chunk.iter().enumerate() {
            let (col, row) = (k % COLS, k / COLS);
            let x0 = MARGIN + col as f32 * cell_w + 16.0;
            let top = PAGE_H - MARGIN - row as f32 * cell_h - 16.0;
            let qr_size = 88.0;
            // The text keeps clear of the code's quiet zone (four modules, ~14 pt).
            let text_w = cell_w - 32.0 - qr_size - 18.0;
            let event = m.wrap(event_name, 9.0, cell_w - 32.0);
            text(&mut ops, x0, top - 9.0, 9.0, false, true, &event[0]);
            // The name as large as fits.
            let mut size: f32 = 26.0;
            while size > 14.0 && m.width(&b.name, size) > text_w {
                size -= 1.0;
            }
            text(&mut ops, x0, top - 22.0 - size, size, true, false, &b.name);
            let mut y = top - 30.0 - size - 12.0;
            if !b.title.is_empty() {
                text(&mut ops, x0, y, 10.5, false, true, &b.title);
                y -= 15.0;
            }
            for line in m.wrap(&b.organisation, 10.5, text_w).iter().take(2) {
                text(&mut ops, x0, y, 10.5, false, false, line);
                y -= 14.0;
            }
            let bottom = top - cell_h + 32.0;
            text(&mut ops, x0, bottom + 14.0, 11.0, true, false, &b.group);
            if !b.departure.is_empty() {
                text(&mut ops, x0, bottom, 9.5, false, true, &b.departure);
            }
            let qx = MARGIN + (col + 1) as f32 * cell_w - 16.0 - qr_size;
            let qy = top - 24.0 - qr_size;
            qr(&mut ops, &checkin::qr_payload(&b.code), qx, qy, qr_size)?;
            let cw = m.width(&b.code, 9.0);
            text(
                &mut ops,
                qx + (qr_size - cw) / 2.0,
                qy - 12.0,
                9.0,
                false,
                true,
                &b.code,
            );
        }
        pages.push(ops);
    }
    render(&m, pages, &format!("{event_name} 胸卡"))
}

/// Table cards (桌签): one A4 page each, folded along the middle into a tent — the name large
/// on both faces (the far face upside down, so it reads right once folded), the organisation
/// under it.
pub fn table_cards_pdf(event_name: &str, badges: &[Badge]) -> Result<Vec<u8>> {
    let m = Metrics::new()?;
    let mid = PAGE_H / 2.0;
    let mut pages = Vec::new();
    for b in badges {
        let mut ops = Vec::new();
        ops.push(Op::Dash {
            x1: MARGIN,
            y1: mid,
            x2: PAGE_W - MARGIN,
            y2: mid,
        });
        let mut size: f32 = 96.0;
        while size > 40.0 && m.width(&b.name, size) > PAGE_W - 2.0 * MARGIN - 40.0 {
            size -= 4.0;
        }
        let name_w = m.width(&b.name, size);
        let org = m.wrap(&b.organisation, 20.0, PAGE_W - 2.0 * MARGIN - 40.0);
        let org = org.first().cloned().unwrap_or_default();
        let org_w = m.width(&org, 20.0);
        // The near face, upright, in the lower half.
        let base = mid - 60.0 - size;
        ops.push(Op::Text {
            x: (PAGE_W - name_w) / 2.0,
            y: base,
            size,
            bold: true,
            grey: false,
            text: b.name.clone(),
        });
        ops.push(Op::Text {
            x: (PAGE_W - org_w) / 2.0,
            y: base - 40.0,
            size: 20.0,
            bold: false,
            grey: true,
            text: org.clone(),
        });
        // The far face: the same, turned about the fold.
        ops.push(Op::TextFlipped {
            x: (PAGE_W + name_w) / 2.0,
            y: 2.0 * mid - base,
            size,
            text: b.name.clone(),
        });
        ops.push(Op::TextFlipped {
            x: (PAGE_W + org_w) / 2.0,
            y: 2.0 * mid - (base - 40.0),
            size: 20.0,
            text: org,
        });
        pages.push(ops);
    }
    render(&m, pages, &format!("{event_name} 桌签"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_is_drawn_as_dark_modules_inside_its_square() {
        let mut ops = Vec::new();
        qr(&mut ops, "TX:E-0042", 100.0, 200.0, 80.0).unwrap();
        assert!(
            ops.len() > 100,
            "a 21×21 code has a few hundred dark modules"
        );
        for op in &ops {
            match op {
                Op::Block { x, y, w } => {
                    assert!(*x >= 100.0 && *x + *w <= 180.1, "{x}");
                    assert!(*y >= 199.9 && *y + *w <= 280.1, "{y}");
                }
                _ => panic!("only modules"),
            }
        }
    }
}
