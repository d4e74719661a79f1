//! Places at the service points for a sign-up list: the desk's rule (a full point puts the
//! next one on its waiting list) applied to a whole file. The rows that would take a place —
//! a new sign-up at a point, or a move to another one — are counted in file order after the
//! people already registered there (those waiting take no place); the rows beyond the places
//! go to the waiting list, unless the user accepts them over capacity. A point without a
//! capacity (0) takes everyone.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// What happens to the rows beyond a point's places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverCapacity {
    /// They go to the point's waiting list, in file order (the default).
    #[default]
    Waitlist,
    /// They are registered anyway, over capacity (the user confirmed it).
    Register,
}

/// A service point's places before the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Places {
    pub point_id: String,
    /// As the user knows it: 低空经济（御风未来）.
    pub label: String,
    /// 0: no limit.
    pub capacity: i64,
    /// Registered there now (waiting and cancelled not counted).
    pub registered: i64,
}

/// A point the list sends more people to than it has places.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overflow {
    pub point_id: String,
    pub point: String,
    pub capacity: i64,
    /// Registered there before the list.
    pub registered: i64,
    /// Rows of the list that take a place there.
    pub arriving: usize,
    /// The rows beyond the places (1-based, as Excel shows them), in file order.
    pub rows: Vec<usize>,
    /// How many go (or went) to the waiting list: all of `rows`, or none over capacity.
    pub waitlisted: usize,
    pub message: String,
}

/// The label of a point: its theme group first, as the lists name it, then the point.
pub fn label(point_name: &str, short_name: &str, theme: Option<&str>) -> String {
    let name = if short_name.is_empty() {
        point_name
    } else {
        short_name
    };
    match theme {
        Some(t) if !t.is_empty() && t != name => format!("{t}（{name}）"),
        _ => name.to_string(),
    }
}

/// For each arrival `(row, point_id)` in file order: whether it is beyond the point's places;
/// and the points that overflow, in the order of `places`. A point not in `places` is
/// unlimited.
pub fn allot(places: &[Places], arrivals: &[(usize, &str)]) -> (Vec<bool>, Vec<Overflow>) {
    let mut taken: HashMap<&str, (i64, usize, Vec<usize>)> = places
        .iter()
        .map(|p| (p.point_id.as_str(), (p.registered, 0, Vec::new())))
        .collect();
    let capacity: HashMap<&str, i64> = places
        .iter()
        .map(|p| (p.point_id.as_str(), p.capacity))
        .collect();
    let mut beyond = Vec::with_capacity(arrivals.len());
    for (row, point) in arrivals {
        let cap = capacity.get(point).copied().unwrap_or(0);
        let Some((used, arriving, over)) = taken.get_mut(point) else {
            beyond.push(false);
            continue;
        };
        *arriving += 1;
        if cap > 0 && *used >= cap {
            over.push(*row);
            beyond.push(true);
        } else {
            *used += 1;
            beyond.push(false);
        }
    }
    let overflow = places
        .iter()
        .filter_map(|p| {
            let (_, arriving, rows) = taken.remove(p.point_id.as_str())?;
            (!rows.is_empty()).then(|| {
                let mut o = Overflow {
                    point_id: p.point_id.clone(),
                    point: p.label.clone(),
                    capacity: p.capacity,
                    registered: p.registered,
                    arriving,
                    waitlisted: rows.len(),
                    rows,
                    message: String::new(),
                };
                o.message = preview_message(&o);
                o
            })
        })
        .collect();
    (beyond, overflow)
}

/// Longest list of row numbers spelled out; the rest is "…".
const MAX_PIECES: usize = 8;

/// "12、15、18–20、…": runs of three or more as a range, at most [`MAX_PIECES`] pieces.
pub fn rows_text(rows: &[usize]) -> String {
    let mut pieces: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        while j + 1 < rows.len() && rows[j + 1] == rows[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            pieces.push(format!("{}–{}", rows[i], rows[j]));
        } else {
            pieces.extend(rows[i..=j].iter().map(usize::to_string));
        }
        i = j + 1;
    }
    if pieces.len() > MAX_PIECES {
        pieces.truncate(MAX_PIECES);
        pieces.push("…".into());
    }
    pieces.join("、")
}

/// What the preview says: 低空经济（御风未来）：超出名额 11 人（名额 20，已报 20），第 12、15、… 行将进入候补.
pub fn preview_message(o: &Overflow) -> String {
    format!(
        "{}：超出名额 {} 人（名额 {}，已报 {}），第 {} 行将进入候补。",
        o.point,
        o.rows.len(),
        o.capacity,
        o.registered,
        rows_text(&o.rows)
    )
}

/// What the report says of a point, for the choice made; `committed` false: what would happen.
pub fn outcome(o: &Overflow, choice: OverCapacity, committed: bool) -> Overflow {
    let n = o.rows.len();
    let total = o.registered + o.arriving as i64;
    let (waitlisted, message) = match (choice, committed) {
        (OverCapacity::Waitlist, false) => (n, preview_message(o)),
        (OverCapacity::Waitlist, true) => (
            n,
            format!(
                "{}：名额 {} 已满，{} 人进入候补（第 {} 行）。",
                o.point,
                o.capacity,
                n,
                rows_text(&o.rows)
            ),
        ),
        (OverCapacity::Register, false) => (
            0,
            format!(
                "{}：将超额报名 {} 人（名额 {}，报名后 {} 人）。",
                o.point, n, o.capacity, total
            ),
        ),
        (OverCapacity::Register, true) => (
            0,
            format!(
                "{}：已超额报名 {} 人（名额 {}，现 {} 人）。",
                o.point, n, o.capacity, total
            ),
        ),
    };
    Overflow {
        waitlisted,
        message,
        ..o.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(capacity: i64, registered: i64) -> Places {
        Places {
            point_id: "p".into(),
            label: "低空经济（御风未来）".into(),
            capacity,
            registered,
        }
    }

    #[test]
    fn the_first_rows_take_the_places_left_and_the_rest_wait_in_file_order() {
        let (beyond, over) = allot(&[places(20, 18)], &[(4, "p"), (5, "p"), (6, "p"), (9, "p")]);
        assert_eq!(beyond, [false, false, true, true]);
        assert_eq!(over.len(), 1);
        assert_eq!(over[0].rows, [6, 9]);
        assert_eq!(over[0].arriving, 4);
        assert_eq!(over[0].waitlisted, 2);
        assert_eq!(
            over[0].message,
            "低空经济（御风未来）：超出名额 2 人（名额 20，已报 18），第 6、9 行将进入候补。"
        );
    }

    #[test]
    fn a_full_point_sends_everyone_to_the_waiting_list() {
        let (beyond, over) = allot(&[places(20, 20)], &[(2, "p"), (3, "p")]);
        assert_eq!(beyond, [true, true]);
        assert_eq!(over[0].rows, [2, 3]);
    }

    #[test]
    fn no_capacity_or_an_unknown_point_takes_everyone() {
        let arrivals: Vec<(usize, &str)> = (2..40).map(|r| (r, "p")).collect();
        let (beyond, over) = allot(&[places(0, 500)], &arrivals);
        assert!(beyond.iter().all(|b| !b));
        assert!(over.is_empty());
        let (beyond, over) = allot(&[], &[(2, "elsewhere")]);
        assert_eq!(beyond, [false]);
        assert!(over.is_empty());
    }

    #[test]
    fn points_are_counted_apart() {
        let mut other = places(1, 0);
        other.point_id = "q".into();
        other.label = "文旅产业".into();
        let (beyond, over) = allot(
            &[places(1, 0), other],
            &[(2, "p"), (3, "q"), (4, "q"), (5, "p")],
        );
        assert_eq!(beyond, [false, false, true, true]);
        assert_eq!(over.len(), 2);
        assert_eq!(
            (over[0].point.as_str(), &over[0].rows[..]),
            ("低空经济（御风未来）", &[5][..])
        );
        assert_eq!(
            (over[1].point.as_str(), &over[1].rows[..]),
            ("文旅产业", &[4][..])
        );
    }

    #[test]
    fn long_row_lists_are_shortened_with_ranges_and_an_ellipsis() {
        assert_eq!(rows_text(&[12]), "12");
        assert_eq!(rows_text(&[12, 13]), "12、13");
        assert_eq!(rows_text(&(5..=35).collect::<Vec<_>>()), "5–35");
        assert_eq!(rows_text(&[2, 4, 5, 6, 9]), "2、4–6、9");
        let scattered: Vec<usize> = (1..=12).map(|i| i * 3).collect();
        assert_eq!(rows_text(&scattered), "3、6、9、12、15、18、21、24、…");
    }

    #[test]
    fn the_report_says_what_the_choice_did() {
        let (_, over) = allot(&[places(20, 20)], &[(7, "p"), (8, "p")]);
        let w = outcome(&over[0], OverCapacity::Waitlist, true);
        assert_eq!(w.waitlisted, 2);
        assert_eq!(
            w.message,
            "低空经济（御风未来）：名额 20 已满，2 人进入候补（第 7、8 行）。"
        );
        let r = outcome(&over[0], OverCapacity::Register, true);
        assert_eq!(r.waitlisted, 0);
        assert_eq!(
            r.message,
            "低空经济（御风未来）：已超额报名 2 人（名额 20，现 22 人）。"
        );
    }

    #[test]
    fn a_label_leads_with_the_theme_group() {
        assert_eq!(
            label("上海御风未来航空科技有限公司", "御风未来", Some("低空经济")),
            "低空经济（御风未来）"
        );
        assert_eq!(label("山塘村", "", None), "山塘村");
        assert_eq!(label("山塘村", "", Some("")), "山塘村");
    }

    /// The rule inside the import, on the demo day: new sign-ups, moves, and undo.
    mod on_the_demo_day {
        use super::OverCapacity;
        use crate::import::{commit, preview, read, undo_last, Kind};
        use crate::{store, testing, Db, SignUpStatus};

        const EV: &str = "2024-jinshan";

        fn signup_of(db: &Db, phone: &str) -> (Option<String>, SignUpStatus) {
            let e = store::expert::by_phone(db.conn(), phone).unwrap().remove(0);
            let s = store::signup::current(db.conn(), EV, &e.id)
                .unwrap()
                .unwrap();
            (s.point_id, s.status)
        }

        #[test]
        fn a_move_onto_a_full_point_waits_a_move_to_room_is_registered_and_undo_restores_both() {
            let mut db = testing::demo();
            // 文旅产业 (p4) without a limit; 低空经济 (p1) and 新材料 (p2) stay full.
            let mut p4 = store::point::get(db.conn(), "2024-jinshan-p4")
                .unwrap()
                .unwrap();
            p4.capacity = 0;
            store::point::update(db.conn(), &p4).unwrap();
            // 宋琦 is registered at p1, 顾峰 waits there.
            assert_eq!(
                signup_of(&db, "17791502542"),
                (Some("2024-jinshan-p1".into()), SignUpStatus::Registered)
            );
            let text = "姓名,手机号码,参加专题组\n\
                        新来者,13911110001,低空经济组\n\
                        宋琦,17791502542,新材料\n\
                        顾峰,13915738604,文旅\n";
            let table = read::read_delimited(text).unwrap();
            let p = preview(&db, EV, &table, None, Kind::Signups).unwrap();
            let rows: Vec<(&str, Vec<usize>)> = p
                .overflow
                .iter()
                .map(|o| (o.point.as_str(), o.rows.clone()))
                .collect();
            assert_eq!(
                rows,
                [
                    ("低空经济（御风未来）", vec![2]),
                    ("新材料（天承化学）", vec![3])
                ]
            );

            commit(
                &mut db,
                EV,
                &p,
                OverCapacity::Waitlist,
                &testing::desk(),
                testing::at(9, 0),
            )
            .unwrap();
            assert_eq!(
                signup_of(&db, "13911110001"),
                (Some("2024-jinshan-p1".into()), SignUpStatus::Waiting)
            );
            assert_eq!(
                signup_of(&db, "17791502542"),
                (Some("2024-jinshan-p2".into()), SignUpStatus::Waiting),
                "moved onto a full point: waits there"
            );
            assert_eq!(
                signup_of(&db, "13915738604"),
                (Some("2024-jinshan-p4".into()), SignUpStatus::Registered),
                "moved from a waiting list to room: registered"
            );
            assert_eq!(
                store::signup::registered_at_point(db.conn(), "2024-jinshan-p2").unwrap(),
                20
            );

            undo_last(&mut db, EV, &testing::desk(), testing::at(9, 5)).unwrap();
            assert_eq!(
                signup_of(&db, "17791502542"),
                (Some("2024-jinshan-p1".into()), SignUpStatus::Registered)
            );
            assert_eq!(
                signup_of(&db, "13915738604"),
                (Some("2024-jinshan-p1".into()), SignUpStatus::Waiting)
            );
        }
    }
}
