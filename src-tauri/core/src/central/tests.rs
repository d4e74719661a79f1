use super::*;
use crate::checkin::check_in;
use crate::demo::DEMO_EVENT_ID;
use crate::experts::{self, ExpertForm};
use crate::testing::{at, demo, desk};
use crate::{Checkpoint, Method};

fn events() -> Vec<String> {
    vec![DEMO_EVENT_ID.to_string()]
}

fn first_expert(db: &Db) -> crate::Expert {
    experts::list(db).unwrap().remove(0)
}

/// A laptop that has published its day: everything on it is known to the server.
fn published() -> Db {
    let mut db = demo();
    let p = publication(&db, Some(DEMO_EVENT_ID)).unwrap();
    mark_published(&mut db, &p).unwrap();
    db
}

#[test]
fn a_new_check_in_is_to_upload_until_the_server_has_it() {
    let mut db = published();
    let before = unsent(&db, &events()).unwrap();
    let e = first_expert(&db);
    let r = check_in(
        &mut db,
        DEMO_EVENT_ID,
        &e.id,
        &Checkpoint::Main,
        Method::Search,
        &desk(),
        at(8, 30),
    )
    .unwrap();
    let out = outbox(&db, &events(), BATCH).unwrap();
    assert_eq!(out.checkins.len(), 1);
    assert_eq!(out.checkins[0].id, r.checkin.id);
    assert_eq!(unsent(&db, &events()).unwrap(), before + 1);
    mark_sent(&mut db, &out).unwrap();
    assert!(outbox(&db, &events(), BATCH).unwrap().checkins.is_empty());
    assert_eq!(unsent(&db, &events()).unwrap(), before);
}

#[test]
fn a_check_in_pulled_from_another_desk_is_added_once_and_not_sent_back() {
    let mut db = published();
    let e = first_expert(&db);
    let ci = crate::PackCheckIn {
        id: "0193a1b2-0000-7000-8000-0000000000d2".into(),
        event_id: DEMO_EVENT_ID.into(),
        expert_id: e.id.clone(),
        point_id: None,
        at: crate::clock::to_db(at(8, 31)),
        desk_id: "desk-2".into(),
        desk_name: "2号台".into(),
        method: "scan".into(),
    };
    let inbox = Inbox {
        checkins: vec![ci.clone()],
        ..Inbox::default()
    };
    let first = apply(&mut db, &inbox, &desk(), at(8, 32)).unwrap();
    let again = apply(&mut db, &inbox, &desk(), at(8, 33)).unwrap();
    assert_eq!((first.checkins, again.checkins), (1, 0));
    assert!(outbox(&db, &events(), BATCH).unwrap().checkins.is_empty());
    // The desk now sees the arrival: checking the same person in again is a duplicate.
    let r = check_in(
        &mut db,
        DEMO_EVENT_ID,
        &e.id,
        &Checkpoint::Main,
        Method::Search,
        &desk(),
        at(8, 40),
    )
    .unwrap();
    assert_eq!(r.checkin.desk_name, "2号台");
}

fn form_of(e: &crate::Expert, title: &str) -> ExpertForm {
    serde_json::from_value(serde_json::json!({
        "name": e.name, "organisation": e.organisation, "title": title, "phone": e.phone,
    }))
    .unwrap()
}

#[test]
fn an_edit_the_server_received_after_ours_replaces_it_and_ours_is_kept_in_the_audit_log() {
    let mut db = published();
    let e = first_expert(&db);
    experts::edit(
        &mut db,
        &e.id,
        &form_of(&e, "本机改的职务"),
        &desk(),
        at(9, 0),
    )
    .unwrap();
    let out = outbox(&db, &events(), BATCH).unwrap();
    assert_eq!(out.experts.len(), 1);
    mark_sent(&mut db, &out).unwrap();
    // Another desk's edit, received after ours — stamped earlier by its slow clock.
    let mut theirs = e.clone();
    theirs.title = "服务器后来收到的职务".into();
    let inbox = Inbox {
        experts: vec![CentralExpert {
            expert: theirs,
            archived: false,
            updated_at: crate::clock::to_db(at(8, 55)),
            event_id: String::new(),
        }],
        ..Inbox::default()
    };
    let done = apply(&mut db, &inbox, &desk(), at(9, 6)).unwrap();
    assert_eq!((done.experts, done.overridden), (1, 1));
    let now = crate::store::expert::get(db.conn(), &e.id)
        .unwrap()
        .unwrap();
    assert_eq!(now.title, "服务器后来收到的职务");
    assert!(outbox(&db, &events(), BATCH).unwrap().experts.is_empty());
    let log = crate::audit::recent(&db, 20).unwrap();
    assert!(
        log.iter()
            .any(|a| a.action == "central_override" && a.detail.contains("本机改的职务")),
        "the lost edit is in the audit log"
    );
}

#[test]
fn a_pulled_version_does_not_undo_a_local_edit_not_yet_uploaded_whatever_the_clocks_say() {
    let mut db = published();
    let e = first_expert(&db);
    experts::edit(&mut db, &e.id, &form_of(&e, "本机更晚"), &desk(), at(9, 10)).unwrap();
    let mut theirs = e.clone();
    theirs.title = "服务器上的版本".into();
    let inbox = Inbox {
        experts: vec![CentralExpert {
            expert: theirs,
            archived: false,
            // A laptop whose clock runs a day fast.
            updated_at: crate::clock::to_db(at(9, 5) + chrono::Duration::days(1)),
            event_id: String::new(),
        }],
        ..Inbox::default()
    };
    apply(&mut db, &inbox, &desk(), at(9, 11)).unwrap();
    let now = crate::store::expert::get(db.conn(), &e.id)
        .unwrap()
        .unwrap();
    assert_eq!(now.title, "本机更晚");
    assert_eq!(outbox(&db, &events(), BATCH).unwrap().experts.len(), 1);
}

#[test]
fn a_server_url_that_is_not_postgres_is_refused_and_the_password_is_kept_when_not_retyped() {
    let db = demo();
    assert!(matches!(
        set_server(&db, "http://example.org", None),
        Err(Error::ServerUrlInvalid)
    ));
    set_server(&db, "postgres://d1@127.0.0.1:5432/tongxin", Some("s3cret")).unwrap();
    set_cursor(&db, "40:45:41,43").unwrap();
    set_server(&db, "postgres://d1@127.0.0.1:5432/tongxin", None).unwrap();
    let s = server(&db).unwrap().unwrap();
    assert_eq!(s.password, "s3cret");
    assert_eq!(cursor(&db).unwrap(), "40:45:41,43");
    set_server(&db, "postgres://d1@10.0.0.9/tongxin", None).unwrap();
    assert_eq!(
        cursor(&db).unwrap(),
        FIRST_CURSOR,
        "another address starts from its beginning"
    );
}

#[test]
fn a_check_in_waits_for_the_sync_connection_s_write_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let mut desk_db = Db::open(&path).unwrap();
    crate::demo::load(&mut desk_db, at(8, 0)).unwrap();
    let e = first_expert(&desk_db);
    // The sync's own connection is in the middle of writing what it pulled.
    let mut sync_db = Db::open(&path).unwrap();
    let (started, go) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        let tx = sync_db.conn_mut().transaction().unwrap();
        crate::store::central::mark_known(&tx, "pulled-row", "").unwrap();
        started.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(150));
        tx.commit().unwrap();
    });
    go.recv().unwrap();
    let r = check_in(
        &mut desk_db,
        DEMO_EVENT_ID,
        &e.id,
        &Checkpoint::Main,
        Method::Scan,
        &desk(),
        at(8, 30),
    );
    writer.join().unwrap();
    assert!(r.is_ok(), "the check-in waited its turn: {r:?}");
}

#[test]
fn a_cursor_is_a_snapshot_or_the_beginning() {
    let db = demo();
    for bad in ["", "42", "1:2", "a:b:", "1:2:3:4", "1:2:x", "1:2:3,,4"] {
        set_cursor(&db, bad).unwrap();
        assert_eq!(cursor(&db).unwrap(), FIRST_CURSOR, "{bad:?}");
    }
    set_cursor(&db, "763:790:763,770").unwrap();
    assert_eq!(cursor_xmax(&cursor(&db).unwrap()), 790);
}

#[test]
fn a_venue_the_login_gains_is_pulled_from_the_beginning() {
    let db = demo();
    let one = vec!["a".to_string()];
    assert!(
        !note_events(&db, &one).unwrap(),
        "the first venues are no news"
    );
    set_cursor(&db, "5:9:").unwrap();
    assert!(!note_events(&db, &one).unwrap());
    assert_eq!(cursor(&db).unwrap(), "5:9:");
    assert!(note_events(&db, &["a".to_string(), "b".to_string()]).unwrap());
    assert_eq!(cursor(&db).unwrap(), FIRST_CURSOR);
}
