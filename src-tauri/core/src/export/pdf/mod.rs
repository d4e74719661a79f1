//! Attendance sheets as PDF with the same layout as the workbook: A4 portrait, title and
//! subtitle, a bordered table whose header repeats on every page, long organisations wrapped,
//! rows tall enough to sign, 第 N 页 共 M 页 at the foot. The shipped fonts (`assets/fonts`:
//! Noto Sans CJK SC for Chinese, DejaVu Sans Condensed for Latin and digits) are subset to the
//! glyphs used and embedded, so the file reads the same on a machine without Chinese fonts.

mod canvas;
mod font;
mod sheet;

pub(crate) use canvas::{render, Op, PAGE_H, PAGE_W};
pub(crate) use font::Metrics;
pub use font::{unprintable, Unprintable, CJK_FONT, LATIN_FONT};
pub use sheet::write;
