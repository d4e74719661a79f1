//! Merging a package: a set union of check-ins and revocations by id, people matched before
//! they are added, nothing ever overwritten.
//!
//! The package's set-up (event, themes, points, people, sign-ups) is written in one
//! transaction, after every check-in's point has been checked, so a package refused is a
//! package of which nothing was written. Its check-ins and revocations then go in parts of
//! [`PART`] records, each its own transaction: the window takes the database for one part at a
//! time, so a scan at the desk waits for a part (milliseconds), never for a 200 MB package. A
//! merge cut short between parts (power, a full disk) leaves those parts merged, as if part of
//! the file had arrived; merging the file again adds the rest — a union adds nothing twice.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::flags::{flags_in, time_impossible};
use super::{Added, Kind, MergeReport, Opened, Tally};
use crate::{clock, pinyin, search, store, Db, Desk, Error, Result, SignUp};

/// Check-ins or revocations written per transaction (a few milliseconds of the database).
pub const PART: usize = 500;

/// Merges an opened package, part after part on the same database. A desk package must be
/// for an event this database has and may not add service points; a sub-venue package sets
/// the event up (with the key it carries, so the laptop is one of the event's from then on).
pub fn merge(db: &mut Db, opened: &Opened, desk: &Desk, now: DateTime<Utc>) -> Result<MergeReport> {
    let mut m = Merging::new(opened, desk, now);
    loop {
        if let Some(report) = m.step(db)? {
            return Ok(report);
        }
    }
}

/// Reads, unseals, checks and merges a package file as the window does beside a working desk:
/// `take` gives the database (a lock's guard), and it is taken only to look the event's key up
/// and then for one part of the merge at a time — never while the file is read, its key
/// derived, or its records parsed and checked.
pub fn merge_file<G, E>(
    path: &std::path::Path,
    unlock: &super::Unlock,
    desk: &Desk,
    now: DateTime<Utc>,
    take: impl Fn() -> std::result::Result<G, E>,
) -> std::result::Result<MergeReport, E>
where
    G: std::ops::DerefMut<Target = Db>,
    E: From<Error>,
{
    let bytes = super::read_bytes(path)?;
    let key = super::key_for(&*take()?, &bytes)?;
    let opened = super::open_with_key(&bytes, unlock, key)?;
    drop(bytes);
    let mut merging = Merging::new(&opened, desk, now);
    loop {
        if let Some(report) = merging.step(&mut *take()?)? {
            return Ok(report);
        }
        // A lock is not fair: taken again at once, it would be this thread's again before a
        // scan waiting for it woke. A millisecond lets the scan in (a 200 MB package is some
        // 1,600 parts: 1.6 s in all).
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Where a merge stands between two parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    SetUp,
    CheckIns(usize),
    Revocations(usize),
}

/// A merge in parts: each [`Merging::step`] writes one part in its own transaction, so the
/// caller may let others use the database between parts.
pub struct Merging<'a> {
    opened: &'a Opened,
    desk: Desk,
    now: DateTime<Utc>,
    at: String,
    stage: Stage,
    added: Tally,
    already: Tally,
    lines: Vec<String>,
    matched: usize,
    /// The package's people by their id there → their id here.
    expert_map: HashMap<String, String>,
    names: HashMap<String, String>,
}

impl<'a> Merging<'a> {
    pub fn new(opened: &'a Opened, desk: &Desk, now: DateTime<Utc>) -> Self {
        Merging {
            opened,
            desk: desk.clone(),
            now,
            at: clock::to_db(now),
            stage: Stage::SetUp,
            added: Tally::default(),
            already: Tally::default(),
            lines: Vec::new(),
            matched: 0,
            expert_map: HashMap::new(),
            names: HashMap::new(),
        }
    }

    /// Records written so far and in all (for a progress bar).
    pub fn progress(&self) -> (usize, usize) {
        let p = &self.opened.payload;
        let total = p.checkins.len() + p.revocations.len();
        let done = match self.stage {
            Stage::SetUp => 0,
            Stage::CheckIns(i) => i,
            Stage::Revocations(i) => p.checkins.len() + i,
        };
        (done, total)
    }

    /// Writes the next part; the report once the last part is written.
    pub fn step(&mut self, db: &mut Db) -> Result<Option<MergeReport>> {
        let p = &self.opened.payload;
        match self.stage {
            Stage::SetUp => {
                self.set_up(db)?;
                self.stage = Stage::CheckIns(0);
                Ok(None)
            }
            Stage::CheckIns(i) if i < p.checkins.len() => {
                let end = (i + PART).min(p.checkins.len());
                self.checkins(db, i..end)?;
                self.stage = Stage::CheckIns(end);
                Ok(None)
            }
            Stage::CheckIns(_) => {
                self.stage = Stage::Revocations(0);
                self.step(db)
            }
            Stage::Revocations(i) => {
                let end = (i + PART).min(p.revocations.len());
                self.revocations(db, i..end)?;
                self.stage = Stage::Revocations(end);
                if end < p.revocations.len() {
                    Ok(None)
                } else {
                    self.finish(db).map(Some)
                }
            }
        }
    }

    fn name_of(&self, id: &str) -> String {
        self.names.get(id).cloned().unwrap_or_default()
    }

    fn map(&self, id: &str) -> String {
        self.expert_map
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// Event, themes, points, people and sign-ups, in one transaction, once every check-in's
    /// point is known to be the event's.
    fn set_up(&mut self, db: &mut Db) -> Result<()> {
        let opened = self.opened;
        let at = self.at.clone();
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
        let p = &opened.payload;
        let tx = db.conn_mut().transaction()?;

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
        let point_here = |tx: &crate::store::Tx, id: &Option<String>| -> Result<bool> {
            Ok(match id {
                None => true,
                Some(pid) => store::point::get(tx, pid)?.is_some_and(|x| x.event_id == p.event.id),
            })
        };

        // People: by id, then code with the same name, then phone with the same name; else added.
        let mut expert_map: HashMap<&str, String> = HashMap::new();
        let mut names: HashMap<String, String> = HashMap::new();
        let mut matched = 0;
        let mut next_code = store::expert::max_code_number(&tx)? + 1;
        for e in &p.experts {
            let local = if store::expert::get(&tx, &e.id)?.is_some() {
                // Merged here since? The survivor takes it.
                Some(store::expert::resolve(&tx, &e.id)?)
            } else {
                // A phone identifies only with the name to confirm it: an office landline, or a
                // mobile passed on, is shared by people who are not one another.
                let same_name =
                    |l: &crate::Expert| pinyin::normalise(&l.name) == pinyin::normalise(&e.name);
                let by_code = store::expert::by_code(&tx, &e.code)?.filter(same_name);
                let found = match by_code {
                    Some(l) => Some(l.id),
                    None if !e.phone.is_empty() => store::expert::by_phone(&tx, &e.phone)?
                        .into_iter()
                        .filter(same_name)
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
            // The name as it stands here (a person erased here is not named again by a package).
            let here = store::expert::get(&tx, &id)?.map_or_else(|| e.name.clone(), |l| l.name);
            names.insert(id.clone(), here);
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

        // A check-in at a point that is not the event's refuses the package before anything
        // of it is written.
        let mut here: HashMap<&str, bool> = HashMap::new();
        for ci in &p.checkins {
            if let Some(pid) = &ci.point_id {
                if !here.contains_key(pid.as_str()) {
                    here.insert(pid, point_here(&tx, &ci.point_id)?);
                }
                if !here[pid.as_str()] {
                    return Err(Error::PackageRecord {
                        what: format!("签到记录（{}）", name_of(&map(&ci.expert_id))),
                        why: "签到的服务点位不是本活动的".into(),
                    });
                }
            }
        }
        for a in &lines {
            store::audit::append(&tx, &at, &self.desk, "merge_added", a.what, &a.id, &a.line)?;
        }
        tx.commit()?;
        self.added = added;
        self.already = already;
        self.matched = matched;
        self.lines = lines.into_iter().map(|a| a.line).collect();
        self.expert_map = expert_map
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        self.names = names;
        Ok(())
    }

    fn checkins(&mut self, db: &mut Db, part: std::ops::Range<usize>) -> Result<()> {
        let p = &self.opened.payload;
        // The sending desk's clock against this one: its package was made just now, by its clock.
        let skew = clock::from_db(&p.created_at).map_or(0, |t| (t - self.now).num_seconds());
        let tx = db.conn_mut().transaction()?;
        for ci in &p.checkins[part] {
            let mut ci = ci.clone();
            ci.expert_id = self.map(&ci.expert_id);
            if store::package::add_checkin(&tx, &ci)? {
                self.added.checkins += 1;
                if time_impossible(&ci.at, &p.event.date, self.now) {
                    store::package::add_clock_flag(
                        &tx,
                        &p.event.id,
                        &store::package::ClockFlag {
                            record_id: ci.id.clone(),
                            expert_id: ci.expert_id.clone(),
                            point_id: ci.point_id.clone(),
                            desk_name: ci.desk_name.clone(),
                            recorded_at: ci.at.clone(),
                            received_at: self.at.clone(),
                            skew_seconds: skew,
                        },
                    )?;
                }
                let line = format!(
                    "新增签到：{} {} {}",
                    self.name_of(&ci.expert_id),
                    clock::local_hm(&ci.at),
                    ci.desk_name
                );
                store::audit::append(
                    &tx,
                    &self.at,
                    &self.desk,
                    "merge_added",
                    "checkin",
                    &ci.id,
                    &line,
                )?;
                self.lines.push(line);
            } else {
                self.already.checkins += 1;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn revocations(&mut self, db: &mut Db, part: std::ops::Range<usize>) -> Result<()> {
        let p = &self.opened.payload;
        let tx = db.conn_mut().transaction()?;
        for r in &p.revocations[part] {
            if store::package::add_revocation(&tx, r)? {
                self.added.revocations += 1;
                let line = format!(
                    "撤销签到：{} {}（{}）",
                    clock::local_hm(&r.at),
                    r.desk_name,
                    r.reason
                );
                store::audit::append(
                    &tx,
                    &self.at,
                    &self.desk,
                    "merge_added",
                    "revocation",
                    &r.id,
                    &line,
                )?;
                self.lines.push(line);
            } else {
                self.already.revocations += 1;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The flags the package raised, and the audit's summary line.
    fn finish(&mut self, db: &mut Db) -> Result<MergeReport> {
        let opened = self.opened;
        let p = &opened.payload;
        let (added, already) = (&self.added, &self.already);
        let tx = db.conn_mut().transaction()?;
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
        store::audit::append(
            &tx,
            &self.at,
            &self.desk,
            "merge",
            "event",
            &p.event.id,
            &summary,
        )?;
        tx.commit()?;
        Ok(MergeReport {
            kind: p.kind,
            from_desk: p.desk.name.clone(),
            event_id: p.event.id.clone(),
            event_name: p.event.name.clone(),
            sealed: opened.sealed,
            added: self.added.clone(),
            already: self.already.clone(),
            matched_experts: self.matched,
            flagged,
            lines: std::mem::take(&mut self.lines),
        })
    }
}
