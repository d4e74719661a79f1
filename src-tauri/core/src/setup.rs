//! Setting a laptop up: the first start (the welcome screen's two ways in, or straight onto
//! the demo day when asked), and starting over (the demo day again, or an empty database) —
//! always after a backup of what was there, named like every other backup.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::events::{self, EventForm};
use crate::{backup, demo, store, Db, Error, Event, Result};

/// Set once either way in was taken (or the database had an event already).
const INITIALISED: &str = "initialised";

fn mark(db: &Db) -> Result<()> {
    store::setting::set(db.conn(), INITIALISED, "1")
}

/// The window shows the welcome screen: nothing was ever set up here (no event, and neither
/// choice made yet).
pub fn first_run(db: &Db) -> Result<bool> {
    Ok(store::setting::get(db.conn(), INITIALISED)?.is_none()
        && store::event::list(db.conn())?.is_empty())
}

/// At start-up: a database with events counts as set up; with `open_on_demo` (the README's
/// run command and the tests) an empty one opens straight on the demo day.
pub fn on_start(db: &mut Db, open_on_demo: bool, now: DateTime<Utc>) -> Result<()> {
    if store::setting::get(db.conn(), INITIALISED)?.is_some() {
        return Ok(());
    }
    let empty = store::event::list(db.conn())?.is_empty();
    if empty && open_on_demo {
        demo::load(db, now)?;
    }
    if !empty || open_on_demo {
        mark(db)?;
    }
    Ok(())
}

/// 试用示例: the embedded demo day, on a database that has nothing else in it.
pub fn try_demo(db: &mut Db, now: DateTime<Utc>) -> Result<Event> {
    if !store::event::list(db.conn())?.is_empty() {
        return Err(Error::NotFirstRun);
    }
    demo::load(db, now)?;
    mark(db)?;
    events::current(db)?.ok_or_else(|| Error::EventNotFound(String::new()))
}

/// 开始我们的活动: the coordinator's own day becomes the current event.
pub fn start_own_day(db: &mut Db, form: &EventForm, now: DateTime<Utc>) -> Result<Event> {
    let (event, _) = events::create(db, form, None, now)?;
    events::set_current(db, &event.id)?;
    mark(db)?;
    Ok(event)
}

/// What starting over leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fresh {
    /// The demo day again.
    Demo,
    /// An empty database (the welcome screen does not come back: the choice was made).
    Empty,
}

/// Empties the database after backing it up into `backups` (the backup's path is returned):
/// nothing is ever thrown away.
pub fn start_over(
    db: &mut Db,
    backups: &Path,
    fresh: Fresh,
    now: DateTime<Utc>,
) -> Result<PathBuf> {
    let tag = match fresh {
        Fresh::Demo => "before-demo",
        Fresh::Empty => "before-empty",
    };
    let kept = backup::backup_now(db, backups, tag, now)?;
    store::schema::clear_all(db.conn_mut())?;
    if fresh == Fresh::Demo {
        demo::load(db, now)?;
    }
    mark(db)?;
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_backup_made_before_starting_over_is_named_and_listed_in_local_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("day.db")).unwrap();
        demo::load(&mut db, Utc::now()).unwrap();
        // 23:30 UTC is 07:30 the next morning in Shanghai.
        let now = Utc.with_ymd_and_hms(2024, 9, 28, 23, 30, 0).unwrap();
        let backups = dir.path().join("backups");
        let kept = start_over(&mut db, &backups, Fresh::Empty, now).unwrap();
        assert!(
            kept.ends_with("tongxin-20240929-073000-before-empty.db"),
            "{kept:?}"
        );
        let listed = backup::list(&backups).unwrap();
        assert_eq!(listed[0].local_time, "2024-09-29 07:30:00");
        assert!(store::event::list(db.conn()).unwrap().is_empty());
        assert!(!first_run(&db).unwrap(), "the choice was made");
        // The backup holds the day.
        let copy = Db::open(&kept).unwrap();
        assert_eq!(store::event::list(copy.conn()).unwrap().len(), 1);
    }

    #[test]
    fn an_empty_database_opens_on_the_demo_day_only_when_asked() {
        let mut db = Db::open_in_memory().unwrap();
        on_start(&mut db, false, Utc::now()).unwrap();
        assert!(first_run(&db).unwrap(), "the welcome screen");
        on_start(&mut db, true, Utc::now()).unwrap();
        assert!(!first_run(&db).unwrap());
        assert_eq!(store::event::list(db.conn()).unwrap().len(), 1);
        assert!(matches!(
            try_demo(&mut db, Utc::now()),
            Err(Error::NotFirstRun)
        ));
    }
}
