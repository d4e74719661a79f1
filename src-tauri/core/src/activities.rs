//! The year's ledger of service activities (活动台账): how a row's date and counts are read,
//! what makes two rows the same activity, entering one by hand, linking one to the app's own
//! event, and an expert's service history over a year.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::report::{self, Counted};
use crate::{clock, districts, rules, store, Activity, Db, Desk, Error, Result};

/// The kinds of service the organisers report; a ledger may name another.
pub const KINDS: [&str; 6] = [
    "科技服务",
    "教育服务",
    "文化服务",
    "法律咨询",
    "健康义诊",
    "调研建言",
];

/// A count as a ledger writes it: `120`, `1,200`, `１２０`, `120人`, `35家`, `12.0` → the
/// number. `约20`, `20余`, `-3`, `1.5` are not counts (None).
pub fn parse_count(raw: &str) -> Option<i64> {
    let s = crate::pinyin::normalise(raw);
    let s = s.trim_end_matches(['人', '家', '场', '次', '名', '个', '户']);
    let s = s.trim_end_matches("人次");
    let s = s.strip_suffix(".0").unwrap_or(s);
    if s.is_empty() {
        return Some(0);
    }
    // Thousands separators only where they belong: 1,200 and 12,345,678.
    let digits: String = if s.contains([',', '，']) {
        let groups: Vec<&str> = s.split([',', '，']).collect();
        let ok = groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return None;
        }
        groups.concat()
    } else {
        s.to_string()
    };
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A date as a ledger writes it: an Excel date (a serial number), `2024-03-15`, `2024/3/15`,
/// `2024.3.15`, `2024年5月8日`, `20240315`, with or without a time after it → YYYY-MM-DD.
pub fn parse_date(raw: &str) -> Option<String> {
    // The day only: a time after it (`2024-03-15 00:00:00`, `2024-03-15T09:00`) is dropped.
    let s = crate::pinyin::normalise(raw.replace('\u{3000}', " ").split_whitespace().next()?);
    let s = s.split('t').next().unwrap_or("").to_string();
    let d = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        NaiveDate::parse_from_str(&s, "%Y%m%d").ok()?
    } else if let Ok(serial) = s.parse::<f64>() {
        // Excel's day 1 is 1900-01-01, and it counts a 29 February 1900 that never was.
        if !(20_000.0..=80_000.0).contains(&serial) {
            return None;
        }
        NaiveDate::from_ymd_opt(1899, 12, 30)? + Duration::days(serial.trunc() as i64)
    } else {
        let parts: Vec<&str> = s
            .split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .collect();
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        if y.len() != 4 {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?
    };
    Some(d.format("%Y-%m-%d").to_string())
}

/// What makes two ledger rows the same activity: the same date, district, name, kind, place
/// and figures. Re-importing a ledger finds its rows by this and adds nothing.
pub fn fingerprint(a: &Activity) -> String {
    let mut h = Sha256::new();
    for part in [
        a.date.as_str(),
        a.district.as_str(),
        &crate::pinyin::normalise(&a.name),
        &crate::pinyin::normalise(&a.kind),
        &crate::pinyin::normalise(&a.place),
        &a.participations.to_string(),
        &a.enterprises.to_string(),
        &a.people.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An activity typed in by hand.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ActivityForm {
    pub date: String,
    pub district: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub participations: i64,
    #[serde(default)]
    pub enterprises: i64,
    #[serde(default)]
    pub people: i64,
    #[serde(default)]
    pub notes: String,
}

/// Adds an activity typed in by hand, with an audit line.
pub fn add(db: &mut Db, form: &ActivityForm, desk: &Desk, now: DateTime<Utc>) -> Result<Activity> {
    let date = parse_date(&form.date).ok_or_else(|| Error::DateInvalid(form.date.clone()))?;
    let district = districts::normalise(&form.district)
        .ok_or_else(|| Error::DistrictUnknown(form.district.clone()))?;
    let name = rules::clean_text(&form.name)?;
    if name.is_empty() {
        return Err(Error::EventNameRequired);
    }
    for n in [form.participations, form.enterprises, form.people] {
        if !(0..=crate::outcomes::MAX_COUNT).contains(&n) {
            return Err(Error::CountInvalid(n.to_string()));
        }
    }
    let kind = rules::clean_text(&form.kind)?;
    let mut a = Activity {
        id: store::new_id(),
        date,
        district: district.to_string(),
        name,
        kind: if kind.is_empty() {
            KINDS[0].into()
        } else {
            kind
        },
        place: rules::clean_text(&form.place)?,
        station_id: None,
        participations: form.participations,
        enterprises: form.enterprises,
        people: form.people,
        notes: rules::clean_text(&form.notes)?,
        same_as_event: None,
    };
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    // The same activity typed twice is one activity.
    let print = format!("manual:{}", fingerprint(&a));
    if let Some(id) = store::activity::by_fingerprint(&tx, &print)? {
        return store::activity::get(&tx, &id)?.ok_or(Error::ActivityNotFound(id));
    }
    // Held at a station's place: the station's activity.
    a.station_id = store::station::by_name(&tx, &a.district, &a.place)?.map(|s| s.id);
    store::activity::insert(&tx, &a, &print, None, &at)?;
    store::audit::append(&tx, &at, desk, "activity", "activity", &a.id, &a.name)?;
    tx.commit()?;
    Ok(a)
}

/// Says by hand that a ledger row is the app's own event (or, with None, that it is not):
/// the event's figures count, the row's do not.
pub fn same_as_event(db: &Db, activity_id: &str, event_id: Option<&str>) -> Result<()> {
    let c = db.conn();
    if let Some(e) = event_id {
        store::event::get(c, e)?.ok_or_else(|| Error::EventNotFound(e.to_string()))?;
    }
    if store::activity::set_same_as_event(c, activity_id, event_id)? == 0 {
        return Err(Error::ActivityNotFound(activity_id.to_string()));
    }
    Ok(())
}

/// Sets the district an event counts under (an unknown name is refused).
pub fn set_event_district(db: &Db, event_id: &str, district: &str) -> Result<()> {
    let d = districts::normalise(district)
        .ok_or_else(|| Error::DistrictUnknown(district.to_string()))?;
    if store::year::set_event_district(db.conn(), event_id, d)? == 0 {
        return Err(Error::EventNotFound(event_id.to_string()));
    }
    Ok(())
}

/// An expert's service over a year: the counted activities they took part in, by date.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub expert_id: String,
    pub year: i32,
    pub count: usize,
    pub activities: Vec<Counted>,
}

/// The activities of `year` an expert took part in: ledger rows they are named in, events
/// they were present at.
pub fn history(db: &Db, expert_id: &str, year: i32) -> Result<History> {
    let c = db.conn();
    let mine: std::collections::HashSet<String> = store::activity::of_expert(c, expert_id)?
        .into_iter()
        .chain(
            store::year::present(c, year)?
                .into_iter()
                .filter(|(_, x)| x == expert_id)
                .map(|(e, _)| e),
        )
        .collect();
    let activities: Vec<Counted> = report::year(db, year, None)?
        .items
        .into_iter()
        .filter(|a| mine.contains(&a.id))
        .collect();
    Ok(History {
        expert_id: expert_id.to_string(),
        year,
        count: activities.len(),
        activities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_read_as_organisers_write_it_and_an_estimate_is_not_a_count() {
        for (raw, n) in [
            ("120", 120),
            ("1,200", 1200),
            ("12,345", 12345),
            ("１２０", 120),
            ("120人", 120),
            ("35家", 35),
            ("12.0", 12),
            (" 8 ", 8),
            ("", 0),
        ] {
            assert_eq!(parse_count(raw), Some(n), "{raw}");
        }
        for raw in ["约20", "20余", "-3", "1.5", "1,20", "twenty", "20-30"] {
            assert_eq!(parse_count(raw), None, "{raw}");
        }
    }

    #[test]
    fn a_date_is_read_however_the_ledger_writes_it() {
        for raw in [
            "45366",
            "45366.0",
            "2024-03-15",
            "2024/3/15",
            "2024.3.15",
            "2024年3月15日",
            "20240315",
            "2024-03-15 00:00:00",
            "２０２４.３.１５",
        ] {
            assert_eq!(parse_date(raw).as_deref(), Some("2024-03-15"), "{raw}");
        }
        for raw in ["3月15日", "2024-13-01", "2024-02-30", "明天", "12", ""] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }
}
