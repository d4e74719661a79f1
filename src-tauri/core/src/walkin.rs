//! Walk-ins (现场补录): someone arrives who is not on the list, or whose record cannot be found.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::checkin::{check_in_tx, CheckInResult};
use crate::rules::{clean_name, clean_phone, clean_text};
use crate::{
    clock, mask_phone, normalise_phone, search, store, Checkpoint, Db, Desk, Error, Expert, Method,
    Result, SignUp, SignUpStatus,
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct WalkInForm {
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
    /// The service point (group) the person joins, if any.
    #[serde(default)]
    pub point_id: Option<String>,
}

/// An existing expert the walk-in may be.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Similar {
    pub expert_id: String,
    pub code: String,
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub phone_masked: String,
    pub same_phone: bool,
    pub same_name: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct WalkInResult {
    #[serde(flatten)]
    pub result: CheckInResult,
    /// A new expert record was created (false: the phone belonged to someone on file).
    pub created: bool,
}

/// People on file with the same name or the same phone: the form warns before creating.
pub fn similar(db: &Db, name: &str, phone: &str) -> Result<Vec<Similar>> {
    let c = db.conn();
    let name = clean_name(name).unwrap_or_default();
    let phone = normalise_phone(phone).unwrap_or_default();
    let mut out: Vec<Similar> = Vec::new();
    let mut add = |e: Expert, same_phone: bool, same_name: bool| {
        if let Some(s) = out.iter_mut().find(|s| s.expert_id == e.id) {
            s.same_phone |= same_phone;
            s.same_name |= same_name;
        } else {
            out.push(Similar {
                phone_masked: mask_phone(&e.phone),
                expert_id: e.id,
                code: e.code,
                name: e.name,
                organisation: e.organisation,
                title: e.title,
                same_phone,
                same_name,
            });
        }
    };
    if !phone.is_empty() {
        for e in store::expert::by_phone(c, &phone)? {
            add(e, true, false);
        }
    }
    if !name.is_empty() {
        for e in store::expert::by_name(c, &name)? {
            add(e, false, true);
        }
    }
    Ok(out)
}

/// A short code for a person created on this desk. Random, so that two desks creating
/// walk-ins independently do not collide when their data is merged.
fn walk_in_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let tail: String = bytes[..6]
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("W-{tail}")
}

/// Registers a walk-in and checks them in, in one transaction: the expert is created unless
/// the phone is already on file (same phone, same person), signed up for the event if they
/// were not, and checked in marked as a walk-in.
pub fn register(
    db: &mut Db,
    event_id: &str,
    form: &WalkInForm,
    checkpoint: &Checkpoint,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<WalkInResult> {
    let name = clean_name(&form.name)?;
    let phone = clean_phone(&form.phone)?;
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    if store::event::get(&tx, event_id)?.is_none() {
        return Err(Error::EventNotFound(event_id.to_string()));
    }
    if let Some(pid) = &form.point_id {
        match store::point::get(&tx, pid)? {
            Some(p) if p.event_id == event_id => {}
            _ => return Err(Error::PointNotFound(pid.clone())),
        }
    }
    let on_file = if phone.is_empty() {
        None
    } else {
        store::expert::by_phone(&tx, &phone)?.into_iter().next()
    };
    let created = on_file.is_none();
    let expert = match on_file {
        Some(e) => e,
        None => {
            let e = Expert {
                id: store::new_id(),
                code: walk_in_code(),
                name: name.clone(),
                gender: String::new(),
                party: String::new(),
                organisation: clean_text(&form.organisation)?,
                title: clean_text(&form.title)?,
                field: String::new(),
                phone,
                notes: "现场补录".into(),
            };
            store::expert::insert(&tx, &e, &search::stored_keys(&e.name), &at)?;
            e
        }
    };
    if store::signup::current(&tx, event_id, &expert.id)?.is_none() {
        store::signup::insert(
            &tx,
            &SignUp {
                id: store::new_id(),
                event_id: event_id.to_string(),
                expert_id: expert.id.clone(),
                point_id: form.point_id.clone(),
                status: SignUpStatus::Registered,
            },
            &at,
        )?;
    }
    store::audit::append(
        &tx,
        &at,
        desk,
        "walkin",
        "expert",
        &expert.id,
        &format!(
            "{} {}{}",
            expert.code,
            expert.name,
            if created {
                " 新建"
            } else {
                " 按手机号匹配到已有专家"
            }
        ),
    )?;
    let result = check_in_tx(
        &tx,
        event_id,
        &expert.id,
        checkpoint,
        Method::Walkin,
        desk,
        now,
    )?;
    tx.commit()?;
    Ok(WalkInResult { result, created })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkin::Outcome;

    fn setup() -> (Db, Desk, DateTime<Utc>) {
        (
            crate::testing::demo(),
            crate::testing::desk(),
            crate::testing::at(9, 30),
        )
    }

    #[test]
    fn a_new_person_is_created_signed_up_and_checked_in_as_a_walk_in() {
        let (mut db, desk, t) = setup();
        let before = store::expert::count(db.conn()).unwrap();
        let form = WalkInForm {
            name: "  顾　晨 ".into(),
            organisation: "上海大学".into(),
            phone: "+86 139 0000 1234".into(),
            point_id: Some("2024-jinshan-p5".into()),
            ..Default::default()
        };
        let r = register(&mut db, "2024-jinshan", &form, &Checkpoint::Main, &desk, t).unwrap();
        assert!(r.created);
        assert_eq!(r.result.expert.name, "顾晨");
        assert_eq!(r.result.expert.phone, "13900001234");
        assert!(r.result.expert.code.starts_with("W-"));
        assert_eq!(r.result.checkin.method, Method::Walkin);
        assert_eq!(r.result.assignment.point_name.as_deref(), Some("山塘村"));
        assert_eq!(store::expert::count(db.conn()).unwrap(), before + 1);
        let a = crate::attendance::attendance(&db, "2024-jinshan", &Checkpoint::Main).unwrap();
        assert_eq!(a.walk_ins, 1);
    }

    #[test]
    fn the_same_phone_is_the_same_person_never_a_second_record() {
        let (mut db, desk, t) = setup();
        let existing = store::expert::by_code(db.conn(), "E-0010")
            .unwrap()
            .unwrap();
        let before = store::expert::count(db.conn()).unwrap();
        let form = WalkInForm {
            name: "别的写法".into(),
            phone: existing.phone.clone(),
            ..Default::default()
        };
        let warn = similar(&db, &form.name, &form.phone).unwrap();
        assert_eq!(warn.len(), 1);
        assert!(warn[0].same_phone);
        let r = register(&mut db, "2024-jinshan", &form, &Checkpoint::Main, &desk, t).unwrap();
        assert!(!r.created);
        assert_eq!(r.result.expert.id, existing.id);
        assert_eq!(store::expert::count(db.conn()).unwrap(), before);
    }

    #[test]
    fn a_same_name_is_a_warning_not_a_merge() {
        let (mut db, desk, t) = setup();
        let existing = store::expert::by_code(db.conn(), "E-0011")
            .unwrap()
            .unwrap();
        let warn = similar(&db, &existing.name, "").unwrap();
        assert!(warn
            .iter()
            .any(|s| s.expert_id == existing.id && s.same_name));
        let form = WalkInForm {
            name: existing.name.clone(),
            phone: "13900009999".into(),
            ..Default::default()
        };
        let r = register(&mut db, "2024-jinshan", &form, &Checkpoint::Main, &desk, t).unwrap();
        assert!(r.created);
        assert_ne!(r.result.expert.id, existing.id);
    }

    #[test]
    fn bad_input_is_refused_and_changes_nothing() {
        let (mut db, desk, t) = setup();
        let before = store::expert::count(db.conn()).unwrap();
        let cases = [
            (WalkInForm::default(), "name_required"),
            (
                WalkInForm {
                    name: "张".repeat(41),
                    ..Default::default()
                },
                "name_too_long",
            ),
            (
                WalkInForm {
                    name: "张三".into(),
                    phone: "12345".into(),
                    ..Default::default()
                },
                "phone_invalid",
            ),
            (
                WalkInForm {
                    name: "张三".into(),
                    point_id: Some("nowhere".into()),
                    ..Default::default()
                },
                "point_not_found",
            ),
        ];
        for (form, code) in cases {
            let e =
                register(&mut db, "2024-jinshan", &form, &Checkpoint::Main, &desk, t).unwrap_err();
            assert_eq!(e.code(), code);
        }
        assert_eq!(store::expert::count(db.conn()).unwrap(), before);
    }

    #[test]
    fn a_walk_in_who_is_already_in_is_reported_as_a_duplicate() {
        let (mut db, desk, t) = setup();
        let form = WalkInForm {
            name: "顾晨".into(),
            phone: "13900001234".into(),
            ..Default::default()
        };
        register(&mut db, "2024-jinshan", &form, &Checkpoint::Main, &desk, t).unwrap();
        let again = register(&mut db, "2024-jinshan", &form, &Checkpoint::Main, &desk, t).unwrap();
        assert!(!again.created);
        assert_eq!(again.result.outcome, Outcome::Duplicate);
    }
}
