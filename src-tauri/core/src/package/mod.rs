//! Carrying data between laptops on a USB stick: a **desk package** (the check-ins,
//! revocations and walk-ins a desk knows) and a **sub-venue package** (one event's service
//! points, experts and sign-ups, to set up a district's laptop).
//!
//! The mechanism is the usual one of offline check-in systems: check-ins and revocations are an
//! append-only log of records with global ids (UUIDs, never edited or deleted), so merging is
//! a set union — `INSERT OR IGNORE` by id — which is idempotent and independent of order. People
//! are the one thing two desks may create separately (a walk-in at each door, the same Excel
//! list imported twice): an expert from a package is matched by id, then by code with the same
//! name, then by phone, before being added, and the package's references are rewritten to the
//! local record. Nothing is ever overwritten. (SQLite's session extension was the alternative:
//! it needs libclang to build, and a unique-key conflict could only be skipped in its handler,
//! so convergence would need this matching anyway.)
//!
//! The file (`file`): a header line and the payload sealed under the event's key, so a forged
//! or altered package is refused; every record is checked (`validate`) before anything is
//! written, and a package carries only what the receiving desk needs.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    clock, search, store, Db, Desk, Error, Event, Expert, Result, ServicePoint, SignUp, Theme,
};

mod file;
mod validate;

pub use file::{open, read_file, to_bytes, Opened, Sealing, Unlock, FORMAT, VERSION};
/// A package larger than this is not one of ours (100,000 check-ins are ~30 MB).
pub const MAX_BYTES: u64 = 200 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A desk's check-ins, revocations and walk-ins.
    Desk,
    /// One event's setup for a sub-venue's laptop.
    Subvenue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackCheckIn {
    pub id: String,
    pub event_id: String,
    pub expert_id: String,
    pub point_id: Option<String>,
    pub at: String,
    pub desk_id: String,
    pub desk_name: String,
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackRevocation {
    pub id: String,
    pub checkin_id: String,
    pub at: String,
    pub desk_id: String,
    pub desk_name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub package_id: String,
    pub kind: Kind,
    pub created_at: String,
    pub desk: Desk,
    pub since: Option<String>,
    pub event: Event,
    pub themes: Vec<Theme>,
    pub points: Vec<ServicePoint>,
    pub experts: Vec<Expert>,
    pub signups: Vec<SignUp>,
    pub checkins: Vec<PackCheckIn>,
    pub revocations: Vec<PackRevocation>,
    /// The event's key (hex), only inside a passphrase-sealed sub-venue package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_key: Option<String>,
}

/// What a package holds, from the packing desk's database.
pub fn build(
    db: &Db,
    event_id: &str,
    kind: Kind,
    since: Option<DateTime<Utc>>,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Payload> {
    let c = db.conn();
    let event = store::event::get(c, event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    let since = since.map(clock::to_db);
    let (checkins, revocations) = match kind {
        Kind::Desk => (
            store::package::checkins(c, event_id, since.as_deref())?,
            store::package::revocations(c, event_id, since.as_deref())?,
        ),
        Kind::Subvenue => (Vec::new(), Vec::new()),
    };
    let all_signups = store::signup::for_event(c, event_id)?;
    // The people the package speaks of: those checked in (desk), or everyone signed up
    // (sub-venue) — with their sign-up for the event.
    let wanted: HashSet<String> = match kind {
        Kind::Desk => checkins.iter().map(|x| x.expert_id.clone()).collect(),
        Kind::Subvenue => all_signups.iter().map(|s| s.expert_id.clone()).collect(),
    };
    let mut experts = Vec::with_capacity(wanted.len());
    for id in &wanted {
        if let Some(e) = store::expert::get(c, id)? {
            experts.push(carried(e, kind));
        }
    }
    experts.sort_by(|a, b| a.id.cmp(&b.id));
    let signups: Vec<SignUp> = all_signups
        .into_iter()
        .filter(|s| wanted.contains(&s.expert_id))
        .collect();
    // The receiving desk of a desk package has the event's points already.
    let points = match kind {
        Kind::Desk => Vec::new(),
        Kind::Subvenue => store::point::list_for_event(c, event_id)?,
    };
    let themes = store::theme::list(c)?
        .into_iter()
        .filter(|t| points.iter().any(|p| p.theme_id.as_ref() == Some(&t.id)))
        .collect();
    Ok(Payload {
        package_id: store::new_id(),
        kind,
        created_at: clock::to_db(now),
        desk: desk.clone(),
        since,
        event,
        themes,
        points,
        experts,
        signups,
        checkins,
        revocations,
        event_key: None,
    })
}

/// What the receiving desk needs of a person: to find, match and print them. Notes, field
/// and gender stay home; a desk package leaves out the party too (the main venue has it, and a
/// walk-in has none).
fn carried(e: Expert, kind: Kind) -> Expert {
    Expert {
        gender: String::new(),
        field: String::new(),
        notes: String::new(),
        party: match kind {
            Kind::Desk => String::new(),
            Kind::Subvenue => e.party,
        },
        ..e
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub points: usize,
    pub experts: usize,
    pub signups: usize,
    pub checkins: usize,
    pub revocations: usize,
}

/// The same person checked in at two desks: one attendance, both records kept, for review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub expert_id: String,
    pub name: String,
    pub checkpoint: String,
    /// "1号台 09:02 / 2号台 09:05"
    pub records: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MergeReport {
    pub kind: Kind,
    pub from_desk: String,
    pub event_id: String,
    pub event_name: String,
    /// New here.
    pub added: Tally,
    /// Already here (merging twice changes nothing).
    pub already: Tally,
    /// People of the package found here under another id (by code and name, or phone).
    pub matched_experts: usize,
    pub flagged: Vec<Flag>,
    /// False: merged unsealed, on the coordinator's word.
    pub sealed: bool,
    /// What was added, one line each (also in the audit log).
    pub lines: Vec<String>,
}

/// The same people checked in more than once at one checkpoint (from different desks), to
/// review: one attendance each, every record kept.
pub fn flags(db: &Db, event_id: &str) -> Result<Vec<Flag>> {
    let event = store::event::get(db.conn(), event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    flags_in(db.conn(), &event)
}

fn flags_in(c: &rusqlite::Connection, event: &Event) -> Result<Vec<Flag>> {
    let points = store::point::list_for_event(c, &event.id)?;
    let mut flagged = Vec::new();
    for store::package::Double {
        expert_id,
        point_id,
        records,
    } in store::package::double_checkins(c, &event.id)?
    {
        let name = store::expert::get(c, &expert_id)?
            .map(|e| e.name)
            .unwrap_or_default();
        let checkpoint = match &point_id {
            None => event.short_name.clone(),
            Some(id) => points
                .iter()
                .find(|x| &x.id == id)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
        };
        let records = records
            .iter()
            .map(|(desk, at)| format!("{desk} {}", clock::local_hm(at)))
            .collect::<Vec<_>>()
            .join(" / ");
        flagged.push(Flag {
            expert_id,
            name,
            checkpoint,
            records,
        });
    }
    Ok(flagged)
}

/// One thing a package added, for the report and the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Added {
    /// point, expert, signup, checkin, revocation
    pub what: &'static str,
    pub id: String,
    /// "新增签到：韩冬（E-0042）09:02 2号台"
    pub line: String,
}

/// Merges an opened package in one transaction: all of it or nothing. A desk package must be
/// for an event this database has and may not add service points; a sub-venue package sets
/// the event up (with the key it carries, so the laptop is one of the event's from then on).
pub fn merge(db: &mut Db, opened: &Opened, desk: &Desk, now: DateTime<Utc>) -> Result<MergeReport> {
    let p = &opened.payload;
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let mut added = Tally::default();
    let mut already = Tally::default();
    let mut lines: Vec<Added> = Vec::new();
    let mut note = |what: &'static str, id: &str, line: String| {
        lines.push(Added {
            what,
            id: id.to_string(),
            line,
        })
    };

    if store::event::get(&tx, &p.event.id)?.is_none() {
        if p.kind == Kind::Desk {
            return Err(Error::PackageEventUnknown(p.event.name.clone()));
        }
        let key = match opened.event_key {
            Some(k) => k,
            None => crate::seal::new_key()?,
        };
        store::event::insert(&tx, &p.event, &key, &at)?;
        note("event", &p.event.id, format!("新增活动：{}", p.event.name));
    }
    // Themes by id, else by name.
    let local_themes = store::theme::list(&tx)?;
    let mut theme_map: HashMap<String, String> = HashMap::new();
    for t in &p.themes {
        let id = match local_themes
            .iter()
            .find(|l| l.id == t.id)
            .or_else(|| local_themes.iter().find(|l| l.name == t.name))
        {
            Some(l) => l.id.clone(),
            None => {
                store::theme::insert(&tx, t)?;
                t.id.clone()
            }
        };
        theme_map.insert(t.id.clone(), id);
    }
    // Points come only with a sub-venue package (validation holds a desk package to none).
    for x in p.points.iter().filter(|_| p.kind == Kind::Subvenue) {
        if store::point::get(&tx, &x.id)?.is_some() {
            already.points += 1;
            continue;
        }
        let mut x = x.clone();
        x.theme_id = x.theme_id.and_then(|t| theme_map.get(&t).cloned());
        store::point::insert(&tx, &x)?;
        added.points += 1;
        note(
            "point",
            &x.id,
            format!("新增服务点位：{}（名额 {}）", x.name, x.capacity),
        );
    }
    let point_here = |tx: &rusqlite::Transaction, id: &Option<String>| -> Result<bool> {
        Ok(match id {
            None => true,
            Some(pid) => store::point::get(tx, pid)?.is_some_and(|x| x.event_id == p.event.id),
        })
    };

    // People: by id, then code with the same name, then phone; else added.
    let mut expert_map: HashMap<&str, String> = HashMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut matched = 0;
    let mut next_code = store::expert::max_code_number(&tx)? + 1;
    for e in &p.experts {
        let local = if store::expert::get(&tx, &e.id)?.is_some() {
            // Merged here since? The survivor takes it.
            Some(store::expert::resolve(&tx, &e.id)?)
        } else {
            let by_code = store::expert::by_code(&tx, &e.code)?
                .filter(|l| search::normalise(&l.name) == search::normalise(&e.name));
            let found = match by_code {
                Some(l) => Some(l.id),
                None if !e.phone.is_empty() => store::expert::by_phone(&tx, &e.phone)?
                    .into_iter()
                    .min_by(|a, b| a.id.cmp(&b.id))
                    .map(|l| l.id),
                None => None,
            };
            if found.is_some() {
                matched += 1;
            }
            found
        };
        let id = match local {
            Some(id) => {
                already.experts += 1;
                id
            }
            None => {
                let mut new = e.clone();
                if store::expert::by_code(&tx, &new.code)?.is_some() {
                    // Someone else here has that code: the newcomer gets the next free one.
                    new.code = if new.code.starts_with("E-") {
                        let c = format!("E-{next_code:04}");
                        next_code += 1;
                        c
                    } else {
                        // Chars, not bytes: an id from a package may be short or not ASCII.
                        let tail: String = new.id.chars().take(4).collect();
                        format!("{}-{tail}", new.code)
                    };
                }
                store::expert::insert(&tx, &new, &search::stored_keys(&new.name), &at)?;
                added.experts += 1;
                note(
                    "expert",
                    &new.id,
                    format!("新增专家：{}（{}）", new.name, new.code),
                );
                new.id
            }
        };
        names.insert(id.clone(), e.name.clone());
        expert_map.insert(e.id.as_str(), id);
    }
    let map = |id: &str| {
        expert_map
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    let name_of = |id: &str| names.get(id).cloned().unwrap_or_default();

    // Sign-ups: only for someone without one for the event here; never moved or replaced.
    for s in &p.signups {
        let expert = map(&s.expert_id);
        if store::package::signup_exists(&tx, &s.id)?
            || store::signup::current(&tx, &s.event_id, &expert)?.is_some()
        {
            already.signups += 1;
            continue;
        }
        // A point this database does not have leaves the sign-up without a group; a database
        // error stops the merge like any other.
        let point = match &s.point_id {
            Some(pid) if point_here(&tx, &s.point_id)? => Some(pid.clone()),
            _ => None,
        };
        let point_name = match &point {
            Some(pid) => store::point::get(&tx, pid)?
                .map(|x| x.name)
                .unwrap_or_default(),
            None => "未分组".into(),
        };
        store::signup::insert(
            &tx,
            &SignUp {
                id: s.id.clone(),
                event_id: s.event_id.clone(),
                expert_id: expert.clone(),
                point_id: point,
                status: s.status,
            },
            &at,
        )?;
        added.signups += 1;
        note(
            "signup",
            &s.id,
            format!("新增报名：{} → {}", name_of(&expert), point_name),
        );
    }

    for ci in &p.checkins {
        let mut ci = ci.clone();
        ci.expert_id = map(&ci.expert_id);
        if !point_here(&tx, &ci.point_id)? {
            return Err(Error::PackageRecord {
                what: format!("签到记录（{}）", name_of(&ci.expert_id)),
                why: "签到的服务点位不是本活动的".into(),
            });
        }
        if store::package::add_checkin(&tx, &ci)? {
            added.checkins += 1;
            note(
                "checkin",
                &ci.id,
                format!(
                    "新增签到：{} {} {}",
                    name_of(&ci.expert_id),
                    clock::local_hm(&ci.at),
                    ci.desk_name
                ),
            );
        } else {
            already.checkins += 1;
        }
    }
    for r in &p.revocations {
        if store::package::add_revocation(&tx, r)? {
            added.revocations += 1;
            note(
                "revocation",
                &r.id,
                format!(
                    "撤销签到：{} {}（{}）",
                    clock::local_hm(&r.at),
                    r.desk_name,
                    r.reason
                ),
            );
        } else {
            already.revocations += 1;
        }
    }

    let flagged = flags_in(&tx, &p.event)?;
    let summary = format!(
        "{} 的{}{}：新增签到 {}，撤销 {}，专家 {}，点位 {}，报名 {}；已有签到 {}",
        p.desk.name,
        match p.kind {
            Kind::Desk => "签到数据包",
            Kind::Subvenue => "分会场数据包",
        },
        if opened.sealed {
            ""
        } else {
            "（未加密，经确认合并）"
        },
        added.checkins,
        added.revocations,
        added.experts,
        added.points,
        added.signups,
        already.checkins
    );
    store::audit::append(&tx, &at, desk, "merge", "event", &p.event.id, &summary)?;
    for a in &lines {
        store::audit::append(&tx, &at, desk, "merge_added", a.what, &a.id, &a.line)?;
    }
    tx.commit()?;
    Ok(MergeReport {
        kind: p.kind,
        from_desk: p.desk.name.clone(),
        event_id: p.event.id.clone(),
        event_name: p.event.name.clone(),
        sealed: opened.sealed,
        added,
        already,
        matched_experts: matched,
        flagged,
        lines: lines.into_iter().map(|a| a.line).collect(),
    })
}
