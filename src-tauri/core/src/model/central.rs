//! The rows that travel between a desk and the central server (see `central`). Reference rows
//! carry the version they were written at (`updated_at`), so that a later edit wins wherever it
//! is applied; log rows (check-ins, revocations) are never edited and carry none.

use serde::{Deserialize, Serialize};

use super::{Event, Expert, PackCheckIn, PackRevocation, ServicePoint, SignUp, Theme};

/// An event as the server publishes it, with its district and secret key (so that packages of
/// the event carried by file between this desk and the others still open).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CentralEvent {
    pub event: Event,
    pub district: String,
    pub key: Vec<u8>,
}

/// An expert with the moment of its last edit, and whether it is archived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CentralExpert {
    pub expert: Expert,
    pub archived: bool,
    pub updated_at: String,
    /// For an upload: one of this desk's events the expert takes part in (the server accepts
    /// a desk's edits only for its own venues' people). Empty in what is pulled.
    #[serde(default)]
    pub event_id: String,
}

/// A sign-up with the moment of its last change (a move to another group is one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CentralSignUp {
    pub signup: SignUp,
    pub updated_at: String,
}

/// A service point created or edited on a desk, as it goes up: with its theme's name (a theme
/// made on the laptop comes along) and the digest of its fields (its version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CentralPoint {
    pub point: ServicePoint,
    pub theme_name: String,
    pub digest: String,
}

/// What a desk has to upload: rows not yet on the server, or edited since.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub points: Vec<CentralPoint>,
    pub experts: Vec<CentralExpert>,
    pub signups: Vec<CentralSignUp>,
    pub checkins: Vec<PackCheckIn>,
    pub revocations: Vec<PackRevocation>,
}

impl Outbox {
    pub fn len(&self) -> usize {
        self.points.len()
            + self.experts.len()
            + self.signups.len()
            + self.checkins.len()
            + self.revocations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a desk pulled: reference rows of its venues changed since its cursor, and the venues'
/// check-ins and revocations made elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub events: Vec<CentralEvent>,
    pub themes: Vec<Theme>,
    pub points: Vec<ServicePoint>,
    pub experts: Vec<CentralExpert>,
    pub signups: Vec<CentralSignUp>,
    pub checkins: Vec<PackCheckIn>,
    pub revocations: Vec<PackRevocation>,
}

impl Inbox {
    pub fn len(&self) -> usize {
        self.events.len()
            + self.themes.len()
            + self.points.len()
            + self.experts.len()
            + self.signups.len()
            + self.checkins.len()
            + self.revocations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What applying a pull changed here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub events: usize,
    pub points: usize,
    pub experts: usize,
    pub signups: usize,
    pub checkins: usize,
    pub revocations: usize,
    /// Experts whose version here was replaced by an edit the server received after it (what
    /// they said is kept in the audit log).
    pub overridden: usize,
    /// Rows set aside: waiting for what they refer to, or refused by the rules.
    pub parked: usize,
}

/// A pulled row set aside (see `central_parked`): what it is and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkedRow {
    pub kind: String,
    pub id: String,
    pub reason: String,
    /// Waiting for what it refers to (applied when that arrives), or refused for good.
    pub waiting: bool,
}
