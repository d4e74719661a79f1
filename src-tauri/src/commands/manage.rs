//! Preparing the day in the window: the experts table (a window of rows at a time), the edit
//! form, merge and removal; the sign-up board with its waiting lists and suggestions; service
//! points; new events; QR badges.

use chrono::Utc;
use serde::Serialize;
use tauri::State;
use tongxin_core::directory::{self, Facets, TableQuery, TableRow};
use tongxin_core::events::{self, EventForm};
use tongxin_core::experts::{self, ExpertForm, Merged, Removed};
use tongxin_core::rollcall::{self, RosterRow};
use tongxin_core::service_points::{self, PointForm, SavedPoint};
use tongxin_core::signups::{self, Promoted, SignedUp, Suggestion};
use tongxin_core::{export, store, Error, Event, Expert, SignUp};

use crate::commands::desk::current_event_id;
use crate::error::{CmdError, CmdResult};
use crate::state::AppState;

#[derive(Serialize)]
pub struct TablePage {
    total: usize,
    /// Everyone on file (without the filters).
    all: usize,
    offset: usize,
    rows: Vec<TableRow>,
    facets: Option<Facets>,
}

/// A window of the experts table for the query: `offset..offset+limit` of the filtered,
/// searched and sorted rows (with the filters' values when `facets` is asked for).
#[tauri::command(async)]
pub fn experts_page(
    state: State<'_, AppState>,
    query: TableQuery,
    offset: usize,
    limit: usize,
    facets: bool,
) -> CmdResult<TablePage> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    let hits: Option<Vec<String>> = if query.query.trim().is_empty() {
        None
    } else {
        Some(state.with_index(&db, &ev, |ix| {
            ix.query(&query.query, 100_000)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        })?)
    };
    state.with_table(&db, &ev, |t| {
        let fresh = t.last.as_ref().is_none_or(|(q, _)| q != &query);
        if fresh {
            let order = directory::select(&t.rows, hits.as_deref(), &query);
            t.last = Some((query.clone(), order));
        }
        let order = t.last.as_ref().map(|(_, o)| o.as_slice()).unwrap_or(&[]);
        let limit = limit.min(500);
        TablePage {
            total: order.len(),
            all: t.rows.len(),
            offset,
            rows: order
                .iter()
                .skip(offset)
                .take(limit)
                .map(|i| t.rows[*i].clone())
                .collect(),
            facets: facets.then(|| directory::facets(&t.rows)),
        }
    })
}

#[derive(Serialize)]
pub struct ExpertDetail {
    expert: Expert,
    signups: Vec<SignUp>,
    has_checkins: bool,
}

#[tauri::command(async)]
pub fn expert_detail(state: State<'_, AppState>, id: String) -> CmdResult<ExpertDetail> {
    let db = state.db()?;
    let c = db.conn();
    let expert = store::expert::get(c, &id)?.ok_or(Error::ExpertNotFound(id.clone()))?;
    Ok(ExpertDetail {
        signups: store::signup::live_for_expert(c, &id)?,
        has_checkins: store::expert::has_checkins(c, &id)?,
        expert,
    })
}

/// Adds (no id) or edits an expert.
#[tauri::command(async)]
pub fn expert_save(
    state: State<'_, AppState>,
    id: Option<String>,
    form: ExpertForm,
) -> CmdResult<Expert> {
    let mut db = state.db()?;
    let e = match id {
        Some(id) => experts::edit(&mut db, &id, &form, &state.desk(), Utc::now())?,
        None => experts::add(&mut db, &form, &state.desk(), Utc::now())?,
    };
    state.invalidate_index();
    Ok(e)
}

#[tauri::command(async)]
pub fn expert_remove(state: State<'_, AppState>, id: String) -> CmdResult<Removed> {
    let mut db = state.db()?;
    let r = experts::remove(&mut db, &id, &state.desk(), Utc::now())?;
    state.invalidate_index();
    Ok(r)
}

#[tauri::command(async)]
pub fn expert_merge(state: State<'_, AppState>, keep: String, other: String) -> CmdResult<Merged> {
    let mut db = state.db()?;
    let m = experts::merge(&mut db, &keep, &other, &state.desk(), Utc::now())?;
    state.invalidate_index();
    Ok(m)
}

#[derive(Serialize)]
pub struct BoardPoint {
    id: String,
    name: String,
    short_name: String,
    theme: String,
    theme_id: Option<String>,
    address: String,
    contact: String,
    contact_phone: String,
    capacity: i64,
    depart_time: String,
    bus: String,
    registered: Vec<RosterRow>,
    waiting: Vec<RosterRow>,
}

#[derive(Serialize)]
pub struct Board {
    points: Vec<BoardPoint>,
    /// Signed up for the event without a service point (plenary only).
    unassigned: Vec<RosterRow>,
    themes: Vec<tongxin_core::Theme>,
}

/// The sign-up board: each service point with its people and waiting list.
#[tauri::command(async)]
pub fn signup_board(state: State<'_, AppState>) -> CmdResult<Board> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    let c = db.conn();
    let themes = store::theme::list(c)?;
    let everyone = store::attendance::roster(c, &ev, None)?;
    let points = store::point::list_for_event(c, &ev)?
        .into_iter()
        .map(|p| {
            let mine = |status| {
                everyone
                    .iter()
                    .filter(|r| r.point_id.as_deref() == Some(p.id.as_str()) && r.status == status)
                    .cloned()
                    .collect::<Vec<_>>()
            };
            BoardPoint {
                theme: p
                    .theme_id
                    .as_ref()
                    .and_then(|t| themes.iter().find(|x| &x.id == t))
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
                registered: mine(tongxin_core::SignUpStatus::Registered),
                waiting: mine(tongxin_core::SignUpStatus::Waiting),
                id: p.id,
                name: p.name,
                short_name: p.short_name,
                theme_id: p.theme_id,
                address: p.address,
                contact: p.contact,
                contact_phone: p.contact_phone,
                capacity: p.capacity,
                depart_time: p.depart_time,
                bus: p.bus,
            }
        })
        .collect();
    let unassigned = everyone
        .into_iter()
        .filter(|r| r.point_id.is_none())
        .collect();
    Ok(Board {
        points,
        unassigned,
        themes,
    })
}

#[tauri::command(async)]
pub fn signup_add(
    state: State<'_, AppState>,
    expert_id: String,
    point_id: Option<String>,
) -> CmdResult<SignedUp> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let r = signups::sign_up(
        &mut db,
        &ev,
        &expert_id,
        point_id.as_deref(),
        &state.desk(),
        Utc::now(),
    )?;
    state.invalidate_table();
    Ok(r)
}

#[tauri::command(async)]
pub fn signup_cancel(state: State<'_, AppState>, expert_id: String) -> CmdResult<Vec<Promoted>> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let r = signups::cancel(&mut db, &ev, &expert_id, &state.desk(), Utc::now())?;
    state.invalidate_table();
    Ok(r)
}

#[derive(Serialize)]
pub struct BulkMove {
    moved: usize,
    promoted: Vec<Promoted>,
}

/// Moves several experts to a point (or to none), all or nothing per expert: a full point
/// stops the batch with its message unless `over_capacity` is confirmed.
#[tauri::command(async)]
pub fn signup_move_many(
    state: State<'_, AppState>,
    expert_ids: Vec<String>,
    to_point_id: Option<String>,
    over_capacity: bool,
) -> CmdResult<BulkMove> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let mut out = BulkMove {
        moved: 0,
        promoted: Vec::new(),
    };
    for id in &expert_ids {
        let m = rollcall::move_to_point(
            &mut db,
            &ev,
            id,
            to_point_id.as_deref(),
            over_capacity,
            &state.desk(),
            Utc::now(),
        );
        match m {
            Ok(m) => {
                out.moved += 1;
                out.promoted.extend(m.promoted);
            }
            Err(e) => {
                state.invalidate_table();
                return Err(CmdError::from(e));
            }
        }
    }
    state.invalidate_table();
    Ok(out)
}

#[tauri::command(async)]
pub fn signup_suggestions(state: State<'_, AppState>) -> CmdResult<Vec<Suggestion>> {
    let db = state.db()?;
    let ev = current_event_id(&db)?;
    Ok(signups::suggest(&db, &ev)?)
}

/// Applies the suggestions as they are now (recomputed, so nobody lands on a full point).
#[tauri::command(async)]
pub fn signup_apply_suggestions(state: State<'_, AppState>) -> CmdResult<usize> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let list = signups::apply_suggestions(&mut db, &ev, &state.desk(), Utc::now())?;
    state.invalidate_table();
    Ok(list.len())
}

#[tauri::command(async)]
pub fn point_save(state: State<'_, AppState>, form: PointForm) -> CmdResult<SavedPoint> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let r = service_points::save(&mut db, &ev, &form, &state.desk(), Utc::now())?;
    state.invalidate_table();
    Ok(r)
}

#[derive(Serialize)]
pub struct Created {
    event: Event,
    copied_points: usize,
}

#[tauri::command(async)]
pub fn event_create(
    state: State<'_, AppState>,
    form: EventForm,
    copy_points_from: Option<String>,
) -> CmdResult<Created> {
    let mut db = state.db()?;
    let (event, copied_points) =
        events::create(&mut db, &form, copy_points_from.as_deref(), Utc::now())?;
    Ok(Created {
        event,
        copied_points,
    })
}

#[derive(Serialize)]
pub struct BadgesSaved {
    path: String,
    badges: usize,
    unprintable: Vec<export::pdf::Unprintable>,
}

/// The current event's badges — or table cards with `cards` — (one point's when given) as a
/// PDF at `path`.
#[tauri::command(async)]
pub fn badges_save(
    state: State<'_, AppState>,
    point_id: Option<String>,
    path: String,
    cards: Option<bool>,
) -> CmdResult<BadgesSaved> {
    let file = state.chosen_for_writing(&path)?;
    let (name, list) = {
        let db = state.db()?;
        let ev = current_event_id(&db)?;
        let name = store::event::get(db.conn(), &ev)?
            .map(|e| tongxin_core::demo::printed_name(&e))
            .unwrap_or_default();
        (name, export::badges::badges(&db, &ev, point_id.as_deref())?)
    };
    let bytes = if cards.unwrap_or(false) {
        export::badges::table_cards_pdf(&name, &list)?
    } else {
        export::badges::pdf(&name, &list)?
    };
    export::save(&file, &bytes)?;
    Ok(BadgesSaved {
        path,
        badges: list.len(),
        unprintable: export::badges::unprintable(&list)?,
    })
}

/// The name the badge save dialog proposes.
#[tauri::command(async)]
pub fn badges_file_name(
    state: State<'_, AppState>,
    point: Option<String>,
    cards: Option<bool>,
) -> CmdResult<String> {
    let db = state.db()?;
    let ev = tongxin_core::events::current(&db)?.ok_or_else(CmdError::no_event)?;
    Ok(export::file_name(
        &ev,
        point.as_deref().unwrap_or(&ev.short_name),
        if cards.unwrap_or(false) {
            "桌签"
        } else {
            "胸卡"
        },
        "pdf",
    ))
}
