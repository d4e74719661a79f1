//! Keeping the list of experts right before the day: add and edit with validation, archive or
//! delete, and merge two records of the same person into one — sign-ups and check-ins move to
//! the survivor, the other record is archived pointing at it, the audit log says so.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::rules::{clean_name, clean_phone, clean_text};
use crate::{clock, search, store, Db, Desk, Error, Expert, Result, SignUpStatus};

/// What the edit form sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExpertForm {
    pub name: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub notes: String,
}

fn checked(form: &ExpertForm, c: &crate::store::Conn, own_id: Option<&str>) -> Result<Expert> {
    let name = clean_name(&form.name)?;
    let phone = clean_phone(&form.phone)?;
    if !phone.is_empty() {
        if let Some(other) = store::expert::by_phone(c, &phone)?.into_iter().find(|e| {
            Some(e.id.as_str()) != own_id && !store::expert::is_archived(c, &e.id).unwrap_or(false)
        }) {
            return Err(Error::PhoneTaken {
                name: other.name,
                code: other.code,
            });
        }
    }
    Ok(Expert {
        id: own_id.map(str::to_string).unwrap_or_else(store::new_id),
        code: String::new(),
        name,
        gender: clean_text(&form.gender)?,
        party: clean_text(&form.party)?,
        organisation: clean_text(&form.organisation)?,
        title: clean_text(&form.title)?,
        field: clean_text(&form.field)?,
        phone,
        notes: clean_text(&form.notes)?,
    })
}

/// Everyone not archived, by code.
pub fn list(db: &Db) -> Result<Vec<Expert>> {
    store::expert::list(db.conn())
}

/// The expert with this code (case does not matter), archived or not; `None` when no one has it.
pub fn by_code(db: &Db, code: &str) -> Result<Option<Expert>> {
    store::expert::by_code(db.conn(), code)
}

/// How many experts are on file (archived ones not counted).
pub fn count(db: &Db) -> Result<i64> {
    store::expert::count(db.conn())
}

pub fn add(db: &mut Db, form: &ExpertForm, desk: &Desk, now: DateTime<Utc>) -> Result<Expert> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let mut e = checked(form, &tx, None)?;
    e.code = format!("E-{:04}", store::expert::max_code_number(&tx)? + 1);
    store::expert::insert(&tx, &e, &search::stored_keys(&e.name), &at)?;
    store::audit::append(&tx, &at, desk, "expert_add", "expert", &e.id, &e.name)?;
    tx.commit()?;
    Ok(e)
}

pub fn edit(
    db: &mut Db,
    id: &str,
    form: &ExpertForm,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Expert> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let old = store::expert::get(&tx, id)?.ok_or_else(|| Error::ExpertNotFound(id.to_string()))?;
    let mut e = checked(form, &tx, Some(id))?;
    e.code = old.code.clone();
    store::expert::update(&tx, &e, &search::stored_keys(&e.name), &at)?;
    let changed: Vec<&str> = [
        ("姓名", old.name != e.name),
        ("单位", old.organisation != e.organisation),
        ("职务", old.title != e.title),
        ("手机", old.phone != e.phone),
        ("党派", old.party != e.party),
        ("领域", old.field != e.field),
        ("备注", old.notes != e.notes),
        ("性别", old.gender != e.gender),
    ]
    .into_iter()
    .filter(|(_, c)| *c)
    .map(|(n, _)| n)
    .collect();
    store::audit::append(
        &tx,
        &at,
        desk,
        "expert_edit",
        "expert",
        id,
        &format!("{}：{}", e.name, changed.join("、")),
    )?;
    tx.commit()?;
    Ok(e)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Removed {
    Deleted,
    /// Kept (with its check-ins) but hidden from lists and search.
    Archived,
}

/// Deletes an expert who never checked in (their sign-ups go too); archives one who did.
pub fn remove(db: &mut Db, id: &str, desk: &Desk, now: DateTime<Utc>) -> Result<Removed> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let e = store::expert::get(&tx, id)?.ok_or_else(|| Error::ExpertNotFound(id.to_string()))?;
    let how = if store::expert::has_checkins(&tx, id)? {
        store::expert::archive(&tx, id, None, &at)?;
        for s in store::signup::live_for_expert(&tx, id)? {
            store::signup::set_status(&tx, &s.id, SignUpStatus::Cancelled, &at)?;
            if let (Some(p), SignUpStatus::Registered) = (&s.point_id, s.status) {
                crate::signups::promote(&tx, p, desk, &at)?;
            }
        }
        Removed::Archived
    } else {
        let points: Vec<String> = store::signup::live_for_expert(&tx, id)?
            .into_iter()
            .filter(|s| s.status == SignUpStatus::Registered)
            .filter_map(|s| s.point_id)
            .collect();
        store::signup::delete_for_expert(&tx, id)?;
        store::expert::delete(&tx, id)?;
        for p in points {
            crate::signups::promote(&tx, &p, desk, &at)?;
        }
        Removed::Deleted
    };
    store::audit::append(
        &tx,
        &at,
        desk,
        match how {
            Removed::Deleted => "expert_delete",
            Removed::Archived => "expert_archive",
        },
        "expert",
        id,
        &e.name,
    )?;
    tx.commit()?;
    Ok(how)
}

#[derive(Debug, Clone, Serialize)]
pub struct Merged {
    pub survivor: Expert,
    pub moved_checkins: usize,
    pub moved_signups: usize,
    /// Sign-ups of the other record for an event the survivor was already in: cancelled.
    pub cancelled_signups: usize,
}

/// Merges `other` into `survivor`: the survivor keeps its values and takes the other's where
/// its own are empty; check-ins and sign-ups move to it (where both were signed up for the same
/// event, the survivor's sign-up stays and the other's is cancelled); the other record is
/// archived, pointing at the survivor. Nothing is deleted.
pub fn merge(
    db: &mut Db,
    survivor_id: &str,
    other_id: &str,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Merged> {
    if survivor_id == other_id {
        return Err(Error::MergeSelf);
    }
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let get = |id: &str| -> Result<Expert> {
        store::expert::get(&tx, id)?.ok_or_else(|| Error::ExpertNotFound(id.to_string()))
    };
    let (s, o) = (get(survivor_id)?, get(other_id)?);
    if store::expert::is_archived(&tx, survivor_id)? || store::expert::is_archived(&tx, other_id)? {
        return Err(Error::MergeArchived);
    }
    let pick = |a: &str, b: &str| {
        if a.trim().is_empty() {
            b.to_string()
        } else {
            a.to_string()
        }
    };
    let merged = Expert {
        id: s.id.clone(),
        code: s.code.clone(),
        name: s.name.clone(),
        gender: pick(&s.gender, &o.gender),
        party: pick(&s.party, &o.party),
        organisation: pick(&s.organisation, &o.organisation),
        title: pick(&s.title, &o.title),
        field: pick(&s.field, &o.field),
        phone: pick(&s.phone, &o.phone),
        notes: match (s.notes.trim().is_empty(), o.notes.trim().is_empty()) {
            (_, true) => s.notes.clone(),
            (true, false) => o.notes.clone(),
            (false, false) => format!("{}；{}", s.notes, o.notes),
        },
    };
    // One live sign-up per event: the survivor's wins.
    let mut cancelled = 0;
    let own = store::signup::live_for_expert(&tx, survivor_id)?;
    for theirs in store::signup::live_for_expert(&tx, other_id)? {
        if own.iter().any(|x| x.event_id == theirs.event_id) {
            store::signup::set_status(&tx, &theirs.id, SignUpStatus::Cancelled, &at)?;
            if let (Some(p), SignUpStatus::Registered) = (&theirs.point_id, theirs.status) {
                crate::signups::promote(&tx, p, desk, &at)?;
            }
            cancelled += 1;
        }
    }
    let (moved_checkins, moved_signups) = store::expert::reassign(&tx, other_id, survivor_id)?;
    // The other's phone would now be a second record of the same phone: clear it there.
    let mut retired = o.clone();
    retired.phone = String::new();
    store::expert::update(&tx, &retired, &search::stored_keys(&retired.name), &at)?;
    store::expert::archive(&tx, other_id, Some(survivor_id), &at)?;
    store::expert::update(&tx, &merged, &search::stored_keys(&merged.name), &at)?;
    store::audit::append(
        &tx,
        &at,
        desk,
        "expert_merge",
        "expert",
        survivor_id,
        &format!(
            "{}（{}）并入 {}（{}）：签到 {} 条、报名 {} 条转入",
            o.name, o.code, s.name, s.code, moved_checkins, moved_signups
        ),
    )?;
    tx.commit()?;
    Ok(Merged {
        survivor: merged,
        moved_checkins,
        moved_signups,
        cancelled_signups: cancelled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{checkin, testing, Checkpoint, Method};

    const EV: &str = "2024-jinshan";

    fn form(name: &str, phone: &str) -> ExpertForm {
        ExpertForm {
            name: name.into(),
            phone: phone.into(),
            ..ExpertForm::default()
        }
    }

    #[test]
    fn the_form_is_checked_before_anything_is_saved() {
        let mut db = testing::demo();
        let desk = testing::desk();
        let t = testing::at(8, 0);
        assert_eq!(
            add(&mut db, &form("  ", ""), &desk, t).unwrap_err().code(),
            "name_required"
        );
        assert_eq!(
            add(&mut db, &form("张三", "12345"), &desk, t)
                .unwrap_err()
                .code(),
            "phone_invalid"
        );
        let taken = store::expert::list(db.conn()).unwrap()[0].clone();
        let err = add(&mut db, &form("张三", &taken.phone), &desk, t).unwrap_err();
        assert_eq!(err.code(), "phone_taken");
        assert!(err.to_string().contains(&taken.name));
        let e = add(&mut db, &form("张　三", "+86 139-0000-1234"), &desk, t).unwrap();
        assert_eq!((e.name.as_str(), e.phone.as_str()), ("张三", "13900001234"));
        assert!(e.code.starts_with("E-"));
        let mut f = form("张三丰", "13900001234");
        f.organisation = "武当".into();
        let edited = edit(&mut db, &e.id, &f, &desk, t).unwrap();
        assert_eq!(edited.code, e.code, "the code never changes");
        assert_eq!(edited.organisation, "武当");
    }

    #[test]
    fn merging_two_records_loses_nothing() {
        let mut db = testing::demo();
        let desk = testing::desk();
        let t = testing::at(8, 30);
        let people = store::signup::for_event(db.conn(), EV).unwrap();
        let survivor = people[0].expert_id.clone();
        let other = people[1].expert_id.clone();
        let other_point = people[1]
            .point_id
            .clone()
            .expect("the demo's second person has a group");
        let other_registered = people[1].status == SignUpStatus::Registered;
        let waiting_there = people
            .iter()
            .filter(|s| s.point_id.as_ref() == Some(&other_point))
            .filter(|s| s.status == SignUpStatus::Waiting)
            .count();
        let registered_before =
            store::signup::registered_at_point(db.conn(), &other_point).unwrap();
        let before_checkins: i64 = db
            .conn()
            .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
            .unwrap();
        checkin::check_in(
            &mut db,
            EV,
            &other,
            &Checkpoint::Main,
            Method::Search,
            &desk,
            t,
        )
        .unwrap();
        let others: i64 = db
            .conn()
            .query_row(
                "SELECT count(*) FROM checkin WHERE expert_id = ?1",
                [&other],
                |r| r.get(0),
            )
            .unwrap();
        let m = merge(&mut db, &survivor, &other, &desk, t).unwrap();
        assert_eq!(m.moved_checkins as i64, others);
        assert_eq!(
            m.cancelled_signups, 1,
            "both were signed up for the same event"
        );
        // Every check-in is still there, now the survivor's.
        let after: i64 = db
            .conn()
            .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
            .unwrap();
        assert_eq!(after, before_checkins + 1);
        assert!(store::checkin::active(db.conn(), EV, &survivor, None)
            .unwrap()
            .is_some());
        assert!(store::expert::is_archived(db.conn(), &other).unwrap());
        assert_eq!(store::expert::resolve(db.conn(), &other).unwrap(), survivor);
        // The other's place in their group was freed, and the first waiting took it.
        let freed = i64::from(other_registered);
        let taken = i64::from(other_registered && waiting_there > 0);
        assert_eq!(
            store::signup::registered_at_point(db.conn(), &other_point).unwrap(),
            registered_before - freed + taken
        );
        assert_eq!(
            merge(&mut db, &survivor, &survivor, &desk, t)
                .unwrap_err()
                .code(),
            "merge_self"
        );
    }

    #[test]
    fn an_expert_who_checked_in_is_archived_not_deleted() {
        let mut db = testing::demo();
        let desk = testing::desk();
        let t = testing::at(9, 0);
        let never: Vec<String> = store::signup::for_event(db.conn(), EV)
            .unwrap()
            .into_iter()
            .map(|s| s.expert_id)
            .filter(|id| !store::expert::has_checkins(db.conn(), id).unwrap())
            .take(2)
            .collect();
        let (a, b) = (never[0].clone(), never[1].clone());
        checkin::check_in(&mut db, EV, &a, &Checkpoint::Main, Method::Search, &desk, t).unwrap();
        assert_eq!(remove(&mut db, &a, &desk, t).unwrap(), Removed::Archived);
        assert!(store::expert::get(db.conn(), &a).unwrap().is_some());
        assert_eq!(remove(&mut db, &b, &desk, t).unwrap(), Removed::Deleted);
        assert!(store::expert::get(db.conn(), &b).unwrap().is_none());
    }
}
