use super::*;
use crate::testing::{at, demo, desk};
use crate::{checkin, Method};

const EV: &str = "2024-jinshan";

fn registered_not_here(db: &Db) -> Vec<String> {
    rollcall::not_arrived(db, EV)
        .unwrap()
        .into_iter()
        .map(|r| r.expert_id)
        .collect()
}

#[test]
fn an_arrival_joins_the_wall_and_the_counts_and_an_undo_takes_it_off() {
    let mut db = demo();
    let before = snapshot(&db, EV, &Checkpoint::Main).unwrap();
    assert_eq!(
        before.board,
        Mode::Welcome,
        "the desk at the venue: welcome"
    );
    // 115 registered and 6 waiting for a place at a point: all expected at the venue.
    assert_eq!((before.present, before.expected), (9, 121));
    assert!(
        before.event_name.contains("示例数据"),
        "the demo is marked on the screen too"
    );

    let who = registered_not_here(&db)[0].clone();
    let r = checkin::check_in(
        &mut db,
        EV,
        &who,
        &Checkpoint::Main,
        Method::Scan,
        &desk(),
        at(9, 0),
    )
    .unwrap();
    let a = arrival(&db, EV, &r.checkin.id).unwrap().expect("welcomed");
    assert_eq!(a.name, r.expert.name);
    let theme = r.assignment.theme_name.clone().unwrap_or_default();
    assert!(
        a.group.starts_with(&theme),
        "the group and the bus under the name: {}",
        a.group
    );
    let after = snapshot(&db, EV, &Checkpoint::Main).unwrap();
    assert_eq!(after.present, 10);
    assert_eq!(after.wall[0].checkin_id, r.checkin.id, "newest first");
    let group = after.groups.iter().map(|g| g.present).sum::<i64>();
    assert_eq!(
        group,
        before.groups.iter().map(|g| g.present).sum::<i64>() + 1
    );

    checkin::revoke(&mut db, &r.checkin.id, "扫错了", &desk(), at(9, 1)).unwrap();
    let undone = snapshot(&db, EV, &Checkpoint::Main).unwrap();
    assert_eq!(undone.present, 9);
    assert!(undone.wall.iter().all(|w| w.checkin_id != r.checkin.id));
    assert_eq!(
        arrival(&db, EV, &r.checkin.id).unwrap(),
        None,
        "nothing to welcome"
    );
}

#[test]
fn the_privacy_setting_decides_what_reaches_the_screen() {
    let mut db = demo();
    let who = registered_not_here(&db)[0].clone();
    let r = checkin::check_in(
        &mut db,
        EV,
        &who,
        &Checkpoint::Main,
        Method::Scan,
        &desk(),
        at(9, 0),
    )
    .unwrap();
    let full = arrival(&db, EV, &r.checkin.id).unwrap().unwrap();
    assert!(!full.organisation.is_empty());
    for (privacy, names, titles) in [
        (Privacy::Names, true, false),
        (Privacy::Counts, false, false),
    ] {
        set_settings(
            &db,
            Settings {
                privacy,
                mode: Mode::Follow,
            },
        )
        .unwrap();
        let s = snapshot(&db, EV, &Checkpoint::Main).unwrap();
        assert_eq!(s.present, 10, "the counts stay");
        assert_eq!(!s.wall.is_empty(), names);
        assert!(s
            .wall
            .iter()
            .all(|w| w.title.is_empty() && w.organisation.is_empty()));
        let a = arrival(&db, EV, &r.checkin.id).unwrap();
        assert_eq!(a.is_some(), names);
        assert_eq!(a.is_some_and(|a| !a.title.is_empty()), titles);
        assert!(s
            .departures
            .iter()
            .all(|d| d.missing.is_empty() != names || d.missing_count == 0));
    }
    let json = serde_json::to_string(&snapshot(&db, EV, &Checkpoint::Main).unwrap()).unwrap();
    assert!(
        !json.contains(&r.expert.name),
        "under counts only, no name leaves the core"
    );
}

#[test]
fn the_departure_board_counts_who_is_on_board_and_names_who_is_missing() {
    let mut db = demo();
    set_settings(
        &db,
        Settings {
            privacy: Privacy::NamesTitles,
            mode: Mode::Follow,
        },
    )
    .unwrap();
    let point = "2024-jinshan-p1";
    let desk_at = Checkpoint::Point(point.into());
    let s = snapshot(&db, EV, &desk_at).unwrap();
    assert_eq!(s.board, Mode::Departures, "the desk at a point: departures");
    let d = s
        .departures
        .iter()
        .find(|d| d.point_id == point)
        .unwrap()
        .clone();
    assert_eq!(d.missing.len() as i64, d.expected - d.on_board);
    let roster = rollcall::roster(&db, EV, point).unwrap();
    let first = roster
        .iter()
        .find(|r| r.status == SignUpStatus::Registered && r.point_checkin_id.is_none())
        .unwrap();
    checkin::check_in(
        &mut db,
        EV,
        &first.expert_id,
        &desk_at,
        Method::Scan,
        &desk(),
        at(13, 0),
    )
    .unwrap();
    let s = snapshot(&db, EV, &desk_at).unwrap();
    let d2 = s.departures.iter().find(|d| d.point_id == point).unwrap();
    assert_eq!(d2.on_board, d.on_board + 1);
    assert!(!d2.missing.contains(&first.name));
    // By hand, the screen shows what the coordinator chose.
    set_settings(
        &db,
        Settings {
            privacy: Privacy::NamesTitles,
            mode: Mode::Welcome,
        },
    )
    .unwrap();
    assert_eq!(snapshot(&db, EV, &desk_at).unwrap().board, Mode::Welcome);
}

#[test]
fn a_welcome_uses_the_first_of_several_titles() {
    assert_eq!(first_title("教授、博士生导师"), "教授");
    assert_eq!(first_title("研究员"), "研究员");
    assert_eq!(first_title(""), "");
}
