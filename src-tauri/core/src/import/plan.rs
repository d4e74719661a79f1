//! The preview every kind of sheet shares: find the header, check the rows under it, count
//! what a commit would do. Nothing is written; the rows themselves are read by the kind of
//! sheet (`people` for experts and sign-ups, `points` for service points).

use super::{
    activities, header, people, points, Action, Choices, Counts, Field, Kind, Mapping, Preview,
    Problem, Progress, Severity, Table, MAX_CELL_CHARS,
};
use crate::{store, Db, Error, Result};

/// The checks every kind of sheet shares: a cell too long (an error), a total row (skipped),
/// a row without its key — the name, or the point's name — (an error). The key cell's text
/// when the row can go on.
pub(super) fn screen_row(
    raw: &[String],
    line: usize,
    mapping: &Mapping,
    key: Field,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    if let Some((j, cell)) = raw
        .iter()
        .enumerate()
        .find(|(_, c)| c.chars().count() > MAX_CELL_CHARS)
    {
        let n = cell.chars().count();
        problems.push(Problem::new(
            line,
            Severity::Error,
            "cell_too_long",
            mapping.columns.get(j).map(|m| m.header.clone()),
            format!("单元格过长（{n} 字），这一行未导入。"),
            Some(n.to_string()),
        ));
        return None;
    }
    let text = mapping.cell(raw, key);
    if text.is_empty() || looks_like_summary(std::slice::from_ref(&text)) {
        if looks_like_summary(raw) {
            problems.push(Problem::new(
                line,
                Severity::Warning,
                "summary_row",
                None,
                "合计行，已跳过。".into(),
                None,
            ));
        } else {
            let (code, message) = match key {
                Field::Name => ("no_name", "没有姓名，这一行未导入。"),
                Field::ActivityDate => ("no_date", "没有日期，这一行未导入。"),
                _ => ("no_point_name", "没有点位名称，这一行未导入。"),
            };
            problems.push(Problem::new(
                line,
                Severity::Error,
                code,
                mapping.header_of(key),
                message.into(),
                None,
            ));
        }
        return None;
    }
    Some(text)
}

/// The rows under the header that hold anything, with their row number as Excel shows it.
pub(super) fn data_rows<'a>(
    table: &'a Table,
    mapping: &Mapping,
) -> impl Iterator<Item = (usize, &'a [String])> {
    table
        .rows
        .iter()
        .enumerate()
        .skip(mapping.header_row + 1)
        .filter(|(_, raw)| raw.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, raw)| (i + 1, raw.as_slice()))
}

fn looks_like_summary(row: &[String]) -> bool {
    row.iter().any(|c| {
        let c = c.trim();
        c.starts_with("合计") || c.starts_with("总计") || c.starts_with("小计") || c == "共计"
    })
}

/// Reads the rows under the header into planned actions and problems. Nothing is written.
pub fn preview(
    db: &Db,
    event_id: &str,
    table: &Table,
    mapping: Option<Mapping>,
    kind: Kind,
) -> Result<Preview> {
    preview_with(db, event_id, table, mapping, kind, &mut |_| {})
}

/// [`preview`], telling `progress` how far it is.
pub fn preview_with(
    db: &Db,
    event_id: &str,
    table: &Table,
    mapping: Option<Mapping>,
    kind: Kind,
    progress: &mut dyn FnMut(Progress),
) -> Result<Preview> {
    preview_decided(
        db,
        event_id,
        table,
        mapping,
        kind,
        &Choices::default(),
        progress,
    )
}

/// [`preview_with`] under the coordinator's answers for rows that need one (同号不同名).
pub fn preview_decided(
    db: &Db,
    event_id: &str,
    table: &Table,
    mapping: Option<Mapping>,
    kind: Kind,
    choices: &Choices,
    progress: &mut dyn FnMut(Progress),
) -> Result<Preview> {
    let c = db.conn();
    if store::event::get(c, event_id)?.is_none() {
        return Err(Error::EventNotFound(event_id.to_string()));
    }
    let mapping = match mapping {
        Some(m) => m,
        None => header::detect(table, kind).ok_or(Error::ImportNoHeader {
            rows: header::HEADER_SEARCH_ROWS,
        })?,
    };
    if kind == Kind::Points {
        return preview_points(db, event_id, table, mapping);
    }
    if kind == Kind::Activities {
        return preview_activities(db, table, mapping);
    }
    people::plan(c, event_id, table, mapping, kind, choices, progress)
}

fn preview_points(db: &Db, event_id: &str, table: &Table, mapping: Mapping) -> Result<Preview> {
    let (points, problems) = points::plan(db, event_id, table, &mapping)?;
    let actions: Vec<Action> = points.iter().map(|r| r.action).collect();
    let counts = finish(table, &mapping, &actions, &problems)?;
    Ok(Preview {
        sheet: table.sheet.clone(),
        header_row: mapping.header_row + 1,
        mapping,
        kind: Kind::Points,
        rows: Vec::new(),
        points,
        activities: Vec::new(),
        problems,
        counts,
        overflow: Vec::new(),
        shared_phones: Vec::new(),
    })
}

fn preview_activities(db: &Db, table: &Table, mapping: Mapping) -> Result<Preview> {
    let (activities, problems) = activities::plan(db, table, &mapping)?;
    let planned: Vec<Action> = activities.iter().map(|r| r.action).collect();
    let counts = finish(table, &mapping, &planned, &problems)?;
    Ok(Preview {
        sheet: table.sheet.clone(),
        header_row: mapping.header_row + 1,
        mapping,
        kind: Kind::Activities,
        rows: Vec::new(),
        points: Vec::new(),
        activities,
        problems,
        counts,
        overflow: Vec::new(),
        shared_phones: Vec::new(),
    })
}

/// The counts of a planned import, or why there is nothing to import.
pub(super) fn finish(
    table: &Table,
    mapping: &Mapping,
    actions: &[Action],
    problems: &[Problem],
) -> Result<Counts> {
    let data_rows = table
        .rows
        .iter()
        .skip(mapping.header_row + 1)
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .count();
    if data_rows == 0 {
        return Err(Error::ImportNoRows);
    }
    if actions.iter().all(|a| *a == Action::Skip) {
        let first = problems
            .iter()
            .find(|p| p.severity == Severity::Error)
            .map(|p| format!("第 {} 行，{}", p.row, p.message))
            .unwrap_or_else(|| "所有行都被跳过。".into());
        return Err(Error::ImportNoUsableRows(first));
    }
    let mut counts = Counts::default();
    for a in actions {
        match a {
            Action::Add => counts.added += 1,
            Action::Update => counts.updated += 1,
            Action::Unchanged => counts.unchanged += 1,
            Action::Skip => counts.skipped += 1,
        }
    }
    counts.skipped += problems
        .iter()
        .filter(|p| {
            p.severity == Severity::Error
                || p.code == "summary_row"
                || p.code == "duplicate_point_in_file"
                || p.code == "duplicate_activity_in_file"
        })
        .count();
    Ok(counts)
}
