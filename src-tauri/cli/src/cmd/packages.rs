//! Packages between laptops: a desk's check-ins (`pack`), a sub-venue's lists (`subvenue`),
//! and merging either back in.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use chrono::{DateTime, Utc};
use tongxin_core::package::{self, Kind, Payload, Sealing};
use tongxin_core::{clock, export, seal, Db};

use super::{desk, event};
use crate::print::{outln, print};

#[derive(clap::Args)]
pub struct PackArgs {
    #[arg(long)]
    event: Option<String>,
    /// RFC 3339 or "YYYY-MM-DD HH:MM" (Shanghai time).
    #[arg(long)]
    since: Option<String>,
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value = "命令行")]
    desk: String,
    /// Write it unsealed, readable by anyone: only for a laptop that was not set up from
    /// this database (it cannot open a sealed one).
    #[arg(long)]
    unsealed: bool,
}

#[derive(clap::Args)]
pub struct SubvenueArgs {
    #[arg(long)]
    event: Option<String>,
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value = "命令行")]
    desk: String,
    /// Use this passphrase instead of a new one.
    #[arg(long, env = "TONGXIN_PASSPHRASE")]
    passphrase: Option<String>,
    /// Write it unsealed, readable by anyone.
    #[arg(long, conflicts_with = "passphrase")]
    unsealed: bool,
}

#[derive(clap::Args)]
pub struct MergeArgs {
    file: PathBuf,
    #[arg(long, default_value = "命令行")]
    desk: String,
    /// The passphrase of a sub-venue package.
    #[arg(long, env = "TONGXIN_PASSPHRASE")]
    passphrase: Option<String>,
    /// Merge an unsealed package, or one from a laptop not set up from this database,
    /// after checking where it came from.
    #[arg(long)]
    trust_foreign: bool,
}

pub fn pack(db: &Db, a: PackArgs, json: bool) -> Result<()> {
    let since = a.since.as_deref().map(parse_time).transpose()?;
    let sealing = if a.unsealed {
        Sealing::Unsealed
    } else {
        Sealing::EventKey
    };
    let ev = event(db, a.event.as_deref())?.id;
    let p = package::build(db, &ev, Kind::Desk, since, &desk(&a.desk), Utc::now())?;
    write(db, &p, &a.out, &sealing, json)
}

pub fn subvenue(db: &Db, a: SubvenueArgs, json: bool) -> Result<()> {
    let sealing = match (a.unsealed, a.passphrase) {
        (true, _) => Sealing::Unsealed,
        (false, Some(p)) => Sealing::Passphrase(p),
        (false, None) => Sealing::Passphrase(seal::new_passphrase()?),
    };
    let ev = event(db, a.event.as_deref())?.id;
    let p = package::build(db, &ev, Kind::Subvenue, None, &desk(&a.desk), Utc::now())?;
    write(db, &p, &a.out, &sealing, json)
}

pub fn merge(db: &mut Db, a: MergeArgs, json: bool) -> Result<()> {
    let unlock = package::Unlock {
        passphrase: a.passphrase,
        trust_foreign: a.trust_foreign,
    };
    let now = Utc::now();
    let p = package::read_file(db, &a.file, &unlock)?;
    let r = package::merge(db, &p, &desk(&a.desk), now)?;
    print(json, &r, |r| {
        outln!(
            "合并 {} 的数据包：新增签到 {}，撤销 {}，专家 {}，报名 {}；已有签到 {}；按编号/手机号认出的专家 {}",
            r.from_desk,
            r.added.checkins,
            r.added.revocations,
            r.added.experts,
            r.added.signups,
            r.already.checkins,
            r.matched_experts
        );
        for line in &r.lines {
            outln!("  {line}");
        }
        for f in &r.flagged {
            outln!("  待核对：{}（{}）{}", f.name, f.checkpoint, f.records);
        }
    })
}

/// Writes the package whole to `out`, and says what it holds (and the passphrase, once).
fn write(db: &Db, p: &Payload, out: &Path, sealing: &Sealing, json: bool) -> Result<()> {
    export::save(out, &package::to_bytes(db, p, sealing)?)?;
    let passphrase = match sealing {
        Sealing::Passphrase(phrase) => Some(phrase.clone()),
        _ => None,
    };
    let sealed = !matches!(sealing, Sealing::Unsealed);
    let summary = serde_json::json!({
        "sealed": sealed,
        "passphrase": passphrase,
        "path": out.display().to_string(),
        "kind": p.kind,
        "event_id": p.event.id,
        "experts": p.experts.len(),
        "signups": p.signups.len(),
        "checkins": p.checkins.len(),
        "revocations": p.revocations.len(),
    });
    print(json, &summary, |_| {
        outln!(
            "已写入 {}：专家 {}，报名 {}，签到 {}，撤销 {}",
            out.display(),
            p.experts.len(),
            p.signups.len(),
            p.checkins.len(),
            p.revocations.len()
        );
        if let Some(phrase) = &passphrase {
            outln!("口令（只显示这一次，请另行告知分会场）：{phrase}");
        }
        if !sealed {
            outln!("注意：这个数据包未加密，任何拿到它的人都能读到其中的姓名和手机号。");
        }
    })
}

/// `--since`: RFC 3339, or "YYYY-MM-DD HH:MM" read as Shanghai time.
fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .with_context(|| format!("无法识别时间“{s}”，请写成 2024-09-29 08:30"))?;
    local
        .and_local_timezone(clock::shanghai())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| anyhow!("无法识别时间“{s}”"))
}
