//! The same person checked in at two desks: one attendance, both records kept, listed for
//! review after a merge.

use super::Flag;
use crate::{clock, store, Db, Error, Event, Result};

/// The same people checked in more than once at one checkpoint (from different desks), to
/// review: one attendance each, every record kept.
pub fn flags(db: &Db, event_id: &str) -> Result<Vec<Flag>> {
    let event = store::event::get(db.conn(), event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    flags_in(db.conn(), &event)
}

pub(super) fn flags_in(c: &crate::store::Conn, event: &Event) -> Result<Vec<Flag>> {
    let points = store::point::list_for_event(c, &event.id)?;
    let mut flagged = Vec::new();
    for store::package::Double {
        expert_id,
        point_id,
        records,
    } in store::package::double_checkins(c, &event.id)?
    {
        let name = store::expert::get(c, &expert_id)?
            .map(|e| e.name)
            .unwrap_or_default();
        let checkpoint = match &point_id {
            None => event.short_name.clone(),
            Some(id) => points
                .iter()
                .find(|x| &x.id == id)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
        };
        let records = records
            .iter()
            .map(|(desk, at)| format!("{desk} {}", clock::local_hm(at)))
            .collect::<Vec<_>>()
            .join(" / ");
        flagged.push(Flag {
            expert_id,
            name,
            checkpoint,
            records,
        });
    }
    Ok(flagged)
}
