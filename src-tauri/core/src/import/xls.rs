//! An .xls is read record by record here before calamine opens it. calamine parses the whole
//! workbook when it opens it and trusts what it reads: a DIMENSIONS record claiming a billion
//! rows makes it reserve memory for them, and a single cell at the far corner makes the sheet
//! a grid of every cell up to it — either can abort the process, which nothing can catch. So
//! the sizes are checked first, against the same limits as any list.

use std::io::{Cursor, Read};

use super::read::{MAX_ROWS, MAX_TEXT_BYTES};
use crate::{Error, Result};

/// Most cells the sheet grid calamine builds may hold (a 30,000-person list of 20 columns is
/// 600,000): at about 32 bytes a cell, 160 MB.
pub(super) const MAX_GRID_CELLS: u64 = 5_000_000;
/// The Workbook stream of a list is a few MB; the file limit bounds it anyway.
const MAX_STREAM: u64 = 64 * 1024 * 1024;

fn unreadable(e: impl std::fmt::Display) -> Error {
    Error::ImportUnreadable(format!("无法解析 Excel 内容（{e}）"))
}

fn u16_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u16::from_le_bytes([*d.get(i)?, *d.get(i + 1)?]) as u32)
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *d.get(i)?,
        *d.get(i + 1)?,
        *d.get(i + 2)?,
        *d.get(i + 3)?,
    ]))
}

/// The row and last column a cell record speaks of.
fn cell_extent(typ: u16, d: &[u8]) -> Option<(u32, u32)> {
    match typ {
        // Blank, Number, Label, BoolErr, Rk, LabelSst, RString, Formula: row, col first.
        0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x00D6 | 0x0006 => {
            Some((u16_at(d, 0)?, u16_at(d, 2)?))
        }
        // MulRk / MulBlank: row, first col, …, last col in the last two bytes.
        0x00BD | 0x00BE => Some((u16_at(d, 0)?, u16_at(d, d.len().checked_sub(2)?)?)),
        _ => None,
    }
}

fn too_large(rows: u64, cols: u64) -> Error {
    Error::ImportUnreadable(format!(
        "这个 .xls 表格声明的范围异常巨大（{rows} 行 × {cols} 列），可能已损坏或是恶意文件，已拒绝读取。请在 Excel 中打开并另存为 .xlsx 后再导入"
    ))
}

/// Refuses an .xls whose sheets declare or reach more than the limits, before calamine
/// allocates for them.
pub fn check(bytes: &[u8]) -> Result<()> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(unreadable)?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or_else(|| unreadable("没有工作簿数据"))?;
    let mut stream = Vec::new();
    cf.open_stream(name)
        .map_err(unreadable)?
        .take(MAX_STREAM)
        .read_to_end(&mut stream)
        .map_err(unreadable)?;
    let strings = shared_string_bytes(&stream);
    // What calamine will build: every LabelSst cell holds its own copy of its string.
    let mut text = 0u64;
    let mut pos = 0;
    // The far corner of the current sheet (a BOF starts a sheet).
    let (mut max_row, mut max_col) = (0u64, 0u64);
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        match typ {
            0x0809 => (max_row, max_col) = (0, 0),
            // Dimensions: first row, last row + 1, first col, last col + 1 (BIFF8: rows u32),
            // read as calamine reads it.
            0x0200 => {
                let dims = match data.len() {
                    10 => (
                        u16_at(data, 0),
                        u16_at(data, 2),
                        u16_at(data, 4),
                        u16_at(data, 6),
                    ),
                    14 | 16 => (
                        u32_at(data, 0),
                        u32_at(data, 4),
                        u16_at(data, 8),
                        u16_at(data, 10),
                    ),
                    _ => continue,
                };
                let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = dims else {
                    continue;
                };
                if cf > 0xFF || cl < cf {
                    cf = 0;
                }
                if rl >= 1 && cl >= 1 {
                    // A first row after the last one would make calamine's size negative.
                    if rf > rl - 1 {
                        return Err(Error::ImportUnreadable(
                            "这个 .xls 文件记录的表格范围已损坏（首行在末行之后），已拒绝读取。请在 Excel 中打开并另存为 .xlsx 后再导入".into(),
                        ));
                    }
                    let (rows, cols) = (u64::from(rl - rf), u64::from(cl - cf));
                    if rows > MAX_ROWS as u64 + 1 || rows.saturating_mul(cols) > MAX_GRID_CELLS {
                        return Err(too_large(rows, cols));
                    }
                }
            }
            _ => {
                if typ == 0x00FD {
                    let i = u32_at(data, 6).unwrap_or(u32::MAX) as usize;
                    text = text.saturating_add(strings.get(i).copied().unwrap_or(0));
                    if text > MAX_TEXT_BYTES as u64 {
                        return Err(Error::ImportTextBomb {
                            limit_mb: (MAX_TEXT_BYTES / 1024 / 1024) as u64,
                        });
                    }
                }
                if let Some((r, c)) = cell_extent(typ, data) {
                    max_row = max_row.max(u64::from(r) + 1);
                    max_col = max_col.max(u64::from(c) + 1);
                    if max_row.saturating_mul(max_col) > MAX_GRID_CELLS {
                        return Err(too_large(max_row, max_col));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The records of a stream as calamine groups them: each with the CONTINUE records after it.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, Vec<&[u8]>)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let head = |at: usize| -> Option<(u16, usize)> {
            let t = u16_at(stream, at)? as u16;
            let len = u16_at(stream, at + 2)? as usize;
            (at + 4 + len <= stream.len()).then_some((t, len))
        };
        let (typ, len) = head(pos)?;
        let mut parts = vec![&stream[pos + 4..pos + 4 + len]];
        pos += 4 + len;
        while let Some((0x003C, len)) = head(pos) {
            parts.push(&stream[pos + 4..pos + 4 + len]);
            pos += 4 + len;
        }
        Some((typ, parts))
    })
}

/// Most UTF-8 bytes each shared string (SST) decodes to, in order, read the way calamine reads
/// them (a string's characters may run on into CONTINUE records, each starting with a flags
/// byte). A character is at most three bytes of UTF-8 (a surrogate pair, four for two units).
/// Reading stops where calamine's would fail: it then refuses the file itself.
fn shared_string_bytes(stream: &[u8]) -> Vec<u64> {
    let Some((_, parts)) = records(stream).find(|(t, _)| *t == 0x00FC) else {
        return Vec::new();
    };
    let mut lens = Vec::new();
    let mut parts = parts.into_iter();
    let mut data: &[u8] = parts.next().unwrap_or_default();
    if data.len() < 8 {
        return lens;
    }
    data = &data[8..];
    // Skips `n` bytes across CONTINUE records; false when the records end first.
    fn skip<'a>(
        data: &mut &'a [u8],
        parts: &mut impl Iterator<Item = &'a [u8]>,
        mut n: usize,
    ) -> bool {
        while n > 0 {
            if data.is_empty() {
                match parts.next() {
                    Some(p) => *data = p,
                    None => return false,
                }
            }
            let l = n.min(data.len());
            *data = &data[l..];
            n -= l;
        }
        true
    }
    loop {
        if data.is_empty() {
            match parts.next() {
                Some(p) => data = p,
                None => return lens,
            }
        }
        if data.len() < 3 {
            return lens;
        }
        let cch = u16_at(data, 0).unwrap_or(0) as usize;
        let flags = data[2];
        data = &data[3..];
        let mut high = flags & 0x1 != 0;
        let mut runs = 0usize;
        let mut ext = 0usize;
        if flags & 0x8 != 0 {
            let Some(n) = u16_at(data, 0) else {
                return lens;
            };
            runs = n as usize;
            data = &data[2..];
        }
        if flags & 0x4 != 0 {
            let Some(n) = u32_at(data, 0) else {
                return lens;
            };
            ext = n as i32 as usize;
            data = &data[4..];
        }
        let mut left = cch;
        while left > 0 {
            let l = if high { data.len() / 2 } else { data.len() }.min(left);
            data = &data[if high { 2 * l } else { l }..];
            left -= l;
            if left > 0 {
                match parts.next() {
                    Some(p) if !p.is_empty() => {
                        high = p[0] & 0x1 != 0;
                        data = &p[1..];
                    }
                    _ => return lens,
                }
            }
        }
        lens.push(3 * cch as u64);
        if !skip(&mut data, &mut parts, runs * 4) || !skip(&mut data, &mut parts, ext) {
            return lens;
        }
    }
}
