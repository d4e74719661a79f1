//! Importing the organisers' lists: read (any format, any Chinese encoding) → find the header
//! and map columns → a preview with every problem and its row number → commit in one
//! transaction. Re-importing the same file changes nothing; a phone already on file is the
//! same person (updated, never a second record); the same name with another phone is another
//! person, flagged 同名. A point's places hold for a list as for the desk: the rows beyond them
//! go to its waiting list in file order, unless the user accepts them over capacity.

pub mod capacity;
pub mod decode;
mod finish;
pub mod header;
mod ods;
pub mod points;
pub mod read;
mod xls;

pub use finish::{commit_and_remember, Committed};

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use capacity::{OverCapacity, Overflow};
pub use header::{Field, Mapping};
pub use points::PlannedPoint;
pub use read::Table;

use crate::{
    clock, normalise_phone, rules, search, store, Db, Desk, Error, Expert, Result, ServicePoint,
    SignUp, SignUpStatus,
};

/// Longest cell accepted; a longer one makes its row an error (a pasted document, a 1 MB cell).
pub const MAX_CELL_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Problem {
    /// 1-based row number as Excel shows it.
    pub row: usize,
    pub column: Option<String>,
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// The value the message is about (a phone as typed, a group name, a row number…), so the
    /// English UI can say it in its own words from `code`.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Add,
    Update,
    Unchanged,
    Skip,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    pub row: usize,
    pub action: Action,
    pub expert: Expert,
    pub existing_id: Option<String>,
    pub point_id: Option<String>,
    pub group_text: String,
    /// Takes a place at `point_id` beyond its capacity: waits there, unless accepted over
    /// capacity.
    pub beyond_capacity: bool,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Experts only.
    Experts,
    /// Experts with their group for the event (the usual list): experts and sign-ups.
    Signups,
    /// The event's service points (点位): theme, address, contact, capacity, departure, bus.
    Points,
}

/// Where a long import is, for a progress bar: rows checked, then rows written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Checking,
    Writing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
}

/// Progress is reported every this many rows (and at the end).
const PROGRESS_EVERY: usize = 2_000;

#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub sheet: String,
    /// 1-based.
    pub header_row: usize,
    pub mapping: Mapping,
    pub kind: Kind,
    pub rows: Vec<PlannedRow>,
    /// For a service-point sheet: its rows (and `rows` is empty).
    pub points: Vec<PlannedPoint>,
    pub problems: Vec<Problem>,
    pub counts: Counts,
    /// The points the list sends more people to than they have places, with the rows beyond.
    pub overflow: Vec<Overflow>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub sheet: String,
    pub header_row: usize,
    pub kind: Kind,
    pub committed: bool,
    pub counts: Counts,
    pub problems: Vec<Problem>,
    /// What was done with the rows beyond a point's places.
    #[serde(default)]
    pub over_capacity: OverCapacity,
    /// Per point over its places: how many went to its waiting list (or over capacity).
    #[serde(default)]
    pub overflow: Vec<Overflow>,
}

impl Problem {
    fn new(
        row: usize,
        severity: Severity,
        code: &str,
        column: Option<String>,
        message: String,
        detail: Option<String>,
    ) -> Problem {
        Problem {
            row,
            column,
            severity,
            code: code.to_string(),
            message,
            detail,
        }
    }
}

/// The checks every kind of sheet shares: a cell too long (an error), a total row (skipped),
/// a row without its key — the name, or the point's name — (an error). The key cell's text
/// when the row can go on.
fn screen_row(
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
            let (code, message) = if key == Field::Name {
                ("no_name", "没有姓名，这一行未导入。")
            } else {
                ("no_point_name", "没有点位名称，这一行未导入。")
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

fn looks_like_summary(row: &[String]) -> bool {
    row.iter().any(|c| {
        let c = c.trim();
        c.starts_with("合计") || c.starts_with("总计") || c.starts_with("小计") || c == "共计"
    })
}

/// Loose group names to a service point of the event: 低空经济组, 文旅, 山塘村, 乐高乐园 ….
fn match_point<'a>(
    text: &str,
    points: &'a [ServicePoint],
    themes: &HashMap<String, String>,
) -> Option<&'a ServicePoint> {
    let key = |s: &str| -> String {
        let s = search::normalise(s);
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
    if mapping.column(Field::Name).is_none() {
        return Err(Error::ImportNoHeader {
            rows: header::HEADER_SEARCH_ROWS,
        });
    }
    let points = store::point::list_for_event(c, event_id)?;
    let themes: HashMap<String, String> = store::theme::list(c)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let header_of = |f: Field| mapping.header_of(f);
    let get = |row: &[String], f: Field| mapping.cell(row, f);

    // Everyone on file and their sign-ups, looked up in memory: a 100,000-row list would
    // otherwise cost a few queries per row.
    let on_file = store::expert::list_all(c)?;
    let mut by_phone: HashMap<&str, &Expert> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<&Expert>> = HashMap::new();
    for e in &on_file {
        if !e.phone.is_empty() {
            by_phone.entry(e.phone.as_str()).or_insert(e);
        }
        by_name.entry(e.name.as_str()).or_default().push(e);
    }
    let signups: HashMap<String, SignUp> = store::signup::for_event(c, event_id)?
        .into_iter()
        .map(|s| (s.expert_id.clone(), s))
        .collect();
    let mut group_cache: HashMap<String, Option<String>> = HashMap::new();
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut seen_phone: HashMap<String, usize> = HashMap::new();
    let mut next_code = store::expert::max_code_number(c)? + 1;
    // Indexes into `rows` of the rows that take a place at a service point.
    let mut arrivals: Vec<usize> = Vec::new();
    let total = table.rows.len().saturating_sub(mapping.header_row + 1);
    for (i, raw) in table.rows.iter().enumerate().skip(mapping.header_row + 1) {
        let line = i + 1;
        let done = i - mapping.header_row;
        if done == 1 || done % PROGRESS_EVERY == 0 {
            progress(Progress {
                phase: Phase::Checking,
                done,
                total,
            });
        }
        if raw.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some(name) = screen_row(raw, line, &mapping, Field::Name, &mut problems) else {
            continue;
        };
        let mut problem = |severity, code: &str, column, message, detail| {
            problems.push(Problem::new(line, severity, code, column, message, detail))
        };
        // The same rule as walk-ins, the edit form and packages.
        let name = match rules::clean_name(&name) {
            Ok(name) => name,
            Err(_) => {
                let n = name.trim().chars().count();
                problem(
                    Severity::Error,
                    "name_too_long",
                    header_of(Field::Name),
                    format!("姓名过长（{n} 字），这一行未导入。"),
                    Some(n.to_string()),
                );
                continue;
            }
        };
        let phone_raw = get(raw, Field::Phone);
        let phone = match normalise_phone(&phone_raw) {
            Some(p) => p,
            None if phone_raw.is_empty() => {
                problem(
                    Severity::Warning,
                    "no_phone",
                    header_of(Field::Phone),
                    "没有手机号：签到时只能按姓名查找。".into(),
                    None,
                );
                String::new()
            }
            None => {
                problem(
                    Severity::Warning,
                    "phone_invalid",
                    header_of(Field::Phone),
                    format!("手机号“{phone_raw}”无法识别，已留空。"),
                    Some(phone_raw.clone()),
                );
                String::new()
            }
        };
        let id_number = get(raw, Field::IdNumber);
        if !id_number.is_empty() {
            let digits = id_number.chars().all(|c| c.is_ascii_digit());
            if id_number.contains(['e', 'E'])
                || (digits && id_number.len() == 18 && id_number.ends_with("00"))
            {
                problem(
                    Severity::Warning,
                    "id_number_lost_digits",
                    header_of(Field::IdNumber),
                    "身份证号被 Excel 存成了数字，末几位已丢失，不可采信（未导入该列）。".into(),
                    None,
                );
            }
        }
        let group_text = get(raw, Field::Group);
        let point_id = if group_text.is_empty() {
            None
        } else {
            let found = group_cache
                .entry(group_text.clone())
                .or_insert_with(|| match_point(&group_text, &points, &themes).map(|p| p.id.clone()))
                .clone();
            match found {
                Some(p) => Some(p),
                None => {
                    problem(
                        Severity::Warning,
                        "unknown_group",
                        header_of(Field::Group),
                        format!("“{group_text}”不是本活动的专题组或服务点位，已按未分组导入。"),
                        Some(group_text.clone()),
                    );
                    None
                }
            }
        };
        let mut expert = Expert {
            id: String::new(),
            code: String::new(),
            name: name.clone(),
            gender: get(raw, Field::Gender),
            party: get(raw, Field::Party),
            organisation: get(raw, Field::Organisation),
            title: get(raw, Field::Title),
            field: get(raw, Field::Field),
            phone: phone.clone(),
            notes: get(raw, Field::Notes),
        };
        let texts = [
            (Field::Gender, &expert.gender),
            (Field::Party, &expert.party),
            (Field::Organisation, &expert.organisation),
            (Field::Title, &expert.title),
            (Field::Field, &expert.field),
            (Field::Notes, &expert.notes),
        ];
        if let Some((f, t)) = texts.iter().find(|(_, t)| rules::clean_text(t).is_err()) {
            let n = t.chars().count();
            problem(
                Severity::Error,
                "field_too_long",
                header_of(*f),
                format!(
                    "内容过长（{n} 字，最多 {} 字），这一行未导入。",
                    rules::MAX_TEXT_CHARS
                ),
                Some(n.to_string()),
            );
            continue;
        }
        if !phone.is_empty() {
            if let Some(first) = seen_phone.get(&phone) {
                problem(
                    Severity::Warning,
                    "duplicate_in_file",
                    header_of(Field::Phone),
                    format!("与第 {first} 行手机号相同，视为同一人，这一行跳过。"),
                    Some(first.to_string()),
                );
                rows.push(PlannedRow {
                    row: line,
                    action: Action::Skip,
                    expert,
                    existing_id: None,
                    point_id,
                    group_text,
                    beyond_capacity: false,
                });
                continue;
            }
            seen_phone.insert(phone.clone(), line);
        }
        // Who is this on file? Same phone: the same person. No phone: same name and
        // organisation. Same name otherwise: someone else, flagged.
        let existing: Option<Expert> = if !phone.is_empty() {
            by_phone.get(phone.as_str()).map(|e| (*e).clone())
        } else {
            by_name
                .get(name.as_str())
                .and_then(|l| l.iter().find(|e| e.organisation == expert.organisation))
                .map(|e| (*e).clone())
        };
        let action = match &existing {
            Some(old) => {
                let merged = merge(old, &expert);
                let signup_changes = kind == Kind::Signups
                    && signups
                        .get(&old.id)
                        .map(|s| s.point_id != point_id && point_id.is_some())
                        .unwrap_or(true);
                let changed = merged != *old || signup_changes;
                expert = merged;
                if changed {
                    Action::Update
                } else {
                    Action::Unchanged
                }
            }
            None => {
                if let Some(o) = by_name.get(name.as_str()).and_then(|l| l.first()) {
                    problem(
                        Severity::Warning,
                        "same_name",
                        header_of(Field::Name),
                        format!(
                            "已有同名专家 {}（{}），手机号或单位不同，按另一人导入（同名）。",
                            o.name,
                            if o.organisation.is_empty() {
                                "单位未填"
                            } else {
                                &o.organisation
                            }
                        ),
                        Some(o.organisation.clone()),
                    );
                }
                expert.id = store::new_id();
                expert.code = format!("E-{next_code:04}");
                next_code += 1;
                Action::Add
            }
        };
        // A place is taken by a new sign-up at a point, or by a move to another point: what
        // the commit below will write.
        let takes_place = kind == Kind::Signups
            && action != Action::Unchanged
            && point_id.is_some()
            && existing
                .as_ref()
                .and_then(|e| signups.get(&e.id))
                .is_none_or(|s| s.point_id != point_id);
        if takes_place {
            arrivals.push(rows.len());
        }
        rows.push(PlannedRow {
            row: line,
            action,
            existing_id: existing.map(|e| e.id),
            expert,
            point_id,
            group_text,
            beyond_capacity: false,
        });
    }
    let actions: Vec<Action> = rows.iter().map(|r| r.action).collect();
    let counts = finish(table, &mapping, &actions, &problems)?;
    let overflow = if arrivals.is_empty() {
        Vec::new()
    } else {
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
        overflow
    };
    Ok(Preview {
        sheet: table.sheet.clone(),
        header_row: mapping.header_row + 1,
        mapping,
        kind,
        rows,
        points: Vec::new(),
        problems,
        counts,
        overflow,
    })
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
        problems,
        counts,
        overflow: Vec::new(),
    })
}

/// The counts of a planned import, or why there is nothing to import.
fn finish(
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
        })
        .count();
    Ok(counts)
}

/// The stored record with what the list brings: a non-empty cell replaces, an empty one keeps.
fn merge(old: &Expert, new: &Expert) -> Expert {
    let pick = |n: &str, o: &str| {
        if n.is_empty() {
            o.to_string()
        } else {
            n.to_string()
        }
    };
    Expert {
        id: old.id.clone(),
        code: old.code.clone(),
        name: pick(&new.name, &old.name),
        gender: pick(&new.gender, &old.gender),
        party: pick(&new.party, &old.party),
        organisation: pick(&new.organisation, &old.organisation),
        title: pick(&new.title, &old.title),
        field: pick(&new.field, &old.field),
        phone: pick(&new.phone, &old.phone),
        notes: pick(&new.notes, &old.notes),
    }
}

/// Writes a preview in one transaction: all of it or, on any failure, none of it. The rows
/// beyond a point's places wait there, or with [`OverCapacity::Register`] are registered.
pub fn commit(
    db: &mut Db,
    event_id: &str,
    preview: &Preview,
    over: OverCapacity,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Report> {
    commit_with(db, event_id, preview, over, desk, now, &mut |_| {})
}

/// [`commit`], telling `progress` how far it is.
pub fn commit_with(
    db: &mut Db,
    event_id: &str,
    preview: &Preview,
    over: OverCapacity,
    desk: &Desk,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report> {
    if preview.counts.added == 0 && preview.counts.updated == 0 {
        // Nothing new: not even an audit line, the file stays as it was.
        return Ok(report(preview, over, false));
    }
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let mut undo = UndoLog::default();
    points::write(&tx, &preview.points, &mut undo.points)?;
    let total = preview.rows.len();
    for (i, r) in preview.rows.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(Progress {
                phase: Phase::Writing,
                done: i,
                total,
            });
        }
        let expert_id = match r.action {
            Action::Skip | Action::Unchanged => continue,
            Action::Add => {
                store::expert::insert(&tx, &r.expert, &search::stored_keys(&r.expert.name), &at)?;
                undo.added_experts.push(r.expert.id.clone());
                r.expert.id.clone()
            }
            Action::Update => {
                if let Some(before) = store::expert::get(&tx, &r.expert.id)? {
                    undo.updated_experts.push(before);
                }
                store::expert::update(&tx, &r.expert, &search::stored_keys(&r.expert.name), &at)?;
                r.expert.id.clone()
            }
        };
        if preview.kind == Kind::Signups {
            let status = if r.beyond_capacity && over == OverCapacity::Waitlist {
                SignUpStatus::Waiting
            } else {
                SignUpStatus::Registered
            };
            let current = if r.action == Action::Add {
                None // a new person has no sign-up yet
            } else {
                store::signup::current(&tx, event_id, &expert_id)?
            };
            match current {
                None => {
                    let id = store::new_id();
                    store::signup::insert(
                        &tx,
                        &SignUp {
                            id: id.clone(),
                            event_id: event_id.to_string(),
                            expert_id: expert_id.clone(),
                            point_id: r.point_id.clone(),
                            status,
                        },
                        &at,
                    )?;
                    undo.added_signups.push(id);
                }
                Some(s) if r.point_id.is_some() && s.point_id != r.point_id => {
                    store::signup::set_point(&tx, &s.id, r.point_id.as_deref(), &at)?;
                    // At the new point the person waits or not by its places, as on the desk.
                    if s.status != status {
                        store::signup::set_status(&tx, &s.id, status, &at)?;
                        undo.changed_status.push((s.id.clone(), s.status));
                    }
                    undo.moved_signups.push((s.id, s.point_id));
                }
                Some(_) => {}
            }
        }
    }
    let c = preview.counts;
    let mut summary = format!(
        "{} 新增 {} 更新 {} 未变 {} 跳过 {}",
        preview.sheet, c.added, c.updated, c.unchanged, c.skipped
    );
    let beyond: usize = preview.overflow.iter().map(|o| o.rows.len()).sum();
    if beyond > 0 {
        summary.push_str(&match over {
            OverCapacity::Waitlist => format!(" 候补 {beyond}"),
            OverCapacity::Register => format!(" 超额 {beyond}"),
        });
    }
    store::audit::append(&tx, &at, desk, "import", "event", event_id, &summary)?;
    let undo_json = serde_json::to_string(&undo).unwrap_or_default();
    store::import_batch::insert(
        &tx,
        &store::new_id(),
        &at,
        desk,
        event_id,
        &summary,
        &undo_json,
    )?;
    tx.commit()?;
    Ok(report(preview, over, true))
}

/// What an import changed, kept so that it can be undone as a whole.
#[derive(Debug, Default, Serialize, Deserialize)]
struct UndoLog {
    added_experts: Vec<String>,
    added_signups: Vec<String>,
    /// The records as they were before the import changed them.
    updated_experts: Vec<Expert>,
    /// (sign-up id, its service point before the import).
    moved_signups: Vec<(String, Option<String>)>,
    #[serde(default)]
    points: points::PointUndo,
    /// (sign-up id, its status before the import): moved onto or off a waiting list.
    #[serde(default)]
    changed_status: Vec<(String, SignUpStatus)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Undone {
    pub imported_at: String,
    pub summary: String,
    pub removed_experts: usize,
    pub restored_experts: usize,
}

/// Undoes the event's last import as a whole, in one transaction: people it created are
/// removed (refused if any of them has checked in since), records it changed get their earlier
/// values back, sign-ups it moved go back.
pub fn undo_last(db: &mut Db, event_id: &str, desk: &Desk, now: DateTime<Utc>) -> Result<Undone> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let batch = store::import_batch::last_open(&tx, event_id)?.ok_or(Error::NothingToUndo)?;
    let log: UndoLog = serde_json::from_str(&batch.undo).map_err(|_| Error::NothingToUndo)?;
    for id in &log.added_experts {
        if store::expert::has_checkins(&tx, id)? {
            let name = store::expert::get(&tx, id)?
                .map(|e| e.name)
                .unwrap_or_else(|| id.clone());
            return Err(Error::UndoBlockedByCheckIn { name });
        }
    }
    for id in &log.added_signups {
        store::signup::delete(&tx, id)?;
    }
    for id in &log.added_experts {
        store::expert::delete(&tx, id)?;
    }
    for e in &log.updated_experts {
        store::expert::update(&tx, e, &search::stored_keys(&e.name), &at)?;
    }
    for (signup_id, point) in &log.moved_signups {
        store::signup::set_point(&tx, signup_id, point.as_deref(), &at)?;
    }
    for (signup_id, status) in &log.changed_status {
        store::signup::set_status(&tx, signup_id, *status, &at)?;
    }
    points::undo(&tx, &log.points)?;
    store::import_batch::mark_undone(&tx, &batch.id, &at)?;
    store::audit::append(
        &tx,
        &at,
        desk,
        "import_undo",
        "event",
        event_id,
        &batch.summary,
    )?;
    tx.commit()?;
    Ok(Undone {
        imported_at: clock::local_datetime(&batch.at),
        summary: batch.summary,
        removed_experts: log.added_experts.len(),
        restored_experts: log.updated_experts.len(),
    })
}

fn report(p: &Preview, over: OverCapacity, committed: bool) -> Report {
    Report {
        sheet: p.sheet.clone(),
        header_row: p.header_row,
        kind: p.kind,
        committed,
        counts: p.counts,
        problems: p.problems.clone(),
        over_capacity: over,
        overflow: p
            .overflow
            .iter()
            .map(|o| capacity::outcome(o, over, committed))
            .collect(),
    }
}

/// How [`import_file`] takes a file.
#[derive(Debug, Clone, Copy)]
pub struct FileImport {
    pub kind: Kind,
    pub over_capacity: OverCapacity,
    /// Check and report, change nothing.
    pub dry_run: bool,
}

/// Reads, previews and (unless `dry_run`) commits a file.
pub fn import_file(
    db: &mut Db,
    event_id: &str,
    path: &std::path::Path,
    how: FileImport,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Report> {
    let table = read::read_file(path)?;
    let p = preview(db, event_id, &table, None, how.kind)?;
    if how.dry_run {
        return Ok(report(&p, how.over_capacity, false));
    }
    commit(db, event_id, &p, how.over_capacity, desk, now)
}

/// The fields a column of this kind of sheet can be mapped to, for the mapping editor.
pub fn fields_for(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Points => POINT_FIELDS,
        _ => FIELDS,
    }
}

pub const POINT_FIELDS: &[Field] = &[
    Field::PointName,
    Field::Theme,
    Field::ShortName,
    Field::Address,
    Field::Contact,
    Field::Phone,
    Field::Capacity,
    Field::DepartTime,
    Field::Bus,
];

/// The fields a column of an expert or sign-up sheet can be mapped to.
pub const FIELDS: &[Field] = &[
    Field::Name,
    Field::Gender,
    Field::Party,
    Field::Organisation,
    Field::Title,
    Field::Phone,
    Field::Field,
    Field::Group,
    Field::Notes,
    Field::Code,
    Field::IdNumber,
];

fn mapping_key(signature: &str) -> String {
    format!("import_mapping:{signature}")
}

/// A mapping the user corrected for sheets with these headers, if any.
pub fn remembered_mapping(db: &Db, detected: &Mapping) -> Result<Option<Mapping>> {
    let Some(json) = store::setting::get(db.conn(), &mapping_key(&detected.signature()))? else {
        return Ok(None);
    };
    let fields: Vec<Option<Field>> = match serde_json::from_str(&json) {
        Ok(f) => f,
        Err(_) => return Ok(None),
    };
    if fields.len() != detected.columns.len() {
        return Ok(None);
    }
    let mut m = detected.clone();
    for (c, f) in m.columns.iter_mut().zip(fields) {
        c.field = f;
    }
    Ok(Some(m))
}

/// Remembers the mapping for the next file with the same headers.
pub fn remember_mapping(db: &Db, mapping: &Mapping) -> Result<()> {
    let fields: Vec<Option<Field>> = mapping.columns.iter().map(|c| c.field).collect();
    let json = serde_json::to_string(&fields).unwrap_or_default();
    store::setting::set(db.conn(), &mapping_key(&mapping.signature()), &json)
}

/// The report as CSV (UTF-8 with BOM, so Excel opens it), formula-like text neutralised.
pub fn report_csv(r: &Report) -> String {
    let cell = crate::export::csv::field;
    let mut out = String::from("\u{FEFF}");
    out.push_str(&format!(
        "{},{},{},{}\r\n",
        cell("新增"),
        cell("更新"),
        cell("未变"),
        cell("跳过")
    ));
    out.push_str(&format!(
        "{},{},{},{}\r\n\r\n",
        r.counts.added, r.counts.updated, r.counts.unchanged, r.counts.skipped
    ));
    // The places first: who waits where is what the organisers ask about next.
    for o in &r.overflow {
        out.push_str(&format!("{}\r\n", cell(&o.message)));
    }
    if !r.overflow.is_empty() {
        out.push_str("\r\n");
    }
    out.push_str("\"行\",\"列\",\"级别\",\"说明\"\r\n");
    for p in &r.problems {
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            p.row,
            cell(p.column.as_deref().unwrap_or("")),
            cell(match p.severity {
                Severity::Error => "错误",
                Severity::Warning => "提醒",
            }),
            cell(&p.message)
        ));
    }
    out
}
