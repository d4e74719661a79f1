//! Pages of drawing operations — text, boxes, QR modules, cutting guides — and how they become
//! a PDF. Attendance sheets, badges and table cards lay out their pages as `Op`s; this is the
//! one place that writes PDF content.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::{write::ZlibEncoder, Compression};
use pdf_writer::types::TextRenderingMode;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::font::{self, Metrics, RESOURCE};
use crate::Result;

/// A4 portrait, in points.
pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;

/// What to draw, laid out before the page count is known (for 共 M 页).
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        grey: bool,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: bool,
    },
    /// Text turned upside down about (x, y) — the far side of a folded table card (30 pt and
    /// up is set bold).
    TextFlipped {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    /// A solid black square (a QR module), no stroke.
    Block { x: f32, y: f32, w: f32 },
    /// A thin grey dashed line (a cutting guide).
    Dash { x1: f32, y1: f32, x2: f32, y2: f32 },
    /// A closed polygon filled in a colour, no stroke (a chart's bar, slice or legend key).
    Area {
        points: Vec<(f32, f32)>,
        rgb: [f32; 3],
    },
    /// An open line through points in a colour (a chart's line or grid).
    Polyline {
        points: Vec<(f32, f32)>,
        rgb: [f32; 3],
        width: f32,
    },
}

pub(super) fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    e.write_all(data)?;
    Ok(e.finish()?)
}

/// Pages of drawing operations as a PDF with the two fonts subset and embedded.
pub(crate) fn render(m: &Metrics, mut pages: Vec<Vec<Op>>, title: &str) -> Result<Vec<u8>> {
    if pages.is_empty() {
        pages.push(Vec::new());
    }

    // The glyphs used, per font, renumbered densely for the subset: CID = new glyph id.
    let mut remappers = [
        subsetter::GlyphRemapper::new(),
        subsetter::GlyphRemapper::new(),
    ];
    let mut used: [BTreeMap<u16, char>; 2] = [BTreeMap::new(), BTreeMap::new()];
    for op in pages.iter().flatten() {
        if let Op::Text { text, .. } | Op::TextFlipped { text, .. } = op {
            for (f, gid, c) in text.chars().flat_map(|c| m.glyphs(c)) {
                let cid = remappers[f].remap(gid);
                used[f].entry(cid).or_insert(c);
            }
        }
    }
    // Runs of one font: (font index, CIDs as big-endian bytes).
    let runs = |text: &str| -> Vec<(usize, Vec<u8>)> {
        let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
        for (f, gid, _) in text.chars().flat_map(|c| m.glyphs(c)) {
            let cid = remappers[f].get(gid).unwrap_or(0);
            match out.last_mut() {
                Some((lf, bytes)) if *lf == f => bytes.extend(cid.to_be_bytes()),
                _ => out.push((f, cid.to_be_bytes().to_vec())),
            }
        }
        out
    };

    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let info = alloc();
    // Per font: Type0, CIDFont, descriptor, font file, ToUnicode.
    let font_refs: Vec<[Ref; 5]> = (0..2)
        .map(|_| [alloc(), alloc(), alloc(), alloc(), alloc()])
        .collect();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(page_ids.len() as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .creator(TextStr("同心签到 Tongxin"));
    for ((page_id, content_id), ops) in page_ids.iter().zip(&pages) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree)
            .contents(*content_id);
        {
            let mut res = page.resources();
            let mut fonts = res.fonts();
            for (f, refs) in font_refs.iter().enumerate() {
                fonts.pair(Name(RESOURCE[f]), refs[0]);
            }
        }
        page.finish();
        let mut c = Content::new();
        c.set_line_width(0.6);
        c.set_stroke_gray(0.25);
        for op in ops {
            match op {
                Op::Rect { x, y, w, h, fill } => {
                    if *fill {
                        c.set_fill_gray(0.93);
                        c.rect(*x, *y, *w, *h);
                        c.fill_nonzero_and_stroke();
                    } else {
                        c.rect(*x, *y, *w, *h);
                        c.stroke();
                    }
                }
                Op::Block { x, y, w } => {
                    c.set_fill_gray(0.0);
                    c.rect(*x, *y, *w, *w);
                    c.fill_nonzero();
                }
                Op::Dash { x1, y1, x2, y2 } => {
                    c.save_state();
                    c.set_dash_pattern([3.0, 3.0], 0.0);
                    c.set_stroke_gray(0.6);
                    c.set_line_width(0.5);
                    c.move_to(*x1, *y1);
                    c.line_to(*x2, *y2);
                    c.stroke();
                    c.restore_state();
                }
                Op::Area { points, rgb } => {
                    if let Some((first, rest)) = points.split_first() {
                        c.set_fill_rgb(rgb[0], rgb[1], rgb[2]);
                        c.move_to(first.0, first.1);
                        for p in rest {
                            c.line_to(p.0, p.1);
                        }
                        c.close_path();
                        c.fill_nonzero();
                    }
                }
                Op::Polyline { points, rgb, width } => {
                    if let Some((first, rest)) = points.split_first() {
                        c.save_state();
                        c.set_stroke_rgb(rgb[0], rgb[1], rgb[2]);
                        c.set_line_width(*width);
                        c.set_line_join(pdf_writer::types::LineJoinStyle::RoundJoin);
                        c.move_to(first.0, first.1);
                        for p in rest {
                            c.line_to(p.0, p.1);
                        }
                        c.stroke();
                        c.restore_state();
                    }
                }
                Op::Text { .. } | Op::TextFlipped { .. } => {}
            }
        }
        for op in ops {
            if let Op::Text {
                x,
                y,
                size,
                bold,
                grey,
                text,
            } = op
            {
                c.set_fill_gray(if *grey { 0.35 } else { 0.0 });
                c.begin_text();
                if *bold {
                    // One weight ships: bold is the outline stroked as well.
                    c.set_text_rendering_mode(TextRenderingMode::FillStroke);
                    c.set_line_width(size / 30.0);
                    c.set_stroke_gray(0.0);
                } else {
                    c.set_text_rendering_mode(TextRenderingMode::Fill);
                }
                c.next_line(*x, *y);
                for (f, bytes) in runs(text) {
                    c.set_font(Name(RESOURCE[f]), *size);
                    c.show(Str(&bytes));
                }
                c.end_text();
            }
            if let Op::TextFlipped { x, y, size, text } = op {
                // Large type is a name (bold, black); small type a line under it (grey).
                let large = *size >= 30.0;
                c.set_fill_gray(if large { 0.0 } else { 0.35 });
                c.begin_text();
                if large {
                    c.set_text_rendering_mode(TextRenderingMode::FillStroke);
                    c.set_line_width(size / 30.0);
                    c.set_stroke_gray(0.0);
                } else {
                    c.set_text_rendering_mode(TextRenderingMode::Fill);
                }
                c.set_text_matrix([-1.0, 0.0, 0.0, -1.0, *x, *y]);
                for (f, bytes) in runs(text) {
                    c.set_font(Name(RESOURCE[f]), *size);
                    c.show(Str(&bytes));
                }
                c.end_text();
            }
        }
        let data = deflate(&c.finish())?;
        pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
    }
    font::embed(&mut pdf, m, &font_refs, &used, &remappers)?;
    Ok(pdf.finish())
}
