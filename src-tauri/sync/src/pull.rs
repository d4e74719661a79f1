//! Pulling: the rows of this login's venues written since the desk's watermark (row-level
//! security on the server leaves out every other venue's), read in one snapshot.
//!
//! Every row on the server carries `xid`, the transaction that wrote it. A pull reads in one
//! REPEATABLE READ snapshot S and takes the rows written by the transactions the previous
//! pull's snapshot P did not see: those at or above P's `xmax`, and those in flight when P was
//! taken (P's `xip`). A row invisible to P and visible to S is therefore taken by S's pull,
//! however long its transaction stayed open, and a transaction left open does not make every
//! later pull read more. The new cursor is S itself (`pg_current_snapshot()` as text). A row
//! is at most read again, and applying it twice changes nothing.

use tokio_postgres::{IsolationLevel, Row, Transaction};
use tongxin_core::{
    CentralEvent, CentralExpert, CentralSignUp, Event, EventKind, Expert, Inbox, PackCheckIn,
    PackRevocation, ServicePoint, SignUp, SignUpStatus, Theme,
};

use crate::{Link, Result, SyncError};

/// The rows written by a transaction the snapshot `$1` did not see.
const UNSEEN: &str = "(xid >= pg_catalog.pg_snapshot_xmax($1::text::pg_snapshot)
     OR xid = ANY (ARRAY(SELECT pg_catalog.pg_snapshot_xip($1::text::pg_snapshot))))";

async fn rows(tx: &Transaction<'_>, host: &str, sql: &str, since: &str) -> Result<Vec<Row>> {
    tx.query(sql, &[&since])
        .await
        .map_err(|e| SyncError::from_pg(host, e))
}

/// Everything visible that the snapshot `since` did not see, and the snapshot it was read in.
pub async fn pull(link: &mut Link, since: &str) -> Result<(Inbox, String)> {
    let host = link.host.clone();
    let er = |e| SyncError::from_pg(&host, e);
    let tx = link
        .client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(er)?;
    // The first statement takes the snapshot every later one reads.
    let snapshot: String = tx
        .query_one("SELECT pg_catalog.pg_current_snapshot()::text", &[])
        .await
        .map_err(er)?
        .get(0);
    let ev = rows(
        &tx,
        &host,
        &format!(
            "SELECT id, name, short_name, kind, parent_id, date, place, district, key
         FROM tongxin.event WHERE {UNSEEN} ORDER BY kind = 'sub', rev"
        ),
        since,
    )
    .await?;
    let themes = rows(
        &tx,
        &host,
        &format!("SELECT id, name, sort_order FROM tongxin.theme WHERE {UNSEEN} ORDER BY rev"),
        since,
    )
    .await?;
    let points = rows(
        &tx,
        &host,
        &format!(
            "SELECT id, event_id, theme_id, name, short_name, address, contact, contact_phone,
                capacity, depart_time, bus, sort_order
         FROM tongxin.service_point WHERE {UNSEEN} ORDER BY rev"
        ),
        since,
    )
    .await?;
    let experts = rows(
        &tx,
        &host,
        &format!(
            "SELECT id, code, name, party, organisation, title, phone, archived, updated_at
         FROM tongxin.expert WHERE {UNSEEN} ORDER BY rev"
        ),
        since,
    )
    .await?;
    let signups = rows(
        &tx,
        &host,
        &format!(
            "SELECT id, event_id, expert_id, point_id, status, updated_at
         FROM tongxin.signup WHERE {UNSEEN} ORDER BY rev"
        ),
        since,
    )
    .await?;
    let checkins = rows(
        &tx,
        &host,
        &format!(
            "SELECT id, event_id, expert_id, point_id, at, desk_id, desk_name, method
         FROM tongxin.checkin WHERE {UNSEEN} ORDER BY rev"
        ),
        since,
    )
    .await?;
    let revocations = rows(
        &tx,
        &host,
        &format!(
            "SELECT id, checkin_id, at, desk_id, desk_name, reason
         FROM tongxin.revocation WHERE {UNSEEN} ORDER BY rev"
        ),
        since,
    )
    .await?;
    tx.commit().await.map_err(er)?;

    let inbox = Inbox {
        events: ev
            .iter()
            .map(|r| CentralEvent {
                event: Event {
                    id: r.get(0),
                    name: r.get(1),
                    short_name: r.get(2),
                    kind: EventKind::parse(r.get(3)),
                    parent_id: r.get(4),
                    date: r.get(5),
                    place: r.get(6),
                },
                district: r.get(7),
                key: r.get(8),
            })
            .collect(),
        themes: themes
            .iter()
            .map(|r| Theme {
                id: r.get(0),
                name: r.get(1),
                sort_order: r.get(2),
            })
            .collect(),
        points: points
            .iter()
            .map(|r| ServicePoint {
                id: r.get(0),
                event_id: r.get(1),
                theme_id: r.get(2),
                name: r.get(3),
                short_name: r.get(4),
                address: r.get(5),
                contact: r.get(6),
                contact_phone: r.get(7),
                capacity: r.get(8),
                depart_time: r.get(9),
                bus: r.get(10),
                sort_order: r.get(11),
            })
            .collect(),
        experts: experts
            .iter()
            .map(|r| CentralExpert {
                expert: Expert {
                    id: r.get(0),
                    code: r.get(1),
                    name: r.get(2),
                    // Gender, field and notes stay on each laptop: the server has none.
                    gender: String::new(),
                    party: r.get(3),
                    organisation: r.get(4),
                    title: r.get(5),
                    field: String::new(),
                    phone: r.get(6),
                    notes: String::new(),
                },
                archived: r.get(7),
                updated_at: r.get(8),
                event_id: String::new(),
            })
            .collect(),
        signups: signups
            .iter()
            .map(|r| CentralSignUp {
                signup: SignUp {
                    id: r.get(0),
                    event_id: r.get(1),
                    expert_id: r.get(2),
                    point_id: r.get(3),
                    status: SignUpStatus::parse(r.get(4)),
                },
                updated_at: r.get(5),
            })
            .collect(),
        checkins: checkins
            .iter()
            .map(|r| PackCheckIn {
                id: r.get(0),
                event_id: r.get(1),
                expert_id: r.get(2),
                point_id: r.get(3),
                at: r.get(4),
                desk_id: r.get(5),
                desk_name: r.get(6),
                method: r.get(7),
            })
            .collect(),
        revocations: revocations
            .iter()
            .map(|r| PackRevocation {
                id: r.get(0),
                checkin_id: r.get(1),
                at: r.get(2),
                desk_id: r.get(3),
                desk_name: r.get(4),
                reason: r.get(5),
            })
            .collect(),
    };
    Ok((inbox, snapshot))
}
