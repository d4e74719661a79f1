//! From sheets to a file on disk: the proposed file name, the format, rendering, and a save
//! that is whole or not at all (a full disk keeps its own error).

use serde::{Deserialize, Serialize};

use super::{csv, pdf, sheets, xlsx, AttendanceSheet, SheetOptions};
use crate::{Db, Error, Event, Result};

/// A file name the save dialog proposes: `2024专家服务日_金山主会场_签到表.xlsx`.
pub fn file_name(event: &Event, checkpoint: &str, what: &str, ext: &str) -> String {
    let year: String = event.date.chars().take(4).collect();
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .collect()
    };
    let mut parts = vec![format!("{year}专家服务日")];
    for p in [checkpoint, what] {
        let p = clean(p);
        if !p.is_empty() {
            parts.push(p);
        }
    }
    format!("{}.{ext}", parts.join("_"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Xlsx,
    Pdf,
    Csv,
}

impl FileFormat {
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Pdf => "pdf",
            FileFormat::Csv => "csv",
        }
    }
}

/// The sheets for `opts` as a file's bytes.
pub fn sheet_file(
    db: &Db,
    event_id: &str,
    opts: &SheetOptions,
    format: FileFormat,
) -> Result<Vec<u8>> {
    render(&sheets(db, event_id, opts)?, format)
}

/// The names (organisations, titles) on the sheets that a PDF cannot print in full: the
/// export names them, so a coordinator can write those characters in by hand.
pub fn unprintable(sheets: &[AttendanceSheet]) -> Result<Vec<pdf::Unprintable>> {
    pdf::unprintable(sheets.iter().flat_map(|s| {
        s.rows
            .iter()
            .flat_map(|r| [r.name.as_str(), r.organisation.as_str(), r.title.as_str()])
    }))
}

/// Sheets already read, as a file's bytes (no database needed: runs without holding it).
pub fn render(sheets: &[AttendanceSheet], format: FileFormat) -> Result<Vec<u8>> {
    match format {
        FileFormat::Xlsx => xlsx::write(sheets),
        FileFormat::Pdf => pdf::write(sheets),
        FileFormat::Csv => Ok(csv::write(sheets)),
    }
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed over it —
/// a full disk or a crash never leaves half a sheet under the chosen name.
pub fn save(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.part", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself is only durable once the folder is synced: a file saved to a USB
        // stick that is pulled out at once must still be there.
        sync_dir(dir)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(save_failed(path, &e));
    }
    Ok(())
}

/// A full disk keeps its own code (the window says so plainly); anything else says where.
fn save_failed(path: &std::path::Path, e: &std::io::Error) -> Error {
    if is_disk_full(e) {
        return Error::DiskFull;
    }
    Error::Export(format!(
        "无法保存到 {}：{e}。请换一个文件夹，或检查磁盘空间和文件是否正在被 Excel 打开。",
        path.display()
    ))
}

/// ENOSPC on Unix; ERROR_HANDLE_DISK_FULL / ERROR_DISK_FULL on Windows.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    let codes: &[i32] = if cfg!(windows) { &[39, 112] } else { &[28] };
    e.raw_os_error().is_some_and(|c| codes.contains(&c))
}

/// Syncs a folder's entries to disk (where the platform can: Windows has no folder handles to
/// sync, and its rename is already written through).
pub fn sync_dir(dir: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// True for text a spreadsheet would take for a formula (or DDE) when typed into a cell.
pub fn formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_said_as_such_when_a_file_cannot_be_saved() {
        let full = std::io::Error::from_raw_os_error(if cfg!(windows) { 112 } else { 28 });
        let e = save_failed(std::path::Path::new("/media/u/签到表.xlsx"), &full);
        assert_eq!(e.code(), "disk_full");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = save_failed(std::path::Path::new("/media/u/签到表.xlsx"), &denied);
        assert_eq!(e.code(), "export_failed");
        assert!(e.to_string().contains("/media/u/签到表.xlsx"));
    }
}
