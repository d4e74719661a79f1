//! What a sign-up list does beyond the experts: a loose group name to a service point, the
//! places at each point (the rows beyond them wait), and the sign-ups a commit writes.

use std::collections::HashMap;

use crate::store::Conn;

use super::undo::UndoLog;
use super::{capacity, Action, OverCapacity, Overflow, PlannedRow};
use crate::{pinyin, store, Result, ServicePoint, SignUp, SignUpStatus};

/// Loose group names to a service point of the event: 低空经济组, 文旅, 山塘村, 乐高乐园 ….
pub(super) fn match_point<'a>(
    text: &str,
    points: &'a [ServicePoint],
    themes: &HashMap<String, String>,
) -> Option<&'a ServicePoint> {
    let key = |s: &str| -> String {
        let s = pinyin::normalise(s);
        let s = s.trim_end_matches("专题组").trim_end_matches('组');
        let s = s.trim_end_matches("专题").trim_start_matches("专题");
        s.to_string()
    };
    let t = key(text);
    if t.chars().count() < 2 {
        return None;
    }
    let close = |name: &str| {
        let n = key(name);
        !n.is_empty() && (n == t || n.contains(&t) || (n.chars().count() >= 2 && t.contains(&n)))
    };
    let matches: Vec<&ServicePoint> = points
        .iter()
        .filter(|p| {
            close(&p.name)
                || close(&p.short_name)
                || p.theme_id
                    .as_ref()
                    .and_then(|id| themes.get(id))
                    .is_some_and(|th| close(th))
        })
        .collect();
    // Ambiguous ("上海") is no match.
    (matches.len() == 1).then(|| matches[0])
}

/// Marks the `arrivals` (indexes into `rows` of the rows that take a place) beyond their point's
/// places; the points over their places, with the rows beyond.
pub(super) fn allot(
    c: &Conn,
    points: &[ServicePoint],
    themes: &HashMap<String, String>,
    arrivals: &[usize],
    rows: &mut [PlannedRow],
) -> Result<Vec<Overflow>> {
    let places = points
        .iter()
        .map(|p| {
            Ok(capacity::Places {
                point_id: p.id.clone(),
                label: capacity::label(
                    &p.name,
                    &p.short_name,
                    p.theme_id
                        .as_ref()
                        .and_then(|t| themes.get(t))
                        .map(String::as_str),
                ),
                capacity: p.capacity,
                registered: store::signup::registered_at_point(c, &p.id)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let wanted: Vec<(usize, &str)> = arrivals
        .iter()
        .filter_map(|&i| Some((rows[i].row, rows[i].point_id.as_deref()?)))
        .collect();
    let (beyond, overflow) = capacity::allot(&places, &wanted);
    for (&i, b) in arrivals.iter().zip(beyond) {
        rows[i].beyond_capacity = b;
    }
    Ok(overflow)
}

/// Writes the sign-up of one committed row: a move to the row's point, or a new one — added
/// to `new`, for the caller to insert with the others.
pub(super) fn write(
    tx: &Conn,
    event_id: &str,
    r: &PlannedRow,
    over: OverCapacity,
    at: &str,
    undo: &mut UndoLog,
    new: &mut Vec<SignUp>,
) -> Result<()> {
    let expert_id = r.expert.id.as_str();
    let status = if r.beyond_capacity && over == OverCapacity::Waitlist {
        SignUpStatus::Waiting
    } else {
        SignUpStatus::Registered
    };
    let current = if r.action == Action::Add {
        None // a new person has no sign-up yet
    } else {
        store::signup::current(tx, event_id, expert_id)?
    };
    match current {
        None => {
            let id = store::new_id();
            undo.added_signups.push(id.clone());
            new.push(SignUp {
                id,
                event_id: event_id.to_string(),
                expert_id: expert_id.to_string(),
                point_id: r.point_id.clone(),
                status,
            });
        }
        Some(s) if r.point_id.is_some() && s.point_id != r.point_id => {
            store::signup::set_point(tx, &s.id, r.point_id.as_deref(), at)?;
            // At the new point the person waits or not by its places, as on the desk.
            if s.status != status {
                store::signup::set_status(tx, &s.id, status, at)?;
                undo.changed_status.push((s.id.clone(), s.status));
            }
            undo.moved_signups.push((s.id, s.point_id));
        }
        Some(_) => {}
    }
    Ok(())
}
