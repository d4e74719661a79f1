//! The activity ledger (活动台账) as a sheet kind: one row per service activity — its date,
//! district, name, kind of service, place, the experts who took part or their count, the
//! enterprises and people served. Re-importing the same ledger adds nothing; a row repeated in
//! the file is counted once; a count that is not a number (`约20`) keeps its row out.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{header, Action, Field, Mapping, Problem, Severity, Table};
use crate::activities::{fingerprint, parse_count, parse_date};
use crate::report::event_district;
use crate::{districts, store, Activity, Db, Error, Result};

/// Column names of a ledger. Kinds, places and counts come before the activity's name, so that
/// 活动类型 is a kind and 活动地点 a place, not a name; 专家人次 is a count, not the experts.
pub(super) const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::ActivityDate,
        &["日期", "活动日期", "服务日期", "活动时间", "时间", "date"],
    ),
    (
        Field::District,
        &["区", "所属区", "所在区", "区域", "区县", "地区", "district"],
    ),
    (
        Field::ServiceKind,
        &[
            "服务类型",
            "活动类型",
            "服务类别",
            "类型",
            "类别",
            "kind",
            "type",
        ],
    ),
    (
        Field::Place,
        &[
            "地点",
            "活动地点",
            "服务地点",
            "服务站",
            "place",
            "venue",
            "station",
        ],
    ),
    (
        Field::Enterprises,
        &["服务企业", "服务企业数", "企业数", "企业", "enterprises"],
    ),
    (
        Field::People,
        &[
            "服务群众",
            "服务人数",
            "受益群众",
            "群众",
            "服务对象",
            "people",
        ],
    ),
    (
        Field::Participations,
        &[
            "参与人次",
            "专家人次",
            "人次",
            "参与人数",
            "专家人数",
            "participations",
        ],
    ),
    (
        Field::Experts,
        &["参与专家", "参加专家", "专家名单", "专家", "experts"],
    ),
    (
        Field::ActivityName,
        &[
            "活动名称",
            "活动主题",
            "服务活动",
            "项目名称",
            "名称",
            "活动",
            "activity",
            "name",
        ],
    ),
    (Field::Notes, &["备注", "说明", "notes", "remarks"]),
];

/// The fields a ledger column can be mapped to, for the mapping editor.
pub const FIELDS: &[Field] = &[
    Field::ActivityDate,
    Field::District,
    Field::ActivityName,
    Field::ServiceKind,
    Field::Place,
    Field::Experts,
    Field::Participations,
    Field::Enterprises,
    Field::People,
    Field::Notes,
];

/// The kind a row without one is counted under.
pub const OTHER_KIND: &str = "其他";

#[derive(Debug, Clone, Serialize)]
pub struct PlannedActivity {
    pub row: usize,
    pub action: Action,
    pub activity: Activity,
    /// The experts on file the row names (one record of that name each).
    pub experts: Vec<String>,
    pub fingerprint: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct ActivityUndo {
    pub added: Vec<String>,
}

/// The names in an experts cell: 张三、李四，王五 / 赵六.
fn names(cell: &str) -> Vec<String> {
    cell.split(['、', ',', '，', ';', '；', '/', ' ', '\u{3000}', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) fn plan(
    db: &Db,
    table: &Table,
    mapping: &Mapping,
) -> Result<(Vec<PlannedActivity>, Vec<Problem>)> {
    let c = db.conn();
    for needed in [Field::ActivityDate, Field::District] {
        if mapping.column(needed).is_none() {
            return Err(Error::ImportNoHeader {
                rows: header::HEADER_SEARCH_ROWS,
            });
        }
    }
    // The app's own events, by (date, district): a ledger row of the same day and district is
    // that event, and the event's figures count.
    let mut events: HashMap<(String, String), String> = HashMap::new();
    for e in store::year::all_events(c)? {
        let d = event_district(&e.district, &[&e.short_name, &e.name, &e.place]);
        events.insert((e.date, d), e.name);
    }
    // The stations, by (district, name): a row held at a station's place is its activity.
    let stations: HashMap<(String, String), String> = store::station::all(c)?
        .into_iter()
        .map(|s| ((s.district, s.name), s.id))
        .collect();
    let header_of = |f: Field| mapping.header_of(f);
    let get = |row: &[String], f: Field| mapping.cell(row, f);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (line, raw) in super::plan::data_rows(table, mapping) {
        let Some(date_text) =
            super::plan::screen_row(raw, line, mapping, Field::ActivityDate, &mut problems)
        else {
            continue;
        };
        let mut errors = Vec::new();
        let date = parse_date(&date_text);
        if date.is_none() {
            errors.push((
                "date_invalid",
                Field::ActivityDate,
                format!("日期“{date_text}”无法识别，这一行未导入。"),
                date_text.clone(),
            ));
        }
        let district_text = get(raw, Field::District);
        let district = districts::normalise(&district_text);
        if district.is_none() {
            errors.push((
                "district_unknown",
                Field::District,
                format!("“{district_text}”不是上海的一个区，这一行未导入。"),
                district_text.clone(),
            ));
        }
        let mut count = |f: Field| -> i64 {
            let text = get(raw, f);
            match parse_count(&text) {
                Some(n) => n,
                None => {
                    errors.push((
                        "count_invalid",
                        f,
                        format!("“{text}”不是一个数目，这一行未导入。"),
                        text,
                    ));
                    0
                }
            }
        };
        let enterprises = count(Field::Enterprises);
        let people = count(Field::People);
        let named = names(&get(raw, Field::Experts));
        let participations = if get(raw, Field::Participations).is_empty() {
            named.len() as i64
        } else {
            count(Field::Participations)
        };
        let name = get(raw, Field::ActivityName);
        if name.is_empty() {
            errors.push((
                "no_activity_name",
                Field::ActivityName,
                "没有活动名称，这一行未导入。".into(),
                String::new(),
            ));
        }
        if !errors.is_empty() {
            for (code, f, message, detail) in errors {
                problems.push(Problem::new(
                    line,
                    Severity::Error,
                    code,
                    header_of(f),
                    message,
                    (!detail.is_empty()).then_some(detail),
                ));
            }
            continue;
        }
        let (Some(date), Some(district)) = (date, district) else {
            continue;
        };
        let kind = get(raw, Field::ServiceKind);
        let activity = Activity {
            id: store::new_id(),
            date,
            district: district.to_string(),
            name,
            kind: if kind.is_empty() {
                OTHER_KIND.into()
            } else {
                kind
            },
            station_id: stations
                .get(&(district.to_string(), get(raw, Field::Place)))
                .cloned(),
            place: get(raw, Field::Place),
            participations,
            enterprises,
            people,
            notes: get(raw, Field::Notes),
            same_as_event: None,
        };
        let print = fingerprint(&activity);
        if let Some(first) = seen.get(&print) {
            problems.push(Problem::new(
                line,
                Severity::Warning,
                "duplicate_activity_in_file",
                None,
                format!("与第 {first} 行是同一场活动，只计一次。"),
                Some(first.to_string()),
            ));
            continue;
        }
        seen.insert(print.clone(), line);
        if let Some(event) = events.get(&(activity.date.clone(), activity.district.clone())) {
            problems.push(Problem::new(
                line,
                Severity::Warning,
                "same_as_event",
                None,
                format!("与本机的活动“{event}”同日同区，是同一场活动：统计以本机的签到和成果为准，这一行不重复计入。"),
                Some(event.clone()),
            ));
        }
        let mut experts = Vec::new();
        let mut unknown = Vec::new();
        for n in &named {
            match store::expert::by_name(c, n)?.as_slice() {
                [one] => experts.push(one.id.clone()),
                _ => unknown.push(n.clone()),
            }
        }
        if !unknown.is_empty() {
            problems.push(Problem::new(
                line,
                Severity::Warning,
                "experts_not_linked",
                header_of(Field::Experts),
                format!(
                    "{} 不在专家名单中或有同名：计入人次，不关联到个人。",
                    unknown.join("、")
                ),
                Some(unknown.join("、")),
            ));
        }
        let action = if store::activity::by_fingerprint(c, &print)?.is_some() {
            Action::Unchanged
        } else {
            Action::Add
        };
        rows.push(PlannedActivity {
            row: line,
            action,
            activity,
            experts,
            fingerprint: print,
        });
    }
    Ok((rows, problems))
}

pub(super) fn write(
    tx: &crate::store::Tx<'_>,
    rows: &[PlannedActivity],
    batch: &str,
    at: &str,
    undo: &mut ActivityUndo,
) -> Result<()> {
    for r in rows.iter().filter(|r| r.action == Action::Add) {
        store::activity::insert(tx, &r.activity, &r.fingerprint, Some(batch), at)?;
        for e in &r.experts {
            store::activity::link_expert(tx, &r.activity.id, e)?;
        }
        undo.added.push(r.activity.id.clone());
    }
    Ok(())
}

pub(super) fn undo(tx: &crate::store::Tx<'_>, log: &ActivityUndo) -> Result<()> {
    for id in &log.added {
        store::activity::delete(tx, id)?;
    }
    Ok(())
}
