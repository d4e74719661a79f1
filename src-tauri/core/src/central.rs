//! A desk's side of the sync with the city office's central server (PostgreSQL, reached by the
//! `tongxin-sync` crate; nothing here touches the network). The desk's file stays its own truth:
//! a check-in commits here first, and what travels is the append-only log (check-ins and
//! revocations, merged as a set by id) and the experts and sign-ups a desk creates or edits
//! (the later edit wins; a local edit that loses is kept in the audit log). File packages and
//! network syncs carry the same rows under the same ids, so they mix freely and converge.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::store::central as sql;
use crate::{clock, search, store, Applied, CentralExpert, Db, Desk, Error, Inbox, Outbox, Result};

/// Rows per upload batch: a batch is one transaction on the server.
pub const BATCH: usize = 500;

const CURSOR: &str = "central.cursor";
const SERVER_URL: &str = "central.url";
const SERVER_PASSWORD: &str = "central.password";

fn json_ids(events: &[String]) -> String {
    serde_json::to_string(events).unwrap_or_else(|_| "[]".into())
}

/// Up to `limit` rows of each kind the server does not have yet, for the given events.
pub fn outbox(db: &Db, events: &[String], limit: usize) -> Result<Outbox> {
    let ev = json_ids(events);
    let n = limit as i64;
    let c = db.conn();
    Ok(Outbox {
        experts: sql::unsent_experts(c, &ev, n)?,
        signups: sql::unsent_signups(c, &ev, n)?,
        checkins: sql::unsent_checkins(c, &ev, n)?,
        revocations: sql::unsent_revocations(c, &ev, n)?,
    })
}

/// How many check-ins, revocations and sign-ups are still to upload (the top bar's "n 条待上传").
pub fn unsent(db: &Db, events: &[String]) -> Result<i64> {
    sql::unsent_count(db.conn(), &json_ids(events))
}

/// Records that the server now has every row of `out` (after its transaction there committed).
pub fn mark_sent(db: &mut Db, out: &Outbox) -> Result<()> {
    let tx = db.conn_mut().transaction()?;
    for x in &out.experts {
        sql::mark_known(&tx, &x.expert.id, &x.updated_at)?;
    }
    for x in &out.signups {
        sql::mark_known(&tx, &x.signup.id, &x.updated_at)?;
    }
    for x in &out.checkins {
        sql::mark_known(&tx, &x.id, "")?;
    }
    for x in &out.revocations {
        sql::mark_known(&tx, &x.id, "")?;
    }
    tx.commit()?;
    Ok(())
}

/// Everything a laptop publishes for an event (and its sub-venues), or for all its events:
/// the events with their keys, themes, service points, sign-ups and the experts they name,
/// and the check-ins and revocations made so far.
pub fn publication(db: &Db, event: Option<&str>) -> Result<Inbox> {
    let c = db.conn();
    let mut events = sql::events_for_publishing(c, event)?;
    for e in &mut events {
        // The dashboard groups venues by district: the one set, or the one the name says.
        e.district = crate::report::event_district(
            &e.district,
            &[&e.event.short_name, &e.event.name, &e.event.place],
        );
    }
    if let Some(id) = event {
        if events.is_empty() {
            return Err(Error::EventNotFound(id.to_string()));
        }
    }
    let ids: Vec<String> = events.iter().map(|e| e.event.id.clone()).collect();
    let ev = json_ids(&ids);
    let mut points = Vec::new();
    for id in &ids {
        points.extend(store::point::list_for_event(c, id)?);
    }
    let themes = store::theme::list(c)?
        .into_iter()
        .filter(|t| points.iter().any(|p| p.theme_id.as_ref() == Some(&t.id)))
        .collect();
    let mut checkins = Vec::new();
    let mut revocations = Vec::new();
    for id in &ids {
        checkins.extend(store::package::checkins(c, id, None)?);
        revocations.extend(store::package::revocations(c, id, None)?);
    }
    Ok(Inbox {
        themes,
        points,
        experts: sql::experts_of(c, &ev)?,
        signups: sql::signups_of(c, &ev)?,
        checkins,
        revocations,
        events,
    })
}

/// After a publication reached the server: all of its rows are known there.
pub fn mark_published(db: &mut Db, p: &Inbox) -> Result<()> {
    mark_sent(
        db,
        &Outbox {
            experts: p.experts.clone(),
            signups: p.signups.clone(),
            checkins: p.checkins.clone(),
            revocations: p.revocations.clone(),
        },
    )
}

/// The server's revision this desk has pulled up to.
pub fn cursor(db: &Db) -> Result<i64> {
    Ok(store::setting::get(db.conn(), CURSOR)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

pub fn set_cursor(db: &Db, rev: i64) -> Result<()> {
    store::setting::set(db.conn(), CURSOR, &rev.to_string())
}

/// The server this desk syncs with: the URL (shown) and the password (never shown again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub url: String,
    pub password: String,
}

pub fn server(db: &Db) -> Result<Option<Server>> {
    let c = db.conn();
    Ok(match store::setting::get(c, SERVER_URL)? {
        Some(url) if !url.is_empty() => Some(Server {
            url,
            password: store::setting::get(c, SERVER_PASSWORD)?.unwrap_or_default(),
        }),
        _ => None,
    })
}

/// Saves the server's URL; `password: None` keeps the one entered before. An empty URL turns
/// sync off. Only a `postgres://` or `postgresql://` URL is accepted.
pub fn set_server(db: &Db, url: &str, password: Option<&str>) -> Result<()> {
    let url = url.trim();
    if !(url.is_empty() || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(Error::ServerUrlInvalid);
    }
    let c = db.conn();
    if store::setting::get(c, SERVER_URL)?.as_deref() != Some(url) {
        // Another server: its revisions are not this one's.
        store::setting::set(c, CURSOR, "0")?;
    }
    store::setting::set(c, SERVER_URL, url)?;
    if let Some(p) = password {
        store::setting::set(c, SERVER_PASSWORD, p)?;
    }
    Ok(())
}

/// Applies what was pulled, in one transaction: events, themes, points, experts and sign-ups
/// (the later version wins), then check-ins and revocations (a set union, as a file merge).
/// Every row applied is known to the server from then on, so none of it is uploaded back.
pub fn apply(db: &mut Db, inbox: &Inbox, desk: &Desk, now: DateTime<Utc>) -> Result<Applied> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let mut done = Applied::default();

    for e in &inbox.events {
        let mut e = e.clone();
        // A sub-venue's desk serves the sub-venue only: the main event is not on it.
        if let Some(parent) = &e.event.parent_id {
            if store::event::get(&tx, parent)?.is_none() {
                e.event.parent_id = None;
            }
        }
        let e = &e;
        let key: [u8; 32] = e
            .key
            .as_slice()
            .try_into()
            .map_err(|_| Error::ServerEventKey(e.event.name.clone()))?;
        if sql::put_event(&tx, e, &key, &at)? {
            done.events += 1;
        }
    }
    let mut theme_map: HashMap<String, String> = HashMap::new();
    let local_themes = store::theme::list(&tx)?;
    for t in &inbox.themes {
        match local_themes
            .iter()
            .find(|l| l.name == t.name && l.id != t.id)
        {
            Some(l) => {
                theme_map.insert(t.id.clone(), l.id.clone());
            }
            None => sql::put_theme(&tx, t)?,
        }
    }
    for p in &inbox.points {
        let mut p = p.clone();
        if let Some(t) = p.theme_id.as_ref().and_then(|t| theme_map.get(t)) {
            p.theme_id = Some(t.clone());
        }
        if sql::put_point(&tx, &p)? {
            done.points += 1;
        }
    }
    for x in &inbox.experts {
        match sql::expert_versions(&tx, &x.expert.id)? {
            // Edited here later than the server's version: ours wins, and is on its way up.
            Some((local, _)) if local > x.updated_at => {}
            Some((local, known)) if local == x.updated_at => {
                if known.as_deref() != Some(local.as_str()) {
                    sql::mark_known(&tx, &x.expert.id, &x.updated_at)?;
                }
                continue;
            }
            found => {
                if let Some((local, known)) = found {
                    if known.as_deref().is_none_or(|k| k < local.as_str()) {
                        override_expert(&tx, x, desk, &at)?;
                        done.overridden += 1;
                    }
                }
                let mut x = x.clone();
                if sql::code_taken(&tx, &x.expert.code, &x.expert.id)? {
                    let tail: String = x.expert.id.chars().take(4).collect();
                    x.expert.code = format!("{}-{tail}", x.expert.code);
                }
                sql::put_expert(&tx, &x, &search::stored_keys(&x.expert.name))?;
                done.experts += 1;
            }
        }
        sql::mark_known(&tx, &x.expert.id, &x.updated_at)?;
    }
    for x in &inbox.signups {
        match sql::signup_versions(&tx, &x.signup.id)? {
            Some((local, _)) if local >= x.updated_at => {}
            found => {
                if store::expert::get(&tx, &x.signup.expert_id)?.is_none() {
                    continue;
                }
                if let Some((_, known)) = found {
                    if known.is_none() {
                        done.overridden += 1;
                    }
                }
                let mut s = x.clone();
                s.signup.expert_id = store::expert::resolve(&tx, &s.signup.expert_id)?;
                sql::put_signup(&tx, &s)?;
                done.signups += 1;
            }
        }
        sql::mark_known(&tx, &x.signup.id, &x.updated_at)?;
    }
    for ci in &inbox.checkins {
        if store::expert::get(&tx, &ci.expert_id)?.is_none()
            || store::event::get(&tx, &ci.event_id)?.is_none()
        {
            // Its expert did not come with it (not one of this venue's people): left out.
            continue;
        }
        let mut ci = ci.clone();
        ci.expert_id = store::expert::resolve(&tx, &ci.expert_id)?;
        if store::package::add_checkin(&tx, &ci)? {
            done.checkins += 1;
        }
        sql::mark_known(&tx, &ci.id, "")?;
    }
    for r in &inbox.revocations {
        if store::package::add_revocation(&tx, r)? {
            done.revocations += 1;
        }
        if store::package::checkin_exists(&tx, &r.checkin_id)? {
            sql::mark_known(&tx, &r.id, "")?;
        }
    }
    if done.checkins + done.revocations + done.experts + done.signups + done.points > 0 {
        let line = format!(
            "从市级服务器同步：签到 {}，撤销 {}，专家 {}，报名 {}，点位 {}{}",
            done.checkins,
            done.revocations,
            done.experts,
            done.signups,
            done.points,
            if done.overridden > 0 {
                format!(
                    "；{} 处本机修改被更晚的修改取代（已记入日志）",
                    done.overridden
                )
            } else {
                String::new()
            }
        );
        store::audit::append(&tx, &at, desk, "central_pull", "server", "", &line)?;
    }
    tx.commit()?;
    Ok(done)
}

/// A local edit of an expert that lost to a later one from the server: what it said stays in
/// the audit log.
fn override_expert(tx: &store::Tx, x: &CentralExpert, desk: &Desk, at: &str) -> Result<()> {
    if let Some(old) = store::expert::get(tx, &x.expert.id)? {
        let detail = format!(
            "本机的修改被服务器上更晚的修改（{}）取代；本机原为：{} {} {} {} {}",
            clock::local_hm(&x.updated_at),
            old.name,
            old.title,
            old.organisation,
            old.phone,
            old.notes
        );
        store::audit::append(tx, at, desk, "central_override", "expert", &old.id, &detail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
