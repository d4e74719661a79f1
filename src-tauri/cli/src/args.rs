//! The command line's surface: global options and one variant per command. Each command's own
//! options live beside the code that reads them, in `cmd/<area>.rs`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd::{backup, bench, day, desk, experts, export, import, packages, points};
use crate::cmd::{central, reports, rollcall, signups, stations, year};

#[derive(Parser)]
#[command(name = "tongxin-cli", version, about = "同心签到 命令行工具")]
pub struct Cli {
    /// The database file (created if missing).
    #[arg(long, env = "TONGXIN_DB", global = true)]
    pub db: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create an empty database (or bring an existing one up to date).
    Init,
    /// Load the embedded demo day (2024-09-29, Jinshan main venue).
    Demo,
    /// List the events.
    Events,
    /// List the experts, or add / edit / merge / archive one.
    Experts {
        #[command(subcommand)]
        action: Option<experts::ExpertsAction>,
    },
    /// The event's service points (list), or add one.
    Points(points::PointsArgs),
    /// Sign an expert up for a service point, move them, or cancel (the waiting list moves up).
    Signup {
        #[command(subcommand)]
        action: signups::SignupAction,
    },
    /// Suggested service points for registered experts who have none (by field and places).
    Suggest(signups::SuggestArgs),
    /// Create an event (a sub-venue with --parent), optionally copying another's points.
    EventAdd(day::EventAddArgs),
    /// Search experts as the check-in desk does.
    Search(desk::SearchArgs),
    /// Check an expert in.
    Checkin(desk::CheckinArgs),
    /// Undo a check-in (recorded as a revocation, never deleted).
    Undo(desk::UndoArgs),
    /// Who is checked in where, when, at which desk, revoked or not.
    Checkins(desk::CheckinsArgs),
    /// Register a walk-in (现场补录) and check them in.
    Walkin(desk::WalkinArgs),
    /// Move an expert to another service point (`none` for plenary only).
    Move(rollcall::MoveArgs),
    /// A service point's list for the roll call, or (without --point) who has not arrived.
    Roster(rollcall::RosterArgs),
    /// Import an organisers' list (.xlsx/.xls/.csv/.txt in any Chinese encoding). Prints the
    /// report: counts and every problem with its row; exit 0 when it committed (or would).
    Import(import::ImportArgs),
    /// Undo the event's last import as a whole.
    UndoImport(import::UndoImportArgs),
    /// The audit log, newest first.
    Audit(reports::AuditArgs),
    /// Measure the search index or a durable check-in (needs no --db).
    Bench {
        #[command(subcommand)]
        what: bench::What,
    },
    /// Export attendance sheets (签到表) or the day's summary.
    Export {
        #[command(subcommand)]
        what: export::ExportWhat,
    },
    /// The day's totals: per group and service point, party, organisation; arrivals per 10
    /// minutes; revoked check-ins (what `export summary` writes).
    Stats(reports::StatsArgs),
    /// Write a desk package: the event's check-ins, revocations and walk-ins (since TIME).
    Pack(packages::PackArgs),
    /// Write a sub-venue package: one event's service points, experts and sign-ups, sealed
    /// under a passphrase that is printed once (give it to the sub-venue by another way).
    Subvenue(packages::SubvenueArgs),
    /// Merge a desk or sub-venue package (idempotent; prints what was added, already present,
    /// flagged). A package must open under the event's key or the passphrase.
    Merge(packages::MergeArgs),
    /// A consistent copy of the database (SQLite online backup).
    Backup(backup::BackupArgs),
    /// Replace the database's content with a backup (the current one is backed up first,
    /// into backups/ beside the database).
    Restore(backup::RestoreArgs),
    /// Check in up to N registered experts one after another, printing each confirmed
    /// check-in id as it is committed (load and fault tests).
    CheckinBurst(desk::BurstArgs),
    /// Name badges with the QR code the desk scans, eight per A4 page (PDF).
    Badges(export::BadgesArgs),
    /// Expected and present, overall and per service point.
    Attendance(reports::AttendanceArgs),
    /// The year's statistics: activities, participations (人次), experts, enterprises and
    /// people served, by district, kind of service and month, and the report sentence.
    Report(year::ReportArgs),
    /// Enter what a service point's visit achieved (enterprises and people served).
    Outcome(year::OutcomeArgs),
    /// An expert's service activities over a year.
    History(year::HistoryArgs),
    /// Suggestions (建言) collected at a service point: add, adopt, list.
    Suggestion {
        #[command(subcommand)]
        action: year::SuggestionAction,
    },
    /// 同心荟 service stations: add, appoint an expert, end an appointment, list, export the
    /// appointment list (受聘专家名单).
    Station {
        #[command(subcommand)]
        action: stations::StationAction,
    },
    /// The city office's central PostgreSQL: create or upgrade its schema, add desk and
    /// dashboard logins, publish a day, show the city dashboard.
    Server {
        #[command(subcommand)]
        action: central::ServerAction,
    },
    /// Sync this desk with the central server: push what it has not sent, pull what changed
    /// for its venues. `--once`: one round, exit 0 when both directions completed.
    Sync(central::SyncArgs),
    /// The database's key: show its recovery key, or open it on this laptop with one.
    Key {
        #[command(subcommand)]
        action: backup::KeyAction,
    },
}

impl Command {
    /// Commands that only read the database (they may run while the window has it open).
    pub fn reads_only(&self) -> bool {
        match self {
            Command::Events
            | Command::Experts { action: None }
            | Command::Search(_)
            | Command::Checkins(_)
            | Command::Roster(_)
            | Command::Audit(_)
            | Command::Export { .. }
            | Command::Stats(_)
            | Command::Backup(_)
            | Command::Key { .. }
            | Command::Attendance(_)
            | Command::Report(_)
            | Command::History(_)
            | Command::Badges(_) => true,
            Command::Points(p) => p.reads_only(),
            Command::Station { action } => action.reads_only(),
            Command::Suggestion { action } => action.reads_only(),
            Command::Suggest(s) => !s.apply,
            Command::Import(i) => i.dry_run,
            _ => false,
        }
    }
}
