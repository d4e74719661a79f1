//! All SQL lives here, one module per table. Functions take a `&Connection` so that callers
//! can pass a transaction.

pub mod attendance;
pub mod audit;
pub mod bench;
pub mod checkin;
pub mod event;
pub mod expert;
pub mod point;
pub mod search;
pub mod setting;
pub mod signup;
pub mod theme;

/// A fresh globally unique id for a row created on this desk.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
