//! Service points edited in the window: checked, saved, and — when places are added — given to
//! the first ones waiting.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{clock, store, Db, Desk, Error, Result, ServicePoint};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PointForm {
    /// Empty for a new point.
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub theme_id: Option<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub capacity: i64,
    #[serde(default)]
    pub depart_time: String,
    #[serde(default)]
    pub bus: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SavedPoint {
    pub point: ServicePoint,
    pub promoted: Vec<crate::signups::Promoted>,
}

/// The event's service points in their printed order.
pub fn list(db: &Db, event_id: &str) -> Result<Vec<ServicePoint>> {
    store::point::list_for_event(db.conn(), event_id)
}

/// The theme groups (专题组) points belong to, in their order.
pub fn themes(db: &Db) -> Result<Vec<crate::Theme>> {
    store::theme::list(db.conn())
}

pub fn save(
    db: &mut Db,
    event_id: &str,
    form: &PointForm,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<SavedPoint> {
    let name = form.name.trim();
    if name.is_empty() {
        return Err(Error::PointNameRequired);
    }
    if !(0..=crate::rules::MAX_CAPACITY).contains(&form.capacity) {
        return Err(Error::CapacityInvalid(form.capacity));
    }
    let depart = if form.depart_time.trim().is_empty() {
        String::new()
    } else {
        clock::parse_time(&form.depart_time)
            .ok_or_else(|| Error::TimeInvalid(form.depart_time.clone()))?
    };
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    if store::event::get(&tx, event_id)?.is_none() {
        return Err(Error::EventNotFound(event_id.to_string()));
    }
    if let Some(t) = &form.theme_id {
        if store::theme::name(&tx, t)?.is_none() {
            return Err(Error::PointNotFound(t.clone()));
        }
    }
    let existing = if form.id.is_empty() {
        None
    } else {
        Some(
            store::point::get(&tx, &form.id)?
                .filter(|p| p.event_id == event_id)
                .ok_or_else(|| Error::PointNotFound(form.id.clone()))?,
        )
    };
    let sort_order = match &existing {
        Some(p) => p.sort_order,
        None => {
            store::point::list_for_event(&tx, event_id)?
                .iter()
                .map(|p| p.sort_order)
                .max()
                .unwrap_or(0)
                + 1
        }
    };
    let point = ServicePoint {
        id: existing
            .as_ref()
            .map(|p| p.id.clone())
            .unwrap_or_else(store::new_id),
        event_id: event_id.to_string(),
        theme_id: form.theme_id.clone(),
        name: name.to_string(),
        short_name: form.short_name.trim().to_string(),
        address: form.address.trim().to_string(),
        contact: form.contact.trim().to_string(),
        contact_phone: form.contact_phone.trim().to_string(),
        capacity: form.capacity,
        depart_time: depart,
        bus: form.bus.trim().to_string(),
        sort_order,
    };
    match existing {
        Some(_) => store::point::update(&tx, &point)?,
        None => store::point::insert(&tx, &point)?,
    }
    store::audit::append(
        &tx,
        &at,
        desk,
        "point_save",
        "service_point",
        &point.id,
        &point.name,
    )?;
    let promoted = crate::signups::promote(&tx, &point.id, desk, &at)?;
    tx.commit()?;
    Ok(SavedPoint { point, promoted })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn more_places_go_to_the_waiting_list_and_bad_values_are_refused() {
        let mut db = testing::demo();
        let desk = testing::desk();
        let t = testing::at(8, 0);
        let p1 = store::point::get(db.conn(), "2024-jinshan-p1")
            .unwrap()
            .unwrap();
        let waiting = store::signup::waiting_at_point(db.conn(), &p1.id).unwrap();
        assert!(
            !waiting.is_empty(),
            "the demo has people waiting for 御风未来"
        );
        let mut form = PointForm {
            id: p1.id.clone(),
            name: p1.name.clone(),
            theme_id: p1.theme_id.clone(),
            capacity: p1.capacity + 1,
            depart_time: "13：30".into(),
            ..PointForm::default()
        };
        let saved = save(&mut db, "2024-jinshan", &form, &desk, t).unwrap();
        assert_eq!(saved.promoted.len(), 1);
        assert_eq!(saved.promoted[0].expert_id, waiting[0].expert_id);
        assert_eq!(saved.point.depart_time, "13:30");
        form.capacity = -1;
        assert_eq!(
            save(&mut db, "2024-jinshan", &form, &desk, t)
                .unwrap_err()
                .code(),
            "capacity_invalid"
        );
        form.capacity = 20;
        form.depart_time = "下午".into();
        assert_eq!(
            save(&mut db, "2024-jinshan", &form, &desk, t)
                .unwrap_err()
                .code(),
            "time_invalid"
        );
    }
}
