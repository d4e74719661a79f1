//! The event's service points: list them, add one.

use anyhow::Result;
use chrono::Utc;
use tongxin_core::service_points::{self, PointForm};
use tongxin_core::Db;

use super::{desk, event};
use crate::print::{outln, print};

#[derive(clap::Args)]
pub struct PointsArgs {
    #[arg(long, global = true)]
    event: Option<String>,
    #[command(subcommand)]
    action: Option<PointsAction>,
}

impl PointsArgs {
    pub fn reads_only(&self) -> bool {
        matches!(self.action, None | Some(PointsAction::List))
    }
}

#[derive(clap::Subcommand)]
pub enum PointsAction {
    /// List the service points (the default).
    List,
    /// Add a service point.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        short_name: String,
        #[arg(long)]
        theme: Option<String>,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        contact: String,
        #[arg(long, default_value = "")]
        contact_phone: String,
        #[arg(long, default_value_t = 0)]
        capacity: i64,
        #[arg(long, default_value = "")]
        depart: String,
        #[arg(long, default_value = "")]
        bus: String,
    },
}

pub fn run(db: &mut Db, a: PointsArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?.id;
    match a.action {
        None | Some(PointsAction::List) => list(db, &ev, json),
        Some(PointsAction::Add {
            name,
            short_name,
            theme,
            address,
            contact,
            contact_phone,
            capacity,
            depart,
            bus,
        }) => {
            let form = PointForm {
                id: String::new(),
                name,
                short_name,
                theme_id: theme,
                address,
                contact,
                contact_phone,
                capacity,
                depart_time: depart,
                bus,
            };
            let saved = service_points::save(db, &ev, &form, &desk("命令行"), Utc::now())?;
            print(json, &saved.point, |p| {
                outln!("已添加服务点位 {}（{}）", p.name, p.id)
            })
        }
    }
}

fn list(db: &Db, event_id: &str, json: bool) -> Result<()> {
    print(json, &service_points::list(db, event_id)?, |l| {
        for p in l {
            outln!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                p.id,
                p.name,
                p.capacity,
                p.depart_time,
                p.bus,
                p.address
            );
        }
    })
}
