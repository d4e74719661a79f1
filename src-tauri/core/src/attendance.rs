//! Who is expected and who is here: the live counts of the desk.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::store::attendance::{Expected, SignUpsStamp};
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
    let expected = expected(db, event_id)?;
    compose(db, event_id, checkpoint, &expected)
}

/// The same counts made afresh from every sign-up, nothing kept: the reference the desk's kept
/// counts are measured and checked against (`tongxin-cli bench attendance`).
pub fn recounted(db: &Db, event_id: &str, checkpoint: &Checkpoint) -> Result<Attendance> {
    let expected = store::attendance::expected(db.conn(), event_id)?;
    compose(db, event_id, checkpoint, &expected)
}

fn compose(
    db: &Db,
    event_id: &str,
    checkpoint: &Checkpoint,
    expected: &Expected,
) -> Result<Attendance> {
    let c = db.conn();
    let pid = checkpoint.point_id();
    let here = store::attendance::present(c, event_id, pid)?;
    let point = |id: &str| expected.points.get(id).copied().unwrap_or_default();
    let groups = store::attendance::group_heads(c, event_id)?
        .into_iter()
        .map(|h| GroupAttendance {
            expected: point(&h.point_id).expected,
            waiting: point(&h.point_id).waiting,
            present: here.points.get(&h.point_id).copied().unwrap_or(0),
            point_id: h.point_id,
            point_name: h.point_name,
            point_short_name: h.point_short_name,
            theme_name: h.theme_name,
            capacity: h.capacity,
            depart_time: h.depart_time,
            bus: h.bus,
        })
        .collect();
    Ok(Attendance {
        event_id: event_id.to_string(),
        checkpoint: checkpoint.clone(),
        expected: match pid {
            None => expected.venue,
            Some(p) => point(p).expected,
        },
        present: here.present,
        walk_ins: here.walk_ins,
        // Present but not on the expected list (walk-ins, people of another group at a point).
        unexpected: here.present - here.expected_present,
        groups,
        recent: store::attendance::recent(c, event_id, pid, 8)?,
    })
}

/// The expected side of the counts, kept per event between calls and counted again only when
/// the sign-ups changed (through this connection or any other): a check-in is not such a change,
/// so the desk reads 应到 of a 100,000-name list in two index lookups instead of a pass over it.
#[derive(Default)]
pub(crate) struct Memo {
    events: HashMap<String, (SignUpsStamp, Arc<Expected>)>,
}

fn expected(db: &Db, event_id: &str) -> Result<Arc<Expected>> {
    let c = db.conn();
    let stamp = store::attendance::signups_stamp(c)?;
    if let Some((at, e)) = db.memo().borrow().events.get(event_id) {
        if *at == stamp {
            return Ok(Arc::clone(e));
        }
    }
    let e = Arc::new(store::attendance::expected(c, event_id)?);
    db.memo()
        .borrow_mut()
        .events
        .insert(event_id.to_string(), (stamp, Arc::clone(&e)));
    Ok(e)
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
            before.expected, 121,
            "115 registered in the demo and 6 waiting for a point's place: all expected"
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

    /// The same counts, computed the slow way straight from every sign-up.
    fn recounted(db: &Db, p: &str) -> (i64, i64, i64) {
        let n = |sql: &str| -> i64 { db.conn().query_row(sql, [p], |r| r.get(0)).unwrap() };
        (
            n("SELECT count(DISTINCT expert_id) FROM signup
               WHERE event_id = '2024-jinshan' AND status IN ('registered', 'waiting')
                 AND ?1 = ?1"),
            n("SELECT count(DISTINCT expert_id) FROM signup
               WHERE point_id = ?1 AND status = 'registered'"),
            n("SELECT count(*) FROM signup WHERE point_id = ?1 AND status = 'waiting'"),
        )
    }

    fn shown(db: &Db, p: &str) -> (i64, i64, i64) {
        let a = attendance(db, "2024-jinshan", &Checkpoint::Main).unwrap();
        let g = a.groups.iter().find(|g| g.point_id == p).unwrap();
        (a.expected, g.expected, g.waiting)
    }

    #[test]
    fn the_kept_counts_follow_every_change_to_the_sign_ups_made_by_another_connection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("day.db");
        let t0 = Utc.with_ymd_and_hms(2024, 9, 29, 0, 0, 0).unwrap();
        let mut desk = Db::open(&path).unwrap();
        crate::demo::load(&mut desk, t0).unwrap();
        // The sync (or the CLI) writes through a connection of its own.
        let other = Db::open(&path).unwrap();
        let p = "2024-jinshan-p1";
        assert_eq!(shown(&desk, p), recounted(&desk, p));
        let at = "2024-09-29T01:00:00.000Z";
        let one = store::signup::for_event(other.conn(), "2024-jinshan")
            .unwrap()
            .into_iter()
            .find(|s| {
                s.point_id.as_deref() == Some(p) && s.status == crate::SignUpStatus::Registered
            })
            .unwrap();
        let before = shown(&desk, p);

        store::signup::set_status(other.conn(), &one.id, crate::SignUpStatus::Waiting, at).unwrap();
        // Waiting for the bus, still expected at the venue.
        assert_eq!(shown(&desk, p), (before.0, before.1 - 1, before.2 + 1));
        assert_eq!(shown(&desk, p), recounted(&desk, p));

        store::signup::delete(other.conn(), &one.id).unwrap();
        assert_eq!(shown(&desk, p), (before.0 - 1, before.1 - 1, before.2));

        store::signup::insert(
            other.conn(),
            &crate::SignUp {
                status: crate::SignUpStatus::Registered,
                ..one.clone()
            },
            at,
        )
        .unwrap();
        assert_eq!(shown(&desk, p), before, "signed up again");

        store::signup::set_point(other.conn(), &one.id, None, at).unwrap();
        assert_eq!(shown(&desk, p), (before.0, before.1 - 1, before.2));
        assert_eq!(shown(&desk, p), recounted(&desk, p));
    }
}
