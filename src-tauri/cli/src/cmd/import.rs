//! Importing the organisers' lists, and undoing the last import as a whole.

use std::path::PathBuf;

use anyhow::Result;
use chrono::Utc;
use tongxin_core::import::{self, Choices, OverCapacity, SharedPhone};
use tongxin_core::Db;

use super::{desk, event};
use crate::print::{outln, print};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ImportKind {
    /// Experts only.
    Experts,
    /// Experts with their group for the event (creates experts and sign-ups).
    Signups,
    /// The event's service points (theme, address, contact, capacity, departure, bus).
    Points,
    /// The year's activity ledger (活动台账): date, district, activity, kind, counts.
    Activities,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    file: PathBuf,
    #[arg(long, value_enum, default_value = "signups")]
    kind: ImportKind,
    #[arg(long)]
    event: Option<String>,
    /// Check and report, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Register the rows beyond a point's places anyway (over capacity) instead of putting
    /// them on its waiting list.
    #[arg(long)]
    over_capacity: bool,
    /// A row whose phone is on file under another name (同号不同名): ROW=same (the person on
    /// file, updated from the row), ROW=another (another person sharing the phone: the
    /// default) or ROW=skip. Repeatable.
    #[arg(long = "shared-phone", value_name = "ROW=same|another|skip", value_parser = shared_phone)]
    shared_phone: Vec<(usize, SharedPhone)>,
    #[arg(long, default_value = "命令行")]
    desk: String,
}

fn shared_phone(s: &str) -> std::result::Result<(usize, SharedPhone), String> {
    let (row, choice) = s
        .split_once('=')
        .ok_or_else(|| format!("“{s}”应写成 行号=same|another|skip"))?;
    let row = row
        .trim()
        .parse()
        .map_err(|_| format!("行号“{row}”不是数字"))?;
    let choice = match choice.trim() {
        "same" => SharedPhone::Same,
        "another" => SharedPhone::Another,
        "skip" => SharedPhone::Skip,
        other => return Err(format!("“{other}”应为 same、another 或 skip")),
    };
    Ok((row, choice))
}

#[derive(clap::Args)]
pub struct UndoImportArgs {
    #[arg(long)]
    event: Option<String>,
    #[arg(long, default_value = "命令行")]
    desk: String,
}

/// Prints the report: the counts, who waits or goes over capacity, every problem with its row.
pub fn import(db: &mut Db, a: ImportArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let how = import::FileImport {
        kind: match a.kind {
            ImportKind::Experts => import::Kind::Experts,
            ImportKind::Signups => import::Kind::Signups,
            ImportKind::Points => import::Kind::Points,
            ImportKind::Activities => import::Kind::Activities,
        },
        over_capacity: if a.over_capacity {
            OverCapacity::Register
        } else {
            OverCapacity::Waitlist
        },
        dry_run: a.dry_run,
        choices: Choices {
            shared_phone: a.shared_phone.into_iter().collect(),
        },
    };
    let r = import::import_file(db, &ev, &a.file, how, &desk(&a.desk), Utc::now())?;
    print(json, &r, |r| {
        outln!(
            "{}：新增 {}，更新 {}，未变 {}，跳过 {}",
            if r.committed {
                "已导入"
            } else {
                "预检（未写入）"
            },
            r.counts.added,
            r.counts.updated,
            r.counts.unchanged,
            r.counts.skipped
        );
        for o in &r.overflow {
            outln!("  {}", o.message);
        }
        if !r.committed && r.over_capacity == OverCapacity::Waitlist {
            if let Some(o) = r.overflow.first() {
                outln!(
                    "  如确需仍然报名（超额），导入时加 --over-capacity（{} 等点位将超出名额）。",
                    o.point
                );
            }
        }
        if r.shared_phones
            .iter()
            .any(|s| s.choice == SharedPhone::Another)
        {
            outln!("  同号不同名的行按另一人导入；如是同一人改名，导入时加 --shared-phone 行号=same，不导入则 =skip。");
        }
        for p in &r.problems {
            let column = p.column.as_deref().map(|c| format!("【{c}】"));
            outln!(
                "  第 {} 行{}：{}",
                p.row,
                column.unwrap_or_default(),
                p.message
            );
        }
    })
}

pub fn undo_last(db: &mut Db, a: UndoImportArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let u = import::undo_last(db, &ev, &desk(&a.desk), Utc::now())?;
    print(json, &u, |u| {
        outln!(
            "已撤销 {} 的导入（{}）：删除新增专家 {} 人，恢复被更新的 {} 人",
            u.imported_at,
            u.summary,
            u.removed_experts,
            u.restored_experts
        )
    })
}
