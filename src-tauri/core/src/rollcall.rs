//! The afternoon roll call: each service point's list, who is on the bus, moving people
//! between groups, and who came in the morning but is on no bus.

pub use crate::model::RosterRow;
use crate::{store, Db, Result, SignUpStatus};

/// Moving people between groups is a change of sign-up; the roll call's screens use it.
pub use crate::signups::{move_to_point, Moved};

/// The sign-ups of one service point, waiting list last.
pub fn roster(db: &Db, event_id: &str, point_id: &str) -> Result<Vec<RosterRow>> {
    store::attendance::roster(db.conn(), event_id, Some(point_id))
}

/// Registered experts not yet checked in at the venue, for the "not yet arrived" list.
pub fn not_arrived(db: &Db, event_id: &str) -> Result<Vec<RosterRow>> {
    Ok(store::attendance::roster(db.conn(), event_id, None)?
        .into_iter()
        .filter(|r| r.status == SignUpStatus::Registered && r.morning_time.is_none())
        .collect())
}

/// Checked in at the venue in the morning, but not on any bus: no service point, or not yet
/// checked in at theirs.
pub fn not_on_any_bus(db: &Db, event_id: &str) -> Result<Vec<RosterRow>> {
    Ok(store::attendance::roster(db.conn(), event_id, None)?
        .into_iter()
        .filter(|r| r.morning_time.is_some() && r.point_checkin_id.is_none())
        .collect())
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::{checkin, Checkpoint, Desk, Method};

    fn setup() -> (Db, Desk, DateTime<Utc>) {
        (
            crate::testing::demo(),
            crate::testing::desk(),
            crate::testing::at(13, 0),
        )
    }

    #[test]
    fn the_bus_list_knows_who_came_in_the_morning_and_who_boarded() {
        let (mut db, desk, t) = setup();
        let missing_before = not_arrived(&db, "2024-jinshan").unwrap().len();
        let p3: Vec<RosterRow> = roster(&db, "2024-jinshan", "2024-jinshan-p3")
            .unwrap()
            .into_iter()
            .filter(|r| r.morning_time.is_none() && r.status == SignUpStatus::Registered)
            .collect();
        let a = &p3[0];
        let b = &p3[1];
        for e in [a, b] {
            checkin::check_in(
                &mut db,
                "2024-jinshan",
                &e.expert_id,
                &Checkpoint::Main,
                Method::Search,
                &desk,
                t,
            )
            .unwrap();
        }
        checkin::check_in(
            &mut db,
            "2024-jinshan",
            &a.expert_id,
            &Checkpoint::Point("2024-jinshan-p3".into()),
            Method::Scan,
            &desk,
            t,
        )
        .unwrap();
        let off_bus = not_on_any_bus(&db, "2024-jinshan").unwrap();
        assert!(off_bus.iter().any(|r| r.expert_id == b.expert_id));
        assert!(!off_bus.iter().any(|r| r.expert_id == a.expert_id));
        let row = roster(&db, "2024-jinshan", "2024-jinshan-p3")
            .unwrap()
            .into_iter()
            .find(|r| r.expert_id == a.expert_id)
            .unwrap();
        assert_eq!(row.point_time.as_deref(), Some("13:00"));
        assert_eq!(row.morning_time.as_deref(), Some("13:00"));
        let missing = not_arrived(&db, "2024-jinshan").unwrap();
        assert!(!missing.iter().any(|r| r.expert_id == a.expert_id));
        assert_eq!(missing.len(), missing_before - 2);
    }
}
