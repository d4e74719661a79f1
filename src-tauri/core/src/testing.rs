//! Fixtures shared by the unit tests: the demo day in memory, a desk, a moment on the day.

use chrono::{DateTime, TimeZone, Utc};

use crate::{Db, Desk};

/// Local (Shanghai) time on 2024-09-29.
pub fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 9, 29, hour - 8, minute, 0)
        .single()
        .expect("a valid time on the demo day")
}

pub fn desk() -> Desk {
    Desk {
        id: "desk-1".into(),
        name: "1号台".into(),
    }
}

/// The demo day, loaded at 08:00.
pub fn demo() -> Db {
    let mut db = Db::open_in_memory().expect("in-memory database");
    crate::demo::load(&mut db, at(8, 0)).expect("demo loads");
    db
}
