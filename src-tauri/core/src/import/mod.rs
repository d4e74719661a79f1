//! Importing the organisers' lists: read (any format, any Chinese encoding) → find the header
//! and map columns → a preview with every problem and its row number → commit in one
//! transaction. Re-importing the same file changes nothing; a phone already on file is the
//! same person (updated, never a second record); the same name with another phone is another
//! person, flagged 同名. A point's places hold for a list as for the desk: the rows beyond them
//! go to its waiting list in file order, unless the user accepts them over capacity.

pub mod activities;
pub mod capacity;
mod commit;
pub mod decode;
mod finish;
pub mod header;
mod mapping;
mod ods;
mod people;
mod plan;
pub mod points;
pub mod read;
mod signups;
mod undo;
mod xls;

use serde::{Deserialize, Serialize};

pub use activities::PlannedActivity;
pub use capacity::{OverCapacity, Overflow};
pub use commit::{commit, commit_with, import_file, report_csv, FileImport};
pub use finish::{commit_and_remember, Committed};
pub use header::{Field, Mapping};
pub use mapping::{fields_for, remember_mapping, remembered_mapping, FIELDS, POINT_FIELDS};
pub use plan::{preview, preview_decided, preview_with};
pub use points::PlannedPoint;
pub use read::Table;
pub use undo::{undo_last, Undone};

use crate::Expert;

/// Longest cell accepted; a longer one makes its row an error (a pasted document, a 1 MB cell).
pub const MAX_CELL_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Problem {
    /// 1-based row number as Excel shows it.
    pub row: usize,
    pub column: Option<String>,
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// The value the message is about (a phone as typed, a group name, a row number…), so the
    /// English UI can say it in its own words from `code`.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Add,
    Update,
    Unchanged,
    Skip,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    pub row: usize,
    pub action: Action,
    pub expert: Expert,
    pub existing_id: Option<String>,
    pub point_id: Option<String>,
    pub group_text: String,
    /// Takes a place at `point_id` beyond its capacity: waits there, unless accepted over
    /// capacity.
    pub beyond_capacity: bool,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Experts only.
    Experts,
    /// Experts with their group for the event (the usual list): experts and sign-ups.
    Signups,
    /// The event's service points (点位): theme, address, contact, capacity, departure, bus.
    Points,
    /// The year's activity ledger (活动台账): one service activity per row.
    Activities,
}

/// Where a long import is, for a progress bar: rows checked, then rows written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Checking,
    Writing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
}

/// Progress is reported every this many rows (and at the end).
const PROGRESS_EVERY: usize = 2_000;

#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub sheet: String,
    /// 1-based.
    pub header_row: usize,
    pub mapping: Mapping,
    pub kind: Kind,
    pub rows: Vec<PlannedRow>,
    /// For a service-point sheet: its rows (and `rows` is empty).
    pub points: Vec<PlannedPoint>,
    /// For an activity ledger: its rows (and `rows` is empty).
    pub activities: Vec<PlannedActivity>,
    pub problems: Vec<Problem>,
    pub counts: Counts,
    /// The points the list sends more people to than they have places, with the rows beyond.
    pub overflow: Vec<Overflow>,
    /// The rows whose phone is on file under another name (同号不同名), with what is done.
    pub shared_phones: Vec<SharedPhoneRow>,
}

/// What becomes of a row whose phone is on file under another name. Until the coordinator
/// says otherwise it is another person who shares the phone: nobody on file is renamed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SharedPhone {
    /// Another person with the same phone (an office line, a phone passed on): added.
    #[default]
    Another,
    /// The person on file under a new name: their record is updated from the row.
    Same,
    /// The row is left out.
    Skip,
}

/// The coordinator's answers for a list, by the row number Excel shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    #[serde(default)]
    pub shared_phone: std::collections::BTreeMap<usize, SharedPhone>,
}

/// A list row whose phone belongs to someone on file with another name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedPhoneRow {
    /// 1-based, as Excel shows it.
    pub row: usize,
    pub name: String,
    pub organisation: String,
    /// The person on file with that phone.
    pub on_file_code: String,
    pub on_file_name: String,
    pub on_file_organisation: String,
    /// A mobile is one person's: sharing it is worth a second look. A landline may be shared.
    pub mobile: bool,
    pub choice: SharedPhone,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub sheet: String,
    pub header_row: usize,
    pub kind: Kind,
    pub committed: bool,
    pub counts: Counts,
    pub problems: Vec<Problem>,
    /// What was done with the rows beyond a point's places.
    #[serde(default)]
    pub over_capacity: OverCapacity,
    /// Per point over its places: how many went to its waiting list (or over capacity).
    #[serde(default)]
    pub overflow: Vec<Overflow>,
    /// The rows whose phone is on file under another name, with what was done with each.
    #[serde(default)]
    pub shared_phones: Vec<SharedPhoneRow>,
}

impl Problem {
    fn new(
        row: usize,
        severity: Severity,
        code: &str,
        column: Option<String>,
        message: String,
        detail: Option<String>,
    ) -> Problem {
        Problem {
            row,
            column,
            severity,
            code: code.to_string(),
            message,
            detail,
        }
    }
}
