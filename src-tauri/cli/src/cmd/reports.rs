//! What the day looks like so far: expected and present, the totals, the audit log.

use anyhow::Result;
use tongxin_core::{attendance, audit, export, Checkpoint, Db};

use super::event;
use crate::print::{outln, print};

#[derive(clap::Args)]
pub struct AttendanceArgs {
    #[arg(long)]
    event: Option<String>,
    #[arg(long, default_value = "main")]
    checkpoint: String,
}

#[derive(clap::Args)]
pub struct StatsArgs {
    #[arg(long)]
    event: Option<String>,
}

#[derive(clap::Args)]
pub struct AuditArgs {
    #[arg(long, default_value_t = 50)]
    limit: i64,
}

pub fn attendance(db: &Db, a: AttendanceArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let a = attendance::attendance(db, &ev, &Checkpoint::parse(&a.checkpoint))?;
    print(json, &a, |a| {
        outln!(
            "应到 {}  实到 {}  现场补录 {}",
            a.expected,
            a.present,
            a.walk_ins
        );
        for g in &a.groups {
            outln!(
                "  {}\t{}\t{}/{}",
                g.theme_name.as_deref().unwrap_or("-"),
                g.point_name,
                g.present,
                g.expected
            );
        }
    })
}

/// The day's totals, as `export summary` writes them.
pub fn stats(db: &Db, a: StatsArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let s = export::summary::summary(db, &ev)?;
    print(json, &s, |s| {
        let v = &s.venue;
        outln!(
            "{}：应到 {}  实到 {}  现场补录 {}",
            v.label,
            v.expected,
            v.present,
            v.walk_ins
        );
        for g in &s.groups {
            outln!(
                "  {}\t{}\t应到 {}\t上午 {}\t点位 {}",
                g.theme,
                g.point,
                g.expected,
                g.present_morning,
                g.present_at_point
            );
        }
    })
}

pub fn audit(db: &Db, a: AuditArgs, json: bool) -> Result<()> {
    print(json, &audit::recent(db, a.limit)?, |l| {
        for e in l {
            outln!(
                "{}\t{}\t{}\t{}\t{}",
                e.local_time,
                e.desk_name,
                e.action,
                e.entity_id,
                e.detail
            );
        }
    })
}
