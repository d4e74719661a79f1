//! Every record of a package checked before anything is merged: ids of the right shape, times
//! that parse and lie in a sane range, known methods, the same field rules as every other way
//! in (`rules`), and references that stay inside the package or its event. One bad record
//! refuses the whole package, naming the record.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};

use super::{Kind, Payload};
use crate::{rules, Error, Method, PackCheckIn, PackRevocation, Result};

/// Records a desk makes (check-ins, revocations, the package itself) have UUIDs.
fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// People, points, themes, sign-ups and events have UUIDs, or the short ASCII ids of the
/// embedded demo day and of lists set up by hand (`2024-jinshan-p1`, `theme-dikong`).
fn is_entity_id(s: &str) -> bool {
    is_uuid(s)
        || ((1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// A desk's id and name: short, printable.
fn is_label(s: &str, max: usize) -> bool {
    let n = s.chars().count();
    (1..=max).contains(&n) && !s.chars().any(char::is_control)
}

/// A time a desk recorded, for a package: RFC 3339 is all it must be. A laptop's clock may be
/// days or years off, and what it recorded is still someone who walked in: the merge keeps it
/// and lists it for review with the skew named (`flags`), never refuses it.
fn is_time(s: &str) -> bool {
    DateTime::parse_from_rfc3339(s).is_ok()
}

/// A time a desk recorded, pulled from the city server: RFC 3339, after 2000 and not more than
/// two days ahead of this laptop's clock (a pulled row outside it is set aside with the reason).
fn sane_time(s: &str, now: DateTime<Utc>) -> bool {
    let Ok(t) = DateTime::parse_from_rfc3339(s) else {
        return false;
    };
    let earliest = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).single();
    earliest.is_some_and(|e| t >= e) && t <= now + Duration::days(2)
}

const METHODS: [Method; 5] = [
    Method::Search,
    Method::Scan,
    Method::Walkin,
    Method::Manual,
    Method::Import,
];

fn known_method(s: &str) -> bool {
    METHODS.iter().any(|m| m.as_str() == s)
}

fn bad(what: String, why: impl Into<String>) -> Error {
    Error::PackageRecord {
        what,
        why: why.into(),
    }
}

/// What is wrong with a check-in's own fields (its references are the caller's to check), or
/// `None`. Rows pulled from the city server obey the same rules as a package's; with `now`
/// given, a time must also lie in the sane window (`sane_time`), without it only be a time.
pub(crate) fn checkin_problem(c: &PackCheckIn, now: Option<DateTime<Utc>>) -> Option<String> {
    if !is_uuid(&c.id) {
        return Some(format!("编号“{}”不是有效的编号", c.id));
    }
    if !is_entity_id(&c.event_id)
        || !is_entity_id(&c.expert_id)
        || c.point_id.as_deref().is_some_and(|p| !is_entity_id(p))
    {
        return Some("活动、专家或点位的编号无效".into());
    }
    if !now.map_or(is_time(&c.at), |now| sane_time(&c.at, now)) {
        return Some(format!("时间“{}”不是合理的时间", c.at));
    }
    if !is_label(&c.desk_id, 100) || !is_label(&c.desk_name, rules::MAX_NAME_CHARS) {
        return Some("签到台为空、过长或有控制字符".into());
    }
    if !known_method(&c.method) {
        return Some(format!("签到方式“{}”未知", c.method));
    }
    None
}

/// What is wrong with a revocation's own fields, or `None`.
pub(crate) fn revocation_problem(r: &PackRevocation, now: Option<DateTime<Utc>>) -> Option<String> {
    if !is_uuid(&r.id) || !is_uuid(&r.checkin_id) {
        return Some("编号无效".into());
    }
    if !now.map_or(is_time(&r.at), |now| sane_time(&r.at, now)) {
        return Some(format!("时间“{}”不是合理的时间", r.at));
    }
    if !is_label(&r.desk_id, 100) || !is_label(&r.desk_name, rules::MAX_NAME_CHARS) {
        return Some("签到台为空、过长或有控制字符".into());
    }
    if !is_label(&r.reason, rules::MAX_TEXT_CHARS) {
        return Some("撤销原因为空或过长".into());
    }
    None
}

/// An id of a person, point, theme, sign-up or event.
pub(crate) fn entity_id_ok(s: &str) -> bool {
    is_entity_id(s)
}

/// A version a desk recorded (`updated_at`): a time that parses, after 2000. Unlike a
/// check-in's time it may lie ahead of this laptop's clock: it is a version, not an arrival.
pub(crate) fn version_ok(s: &str) -> bool {
    DateTime::parse_from_rfc3339(s).is_ok_and(|t| t.year() >= 2000)
}

pub fn check(p: &Payload) -> Result<()> {
    if !is_uuid(&p.package_id) {
        return Err(bad("数据包编号".into(), "不是有效的编号"));
    }
    if !is_time(&p.created_at) {
        return Err(bad(
            "生成时间".into(),
            format!("“{}”不是合理的时间", p.created_at),
        ));
    }
    if !is_label(&p.desk.id, 100) || !is_label(&p.desk.name, rules::MAX_NAME_CHARS) {
        return Err(bad("签到台".into(), "编号或名称为空、过长或有控制字符"));
    }
    if let Some(since) = &p.since {
        if !is_time(since) {
            return Err(bad("起始时间".into(), format!("“{since}”不是合理的时间")));
        }
    }
    let ev = &p.event;
    if !is_entity_id(&ev.id)
        || !is_label(&ev.name, rules::MAX_TEXT_CHARS)
        || ev.short_name.chars().count() > rules::MAX_TEXT_CHARS
        || ev.place.chars().count() > rules::MAX_TEXT_CHARS
        || chrono::NaiveDate::parse_from_str(&ev.date, "%Y-%m-%d").is_err()
    {
        return Err(bad("活动".into(), "编号、名称或日期无效".to_string()));
    }

    for (i, t) in p.themes.iter().enumerate() {
        let what = || format!("第 {} 个专题组（{}）", i + 1, t.name);
        if !is_entity_id(&t.id) {
            return Err(bad(what(), "编号无效"));
        }
        if let Some(why) = rules::theme_problem(t) {
            return Err(bad(what(), why));
        }
    }
    let themes: HashSet<&str> = p.themes.iter().map(|t| t.id.as_str()).collect();
    for (i, x) in p.points.iter().enumerate() {
        let what = || format!("第 {} 个服务点位（{}）", i + 1, x.name);
        if !is_entity_id(&x.id) || x.event_id != ev.id {
            return Err(bad(what(), "编号无效或不属于这个活动"));
        }
        if x.theme_id.as_deref().is_some_and(|t| !themes.contains(t)) {
            return Err(bad(what(), "引用了包里没有的专题组"));
        }
        if let Some(why) = rules::point_problem(x) {
            return Err(bad(what(), why));
        }
    }
    let points: HashSet<&str> = p.points.iter().map(|x| x.id.as_str()).collect();
    // A desk package names the points of the receiving laptop's event without carrying them.
    let point_ok = |id: &Option<String>| {
        id.as_deref()
            .is_none_or(|x| is_entity_id(x) && (p.kind == Kind::Desk || points.contains(x)))
    };

    for (i, e) in p.experts.iter().enumerate() {
        let what = || format!("第 {} 位专家", i + 1);
        if !is_entity_id(&e.id) {
            return Err(bad(what(), "编号无效"));
        }
        if let Some(why) = rules::expert_problem(e) {
            return Err(bad(what(), why));
        }
    }
    let experts: HashSet<&str> = p.experts.iter().map(|e| e.id.as_str()).collect();

    for (i, s) in p.signups.iter().enumerate() {
        let what = || format!("第 {} 条报名记录", i + 1);
        if !is_entity_id(&s.id) || s.event_id != ev.id {
            return Err(bad(what(), "编号无效或不属于这个活动"));
        }
        if !experts.contains(s.expert_id.as_str()) || !point_ok(&s.point_id) {
            return Err(bad(what(), "引用了包里没有的专家或点位"));
        }
    }

    for (i, c) in p.checkins.iter().enumerate() {
        let what = || format!("第 {} 条签到记录", i + 1);
        if c.event_id != ev.id {
            return Err(bad(what(), "不属于这个活动"));
        }
        if !experts.contains(c.expert_id.as_str()) || !point_ok(&c.point_id) {
            return Err(bad(what(), "引用了包里没有的专家或点位"));
        }
        if let Some(why) = checkin_problem(c, None) {
            return Err(bad(what(), why));
        }
    }
    let checkins: HashSet<&str> = p.checkins.iter().map(|c| c.id.as_str()).collect();
    for (i, r) in p.revocations.iter().enumerate() {
        let what = || format!("第 {} 条撤销记录", i + 1);
        if !checkins.contains(r.checkin_id.as_str()) {
            return Err(bad(what(), "编号无效或引用了包里没有的签到"));
        }
        if let Some(why) = revocation_problem(r, None) {
            return Err(bad(what(), why));
        }
    }
    Ok(())
}
