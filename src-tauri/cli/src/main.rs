//! `tongxin-cli`: the core on the command line, for scripting, batch work and acceptance checks.
//! Every command takes `--db PATH`; `--json` prints machine-readable output. Errors go to
//! stderr in Chinese with a non-zero exit code; a reader that closes the pipe early ends the
//! program quietly with 0 (see `print`).

use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use clap::Parser;
use tongxin_core::Db;

mod args;
mod cmd;
mod print;

use args::{Cli, Command};
use cmd::{backup, day, desk, experts, export, import, packages, points};
use cmd::{reports, rollcall, signups, stations, year};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let json = cli.json;
    if let Command::Bench { what } = &cli.command {
        return cmd::bench::run(what, json);
    }
    if let Command::Server { action } = &cli.command {
        if !action.needs_db() {
            return cmd::central::server_only(action, json);
        }
    }
    let path = cli
        .db
        .ok_or_else(|| anyhow!("请用 --db 指定数据库文件（或设置环境变量 TONGXIN_DB）。"))?;
    // Anything that writes takes the window's lock first: `restore` or `demo` must never
    // rewrite a database a desk has open (reading beside it is safe: WAL).
    let _lock = if cli.command.reads_only() {
        None
    } else {
        Some(tongxin_core::db::lock(&path)?)
    };
    if let Command::Key {
        action: backup::KeyAction::Recover { recovery_key },
    } = &cli.command
    {
        return backup::recover(&path, recovery_key, json);
    }
    let mut db = Db::open(&path).with_context(|| format!("打开 {}", path.display()))?;
    let db = &mut db;
    match cli.command {
        Command::Init => day::init(&path, json),
        Command::Demo => day::demo(db, json),
        Command::Events => day::events(db, json),
        Command::EventAdd(a) => day::event_add(db, a, json),
        Command::Experts { action: None } => experts::list(db, json),
        Command::Experts { action: Some(a) } => experts::run(db, a, json),
        Command::Points(a) => points::run(db, a, json),
        Command::Signup { action } => signups::run(db, action, json),
        Command::Suggest(a) => signups::suggest(db, a, json),
        Command::Search(a) => desk::search(db, a, json),
        Command::Checkin(a) => desk::check_in(db, a, json),
        Command::Undo(a) => desk::undo(db, a, json),
        Command::Checkins(a) => desk::checkins(db, a, json),
        Command::Walkin(a) => desk::walk_in(db, a, json),
        Command::CheckinBurst(a) => desk::burst(db, a),
        Command::Move(a) => rollcall::move_to(db, a, json),
        Command::Roster(a) => rollcall::roster(db, a, json),
        Command::Import(a) => import::import(db, a, json),
        Command::UndoImport(a) => import::undo_last(db, a, json),
        Command::Export { what } => export::run(db, what, json),
        Command::Badges(a) => export::badges(db, a, json),
        Command::Pack(a) => packages::pack(db, a, json),
        Command::Subvenue(a) => packages::subvenue(db, a, json),
        Command::Merge(a) => packages::merge(db, a, json),
        Command::Backup(a) => backup::backup(db, a, json),
        Command::Restore(a) => backup::restore(db, &path, a),
        Command::Stats(a) => reports::stats(db, a, json),
        Command::Attendance(a) => reports::attendance(db, a, json),
        Command::Audit(a) => reports::audit(db, a, json),
        Command::Report(a) => year::report(db, a, json),
        Command::Outcome(a) => year::outcome(db, a, json),
        Command::History(a) => year::history(db, a, json),
        Command::Station { action } => stations::run(db, action, json),
        Command::Suggestion { action } => year::suggestion(db, action, json),
        Command::Server { action } => cmd::central::publish(db, action, json),
        Command::Sync(a) => cmd::central::sync(db, a, json),
        Command::Key {
            action: backup::KeyAction::Show,
        } => backup::show(db, json),
        Command::Key { .. } | Command::Bench { .. } => Ok(()),
    }
}
