//! Pushing: each batch of the outbox in one server transaction, as arrays unnested into
//! `INSERT … ON CONFLICT (id) DO NOTHING`, then marked known here. Cut anywhere, the batch is
//! sent again next time and the server keeps one copy of every row.
//!
//! Parents go first: service points, then sign-ups (the server checks an expert's edit against
//! the venue's sign-ups), then the people, then the log. A batch the server refuses (a row this
//! login may not write) is sent again row by row: the rows it takes go up, each refused one is
//! named in the round's report and the audit log, and none holds up the others.

use tokio_postgres::Transaction;
use tongxin_core::{central, Db, Inbox, Outbox};

use crate::{Link, Result, SyncError};

fn col<T, F: Fn(&T) -> V, V>(rows: &[T], f: F) -> Vec<V> {
    rows.iter().map(f).collect()
}

/// Writes the batch inside `tx`; returns the ids of the revocations the server now has (a
/// revocation whose check-in has not reached it yet waits for the next batch).
async fn write(
    tx: &Transaction<'_>,
    host: &str,
    out: &Outbox,
    desk_id: &str,
) -> Result<Vec<String>> {
    let er = |e| SyncError::from_pg(host, e);
    let p = &out.points;
    if !p.is_empty() {
        tx.execute(
            "INSERT INTO tongxin.point_edit (id, event_id, point_id, theme_id, theme_name, name,
                 short_name, address, contact, contact_phone, capacity, depart_time, bus,
                 sort_order, desk_id)
             SELECT u.point_id || '@' || u.digest, u.event_id, u.point_id, u.theme_id,
                    u.theme_name, u.name, u.short_name, u.address, u.contact, u.contact_phone,
                    u.capacity, u.depart_time, u.bus, u.sort_order, $15
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[],
                         $12::text[], $13::bigint[], $14::text[])
                  AS u(event_id, point_id, theme_id, theme_name, name, short_name, address,
                       contact, contact_phone, capacity, depart_time, bus, sort_order, digest)
             ON CONFLICT (id) DO NOTHING",
            &[
                &col(p, |x| x.point.event_id.clone()),
                &col(p, |x| x.point.id.clone()),
                &col(p, |x| x.point.theme_id.clone()),
                &col(p, |x| x.theme_name.clone()),
                &col(p, |x| x.point.name.clone()),
                &col(p, |x| x.point.short_name.clone()),
                &col(p, |x| x.point.address.clone()),
                &col(p, |x| x.point.contact.clone()),
                &col(p, |x| x.point.contact_phone.clone()),
                &col(p, |x| x.point.capacity),
                &col(p, |x| x.point.depart_time.clone()),
                &col(p, |x| x.point.bus.clone()),
                &col(p, |x| x.point.sort_order),
                &col(p, |x| x.digest.clone()),
                &desk_id,
            ],
        )
        .await
        .map_err(er)?;
    }
    let s = &out.signups;
    if !s.is_empty() {
        tx.execute(
            "INSERT INTO tongxin.signup_edit (id, event_id, signup_id, expert_id, point_id,
                 status, updated_at, desk_id)
             SELECT u.signup_id || '@' || u.updated_at, u.*, $7
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                  AS u(event_id, signup_id, expert_id, point_id, status, updated_at)
             ON CONFLICT (id) DO NOTHING",
            &[
                &col(s, |x| x.signup.event_id.clone()),
                &col(s, |x| x.signup.id.clone()),
                &col(s, |x| x.signup.expert_id.clone()),
                &col(s, |x| x.signup.point_id.clone()),
                &col(s, |x| x.signup.status.as_str().to_string()),
                &col(s, |x| x.updated_at.clone()),
                &desk_id,
            ],
        )
        .await
        .map_err(er)?;
    }
    // Only what the city needs of a person: gender, field and notes stay on the laptop.
    let x = &out.experts;
    if !x.is_empty() {
        tx.execute(
            "INSERT INTO tongxin.expert_edit (id, event_id, expert_id, code, name, party,
                 organisation, title, phone, archived, updated_at, desk_id)
             SELECT u.expert_id || '@' || u.updated_at, u.*, $11
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::text[], $8::text[], $9::bool[], $10::text[])
                  AS u(event_id, expert_id, code, name, party, organisation, title, phone,
                       archived, updated_at)
             ON CONFLICT (id) DO NOTHING",
            &[
                &col(x, |e| e.event_id.clone()),
                &col(x, |e| e.expert.id.clone()),
                &col(x, |e| e.expert.code.clone()),
                &col(x, |e| e.expert.name.clone()),
                &col(x, |e| e.expert.party.clone()),
                &col(x, |e| e.expert.organisation.clone()),
                &col(x, |e| e.expert.title.clone()),
                &col(x, |e| e.expert.phone.clone()),
                &col(x, |e| e.archived),
                &col(x, |e| e.updated_at.clone()),
                &desk_id,
            ],
        )
        .await
        .map_err(er)?;
    }
    let c = &out.checkins;
    if !c.is_empty() {
        tx.execute(
            "INSERT INTO tongxin.checkin (id, event_id, expert_id, point_id, at, desk_id,
                 desk_name, method)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::text[], $7::text[], $8::text[])
             ON CONFLICT (id) DO NOTHING",
            &[
                &col(c, |x| x.id.clone()),
                &col(c, |x| x.event_id.clone()),
                &col(c, |x| x.expert_id.clone()),
                &col(c, |x| x.point_id.clone()),
                &col(c, |x| x.at.clone()),
                &col(c, |x| x.desk_id.clone()),
                &col(c, |x| x.desk_name.clone()),
                &col(c, |x| x.method.clone()),
            ],
        )
        .await
        .map_err(er)?;
    }
    let r = &out.revocations;
    let mut revoked = Vec::new();
    if !r.is_empty() {
        let ids = col(r, |x| x.id.clone());
        tx.execute(
            "INSERT INTO tongxin.revocation (id, checkin_id, event_id, at, desk_id, desk_name,
                 reason)
             SELECT u.id, u.checkin_id, c.event_id, u.at, u.desk_id, u.desk_name, u.reason
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                  AS u(id, checkin_id, at, desk_id, desk_name, reason)
             JOIN tongxin.checkin c ON c.id = u.checkin_id
             ON CONFLICT (id) DO NOTHING",
            &[
                &ids,
                &col(r, |x| x.checkin_id.clone()),
                &col(r, |x| x.at.clone()),
                &col(r, |x| x.desk_id.clone()),
                &col(r, |x| x.desk_name.clone()),
                &col(r, |x| x.reason.clone()),
            ],
        )
        .await
        .map_err(er)?;
        revoked = tx
            .query(
                "SELECT id FROM tongxin.revocation WHERE id = ANY($1)",
                &[&ids],
            )
            .await
            .map_err(er)?
            .iter()
            .map(|row| row.get(0))
            .collect();
    }
    Ok(revoked)
}

/// Sends one batch in one transaction.
async fn send(link: &mut Link, out: &Outbox, desk_id: &str) -> Result<Vec<String>> {
    let host = link.host.clone();
    let tx = link
        .client
        .transaction()
        .await
        .map_err(|e| SyncError::from_pg(&host, e))?;
    let revoked = write(&tx, &host, out, desk_id).await?;
    tx.commit()
        .await
        .map_err(|e| SyncError::from_pg(&host, e))?;
    Ok(revoked)
}

/// One row of a batch, as a batch of its own (for sending row by row).
fn rows_of(out: &Outbox) -> Vec<(String, String, Outbox)> {
    let mut rows = Vec::with_capacity(out.len());
    for x in &out.points {
        let o = Outbox {
            points: vec![x.clone()],
            ..Outbox::default()
        };
        rows.push(("point".into(), format!("服务点位“{}”", x.point.name), o));
    }
    for x in &out.signups {
        let o = Outbox {
            signups: vec![x.clone()],
            ..Outbox::default()
        };
        rows.push(("signup".into(), format!("报名 {}", x.signup.id), o));
    }
    for x in &out.experts {
        let o = Outbox {
            experts: vec![x.clone()],
            ..Outbox::default()
        };
        rows.push((
            "expert".into(),
            format!("专家“{}”（{}）", x.expert.name, x.expert.code),
            o,
        ));
    }
    for x in &out.checkins {
        let o = Outbox {
            checkins: vec![x.clone()],
            ..Outbox::default()
        };
        rows.push(("checkin".into(), format!("签到 {}", x.id), o));
    }
    for x in &out.revocations {
        let o = Outbox {
            revocations: vec![x.clone()],
            ..Outbox::default()
        };
        rows.push(("revocation".into(), format!("撤销 {}", x.id), o));
    }
    rows
}

/// What a push did: rows sent, and the rows the server refused (what, why).
#[derive(Debug, Default)]
pub struct Pushed {
    pub sent: usize,
    pub refused: Vec<String>,
}

/// Pushes everything the server does not have for `events`, batch by batch. `batch` rows of
/// each kind per transaction.
pub async fn push(
    link: &mut Link,
    db: &mut Db,
    events: &[String],
    desk: &tongxin_core::Desk,
    batch: usize,
) -> Result<Pushed> {
    let mut done = Pushed::default();
    loop {
        let mut out = central::outbox(db, events, batch)?;
        if out.is_empty() {
            return Ok(done);
        }
        let revoked = match send(link, &out, &desk.id).await {
            Ok(revoked) => revoked,
            Err(e) if e.is_refusal() => {
                // Row by row: what the server takes goes up; what it refuses is said, and
                // marked as sent so that it is not offered again to this server.
                let mut revoked = Vec::new();
                for (_, what, one) in rows_of(&out) {
                    match send(link, &one, &desk.id).await {
                        Ok(r) => revoked.extend(r),
                        Err(e) if e.is_refusal() => {
                            let why = format!("{what}：{e}");
                            central::note_refused(db, &one, desk, &why, chrono::Utc::now())?;
                            revoked.extend(one.revocations.iter().map(|r| r.id.clone()));
                            done.refused.push(why);
                        }
                        Err(e) => return Err(e),
                    }
                }
                revoked
            }
            Err(e) => return Err(e),
        };
        out.revocations.retain(|r| revoked.contains(&r.id));
        central::mark_sent(db, &out)?;
        done.sent += out.len();
        if out.is_empty() {
            // Only revocations whose check-ins the server has not got: they wait.
            return Ok(done);
        }
    }
}

/// Publishes a laptop's day as the city office (the database's owner): events, themes,
/// points, experts and sign-ups become the reference rows desks pull; the day's check-ins so
/// far join the log. Rows already there and unchanged keep their revision.
pub async fn publish(link: &mut Link, p: &Inbox) -> Result<()> {
    let host = link.host.clone();
    let er = |e| crate::SyncError::from_pg(&host, e);
    let tx = link.client.transaction().await.map_err(er)?;
    for e in &p.events {
        let ev = &e.event;
        tx.execute(
            "INSERT INTO tongxin.event AS t (id, name, short_name, kind, parent_id, date, place,
                 district, key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name,
               short_name = excluded.short_name, date = excluded.date, place = excluded.place,
               district = excluded.district
             WHERE (t.name, t.short_name, t.date, t.place, t.district)
                   IS DISTINCT FROM (excluded.name, excluded.short_name, excluded.date,
                                     excluded.place, excluded.district)",
            &[
                &ev.id,
                &ev.name,
                &ev.short_name,
                &ev.kind.as_str(),
                &ev.parent_id,
                &ev.date,
                &ev.place,
                &e.district,
                &e.key,
            ],
        )
        .await
        .map_err(er)?;
    }
    for t in &p.themes {
        tx.execute(
            "INSERT INTO tongxin.theme AS t (id, name, sort_order) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name,
               sort_order = excluded.sort_order
             WHERE (t.name, t.sort_order) IS DISTINCT FROM (excluded.name, excluded.sort_order)",
            &[&t.id, &t.name, &t.sort_order],
        )
        .await
        .map_err(er)?;
    }
    for x in &p.points {
        tx.execute(
            "INSERT INTO tongxin.service_point AS t (id, event_id, theme_id, name, short_name,
                 address, contact, contact_phone, capacity, depart_time, bus, sort_order)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (id) DO UPDATE SET theme_id = excluded.theme_id, name = excluded.name,
               short_name = excluded.short_name, address = excluded.address,
               contact = excluded.contact, contact_phone = excluded.contact_phone,
               capacity = excluded.capacity, depart_time = excluded.depart_time,
               bus = excluded.bus, sort_order = excluded.sort_order
             WHERE (t.theme_id, t.name, t.short_name, t.address, t.contact, t.contact_phone,
                    t.capacity, t.depart_time, t.bus, t.sort_order)
                   IS DISTINCT FROM (excluded.theme_id, excluded.name, excluded.short_name,
                    excluded.address, excluded.contact, excluded.contact_phone,
                    excluded.capacity, excluded.depart_time, excluded.bus, excluded.sort_order)",
            &[
                &x.id,
                &x.event_id,
                &x.theme_id,
                &x.name,
                &x.short_name,
                &x.address,
                &x.contact,
                &x.contact_phone,
                &x.capacity,
                &x.depart_time,
                &x.bus,
                &x.sort_order,
            ],
        )
        .await
        .map_err(er)?;
    }
    for chunk in p.experts.chunks(5000) {
        tx.execute(
            "INSERT INTO tongxin.expert AS t (id, code, name, party, organisation, title, phone,
                 archived, updated_at)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::text[], $7::text[], $8::bool[], $9::text[])
             ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name,
               party = excluded.party, organisation = excluded.organisation,
               title = excluded.title, phone = excluded.phone, archived = excluded.archived,
               updated_at = excluded.updated_at
             WHERE t.updated_at IS DISTINCT FROM excluded.updated_at",
            &[
                &col(chunk, |e| e.expert.id.clone()),
                &col(chunk, |e| e.expert.code.clone()),
                &col(chunk, |e| e.expert.name.clone()),
                &col(chunk, |e| e.expert.party.clone()),
                &col(chunk, |e| e.expert.organisation.clone()),
                &col(chunk, |e| e.expert.title.clone()),
                &col(chunk, |e| e.expert.phone.clone()),
                &col(chunk, |e| e.archived),
                &col(chunk, |e| e.updated_at.clone()),
            ],
        )
        .await
        .map_err(er)?;
    }
    for chunk in p.signups.chunks(5000) {
        tx.execute(
            "INSERT INTO tongxin.signup AS t (id, event_id, expert_id, point_id, status, updated_at)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::text[])
             ON CONFLICT (id) DO UPDATE SET point_id = excluded.point_id,
               status = excluded.status, updated_at = excluded.updated_at
             WHERE t.updated_at IS DISTINCT FROM excluded.updated_at",
            &[
                &col(chunk, |x| x.signup.id.clone()),
                &col(chunk, |x| x.signup.event_id.clone()),
                &col(chunk, |x| x.signup.expert_id.clone()),
                &col(chunk, |x| x.signup.point_id.clone()),
                &col(chunk, |x| x.signup.status.as_str().to_string()),
                &col(chunk, |x| x.updated_at.clone()),
            ],
        )
        .await
        .map_err(er)?;
    }
    tx.commit().await.map_err(er)?;
    // The log as any desk would send it.
    let log = Outbox {
        checkins: p.checkins.clone(),
        revocations: p.revocations.clone(),
        ..Outbox::default()
    };
    for part in log.checkins.chunks(5000) {
        let out = Outbox {
            checkins: part.to_vec(),
            ..Outbox::default()
        };
        send(link, &out, "publish").await?;
    }
    for part in log.revocations.chunks(5000) {
        let out = Outbox {
            revocations: part.to_vec(),
            ..Outbox::default()
        };
        send(link, &out, "publish").await?;
    }
    Ok(())
}
