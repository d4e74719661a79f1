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
}
