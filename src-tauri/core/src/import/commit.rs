//! Writing a preview in one transaction, and the report of what it did.

use chrono::{DateTime, Utc};

use super::undo::UndoLog;
use super::{
    activities, capacity, points, preview, read, signups, Action, Kind, OverCapacity, Phase,
    Preview, Progress, Report, Severity, PROGRESS_EVERY,
};
use crate::{clock, search, store, Db, Desk, Result};

/// Writes a preview in one transaction: all of it or, on any failure, none of it. The rows
/// beyond a point's places wait there, or with [`OverCapacity::Register`] are registered.
pub fn commit(
    db: &mut Db,
    event_id: &str,
    preview: &Preview,
    over: OverCapacity,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Report> {
    commit_with(db, event_id, preview, over, desk, now, &mut |_| {})
}

/// [`commit`], telling `progress` how far it is.
pub fn commit_with(
    db: &mut Db,
    event_id: &str,
    preview: &Preview,
    over: OverCapacity,
    desk: &Desk,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report> {
    if preview.counts.added == 0 && preview.counts.updated == 0 {
        // Nothing new: not even an audit line, the file stays as it was.
        return Ok(report(preview, over, false));
    }
    let at = clock::to_db(now);
    // A long list touches the tables' indexes everywhere: a larger page cache while it is written
    // saves re-reading their pages (the default comes back after).
    let large = preview.rows.len() > 5_000;
    if large {
        store::space::set_cache_kib(db.conn(), BULK_CACHE_KIB)?;
    }
    let written = write_all(db, event_id, preview, over, desk, &at, progress);
    if large {
        store::space::set_cache_kib(db.conn(), store::space::DEFAULT_CACHE_KIB)?;
    }
    written?;
    Ok(report(preview, over, true))
}

/// The page cache while a long list is written (64 MiB; only what is touched is used).
const BULK_CACHE_KIB: i64 = 64 * 1024;

fn write_all(
    db: &mut Db,
    event_id: &str,
    preview: &Preview,
    over: OverCapacity,
    desk: &Desk,
    at: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let at = at.to_string();
    let tx = db.conn_mut().transaction()?;
    let mut undo = UndoLog::default();
    let batch = store::new_id();
    points::write(&tx, &preview.points, &mut undo.points)?;
    activities::write(&tx, &preview.activities, &batch, &at, &mut undo.activities)?;
    let total = preview.rows.len();
    for (i, r) in preview.rows.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(Progress {
                phase: Phase::Writing,
                done: i,
                total,
            });
        }
        let expert_id = match r.action {
            Action::Skip | Action::Unchanged => continue,
            Action::Add => {
                store::expert::insert(&tx, &r.expert, &search::stored_keys(&r.expert.name), &at)?;
                undo.added_experts.push(r.expert.id.clone());
                r.expert.id.clone()
            }
            Action::Update => {
                if let Some(before) = store::expert::get(&tx, &r.expert.id)? {
                    undo.updated_experts.push(before);
                }
                store::expert::update(&tx, &r.expert, &search::stored_keys(&r.expert.name), &at)?;
                r.expert.id.clone()
            }
        };
        if preview.kind == Kind::Signups {
            signups::write(&tx, event_id, r, &expert_id, over, &at, &mut undo)?;
        }
    }
    let c = preview.counts;
    let mut summary = format!(
        "{} 新增 {} 更新 {} 未变 {} 跳过 {}",
        preview.sheet, c.added, c.updated, c.unchanged, c.skipped
    );
    let beyond: usize = preview.overflow.iter().map(|o| o.rows.len()).sum();
    if beyond > 0 {
        summary.push_str(&match over {
            OverCapacity::Waitlist => format!(" 候补 {beyond}"),
            OverCapacity::Register => format!(" 超额 {beyond}"),
        });
    }
    store::audit::append(&tx, &at, desk, "import", "event", event_id, &summary)?;
    let undo_json = serde_json::to_string(&undo).unwrap_or_default();
    store::import_batch::insert(&tx, &batch, &at, desk, event_id, &summary, &undo_json)?;
    tx.commit()?;
    Ok(())
}

fn report(p: &Preview, over: OverCapacity, committed: bool) -> Report {
    Report {
        sheet: p.sheet.clone(),
        header_row: p.header_row,
        kind: p.kind,
        committed,
        counts: p.counts,
        problems: p.problems.clone(),
        over_capacity: over,
        overflow: p
            .overflow
            .iter()
            .map(|o| capacity::outcome(o, over, committed))
            .collect(),
    }
}

/// How [`import_file`] takes a file.
#[derive(Debug, Clone, Copy)]
pub struct FileImport {
    pub kind: Kind,
    pub over_capacity: OverCapacity,
    /// Check and report, change nothing.
    pub dry_run: bool,
}

/// Reads, previews and (unless `dry_run`) commits a file.
pub fn import_file(
    db: &mut Db,
    event_id: &str,
    path: &std::path::Path,
    how: FileImport,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Report> {
    let table = read::read_file(path)?;
    let p = preview(db, event_id, &table, None, how.kind)?;
    if how.dry_run {
        return Ok(report(&p, how.over_capacity, false));
    }
    commit(db, event_id, &p, how.over_capacity, desk, now)
}

/// The report as CSV (UTF-8 with BOM, so Excel opens it), formula-like text neutralised.
pub fn report_csv(r: &Report) -> String {
    let cell = crate::export::csv::field;
    let mut out = String::from("\u{FEFF}");
    out.push_str(&format!(
        "{},{},{},{}\r\n",
        cell("新增"),
        cell("更新"),
        cell("未变"),
        cell("跳过")
    ));
    out.push_str(&format!(
        "{},{},{},{}\r\n\r\n",
        r.counts.added, r.counts.updated, r.counts.unchanged, r.counts.skipped
    ));
    // The places first: who waits where is what the organisers ask about next.
    for o in &r.overflow {
        out.push_str(&format!("{}\r\n", cell(&o.message)));
    }
    if !r.overflow.is_empty() {
        out.push_str("\r\n");
    }
    out.push_str("\"行\",\"列\",\"级别\",\"说明\"\r\n");
    for p in &r.problems {
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            p.row,
            cell(p.column.as_deref().unwrap_or("")),
            cell(match p.severity {
                Severity::Error => "错误",
                Severity::Warning => "提醒",
            }),
            cell(&p.message)
        ));
    }
    out
}
