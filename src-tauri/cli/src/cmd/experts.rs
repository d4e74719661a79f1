//! The list of experts: read it, add, edit, merge two records, archive.

use anyhow::Result;
use chrono::Utc;
use tongxin_core::experts::{self, ExpertForm, Removed};
use tongxin_core::{mask_phone, Db};

use super::{desk, expert};
use crate::print::{outln, print};

#[derive(clap::Args)]
pub struct ExpertArgs {
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    organisation: String,
    #[arg(long, default_value = "")]
    title: String,
    #[arg(long, default_value = "")]
    phone: String,
    #[arg(long, default_value = "")]
    party: String,
    #[arg(long, default_value = "")]
    gender: String,
    #[arg(long, default_value = "")]
    field: String,
    #[arg(long, default_value = "")]
    notes: String,
}

impl ExpertArgs {
    fn form(self) -> ExpertForm {
        ExpertForm {
            name: self.name,
            gender: self.gender,
            party: self.party,
            organisation: self.organisation,
            title: self.title,
            field: self.field,
            phone: self.phone,
            notes: self.notes,
        }
    }
}

#[derive(clap::Subcommand)]
pub enum ExpertsAction {
    /// Add an expert (name required; a phone already on file is refused).
    Add {
        #[command(flatten)]
        fields: ExpertArgs,
    },
    /// Replace an expert's details (found by code).
    Edit {
        #[arg(long)]
        code: String,
        #[command(flatten)]
        fields: ExpertArgs,
    },
    /// Merge the record OTHER into KEEP: sign-ups and check-ins move, OTHER is archived.
    Merge {
        #[arg(long)]
        keep: String,
        #[arg(long)]
        other: String,
    },
    /// Delete an expert who never checked in; archive one who did.
    Archive {
        #[arg(long)]
        code: String,
    },
    /// Erase a person's personal information on request (PIPL art. 47): the name becomes a
    /// placeholder, phone, organisation, title, party, field and notes are cleared; their
    /// check-ins still count.
    Erase {
        #[arg(long)]
        code: String,
    },
}

/// Everyone not archived, phones masked.
pub fn list(db: &Db, json: bool) -> Result<()> {
    print(json, &experts::list(db)?, |l| {
        for e in l {
            outln!(
                "{}\t{}\t{}\t{}\t{}",
                e.code,
                e.name,
                e.organisation,
                e.title,
                mask_phone(&e.phone)
            );
        }
    })
}

pub fn run(db: &mut Db, action: ExpertsAction, json: bool) -> Result<()> {
    let desk = desk("命令行");
    let now = Utc::now();
    match action {
        ExpertsAction::Add { fields } => {
            let e = experts::add(db, &fields.form(), &desk, now)?;
            print(json, &e, |e| outln!("已添加 {}（{}）", e.name, e.code))
        }
        ExpertsAction::Edit { code, fields } => {
            let id = expert(db, &code)?.id;
            let e = experts::edit(db, &id, &fields.form(), &desk, now)?;
            print(json, &e, |e| outln!("已保存 {}（{}）", e.name, e.code))
        }
        ExpertsAction::Merge { keep, other } => {
            let (k, o) = (expert(db, &keep)?.id, expert(db, &other)?.id);
            let m = experts::merge(db, &k, &o, &desk, now)?;
            print(json, &m, |m| {
                outln!(
                    "已合并到 {}（{}）：签到 {} 条、报名 {} 条转入，重复报名取消 {} 条",
                    m.survivor.name,
                    m.survivor.code,
                    m.moved_checkins,
                    m.moved_signups,
                    m.cancelled_signups
                )
            })
        }
        ExpertsAction::Archive { code } => {
            let id = expert(db, &code)?.id;
            let how = experts::remove(db, &id, &desk, now)?;
            let said = match how {
                Removed::Deleted => "已删除（没有签到记录）",
                Removed::Archived => "已归档（有签到记录，保留）",
            };
            let out = serde_json::json!({ "code": code, "result": how });
            print(json, &out, |_| outln!("{code}：{said}"))
        }
        ExpertsAction::Erase { code } => {
            let id = expert(db, &code)?.id;
            let done = tongxin_core::erasure::erase(db, &id, &desk, now)?;
            print(json, &done, |d| {
                outln!(
                    "{}：已删除个人信息（{} 条记录），签到计数保留",
                    d.code,
                    d.records
                )
            })
        }
    }
}
