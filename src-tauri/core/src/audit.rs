//! The audit log as the front ends read it: who did what, at which desk, newest first.

use crate::{store, Db, Result};

pub use crate::store::audit::AuditEntry;

/// The newest `limit` entries, check-ins among them (they are their own record).
pub fn recent(db: &Db, limit: i64) -> Result<Vec<AuditEntry>> {
    store::audit::recent(db.conn(), limit)
}
