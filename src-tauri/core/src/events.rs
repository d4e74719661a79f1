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

pub fn set_current(db: &Db, event_id: &str) -> Result<Event> {
    let e = store::event::get(db.conn(), event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    store::setting::set(db.conn(), store::setting::CURRENT_EVENT, event_id)?;
    Ok(e)
}
