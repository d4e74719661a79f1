//! Desks syncing through the city office's central PostgreSQL — optional, and never on the
//! desk's path. A desk's SQLite file stays its own truth (`tongxin_core::central` reads and
//! writes it); this crate carries rows between that file and the server:
//!
//! - **push**: the log (check-ins, revocations) and a desk's new or edited experts and sign-ups,
//!   in batches of one transaction each, `INSERT … ON CONFLICT (id) DO NOTHING` — the UUID is the
//!   idempotency key, so a push cut halfway is simply pushed again;
//! - **pull**: the venue's reference rows and the check-ins made at its other desks, changed
//!   since the desk's cursor (the server's revision), re-pulled with an overlap and applied
//!   idempotently;
//! - **the city dashboard**: every venue's 应到 / 实到 / walk-ins and when it was last heard of,
//!   woken by `LISTEN tongxin`.
//!
//! The server's schema is plain SQL in `server/`, applied by [`server::init`].

mod connect;
pub mod dashboard;
mod error;
mod pull;
mod push;
pub mod round;
pub mod server;

pub use connect::{connect, connect_listening, Link, Notified, Target};
pub use dashboard::{dashboard, Venue};
pub use error::{SyncError, CODES};
pub use round::{publish, round, Notes, Report};

/// The server schema version this program speaks.
pub const SCHEMA_VERSION: i64 = server::MIGRATIONS.len() as i64;

pub type Result<T, E = SyncError> = std::result::Result<T, E>;
