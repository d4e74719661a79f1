//! A desk's side of the sync with the city office's central server (PostgreSQL, reached by the
//! `tongxin-sync` crate; nothing here touches the network). The desk's file stays its own truth:
//! a check-in commits here first, and what travels is the append-only log (check-ins and
//! revocations, merged as a set by id) and the experts and sign-ups a desk creates or edits
//! (the later edit wins; a local edit that loses is kept in the audit log). File packages and
//! network syncs carry the same rows under the same ids, so they mix freely and converge.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::store::central as sql;
use crate::{
    clock, keys, package, rules, search, store, Applied, CentralEvent, CentralExpert, CentralPoint,
    CentralSignUp, Db, Desk, Error, Inbox, Outbox, PackCheckIn, PackRevocation, ParkedRow, Result,
    ServicePoint,
};

/// Rows per upload batch: a batch is one transaction on the server.
pub const BATCH: usize = 500;

const CURSOR: &str = "central.snapshot";
const SERVER_EVENTS: &str = "central.events";
const SERVER_ID: &str = "central.server_id";
const SERVER_PLAINTEXT: &str = "central.plaintext";
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
        points: unsent_points(db, events)?.into_iter().take(limit).collect(),
        experts: sql::unsent_experts(c, &ev, n)?,
        signups: sql::unsent_signups(c, &ev, n)?,
        checkins: sql::unsent_checkins(c, &ev, n)?,
        revocations: sql::unsent_revocations(c, &ev, n)?,
    })
}

/// The service points of the events created or changed here since the server last had them
/// (a point's version is the digest of its fields).
fn unsent_points(db: &Db, events: &[String]) -> Result<Vec<CentralPoint>> {
    let c = db.conn();
    let mut out = Vec::new();
    for (point, theme_name) in sql::points_of(c, &json_ids(events))? {
        let digest = point_digest(&point);
        if sql::known_version(c, &point.id)?.as_deref() != Some(digest.as_str()) {
            out.push(CentralPoint {
                point,
                theme_name,
                digest,
            });
        }
    }
    Ok(out)
}

/// How many check-ins, revocations and sign-ups are still to upload (the top bar's "n 条待上传").
pub fn unsent(db: &Db, events: &[String]) -> Result<i64> {
    sql::unsent_count(db.conn(), &json_ids(events))
}

/// The events on this desk that have sign-ups or check-ins but are not among `events` (those the
/// server lets this login sync): nothing of theirs goes up, and the desk says so.
pub fn events_not_synced(db: &Db, events: &[String]) -> Result<Vec<(String, String)>> {
    sql::events_with_rows_except(db.conn(), &json_ids(events))
}

/// Records that the server now has every row of `out` (after its transaction there committed).
pub fn mark_sent(db: &mut Db, out: &Outbox) -> Result<()> {
    let tx = db.conn_mut().transaction()?;
    for x in &out.points {
        sql::mark_known(&tx, &x.point.id, &x.digest)?;
    }
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

/// A row the server refused to take (a venue this login does not serve, a person signed up
/// elsewhere): marked as sent, so that it is not offered to this server again (a new server
/// is offered everything again), and said in the audit log with the server's reason. The row
/// itself stays here as it was.
pub fn note_refused(
    db: &mut Db,
    out: &Outbox,
    desk: &Desk,
    why: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    mark_sent(db, out)?;
    store::audit::append(
        db.conn(),
        &clock::to_db(now),
        desk,
        "central_refused",
        "server",
        "",
        why,
    )?;
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
    // People and sign-ups the server has at this laptop's version already are left out: the
    // server orders edits by when it receives them, so re-sending an unchanged row would undo
    // an edit a desk made there since.
    let mut experts = Vec::new();
    for x in sql::experts_of(c, &ev)? {
        if sql::known_version(c, &x.expert.id)?.as_deref() != Some(x.updated_at.as_str()) {
            experts.push(x);
        }
    }
    let mut fresh = Vec::new();
    for x in sql::signups_of(c, &ev)? {
        if sql::known_version(c, &x.signup.id)?.as_deref() != Some(x.updated_at.as_str()) {
            fresh.push(x);
        }
    }
    Ok(Inbox {
        themes,
        points,
        experts,
        signups: fresh,
        checkins,
        revocations,
        events,
    })
}

/// After a publication reached the server: all of its rows are known there.
pub fn mark_published(db: &mut Db, p: &Inbox) -> Result<()> {
    let points = p
        .points
        .iter()
        .map(|x| CentralPoint {
            digest: point_digest(x),
            point: x.clone(),
            theme_name: String::new(),
        })
        .collect();
    mark_sent(
        db,
        &Outbox {
            points,
            experts: p.experts.clone(),
            signups: p.signups.clone(),
            checkins: p.checkins.clone(),
            revocations: p.revocations.clone(),
        },
    )
}

/// Where this desk's next pull starts: the server's snapshot its last pull read in (a
/// PostgreSQL `pg_snapshot` as text, `xmin:xmax:xip,…`); before the first pull, one that saw
/// nothing.
pub fn cursor(db: &Db) -> Result<String> {
    Ok(store::setting::get(db.conn(), CURSOR)?
        .filter(|v| is_snapshot(v))
        .unwrap_or_else(|| FIRST_CURSOR.into()))
}

pub fn set_cursor(db: &Db, snapshot: &str) -> Result<()> {
    store::setting::set(db.conn(), CURSOR, snapshot)
}

/// A snapshot that saw no transaction: a pull from it takes everything.
pub const FIRST_CURSOR: &str = "1:1:";

/// `xmin:xmax:xip,…` with whole numbers only (what `pg_current_snapshot()::text` gives).
fn is_snapshot(s: &str) -> bool {
    let mut parts = s.split(':');
    let num = |p: &str| !p.is_empty() && p.len() <= 20 && p.bytes().all(|b| b.is_ascii_digit());
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(a), Some(b), Some(c), None)
            if num(a) && num(b) && (c.is_empty() || c.split(',').all(num))
    )
}

/// The `xmax` of a cursor: every transaction the server had begun when it was taken is below.
pub fn cursor_xmax(snapshot: &str) -> u64 {
    snapshot
        .split(':')
        .nth(1)
        .and_then(|x| x.parse().ok())
        .unwrap_or(1)
}

/// Records the venues this login syncs. A venue it did not sync before (the city office gave
/// the login another event) may have rows written long before this desk's cursor: the next
/// pull starts from the beginning. True when that happens.
pub fn note_events(db: &Db, events: &[String]) -> Result<bool> {
    let c = db.conn();
    let before: Vec<String> = store::setting::get(c, SERVER_EVENTS)?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default();
    let gained = events.iter().any(|e| !before.contains(e));
    if gained {
        store::setting::set(c, CURSOR, FIRST_CURSOR)?;
    }
    store::setting::set(c, SERVER_EVENTS, &json_ids(events))?;
    Ok(gained && !before.is_empty())
}

/// Starts over with the server: pull everything, offer it everything (its rows are one copy
/// per id, so nothing doubles).
pub fn start_over(db: &mut Db) -> Result<()> {
    let tx = db.conn_mut().transaction()?;
    sql::forget_server(&tx)?;
    store::setting::set(&tx, CURSOR, FIRST_CURSOR)?;
    tx.commit()?;
    Ok(())
}

/// The id of the server this desk last synced with ("" before it first did).
pub fn server_id(db: &Db) -> Result<String> {
    Ok(store::setting::get(db.conn(), SERVER_ID)?.unwrap_or_default())
}

/// Records the id the server gives (`meta.server_id`). Another id than the one recorded means
/// a rebuilt or restored server, which may lack what this desk sent and number its
/// transactions anew: everything is pulled from the start and whatever it lacks goes up again
/// (the server keeps one copy of each row by id). True when that happened.
pub fn note_server_id(db: &mut Db, id: &str) -> Result<bool> {
    let before = server_id(db)?;
    if before == id {
        return Ok(false);
    }
    let restart = !before.is_empty();
    if restart {
        start_over(db)?;
    }
    store::setting::set(db.conn(), SERVER_ID, id)?;
    Ok(restart)
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
            password: password(db)?,
        }),
        _ => None,
    })
}

/// What the credential store calls the city server's password of a database.
const PASSWORD_SECRET: &str = "city-password";

/// The server's password: in the credential store beside the database's key, so that a copy
/// of the database (a backup opened with the recovery key) does not log into the city's server.
/// A script that gives the key (`TONGXIN_DB_KEY`) keeps it in the database, encrypted. A
/// password an earlier version kept in the database moves to the store when first read.
fn password(db: &Db) -> Result<String> {
    let c = db.conn();
    let in_db = store::setting::get(c, SERVER_PASSWORD)?.unwrap_or_default();
    let Some(path) = db.path().filter(|p| keys::uses_store(Some(p))) else {
        return Ok(in_db);
    };
    if !in_db.is_empty() {
        keys::set_secret(path, PASSWORD_SECRET, &in_db)?;
        store::setting::set(c, SERVER_PASSWORD, "")?;
        return Ok(in_db);
    }
    Ok(keys::secret(path, PASSWORD_SECRET)?.unwrap_or_default())
}

/// Whether the desk may reach a server off this machine without TLS (the red switch).
pub fn plaintext(db: &Db) -> Result<bool> {
    Ok(store::setting::get(db.conn(), SERVER_PLAINTEXT)?.as_deref() == Some("1"))
}

pub fn set_plaintext(db: &Db, yes: bool) -> Result<()> {
    store::setting::set(db.conn(), SERVER_PLAINTEXT, if yes { "1" } else { "0" })
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
        // Another address: the server's id, checked at the first round, says whether it is
        // another server; its transactions are numbered apart in any case.
        store::setting::set(c, CURSOR, FIRST_CURSOR)?;
    }
    store::setting::set(c, SERVER_URL, url)?;
    if let Some(p) = password {
        match db.path().filter(|p| keys::uses_store(Some(p))) {
            Some(path) => {
                keys::set_secret(path, PASSWORD_SECRET, p)?;
                store::setting::set(c, SERVER_PASSWORD, "")?;
            }
            None => store::setting::set(c, SERVER_PASSWORD, p)?,
        }
    }
    Ok(())
}

/// Applies what was pulled, in one transaction: events, themes, points, experts and sign-ups
/// (the server's version is taken unless this desk has an edit of its own not yet uploaded,
/// which goes up next and, received later, wins there too), then check-ins and revocations (a
/// set union, as a file merge). Every row obeys the rules a package's rows obey. A row whose
/// event, expert, point or check-in is not here yet is set aside and applied when it arrives
/// (retried after every pull); a row that breaks the rules is set aside for good, with the
/// reason. Neither holds up the others. Every row applied is known to the server from then on,
/// so none of it is uploaded back.
pub fn apply(db: &mut Db, inbox: &Inbox, desk: &Desk, now: DateTime<Utc>) -> Result<Applied> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let mut done = Applied::default();
    let mut ctx = Pull {
        tx: &tx,
        desk,
        at: &at,
        now,
        themes: HashMap::new(),
    };
    for e in &inbox.events {
        ctx.settle(Row::Event(e.clone()), &mut done)?;
    }
    let local_themes = store::theme::list(&tx)?;
    for t in &inbox.themes {
        match local_themes
            .iter()
            .find(|l| l.name == t.name && l.id != t.id)
        {
            Some(l) => {
                ctx.themes.insert(t.id.clone(), l.id.clone());
            }
            None if rules::theme_problem(t).is_none() && package::entity_id_ok(&t.id) => {
                sql::put_theme(&tx, t)?
            }
            None => {}
        }
    }
    for p in &inbox.points {
        ctx.settle(Row::Point(p.clone()), &mut done)?;
    }
    for x in &inbox.experts {
        ctx.settle(Row::Expert(x.clone()), &mut done)?;
    }
    for x in &inbox.signups {
        ctx.settle(Row::SignUp(x.clone()), &mut done)?;
    }
    for ci in &inbox.checkins {
        ctx.settle(Row::CheckIn(ci.clone()), &mut done)?;
    }
    for r in &inbox.revocations {
        ctx.settle(Row::Revocation(r.clone()), &mut done)?;
    }
    // What was waiting for these rows: parents come first in this order, so one pass does.
    for (kind, body) in sql::parked_waiting(&tx)? {
        if let Some(row) = Row::from_parked(&kind, &body) {
            if ctx.apply_row(&row, &mut done)?.is_none() {
                sql::unpark(&tx, &kind, row.id())?;
            }
        }
    }
    done.parked = sql::parked(&tx, 0)?.1 as usize;
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
                    "；{} 位专家的资料换成服务器上更新的版本（本机原来的写进了日志）",
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

/// One pulled row, of any kind.
#[derive(Debug, Clone)]
enum Row {
    Event(CentralEvent),
    Point(ServicePoint),
    Expert(CentralExpert),
    SignUp(CentralSignUp),
    CheckIn(PackCheckIn),
    Revocation(PackRevocation),
}

impl Row {
    fn kind(&self) -> &'static str {
        match self {
            Row::Event(_) => "event",
            Row::Point(_) => "point",
            Row::Expert(_) => "expert",
            Row::SignUp(_) => "signup",
            Row::CheckIn(_) => "checkin",
            Row::Revocation(_) => "revocation",
        }
    }

    fn id(&self) -> &str {
        match self {
            Row::Event(x) => &x.event.id,
            Row::Point(x) => &x.id,
            Row::Expert(x) => &x.expert.id,
            Row::SignUp(x) => &x.signup.id,
            Row::CheckIn(x) => &x.id,
            Row::Revocation(x) => &x.id,
        }
    }

    fn body(&self) -> String {
        match self {
            Row::Event(x) => serde_json::to_string(x),
            Row::Point(x) => serde_json::to_string(x),
            Row::Expert(x) => serde_json::to_string(x),
            Row::SignUp(x) => serde_json::to_string(x),
            Row::CheckIn(x) => serde_json::to_string(x),
            Row::Revocation(x) => serde_json::to_string(x),
        }
        .unwrap_or_default()
    }

    fn from_parked(kind: &str, body: &str) -> Option<Row> {
        match kind {
            "event" => serde_json::from_str(body).ok().map(Row::Event),
            "point" => serde_json::from_str(body).ok().map(Row::Point),
            "expert" => serde_json::from_str(body).ok().map(Row::Expert),
            "signup" => serde_json::from_str(body).ok().map(Row::SignUp),
            "checkin" => serde_json::from_str(body).ok().map(Row::CheckIn),
            "revocation" => serde_json::from_str(body).ok().map(Row::Revocation),
            _ => None,
        }
    }
}

/// Why a row was not applied: it waits for what it refers to, or it breaks a rule.
enum SetAside {
    Waiting(String),
    Refused(String),
}

/// Applying one pull: the transaction, who applies it, and the server's themes that are
/// another id here.
struct Pull<'a> {
    tx: &'a store::Conn,
    desk: &'a Desk,
    at: &'a str,
    now: DateTime<Utc>,
    themes: HashMap<String, String>,
}

impl Pull<'_> {
    /// Applies the row, or sets it aside with the reason.
    fn settle(&mut self, row: Row, done: &mut Applied) -> Result<()> {
        match self.apply_row(&row, done)? {
            None => sql::unpark(self.tx, row.kind(), row.id()),
            Some(SetAside::Waiting(why)) => sql::park(
                self.tx,
                row.kind(),
                row.id(),
                &row.body(),
                &why,
                true,
                self.at,
            ),
            Some(SetAside::Refused(why)) => sql::park(
                self.tx,
                row.kind(),
                row.id(),
                &row.body(),
                &why,
                false,
                self.at,
            ),
        }
    }

    fn event_here(&self, id: &str) -> Result<bool> {
        Ok(store::event::get(self.tx, id)?.is_some())
    }

    fn point_here(&self, id: &Option<String>) -> Result<bool> {
        Ok(match id {
            None => true,
            Some(p) => store::point::get(self.tx, p)?.is_some(),
        })
    }

    fn apply_row(&mut self, row: &Row, done: &mut Applied) -> Result<Option<SetAside>> {
        let tx = self.tx;
        let refused = |why: String| Ok(Some(SetAside::Refused(why)));
        let waiting = |why: &str| Ok(Some(SetAside::Waiting(why.to_string())));
        match row {
            Row::Event(e) => {
                let Ok(key) = <[u8; 32]>::try_from(e.key.as_slice()) else {
                    return refused(Error::ServerEventKey(e.event.name.clone()).to_string());
                };
                if !package::entity_id_ok(&e.event.id)
                    || e.event.name.trim().is_empty()
                    || chrono::NaiveDate::parse_from_str(&e.event.date, "%Y-%m-%d").is_err()
                {
                    return refused("活动的编号、名称或日期无效".into());
                }
                let mut e = e.clone();
                // A sub-venue's desk serves the sub-venue only: the main event is not on it.
                if let Some(parent) = &e.event.parent_id {
                    if !self.event_here(parent)? {
                        e.event.parent_id = None;
                    }
                }
                if sql::put_event(tx, &e, &key, self.at)? {
                    done.events += 1;
                }
            }
            Row::Point(p) => {
                let mut p = p.clone();
                if let Some(t) = p.theme_id.as_ref().and_then(|t| self.themes.get(t)) {
                    p.theme_id = Some(t.clone());
                }
                if !package::entity_id_ok(&p.id) {
                    return refused("编号无效".into());
                }
                if let Some(why) = rules::point_problem(&p) {
                    return refused(why);
                }
                if !self.event_here(&p.event_id)? {
                    return waiting("它所属的活动还没有到本机");
                }
                if let Some(t) = &p.theme_id {
                    if !store::theme::list(tx)?.iter().any(|x| &x.id == t) {
                        return waiting("它的专题组还没有到本机");
                    }
                }
                if sql::put_point(tx, &p)? {
                    done.points += 1;
                }
                sql::mark_known(tx, &p.id, &point_digest(&p))?;
            }
            Row::Expert(x) => {
                if !package::entity_id_ok(&x.expert.id) || !package::version_ok(&x.updated_at) {
                    return refused("编号或修改时间无效".into());
                }
                if let Some(why) = rules::expert_problem(&x.expert) {
                    return refused(why);
                }
                // Erased here on request: the server's copy is not taken (it may still carry
                // the details), and this desk's erasure goes up again next round.
                if store::erased::contains(tx, &x.expert.id)? {
                    sql::mark_known(tx, &x.expert.id, &x.updated_at)?;
                    if store::expert::get(tx, &x.expert.id)?
                        .is_some_and(|e| e.name != x.expert.name || e.phone != x.expert.phone)
                    {
                        store::erased::touch(tx, &x.expert.id, self.at)?;
                    }
                    return Ok(None);
                }
                match sql::expert_versions(tx, &x.expert.id)? {
                    Some((local, known)) if local == x.updated_at => {
                        if known.as_deref() != Some(local.as_str()) {
                            sql::mark_known(tx, &x.expert.id, &x.updated_at)?;
                        }
                        return Ok(None);
                    }
                    // Edited here since the server last had it: ours goes up next round.
                    Some((local, known)) if known.as_deref() != Some(local.as_str()) => {
                        return Ok(None);
                    }
                    Some(_) => {
                        // What this desk had is on the server already (its own edit, sent, or
                        // an earlier version pulled), and an edit the server received since
                        // replaces it: what it said goes to the audit log.
                        override_expert(tx, x, self.desk, self.at)?;
                        done.overridden += 1;
                    }
                    None => {}
                }
                let mut x = x.clone();
                if sql::code_taken(tx, &x.expert.code, &x.expert.id)? {
                    let tail: String = x.expert.id.chars().take(4).collect();
                    x.expert.code = format!("{}-{tail}", x.expert.code);
                }
                sql::put_expert(tx, &x, &search::stored_keys(&x.expert.name))?;
                sql::mark_known(tx, &x.expert.id, &x.updated_at)?;
                done.experts += 1;
            }
            Row::SignUp(x) => {
                if !package::entity_id_ok(&x.signup.id) || !package::version_ok(&x.updated_at) {
                    return refused("编号或修改时间无效".into());
                }
                match sql::signup_versions(tx, &x.signup.id)? {
                    Some((local, _)) if local == x.updated_at => {
                        sql::mark_known(tx, &x.signup.id, &x.updated_at)?;
                        return Ok(None);
                    }
                    Some((local, known)) if known.as_deref() != Some(local.as_str()) => {
                        return Ok(None);
                    }
                    _ => {}
                }
                if !self.event_here(&x.signup.event_id)? {
                    return waiting("它所属的活动还没有到本机");
                }
                if store::expert::get(tx, &x.signup.expert_id)?.is_none() {
                    return waiting("报名的专家还没有到本机");
                }
                if !self.point_here(&x.signup.point_id)? {
                    return waiting("报名的服务点位还没有到本机");
                }
                let mut s = x.clone();
                s.signup.expert_id = store::expert::resolve(tx, &s.signup.expert_id)?;
                sql::put_signup(tx, &s)?;
                sql::mark_known(tx, &x.signup.id, &x.updated_at)?;
                done.signups += 1;
            }
            Row::CheckIn(ci) => {
                if let Some(why) = package::checkin_problem(ci, Some(self.now)) {
                    return refused(why);
                }
                if !self.event_here(&ci.event_id)? {
                    return waiting("它所属的活动还没有到本机");
                }
                if store::expert::get(tx, &ci.expert_id)?.is_none() {
                    return waiting("签到的专家还没有到本机");
                }
                if !self.point_here(&ci.point_id)? {
                    return waiting("签到的服务点位还没有到本机");
                }
                let mut ci = ci.clone();
                ci.expert_id = store::expert::resolve(tx, &ci.expert_id)?;
                if store::package::add_checkin(tx, &ci)? {
                    done.checkins += 1;
                }
                sql::mark_known(tx, &ci.id, "")?;
            }
            Row::Revocation(r) => {
                if let Some(why) = package::revocation_problem(r, Some(self.now)) {
                    return refused(why);
                }
                if !store::package::checkin_exists(tx, &r.checkin_id)? {
                    return waiting("被撤销的签到还没有到本机");
                }
                if store::package::add_revocation(tx, r)? {
                    done.revocations += 1;
                }
                sql::mark_known(tx, &r.id, "")?;
            }
        }
        Ok(None)
    }
}

/// A service point's version: a digest of its fields (points carry no edit time).
pub fn point_digest(p: &ServicePoint) -> String {
    use sha2::Digest;
    let body = serde_json::to_vec(p).unwrap_or_default();
    let d = sha2::Sha256::digest(&body);
    d.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// The rows set aside (up to `limit`) and how many there are.
pub fn parked(db: &Db, limit: usize) -> Result<(Vec<ParkedRow>, usize)> {
    let (rows, n) = sql::parked(db.conn(), limit as i64)?;
    Ok((rows, n as usize))
}

/// This desk's version of an expert, replaced by an edit the server received after it (another
/// desk's, or the office's): what it said stays in the audit log.
fn override_expert(tx: &store::Conn, x: &CentralExpert, desk: &Desk, at: &str) -> Result<()> {
    if let Some(old) = store::expert::get(tx, &x.expert.id)? {
        let detail = format!(
            "服务器上更新的版本（{} 所改）取代了本机的版本；本机原为：{} {} {} {} {}",
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
