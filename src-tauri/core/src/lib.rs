//! Tongxin's domain: experts, service points, sign-ups and check-ins for an Expert Service Day,
//! stored in one SQLite file. Nothing here knows about Tauri or the window; the shell and the CLI
//! are thin front ends over this crate.

pub mod activities;
pub mod attendance;
pub mod audit;
pub mod backup;
pub mod bigscreen;
pub mod board;
pub mod central;
pub mod checkin;
pub mod clock;
pub mod db;
pub mod demo;
pub mod desk;
pub mod directory;
pub mod districts;
pub mod erasure;
mod error;
pub mod events;
pub mod experts;
pub mod export;
pub mod import;
pub mod keys;
pub mod model;
pub mod outcomes;
pub mod package;
pub mod pinyin;
pub mod report;
pub mod rollcall;
pub mod rules;
pub mod scanner;
pub mod seal;
pub mod search;
pub mod service_points;
pub mod setup;
pub mod signups;
pub mod stations;
pub mod store;
pub mod surnames;
pub mod synth;
#[cfg(test)]
mod testing;
pub mod walkin;

pub use db::Db;
pub use error::{Error, Refusal, Result, CODES as ERROR_CODES};
pub use model::*;
