//! What the screen confirmed is on disk: a check-in survives closing and reopening the file,
//! seen by another process.

use chrono::Utc;
use tongxin_core::{checkin, store, Checkpoint, Db, Desk, Method};
use tongxin_tests::cli_json;

#[test]
fn a_committed_check_in_is_read_back_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.db");
    let id = {
        let mut db = Db::open(&path).unwrap();
        tongxin_core::demo::load(&mut db, Utc::now()).unwrap();
        let e = store::expert::by_code(db.conn(), "E-0042")
            .unwrap()
            .unwrap();
        let desk = Desk {
            id: "test-desk".into(),
            name: "1号台".into(),
        };
        let r = checkin::check_in(
            &mut db,
            "2024-jinshan",
            &e.id,
            &Checkpoint::Main,
            Method::Search,
            &desk,
            Utc::now(),
        )
        .unwrap();
        // The connection stays open: another process must already see the row.
        let seen = cli_json(&path, &["checkins"]);
        assert!(seen
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == r.checkin.id.as_str()));
        r.checkin.id
    };
    let db = Db::open(&path).unwrap();
    assert!(store::checkin::get(db.conn(), &id).unwrap().is_some());
}
