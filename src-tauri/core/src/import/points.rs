//! Service-point sheets: one row per 点位 with its theme group, address, contact, capacity,
//! departure time and bus. A point already on file for the event (same name or short name) is
//! updated in place; a theme not yet known is created with the point.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Action, Field, Mapping, Problem, Severity, Table};
/// Kept at its old path; time parsing belongs with the clock.
pub use crate::clock::parse_time;
use crate::{normalise_phone, pinyin, store, Db, Error, Result, ServicePoint, Theme};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlannedPoint {
    pub row: usize,
    pub action: Action,
    pub point: ServicePoint,
    pub theme_name: String,
    /// A theme this import creates (its id is `point.theme_id`).
    pub new_theme: bool,
}

/// "20", "20人", "20.0", "２０" → 20. Anything else is not a capacity.
fn parse_capacity(s: &str) -> Option<i64> {
    let s = pinyin::normalise(s);
    let s = s
        .trim()
        .trim_end_matches('人')
        .trim_end_matches("名")
        .trim();
    if let Ok(n) = s.parse::<i64>() {
        return (0..=100_000).contains(&n).then_some(n);
    }
    match s.parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && (0.0..=100_000.0).contains(&f) => Some(f as i64),
        _ => None,
    }
}

fn key(s: &str) -> String {
    pinyin::normalise(s)
}

/// Plans the rows of a service-point sheet against the event's points. Nothing is written.
pub(super) fn plan(
    db: &Db,
    event_id: &str,
    table: &Table,
    mapping: &Mapping,
) -> Result<(Vec<PlannedPoint>, Vec<Problem>)> {
    let c = db.conn();
    if mapping.column(Field::PointName).is_none() {
        return Err(Error::ImportNoHeader {
            rows: super::header::HEADER_SEARCH_ROWS,
        });
    }
    let existing = store::point::list_for_event(c, event_id)?;
    let themes = store::theme::list(c)?;
    let mut theme_ids: HashMap<String, (String, bool)> = themes
        .iter()
        .map(|t| (key(&t.name), (t.id.clone(), false)))
        .collect();
    let header_of = |f: Field| mapping.header_of(f);
    let get = |row: &[String], f: Field| mapping.cell(row, f);
    let mut next_order = existing.iter().map(|p| p.sort_order).max().unwrap_or(0) + 1;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (line, raw) in super::plan::data_rows(table, mapping) {
        let Some(name) =
            super::plan::screen_row(raw, line, mapping, Field::PointName, &mut problems)
        else {
            continue;
        };
        let mut problem = |severity, code: &str, column, message, detail| {
            problems.push(Problem::new(line, severity, code, column, message, detail))
        };
        if let Some(first) = seen.get(&key(&name)) {
            problem(
                Severity::Warning,
                "duplicate_point_in_file",
                header_of(Field::PointName),
                format!("与第 {first} 行是同一个点位，这一行跳过。"),
                Some(first.to_string()),
            );
            continue;
        }
        seen.insert(key(&name), line);

        let short = get(raw, Field::ShortName);
        // The same point: its name, or its short name written in either column.
        let old = existing.iter().find(|p| {
            key(&p.name) == key(&name)
                || (!p.short_name.is_empty() && key(&p.short_name) == key(&name))
                || (!short.is_empty() && key(&p.short_name) == key(&short))
        });
        // A sheet that names the point by its short name keeps the full name on file.
        let name = match old {
            Some(o) if key(&o.name) != key(&name) && key(&o.short_name) == key(&name) => {
                o.name.clone()
            }
            _ => name,
        };
        // A cell that does not read as what its column holds: a warning, and no value.
        let mut parsed = |f: Field, parse: &dyn Fn(&str) -> Option<String>, code, message: &str| {
            let text = get(raw, f);
            if text.is_empty() {
                return None;
            }
            let v = parse(&text);
            if v.is_none() {
                problem(
                    Severity::Warning,
                    code,
                    header_of(f),
                    message.replace("{}", &text),
                    Some(text),
                );
            }
            v
        };
        let capacity = parsed(
            Field::Capacity,
            &|t| parse_capacity(t).map(|n| n.to_string()),
            "capacity_invalid",
            "名额“{}”不是人数，已按不限（0）处理。",
        )
        .and_then(|n| n.parse::<i64>().ok());
        let depart = parsed(
            Field::DepartTime,
            &parse_time,
            "time_invalid",
            "出发时间“{}”无法识别，已留空。",
        );
        let phone_text = get(raw, Field::Phone);
        // Landlines (021-…) are kept as written; mobiles are normalised.
        let phone = normalise_phone(&phone_text).unwrap_or(phone_text);
        let theme_name = get(raw, Field::Theme)
            .trim_end_matches("专题组")
            .trim_end_matches('组')
            .to_string();
        let theme_id = if theme_name.is_empty() {
            None
        } else {
            let (id, _) = theme_ids
                .entry(key(&theme_name))
                .or_insert_with(|| (store::new_id(), true))
                .clone();
            Some(id)
        };
        let pick = |new: String, old: Option<&String>| {
            if new.is_empty() {
                old.cloned().unwrap_or_default()
            } else {
                new
            }
        };
        let point = ServicePoint {
            id: old.map(|p| p.id.clone()).unwrap_or_else(store::new_id),
            event_id: event_id.to_string(),
            theme_id: theme_id.or_else(|| old.and_then(|p| p.theme_id.clone())),
            name: name.clone(),
            short_name: pick(short, old.map(|p| &p.short_name)),
            address: pick(get(raw, Field::Address), old.map(|p| &p.address)),
            contact: pick(get(raw, Field::Contact), old.map(|p| &p.contact)),
            contact_phone: pick(phone, old.map(|p| &p.contact_phone)),
            capacity: capacity.unwrap_or_else(|| old.map(|p| p.capacity).unwrap_or(0)),
            depart_time: pick(depart.unwrap_or_default(), old.map(|p| &p.depart_time)),
            bus: pick(get(raw, Field::Bus), old.map(|p| &p.bus)),
            sort_order: old.map(|p| p.sort_order).unwrap_or_else(|| {
                next_order += 1;
                next_order - 1
            }),
        };
        let new_theme = point
            .theme_id
            .as_ref()
            .is_some_and(|id| !themes.iter().any(|t| &t.id == id))
            && !rows
                .iter()
                .any(|r: &PlannedPoint| r.new_theme && r.point.theme_id == point.theme_id);
        let action = match old {
            None => Action::Add,
            Some(o) if *o == point => Action::Unchanged,
            Some(_) => Action::Update,
        };
        rows.push(PlannedPoint {
            row: line,
            action,
            point,
            theme_name,
            new_theme,
        });
    }
    Ok((rows, problems))
}

/// What a service-point import changed, for undo.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct PointUndo {
    pub added_points: Vec<String>,
    pub updated_points: Vec<ServicePoint>,
    pub added_themes: Vec<String>,
}

pub(super) fn write(
    tx: &crate::store::Tx<'_>,
    rows: &[PlannedPoint],
    undo: &mut PointUndo,
) -> Result<()> {
    let mut theme_order = store::theme::list(tx)?
        .iter()
        .map(|t| t.sort_order)
        .max()
        .unwrap_or(0);
    for r in rows {
        if r.new_theme {
            if let Some(id) = &r.point.theme_id {
                theme_order += 1;
                store::theme::insert(
                    tx,
                    &Theme {
                        id: id.clone(),
                        name: r.theme_name.clone(),
                        sort_order: theme_order,
                    },
                )?;
                undo.added_themes.push(id.clone());
            }
        }
        match r.action {
            Action::Add => {
                store::point::insert(tx, &r.point)?;
                undo.added_points.push(r.point.id.clone());
            }
            Action::Update => {
                if let Some(before) = store::point::get(tx, &r.point.id)? {
                    undo.updated_points.push(before);
                }
                store::point::update(tx, &r.point)?;
            }
            Action::Unchanged | Action::Skip => {}
        }
    }
    Ok(())
}

pub(super) fn undo(tx: &crate::store::Tx<'_>, log: &PointUndo) -> Result<()> {
    for id in &log.added_points {
        if store::point::references(tx, id)? > 0 {
            let name = store::point::get(tx, id)?
                .map(|p| p.name)
                .unwrap_or_else(|| id.clone());
            return Err(Error::UndoBlockedByPointInUse { name });
        }
    }
    for id in &log.added_points {
        store::point::delete(tx, id)?;
    }
    for p in &log.updated_points {
        store::point::update(tx, p)?;
    }
    for id in &log.added_themes {
        store::theme::delete(tx, id)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacities_are_read_as_people() {
        assert_eq!(parse_capacity("20"), Some(20));
        assert_eq!(parse_capacity("20人"), Some(20));
        assert_eq!(parse_capacity("２０"), Some(20));
        assert_eq!(parse_capacity("20.0"), Some(20));
        assert_eq!(parse_capacity("二十"), None);
        assert_eq!(parse_capacity("-3"), None);
    }
}
