//! Time as the app stores and shows it. The clock itself is read only at the edges (shell, CLI)
//! and passed in as `now`.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

/// Shanghai has had no daylight saving since 1991: a fixed +08:00 is exact.
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// The stored form: UTC, milliseconds, `Z`; sorts as text.
pub fn to_db(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub fn from_db(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.fZ")
                .ok()
                .map(|n| n.and_utc())
        })
}

/// "09:12" in Shanghai time, as the desk shows it.
pub fn local_hm(stored: &str) -> String {
    from_db(stored)
        .map(|t| t.with_timezone(&shanghai()).format("%H:%M").to_string())
        .unwrap_or_default()
}

/// "2024-09-29 09:12:03" in Shanghai time, for lists and exports.
pub fn local_datetime(stored: &str) -> String {
    from_db(stored)
        .map(|t| {
            t.with_timezone(&shanghai())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

/// "8:30", "08：30", "8:30:00", "8点30", Excel's time fraction 0.354166… → "08:30".
pub fn parse_time(s: &str) -> Option<String> {
    let s: String = s
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    let s = s.trim();
    if let Ok(f) = s.parse::<f64>() {
        if (0.0..1.0).contains(&f) {
            let minutes = (f * 24.0 * 60.0).round() as i64;
            return Some(format!("{:02}:{:02}", minutes / 60, minutes % 60));
        }
        return None;
    }
    // A date-time cell ("1899-12-31T08:30:00", "2024-09-29 08:30"): keep the time.
    let s = s.rsplit(['T', ' ']).next().unwrap_or(s);
    let s = s.replace('点', ":");
    let mut parts = s.split(':');
    let h: u32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = match parts.next().map(str::trim) {
        None | Some("") => 0,
        Some(m) => m.parse().ok()?,
    };
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// 2024-09-29 → 2024年9月29日.
pub fn chinese_date(iso: &str) -> String {
    let mut it = iso.split('-').map(|x| x.trim_start_matches('0'));
    match (it.next(), it.next(), it.next()) {
        (Some(y), Some(m), Some(d)) if !y.is_empty() && !m.is_empty() && !d.is_empty() => {
            format!("{y}年{m}月{d}日")
        }
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn stored_utc_is_shown_in_shanghai_time() {
        let t = Utc.with_ymd_and_hms(2024, 9, 29, 1, 12, 3).unwrap();
        let s = to_db(t);
        assert_eq!(s, "2024-09-29T01:12:03.000Z");
        assert_eq!(local_hm(&s), "09:12");
        assert_eq!(local_datetime(&s), "2024-09-29 09:12:03");
        assert_eq!(from_db(&s), Some(t));
    }

    #[test]
    fn departure_times_in_their_usual_spellings() {
        assert_eq!(parse_time("8:30").as_deref(), Some("08:30"));
        assert_eq!(parse_time("08：30").as_deref(), Some("08:30"));
        assert_eq!(parse_time("8:30:00").as_deref(), Some("08:30"));
        assert_eq!(parse_time("8点30").as_deref(), Some("08:30"));
        assert_eq!(parse_time("9点").as_deref(), Some("09:00"));
        assert_eq!(parse_time("0.3541666666666667").as_deref(), Some("08:30"));
        assert_eq!(parse_time("1899-12-31T13:15:00").as_deref(), Some("13:15"));
        assert_eq!(parse_time("下午").as_deref(), None);
        assert_eq!(parse_time("25:00").as_deref(), None);
    }
}
