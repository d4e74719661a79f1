//! Who is expected and who is here: the live counts of the desk.

use serde::Serialize;

pub use crate::store::attendance::{GroupAttendance, RecentArrival};
use crate::{store, Checkpoint, Db, Result};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Attendance {
    pub event_id: String,
    pub checkpoint: Checkpoint,
    /// 应到: registered sign-ups (waiting list and cancelled excluded).
    pub expected: i64,
    /// 实到: distinct experts with a live check-in here.
    pub present: i64,
    /// 现场补录: present experts registered on the spot.
    pub walk_ins: i64,
    /// Present but not on this checkpoint's list.
    pub unexpected: i64,
    pub groups: Vec<GroupAttendance>,
    pub recent: Vec<RecentArrival>,
}

pub fn attendance(db: &Db, event_id: &str, checkpoint: &Checkpoint) -> Result<Attendance> {
    let c = db.conn();
    let pid = checkpoint.point_id();
    let t = store::attendance::totals(c, event_id, pid)?;
    Ok(Attendance {
        event_id: event_id.to_string(),
        checkpoint: checkpoint.clone(),
        expected: t.expected,
        present: t.present,
        walk_ins: t.walk_ins,
        unexpected: t.unexpected,
        groups: store::attendance::groups(c, event_id, pid)?,
        recent: store::attendance::recent(c, event_id, pid, 8)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{checkin, Desk, Method};
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_check_in_raises_present_and_an_undo_lowers_it() {
        let mut db = Db::open_in_memory().unwrap();
        let t0 = Utc.with_ymd_and_hms(2024, 9, 29, 0, 0, 0).unwrap();
        crate::demo::load(&mut db, t0).unwrap();
        let before = attendance(&db, "2024-jinshan", &Checkpoint::Main).unwrap();
        assert_eq!(
            before.expected, 115,
            "115 registered in the demo, 6 waiting"
        );
        assert_eq!(before.present, 9, "the demo ships 9 early arrivals");

        let waiting_free = store::signup::for_event(db.conn(), "2024-jinshan")
            .unwrap()
            .into_iter()
            .find(|s| {
                s.point_id.as_deref() == Some("2024-jinshan-p1")
                    && s.status == crate::SignUpStatus::Registered
                    && !before.recent.iter().any(|r| r.expert_id == s.expert_id)
            })
            .unwrap();
        let desk = Desk {
            id: "d".into(),
            name: "1号台".into(),
        };
        let r = checkin::check_in(
            &mut db,
            "2024-jinshan",
            &waiting_free.expert_id,
            &Checkpoint::Main,
            Method::Search,
            &desk,
            t0 + chrono::Duration::minutes(90),
        )
        .unwrap();
        let after = attendance(&db, "2024-jinshan", &Checkpoint::Main).unwrap();
        assert_eq!(after.present, 10);
        let g = |a: &Attendance| {
            a.groups
                .iter()
                .find(|g| g.point_id == "2024-jinshan-p1")
                .unwrap()
                .present
        };
        assert_eq!(g(&after), g(&before) + 1);
        assert_eq!(after.recent[0].checkin_id, r.checkin.id);

        checkin::revoke(&mut db, &r.checkin.id, "误签", &desk, t0).unwrap();
        let undone = attendance(&db, "2024-jinshan", &Checkpoint::Main).unwrap();
        assert_eq!(undone.present, 9);
        assert!(undone.recent[0].revoked);
    }
}
