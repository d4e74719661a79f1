//! The window's last step of an import: commit, then remember how the columns were mapped for
//! the next file of the same shape. Remembering is a convenience: once the import committed,
//! a failure to remember is said as such and never reported as a failed import.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{commit_with, remember_mapping, OverCapacity, Preview, Progress, Report};
use crate::{Db, Desk, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Committed {
    #[serde(flatten)]
    pub report: Report,
    /// False: the import is in, but the mapping was not kept (the next file asks again).
    pub mapping_remembered: bool,
}

pub fn commit_and_remember(
    db: &mut Db,
    event_id: &str,
    preview: &Preview,
    over: OverCapacity,
    desk: &Desk,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Committed> {
    let report = commit_with(db, event_id, preview, over, desk, now, progress)?;
    let mapping_remembered = remember_mapping(db, &preview.mapping).is_ok();
    Ok(Committed {
        report,
        mapping_remembered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{header, read, Kind};

    #[test]
    fn an_import_that_committed_is_not_reported_failed_when_its_mapping_cannot_be_kept() {
        let mut db = Db::open_in_memory().unwrap();
        crate::demo::load(&mut db, Utc::now()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("名单.csv");
        std::fs::write(&file, "姓名,手机,工作单位\n韩冬,13912345001,复旦大学\n").unwrap();
        let table = read::read_file(&file).unwrap();
        let mapping = header::detect(&table, Kind::Experts);
        let p = super::super::preview(&db, "2024-jinshan", &table, mapping, Kind::Experts).unwrap();
        // The settings table refuses every write (a full disk would do the same to it alone).
        db.conn()
            .execute_batch(
                "CREATE TRIGGER no_settings BEFORE INSERT ON setting BEGIN SELECT RAISE(ABORT, 'full'); END;",
            )
            .unwrap();
        let desk = Desk {
            id: "d".into(),
            name: "1号台".into(),
        };
        let over = OverCapacity::default();
        let done = commit_and_remember(
            &mut db,
            "2024-jinshan",
            &p,
            over,
            &desk,
            Utc::now(),
            &mut |_| {},
        )
        .expect("the import itself succeeded");
        assert!(done.report.committed);
        assert!(!done.mapping_remembered);
        let found = crate::store::expert::by_phone(db.conn(), "13912345001").unwrap();
        assert_eq!(found.len(), 1, "韩冬 is in");
    }
}
