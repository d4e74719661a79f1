//! Writing a preview in one transaction, and the report of what it did.

use chrono::{DateTime, Utc};

use super::undo::UndoLog;
use super::{
    activities, capacity, points, preview_decided, read, signups, Action, Choices, Kind,
    OverCapacity, Phase, PlannedRow, Preview, Progress, Report, Severity, PROGRESS_EVERY,
};
use crate::{clock, search, store, Db, Desk, Expert, Result};

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
    // A sign-up pointing nowhere still fails the whole list, at its commit.
    store::space::check_references_at_commit(&tx)?;
    let mut undo = UndoLog::default();
    let batch = store::new_id();
    points::write(&tx, &preview.points, &mut undo.points)?;
    activities::write(&tx, &preview.activities, &batch, &at, &mut undo.activities)?;
    let total = preview.rows.len();
    let set_aside = if adds_many(&tx, preview)? {
        Some(store::bulk::set_aside_lookups(&tx, "expert")?)
    } else {
        None
    };
    // The parts' search keys (each new name's pinyin) are worked out on the other core, a few
    // parts ahead of the writing: a tenth of the write's time at 100,000 rows.
    std::thread::scope(|s| -> Result<()> {
        let (send, keys) = std::sync::mpsc::sync_channel::<Vec<String>>(8);
        s.spawn(move || {
            for rows in preview.rows.chunks(store::ROWS_A_STATEMENT) {
                // The writer stopped (an error): nobody is waiting.
                if send.send(new_keys(rows)).is_err() {
                    break;
                }
            }
        });
        // A part of the list at a time: its new people in one statement, then its sign-ups in
        // another (the rows to update one by one, as they read what they change).
        for (part, rows) in preview.rows.chunks(store::ROWS_A_STATEMENT).enumerate() {
            let done = part * store::ROWS_A_STATEMENT;
            if done.is_multiple_of(PROGRESS_EVERY) {
                progress(Progress {
                    phase: Phase::Writing,
                    done,
                    total,
                });
            }
            let keys = keys.recv().unwrap_or_else(|_| new_keys(rows));
            let added: Vec<(&Expert, String)> = rows
                .iter()
                .filter(|r| r.action == Action::Add)
                .map(|r| &r.expert)
                .zip(keys)
                .collect();
            store::expert::insert_many(&tx, &added, &at)?;
            undo.added_experts
                .extend(added.iter().map(|(e, _)| e.id.clone()));
            let mut new_signups = Vec::new();
            for r in rows {
                match r.action {
                    Action::Skip | Action::Unchanged => continue,
                    Action::Add => {}
                    Action::Update => {
                        if let Some(before) = store::expert::get(&tx, &r.expert.id)? {
                            undo.updated_experts.push(before);
                        }
                        let keys = search::stored_keys(&r.expert.name);
                        store::expert::update(&tx, &r.expert, &keys, &at)?;
                    }
                }
                if preview.kind == Kind::Signups {
                    signups::write(&tx, event_id, r, over, &at, &mut undo, &mut new_signups)?;
                }
            }
            store::signup::insert_many(&tx, &new_signups, &at)?;
        }
        Ok(())
    })?;
    if let Some(s) = set_aside {
        store::bulk::rebuild(&tx, s)?;
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

/// The list at least doubles the experts on file (and is long): their name and phone indexes
/// are built once after its rows are in, sorted, rather than entered a row at a time in no order
/// (100,000 new people: 0.08 s instead of about 0.21 s). Below that, one sort of the whole
/// table would cost more than the new rows' own entries.
fn adds_many(tx: &store::Tx, preview: &Preview) -> Result<bool> {
    let adds = preview
        .rows
        .iter()
        .filter(|r| r.action == Action::Add)
        .count();
    Ok(adds >= REINDEX_FROM && adds as i64 >= store::expert::count(tx)?)
}

/// A list adding fewer people than this enters them in the indexes as it goes.
const REINDEX_FROM: usize = 5_000;

/// The search keys of the people a part of the list adds, in its order.
fn new_keys(rows: &[PlannedRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.action == Action::Add)
        .map(|r| search::stored_keys(&r.expert.name))
        .collect()
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
        shared_phones: p.shared_phones.clone(),
    }
}

/// How [`import_file`] takes a file.
#[derive(Debug, Clone)]
pub struct FileImport {
    pub kind: Kind,
    /// The answers for rows that need one (同号不同名); by default nobody is renamed.
    pub choices: Choices,
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
    let p = preview_decided(
        db,
        event_id,
        &table,
        None,
        how.kind,
        &how.choices,
        &mut |_| {},
    )?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::preview;
    use crate::testing;

    /// A sign-up list of `n` new people over the demo day's five groups, more than one part.
    fn signups_preview(db: &Db, n: usize) -> Preview {
        let groups = ["低空经济", "新材料", "生物医药", "文旅产业", "乡村振兴"];
        let mut csv = String::from("姓名,手机,工作单位,专题组\n");
        for i in 0..n {
            csv.push_str(&format!(
                "新人{i},139{i:08},某某大学,{}\n",
                groups[i % groups.len()]
            ));
        }
        let table = read::read_bytes(csv.as_bytes(), "报名.csv").unwrap();
        let p = preview(db, "2024-jinshan", &table, None, Kind::Signups).unwrap();
        assert_eq!(p.counts.added, n);
        p
    }

    /// Commits `p` at `minute` past nine.
    fn commit_at(db: &mut Db, p: &Preview, minute: u32) -> Result<Report> {
        let (over, desk) = (OverCapacity::Waitlist, testing::desk());
        commit(db, "2024-jinshan", p, over, &desk, testing::at(9, minute))
    }

    fn counts(db: &Db) -> (i64, i64, i64) {
        let n = |sql: &str| db.conn().query_row(sql, [], |r| r.get(0)).unwrap();
        (
            n("SELECT count(*) FROM expert"),
            n("SELECT count(*) FROM signup"),
            n("SELECT count(*) FROM import_batch"),
        )
    }

    #[test]
    fn a_list_that_fails_part_way_through_its_writing_changes_nothing() {
        // The list is written a part of 100 rows at a time; the 180th person's sign-up fails
        // (as a full disk would), after the first part's people and sign-ups were written.
        let mut db = testing::demo();
        let p = signups_preview(&db, 250);
        let before = counts(&db);
        let failing = &p.rows[179].expert.id;
        db.conn()
            .execute_batch(&format!(
                "CREATE TRIGGER full BEFORE INSERT ON signup WHEN NEW.expert_id = '{failing}'
                 BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
            ))
            .unwrap();
        let err = commit_at(&mut db, &p, 0);
        assert!(err.is_err(), "the failure is reported");
        assert_eq!(counts(&db), before, "not one of the 250 is in");
        // The same list goes in whole once the disk has room again.
        db.conn().execute_batch("DROP TRIGGER full").unwrap();
        let done = commit_at(&mut db, &p, 1);
        assert!(done.unwrap().committed);
        assert_eq!(counts(&db), (before.0 + 250, before.1 + 250, before.2 + 1));
    }

    #[test]
    fn a_sign_up_at_a_point_that_does_not_exist_fails_the_whole_list() {
        // Foreign keys are checked when the list commits rather than row by row: a sign-up
        // pointing nowhere (a point removed between the preview and the commit) still fails
        // the whole list.
        let mut db = testing::demo();
        let mut p = signups_preview(&db, 150);
        p.rows[120].point_id = Some("removed-point".into());
        let before = counts(&db);
        let err = commit_at(&mut db, &p, 0);
        assert!(err.is_err());
        assert_eq!(counts(&db), before);
    }

    #[test]
    fn a_long_list_that_fails_keeps_the_name_and_phone_indexes_and_one_that_succeeds_rebuilds_them()
    {
        // A list that at least doubles the experts on file drops their name and phone indexes
        // while it writes and builds them again at the end, inside its transaction.
        let mut db = testing::demo();
        let indexes = store::bulk::index_names(db.conn(), "expert").unwrap();
        assert!(indexes.iter().any(|i| i == "expert_name"));
        assert!(indexes.iter().any(|i| i == "expert_phone"));
        let p = signups_preview(&db, REINDEX_FROM + 10);
        let before = counts(&db);
        let last = &p.rows[REINDEX_FROM + 5].expert;
        db.conn()
            .execute_batch(&format!(
                "CREATE TRIGGER full BEFORE INSERT ON signup WHEN NEW.expert_id = '{}'
                 BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
                last.id
            ))
            .unwrap();
        assert!(commit_at(&mut db, &p, 0).is_err());
        assert_eq!(counts(&db), before);
        assert_eq!(
            store::bulk::index_names(db.conn(), "expert").unwrap(),
            indexes
        );
        db.conn().execute_batch("DROP TRIGGER full").unwrap();
        assert!(commit_at(&mut db, &p, 1).unwrap().committed);
        assert_eq!(
            store::bulk::index_names(db.conn(), "expert").unwrap(),
            indexes
        );
        // The rebuilt indexes hold the new people: found by name and by phone.
        let by_name = store::expert::by_name(db.conn(), &last.name).unwrap();
        assert_eq!(by_name.len(), 1);
        assert_eq!(by_name[0].id, last.id);
        let by_phone = store::expert::by_phone(db.conn(), &last.phone).unwrap();
        assert_eq!(by_phone.len(), 1);
        assert_eq!(
            db.conn()
                .query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
                .unwrap(),
            "ok"
        );
    }
}
