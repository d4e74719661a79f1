//! What a merge lists for review: the same person checked in at two desks (one attendance,
//! both records kept), and records whose time the sending desk's clock got wrong (kept with
//! the time it recorded, the skew named).

use chrono::{DateTime, Utc};

use super::{Flag, FlagKind};
use crate::{clock, store, Db, Error, Event, Result};

/// The same people checked in more than once at one checkpoint (from different desks), to
/// review: one attendance each, every record kept.
pub fn flags(db: &Db, event_id: &str) -> Result<Vec<Flag>> {
    let event = store::event::get(db.conn(), event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    flags_in(db.conn(), &event)
}

pub(super) fn flags_in(c: &crate::store::Conn, event: &Event) -> Result<Vec<Flag>> {
    let points = store::point::list_for_event(c, &event.id)?;
    let checkpoint_of = |point_id: &Option<String>| match point_id {
        None => event.short_name.clone(),
        Some(id) => points
            .iter()
            .find(|x| &x.id == id)
            .map(|x| x.name.clone())
            .unwrap_or_default(),
    };
    let mut flagged = Vec::new();
    for store::package::Double {
        expert_id,
        point_id,
        records,
    } in store::package::double_checkins(c, &event.id)?
    {
        let name = store::expert::get(c, &expert_id)?
            .map(|e| e.name)
            .unwrap_or_default();
        let checkpoint = checkpoint_of(&point_id);
        let records = records
            .iter()
            .map(|(desk, at)| format!("{desk} {}", clock::local_hm(at)))
            .collect::<Vec<_>>()
            .join(" / ");
        flagged.push(Flag {
            kind: FlagKind::Double,
            expert_id,
            name,
            checkpoint,
            records,
        });
    }
    for f in store::package::clock_flags(c, &event.id)? {
        let name = store::expert::get(c, &f.expert_id)?
            .map(|e| e.name)
            .unwrap_or_default();
        let checkpoint = checkpoint_of(&f.point_id);
        flagged.push(Flag {
            kind: FlagKind::Clock,
            expert_id: f.expert_id,
            name,
            checkpoint,
            records: format!(
                "{}：记录时间 {}，到本机 {}",
                skew_text(&f.desk_name, f.skew_seconds),
                clock::local_datetime(&f.recorded_at),
                clock::local_datetime(&f.received_at)
            ),
        });
    }
    Ok(flagged)
}

/// "2号台的时钟比本机快 3 天"; for a skew under ten minutes, the record's time alone is wrong.
pub(super) fn skew_text(desk: &str, seconds: i64) -> String {
    let n = seconds.unsigned_abs();
    let round = |unit: u64| (n + unit / 2) / unit;
    let amount = if n >= 365 * 86_400 {
        format!("约 {} 年", round(365 * 86_400))
    } else if n >= 86_400 {
        format!("{} 天", round(86_400))
    } else if n >= 3_600 {
        format!("{} 小时", round(3_600))
    } else {
        format!("{} 分钟", round(60))
    };
    if n < 600 {
        format!("{desk}记录的时间不在本活动可能的时间里")
    } else if seconds > 0 {
        format!("{desk}的时钟比本机快 {amount}")
    } else {
        format!("{desk}的时钟比本机慢 {amount}")
    }
}

/// Whether a record's time cannot be right by this laptop's clock: ahead of it (beyond a
/// little drift), or before the day before the event.
pub(super) fn time_impossible(at: &str, event_date: &str, now: DateTime<Utc>) -> bool {
    let Some(t) = clock::from_db(at) else {
        return true;
    };
    let earliest = chrono::NaiveDate::parse_from_str(event_date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.pred_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc() - chrono::Duration::hours(8));
    t > now + chrono::Duration::minutes(10) || earliest.is_some_and(|e| t < e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skew_is_said_in_the_unit_a_person_would_use() {
        assert_eq!(
            skew_text("2号台", 3 * 86_400 - 7),
            "2号台的时钟比本机快 3 天"
        );
        assert_eq!(skew_text("2号台", -5 * 3_600), "2号台的时钟比本机慢 5 小时");
        assert_eq!(
            skew_text("3号台", -17 * 365 * 86_400),
            "3号台的时钟比本机慢 约 17 年"
        );
        assert!(skew_text("2号台", 30).contains("不在本活动可能的时间里"));
    }
}
