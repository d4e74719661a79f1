//! The outcomes of a service day's visits, entered after the afternoon on the roll-call screen
//! or a point's page: enterprises and people served at each service point, and the suggestions
//! (建言) collected there. They become the event's figures in the year's report.

use chrono::{DateTime, Utc};

use crate::{clock, store, Db, Desk, Error, Outcome, Result, Suggestion, SuggestionStatus};

/// More than any one visit serves: a typo (an extra digit), not an outcome.
pub const MAX_COUNT: i64 = 1_000_000;

fn count(n: i64) -> Result<i64> {
    if (0..=MAX_COUNT).contains(&n) {
        Ok(n)
    } else {
        Err(Error::CountInvalid(n.to_string()))
    }
}

/// Sets what a point's visit achieved (replacing what was entered before), with an audit line.
pub fn set(
    db: &mut Db,
    point_id: &str,
    enterprises: i64,
    people: i64,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    let o = Outcome {
        point_id: point_id.to_string(),
        enterprises: count(enterprises)?,
        people: count(people)?,
    };
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let point = store::point::get(&tx, point_id)?
        .ok_or_else(|| Error::PointNotFound(point_id.to_string()))?;
    store::outcome::set(&tx, &o, &at)?;
    let what = format!(
        "{}：服务企业 {} 家，服务群众 {} 人",
        point.name, o.enterprises, o.people
    );
    store::audit::append(&tx, &at, desk, "outcome", "point", point_id, &what)?;
    tx.commit()?;
    Ok(o)
}

/// The outcomes entered for an event's points (points without one are absent).
pub fn for_event(db: &Db, event_id: &str) -> Result<Vec<Outcome>> {
    store::outcome::for_event(db.conn(), event_id)
}

/// Records a suggestion collected at a point.
pub fn suggest(
    db: &mut Db,
    point_id: &str,
    title: &str,
    lead_expert_id: Option<&str>,
    theme: &str,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Suggestion> {
    let title = crate::rules::clean_text(title)?;
    if title.is_empty() {
        return Err(Error::SuggestionTitleRequired);
    }
    let theme = crate::rules::clean_text(theme)?;
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    store::point::get(&tx, point_id)?.ok_or_else(|| Error::PointNotFound(point_id.to_string()))?;
    if let Some(id) = lead_expert_id {
        store::expert::get(&tx, id)?.ok_or_else(|| Error::ExpertNotFound(id.to_string()))?;
    }
    let s = Suggestion {
        id: store::new_id(),
        point_id: point_id.to_string(),
        title,
        lead_expert_id: lead_expert_id.map(str::to_string),
        theme,
        status: SuggestionStatus::Submitted,
    };
    store::outcome::add_suggestion(&tx, &s, &at)?;
    store::audit::append(&tx, &at, desk, "suggestion", "point", point_id, &s.title)?;
    tx.commit()?;
    Ok(s)
}

/// Marks a suggestion adopted (已采纳) or back to submitted.
pub fn set_suggestion_status(db: &Db, id: &str, status: SuggestionStatus) -> Result<()> {
    if store::outcome::set_suggestion_status(db.conn(), id, status)? == 0 {
        return Err(Error::SuggestionNotFound(id.to_string()));
    }
    Ok(())
}

pub fn suggestions(db: &Db, point_id: &str) -> Result<Vec<Suggestion>> {
    store::outcome::suggestions_for_point(db.conn(), point_id)
}
