//! Which event the desk is working on.

use crate::{store, Db, Error, Event, Result};

/// The event chosen in settings, else the newest one; `None` in an empty database.
pub fn current(db: &Db) -> Result<Option<Event>> {
    let c = db.conn();
    if let Some(id) = store::setting::get(c, store::setting::CURRENT_EVENT)? {
        if let Some(e) = store::event::get(c, &id)? {
            return Ok(Some(e));
        }
    }
    Ok(store::event::list(c)?.into_iter().next())
}

/// Every event, newest first.
pub fn list(db: &Db) -> Result<Vec<Event>> {
    store::event::list(db.conn())
}

/// The event with this id.
pub fn get(db: &Db, id: &str) -> Result<Event> {
    store::event::get(db.conn(), id)?.ok_or_else(|| Error::EventNotFound(id.to_string()))
}

/// The event asked for by id, else the current one. An id that names no event is
/// `EventNotFound`; `None` only when nothing was asked and the database has no event yet (each
/// front end says in its own words what to do then).
pub fn resolve(db: &Db, given: Option<&str>) -> Result<Option<Event>> {
    match given {
        Some(id) => store::event::get(db.conn(), id)?
            .map(Some)
            .ok_or_else(|| Error::EventNotFound(id.to_string())),
        None => current(db),
    }
}

pub fn set_current(db: &Db, event_id: &str) -> Result<Event> {
    let e = store::event::get(db.conn(), event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    store::setting::set(db.conn(), store::setting::CURRENT_EVENT, event_id)?;
    Ok(e)
}

/// What the new-event form sends.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EventForm {
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    /// A sub-venue's main event (the city day it belongs to).
    #[serde(default)]
    pub parent_id: Option<String>,
    /// YYYY-MM-DD
    pub date: String,
    #[serde(default)]
    pub place: String,
}

/// Creates an event (a sub-venue when it has a parent), optionally with copies of another
/// event's service points (new ids, same themes, capacities, times and buses).
pub fn create(
    db: &mut Db,
    form: &EventForm,
    copy_points_from: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Event, usize)> {
    let name = form.name.trim();
    if name.is_empty() {
        return Err(Error::EventNameRequired);
    }
    if chrono::NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").is_err() {
        return Err(Error::DateInvalid(form.date.clone()));
    }
    let tx = db.conn_mut().transaction()?;
    if let Some(p) = &form.parent_id {
        if store::event::get(&tx, p)?.is_none() {
            return Err(Error::EventNotFound(p.clone()));
        }
    }
    let event = Event {
        id: store::new_id(),
        name: name.to_string(),
        short_name: form.short_name.trim().to_string(),
        kind: if form.parent_id.is_some() {
            crate::EventKind::Sub
        } else {
            crate::EventKind::Main
        },
        parent_id: form.parent_id.clone(),
        date: form.date.trim().to_string(),
        place: form.place.trim().to_string(),
    };
    let at = crate::clock::to_db(now);
    store::event::insert(&tx, &event, &crate::seal::new_key()?, &at)?;
    let mut copied = 0;
    if let Some(from) = copy_points_from {
        if store::event::get(&tx, from)?.is_none() {
            return Err(Error::EventNotFound(from.to_string()));
        }
        for mut p in store::point::list_for_event(&tx, from)? {
            p.id = store::new_id();
            p.event_id = event.id.clone();
            store::point::insert(&tx, &p)?;
            copied += 1;
        }
    }
    tx.commit()?;
    Ok((event, copied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_takes_the_named_event_else_the_current_one_and_refuses_an_unknown_id() {
        let empty = Db::open_in_memory().unwrap();
        assert!(resolve(&empty, None).unwrap().is_none());
        let db = crate::testing::demo();
        assert_eq!(resolve(&db, None).unwrap().unwrap().id, "2024-jinshan");
        let named = resolve(&db, Some("2024-jinshan")).unwrap().unwrap();
        assert_eq!(named.date, "2024-09-29");
        let err = resolve(&db, Some("no-such-day")).unwrap_err();
        assert_eq!(err.code(), "event_not_found");
    }

    #[test]
    fn a_sub_venue_gets_its_own_copies_of_the_points() {
        let mut db = crate::testing::demo();
        let form = EventForm {
            name: "2025年专家服务日".into(),
            short_name: "枫泾分会场".into(),
            parent_id: Some("2024-jinshan".into()),
            date: "2025-09-28".into(),
            place: "金山区枫泾镇".into(),
        };
        let (e, n) = create(
            &mut db,
            &form,
            Some("2024-jinshan"),
            crate::testing::at(8, 0),
        )
        .unwrap();
        assert_eq!(n, 5);
        assert_eq!(e.kind, crate::EventKind::Sub);
        let copies = store::point::list_for_event(db.conn(), &e.id).unwrap();
        let originals = store::point::list_for_event(db.conn(), "2024-jinshan").unwrap();
        assert_eq!(copies.len(), 5);
        assert!(copies
            .iter()
            .all(|c| !originals.iter().any(|o| o.id == c.id)));
        assert_eq!(copies[0].capacity, originals[0].capacity);
        let bad = EventForm {
            date: "明天".into(),
            ..form
        };
        assert_eq!(
            create(&mut db, &bad, None, crate::testing::at(8, 0))
                .unwrap_err()
                .code(),
            "date_invalid"
        );
    }
}
