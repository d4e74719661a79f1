//! Finding the header row under the title rows, and mapping its column names (姓名/名字/专家姓名,
//! 工作单位/单位, 手机/联系电话 …, English too) to the fields the app knows.

use serde::{Deserialize, Serialize};

use super::read::Table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Gender,
    Party,
    Organisation,
    Title,
    Phone,
    Field,
    Group,
    Notes,
    Code,
    IdNumber,
    // Service-point sheets.
    PointName,
    Theme,
    ShortName,
    Address,
    Contact,
    Capacity,
    DepartTime,
    Bus,
    // Activity ledgers (活动台账).
    ActivityDate,
    District,
    ActivityName,
    ServiceKind,
    Place,
    Experts,
    Participations,
    Enterprises,
    People,
}

/// Column names as they appear in the associations' sheets, by field. Compared after removing
/// spaces, brackets and colons; a name matches a synonym exactly, or contains it when the
/// synonym is at least two characters (专家姓名 ⊃ 姓名).
const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &["姓名", "名字", "专家姓名", "专家", "name", "fullname"],
    ),
    (Field::Gender, &["性别", "gender", "sex"]),
    (Field::Party, &["党派", "政治面貌", "所属党派", "party"]),
    (
        Field::Organisation,
        &[
            "工作单位",
            "单位",
            "所在单位",
            "单位名称",
            "organisation",
            "organization",
            "institution",
            "employer",
            "affiliation",
        ],
    ),
    (
        Field::Title,
        &["职务", "职称", "职务职称", "职务/职称", "title", "position"],
    ),
    (
        Field::Phone,
        &[
            "手机",
            "手机号",
            "手机号码",
            "联系电话",
            "电话",
            "联系方式",
            "phone",
            "mobile",
            "tel",
        ],
    ),
    (
        Field::Field,
        &["专业领域", "专业", "研究领域", "领域", "field", "expertise"],
    ),
    (
        Field::Group,
        &[
            "专题",
            "组别",
            "参加专题组",
            "专题组",
            "服务点位",
            "意向服务点",
            "服务点",
            "分组",
            "group",
            "theme",
            "servicepoint",
        ],
    ),
    (
        Field::Notes,
        &["备注", "说明", "notes", "remark", "remarks"],
    ),
    (Field::Code, &["编号", "专家编号", "code"]),
    (
        Field::IdNumber,
        &["身份证", "身份证号", "身份证号码", "证件号码", "idnumber"],
    ),
];

/// Column names of the service-point sheets (one row per 点位). The contact's phone comes
/// before the contact so that 联系人电话 is a phone.
const POINT_SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::PointName,
        &[
            "服务点位",
            "点位",
            "点位名称",
            "服务点",
            "服务点名称",
            "名称",
            "point",
            "servicepoint",
            "name",
        ],
    ),
    (
        Field::Theme,
        &["专题", "专题组", "组别", "主题", "分组", "theme", "group"],
    ),
    (
        Field::ShortName,
        &["简称", "点位简称", "short", "shortname"],
    ),
    (
        Field::Address,
        &["地址", "服务地址", "点位地址", "详细地址", "address"],
    ),
    (
        Field::Phone,
        &[
            "联系电话",
            "联系人电话",
            "电话",
            "手机",
            "手机号",
            "phone",
            "mobile",
            "tel",
        ],
    ),
    (
        Field::Contact,
        &["联系人", "对接人", "负责人", "点位负责人", "contact"],
    ),
    (
        Field::Capacity,
        &[
            "名额",
            "人数",
            "容量",
            "接待人数",
            "计划人数",
            "限额",
            "capacity",
            "quota",
        ],
    ),
    (
        Field::DepartTime,
        &["出发时间", "发车时间", "集合时间", "depart", "departure"],
    ),
    (
        Field::Bus,
        &["车辆", "车次", "大巴", "车号", "bus", "coach"],
    ),
];

fn squash(s: &str) -> String {
    crate::pinyin::normalise(s)
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '(' | ')' | '（' | '）' | ':' | '：' | '*' | '_' | '-' | ' '
            )
        })
        .collect()
}

/// The field a column name of an expert or sign-up sheet stands for, if any.
pub fn field_for(header: &str) -> Option<Field> {
    field_in(header, SYNONYMS)
}

/// The field a column name of an activity ledger stands for, if any.
pub fn activity_field_for(header: &str) -> Option<Field> {
    field_in(header, super::activities::SYNONYMS)
}

/// The field a column name of a service-point sheet stands for, if any.
pub fn point_field_for(header: &str) -> Option<Field> {
    field_in(header, POINT_SYNONYMS)
}

fn field_in(header: &str, table: &[(Field, &[&str])]) -> Option<Field> {
    let h = squash(header);
    if h.is_empty() || h.chars().count() > 20 {
        return None;
    }
    for (field, names) in table {
        if names.iter().any(|n| squash(n) == h) {
            return Some(*field);
        }
    }
    for (field, names) in table {
        if names
            .iter()
            .any(|n| n.chars().count() >= 2 && h.contains(&squash(n)))
        {
            return Some(*field);
        }
    }
    None
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMap {
    pub index: usize,
    pub header: String,
    pub field: Option<Field>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    /// 0-based index of the header row in the table.
    pub header_row: usize,
    pub columns: Vec<ColumnMap>,
}

impl Mapping {
    pub fn column(&self, f: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.field == Some(f))
            .map(|c| c.index)
    }

    /// The header of the column mapped to `f`, for messages.
    pub fn header_of(&self, f: Field) -> Option<String> {
        self.columns
            .iter()
            .find(|m| m.field == Some(f))
            .map(|m| m.header.clone())
    }

    /// The trimmed text of the row's cell for `f` ("" when the field is not mapped).
    pub fn cell(&self, row: &[String], f: Field) -> String {
        self.column(f)
            .and_then(|i| row.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// The header names joined: the key under which a corrected mapping is remembered.
    pub fn signature(&self) -> String {
        self.columns
            .iter()
            .map(|c| squash(&c.header))
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// How many rows from the top are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 15;

/// The first row (of the first 15) that names a person column (a service point for a
/// service-point sheet) and at least one other known column — title rows such as
/// "2025年…报名汇总表" or "填报单位：…" above it are skipped.
pub fn detect(table: &Table, kind: super::Kind) -> Option<Mapping> {
    let (field_for, key): (fn(&str) -> Option<Field>, Field) = match kind {
        super::Kind::Points => (point_field_for, Field::PointName),
        super::Kind::Activities => (activity_field_for, Field::ActivityDate),
        _ => (field_for, Field::Name),
    };
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in table.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let fields: Vec<Field> = row.iter().filter_map(|c| field_for(c)).collect();
        if !fields.contains(&key) {
            continue;
        }
        let score = fields.len();
        if score >= 2 && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    let (header_row, _) = best?;
    let mut seen = Vec::new();
    let columns = table.rows[header_row]
        .iter()
        .enumerate()
        .map(|(index, h)| {
            // A field maps to its first column only (e.g. 手机 and 电话 both present).
            let field = field_for(h).filter(|f| {
                let first = !seen.contains(f);
                seen.push(*f);
                first
            });
            ColumnMap {
                index,
                header: h.trim().to_string(),
                field,
            }
        })
        .collect();
    Some(Mapping {
        header_row,
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_in_their_usual_variants_are_recognised() {
        let cases = [
            ("姓名", Some(Field::Name)),
            ("专家姓名", Some(Field::Name)),
            ("名字", Some(Field::Name)),
            ("工作单位", Some(Field::Organisation)),
            ("单位", Some(Field::Organisation)),
            ("职务/职称", Some(Field::Title)),
            ("手机号码", Some(Field::Phone)),
            ("联系电话", Some(Field::Phone)),
            ("参加专题组", Some(Field::Group)),
            ("意向服务点", Some(Field::Group)),
            ("备注", Some(Field::Notes)),
            ("Name", Some(Field::Name)),
            ("Organization", Some(Field::Organisation)),
            ("Mobile", Some(Field::Phone)),
            ("序号", None),
            ("", None),
        ];
        for (h, f) in cases {
            assert_eq!(field_for(h), f, "{h}");
        }
    }

    #[test]
    fn service_point_sheet_columns_are_recognised() {
        let cases = [
            ("服务点位", Some(Field::PointName)),
            ("点位名称", Some(Field::PointName)),
            ("专题组", Some(Field::Theme)),
            ("联系人", Some(Field::Contact)),
            ("联系人电话", Some(Field::Phone)),
            ("接待人数", Some(Field::Capacity)),
            ("名额（人）", Some(Field::Capacity)),
            ("发车时间", Some(Field::DepartTime)),
            ("车辆", Some(Field::Bus)),
            ("Address", Some(Field::Address)),
            ("序号", None),
        ];
        for (h, f) in cases {
            assert_eq!(point_field_for(h), f, "{h}");
        }
    }

    #[test]
    fn the_header_is_found_below_title_rows() {
        let t = Table {
            sheet: "Sheet1".into(),
            rows: vec![
                vec!["2025年专家服务日报名汇总表".into(), "".into(), "".into()],
                vec!["填报单位：上海交通大学知联会".into(), "".into(), "".into()],
                vec![
                    "序号".into(),
                    "姓名".into(),
                    "手机".into(),
                    "工作单位".into(),
                ],
                vec![
                    "1".into(),
                    "张三".into(),
                    "13800000000".into(),
                    "交大".into(),
                ],
            ],
        };
        let m = detect(&t, crate::import::Kind::Signups).unwrap();
        assert_eq!(m.header_row, 2);
        assert_eq!(m.column(Field::Name), Some(1));
        assert_eq!(m.column(Field::Phone), Some(2));
        assert_eq!(m.column(Field::Organisation), Some(3));
    }

    #[test]
    fn a_sheet_of_unrelated_columns_has_no_header() {
        let t = Table {
            sheet: String::new(),
            rows: vec![
                vec!["日期".into(), "金额".into()],
                vec!["2024-01-01".into(), "3".into()],
            ],
        };
        assert!(detect(&t, crate::import::Kind::Signups).is_none());
    }
}
