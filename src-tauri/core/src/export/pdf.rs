//! Attendance sheets as PDF with the same layout as the workbook: A4 portrait, title and
//! subtitle, a bordered table whose header repeats on every page, long organisations wrapped,
//! rows tall enough to sign, 第 N 页 共 M 页 at the foot. The shipped fonts (`assets/fonts`:
//! Noto Sans CJK SC for Chinese, DejaVu Sans Condensed for Latin and digits) are subset to the
//! glyphs used and embedded, so the file reads the same on a machine without Chinese fonts.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::{write::ZlibEncoder, Compression};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use ttf_parser::Face;

use super::{AttendanceSheet, SheetKind};
use crate::{Error, Result};

/// Chinese: Noto Sans CJK SC covers every character of 通用规范汉字表 — the official list that
/// names are registered with, extension-block characters such as 𬀩 (U+2C029) included — and
/// GB 18030's ideographs (堃, 珺, 喆 …). CFF outlines.
pub const CJK_FONT: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansCJKsc-Names.otf");
/// Latin letters, digits and punctuation (TrueType outlines).
pub const LATIN_FONT: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSansCondensed.ttf");
const FONT_NAMES: [&[u8]; 2] = [b"TXCJKS+NotoSansCJKsc", b"TXLATN+DejaVuSansCondensed"];
const RESOURCE: [&[u8]; 2] = [b"F1", b"F2"];

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 36.0;
const MARGIN_TOP: f32 = 42.0;
const MARGIN_BOTTOM: f32 = 46.0;
const BODY_SIZE: f32 = 10.0;
const LINE: f32 = 13.0;
const PAD: f32 = 4.0;

/// A name (or other text) with characters that no shipped font can print: the export says
/// so, and the PDF spells those characters as their code points.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unprintable {
    pub text: String,
    /// "U+31350" for each missing character.
    pub code_points: Vec<String>,
}

/// The texts among `texts` that a PDF cannot print in full, each once.
pub fn unprintable<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<Vec<Unprintable>> {
    let m = Metrics::new()?;
    let mut out: Vec<Unprintable> = Vec::new();
    for t in texts {
        let missing = m.missing(t);
        if !missing.is_empty() && !out.iter().any(|u| u.text == t) {
            out.push(Unprintable {
                text: t.to_string(),
                code_points: missing
                    .iter()
                    .map(|c| format!("U+{:04X}", *c as u32))
                    .collect(),
            });
        }
    }
    Ok(out)
}

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
}

/// The two faces, and which one sets a character.
pub(crate) struct Metrics<'a> {
    faces: [Face<'a>; 2],
}

impl<'a> Metrics<'a> {
    pub(crate) fn new() -> Result<Metrics<'a>> {
        let parse = |data: &'a [u8]| {
            Face::parse(data, 0).map_err(|e| Error::Export(format!("字体无法读取：{e}")))
        };
        Ok(Metrics {
            faces: [parse(CJK_FONT)?, parse(LATIN_FONT)?],
        })
    }

    /// (font index, glyph id): Latin, digits and Western punctuation from DejaVu; the rest
    /// from Noto; whichever has the glyph when the other lacks it. None: neither has it.
    fn glyph(&self, c: char) -> Option<(usize, u16)> {
        let has = |f: usize| {
            self.faces[f]
                .glyph_index(c)
                .map(|g| g.0)
                .filter(|g| *g != 0)
        };
        let order = if (c as u32) < 0x2000 { [1, 0] } else { [0, 1] };
        order.into_iter().find_map(|f| has(f).map(|g| (f, g)))
    }

    /// The glyphs that print `c`: its own, or — when no font has it — its code point spelt
    /// out (`[U+31350]`), so the sheet shows what is missing instead of an empty box.
    fn glyphs(&self, c: char) -> Vec<(usize, u16, char)> {
        if let Some((f, g)) = self.glyph(c) {
            return vec![(f, g, c)];
        }
        if c.is_whitespace() || c.is_control() {
            return Vec::new();
        }
        format!("[U+{:04X}]", c as u32)
            .chars()
            .filter_map(|d| self.glyph(d).map(|(f, g)| (f, g, d)))
            .collect()
    }

    fn advance(&self, c: char, size: f32) -> f32 {
        self.glyphs(c)
            .into_iter()
            .map(|(f, g, _)| {
                let face = &self.faces[f];
                face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0) as f32
                    / face.units_per_em() as f32
                    * size
            })
            .sum()
    }

    /// Characters of `text` that no shipped font can print.
    pub(crate) fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control() && self.glyph(*c).is_none())
            .collect();
        out.dedup();
        out
    }

    pub(crate) fn width(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.advance(c, size)).sum()
    }

    /// Breaks `s` into lines no wider than `max` (by character: Chinese has no spaces).
    pub(crate) fn wrap(&self, s: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut cur = String::new();
        let mut w = 0.0;
        for c in s.chars().filter(|c| !c.is_control()) {
            let a = self.advance(c, size);
            if w + a > max && !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
                w = 0.0;
            }
            cur.push(c);
            w += a;
        }
        if !cur.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        lines
    }
}

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

fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    e.write_all(data)?;
    Ok(e.finish()?)
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

    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let datas = [CJK_FONT, LATIN_FONT];
    for (f, refs) in font_refs.iter().enumerate() {
        let [type0, cid_font, descriptor, file, cmap] = *refs;
        let name = Name(FONT_NAMES[f]);
        let face = &m.faces[f];
        let scale = 1000.0 / face.units_per_em() as f32;
        pdf.type0_font(type0)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_font)
            .to_unicode(cmap);
        // CFF outlines (Noto) make a CIDFontType0 with an OpenType font file; TrueType
        // (DejaVu) a CIDFontType2. The subsetter numbers glyphs so that CID = new glyph id.
        let cff = face.tables().cff.is_some();
        let mut cid = pdf.cid_font(cid_font);
        cid.subtype(if cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        })
        .base_font(name)
        .system_info(system)
        .font_descriptor(descriptor)
        .default_width(1000.0);
        if !cff {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        {
            let mut w = cid.widths();
            for (new, c) in &used[f] {
                w.consecutive(*new, [m.advance(*c, 1000.0)]);
            }
        }
        cid.finish();
        let bbox = face.global_bounding_box();
        let mut fd = pdf.font_descriptor(descriptor);
        fd.name(name)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                bbox.x_min as f32 * scale,
                bbox.y_min as f32 * scale,
                bbox.x_max as f32 * scale,
                bbox.y_max as f32 * scale,
            ))
            .italic_angle(0.0)
            .ascent(face.ascender() as f32 * scale)
            .descent(face.descender() as f32 * scale)
            .cap_height(face.capital_height().unwrap_or(700) as f32 * scale)
            .stem_v(80.0);
        if cff {
            fd.font_file3(file);
        } else {
            fd.font_file2(file);
        }
        fd.finish();
        let subset = subsetter::subset(datas[f], 0, &remappers[f])
            .map_err(|e| Error::Export(format!("字体子集生成失败：{e}")))?;
        let font_data = deflate(&subset)?;
        let mut stream = pdf.stream(file, &font_data);
        stream.filter(Filter::FlateDecode);
        if cff {
            stream.pair(Name(b"Subtype"), Name(b"OpenType"));
        }
        stream.finish();
        let mut map = UnicodeCmap::new(Name(b"Custom"), system);
        for (new, c) in &used[f] {
            map.pair(*new, *c);
        }
        pdf.cmap(cmap, &map.finish());
    }
    Ok(pdf.finish())
}
