//! Experts and sign-up sheets, row by row: who each row is on file (the same phone is the same
//! person, the same name with another phone someone else, flagged 同名), what it would add or
//! change, and for a sign-up list which service point its group names.

use std::collections::HashMap;

use crate::store::Conn;

use super::plan::{finish, screen_row};
use super::{
    header, Action, Choices, Field, Kind, Mapping, Phase, PlannedRow, Preview, Problem, Progress,
    Severity, SharedPhone, SharedPhoneRow, Table, PROGRESS_EVERY,
};
use crate::{normalise_phone, pinyin, rules, store, Error, Expert, Result, SignUp};

/// The preview of an expert or sign-up sheet under `mapping`.
pub(super) fn plan(
    c: &Conn,
    event_id: &str,
    table: &Table,
    mapping: Mapping,
    kind: Kind,
    choices: &Choices,
    progress: &mut dyn FnMut(Progress),
) -> Result<Preview> {
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
    // A landline is shared by colleagues: a phone may be on file under several names.
    let mut by_phone: HashMap<&str, Vec<&Expert>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<&Expert>> = HashMap::new();
    for e in &on_file {
        if !e.phone.is_empty() {
            by_phone.entry(e.phone.as_str()).or_default().push(e);
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
    let mut shared_phones = Vec::new();
    let mut seen_phone: HashMap<String, (usize, String)> = HashMap::new();
    let mut next_code = store::expert::max_code_number(c)? + 1;
    // Indexes into `rows` of the rows that take a place at a service point.
    let mut arrivals: Vec<usize> = Vec::new();
    let total = table.rows.len().saturating_sub(mapping.header_row + 1);
    for (i, raw) in table.rows.iter().enumerate().skip(mapping.header_row + 1) {
        let line = i + 1;
        let done = i - mapping.header_row;
        if done == 1 || done.is_multiple_of(PROGRESS_EVERY) {
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
                .or_insert_with(|| {
                    super::signups::match_point(&group_text, &points, &themes).map(|p| p.id.clone())
                })
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
        // A phone identifies only with the name to confirm it: an office landline is shared by
        // colleagues, a mobile is sometimes passed on. Another name on a known phone is another
        // person, flagged (同号不同名), never a rename.
        let same_person = |a: &str, b: &str| pinyin::normalise(a) == pinyin::normalise(b);
        let mut shared_in_file = false;
        if !phone.is_empty() {
            if let Some((first, first_name)) = seen_phone.get(&phone) {
                if !same_person(first_name, &name) {
                    problem(
                        Severity::Warning,
                        "same_phone_other_name",
                        header_of(Field::Phone),
                        format!(
                            "与第 {first} 行（{first_name}）手机号相同，但姓名不同：按另一人导入（同号不同名）。"
                        ),
                        Some(first_name.clone()),
                    );
                    shared_in_file = true;
                }
            }
        }
        if !phone.is_empty() && !shared_in_file {
            if let Some((first, _)) = seen_phone.get(&phone) {
                problem(
                    Severity::Warning,
                    "duplicate_in_file",
                    header_of(Field::Phone),
                    format!("与第 {first} 行手机号相同，视为同一人，这一行跳过。"),
                    Some(first.to_string()),
                );
                rows.push(PlannedRow::skipped(line, expert, point_id, group_text));
                continue;
            }
            seen_phone.insert(phone.clone(), (line, name.clone()));
        }
        // Who is this on file? Same phone: the same person. No phone: same name and
        // organisation. Same name otherwise: someone else, flagged.
        let mut chose_skip = false;
        let existing: Option<Expert> = if !phone.is_empty() {
            let holders = by_phone
                .get(phone.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            match (
                holders.iter().find(|e| same_person(&e.name, &name)),
                holders.first(),
            ) {
                (Some(e), _) => Some((**e).clone()),
                (None, Some(e)) if !shared_in_file => {
                    let choice = choices.shared_phone.get(&line).copied().unwrap_or_default();
                    let mobile = phone.len() == 11 && phone.starts_with('1');
                    let org = |o: &str| {
                        if o.is_empty() {
                            "单位未填".to_string()
                        } else {
                            o.to_string()
                        }
                    };
                    let what = match choice {
                        SharedPhone::Another => format!("按另一人导入，不改动 {} 的资料", e.name),
                        SharedPhone::Same => {
                            format!("已选“同一人”：更新 {} 的资料（改名为 {name}）", e.name)
                        }
                        SharedPhone::Skip => "已选“跳过”：这一行不导入".to_string(),
                    };
                    problem(
                        Severity::Warning,
                        "same_phone_other_name",
                        header_of(Field::Phone),
                        format!(
                            "{}与已有专家 {}（{}，{}）相同，但姓名不同（同号不同名）：{what}。请在预览中选择：同一人、另一人或跳过。",
                            if mobile { "手机号" } else { "电话" },
                            e.name,
                            org(&e.organisation),
                            e.code,
                        ),
                        Some(e.name.clone()),
                    );
                    shared_phones.push(SharedPhoneRow {
                        row: line,
                        name: name.clone(),
                        organisation: expert.organisation.clone(),
                        on_file_code: e.code.clone(),
                        on_file_name: e.name.clone(),
                        on_file_organisation: e.organisation.clone(),
                        mobile,
                        choice,
                    });
                    match choice {
                        SharedPhone::Another => None,
                        SharedPhone::Same => Some((**e).clone()),
                        SharedPhone::Skip => {
                            chose_skip = true;
                            None
                        }
                    }
                }
                (None, _) => None,
            }
        } else {
            by_name
                .get(name.as_str())
                .and_then(|l| l.iter().find(|e| e.organisation == expert.organisation))
                .map(|e| (*e).clone())
        };
        if chose_skip {
            rows.push(PlannedRow::skipped(line, expert, point_id, group_text));
            continue;
        }
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
        // the commit will write.
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
        super::signups::allot(c, &points, &themes, &arrivals, &mut rows)?
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
        activities: Vec::new(),
        overflow,
        shared_phones,
    })
}

impl PlannedRow {
    /// A row left out: it writes nothing.
    fn skipped(row: usize, expert: Expert, point_id: Option<String>, group_text: String) -> Self {
        PlannedRow {
            row,
            action: Action::Skip,
            expert,
            existing_id: None,
            point_id,
            group_text,
            beyond_capacity: false,
        }
    }
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
