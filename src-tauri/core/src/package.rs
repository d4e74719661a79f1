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
//! File format: one line of JSON header (format, version, kind, SHA-256 and length of the
//! payload), a newline, the payload as JSON. A package that is truncated, edited, foreign or
//! from a newer version is refused before anything is written.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{
    clock, search, store, Db, Desk, Error, Event, Expert, Result, ServicePoint, SignUp, Theme,
};

pub const FORMAT: &str = "tongxin-package";
pub const VERSION: u32 = 1;
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

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    kind: Kind,
    sha256: String,
    bytes: usize,
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
            experts.push(e);
        }
    }
    experts.sort_by(|a, b| a.id.cmp(&b.id));
    let signups: Vec<SignUp> = all_signups
        .into_iter()
        .filter(|s| wanted.contains(&s.expert_id))
        .collect();
    let points = store::point::list_for_event(c, event_id)?;
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
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The package as a file's bytes: header line, newline, payload.
pub fn to_bytes(p: &Payload) -> Result<Vec<u8>> {
    let body = serde_json::to_vec(p).map_err(|e| Error::Export(format!("无法生成数据包：{e}")))?;
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        kind: p.kind,
        sha256: hex(&Sha256::digest(&body)),
        bytes: body.len(),
    };
    let mut out =
        serde_json::to_vec(&header).map_err(|e| Error::Export(format!("无法生成数据包：{e}")))?;
    out.push(b'\n');
    out.extend(body);
    Ok(out)
}

/// Reads and checks a package: ours, a version we know, complete and unaltered, and
/// consistent (every reference points inside the package or to the event). Nothing is written.
pub fn from_bytes(bytes: &[u8]) -> Result<Payload> {
    let bad = |why: &str| Error::PackageInvalid(why.to_string());
    let nl = bytes
        .iter()
        .take(4096)
        .position(|b| *b == b'\n')
        .ok_or_else(|| bad("这不是同心签到的数据包"))?;
    let header: Header =
        serde_json::from_slice(&bytes[..nl]).map_err(|_| bad("这不是同心签到的数据包"))?;
    if header.format != FORMAT {
        return Err(bad("这不是同心签到的数据包"));
    }
    if header.version > VERSION {
        return Err(Error::PackageTooNew {
            found: header.version,
            supported: VERSION,
        });
    }
    let body = &bytes[nl + 1..];
    if body.len() != header.bytes || hex(&Sha256::digest(body)) != header.sha256 {
        return Err(bad("文件不完整或已被改动（校验和不符），可能拷贝时中断了"));
    }
    let p: Payload = serde_json::from_slice(body).map_err(|_| bad("内容无法读取"))?;
    if p.kind != header.kind {
        return Err(bad("内容与文件头不符"));
    }
    let experts: HashSet<&str> = p.experts.iter().map(|e| e.id.as_str()).collect();
    let checkins: HashSet<&str> = p.checkins.iter().map(|c| c.id.as_str()).collect();
    let points: HashSet<&str> = p.points.iter().map(|x| x.id.as_str()).collect();
    let point_ok = |id: &Option<String>| id.as_deref().is_none_or(|x| points.contains(x));
    let consistent = p.checkins.iter().all(|c| {
        c.event_id == p.event.id && experts.contains(c.expert_id.as_str()) && point_ok(&c.point_id)
    }) && p
        .revocations
        .iter()
        .all(|r| checkins.contains(r.checkin_id.as_str()))
        && p.signups.iter().all(|s| {
            s.event_id == p.event.id
                && experts.contains(s.expert_id.as_str())
                && point_ok(&s.point_id)
        })
        && p.points.iter().all(|x| x.event_id == p.event.id)
        && p.experts
            .iter()
            .all(|e| !e.name.trim().is_empty() && !e.code.is_empty());
    if !consistent {
        return Err(bad("内容前后矛盾（引用了包里没有的专家或签到）"));
    }
    Ok(p)
}

pub fn read_file(path: &Path) -> Result<Payload> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_BYTES {
        return Err(Error::PackageInvalid(format!(
            "文件过大（{} MB），不是同心签到的数据包",
            size / 1024 / 1024
        )));
    }
    from_bytes(&std::fs::read(path)?)
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

/// Merges a package in one transaction: all of it or nothing.
pub fn merge(db: &mut Db, p: &Payload, desk: &Desk, now: DateTime<Utc>) -> Result<MergeReport> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let mut added = Tally::default();
    let mut already = Tally::default();

    if store::event::get(&tx, &p.event.id)?.is_none() {
        store::event::insert(&tx, &p.event, &at)?;
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
    for x in &p.points {
        if store::point::get(&tx, &x.id)?.is_some() {
            already.points += 1;
            continue;
        }
        let mut x = x.clone();
        x.theme_id = x.theme_id.and_then(|t| theme_map.get(&t).cloned());
        store::point::insert(&tx, &x)?;
        added.points += 1;
    }

    // People: by id, then code with the same name, then phone; else added.
    let mut expert_map: HashMap<&str, String> = HashMap::new();
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
                new.id
            }
        };
        expert_map.insert(e.id.as_str(), id);
    }
    let map = |id: &str| {
        expert_map
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };

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
            Some(pid) if store::point::get(&tx, pid)?.is_some() => Some(pid.clone()),
            _ => None,
        };
        store::signup::insert(
            &tx,
            &SignUp {
                id: s.id.clone(),
                event_id: s.event_id.clone(),
                expert_id: expert,
                point_id: point,
                status: s.status,
            },
            &at,
        )?;
        added.signups += 1;
    }

    for ci in &p.checkins {
        let mut ci = ci.clone();
        ci.expert_id = map(&ci.expert_id);
        if store::package::add_checkin(&tx, &ci)? {
            added.checkins += 1;
        } else {
            already.checkins += 1;
        }
    }
    for r in &p.revocations {
        if store::package::add_revocation(&tx, r)? {
            added.revocations += 1;
        } else {
            already.revocations += 1;
        }
    }

    let flagged = flags_in(&tx, &p.event)?;
    let summary = format!(
        "{} 的{}：新增签到 {}，撤销 {}，专家 {}；已有签到 {}",
        p.desk.name,
        match p.kind {
            Kind::Desk => "签到数据包",
            Kind::Subvenue => "分会场数据包",
        },
        added.checkins,
        added.revocations,
        added.experts,
        already.checkins
    );
    store::audit::append(&tx, &at, desk, "merge", "event", &p.event.id, &summary)?;
    tx.commit()?;
    Ok(MergeReport {
        kind: p.kind,
        from_desk: p.desk.name.clone(),
        event_id: p.event.id.clone(),
        event_name: p.event.name.clone(),
        added,
        already,
        matched_experts: matched,
        flagged,
    })
}
