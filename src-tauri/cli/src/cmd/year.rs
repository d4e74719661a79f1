//! The year's record: the yearly statistics, the outcomes of a day's visits, an expert's
//! service history.

use std::path::PathBuf;

use anyhow::Result;
use chrono::{Datelike, Utc};
use tongxin_core::{activities, export, outcomes, report, Db, SuggestionStatus};

use super::{desk, expert};
use crate::print::{outln, print};

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The year (this year by default).
    #[arg(long)]
    year: Option<i32>,
    /// One district only (金山, 浦东新区 …).
    #[arg(long)]
    district: Option<String>,
    /// Write the report to this file: a workbook (tables and native Excel charts) or a PDF
    /// (A4, vector charts, fonts embedded), as --format or the file's extension says.
    #[arg(long)]
    out: Option<PathBuf>,
    /// xlsx or pdf (by default from the --out file's extension).
    #[arg(long, value_parser = ["xlsx", "pdf"])]
    format: Option<String>,
    /// The PDF's language: zh (default) or en.
    #[arg(long, default_value = "zh", value_parser = ["zh", "en"])]
    lang: String,
}

#[derive(clap::Args)]
pub struct OutcomeArgs {
    /// The service point's id (see `points`).
    #[arg(long)]
    point: String,
    #[arg(long)]
    enterprises: i64,
    #[arg(long)]
    people: i64,
    #[arg(long, default_value = "命令行")]
    desk: String,
}

#[derive(clap::Subcommand)]
pub enum SuggestionAction {
    /// Record a suggestion (建言) collected at a service point.
    Add {
        #[arg(long)]
        point: String,
        #[arg(long)]
        title: String,
        /// The lead expert's code.
        #[arg(long)]
        lead: Option<String>,
        #[arg(long, default_value = "")]
        theme: String,
    },
    /// Mark a suggestion adopted (已采纳); --undo takes it back to submitted.
    Adopt {
        #[arg(long)]
        id: String,
        #[arg(long)]
        undo: bool,
    },
    /// A service point's suggestions.
    List {
        #[arg(long)]
        point: String,
    },
}

impl SuggestionAction {
    pub fn reads_only(&self) -> bool {
        matches!(self, SuggestionAction::List { .. })
    }
}

pub fn suggestion(db: &mut Db, a: SuggestionAction, json: bool) -> Result<()> {
    match a {
        SuggestionAction::Add {
            point,
            title,
            lead,
            theme,
        } => {
            let lead = lead.map(|code| expert(db, &code)).transpose()?;
            let s = outcomes::suggest(
                db,
                &point,
                &title,
                lead.as_ref().map(|e| e.id.as_str()),
                &theme,
                &desk("命令行"),
                Utc::now(),
            )?;
            print(json, &s, |s| outln!("已记录建言：{}（{}）", s.title, s.id))
        }
        SuggestionAction::Adopt { id, undo } => {
            let status = if undo {
                SuggestionStatus::Submitted
            } else {
                SuggestionStatus::Adopted
            };
            outcomes::set_suggestion_status(db, &id, status)?;
            print(
                json,
                &serde_json::json!({ "id": id, "status": status.as_str() }),
                |_| {
                    outln!(
                        "{}",
                        if undo {
                            "已改回已提交。"
                        } else {
                            "已采纳。"
                        }
                    )
                },
            )
        }
        SuggestionAction::List { point } => {
            let list = outcomes::suggestions(db, &point)?;
            print(json, &list, |list| {
                for s in list {
                    outln!("{}\t{}\t{}", s.status.as_str(), s.title, s.id);
                }
            })
        }
    }
}

#[derive(clap::Args)]
pub struct HistoryArgs {
    /// The expert's code.
    #[arg(long)]
    code: String,
    #[arg(long)]
    year: Option<i32>,
}

fn this_year() -> i32 {
    Utc::now().year()
}

pub fn report(db: &Db, a: ReportArgs, json: bool) -> Result<()> {
    let r = report::year(db, a.year.unwrap_or_else(this_year), a.district.as_deref())?;
    if let Some(out) = &a.out {
        let pdf = match a.format.as_deref() {
            Some(f) => f == "pdf",
            None => out
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf")),
        };
        let bytes = if pdf {
            export::year_pdf::write(&r, export::year_pdf::Lang::from_code(&a.lang))?
        } else {
            export::year_xlsx::workbook(&r)?
        };
        export::save(out, &bytes)?;
        return print(json, &serde_json::json!({ "out": out }), |_| {
            outln!("已保存：{}", out.display());
        });
    }
    print(json, &r, |r| {
        outln!("{}", r.sentence);
        outln!("专家 {} 人", r.experts);
        for (title, lines) in [
            ("按区", &r.by_district),
            ("按服务类型", &r.by_kind),
            ("按月", &r.by_month),
        ] {
            outln!("\n{title}\t活动\t人次\t企业\t群众");
            for l in lines {
                let f = &l.figures;
                outln!(
                    "{}\t{}\t{}\t{}\t{}",
                    l.key,
                    f.activities,
                    f.participations,
                    f.enterprises,
                    f.people
                );
            }
        }
        if !r.left_out.is_empty() {
            outln!("\n未重复计入（本机已有同一场活动）：");
            for l in &r.left_out {
                outln!("  {} {} {}", l.date, l.district, l.name);
            }
        }
    })
}

pub fn outcome(db: &mut Db, a: OutcomeArgs, json: bool) -> Result<()> {
    let o = outcomes::set(
        db,
        &a.point,
        a.enterprises,
        a.people,
        &desk(&a.desk),
        Utc::now(),
    )?;
    print(json, &o, |o| {
        outln!(
            "已记录：服务企业 {} 家，服务群众 {} 人",
            o.enterprises,
            o.people
        );
    })
}

pub fn history(db: &Db, a: HistoryArgs, json: bool) -> Result<()> {
    let e = expert(db, &a.code)?;
    let h = activities::history(db, &e.id, a.year.unwrap_or_else(this_year))?;
    print(json, &h, |h| {
        outln!("{} {} 年参加服务活动 {} 场", e.name, h.year, h.count);
        for x in &h.activities {
            outln!("  {} {} {} {}", x.date, x.district, x.kind, x.name);
        }
    })
}
