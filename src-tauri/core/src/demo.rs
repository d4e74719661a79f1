//! The embedded demo day: 2024-09-29 at the Jinshan main venue, with the five real themes and
//! service points and 121 synthetic experts (assets/demo/jinshan-2024.json).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    clock, search, store, CheckIn, Db, Error, Event, Expert, Method, Result, ServicePoint, SignUp,
    SignUpStatus, Theme,
};

const DEMO_JSON: &str = include_str!("../../../assets/demo/jinshan-2024.json");
pub const DEMO_EVENT_ID: &str = "2024-jinshan";

/// Printed before the event's name on everything printed from the demo day (sheets, badges,
/// the summary), so that a demo sheet is never taken for a real one.
pub const PRINT_MARK: &str = "【示例数据】";

/// Whether this is the embedded demo day (marked on every screen and every page).
pub fn is_demo(event_id: &str) -> bool {
    event_id == DEMO_EVENT_ID
}

/// The event's name as printed: the demo day's carries [`PRINT_MARK`].
pub fn printed_name(event: &Event) -> String {
    if is_demo(&event.id) {
        format!("{PRINT_MARK}{}", event.name)
    } else {
        event.name.clone()
    }
}

#[derive(Deserialize)]
struct DemoFile {
    event: Event,
    themes: Vec<Theme>,
    points: Vec<DemoPoint>,
    experts: Vec<Expert>,
    signups: Vec<DemoSignUp>,
    checkins: Vec<DemoCheckIn>,
    /// 同心荟 stations of the district, with the experts appointed to them.
    #[serde(default)]
    stations: Vec<DemoStation>,
}

#[derive(Deserialize)]
struct DemoStation {
    #[serde(flatten)]
    station: crate::Station,
    appointed: Vec<DemoAppointment>,
}

#[derive(Deserialize)]
struct DemoAppointment {
    expert: String,
    on: String,
    term_years: i64,
}

#[derive(Deserialize)]
struct DemoPoint {
    id: String,
    theme_id: String,
    name: String,
    short_name: String,
    address: String,
    contact: String,
    contact_phone: String,
    capacity: i64,
    depart_time: String,
    bus: String,
    sort_order: i64,
}

#[derive(Deserialize)]
struct DemoSignUp {
    expert: String,
    point: Option<String>,
    status: SignUpStatus,
}

#[derive(Deserialize)]
struct DemoCheckIn {
    id: String,
    expert: String,
    at: String,
    desk: String,
    method: Method,
}

#[derive(Debug, Serialize)]
pub struct DemoSummary {
    pub event_id: String,
    pub experts: usize,
    pub points: usize,
    pub signups: usize,
    pub checkins: usize,
}

/// Loads the demo day in one transaction and makes it the current event.
pub fn load(db: &mut Db, now: DateTime<Utc>) -> Result<DemoSummary> {
    let demo: DemoFile =
        serde_json::from_str(DEMO_JSON).map_err(|e| Error::DemoData(e.to_string()))?;
    let created = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    if store::event::get(&tx, &demo.event.id)?.is_some() {
        return Err(Error::DemoExists);
    }
    store::event::insert(&tx, &demo.event, &crate::seal::new_key()?, &created)?;
    for t in &demo.themes {
        if !store::theme::list(&tx)?.iter().any(|x| x.id == t.id) {
            store::theme::insert(&tx, t)?;
        }
    }
    for p in &demo.points {
        store::point::insert(
            &tx,
            &ServicePoint {
                id: p.id.clone(),
                event_id: demo.event.id.clone(),
                theme_id: Some(p.theme_id.clone()),
                name: p.name.clone(),
                short_name: p.short_name.clone(),
                address: p.address.clone(),
                contact: p.contact.clone(),
                contact_phone: p.contact_phone.clone(),
                capacity: p.capacity,
                depart_time: p.depart_time.clone(),
                bus: p.bus.clone(),
                sort_order: p.sort_order,
            },
        )?;
    }
    let id_of = |code: &str| -> Result<String> {
        demo.experts
            .iter()
            .find(|e| e.code == code)
            .map(|e| e.id.clone())
            .ok_or_else(|| Error::DemoData(format!("unknown expert {code}")))
    };
    for e in &demo.experts {
        store::expert::insert(&tx, e, &search::stored_keys(&e.name), &created)?;
    }
    for s in &demo.signups {
        store::signup::insert(
            &tx,
            &SignUp {
                id: store::new_id(),
                event_id: demo.event.id.clone(),
                expert_id: id_of(&s.expert)?,
                point_id: s.point.clone(),
                status: s.status,
            },
            &created,
        )?;
    }
    for c in &demo.checkins {
        store::checkin::insert(
            &tx,
            &CheckIn {
                id: c.id.clone(),
                event_id: demo.event.id.clone(),
                expert_id: id_of(&c.expert)?,
                point_id: None,
                at: c.at.clone(),
                local_time: String::new(),
                desk_id: "demo-desk-1".into(),
                desk_name: c.desk.clone(),
                method: c.method,
                revoked_at: None,
                revoke_reason: None,
            },
        )?;
    }
    for st in &demo.stations {
        // Already there (the demo loaded before, or a station of that name opened by hand).
        if store::station::get(&tx, &st.station.id)?.is_some()
            || store::station::by_name(&tx, &st.station.district, &st.station.name)?.is_some()
        {
            continue;
        }
        store::station::insert(&tx, &st.station, &created)?;
        for a in &st.appointed {
            let appointment = crate::Appointment {
                id: format!("{}-{}", st.station.id, a.expert),
                station_id: st.station.id.clone(),
                expert_id: id_of(&a.expert)?,
                appointed_on: a.on.clone(),
                term_years: a.term_years,
                active: true,
            };
            store::station::appoint(&tx, &appointment, &created)?;
        }
    }
    store::setting::set(&tx, store::setting::CURRENT_EVENT, &demo.event.id)?;
    tx.commit()?;
    Ok(DemoSummary {
        event_id: demo.event.id,
        experts: demo.experts.len(),
        points: demo.points.len(),
        signups: demo.signups.len(),
        checkins: demo.checkins.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_demo_day_has_the_five_service_points_of_jinshan() {
        let mut db = Db::open_in_memory().unwrap();
        let s = load(&mut db, Utc.with_ymd_and_hms(2024, 9, 1, 0, 0, 0).unwrap()).unwrap();
        assert!(s.experts >= 100);
        let names: Vec<String> = store::point::list_for_event(db.conn(), DEMO_EVENT_ID)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(
            names,
            [
                "上海御风未来航空科技有限公司",
                "上海天承化学有限公司",
                "张江金山园",
                "上海乐高乐园度假区建设指挥部",
                "山塘村"
            ]
        );
    }

    #[test]
    fn loading_the_demo_twice_is_refused_and_changes_nothing() {
        let mut db = Db::open_in_memory().unwrap();
        let t = Utc.with_ymd_and_hms(2024, 9, 1, 0, 0, 0).unwrap();
        load(&mut db, t).unwrap();
        let n = store::expert::count(db.conn()).unwrap();
        assert_eq!(load(&mut db, t).unwrap_err().code(), "demo_exists");
        assert_eq!(store::expert::count(db.conn()).unwrap(), n);
    }
}
