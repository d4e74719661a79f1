//! 同心荟 service stations: open one, appoint an expert, end an appointment, list them with
//! their experts and the year's activities, export the appointment list.

use std::path::PathBuf;

use anyhow::Result;
use chrono::Utc;
use tongxin_core::stations::{self, StationForm};
use tongxin_core::{clock, export, Db};

use super::{desk, expert};
use crate::print::{outln, print};

#[derive(clap::Subcommand)]
pub enum StationAction {
    /// Open a station (授牌): name and district required.
    Add {
        #[arg(long)]
        name: String,
        /// 金山, 浦东新区, 市级 …
        #[arg(long)]
        district: String,
        /// The host organisation.
        #[arg(long, default_value = "")]
        host: String,
        #[arg(long, default_value = "")]
        address: String,
        /// 授牌 date (2024-05-20).
        #[arg(long, default_value = "")]
        opened: String,
    },
    /// Appoint an expert (by code) to a station for a term (appointing again renews).
    Appoint {
        /// The station's id (see `station list`).
        #[arg(long)]
        station: String,
        #[arg(long)]
        code: String,
        /// 受聘 date (today by default).
        #[arg(long, default_value = "")]
        on: String,
        /// The term in years (1–10).
        #[arg(long, default_value_t = stations::DEFAULT_TERM)]
        term: i64,
    },
    /// End an appointment before its term (解聘).
    End {
        #[arg(long)]
        appointment: String,
    },
    /// The stations by district with their experts and the year's activities.
    List {
        #[arg(long)]
        year: Option<i32>,
    },
    /// Write the appointment list (受聘专家名单) as a workbook.
    Export {
        #[arg(long)]
        out: PathBuf,
    },
}

impl StationAction {
    pub fn reads_only(&self) -> bool {
        matches!(
            self,
            StationAction::List { .. } | StationAction::Export { .. }
        )
    }
}

pub fn run(db: &mut Db, a: StationAction, json: bool) -> Result<()> {
    let now = Utc::now();
    let d = desk("命令行");
    match a {
        StationAction::Add {
            name,
            district,
            host,
            address,
            opened,
        } => {
            let form = StationForm {
                name,
                district,
                host,
                address,
                opened_on: opened,
            };
            let s = stations::add(db, &form, &d, now)?;
            print(json, &s, |s| {
                outln!("已设立：{} {}（{}）", s.district, s.name, s.id)
            })
        }
        StationAction::Appoint {
            station,
            code,
            on,
            term,
        } => {
            let e = expert(db, &code)?;
            let a = stations::appoint(db, &station, &e.id, &on, term, &d, now)?;
            print(json, &a, |a| {
                outln!(
                    "{} 受聘，{} 起 {} 年（{}）",
                    e.name,
                    a.appointed_on,
                    a.term_years,
                    a.id
                )
            })
        }
        StationAction::End { appointment } => {
            stations::end(db, &appointment, &d, now)?;
            print(json, &serde_json::json!({ "ended": appointment }), |_| {
                outln!("已解聘。")
            })
        }
        StationAction::List { year } => {
            let list = stations::list(db, year.unwrap_or_else(|| stations::this_year(now)), now)?;
            print(json, &list, |list| {
                for v in list {
                    let s = &v.station;
                    outln!(
                        "{}\t{}\t{}\t专家 {} 人\t活动 {} 场\t{}",
                        s.district,
                        s.name,
                        s.opened_on.as_deref().unwrap_or("—"),
                        v.experts.len(),
                        v.activities.len(),
                        s.id
                    );
                    for e in &v.experts {
                        outln!(
                            "\t{}\t{}\t{} 至 {}\t{}",
                            e.expert.name,
                            e.expert.organisation,
                            e.expert.appointed_on,
                            e.until,
                            e.standing.label()
                        );
                    }
                }
            })
        }
        StationAction::Export { out } => {
            let list = stations::list(db, stations::this_year(now), now)?;
            let today = now
                .with_timezone(&clock::shanghai())
                .format("%Y-%m-%d")
                .to_string();
            export::save(&out, &export::appointments_xlsx::workbook(&list, &today)?)?;
            print(json, &serde_json::json!({ "out": out }), |_| {
                outln!("已保存：{}", out.display());
            })
        }
    }
}
