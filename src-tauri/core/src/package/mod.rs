//! Carrying data between laptops on a USB stick: a **desk package** (the check-ins,
//! revocations and walk-ins a desk knows) and a **sub-venue package** (one event's service
//! points, experts and sign-ups, to set up a district's laptop).
//!
//! The mechanism is the usual one of offline check-in systems: check-ins and revocations are an
//! append-only log of records with global ids (UUIDs, never edited or deleted), so merging is
//! a set union — `INSERT OR IGNORE` by id — which is idempotent and independent of order. People
//! are the one thing two desks may create separately (a walk-in at each door, the same Excel
//! list imported twice): an expert from a package is matched by id, then by code with the same
//! name, then by phone, before being added, and the package's references are rewritten to the
//! local record. Nothing is ever overwritten. (SQLite's session extension was the alternative:
//! it needs libclang to build, and a unique-key conflict could only be skipped in its handler,
//! so convergence would need this matching anyway.)
//!
//! The file (`file`): a header line and the payload sealed under the event's key, so a forged
//! or altered package is refused; every record is checked (`validate`) before anything is
//! written, and a package carries only what the receiving desk needs.

use serde::{Deserialize, Serialize};

use crate::{Desk, Event, Expert, ServicePoint, SignUp, Theme};
pub use crate::{PackCheckIn, PackRevocation};

mod build;
mod file;
mod flags;
mod merge;
mod validate;
pub(crate) use validate::{checkin_problem, entity_id_ok, revocation_problem, version_ok};

pub use build::build;
pub use file::{
    key_for, open, open_with_key, read_bytes, read_file, to_bytes, Opened, Sealing, Unlock, FORMAT,
    VERSION,
};
pub use flags::flags;
pub use merge::{merge, merge_file, Merging, PART};

/// A package larger than this is not one of ours (100,000 check-ins are ~30 MB).
pub const MAX_BYTES: u64 = 200 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A desk's check-ins, revocations and walk-ins.
    Desk,
    /// One event's setup for a sub-venue's laptop.
    Subvenue,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub package_id: String,
    pub kind: Kind,
    pub created_at: String,
    pub desk: Desk,
    pub since: Option<String>,
    pub event: Event,
    pub themes: Vec<Theme>,
    pub points: Vec<ServicePoint>,
    pub experts: Vec<Expert>,
    pub signups: Vec<SignUp>,
    pub checkins: Vec<PackCheckIn>,
    pub revocations: Vec<PackRevocation>,
    /// The event's key (hex), only inside a passphrase-sealed sub-venue package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_key: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub points: usize,
    pub experts: usize,
    pub signups: usize,
    pub checkins: usize,
    pub revocations: usize,
}

/// The same person checked in at two desks: one attendance, both records kept, for review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub expert_id: String,
    pub name: String,
    pub checkpoint: String,
    /// "1号台 09:02 / 2号台 09:05"
    pub records: String,
}

/// Why a record is listed for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagKind {
    /// The same person checked in at more than one desk (one attendance, both records kept).
    Double,
    /// A record whose time the sending desk's clock got wrong (kept, the skew named).
    Clock,
}

#[derive(Debug, Clone, Serialize)]
pub struct MergeReport {
    pub kind: Kind,
    pub from_desk: String,
    pub event_id: String,
    pub event_name: String,
    /// New here.
    pub added: Tally,
    /// Already here (merging twice changes nothing).
    pub already: Tally,
    /// People of the package found here under another id (by code and name, or phone).
    pub matched_experts: usize,
    pub flagged: Vec<Flag>,
    /// False: merged unsealed, on the coordinator's word.
    pub sealed: bool,
    /// What was added, one line each (also in the audit log).
    pub lines: Vec<String>,
}

/// One thing a package added, for the report and the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Added {
    /// point, expert, signup, checkin, revocation
    pub what: &'static str,
    pub id: String,
    /// "新增签到：韩冬（E-0042）09:02 2号台"
    pub line: String,
}
