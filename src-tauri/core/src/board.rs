//! The sign-up board (报名看板): each service point of an event with the people signed up and
//! its waiting list, and those signed up for the event without a point.

use serde::Serialize;

use crate::rollcall::RosterRow;
use crate::{store, Db, Expert, Result, SignUp, SignUpStatus, Theme};

#[derive(Serialize)]
pub struct BoardPoint {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub theme: String,
    pub theme_id: Option<String>,
    pub address: String,
    pub contact: String,
    pub contact_phone: String,
    pub capacity: i64,
    pub depart_time: String,
    pub bus: String,
    pub registered: Vec<RosterRow>,
    pub waiting: Vec<RosterRow>,
}

#[derive(Serialize)]
pub struct Board {
    pub points: Vec<BoardPoint>,
    /// Signed up for the event without a service point (plenary only).
    pub unassigned: Vec<RosterRow>,
    pub themes: Vec<Theme>,
}

/// The board of `event_id`.
pub fn board(db: &Db, event_id: &str) -> Result<Board> {
    let c = db.conn();
    let themes = store::theme::list(c)?;
    let everyone = store::attendance::roster(c, event_id, None)?;
    let points = store::point::list_for_event(c, event_id)?
        .into_iter()
        .map(|p| {
            let mine = |status| {
                everyone
                    .iter()
                    .filter(|r| r.point_id.as_deref() == Some(p.id.as_str()) && r.status == status)
                    .cloned()
                    .collect::<Vec<_>>()
            };
            BoardPoint {
                theme: p
                    .theme_id
                    .as_ref()
                    .and_then(|t| themes.iter().find(|x| &x.id == t))
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
                registered: mine(SignUpStatus::Registered),
                waiting: mine(SignUpStatus::Waiting),
                id: p.id,
                name: p.name,
                short_name: p.short_name,
                theme_id: p.theme_id,
                address: p.address,
                contact: p.contact,
                contact_phone: p.contact_phone,
                capacity: p.capacity,
                depart_time: p.depart_time,
                bus: p.bus,
            }
        })
        .collect();
    let unassigned = everyone
        .into_iter()
        .filter(|r| r.point_id.is_none())
        .collect();
    Ok(Board {
        points,
        unassigned,
        themes,
    })
}

/// One expert as the edit form shows them: the record, their live sign-ups, and whether they
/// ever checked in (which decides between deleting and archiving).
#[derive(Debug, Clone, Serialize)]
pub struct ExpertDetail {
    pub expert: Expert,
    pub signups: Vec<SignUp>,
    pub has_checkins: bool,
}

pub fn expert_detail(db: &Db, id: &str) -> Result<ExpertDetail> {
    let c = db.conn();
    let expert =
        store::expert::get(c, id)?.ok_or_else(|| crate::Error::ExpertNotFound(id.to_string()))?;
    Ok(ExpertDetail {
        signups: store::signup::live_for_expert(c, id)?,
        has_checkins: store::expert::has_checkins(c, id)?,
        expert,
    })
}
