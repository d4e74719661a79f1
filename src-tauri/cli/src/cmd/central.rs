//! The city office's server: `server init | add-desk | add-city | dashboard` (no --db), `server
//! publish` (a laptop's day becomes the reference rows), and `sync` (a desk's rounds).

use std::time::Duration;

use anyhow::{anyhow, Result};
use clap::{Args, Subcommand};
use tongxin_core::{central, Db};
use tongxin_sync::server::{self, Role};
use tongxin_sync::{Link, Target};

use super::desk as cli_desk;
use crate::print::{outln, print};

#[derive(Args)]
pub struct ServerOpts {
    /// The server: postgres://LOGIN@HOST:PORT/DATABASE (add ?sslmode=require for TLS).
    #[arg(long = "server")]
    pub url: String,
    /// The login's password (or TONGXIN_SERVER_PASSWORD; or in the URL).
    #[arg(long, env = "TONGXIN_SERVER_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Allow a server off this machine without TLS (the password and lists then cross the
    /// network in the clear).
    #[arg(long)]
    pub allow_plaintext: bool,
}

impl ServerOpts {
    fn target(&self) -> Target {
        Target::new(&self.url, self.password.as_deref()).allow_plaintext(self.allow_plaintext)
    }
}

#[derive(Subcommand)]
pub enum ServerAction {
    /// Create or upgrade the server's schema (idempotent), as the database's owner.
    Init(ServerOpts),
    /// Create a desk login (or set its password again) serving the given events (venues).
    AddDesk {
        #[command(flatten)]
        server: ServerOpts,
        /// The new login's name.
        #[arg(long)]
        login: String,
        /// The new login's password.
        #[arg(long = "login-password")]
        login_password: String,
        /// An event id the login serves (repeat for several).
        #[arg(long = "event", required = true)]
        events: Vec<String>,
    },
    /// Create a login for the city dashboard (reads the counts only).
    AddCity {
        #[command(flatten)]
        server: ServerOpts,
        #[arg(long)]
        login: String,
        #[arg(long = "login-password")]
        login_password: String,
    },
    /// Publish this database's day (--event, with its sub-venues) or all its events.
    Publish {
        #[command(flatten)]
        server: ServerOpts,
        #[arg(long)]
        event: Option<String>,
    },
    /// Every venue's expected / arrived / walk-ins and when it last synced.
    Dashboard(ServerOpts),
    /// Remember the server this database syncs with, as 设置 → 市级同步 does: the password is
    /// kept in the credential store beside the database's key (in the database when a script
    /// gives the key as TONGXIN_DB_KEY). An empty URL turns sync off.
    Use {
        url: String,
        #[arg(long, env = "TONGXIN_SERVER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// The server this database syncs with, and whether a password is kept for it (never the
    /// password itself).
    Show,
    /// Give the server a new id after restoring it from a backup: every desk then pulls from
    /// the start and sends it again whatever it lacks.
    NewId(ServerOpts),
}

impl ServerAction {
    /// Only `publish` works on a database.
    pub fn needs_db(&self) -> bool {
        matches!(
            self,
            ServerAction::Publish { .. } | ServerAction::Use { .. } | ServerAction::Show
        )
    }
}

#[derive(Args)]
pub struct SyncArgs {
    /// The server (default: the one saved in the database's settings).
    #[arg(long = "server")]
    pub url: Option<String>,
    #[arg(long, env = "TONGXIN_SERVER_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Allow a server off this machine without TLS (default: the setting saved in the window).
    #[arg(long)]
    pub allow_plaintext: bool,
    /// One round (push, then pull): exit 0 when both directions completed.
    #[arg(long)]
    pub once: bool,
    /// The desk the rounds are recorded under.
    #[arg(long, default_value = "命令行")]
    pub desk: String,
    /// Rows of each kind per upload transaction.
    #[arg(long, default_value_t = central::BATCH)]
    pub batch: usize,
    /// Seconds between rounds when not woken by the server.
    #[arg(long, default_value_t = 5)]
    pub interval: u64,
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// The commands that need no database.
pub fn server_only(action: &ServerAction, json: bool) -> Result<()> {
    let rt = runtime()?;
    rt.block_on(async {
        match action {
            ServerAction::Init(s) => {
                let (before, after) = server::init(&s.target()).await?;
                if json {
                    print(
                        true,
                        &serde_json::json!({"before": before, "after": after}),
                        |_| {},
                    )
                } else if before == after {
                    outln!("服务器的数据结构已是版本 {after}，无需改动。");
                    Ok(())
                } else {
                    outln!("服务器的数据结构：版本 {before} → {after}。");
                    Ok(())
                }
            }
            ServerAction::AddDesk {
                server: s,
                login,
                login_password,
                events,
            } => {
                server::add_login(&s.target(), Role::Desk, login, login_password, events).await?;
                outln!("签到台账号 {login} 已建立，负责：{}", events.join("、"));
                Ok(())
            }
            ServerAction::AddCity {
                server: s,
                login,
                login_password,
            } => {
                server::add_login(&s.target(), Role::City, login, login_password, &[]).await?;
                outln!("城市总览账号 {login} 已建立（只能读各会场的人数）。");
                Ok(())
            }
            ServerAction::Dashboard(s) => {
                let link = tongxin_sync::connect(&s.target()).await?;
                server::check(&link).await?;
                let venues = tongxin_sync::dashboard(&link).await?;
                if json {
                    return print(true, &venues, |_| {});
                }
                for v in &venues {
                    outln!(
                        "{}\t{}\t应到 {}\t实到 {}\t现场补录 {}\t{}",
                        v.district,
                        v.name,
                        v.expected,
                        v.arrived,
                        v.walkins,
                        match v.quiet_seconds {
                            Some(s) => format!("{s} 秒前同步"),
                            None => "尚未同步".into(),
                        }
                    );
                }
                Ok(())
            }
            ServerAction::NewId(s) => {
                let id = server::new_id(&s.target()).await?;
                outln!(
                    "服务器的新编号：{id}。各签到台下次同步时会从头下载，并补传服务器缺少的记录。"
                );
                Ok(())
            }
            ServerAction::Publish { .. } | ServerAction::Use { .. } | ServerAction::Show => {
                Err(anyhow!("server publish / server use 需要 --db"))
            }
        }
    })
}

pub fn publish(db: &mut Db, action: ServerAction, json: bool) -> Result<()> {
    if let ServerAction::Show = &action {
        let s = central::server(db)?;
        let shown = serde_json::json!({
            "server": s.as_ref().map(|s| s.url.clone()),
            "password_kept": s.is_some_and(|s| !s.password.is_empty()),
        });
        return print(json, &shown, |v| {
            outln!(
                "市级服务器：{}；密码{}",
                v["server"].as_str().unwrap_or("（未配置）"),
                if v["password_kept"] == true {
                    "已保存"
                } else {
                    "未保存"
                }
            )
        });
    }
    if let ServerAction::Use { url, password } = &action {
        central::set_server(db, url, password.as_deref())?;
        return print(json, &serde_json::json!({ "server": url }), |_| {
            outln!("已保存市级服务器：{url}")
        });
    }
    let ServerAction::Publish { server: s, event } = action else {
        return server_only(&action, json);
    };
    let rt = runtime()?;
    let n = rt.block_on(async {
        let mut link = tongxin_sync::connect(&s.target()).await?;
        tongxin_sync::publish(&mut link, db, event.as_deref()).await
    })?;
    if json {
        print(true, &serde_json::json!({ "events": n }), |_| {})
    } else {
        outln!("已发布 {n} 场活动到市级服务器。");
        Ok(())
    }
}

async fn one_round(link: &mut Link, db: &mut Db, a: &SyncArgs) -> Result<tongxin_sync::Report> {
    Ok(tongxin_sync::round(link, db, &cli_desk(&a.desk), a.batch).await?)
}

pub fn sync(db: &mut Db, a: SyncArgs, json: bool) -> Result<()> {
    let target = match &a.url {
        Some(url) => Target::new(url, a.password.as_deref()),
        None => match central::server(db)? {
            Some(s) => Target::new(&s.url, a.password.as_deref().or(Some(&s.password))),
            None => {
                return Err(anyhow!(
                    "没有配置市级服务器：请用 --server postgres://… 指定，或在窗口的 设置 → 市级同步 里填写。"
                ))
            }
        },
    };
    let target = target.allow_plaintext(a.allow_plaintext || central::plaintext(db)?);
    let rt = runtime()?;
    rt.block_on(async {
        if a.once {
            let mut link = tongxin_sync::connect(&target).await?;
            let r = one_round(&mut link, db, &a).await?;
            return report(&r, json);
        }
        loop {
            match tongxin_sync::connect_listening(&target).await {
                Ok((mut link, mut woken)) => loop {
                    match one_round(&mut link, db, &a).await {
                        Ok(r) => report(&r, json)?,
                        Err(e) => {
                            eprintln!("同步中断：{e:#}");
                            break;
                        }
                    }
                    let _ =
                        tokio::time::timeout(Duration::from_secs(a.interval), woken.recv()).await;
                },
                Err(e) => eprintln!("{e}"),
            }
            tokio::time::sleep(Duration::from_secs(a.interval)).await;
        }
    })
}

fn report(r: &tongxin_sync::Report, json: bool) -> Result<()> {
    if json {
        return print(true, r, |_| {});
    }
    outln!(
        "上传 {} 条；下载：签到 {}，撤销 {}，专家 {}，报名 {}，点位 {}；待上传 {}",
        r.pushed,
        r.pulled.checkins,
        r.pulled.revocations,
        r.pulled.experts,
        r.pulled.signups,
        r.pulled.points,
        r.unsent
    );
    if r.notes.new_server {
        outln!(
            "这是一台新的（重建或恢复的）服务器 {}：已从头同步，并重新上传它缺少的记录。",
            r.notes.server_id
        );
    }
    for why in &r.notes.refused {
        outln!("服务器拒收：{why}");
    }
    if r.notes.parked_total > 0 {
        outln!(
            "暂存 {} 条从服务器下载、还不能写入本机的记录：",
            r.notes.parked_total
        );
        for p in &r.notes.parked {
            outln!("  {} {}：{}", p.kind, p.id, p.reason);
        }
    }
    for (id, name) in &r.notes.not_synced {
        outln!("本机的活动“{name}”（{id}）不在这个账号负责的会场里（服务器上没有：未发布，或在本机新建），它的记录不会上传。");
    }
    Ok(())
}
