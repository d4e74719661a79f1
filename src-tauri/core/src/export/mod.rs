//! What the organisers file and print: attendance sheets (签到表) for a checkpoint as .xlsx,
//! .pdf or .csv, and the day's summary workbook. Every value is written as text — a name that
//! starts with `=` is a name, never a formula.

pub mod appointments_xlsx;
pub mod badges;
pub mod csv;
pub mod pdf;
pub mod summary;
pub mod xlsx;
pub mod year_pdf;
pub mod year_xlsx;

mod file;
mod sheet;

/// Dates on sheets and file names are written the Chinese way.
pub use crate::clock::chinese_date;
pub use file::{
    file_name, formula_like, is_disk_full, render, save, sheet_file, sync_dir, unprintable,
    FileFormat,
};
pub use sheet::{sheets, AttendanceSheet, Scope, SheetKind, SheetOptions, SheetRow, SortBy};
