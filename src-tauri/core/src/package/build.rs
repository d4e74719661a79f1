//! Packing: what a package holds, from the packing desk's database — and only what the
//! receiving desk needs.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::{Kind, Payload};
use crate::{clock, store, Db, Desk, Error, Expert, Result, SignUp};

/// What a package holds, from the packing desk's database.
pub fn build(
    db: &Db,
    event_id: &str,
    kind: Kind,
    since: Option<DateTime<Utc>>,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Payload> {
    let c = db.conn();
    let event = store::event::get(c, event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    let since = since.map(clock::to_db);
    let (checkins, revocations) = match kind {
        Kind::Desk => (
            store::package::checkins(c, event_id, since.as_deref())?,
            store::package::revocations(c, event_id, since.as_deref())?,
        ),
        Kind::Subvenue => (Vec::new(), Vec::new()),
    };
    let all_signups = store::signup::for_event(c, event_id)?;
    // The people the package speaks of: those checked in (desk), or everyone signed up
    // (sub-venue) — with their sign-up for the event.
    let wanted: HashSet<String> = match kind {
        Kind::Desk => checkins.iter().map(|x| x.expert_id.clone()).collect(),
        Kind::Subvenue => all_signups.iter().map(|s| s.expert_id.clone()).collect(),
    };
    let mut experts = Vec::with_capacity(wanted.len());
    for id in &wanted {
        if let Some(e) = store::expert::get(c, id)? {
            experts.push(carried(e, kind));
        }
    }
    experts.sort_by(|a, b| a.id.cmp(&b.id));
    let signups: Vec<SignUp> = all_signups
        .into_iter()
        .filter(|s| wanted.contains(&s.expert_id))
        .collect();
    // The receiving desk of a desk package has the event's points already.
    let points = match kind {
        Kind::Desk => Vec::new(),
        Kind::Subvenue => store::point::list_for_event(c, event_id)?,
    };
    let themes = store::theme::list(c)?
        .into_iter()
        .filter(|t| points.iter().any(|p| p.theme_id.as_ref() == Some(&t.id)))
        .collect();
    Ok(Payload {
        package_id: store::new_id(),
        kind,
        created_at: clock::to_db(now),
        desk: desk.clone(),
        since,
        event,
        themes,
        points,
        experts,
        signups,
        checkins,
        revocations,
        event_key: None,
    })
}

/// What the receiving desk needs of a person: to find, match and print them. Notes, field
/// and gender stay home; a desk package leaves out the party too (the main venue has it, and a
/// walk-in has none).
fn carried(e: Expert, kind: Kind) -> Expert {
    Expert {
        gender: String::new(),
        field: String::new(),
        notes: String::new(),
        party: match kind {
            Kind::Desk => String::new(),
            Kind::Subvenue => e.party,
        },
        ..e
    }
}
