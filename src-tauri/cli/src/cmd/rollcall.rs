//! Roll call at the service points: who is on a point's list, who has not arrived, and moving
//! an expert between points.

use anyhow::Result;
use chrono::Utc;
use tongxin_core::{rollcall, Db};

use super::{desk, event, expert};
use crate::print::{outln, print};

#[derive(clap::Args)]
pub struct MoveArgs {
    #[arg(long)]
    event: Option<String>,
    #[arg(long)]
    code: String,
    #[arg(long)]
    to: String,
    /// Move even when the service point is full.
    #[arg(long)]
    over_capacity: bool,
    #[arg(long, default_value = "命令行")]
    desk: String,
}

#[derive(clap::Args)]
pub struct RosterArgs {
    #[arg(long)]
    event: Option<String>,
    #[arg(long)]
    point: Option<String>,
    /// Checked in this morning but on no bus.
    #[arg(long, conflicts_with = "point")]
    off_bus: bool,
}

pub fn move_to(db: &mut Db, a: MoveArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let who = expert(db, &a.code)?;
    let to = (a.to != "none").then_some(a.to);
    let m = rollcall::move_to_point(
        db,
        &ev,
        &who.id,
        to.as_deref(),
        a.over_capacity,
        &desk(&a.desk),
        Utc::now(),
    )?;
    print(json, &m, |m| {
        outln!(
            "{} 已调整：{} → {}（{}/{}）",
            who.name,
            m.from_point_id.as_deref().unwrap_or("-"),
            m.signup.point_id.as_deref().unwrap_or("-"),
            m.used,
            m.capacity
        )
    })
}

pub fn roster(db: &Db, a: RosterArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let rows = match (a.point, a.off_bus) {
        (Some(p), _) => rollcall::roster(db, &ev, &p)?,
        (None, true) => rollcall::not_on_any_bus(db, &ev)?,
        (None, false) => rollcall::not_arrived(db, &ev)?,
    };
    print(json, &rows, |rows| {
        for r in rows {
            outln!(
                "{}\t{}\t{}\t上午 {}\t点位 {}",
                r.code,
                r.name,
                r.organisation,
                r.morning_time.as_deref().unwrap_or("-"),
                r.point_time.as_deref().unwrap_or("-")
            );
        }
    })
}
