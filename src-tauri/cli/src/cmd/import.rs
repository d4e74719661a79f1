//! Importing the organisers' lists, and undoing the last import as a whole.

use std::path::PathBuf;

use anyhow::Result;
use chrono::Utc;
use tongxin_core::import::{self, OverCapacity};
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
    #[arg(long, default_value = "命令行")]
    desk: String,
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
