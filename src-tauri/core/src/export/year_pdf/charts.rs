//! The report's charts as vector drawing: bars by district (activities beside participations,
//! each on its own scale), a pie of the kinds of service with its legend, and the months as a
//! line of participations over columns of activities. Every mark carries its figure, so the
//! page reads without axes to estimate from.

use super::{rect, thousands, Flow, Lang, MARGIN_X, WIDTH};
use crate::export::pdf::Op;
use crate::report::Line;

fn rgb(hex: u32) -> [f32; 3] {
    [
        ((hex >> 16) & 0xff) as f32 / 255.0,
        ((hex >> 8) & 0xff) as f32 / 255.0,
        (hex & 0xff) as f32 / 255.0,
    ]
}

/// The screen's colours (统计 uses the same).
pub(super) const BRAND: [f32; 3] = [0.722, 0.153, 0.173];
const BLUE: [f32; 3] = [0.184, 0.357, 0.604];
const GRID: [f32; 3] = [0.86, 0.88, 0.91];
const PALETTE: [u32; 8] = [
    0xb8272c, 0x2f5b9a, 0x1c7a4a, 0xa35a00, 0x6d4bb3, 0x0e7490, 0xb4536b, 0x5b6474,
];

/// A legend's colour key and its label.
fn key(f: &mut Flow, x: f32, y: f32, colour: [f32; 3], label: &str) {
    f.ops.push(Op::Area {
        points: rect(x, y, 7.0, 7.0),
        rgb: colour,
    });
    f.text(x + 11.0, y, 8.5, false, true, label);
}

/// What to draw when a breakdown has no line.
fn empty(f: &mut Flow, lang: Lang) {
    f.need(24.0);
    let y = f.y - 14.0;
    f.text(
        MARGIN_X,
        y,
        9.5,
        false,
        true,
        lang.pick("（本年没有活动）", "(no activity this year)"),
    );
    f.y -= 22.0;
}

/// Each district a row: its name, then a bar of activities and a bar of participations.
pub(super) fn bars(f: &mut Flow, lang: Lang, lines: &[(String, &Line)]) {
    if lines.is_empty() {
        return empty(f, lang);
    }
    let row = 14.0;
    let label_w = 92.0;
    let gap = 24.0;
    let panel = (WIDTH - label_w - gap) / 2.0;
    let value_room = 44.0;
    let h = 18.0 + lines.len() as f32 * row;
    f.need(h);
    let top = f.y;
    let heads = [
        (lang.pick("活动（场）", "Activities"), BRAND),
        (lang.pick("参与（人次）", "Participations"), BLUE),
    ];
    let max = [
        lines
            .iter()
            .map(|(_, l)| l.figures.activities)
            .max()
            .unwrap_or(0),
        lines
            .iter()
            .map(|(_, l)| l.figures.participations)
            .max()
            .unwrap_or(0),
    ];
    for (p, (head, colour)) in heads.iter().enumerate() {
        let x0 = MARGIN_X + label_w + p as f32 * (panel + gap);
        key(f, x0, top - 10.0, *colour, head);
        f.ops.push(Op::Polyline {
            points: vec![(x0, top - 16.0), (x0, top - h + 1.0)],
            rgb: GRID,
            width: 0.6,
        });
    }
    for (i, (name, l)) in lines.iter().enumerate() {
        let y = top - 18.0 - (i as f32 + 1.0) * row;
        f.text(MARGIN_X, y + 3.5, 9.0, false, false, name);
        let values = [l.figures.activities, l.figures.participations];
        for (p, (_, colour)) in heads.iter().enumerate() {
            let x0 = MARGIN_X + label_w + p as f32 * (panel + gap);
            let w = if max[p] > 0 {
                (panel - value_room) * values[p] as f32 / max[p] as f32
            } else {
                0.0
            };
            if w > 0.0 {
                f.ops.push(Op::Area {
                    points: rect(x0, y + 2.0, w.max(1.0), row - 4.0),
                    rgb: *colour,
                });
            }
            f.text(
                x0 + w + 4.0,
                y + 3.5,
                8.5,
                false,
                false,
                &thousands(values[p]),
            );
        }
    }
    f.y -= h;
}

/// A wedge of a circle as a polygon, fine enough to print smooth (≤ 2° a step).
fn wedge(cx: f32, cy: f32, r: f32, from: f32, to: f32) -> Vec<(f32, f32)> {
    let steps = (((to - from).abs() / 2f32.to_radians()).ceil() as usize).max(2);
    let mut pts = vec![(cx, cy)];
    for s in 0..=steps {
        let a = from + (to - from) * s as f32 / steps as f32;
        pts.push((cx + r * a.cos(), cy + r * a.sin()));
    }
    pts
}

/// The kinds of service as slices of their activities, the legend with count and share.
pub(super) fn pie(f: &mut Flow, lang: Lang, lines: &[(String, &Line)]) {
    let total: i64 = lines.iter().map(|(_, l)| l.figures.activities).sum();
    if lines.is_empty() || total == 0 {
        return empty(f, lang);
    }
    let r: f32 = 62.0;
    let legend_row = 15.0;
    let h = (2.0 * r + 12.0).max(lines.len() as f32 * legend_row + 8.0);
    f.need(h);
    let top = f.y;
    let (cx, cy) = (MARGIN_X + 20.0 + r, top - 6.0 - r);
    // Clockwise from twelve o'clock, as the screen draws it.
    let mut a = std::f32::consts::FRAC_PI_2;
    for (i, (_, l)) in lines.iter().enumerate() {
        let share = l.figures.activities as f32 / total as f32;
        let to = a - share * std::f32::consts::TAU;
        f.ops.push(Op::Area {
            points: wedge(cx, cy, r, a, to),
            rgb: rgb(PALETTE[i % PALETTE.len()]),
        });
        a = to;
    }
    // White seams between slices.
    if lines.len() > 1 {
        let mut a = std::f32::consts::FRAC_PI_2;
        for (_, l) in lines {
            f.ops.push(Op::Polyline {
                points: vec![(cx, cy), (cx + r * a.cos(), cy + r * a.sin())],
                rgb: [1.0, 1.0, 1.0],
                width: 1.2,
            });
            a -= l.figures.activities as f32 / total as f32 * std::f32::consts::TAU;
        }
    }
    let lx = MARGIN_X + 2.0 * r + 70.0;
    let unit = lang.pick("场", "");
    for (i, (name, l)) in lines.iter().enumerate() {
        let y = top - 8.0 - (i as f32 + 1.0) * legend_row + 4.0;
        f.ops.push(Op::Area {
            points: rect(lx, y, 8.0, 8.0),
            rgb: rgb(PALETTE[i % PALETTE.len()]),
        });
        f.text(lx + 14.0, y + 0.5, 9.5, false, false, name);
        let pct = l.figures.activities as f64 * 100.0 / total as f64;
        let figure = format!("{}{unit}  {pct:.1}%", thousands(l.figures.activities));
        f.text_right(MARGIN_X + WIDTH - 40.0, y + 0.5, 9.5, false, &figure);
    }
    f.y -= h;
}

/// Twelve months: participations as a line with its figures above, activities as columns
/// with theirs, one band each on a shared month axis.
pub(super) fn months(f: &mut Flow, lang: Lang, lines: &[(String, &Line)]) {
    if lines.is_empty() {
        return empty(f, lang);
    }
    let (line_h, col_h, axis_h) = (78.0, 52.0, 16.0);
    let h = 14.0 + line_h + 10.0 + col_h + axis_h;
    f.need(h);
    let top = f.y;
    let label_w = 70.0;
    let x0 = MARGIN_X + label_w;
    let step = (WIDTH - label_w) / lines.len() as f32;
    let cx = |i: usize| x0 + step * (i as f32 + 0.5);
    let heads = [
        (lang.pick("参与（人次）", "Participations"), BLUE),
        (lang.pick("活动（场）", "Activities"), BRAND),
    ];
    let max_p = lines
        .iter()
        .map(|(_, l)| l.figures.participations)
        .max()
        .unwrap_or(0)
        .max(1);
    let max_a = lines
        .iter()
        .map(|(_, l)| l.figures.activities)
        .max()
        .unwrap_or(0)
        .max(1);

    // The line band.
    let base_l = top - 14.0 - line_h;
    key(f, MARGIN_X, base_l + line_h - 20.0, heads[0].1, heads[0].0);
    f.ops.push(Op::Polyline {
        points: vec![(x0, base_l), (MARGIN_X + WIDTH, base_l)],
        rgb: GRID,
        width: 0.6,
    });
    let pts: Vec<(f32, f32)> = lines
        .iter()
        .enumerate()
        .map(|(i, (_, l))| {
            (
                cx(i),
                base_l + 4.0 + (line_h - 20.0) * l.figures.participations as f32 / max_p as f32,
            )
        })
        .collect();
    f.ops.push(Op::Polyline {
        points: pts.clone(),
        rgb: BLUE,
        width: 1.6,
    });
    for (i, (x, y)) in pts.iter().enumerate() {
        f.ops.push(Op::Area {
            points: wedge(*x, *y, 2.4, 0.0, std::f32::consts::TAU),
            rgb: BLUE,
        });
        let v = lines[i].1.figures.participations;
        if v > 0 {
            let s = thousands(v);
            let w = f.m.width(&s, 7.5);
            f.text(x - w / 2.0, y + 5.0, 7.5, false, false, &s);
        }
    }

    // The column band.
    let base_c = base_l - 10.0 - col_h;
    key(f, MARGIN_X, base_c + col_h - 14.0, heads[1].1, heads[1].0);
    for (i, (_, l)) in lines.iter().enumerate() {
        let v = l.figures.activities;
        let ch = (col_h - 14.0) * v as f32 / max_a as f32;
        let w = (step * 0.5).min(22.0);
        if v > 0 {
            f.ops.push(Op::Area {
                points: rect(cx(i) - w / 2.0, base_c, w, ch.max(1.0)),
                rgb: BRAND,
            });
            let s = thousands(v);
            let tw = f.m.width(&s, 7.5);
            f.text(cx(i) - tw / 2.0, base_c + ch + 2.5, 7.5, false, false, &s);
        }
    }
    f.ops.push(Op::Polyline {
        points: vec![(x0, base_c), (MARGIN_X + WIDTH, base_c)],
        rgb: GRID,
        width: 0.6,
    });
    for (i, (name, _)) in lines.iter().enumerate() {
        let w = f.m.width(name, 8.5);
        f.text(cx(i) - w / 2.0, base_c - 11.0, 8.5, false, true, name);
    }
    f.y -= h;
}
