//! One module per area of the day. Each command is a few lines: find what it names, call the
//! core, print the result.

pub mod backup;
pub mod bench;
pub mod bench_at_rest;
pub mod bench_desk;
pub mod bench_year;
pub mod central;
pub mod day;
pub mod desk;
pub mod experts;
pub mod export;
pub mod import;
pub mod packages;
pub mod points;
pub mod reports;
pub mod rollcall;
pub mod signups;
pub mod stations;
pub mod year;

use anyhow::{anyhow, Result};
use tongxin_core::{events, experts as roster, Db, Desk, Event, Expert};

/// The desk a CLI command is recorded under (`cli:<name>` in the audit log).
pub fn desk(name: &str) -> Desk {
    Desk {
        id: format!("cli:{name}"),
        name: name.to_string(),
    }
}

/// The event `--event` names, else the current one.
pub fn event(db: &Db, given: Option<&str>) -> Result<Event> {
    events::resolve(db, given)?
        .ok_or_else(|| anyhow!("数据库里还没有活动。请先运行 `demo` 或导入名单。"))
}

/// The expert `--code` names.
pub fn expert(db: &Db, code: &str) -> Result<Expert> {
    roster::by_code(db, code)?.ok_or_else(|| anyhow!("找不到编号为 {code} 的专家。"))
}
