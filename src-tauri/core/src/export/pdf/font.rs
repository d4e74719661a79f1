//! The two shipped faces: which one sets a character, how wide it is, what neither can print,
//! and how each is subset and embedded in a PDF.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use ttf_parser::Face;

use super::canvas::deflate;
use crate::{Error, Result};

/// Chinese: Noto Sans CJK SC covers every character of 通用规范汉字表 — the official list that
/// names are registered with, extension-block characters such as 𬀩 (U+2C029) included — and
/// GB 18030's ideographs (堃, 珺, 喆 …). CFF outlines.
pub const CJK_FONT: &[u8] = include_bytes!("../../../../../assets/fonts/NotoSansCJKsc-Names.otf");
/// Latin letters, digits and punctuation (TrueType outlines).
pub const LATIN_FONT: &[u8] = include_bytes!("../../../../../assets/fonts/DejaVuSansCondensed.ttf");
const FONT_NAMES: [&[u8]; 2] = [b"TXCJKS+NotoSansCJKsc", b"TXLATN+DejaVuSansCondensed"];
/// The name each face is used under on a page.
pub(super) const RESOURCE: [&[u8]; 2] = [b"F1", b"F2"];

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
    pub(super) fn glyphs(&self, c: char) -> Vec<(usize, u16, char)> {
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

/// Embeds the two faces as `refs` (Type0, CIDFont, descriptor, font file, ToUnicode each),
/// subset to the glyphs `used` (new CID → character) as `remappers` numbered them.
pub(super) fn embed(
    pdf: &mut Pdf,
    m: &Metrics,
    font_refs: &[[Ref; 5]],
    used: &[BTreeMap<u16, char>; 2],
    remappers: &[subsetter::GlyphRemapper; 2],
) -> Result<()> {
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
    Ok(())
}
