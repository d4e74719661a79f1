//! Setting the day up: a database, the demo day, the events.

use std::path::Path;

use anyhow::Result;
use chrono::Utc;
use tongxin_core::{demo, events, Db};

use crate::print::{outln, print};

#[derive(clap::Args)]
pub struct EventAddArgs {
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    short_name: String,
    #[arg(long)]
    date: String,
    #[arg(long, default_value = "")]
    place: String,
    #[arg(long)]
    parent: Option<String>,
    #[arg(long)]
    copy_points_from: Option<String>,
}

/// Opening the database already created or migrated it: say where it is.
pub fn init(path: &Path, json: bool) -> Result<()> {
    print(json, &serde_json::json!({"db": path, "ok": true}), |_| {
        outln!("数据库已就绪：{}", path.display())
    })
}

pub fn demo(db: &mut Db, json: bool) -> Result<()> {
    let s = demo::load(db, Utc::now())?;
    print(json, &s, |s| {
        outln!(
            "已载入演示活动 {}：专家 {} 人，服务点位 {} 个，报名 {} 条，签到 {} 条",
            s.event_id,
            s.experts,
            s.points,
            s.signups,
            s.checkins
        )
    })
}

pub fn events(db: &Db, json: bool) -> Result<()> {
    print(json, &events::list(db)?, |l| {
        for e in l {
            outln!(
                "{}\t{}\t{}\t{}\t{}",
                e.id,
                e.date,
                e.name,
                e.short_name,
                e.place
            );
        }
    })
}

pub fn event_add(db: &mut Db, a: EventAddArgs, json: bool) -> Result<()> {
    let form = events::EventForm {
        name: a.name,
        short_name: a.short_name,
        parent_id: a.parent,
        date: a.date,
        place: a.place,
    };
    let (e, n) = events::create(db, &form, a.copy_points_from.as_deref(), Utc::now())?;
    let out = serde_json::json!({ "event": e, "copied_points": n });
    print(json, &out, |_| {
        outln!("已创建活动 {}（{}），复制服务点位 {} 个", e.name, e.id, n)
    })
}
