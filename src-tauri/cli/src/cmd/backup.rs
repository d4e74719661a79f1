//! A consistent copy of the database, and putting one back.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::Utc;
use tongxin_core::keys::{self, DbKey};
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
    /// The recovery key of the laptop the backup comes from (asked for when this database's
    /// key does not open it).
    #[arg(long)]
    recovery_key: Option<String>,
}

#[derive(clap::Subcommand)]
pub enum KeyAction {
    /// Print the recovery key (13 groups of 4): keep it on paper, away from the laptop.
    Show,
    /// Open the database with its recovery key and keep the key in this laptop's credential
    /// store, so that it opens as usual from now on.
    Recover { recovery_key: String },
}

/// `key recover`, before the database is opened the usual way (this laptop has no key for it).
pub fn recover(path: &Path, typed: &str, json: bool) -> Result<()> {
    let key = DbKey::from_recovery(typed)?;
    Db::open_with(path, &key)?;
    let source = keys::remember(path, &key)?;
    let done = serde_json::json!({ "path": path.display().to_string(), "kept_in_store": source == keys::Source::Store });
    print(json, &done, |_| {
        outln!(
            "已用恢复密钥打开 {}；这台电脑以后直接打开它。",
            path.display()
        )
    })
}

/// `key show`: the recovery key, and where the key is kept.
pub fn show(db: &Db, json: bool) -> Result<()> {
    let key = db
        .key()
        .ok_or_else(|| anyhow::anyhow!("这个数据库没有加密（只有基准测试的参照如此）。"))?;
    let done = serde_json::json!({ "recovery_key": key.recovery() });
    print(json, &done, |_| {
        outln!("恢复密钥：{}", key.recovery());
        outln!("请抄写或打印后与电脑分开保管：它能在另一台电脑上打开这个数据库及其所有备份。")
    })
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
    let recovery = a
        .recovery_key
        .as_deref()
        .map(DbKey::from_recovery)
        .transpose()?;
    let kept = backup::restore_with(db, &a.file, &dir, Utc::now(), recovery.as_ref())?;
    outln!(
        "已从 {} 恢复；恢复前的数据已备份到 {}",
        a.file.display(),
        kept.display()
    );
    Ok(())
}
