//! Sign-ups with capacity and a waiting list: signing up for a full point puts the expert on
//! its waiting list; a place that frees up (a cancellation, a move away, more capacity) goes to
//! the first one waiting. An expert has one live sign-up per event — signing up for a second
//! point of the same event is refused with a warning that names the first (move instead).

use chrono::{DateTime, Utc};
use serde::Serialize;

mod moves;

pub use moves::{move_to_point, Moved};

use crate::{
    clock, pinyin, store, Db, Desk, Error, Expert, Result, ServicePoint, SignUp, SignUpStatus,
};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Promoted {
    pub expert_id: String,
    pub name: String,
    pub point_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignedUp {
    pub signup: SignUp,
    /// Position on the waiting list (1 = next), when the point was full.
    pub waiting_position: Option<usize>,
}

fn point_of(c: &crate::store::Conn, event_id: &str, point_id: &str) -> Result<ServicePoint> {
    match store::point::get(c, point_id)? {
        Some(p) if p.event_id == event_id => Ok(p),
        _ => Err(Error::PointNotFound(point_id.to_string())),
    }
}

fn is_full(c: &crate::store::Conn, p: &ServicePoint) -> Result<bool> {
    Ok(p.capacity > 0 && store::signup::registered_at_point(c, &p.id)? >= p.capacity)
}

/// Gives free places of the point to those waiting, first come first; returns who moved up.
pub(crate) fn promote(
    c: &crate::store::Conn,
    point_id: &str,
    desk: &Desk,
    at: &str,
) -> Result<Vec<Promoted>> {
    let Some(p) = store::point::get(c, point_id)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for w in store::signup::waiting_at_point(c, point_id)? {
        if is_full(c, &p)? {
            break;
        }
        store::signup::set_status(c, &w.id, SignUpStatus::Registered, at)?;
        let name = store::expert::get(c, &w.expert_id)?
            .map(|e| e.name)
            .unwrap_or_default();
        store::audit::append(
            c,
            at,
            desk,
            "promote",
            "signup",
            &w.id,
            &format!("{name} 由候补转为正式（{}）", p.name),
        )?;
        out.push(Promoted {
            expert_id: w.expert_id,
            name,
            point_id: point_id.to_string(),
        });
    }
    Ok(out)
}

/// The event's live sign-ups (registered and waiting, not cancelled), oldest first.
pub fn for_event(db: &Db, event_id: &str) -> Result<Vec<SignUp>> {
    store::signup::for_event(db.conn(), event_id)
}

/// Signs the expert up for the event (at a service point, or the plenary only).
pub fn sign_up(
    db: &mut Db,
    event_id: &str,
    expert_id: &str,
    point_id: Option<&str>,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<SignedUp> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let expert = store::expert::get(&tx, expert_id)?
        .ok_or_else(|| Error::ExpertNotFound(expert_id.to_string()))?;
    if let Some(existing) = store::signup::current(&tx, event_id, expert_id)? {
        let where_ = match &existing.point_id {
            Some(p) => store::point::get(&tx, p)?
                .map(|p| p.name)
                .unwrap_or_default(),
            None => "主会场（未分组）".into(),
        };
        return Err(Error::AlreadySignedUp {
            name: expert.name,
            point: where_,
        });
    }
    let mut status = SignUpStatus::Registered;
    let mut waiting_position = None;
    if let Some(pid) = point_id {
        let p = point_of(&tx, event_id, pid)?;
        if is_full(&tx, &p)? {
            status = SignUpStatus::Waiting;
            waiting_position = Some(store::signup::waiting_at_point(&tx, pid)?.len() + 1);
        }
    }
    let signup = SignUp {
        id: store::new_id(),
        event_id: event_id.to_string(),
        expert_id: expert_id.to_string(),
        point_id: point_id.map(str::to_string),
        status,
    };
    store::signup::insert(&tx, &signup, &at)?;
    store::audit::append(
        &tx,
        &at,
        desk,
        "signup",
        "signup",
        &signup.id,
        &format!(
            "{} 报名{}{}",
            expert.name,
            point_id.unwrap_or("主会场"),
            if status == SignUpStatus::Waiting {
                "（候补）"
            } else {
                ""
            }
        ),
    )?;
    tx.commit()?;
    Ok(SignedUp {
        signup,
        waiting_position,
    })
}

/// Cancels the expert's sign-up for the event; a place freed at a service point goes to the
/// first one waiting there.
pub fn cancel(
    db: &mut Db,
    event_id: &str,
    expert_id: &str,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Vec<Promoted>> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let s = store::signup::current(&tx, event_id, expert_id)?.ok_or(Error::NotSignedUp)?;
    store::signup::set_status(&tx, &s.id, SignUpStatus::Cancelled, &at)?;
    store::audit::append(&tx, &at, desk, "cancel", "signup", &s.id, "取消报名")?;
    let promoted = match (&s.point_id, s.status) {
        (Some(p), SignUpStatus::Registered) => promote(&tx, p, desk, &at)?,
        _ => Vec::new(),
    };
    tx.commit()?;
    Ok(promoted)
}

/// Where an unassigned expert could go, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Suggestion {
    pub expert_id: String,
    pub name: String,
    pub field: String,
    pub point_id: String,
    pub point_name: String,
    /// 专业领域“无人机”与专题“低空经济”相符 / 按剩余名额
    pub reason: String,
}

/// Words that tie a field of expertise to a theme group, beyond the theme's own name.
const THEME_WORDS: &[(&str, &[&str])] = &[
    ("低空", &["低空", "无人机", "航空", "飞行", "通航", "航天"]),
    ("材料", &["材料", "化工", "化学", "高分子", "冶金"]),
    (
        "生物",
        &["生物", "医药", "医学", "药", "临床", "医疗", "健康"],
    ),
    (
        "医药",
        &["生物", "医药", "医学", "药", "临床", "医疗", "健康"],
    ),
    ("文旅", &["文旅", "旅游", "文化", "文创", "会展", "体育"]),
    (
        "乡村",
        &["乡村", "农业", "农村", "种植", "生态", "环境", "水利"],
    ),
];

fn words_for(theme: &str) -> Vec<String> {
    let mut w = vec![theme.to_string()];
    for (key, list) in THEME_WORDS {
        if theme.contains(key) {
            w.extend(list.iter().map(|s| s.to_string()));
        }
    }
    w
}

/// A service point for every registered expert of the event who has none: the point whose
/// theme matches their field of expertise (its name, or a related word: 无人机 → 低空经济),
/// else the organisation's; ties and no match go to the point with the most places left.
/// Places are counted as suggestions are made; full points get no one.
pub fn suggest(db: &Db, event_id: &str) -> Result<Vec<Suggestion>> {
    let c = db.conn();
    let points = store::point::list_for_event(c, event_id)?;
    let themes = store::theme::list(c)?;
    let mut left: Vec<(ServicePoint, i64, Vec<String>, String)> = Vec::new();
    for p in points {
        let used = store::signup::registered_at_point(c, &p.id)?;
        let room = if p.capacity > 0 {
            p.capacity - used
        } else {
            i64::MAX / 2
        };
        let theme = p
            .theme_id
            .as_ref()
            .and_then(|t| themes.iter().find(|x| &x.id == t))
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let words = if theme.is_empty() {
            Vec::new()
        } else {
            words_for(&theme)
        };
        left.push((p, room, words, theme));
    }
    let mut out = Vec::new();
    for s in store::signup::for_event(c, event_id)? {
        if s.point_id.is_some() || s.status != SignUpStatus::Registered {
            continue;
        }
        let Some(e): Option<Expert> = store::expert::get(c, &s.expert_id)? else {
            continue;
        };
        let field = pinyin::normalise(&e.field);
        let org = pinyin::normalise(&e.organisation);
        let scored = left
            .iter()
            .enumerate()
            .filter(|(_, (_, room, _, _))| *room > 0)
            .map(|(i, (_, room, words, theme))| {
                let hit = |t: &str| {
                    words
                        .iter()
                        .find(|w| !t.is_empty() && t.contains(w.as_str()))
                };
                let (score, reason) = if let Some(w) = hit(&field) {
                    (
                        2,
                        format!("专业领域“{}”含“{w}”，与专题“{theme}”相符", e.field),
                    )
                } else if let Some(w) = hit(&org) {
                    (1, format!("单位名称含“{w}”，与专题“{theme}”相符"))
                } else {
                    (0, "无对应专题，按剩余名额最多分配".to_string())
                };
                (score, *room, i, reason)
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
        if let Some((_, _, i, reason)) = scored {
            left[i].1 -= 1;
            out.push(Suggestion {
                expert_id: e.id.clone(),
                name: e.name.clone(),
                field: e.field.clone(),
                point_id: left[i].0.id.clone(),
                point_name: left[i].0.name.clone(),
                reason,
            });
        }
    }
    Ok(out)
}

/// Places everyone [`suggest`] would place, as suggested now (so nobody lands on a full
/// point); returns the suggestions applied.
pub fn apply_suggestions(
    db: &mut Db,
    event_id: &str,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Vec<Suggestion>> {
    let list = suggest(db, event_id)?;
    for s in &list {
        move_to_point(
            db,
            event_id,
            &s.expert_id,
            Some(&s.point_id),
            false,
            desk,
            now,
        )?;
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search;
    use crate::testing;

    const EV: &str = "2024-jinshan";

    fn fresh_expert(db: &mut Db, name: &str, field: &str) -> String {
        let e = Expert {
            id: store::new_id(),
            code: format!("T-{}", &store::new_id()[30..]),
            name: name.into(),
            gender: String::new(),
            party: String::new(),
            organisation: String::new(),
            title: String::new(),
            field: field.into(),
            phone: String::new(),
            notes: String::new(),
        };
        store::expert::insert(
            db.conn(),
            &e,
            &search::stored_keys(name),
            "2024-09-01T00:00:00.000Z",
        )
        .unwrap();
        e.id
    }

    #[test]
    fn a_full_point_puts_the_next_one_on_its_waiting_list_and_a_cancellation_promotes_them() {
        let mut db = testing::demo();
        let desk = testing::desk();
        let t = testing::at(8, 0);
        // p1 is full in the demo: 20 of 20, with two already waiting.
        let before = store::signup::waiting_at_point(db.conn(), "2024-jinshan-p1").unwrap();
        let late = fresh_expert(&mut db, "晚来者", "");
        let r = sign_up(&mut db, EV, &late, Some("2024-jinshan-p1"), &desk, t).unwrap();
        assert_eq!(r.signup.status, SignUpStatus::Waiting);
        assert_eq!(r.waiting_position, Some(before.len() + 1));

        let someone = store::signup::for_event(db.conn(), EV)
            .unwrap()
            .into_iter()
            .find(|s| {
                s.point_id.as_deref() == Some("2024-jinshan-p1")
                    && s.status == SignUpStatus::Registered
            })
            .unwrap();
        let promoted = cancel(&mut db, EV, &someone.expert_id, &desk, t).unwrap();
        let first = before
            .first()
            .map(|w| w.expert_id.clone())
            .unwrap_or(late.clone());
        assert_eq!(promoted.len(), 1, "one place, one promotion");
        assert_eq!(promoted[0].expert_id, first, "first come, first promoted");
        assert_eq!(
            store::signup::registered_at_point(db.conn(), "2024-jinshan-p1").unwrap(),
            20
        );
    }

    #[test]
    fn a_second_point_in_the_same_event_is_refused_naming_the_first() {
        let mut db = testing::demo();
        let desk = testing::desk();
        let e = fresh_expert(&mut db, "两头报", "");
        sign_up(
            &mut db,
            EV,
            &e,
            Some("2024-jinshan-p2"),
            &desk,
            testing::at(8, 0),
        )
        .unwrap();
        let err = sign_up(
            &mut db,
            EV,
            &e,
            Some("2024-jinshan-p3"),
            &desk,
            testing::at(8, 1),
        )
        .unwrap_err();
        assert!(err.to_string().contains("天承化学"), "{err}");
        assert_eq!(err.code(), "already_signed_up");
    }

    #[test]
    fn suggestions_follow_the_field_of_expertise_and_the_places_left() {
        let mut db = testing::demo();
        let desk = testing::desk();
        // The demo's points are all full; give two of them room for everyone unassigned.
        for (id, cap) in [("2024-jinshan-p5", 60), ("2024-jinshan-p3", 80)] {
            let mut p = store::point::get(db.conn(), id).unwrap().unwrap();
            p.capacity = cap;
            store::point::update(db.conn(), &p).unwrap();
        }
        let drone = fresh_expert(&mut db, "王飞", "无人机");
        let farm = fresh_expert(&mut db, "李禾", "农业技术");
        let other = fresh_expert(&mut db, "赵某", "法律");
        for e in [&drone, &farm, &other] {
            sign_up(&mut db, EV, e, None, &desk, testing::at(8, 0)).unwrap();
        }
        let s = suggest(&db, EV).unwrap();
        let of = |id: &str| s.iter().find(|x| x.expert_id == id).cloned();
        // 低空经济 (p1) is full: the drone expert cannot go there.
        assert!(of(&drone).is_none_or(|x| x.point_id != "2024-jinshan-p1"));
        let farm = of(&farm).unwrap();
        assert_eq!(farm.point_id, "2024-jinshan-p5", "乡村振兴 · 山塘村");
        assert!(farm.reason.contains("农业"));
        let other = of(&other).unwrap();
        assert!(other.reason.contains("剩余名额"));
        assert!(
            ["2024-jinshan-p3", "2024-jinshan-p5"].contains(&other.point_id.as_str()),
            "only points with places left: {}",
            other.point_id
        );
    }
}
