//! Moving a sign-up to another service point: a full point refuses unless confirmed, and the
//! place left behind goes to the first one waiting there.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{promote, Promoted};
use crate::{clock, store, Db, Desk, Error, Result, SignUp, SignUpStatus};

#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub signup: SignUp,
    pub from_point_id: Option<String>,
    /// Registered at the new point after the move, and its capacity.
    pub used: i64,
    pub capacity: i64,
    /// Moved up from the waiting list of the point the expert left.
    pub promoted: Vec<Promoted>,
}

/// Moves an expert's sign-up to another service point (or to none). A full point refuses
/// unless `over_capacity` is confirmed; the audit log records every move.
pub fn move_to_point(
    db: &mut Db,
    event_id: &str,
    expert_id: &str,
    to_point_id: Option<&str>,
    over_capacity: bool,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Moved> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let mut signup = store::signup::current(&tx, event_id, expert_id)?.ok_or(Error::NotSignedUp)?;
    let (mut used, mut capacity) = (0, 0);
    if let Some(pid) = to_point_id {
        let point = match store::point::get(&tx, pid)? {
            Some(p) if p.event_id == event_id => p,
            _ => return Err(Error::PointNotFound(pid.to_string())),
        };
        used = store::signup::registered_at_point(&tx, pid)?;
        capacity = point.capacity;
        let already_there = signup.point_id.as_deref() == Some(pid);
        if !already_there && point.capacity > 0 && used >= point.capacity && !over_capacity {
            return Err(Error::CapacityFull {
                point: point.name,
                used,
                capacity: point.capacity,
            });
        }
        if !already_there && signup.status == SignUpStatus::Registered {
            used += 1;
        }
    }
    let from = signup.point_id.clone();
    store::signup::set_point(&tx, &signup.id, to_point_id, &at)?;
    // Someone on a waiting list who moves to a point with room is registered there.
    if signup.status == SignUpStatus::Waiting
        && (to_point_id.is_none() || used < capacity || capacity == 0 || over_capacity)
    {
        store::signup::set_status(&tx, &signup.id, SignUpStatus::Registered, &at)?;
        signup.status = SignUpStatus::Registered;
    }
    store::audit::append(
        &tx,
        &at,
        desk,
        "move",
        "signup",
        &signup.id,
        &format!(
            "{} → {}{}",
            from.as_deref().unwrap_or("-"),
            to_point_id.unwrap_or("-"),
            if over_capacity {
                "（确认超额）"
            } else {
                ""
            }
        ),
    )?;
    // The place left behind goes to the first one waiting there.
    let promoted = match &from {
        Some(old) if Some(old.as_str()) != to_point_id => promote(&tx, old, desk, &at)?,
        _ => Vec::new(),
    };
    tx.commit()?;
    signup.point_id = to_point_id.map(str::to_string);
    Ok(Moved {
        signup,
        from_point_id: from,
        used,
        capacity,
        promoted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollcall::roster;
    use crate::testing;

    #[test]
    fn moving_into_a_full_point_needs_confirmation() {
        let (mut db, desk, t) = (testing::demo(), testing::desk(), testing::at(13, 0));
        // p1 is full in the demo (20 of 20); take someone from p2.
        let someone = roster(&db, "2024-jinshan", "2024-jinshan-p2").unwrap()[0].clone();
        let err = move_to_point(
            &mut db,
            "2024-jinshan",
            &someone.expert_id,
            Some("2024-jinshan-p1"),
            false,
            &desk,
            t,
        )
        .unwrap_err();
        assert_eq!(err.code(), "capacity_full");
        assert!(err.to_string().contains("20/20"));
        let m = move_to_point(
            &mut db,
            "2024-jinshan",
            &someone.expert_id,
            Some("2024-jinshan-p1"),
            true,
            &desk,
            t,
        )
        .unwrap();
        assert_eq!((m.used, m.capacity), (21, 20));
        assert_eq!(m.from_point_id.as_deref(), Some("2024-jinshan-p2"));
        assert!(roster(&db, "2024-jinshan", "2024-jinshan-p1")
            .unwrap()
            .iter()
            .any(|r| r.expert_id == someone.expert_id));
        let audit = store::audit::recent(db.conn(), 5).unwrap();
        assert!(audit
            .iter()
            .any(|a| a.action == "move" && a.detail.contains("确认超额")));
    }
}
