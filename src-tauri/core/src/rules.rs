//! The field rules every way in obeys — import, walk-in, the edit forms, a merged package, the
//! CLI — so that a record one path refuses cannot arrive by another.
//!
//! Forms and lists are *cleaned* (trimmed, padding removed, then checked); a record from a
//! package is *checked as it stands*, since the desk that wrote it cleaned it already.

use crate::{normalise_phone, Error, Expert, Result, ServicePoint, Theme};

/// Longest name: the longest real names are a dozen characters; more is a pasted paragraph.
pub const MAX_NAME_CHARS: usize = 40;
/// Longest organisation, title, field, notes, address… on any path.
pub const MAX_TEXT_CHARS: usize = 200;
/// Longest expert or badge code.
pub const MAX_CODE_CHARS: usize = 40;
/// Most places a service point can have (0: no limit).
pub const MAX_CAPACITY: i64 = 100_000;

/// A name as typed or listed: trimmed; a Chinese name loses the spaces that pad it (张　伟,
/// 张 伟 → 张伟), a Latin name keeps single spaces; required and at most [`MAX_NAME_CHARS`].
pub fn clean_name(raw: &str) -> Result<String> {
    let t = raw.trim().replace('\u{3000}', " ");
    let name: String = if t.chars().any(|c| ('\u{3400}'..='\u{9FFF}').contains(&c)) {
        t.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let n = name.chars().count();
    if n == 0 {
        return Err(Error::NameRequired);
    }
    if n > MAX_NAME_CHARS {
        return Err(Error::NameTooLong(n));
    }
    Ok(name)
}

/// A phone as typed: empty, or a number [`normalise_phone`] recognises.
pub fn clean_phone(raw: &str) -> Result<String> {
    if raw.trim().is_empty() {
        return Ok(String::new());
    }
    normalise_phone(raw).ok_or_else(|| Error::PhoneInvalid(raw.trim().to_string()))
}

/// Any other text field: trimmed, at most [`MAX_TEXT_CHARS`].
pub fn clean_text(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::TextTooLong(MAX_TEXT_CHARS));
    }
    Ok(s.to_string())
}

fn no_control(s: &str) -> bool {
    !s.chars().any(|c| c.is_control())
}

fn text_ok(s: &str) -> bool {
    s.chars().count() <= MAX_TEXT_CHARS && no_control(s)
}

/// Why a stored expert record breaks the rules, if it does (in Chinese, for the message).
pub fn expert_problem(e: &Expert) -> Option<String> {
    match clean_name(&e.name) {
        Err(Error::NameRequired) => return Some("姓名为空".into()),
        Err(Error::NameTooLong(n)) => return Some(format!("姓名过长（{n} 字）")),
        _ => {}
    }
    if !no_control(&e.name) {
        return Some("姓名里有控制字符".into());
    }
    let code = e.code.chars().count();
    if code == 0 || code > MAX_CODE_CHARS || !no_control(&e.code) {
        return Some("编号为空、过长或有控制字符".into());
    }
    if !e.phone.is_empty() && normalise_phone(&e.phone).as_deref() != Some(e.phone.as_str()) {
        return Some("手机号不是有效号码".into());
    }
    let texts = [
        &e.gender,
        &e.party,
        &e.organisation,
        &e.title,
        &e.field,
        &e.notes,
    ];
    if !texts.iter().all(|t| text_ok(t)) {
        return Some(format!("有字段超过 {MAX_TEXT_CHARS} 字或有控制字符"));
    }
    None
}

/// Why a stored service point breaks the rules, if it does.
pub fn point_problem(p: &ServicePoint) -> Option<String> {
    let name = p.name.trim().chars().count();
    if name == 0 || name > MAX_TEXT_CHARS || !no_control(&p.name) {
        return Some("点位名称为空或过长".into());
    }
    if !(0..=MAX_CAPACITY).contains(&p.capacity) {
        return Some(format!("名额 {} 超出 0–{MAX_CAPACITY}", p.capacity));
    }
    let texts = [
        &p.short_name,
        &p.address,
        &p.contact,
        &p.contact_phone,
        &p.bus,
    ];
    if !texts.iter().all(|t| text_ok(t)) {
        return Some(format!("有字段超过 {MAX_TEXT_CHARS} 字或有控制字符"));
    }
    let t = p.depart_time.as_bytes();
    let time_ok = t.is_empty()
        || (t.len() == 5
            && t[2] == b':'
            && p.depart_time[..2].parse::<u8>().is_ok_and(|h| h < 24)
            && p.depart_time[3..].parse::<u8>().is_ok_and(|m| m < 60));
    if !time_ok {
        return Some(format!("出发时间“{}”无效", p.depart_time));
    }
    None
}

pub fn theme_problem(t: &Theme) -> Option<String> {
    let n = t.name.trim().chars().count();
    (n == 0 || n > MAX_TEXT_CHARS || !no_control(&t.name)).then(|| "专题组名称为空或过长".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expert(name: &str) -> Expert {
        Expert {
            id: "x".into(),
            code: "E-0001".into(),
            name: name.into(),
            gender: String::new(),
            party: String::new(),
            organisation: "复旦大学".into(),
            title: String::new(),
            field: String::new(),
            phone: "13812345678".into(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_name_is_cleaned_the_same_way_on_every_path() {
        assert_eq!(clean_name(" 张　伟 ").unwrap(), "张伟");
        assert_eq!(clean_name("张 伟").unwrap(), "张伟");
        assert_eq!(clean_name(" Anna   Li ").unwrap(), "Anna Li");
        assert!(matches!(clean_name("  "), Err(Error::NameRequired)));
        assert!(matches!(
            clean_name(&"长".repeat(41)),
            Err(Error::NameTooLong(41))
        ));
        assert!(clean_name(&"长".repeat(40)).is_ok());
    }

    #[test]
    fn a_stored_record_from_elsewhere_is_checked_as_it_stands() {
        assert_eq!(expert_problem(&expert("韩冬")), None);
        assert!(expert_problem(&expert(&"名".repeat(3000)))
            .unwrap()
            .contains("3000"));
        assert!(expert_problem(&expert("")).is_some());
        assert!(expert_problem(&expert("韩\u{0}冬")).is_some());
        let mut e = expert("韩冬");
        e.phone = "1234".into();
        assert!(expert_problem(&e).is_some(), "a phone nobody could dial");
        let mut e = expert("韩冬");
        e.organisation = "x".repeat(MAX_TEXT_CHARS + 1);
        assert!(expert_problem(&e).is_some());
        let mut e = expert("韩冬");
        e.code = String::new();
        assert!(expert_problem(&e).is_some());
    }

    #[test]
    fn a_point_needs_a_name_a_sane_capacity_and_a_real_time() {
        let p = ServicePoint {
            id: "p".into(),
            event_id: "e".into(),
            theme_id: None,
            name: "低空经济".into(),
            short_name: String::new(),
            address: String::new(),
            contact: String::new(),
            contact_phone: String::new(),
            capacity: 20,
            depart_time: "13:00".into(),
            bus: String::new(),
            sort_order: 0,
        };
        assert_eq!(point_problem(&p), None);
        let mut q = p.clone();
        q.capacity = 9_999_999;
        assert!(point_problem(&q).is_some());
        let mut q = p.clone();
        q.depart_time = "25:99".into();
        assert!(point_problem(&q).is_some());
        let mut q = p;
        q.name = " ".into();
        assert!(point_problem(&q).is_some());
    }
}
