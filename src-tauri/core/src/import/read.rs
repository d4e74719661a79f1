//! From a file to a grid of text cells: .xlsx / .xls through calamine, .csv / .txt decoded from
//! whatever encoding Chinese Excel wrote. Every size is capped before anything big is read.

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::{Error, Result};

pub const MAX_FILE_BYTES: u64 = 30 * 1024 * 1024;
/// An .xlsx is a zip: its parts may expand to at most this much in all.
pub const MAX_UNPACKED_BYTES: u64 = 300 * 1024 * 1024;
pub const MAX_ROWS: usize = 200_000;
/// The text a sheet may expand to, all cells together: ten times what the largest list needs
/// (200,000 rows of a dozen short fields). A shared string is stored once and may be named by
/// every cell; each cell read gets its own copy, so a few MB of references could otherwise ask
/// for gigabytes.
pub const MAX_TEXT_BYTES: usize = 200 * 1024 * 1024;
pub const MAX_COLUMNS: usize = 200;

/// One sheet as text: rows of cells, trimmed of nothing (the importer decides).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheet: String,
    pub rows: Vec<Vec<String>>,
}

pub fn read_file(path: &std::path::Path) -> Result<Table> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_FILE_BYTES {
        return Err(Error::ImportTooLarge {
            mb: size.div_ceil(1024 * 1024),
            limit_mb: MAX_FILE_BYTES / 1024 / 1024,
        });
    }
    let bytes = std::fs::read(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    read_bytes(&bytes, &name)
}

fn is_zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04")
}

fn is_ole(b: &[u8]) -> bool {
    b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Reads by content first (a .csv renamed .xlsx still reads), by name second.
pub fn read_bytes(bytes: &[u8], name: &str) -> Result<Table> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::ImportTooLarge {
            mb: (bytes.len() as u64).div_ceil(1024 * 1024),
            limit_mb: MAX_FILE_BYTES / 1024 / 1024,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::ImportEmpty);
    }
    let table = if is_zip(bytes) {
        check_unpacked_size(bytes)?;
        if has_part(bytes, "xl/workbook.xml") {
            read_xlsx(bytes)?
        } else {
            super::ods::check(bytes)?;
            read_workbook(bytes)?
        }
    } else if is_ole(bytes) {
        super::xls::check(bytes)?;
        read_workbook(bytes)?
    } else if name.ends_with(".xlsx") || name.ends_with(".xls") {
        return Err(Error::ImportUnreadable(
            "文件扩展名是 Excel，但内容不是 Excel 格式".into(),
        ));
    } else {
        read_delimited(&super::decode::decode_text(bytes)?)?
    };
    if table
        .rows
        .iter()
        .all(|r| r.iter().all(|c| c.trim().is_empty()))
    {
        return Err(Error::ImportEmpty);
    }
    Ok(table)
}

/// Refuses zip bombs: the sizes the zip's own directory declares are added up before any
/// part is inflated (and calamine would refuse parts that inflate past their declared size).
fn check_unpacked_size(bytes: &[u8]) -> Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::ImportUnreadable(format!("Excel 文件结构损坏（{e}）")))?;
    let total: u128 = match archive.decompressed_size() {
        Some(t) => t,
        None => {
            let mut t = 0u128;
            for i in 0..archive.len() {
                let f = archive
                    .by_index_raw(i)
                    .map_err(|e| Error::ImportUnreadable(format!("Excel 文件结构损坏（{e}）")))?;
                t = t.saturating_add(u128::from(f.size()));
            }
            t
        }
    };
    if total > u128::from(MAX_UNPACKED_BYTES) {
        return Err(Error::ImportZipBomb {
            limit_mb: MAX_UNPACKED_BYTES / 1024 / 1024,
        });
    }
    Ok(())
}

fn has_part(bytes: &[u8], name: &str) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes)).is_ok_and(|a| a.index_for_name(name).is_some())
}

/// The shared-strings part declares how many strings it holds, and the reader reserves room
/// for that many before reading one: `uniqueCount="400000000000"` in a 2 KB file would ask for
/// terabytes and abort the process. Each string takes at least 8 bytes of XML (`<si><t/></si>`
/// is 13), so a declared count beyond the part's size / 8 is a lie: refused.
fn check_shared_strings(bytes: &[u8]) -> Result<()> {
    use std::io::Read;
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(part) = archive.by_name("xl/sharedStrings.xml") else {
        return Ok(());
    };
    let size = part.size();
    let mut head = Vec::with_capacity(4096);
    part.take(4096)
        .read_to_end(&mut head)
        .map_err(|e| Error::ImportUnreadable(format!("Excel 文件结构损坏（{e}）")))?;
    let head = String::from_utf8_lossy(&head);
    let declared = head.find("uniqueCount=").and_then(|i| {
        let rest = head[i + "uniqueCount=".len()..].trim_start_matches(['"', '\'']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u128>().ok()
    });
    match declared {
        Some(n) if n > u128::from(size / 8 + 16) => Err(Error::ImportUnreadable(format!(
            "文件声明了 {n} 条共享文字，但这部分只有 {size} 字节：文件已损坏或被改动过"
        ))),
        _ => Ok(()),
    }
}

/// An .xlsx read one cell at a time, positions checked as they come: a sheet whose cells sit
/// at A1 and XFD1048576 is two cells, not a grid of 17 billion (which the whole-range reader
/// would allocate, and abort on). Rows start at the first used row and columns at the first
/// used column, as the whole-range reader gives them; columns past [`MAX_COLUMNS`] are left
/// out, a row past [`MAX_ROWS`] refuses the file.
fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    check_shared_strings(bytes)?;
    let unreadable =
        |e: calamine::XlsxError| Error::ImportUnreadable(format!("无法解析 Excel 内容（{e}）"));
    let mut wb: calamine::Xlsx<_> =
        calamine::Reader::new(Cursor::new(bytes)).map_err(unreadable)?;
    for sheet in wb.sheet_names() {
        let mut cells = wb
            .worksheet_cells_reader(&sheet)
            .map_err(|e| Error::ImportUnreadable(format!("无法读取工作表“{sheet}”（{e}）")))?;
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        let mut text_bytes = 0usize;
        while let Some(cell) = cells
            .next_cell()
            .map_err(|e| Error::ImportUnreadable(format!("无法读取工作表“{sheet}”（{e}）")))?
        {
            let (r, c) = cell.get_position();
            let (r, c) = (r as usize, c as usize);
            let text = cell_text(&Data::from(cell.get_value().clone()));
            if text.is_empty() {
                continue;
            }
            if r >= MAX_ROWS {
                return Err(Error::ImportTooManyRows { limit: MAX_ROWS });
            }
            if c >= MAX_COLUMNS {
                continue;
            }
            text_bytes += text.len();
            if text_bytes > MAX_TEXT_BYTES {
                return Err(Error::ImportTextBomb {
                    limit_mb: (MAX_TEXT_BYTES / 1024 / 1024) as u64,
                });
            }
            found.push((r, c, text));
        }
        let (Some(top), Some(left)) = (
            found.iter().map(|f| f.0).min(),
            found.iter().map(|f| f.1).min(),
        ) else {
            continue;
        };
        let bottom = found.iter().map(|f| f.0).max().unwrap_or(top);
        let right = found.iter().map(|f| f.1).max().unwrap_or(left);
        let mut rows = vec![Vec::new(); bottom - top + 1];
        for (r, c, text) in found {
            let row: &mut Vec<String> = &mut rows[r - top];
            if row.len() <= c - left {
                row.resize(c - left + 1, String::new());
            }
            row[c - left] = text;
        }
        // Every row as wide as the sheet's used columns, as the whole-range reader gives them
        // (bounded: at most MAX_COLUMNS wide, and only rows that hold a cell are widened).
        let width = right - left + 1;
        for row in rows.iter_mut().filter(|r| !r.is_empty()) {
            row.resize(width, String::new());
        }
        return Ok(Table { sheet, rows });
    }
    Err(Error::ImportEmpty)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Phones typed as numbers arrive as 13812345678.0: whole numbers go back to digits.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        // Beyond 15 digits Excel has already rounded (an 18-digit ID typed as a number): show
        // it the way Excel does, so nobody mistakes it for the real digits.
        Data::Float(f) if f.abs() >= 1e15 => format!("{f:e}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

fn read_workbook(bytes: &[u8]) -> Result<Table> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| Error::ImportUnreadable(format!("无法解析 Excel 内容（{e}）")))?;
    // The first sheet that has any content.
    for sheet in wb.sheet_names() {
        let range = wb
            .worksheet_range(&sheet)
            .map_err(|e| Error::ImportUnreadable(format!("无法读取工作表“{sheet}”（{e}）")))?;
        let (h, w) = range.get_size();
        if h == 0 {
            continue;
        }
        if h > MAX_ROWS {
            return Err(Error::ImportTooManyRows { limit: MAX_ROWS });
        }
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().take(w.min(MAX_COLUMNS)).map(cell_text).collect())
            .collect();
        return Ok(Table { sheet, rows });
    }
    Err(Error::ImportEmpty)
}

/// Comma, tab or semicolon: whichever splits the first lines most consistently.
fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b'\t', b',', b';'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.bytes().filter(|b| *b == d).count())
            .collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        let agreeing = counts.iter().filter(|c| **c == max && max > 0).count();
        let score = agreeing * 1000 + max;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

pub fn read_delimited(text: &str) -> Result<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    let (mut counted, mut line_at) = (0usize, 1usize);
    for rec in reader.records() {
        let rec = rec.map_err(|e| Error::ImportUnreadable(format!("CSV 格式有误（{e}）")))?;
        if rows.len() >= MAX_ROWS {
            return Err(Error::ImportTooManyRows { limit: MAX_ROWS });
        }
        // The csv reader skips blank lines; keep them, so row numbers match what Excel shows.
        // (The line is counted from the record's byte offset.)
        let line = match rec.position() {
            Some(p) => {
                // The position may point at blank lines before the record: skip them.
                let mut upto = (p.byte() as usize).clamp(counted, text.len());
                while upto < text.len() && matches!(text.as_bytes()[upto], b'\n' | b'\r') {
                    upto += 1;
                }
                line_at += text.as_bytes()[counted..upto]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                counted = upto;
                line_at
            }
            None => rows.len() + 1,
        };
        while rows.len() + 1 < line && rows.len() < MAX_ROWS {
            rows.push(Vec::new());
        }
        rows.push(rec.iter().take(MAX_COLUMNS).map(str::to_string).collect());
    }
    Ok(Table {
        sheet: String::new(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("姓名\t单位\n张三\t同济\n"), b'\t');
        assert_eq!(sniff_delimiter("姓名;单位\n张三;同济\n"), b';');
        assert_eq!(sniff_delimiter("姓名,单位\n张三,同济\n"), b',');
    }

    #[test]
    fn phones_typed_as_numbers_come_back_as_digits() {
        assert_eq!(cell_text(&Data::Float(13812345678.0)), "13812345678");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
    }

    #[test]
    fn a_fake_xlsx_is_refused_with_a_message() {
        let e = read_bytes(b"just text pretending", "list.xlsx").unwrap_err();
        assert_eq!(e.code(), "import_unreadable");
        let e = read_bytes(b"PK\x03\x04garbage", "list.xlsx").unwrap_err();
        assert_eq!(e.code(), "import_unreadable");
        assert_eq!(
            read_bytes(b"  \n ", "a.csv").unwrap_err().code(),
            "import_empty"
        );
    }
}

#[cfg(test)]
mod blank_line_tests {
    use super::*;

    #[test]
    fn blank_lines_keep_their_place_so_row_numbers_match_excel() {
        let t = read_delimited("a,b\n1,2\n\n3,4\n").unwrap();
        assert_eq!(t.rows.len(), 4);
        assert!(t.rows[2].is_empty());
        assert_eq!(t.rows[3], ["3", "4"]);
    }
}
