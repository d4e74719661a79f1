//! A consistent copy of the database, and putting one back.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::Utc;
use tongxin_core::{backup, Db};

use crate::print::{outln, print};

#[derive(clap::Args)]
pub struct BackupArgs {
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    file: PathBuf,
}

pub fn backup(db: &Db, a: BackupArgs, json: bool) -> Result<()> {
    backup::copy_to(db, &a.out)?;
    let done = serde_json::json!({ "path": a.out.display().to_string() });
    print(json, &done, |_| outln!("已备份到 {}", a.out.display()))
}

/// The database's content before the restore is kept in `backups/` beside it.
pub fn restore(db: &mut Db, path: &Path, a: RestoreArgs) -> Result<()> {
    let dir = path
        .parent()
        .map(|p| p.join("backups"))
        .unwrap_or_else(|| PathBuf::from("backups"));
    let kept = backup::restore(db, &a.file, &dir, Utc::now())?;
    outln!(
        "已从 {} 恢复；恢复前的数据已备份到 {}",
        a.file.display(),
        kept.display()
    );
    Ok(())
}
