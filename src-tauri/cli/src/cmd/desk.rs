//! The check-in desk: find an expert, check them in, undo it, register a walk-in.

use anyhow::{anyhow, Result};
use chrono::Utc;
use tongxin_core::{checkin, clock, search, signups, walkin, Checkpoint, Db, Method};

use super::{desk, event};
use crate::print::{outln, print};

#[derive(clap::Args)]
pub struct SearchArgs {
    query: String,
    #[arg(long)]
    event: Option<String>,
    #[arg(long, default_value_t = 8)]
    limit: usize,
    /// `main` or a service point id.
    #[arg(long, default_value = "main")]
    checkpoint: String,
}

#[derive(clap::Args)]
pub struct CheckinArgs {
    #[arg(long)]
    event: Option<String>,
    #[arg(long, conflicts_with = "code", required_unless_present = "code")]
    expert: Option<String>,
    #[arg(long)]
    code: Option<String>,
    #[arg(long, default_value = "main")]
    checkpoint: String,
    #[arg(long, default_value = "命令行")]
    desk: String,
}

#[derive(clap::Args)]
pub struct UndoArgs {
    checkin_id: String,
    #[arg(long)]
    reason: String,
    #[arg(long, default_value = "命令行")]
    desk: String,
}

#[derive(clap::Args)]
pub struct CheckinsArgs {
    #[arg(long)]
    event: Option<String>,
    #[arg(long, default_value = "main")]
    checkpoint: String,
}

#[derive(clap::Args)]
pub struct WalkinArgs {
    #[arg(long)]
    event: Option<String>,
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    organisation: String,
    #[arg(long, default_value = "")]
    title: String,
    #[arg(long, default_value = "")]
    phone: String,
    /// The service point the person joins.
    #[arg(long)]
    point: Option<String>,
    #[arg(long, default_value = "命令行")]
    desk: String,
}

#[derive(clap::Args)]
pub struct BurstArgs {
    #[arg(long)]
    event: Option<String>,
    #[arg(long, default_value_t = 1000)]
    count: usize,
}

pub fn search(db: &Db, a: SearchArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let cp = Checkpoint::parse(&a.checkpoint);
    let hits = search::search(db, &ev, &cp, &a.query, a.limit)?;
    print(json, &hits, |h| {
        for x in h {
            outln!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                x.code,
                x.name,
                x.organisation,
                x.assignment.theme_name.as_deref().unwrap_or("-"),
                x.phone_masked,
                x.checkin
                    .as_ref()
                    .map(|c| format!("已签到 {}", c.local_time))
                    .unwrap_or_else(|| "未签到".into())
            );
        }
    })
}

pub fn check_in(db: &mut Db, a: CheckinArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let cp = Checkpoint::parse(&a.checkpoint);
    let desk = desk(&a.desk);
    let now = Utc::now();
    if let Some(warning) = checkin::clock_warning(db, now)? {
        eprintln!("注意：{warning}");
    }
    let r = match (a.expert, a.code) {
        (Some(id), _) => checkin::check_in(db, &ev, &id, &cp, Method::Manual, &desk, now)?,
        (None, Some(code)) => {
            checkin::check_in_by_code(db, &ev, &code, &cp, Method::Manual, &desk, now)?
        }
        (None, None) => return Err(anyhow!("请给出 --expert 或 --code。")),
    };
    print(json, &r, |r| match r.outcome {
        checkin::Outcome::Recorded => outln!(
            "{} 签到成功 {}（记录 {}）",
            r.expert.name,
            r.checkin.local_time,
            r.checkin.id
        ),
        checkin::Outcome::Duplicate => outln!(
            "{} 已于 {} 在 {} 签到，未重复记录",
            r.expert.name,
            r.checkin.local_time,
            r.checkin.desk_name
        ),
    })
}

pub fn undo(db: &mut Db, a: UndoArgs, json: bool) -> Result<()> {
    let c = checkin::revoke(db, &a.checkin_id, &a.reason, &desk(&a.desk), Utc::now())?;
    print(json, &c, |c| outln!("已撤销签到 {}", c.id))
}

pub fn checkins(db: &Db, a: CheckinsArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let list = checkin::list(db, &ev, &Checkpoint::parse(&a.checkpoint))?;
    print(json, &list, |l| {
        for c in l {
            outln!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                c.id,
                c.expert_id,
                clock::local_datetime(&c.at),
                c.desk_name,
                c.method.as_str(),
                c.revoked_at.as_ref().map(|_| "已撤销").unwrap_or("有效")
            );
        }
    })
}

pub fn walk_in(db: &mut Db, a: WalkinArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let form = walkin::WalkInForm {
        name: a.name,
        organisation: a.organisation,
        title: a.title,
        phone: a.phone,
        point_id: a.point,
    };
    for s in walkin::similar(db, &form.name, &form.phone)? {
        let same = if s.same_phone {
            "同手机号"
        } else {
            "同名"
        };
        eprintln!(
            "注意：已有{same}的专家 {} {}（{}）",
            s.code, s.name, s.organisation
        );
    }
    let r = walkin::register(
        db,
        &ev,
        &form,
        &Checkpoint::Main,
        &desk(&a.desk),
        Utc::now(),
    )?;
    print(json, &r, |r| {
        outln!(
            "{} {}（{}）现场补录并签到 {}",
            r.result.expert.code,
            r.result.expert.name,
            if r.created { "新建" } else { "已有专家" },
            r.result.checkin.local_time
        )
    })
}

/// Prints each check-in id only once it is committed: what a screen would have confirmed.
pub fn burst(db: &mut Db, a: BurstArgs) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let desk = desk("压力测试");
    let people = signups::for_event(db, &ev)?.into_iter().take(a.count);
    for s in people {
        let r = checkin::check_in(
            db,
            &ev,
            &s.expert_id,
            &Checkpoint::Main,
            Method::Manual,
            &desk,
            Utc::now(),
        )?;
        outln!("{}", r.checkin.id);
    }
    Ok(())
}
