//! Pulling: the rows of this login's venues written since a revision (row-level security on
//! the server leaves out every other venue's), newest revision returned with them.

use tokio_postgres::Row;
use tongxin_core::{
    CentralEvent, CentralExpert, CentralSignUp, Event, EventKind, Expert, Inbox, PackCheckIn,
    PackRevocation, ServicePoint, SignUp, SignUpStatus, Theme,
};

use crate::{Link, Result};

/// Revisions re-pulled below the cursor: a transaction that commits late may carry revision
/// numbers lower than rows already seen. Applying a row twice changes nothing.
pub const OVERLAP: i64 = 1000;

async fn rows(link: &Link, sql: &str, since: i64) -> Result<Vec<Row>> {
    link.client
        .query(sql, &[&since])
        .await
        .map_err(|e| link.err(e))
}

fn max_rev(rows: &[Row], col: usize, top: &mut i64) {
    for r in rows {
        *top = (*top).max(r.get::<_, i64>(col));
    }
}

/// Everything visible with a revision above `since`, and the highest revision among it.
pub async fn pull(link: &Link, since: i64) -> Result<(Inbox, i64)> {
    let mut top = since;
    let ev = rows(
        link,
        "SELECT id, name, short_name, kind, parent_id, date, place, district, key, rev
         FROM tongxin.event WHERE rev > $1 ORDER BY kind = 'sub', rev",
        since,
    )
    .await?;
    max_rev(&ev, 9, &mut top);
    let themes = rows(
        link,
        "SELECT id, name, sort_order, rev FROM tongxin.theme WHERE rev > $1 ORDER BY rev",
        since,
    )
    .await?;
    max_rev(&themes, 3, &mut top);
    let points = rows(
        link,
        "SELECT id, event_id, theme_id, name, short_name, address, contact, contact_phone,
                capacity, depart_time, bus, sort_order, rev
         FROM tongxin.service_point WHERE rev > $1 ORDER BY rev",
        since,
    )
    .await?;
    max_rev(&points, 12, &mut top);
    let experts = rows(
        link,
        "SELECT id, code, name, gender, party, organisation, title, field, phone, notes,
                archived, updated_at, rev
         FROM tongxin.expert WHERE rev > $1 ORDER BY rev",
        since,
    )
    .await?;
    max_rev(&experts, 12, &mut top);
    let signups = rows(
        link,
        "SELECT id, event_id, expert_id, point_id, status, updated_at, rev
         FROM tongxin.signup WHERE rev > $1 ORDER BY rev",
        since,
    )
    .await?;
    max_rev(&signups, 6, &mut top);
    let checkins = rows(
        link,
        "SELECT id, event_id, expert_id, point_id, at, desk_id, desk_name, method, rev
         FROM tongxin.checkin WHERE rev > $1 ORDER BY rev",
        since,
    )
    .await?;
    max_rev(&checkins, 8, &mut top);
    let revocations = rows(
        link,
        "SELECT id, checkin_id, at, desk_id, desk_name, reason, rev
         FROM tongxin.revocation WHERE rev > $1 ORDER BY rev",
        since,
    )
    .await?;
    max_rev(&revocations, 6, &mut top);

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
                    gender: r.get(3),
                    party: r.get(4),
                    organisation: r.get(5),
                    title: r.get(6),
                    field: r.get(7),
                    phone: r.get(8),
                    notes: r.get(9),
                },
                archived: r.get(10),
                updated_at: r.get(11),
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
    Ok((inbox, top))
}
