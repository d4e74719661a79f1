//! An .ods is measured here before calamine opens it. An .ods says "this row, 199,000 times"
//! and "this cell, 200 times" in two attributes; calamine expands them (up to 100 million
//! cells, gigabytes) — a 2 KB file aborted the process. So content.xml is streamed first and
//! the grid the non-empty cells reach is held to the same limits as any list. Empty repeats
//! (LibreOffice ends every sheet with a million empty rows) cost calamine nothing and are not
//! counted.

use std::io::{BufReader, Cursor};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::read::{MAX_ROWS, MAX_TEXT_BYTES};
use super::xls::MAX_GRID_CELLS;
use crate::{Error, Result};

fn repeats(e: &BytesStart, attr: &str) -> u64 {
    e.try_get_attribute(attr)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn too_large(rows: u64, cols: u64) -> Error {
    Error::ImportUnreadable(format!(
        "这个 .ods 表格展开后异常巨大（{rows} 行 × {cols} 列有内容），可能已损坏或是恶意文件，已拒绝读取"
    ))
}

/// Refuses an .ods whose sheets' non-empty cells reach past the limits once repeats expand.
pub fn check(bytes: &[u8]) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine says what is wrong with it
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    // Rows so far in this sheet; the grid's far corner; this row's repeat and reach.
    let (mut rows, mut far_row, mut far_col) = (0u64, 0u64, 0u64);
    let (mut row_rep, mut col, mut reach) = (1u64, 0u64, 0u64);
    // The text calamine will build: each cell's text once per column and row it repeats in.
    let (mut text, mut row_text, mut cell_rep, mut cell_text) = (0u64, 0u64, 1u64, 0u64);
    let mut in_cell = false;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" => (rows, far_row, far_col) = (0, 0, 0),
                "table:table-row" => {
                    (row_rep, col, reach) = (repeats(e, "table:number-rows-repeated"), 0, 0);
                    row_text = 0;
                    if empty {
                        rows = rows.saturating_add(row_rep);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    cell_rep = repeats(e, "table:number-columns-repeated");
                    col = col.saturating_add(cell_rep);
                    (in_cell, cell_text) = (!empty, 0);
                    // A cell with a value or content (an empty element with no type is blank).
                    if !empty
                        || e.try_get_attribute("office:value-type")
                            .ok()
                            .flatten()
                            .is_some()
                    {
                        reach = col;
                    }
                }
                _ => {}
            }
        }
        if let Event::Text(t) = &event {
            if in_cell {
                cell_text = cell_text.saturating_add(t.len() as u64);
            }
        }
        if let Event::End(e) = &event {
            if matches!(
                e.name().as_ref(),
                "table:table-cell" | "table:covered-table-cell"
            ) {
                row_text = row_text.saturating_add(cell_text.saturating_mul(cell_rep));
                in_cell = false;
            }
            if e.name().as_ref() == "table:table-row" {
                text = text.saturating_add(row_text.saturating_mul(row_rep));
                if text > MAX_TEXT_BYTES as u64 {
                    return Err(Error::ImportTextBomb {
                        limit_mb: (MAX_TEXT_BYTES / 1024 / 1024) as u64,
                    });
                }
                if reach > 0 {
                    far_row = rows.saturating_add(row_rep);
                    far_col = far_col.max(reach);
                }
                rows = rows.saturating_add(row_rep);
                if far_row > MAX_ROWS as u64 + 1 {
                    return Err(Error::ImportTooManyRows { limit: MAX_ROWS });
                }
                if far_row.saturating_mul(far_col) > MAX_GRID_CELLS {
                    return Err(too_large(far_row, far_col));
                }
            }
        }
        buf.clear();
    }
    Ok(())
}
