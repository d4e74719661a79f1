//! The attendance sheets themselves: who is on each sheet of a checkpoint, in what order, with
//! what columns — the same rows whatever the file format.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::clock::{self, chinese_date};
use crate::{mask_phone, pinyin, store, Db, Error, Result};

/// Before the day (blank, for signatures on paper) or after it (with check-in times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetKind {
    Blank,
    Record,
}

/// Which checkpoint a sheet is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "type", content = "id")]
pub enum Scope {
    /// The event's own venue (the morning check-in).
    Main,
    /// One service point.
    Point(String),
    /// Every service point of one theme group, on one sheet.
    Theme(String),
    /// Every service point, a sheet each.
    All,
}

impl Scope {
    /// `main`, `all`, `theme:ID` or a service point id, as the CLI writes it.
    pub fn parse(s: &str) -> Scope {
        match s {
            "" | "main" => Scope::Main,
            "all" => Scope::All,
            _ => match s.strip_prefix("theme:") {
                Some(t) => Scope::Theme(t.to_string()),
                None => Scope::Point(s.to_string()),
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// By service point (in the event's order), then by pinyin.
    Group,
    /// By organisation, then by pinyin.
    Organisation,
    /// By the name's pinyin.
    Pinyin,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SheetOptions {
    pub kind: SheetKind,
    pub scope: Scope,
    pub sort: SortBy,
    /// Phones in full instead of 138****8000.
    pub full_phone: bool,
    /// Empty numbered rows at the end, for walk-ins.
    pub blank_rows: usize,
}

impl Default for SheetOptions {
    fn default() -> Self {
        SheetOptions {
            kind: SheetKind::Blank,
            scope: Scope::Main,
            sort: SortBy::Group,
            full_phone: false,
            blank_rows: 5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetRow {
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub phone: String,
    /// The service point's short name (on sheets that span several).
    pub group: String,
    /// Check-in time at the checkpoint, Shanghai HH:MM (record sheets).
    pub time: String,
    /// 现场补录 / 非本组 / … (record sheets).
    pub remark: String,
}

/// One attendance sheet: a title, a subtitle, its people, room for walk-ins.
#[derive(Debug, Clone, Serialize)]
pub struct AttendanceSheet {
    /// The event's name.
    pub title: String,
    /// Date · place · checkpoint.
    pub subtitle: String,
    /// The checkpoint alone (a worksheet's name).
    pub checkpoint: String,
    pub kind: SheetKind,
    /// Whether the 组别 column is shown (sheets spanning several service points).
    pub with_group: bool,
    pub rows: Vec<SheetRow>,
    pub blank_rows: usize,
}

impl AttendanceSheet {
    /// The column headers, in order.
    pub fn headers(&self) -> Vec<&'static str> {
        let mut h = vec!["序号", "姓名", "单位", "职务/职称", "联系电话"];
        if self.with_group {
            h.push("组别");
        }
        h.push("签到时间");
        h.push(match self.kind {
            SheetKind::Blank => "签名",
            SheetKind::Record => "备注",
        });
        h
    }

    /// Row `i` as cells under [`headers`](Self::headers); blank rows are numbered only.
    pub fn cells(&self, i: usize) -> Vec<&str> {
        let mut out = Vec::with_capacity(8);
        match self.rows.get(i) {
            Some(r) => {
                out.extend([r.name.as_str(), &r.organisation, &r.title, &r.phone]);
                if self.with_group {
                    out.push(&r.group);
                }
                out.extend([r.time.as_str(), &r.remark]);
            }
            None => out.resize(if self.with_group { 7 } else { 6 }, ""),
        }
        out
    }

    pub fn total_rows(&self) -> usize {
        self.rows.len() + self.blank_rows
    }
}

/// The sheets for `opts` (one, or one per service point for [`Scope::All`]).
pub fn sheets(db: &Db, event_id: &str, opts: &SheetOptions) -> Result<Vec<AttendanceSheet>> {
    let c = db.conn();
    let event = store::event::get(c, event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    let points = store::point::list_for_event(c, event_id)?;
    let themes: HashMap<String, String> = store::theme::list(c)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let order: HashMap<&str, (usize, &str)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let short = if p.short_name.is_empty() {
                p.name.as_str()
            } else {
                p.short_name.as_str()
            };
            (p.id.as_str(), (i, short))
        })
        .collect();
    let one = |scope: &Scope| -> Result<AttendanceSheet> {
        let (label, expected, present_at, with_group) = match scope {
            Scope::Main => (
                event.short_name.clone(),
                store::export::expected(c, event_id, None, None, true)?,
                Some(None),
                true,
            ),
            Scope::Point(id) => {
                let p = points
                    .iter()
                    .find(|p| &p.id == id)
                    .ok_or_else(|| Error::PointNotFound(id.clone()))?;
                let theme = p
                    .theme_id
                    .as_ref()
                    .and_then(|t| themes.get(t))
                    .map(|t| format!("{t}组 · "))
                    .unwrap_or_default();
                (
                    format!("{theme}{}", p.name),
                    store::export::expected(c, event_id, Some(id), None, false)?,
                    Some(Some(id.as_str())),
                    false,
                )
            }
            Scope::Theme(id) => {
                let name = themes
                    .get(id)
                    .ok_or_else(|| Error::PointNotFound(id.clone()))?;
                (
                    format!("{name}组"),
                    store::export::expected(c, event_id, None, Some(id), false)?,
                    None,
                    true,
                )
            }
            // `sheets` splits All into one sheet per point before it gets here.
            Scope::All => return Err(Error::PointNotFound("all".into())),
        };
        let mut rows: Vec<(SortKey, SheetRow)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let row = |p: &store::export::SheetPerson, remark: String| SheetRow {
            name: p.name.clone(),
            organisation: p.organisation.clone(),
            title: p.title.clone(),
            phone: if opts.full_phone {
                p.phone.clone()
            } else {
                mask_phone(&p.phone)
            },
            group: p
                .point_id
                .as_deref()
                .and_then(|id| order.get(id))
                .map(|(_, s)| {
                    if p.waiting {
                        format!("{s}（候补）")
                    } else {
                        s.to_string()
                    }
                })
                .unwrap_or_default(),
            time: match opts.kind {
                SheetKind::Record => p.at.as_deref().map(clock::local_hm).unwrap_or_default(),
                SheetKind::Blank => String::new(),
            },
            remark,
        };
        for p in &expected {
            seen.insert(p.expert_id.clone());
            let remark = if opts.kind == SheetKind::Record && p.walk_in {
                "现场补录".to_string()
            } else {
                String::new()
            };
            rows.push((sort_key(p, &order), row(p, remark)));
        }
        let mut extra = Vec::new();
        if opts.kind == SheetKind::Record {
            if let Some(at) = present_at {
                for p in store::export::present(c, event_id, at)? {
                    if seen.contains(&p.expert_id) {
                        continue;
                    }
                    let remark = if p.walk_in {
                        "现场补录"
                    } else if at.is_some() {
                        "非本组报名"
                    } else {
                        "未在报名名单"
                    };
                    extra.push((sort_key(&p, &order), row(&p, remark.to_string())));
                }
            }
        }
        let by = |a: &(SortKey, SheetRow), b: &(SortKey, SheetRow)| match opts.sort {
            SortBy::Group => (a.0.group, &a.0.pinyin).cmp(&(b.0.group, &b.0.pinyin)),
            SortBy::Organisation => {
                (&a.0.organisation, &a.0.pinyin).cmp(&(&b.0.organisation, &b.0.pinyin))
            }
            SortBy::Pinyin => a.0.pinyin.cmp(&b.0.pinyin),
        };
        rows.sort_by(by);
        extra.sort_by(by);
        let rows = rows.into_iter().chain(extra).map(|(_, r)| r).collect();
        let kind = match opts.kind {
            SheetKind::Blank => "签到表",
            SheetKind::Record => "签到记录",
        };
        Ok(AttendanceSheet {
            title: event.name.clone(),
            subtitle: format!(
                "{}{} · {} · {label} · {kind}",
                if crate::demo::is_demo(&event.id) {
                    crate::demo::PRINT_MARK
                } else {
                    ""
                },
                chinese_date(&event.date),
                event.place
            ),
            checkpoint: label,
            kind: opts.kind,
            with_group,
            rows,
            blank_rows: opts.blank_rows.min(200),
        })
    };
    match &opts.scope {
        Scope::All => points
            .iter()
            .map(|p| one(&Scope::Point(p.id.clone())))
            .collect(),
        s => Ok(vec![one(s)?]),
    }
}

struct SortKey {
    group: usize,
    organisation: String,
    pinyin: String,
}

fn sort_key(p: &store::export::SheetPerson, order: &HashMap<&str, (usize, &str)>) -> SortKey {
    SortKey {
        group: p
            .point_id
            .as_deref()
            .and_then(|id| order.get(id))
            .map(|(i, _)| *i)
            .unwrap_or(usize::MAX),
        organisation: pinyin::full_and_initials(&pinyin::normalise(&p.organisation)).0,
        pinyin: pinyin::full_and_initials(&pinyin::normalise(&p.name)).0,
    }
}
