//! One round of sync: push what this desk has not sent, pull what changed for its venues,
//! and say hello (the dashboard's "last heard of" and the desk's backlog).

use chrono::Utc;
use serde::Serialize;
use tongxin_core::{central, Applied, Db, Desk, Inbox, ParkedRow};

use crate::{pull, push, server, Link, Result};

/// What a round did.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The events (venues) this login serves.
    pub events: Vec<String>,
    pub pushed: usize,
    pub pulled: Applied,
    /// Rows still to upload after the round (0 unless the round was cut short).
    pub unsent: i64,
    /// The server's snapshot pulled up to (see `pull`).
    pub cursor: String,
    #[serde(flatten)]
    pub notes: Notes,
}

/// What a round has to say besides its counts: which server, and what it could not carry.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Notes {
    /// The server's id (see `server::id`).
    pub server_id: String,
    /// The server is not the one this desk synced with before (rebuilt or restored): this
    /// round pulled from the start and offered it everything again.
    pub new_server: bool,
    /// Rows the server refused this round, each with what and why (they stay on the desk).
    pub refused: Vec<String>,
    /// Pulled rows set aside (a few, and how many in all).
    pub parked: Vec<ParkedRow>,
    pub parked_total: usize,
    /// Events on this desk with sign-ups or check-ins that this login does not sync (not
    /// published, made on the laptop, or another login's): id and name.
    pub not_synced: Vec<(String, String)>,
}

/// The events this login may sync.
pub async fn my_events(link: &Link) -> Result<Vec<String>> {
    Ok(link
        .client
        .query("SELECT tongxin.my_events() ORDER BY 1", &[])
        .await
        .map_err(|e| link.err(e))?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Push, then pull, then hello. Each step commits on its own: a round cut anywhere leaves
/// both sides consistent and the next round carries on.
pub async fn round(link: &mut Link, db: &mut Db, desk: &Desk, batch: usize) -> Result<Report> {
    let (events, server_id) = match (&link.venues, &link.server_id) {
        (Some(v), Some(id)) => (v.clone(), id.clone()),
        _ => {
            server::check(link).await?;
            let v = my_events(link).await?;
            let id = server::id(link).await?;
            link.venues = Some(v.clone());
            link.server_id = Some(id.clone());
            (v, id)
        }
    };
    let mut new_server = central::note_server_id(db, &server_id)?;
    central::note_events(db, &events)?;
    let pushed = push::push(link, db, &events, desk, batch).await?;
    if pushed.sent > 0 {
        wake_the_venues(link, &events).await;
    }
    let since = central::cursor(db)?;
    let (mut inbox, mut snapshot) = pull::pull(link, &since).await?;
    if central::cursor_xmax(&snapshot) < central::cursor_xmax(&since) {
        // The server's transactions are numbered below what this desk saw: restored from a
        // backup under the same id, or a crash forgot transactions that wrote nothing. Start
        // over: what was pulled from the beginning is exact, and whatever it lacks goes up.
        central::start_over(db)?;
        new_server = true;
        push::push(link, db, &events, desk, batch).await?;
        (inbox, snapshot) = pull::pull(link, central::FIRST_CURSOR).await?;
    }
    let pulled = apply_in_parts(db, inbox, desk)?;
    let unsent = central::unsent(db, &events)?;
    // hello() writes and commits (synchronous_commit is on for this connection): once it
    // returns, the server's record of transaction numbers is on its disk past the snapshot
    // just read, so no transaction after a crash can take a number the cursor has passed.
    link.client
        .query(
            "SELECT tongxin.hello($1, $2, $3)",
            &[&desk.id, &desk.name, &unsent],
        )
        .await
        .map_err(|e| link.err(e))?;
    central::set_cursor(db, &snapshot)?;
    let (parked, parked_total) = central::parked(db, 20)?;
    let not_synced = central::events_not_synced(db, &events)?;
    Ok(Report {
        events,
        pushed: pushed.sent,
        pulled,
        unsent,
        cursor: snapshot,
        notes: Notes {
            server_id,
            new_server,
            refused: pushed.refused,
            parked,
            parked_total,
            not_synced,
        },
    })
}

/// Tells the listening desks and dashboards of the venues that rows arrived. Sent after the
/// push committed, on its own: a notification queue filled by someone else can delay a
/// wake-up, never a check-in.
async fn wake_the_venues(link: &Link, events: &[String]) {
    for ev in events {
        let _ = link
            .client
            .execute("SELECT pg_catalog.pg_notify('tongxin', $1)", &[ev])
            .await;
    }
}

/// Rows applied per local transaction: the desk's own check-in waits for at most one part.
const PART: usize = 2000;

/// Applies a pull in short transactions — reference rows first, then the people, their
/// sign-ups and the log — so that a venue's first pull of a long list never holds the desk's
/// file for long (a check-in waits its turn behind one part, never behind the whole list).
fn apply_in_parts(db: &mut Db, inbox: Inbox, desk: &Desk) -> Result<Applied> {
    let mut total = Applied::default();
    let mut add = |db: &mut Db, part: Inbox| -> Result<()> {
        if part.is_empty() {
            return Ok(());
        }
        let a = central::apply(db, &part, desk, Utc::now())?;
        total.events += a.events;
        total.points += a.points;
        total.experts += a.experts;
        total.signups += a.signups;
        total.checkins += a.checkins;
        total.revocations += a.revocations;
        total.overridden += a.overridden;
        total.parked = a.parked;
        Ok(())
    };
    let Inbox {
        events,
        themes,
        points,
        experts,
        signups,
        checkins,
        revocations,
    } = inbox;
    add(
        db,
        Inbox {
            events,
            themes,
            points,
            ..Inbox::default()
        },
    )?;
    for part in experts.chunks(PART) {
        add(
            db,
            Inbox {
                experts: part.to_vec(),
                ..Inbox::default()
            },
        )?;
    }
    for part in signups.chunks(PART) {
        add(
            db,
            Inbox {
                signups: part.to_vec(),
                ..Inbox::default()
            },
        )?;
    }
    for part in checkins.chunks(PART) {
        add(
            db,
            Inbox {
                checkins: part.to_vec(),
                ..Inbox::default()
            },
        )?;
    }
    for part in revocations.chunks(PART) {
        add(
            db,
            Inbox {
                revocations: part.to_vec(),
                ..Inbox::default()
            },
        )?;
    }
    Ok(total)
}

/// Publishes `event` (and its sub-venues), or every event of the database, to the server as
/// its owner, and records the rows as known there.
pub async fn publish(link: &mut Link, db: &mut Db, event: Option<&str>) -> Result<usize> {
    server::check(link).await?;
    // A rebuilt server lacks what was published to the one before: publish everything again.
    central::note_server_id(db, &server::id(link).await?)?;
    let p = central::publication(db, event)?;
    push::publish(link, &p).await?;
    central::mark_published(db, &p)?;
    Ok(p.events.len())
}
