use super::*;
use crate::activities::ActivityForm;
use crate::testing::{at, demo, desk};

fn form(name: &str, district: &str) -> StationForm {
    StationForm {
        name: name.into(),
        district: district.into(),
        host: "枫泾镇人民政府".into(),
        address: "枫泾镇和平街 1 号".into(),
        opened_on: "2024年5月20日".into(),
    }
}

/// The station `id` as the page lists it.
fn shown(db: &Db, id: &str, year: i32, now: DateTime<Utc>) -> StationView {
    list(db, year, now)
        .unwrap()
        .into_iter()
        .find(|v| v.station.id == id)
        .expect("the station is listed")
}

fn experts(db: &Db) -> Vec<crate::Expert> {
    store::expert::list(db.conn()).unwrap()
}

#[test]
fn a_station_is_opened_in_a_district_named_loosely_with_its_date_read_as_typed() {
    let mut db = demo();
    let s = add(&mut db, &form("枫泾同心荟", "金山"), &desk(), at(9, 0)).unwrap();
    assert_eq!(s.district, "金山区");
    assert_eq!(s.opened_on.as_deref(), Some("2024-05-20"));
    let again = add(&mut db, &form("枫泾同心荟", "金山区"), &desk(), at(9, 1));
    assert_eq!(again.unwrap_err().code(), "station_exists");
    assert_eq!(
        add(&mut db, &form("  ", "金山"), &desk(), at(9, 1))
            .unwrap_err()
            .code(),
        "station_name_required"
    );
    assert_eq!(
        add(&mut db, &form("某站", "火星"), &desk(), at(9, 1))
            .unwrap_err()
            .code(),
        "district_unknown"
    );
    let mut bad = form("某站", "金山");
    bad.opened_on = "去年春天".into();
    assert_eq!(
        add(&mut db, &bad, &desk(), at(9, 1)).unwrap_err().code(),
        "date_invalid"
    );
    // The demo's two and this one: the refusals changed nothing.
    assert_eq!(list(&db, 2024, at(9, 2)).unwrap().len(), 3);
}

#[test]
fn appointed_experts_serve_their_term_then_expire_and_can_be_ended_or_renewed() {
    let mut db = demo();
    let s = add(&mut db, &form("枫泾同心荟", "金山"), &desk(), at(9, 0)).unwrap();
    let people = experts(&db);
    let (a, b) = (&people[0], &people[1]);
    let first = appoint(&mut db, &s.id, &a.id, "2024-06-01", 2, &desk(), at(9, 0)).unwrap();
    appoint(&mut db, &s.id, &b.id, "2021-03-01", 2, &desk(), at(9, 0)).unwrap();
    assert_eq!(term_end("2024-06-01", 2), "2026-06-01");
    assert_eq!(term_end("2024-02-29", 1), "2025-02-28");

    let v = &shown(&db, &s.id, 2024, at(9, 1));
    let standing: Vec<(&str, Standing)> = v
        .experts
        .iter()
        .map(|e| (e.expert.name.as_str(), e.standing))
        .collect();
    assert_eq!(
        standing,
        [
            (a.name.as_str(), Standing::Serving),
            (b.name.as_str(), Standing::Expired)
        ],
        "serving first"
    );

    end(&mut db, &first.id, &desk(), at(9, 2)).unwrap();
    let v = &shown(&db, &s.id, 2024, at(9, 3));
    assert!(v.experts.iter().all(|e| e.standing != Standing::Serving));
    // Appointed again: the same record, renewed.
    let again = appoint(&mut db, &s.id, &a.id, "2024-09-29", 3, &desk(), at(9, 4)).unwrap();
    assert_eq!(again.id, first.id);
    let v = &shown(&db, &s.id, 2024, at(9, 5));
    assert_eq!(v.experts.len(), 2);
    assert_eq!(v.experts[0].standing, Standing::Serving);
    assert_eq!(v.experts[0].until, "2027-09-29");

    assert_eq!(
        appoint(&mut db, &s.id, &a.id, "", 11, &desk(), at(9, 6))
            .unwrap_err()
            .code(),
        "term_invalid"
    );
    assert_eq!(
        appoint(&mut db, "nope", &a.id, "", 2, &desk(), at(9, 6))
            .unwrap_err()
            .code(),
        "station_not_found"
    );
    assert_eq!(
        end(&mut db, "nope", &desk(), at(9, 6)).unwrap_err().code(),
        "appointment_not_found"
    );
}

#[test]
fn a_stations_activities_are_those_held_at_its_place_in_the_year() {
    let mut db = demo();
    let held = |db: &mut Db, date: &str, place: &str, n: i64| {
        let f = ActivityForm {
            date: date.into(),
            district: "金山".into(),
            name: format!("{place}活动{date}"),
            kind: "科技服务".into(),
            place: place.into(),
            participations: n,
            ..Default::default()
        };
        crate::activities::add(db, &f, &desk(), at(9, 0)).unwrap();
    };
    held(&mut db, "2024-03-01", "枫泾同心荟", 8);
    held(&mut db, "2023-03-01", "枫泾同心荟", 5);
    held(&mut db, "2024-04-01", "金山区图书馆", 9);
    // Opened after the activities were recorded: those held at its place are linked.
    let s = add(&mut db, &form("枫泾同心荟", "金山"), &desk(), at(9, 0)).unwrap();
    held(&mut db, "2024-05-01", "枫泾同心荟", 6);
    let v = &shown(&db, &s.id, 2024, at(9, 1));
    assert_eq!(v.station.id, s.id);
    let dates: Vec<&str> = v.activities.iter().map(|a| a.date.as_str()).collect();
    assert_eq!(
        dates,
        ["2024-03-01", "2024-05-01"],
        "2023's is another year; the library is another place"
    );
    assert_eq!(v.participations, 14);
}
