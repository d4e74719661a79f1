//! Sign-ups: sign an expert up, move them, cancel (the waiting list moves up), and the
//! suggestions for those who chose no point.

use anyhow::Result;
use chrono::Utc;
use tongxin_core::{rollcall, signups, Db};

use super::{desk, event, expert};
use crate::print::{outln, print};

#[derive(clap::Subcommand)]
pub enum SignupAction {
    /// Sign up (a full point puts the expert on its waiting list).
    Add {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        code: String,
        /// A service point id; without it, the plenary only.
        #[arg(long)]
        point: Option<String>,
    },
    /// Move to another service point (`none` for the plenary only).
    Move {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        code: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        over_capacity: bool,
    },
    /// Cancel; the first one waiting at the point moves up.
    Cancel {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        code: String,
    },
}

#[derive(clap::Args)]
pub struct SuggestArgs {
    #[arg(long)]
    event: Option<String>,
    /// Apply the suggestions.
    #[arg(long)]
    pub apply: bool,
}

pub fn run(db: &mut Db, action: SignupAction, json: bool) -> Result<()> {
    let desk = desk("命令行");
    match action {
        SignupAction::Add {
            event: e,
            code,
            point,
        } => {
            let ev = event(db, e.as_deref())?.id;
            let id = expert(db, &code)?.id;
            let r = signups::sign_up(db, &ev, &id, point.as_deref(), &desk, Utc::now())?;
            print(json, &r, |r| match r.waiting_position {
                Some(n) => outln!("{code} 已报名，名额已满：候补第 {n} 位"),
                None => outln!("{code} 已报名"),
            })
        }
        SignupAction::Move {
            event: e,
            code,
            to,
            over_capacity,
        } => {
            let ev = event(db, e.as_deref())?.id;
            let id = expert(db, &code)?.id;
            let to = (to != "none").then_some(to);
            let m = rollcall::move_to_point(
                db,
                &ev,
                &id,
                to.as_deref(),
                over_capacity,
                &desk,
                Utc::now(),
            )?;
            print(json, &m, |m| {
                let to = m.signup.point_id.as_deref().unwrap_or("主会场");
                outln!("{code} 已调到 {to}");
                for p in &m.promoted {
                    outln!("  {} 由候补转为正式", p.name);
                }
            })
        }
        SignupAction::Cancel { event: e, code } => {
            let ev = event(db, e.as_deref())?.id;
            let id = expert(db, &code)?.id;
            let promoted = signups::cancel(db, &ev, &id, &desk, Utc::now())?;
            let out = serde_json::json!({ "cancelled": code, "promoted": promoted });
            print(json, &out, |_| {
                outln!("{code} 已取消报名");
                for p in &promoted {
                    outln!("  {} 由候补转为正式", p.name);
                }
            })
        }
    }
}

pub fn suggest(db: &mut Db, a: SuggestArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    let list = if a.apply {
        signups::apply_suggestions(db, &ev, &desk("命令行"), Utc::now())?
    } else {
        signups::suggest(db, &ev)?
    };
    print(json, &list, |l| {
        for s in l {
            outln!("{}\t→ {}\t{}", s.name, s.point_name, s.reason);
        }
        if a.apply {
            outln!("已按建议分配 {} 人", l.len());
        }
    })
}
