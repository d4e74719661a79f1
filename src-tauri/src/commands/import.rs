//! The import wizard: preview a chosen file (mapping detected, or remembered, or corrected by
//! the user), commit it, save the report. Paths come from the native dialog in the UI.

use chrono::Utc;
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use tongxin_core::import::{self, Choices, Field, Kind, Mapping, OverCapacity, Preview, Report};
use tongxin_core::{export, mask_phone, service_points, Db};

use crate::commands::desk::current_event_id;
use crate::error::{CmdError, CmdResult};
use crate::state::AppState;

#[derive(Serialize)]
pub struct SampleRow {
    row: usize,
    action: import::Action,
    name: String,
    organisation: String,
    title: String,
    phone_masked: String,
    group_text: String,
    point_name: Option<String>,
    /// Beyond the point's places: waits there unless the user accepts it over capacity.
    beyond_capacity: bool,
}

/// A row of a service-point sheet as the preview shows it.
#[derive(Serialize)]
pub struct SamplePoint {
    row: usize,
    action: import::Action,
    name: String,
    theme: String,
    address: String,
    contact: String,
    capacity: i64,
    depart_time: String,
    bus: String,
}

/// A ledger row as the preview shows it.
#[derive(Serialize)]
pub struct SampleActivity {
    row: usize,
    action: import::Action,
    date: String,
    district: String,
    name: String,
    kind: String,
    participations: i64,
    enterprises: i64,
    people: i64,
    /// Experts on file the row names (linked as people, not only counted).
    experts_linked: usize,
}

#[derive(Serialize)]
pub struct PreviewView {
    file_name: String,
    sheet: String,
    header_row: usize,
    remembered: bool,
    mapping: Mapping,
    fields: &'static [Field],
    counts: import::Counts,
    problems: Vec<import::Problem>,
    problem_total: usize,
    sample: Vec<SampleRow>,
    sample_points: Vec<SamplePoint>,
    sample_activities: Vec<SampleActivity>,
    /// Points the list sends more people to than they have places, with the rows beyond.
    overflow: Vec<import::Overflow>,
    /// Rows whose phone is on file under another name, each with its choice.
    shared_phones: Vec<import::SharedPhoneRow>,
}

/// Tells the window how far a long import is (`import-progress`: phase, done, total).
fn reporter(app: &AppHandle) -> impl FnMut(import::Progress) + '_ {
    move |p| {
        let _ = app.emit("import-progress", p);
    }
}

/// The preview of a table already read (read before the database is taken: a desk's scan
/// never waits behind a file being read and decoded).
fn build(
    app: &AppHandle,
    db: &Db,
    event_id: &str,
    table: &import::read::Table,
    kind: Kind,
    mapping: Option<Mapping>,
    choices: &Choices,
) -> CmdResult<(Preview, bool)> {
    let (mapping, remembered) = match mapping {
        Some(m) => (Some(m), false),
        None => match import::header::detect(table, kind) {
            Some(d) => match import::remembered_mapping(db, &d)? {
                Some(m) => (Some(m), true),
                None => (Some(d), false),
            },
            None => (None, false),
        },
    };
    Ok((
        import::preview_decided(
            db,
            event_id,
            table,
            mapping,
            kind,
            choices,
            &mut reporter(app),
        )?,
        remembered,
    ))
}

#[tauri::command(async)]
pub fn import_preview(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    kind: Kind,
    mapping: Option<Mapping>,
    choices: Option<Choices>,
) -> CmdResult<PreviewView> {
    let path = state.chosen_for_reading(&path)?;
    let table = import::read::read_file(&path)?;
    let choices = choices.unwrap_or_default();
    // Checked on a connection of its own: the desk's scans never wait for a list's preview.
    state.with_reader(|db| {
        let ev = current_event_id(db)?;
        let (p, remembered) = build(&app, db, &ev, &table, kind, mapping, &choices)?;
        view(db, &ev, &path, &p, remembered)
    })
}

/// What the window shows of a preview: counts, problems, the first rows of each kind.
fn view(
    db: &Db,
    ev: &str,
    path: &std::path::Path,
    p: &Preview,
    remembered: bool,
) -> CmdResult<PreviewView> {
    let points = service_points::list(db, ev)?;
    let sample = p
        .rows
        .iter()
        .take(60)
        .map(|r| SampleRow {
            row: r.row,
            action: r.action,
            name: r.expert.name.clone(),
            organisation: r.expert.organisation.clone(),
            title: r.expert.title.clone(),
            phone_masked: mask_phone(&r.expert.phone),
            group_text: r.group_text.clone(),
            point_name: r
                .point_id
                .as_ref()
                .and_then(|id| points.iter().find(|x| &x.id == id))
                .map(|x| x.name.clone()),
            beyond_capacity: r.beyond_capacity,
        })
        .collect();
    let themes = service_points::themes(db)?;
    let sample_points = p
        .points
        .iter()
        .take(60)
        .map(|r| SamplePoint {
            row: r.row,
            action: r.action,
            name: r.point.name.clone(),
            theme: if r.new_theme {
                r.theme_name.clone()
            } else {
                r.point
                    .theme_id
                    .as_ref()
                    .and_then(|id| themes.iter().find(|t| &t.id == id))
                    .map(|t| t.name.clone())
                    .unwrap_or_default()
            },
            address: r.point.address.clone(),
            contact: r.point.contact.clone(),
            capacity: r.point.capacity,
            depart_time: r.point.depart_time.clone(),
            bus: r.point.bus.clone(),
        })
        .collect();
    let sample_activities = p
        .activities
        .iter()
        .take(60)
        .map(|r| SampleActivity {
            row: r.row,
            action: r.action,
            date: r.activity.date.clone(),
            district: r.activity.district.clone(),
            name: r.activity.name.clone(),
            kind: r.activity.kind.clone(),
            participations: r.activity.participations,
            enterprises: r.activity.enterprises,
            people: r.activity.people,
            experts_linked: r.experts.len(),
        })
        .collect();
    Ok(PreviewView {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sheet: p.sheet.clone(),
        header_row: p.header_row,
        remembered,
        problem_total: p.problems.len(),
        problems: p.problems.iter().take(500).cloned().collect(),
        mapping: p.mapping.clone(),
        fields: import::fields_for(p.kind),
        counts: p.counts,
        sample,
        sample_points,
        sample_activities,
        overflow: p.overflow.clone(),
        shared_phones: p.shared_phones.clone(),
    })
}

#[tauri::command(async)]
pub fn import_commit(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    kind: Kind,
    mapping: Option<Mapping>,
    over_capacity: Option<OverCapacity>,
    choices: Option<Choices>,
) -> CmdResult<import::Committed> {
    let path = state.chosen_for_reading(&path)?;
    let table = import::read::read_file(&path)?;
    let choices = choices.unwrap_or_default();
    // The list is checked on a connection of its own; the desk's is taken for the write alone.
    // Anything committed meanwhile (a walk-in, a merge, a sync) and the check is made again
    // under the desk's connection, so the write never acts on an old picture.
    let seen = state.db()?.version()?;
    let (ev, planned) = state.with_reader(|db| {
        let ev = current_event_id(db)?;
        let (p, _) = build(&app, db, &ev, &table, kind, mapping.clone(), &choices)?;
        Ok((ev, p))
    })?;
    let mut db = state.db()?;
    let p = if db.version()? == seen {
        planned
    } else {
        build(&app, &db, &ev, &table, kind, mapping, &choices)?.0
    };
    let done = import::commit_and_remember(
        &mut db,
        &ev,
        &p,
        over_capacity.unwrap_or_default(),
        &state.desk(),
        Utc::now(),
        &mut reporter(&app),
    )?;
    state.invalidate_index();
    crate::state::rebuild_index_soon(&app);
    Ok(done)
}

#[tauri::command(async)]
pub fn undo_last_import(state: State<'_, AppState>) -> CmdResult<import::Undone> {
    let mut db = state.db()?;
    let ev = current_event_id(&db)?;
    let u = import::undo_last(&mut db, &ev, &state.desk(), Utc::now())?;
    state.invalidate_index();
    Ok(u)
}

#[tauri::command(async)]
pub fn save_import_report(
    state: State<'_, AppState>,
    path: String,
    report: Report,
) -> CmdResult<()> {
    let file = state.chosen_for_writing(&path)?;
    export::save(&file, import::report_csv(&report).as_bytes()).map_err(|e| {
        CmdError::new(
            "io",
            format!("无法保存报告到 {path}：{e}。请换一个位置或检查磁盘空间。"),
        )
    })
}
