//! `tongxin-cli`: the core on the command line, for scripting, batch work and acceptance checks.
//! Every command takes `--db PATH`; `--json` prints machine-readable output. Errors go to
//! stderr in Chinese with a non-zero exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use chrono::Utc;
use clap::{Parser, Subcommand};
use serde::Serialize;
use tongxin_core::{
    attendance, backup, checkin, demo, events, export, import, package, rollcall, seal, search,
    store, walkin, Checkpoint, Db, Desk, Method,
};

mod bench;

#[derive(Parser)]
#[command(name = "tongxin-cli", version, about = "同心签到 命令行工具")]
struct Cli {
    /// The database file (created if missing).
    #[arg(long, env = "TONGXIN_DB", global = true)]
    db: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an empty database (or bring an existing one up to date).
    Init,
    /// Load the embedded demo day (2024-09-29, Jinshan main venue).
    Demo,
    /// List the events.
    Events,
    /// List the experts, or add / edit / merge / archive one.
    Experts {
        #[command(subcommand)]
        action: Option<ExpertsAction>,
    },
    /// The event's service points (list), or add one.
    Points {
        #[arg(long, global = true)]
        event: Option<String>,
        #[command(subcommand)]
        action: Option<PointsAction>,
    },
    /// Sign an expert up for a service point, move them, or cancel (the waiting list moves up).
    Signup {
        #[command(subcommand)]
        action: SignupAction,
    },
    /// Suggested service points for registered experts who have none (by field and places).
    Suggest {
        #[arg(long)]
        event: Option<String>,
        /// Apply the suggestions.
        #[arg(long)]
        apply: bool,
    },
    /// Create an event (a sub-venue with --parent), optionally copying another's points.
    EventAdd {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        short_name: String,
        #[arg(long)]
        date: String,
        #[arg(long, default_value = "")]
        place: String,
        #[arg(long)]
        parent: Option<String>,
        #[arg(long)]
        copy_points_from: Option<String>,
    },
    /// Search experts as the check-in desk does.
    Search {
        query: String,
        #[arg(long)]
        event: Option<String>,
        #[arg(long, default_value_t = 8)]
        limit: usize,
        /// `main` or a service point id.
        #[arg(long, default_value = "main")]
        checkpoint: String,
    },
    /// Check an expert in.
    Checkin {
        #[arg(long)]
        event: Option<String>,
        #[arg(long, conflicts_with = "code", required_unless_present = "code")]
        expert: Option<String>,
        #[arg(long)]
        code: Option<String>,
        #[arg(long, default_value = "main")]
        checkpoint: String,
        #[arg(long, default_value = "命令行")]
        desk: String,
    },
    /// Undo a check-in (recorded as a revocation, never deleted).
    Undo {
        checkin_id: String,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "命令行")]
        desk: String,
    },
    /// Who is checked in where, when, at which desk, revoked or not.
    Checkins {
        #[arg(long)]
        event: Option<String>,
        #[arg(long, default_value = "main")]
        checkpoint: String,
    },
    /// Register a walk-in (现场补录) and check them in.
    Walkin {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        organisation: String,
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// The service point the person joins.
        #[arg(long)]
        point: Option<String>,
        #[arg(long, default_value = "命令行")]
        desk: String,
    },
    /// Move an expert to another service point (`none` for plenary only).
    Move {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        code: String,
        #[arg(long)]
        to: String,
        /// Move even when the service point is full.
        #[arg(long)]
        over_capacity: bool,
        #[arg(long, default_value = "命令行")]
        desk: String,
    },
    /// A service point's list for the roll call, or (without --point) who has not arrived.
    Roster {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        point: Option<String>,
        /// Checked in this morning but on no bus.
        #[arg(long, conflicts_with = "point")]
        off_bus: bool,
    },
    /// Import an organisers' list (.xlsx/.xls/.csv/.txt in any Chinese encoding). Prints the
    /// report: counts and every problem with its row; exit 0 when it committed (or would).
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "signups")]
        kind: ImportKind,
        #[arg(long)]
        event: Option<String>,
        /// Check and report, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Register the rows beyond a point's places anyway (over capacity) instead of putting
        /// them on its waiting list.
        #[arg(long)]
        over_capacity: bool,
        #[arg(long, default_value = "命令行")]
        desk: String,
    },
    /// Undo the event's last import as a whole.
    UndoImport {
        #[arg(long)]
        event: Option<String>,
        #[arg(long, default_value = "命令行")]
        desk: String,
    },
    /// The audit log, newest first.
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Measure the search index or a durable check-in (needs no --db).
    Bench {
        #[command(subcommand)]
        what: bench::What,
    },
    /// Export attendance sheets (签到表) or the day's summary.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// The day's totals: per group and service point, party, organisation; arrivals per 10
    /// minutes; revoked check-ins (what `export summary` writes).
    Stats {
        #[arg(long)]
        event: Option<String>,
    },
    /// Write a desk package: the event's check-ins, revocations and walk-ins (since TIME).
    Pack {
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
    },
    /// Write a sub-venue package: one event's service points, experts and sign-ups, sealed
    /// under a passphrase that is printed once (give it to the sub-venue by another way).
    Subvenue {
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
    },
    /// Merge a desk or sub-venue package (idempotent; prints what was added, already present,
    /// flagged). A package must open under the event's key or the passphrase.
    Merge {
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
    },
    /// A consistent copy of the database (SQLite online backup).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the database's content with a backup (the current one is backed up first,
    /// into backups/ beside the database).
    Restore { file: PathBuf },
    /// Check in up to N registered experts one after another, printing each confirmed
    /// check-in id as it is committed (load and fault tests).
    CheckinBurst {
        #[arg(long)]
        event: Option<String>,
        #[arg(long, default_value_t = 1000)]
        count: usize,
    },
    /// Name badges with the QR code the desk scans, eight per A4 page (PDF).
    Badges {
        #[arg(long)]
        event: Option<String>,
        /// Only this service point's people.
        #[arg(long)]
        point: Option<String>,
        /// Table cards (桌签, one per page, folded) instead of badges.
        #[arg(long)]
        cards: bool,
        #[arg(long)]
        out: PathBuf,
    },
    /// Expected and present, overall and per service point.
    Attendance {
        #[arg(long)]
        event: Option<String>,
        #[arg(long, default_value = "main")]
        checkpoint: String,
    },
}

#[derive(clap::Args)]
struct ExpertArgs {
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
    fn form(self) -> tongxin_core::experts::ExpertForm {
        tongxin_core::experts::ExpertForm {
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

#[derive(Subcommand)]
enum ExpertsAction {
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
}

#[derive(Subcommand)]
enum PointsAction {
    /// List the service points (the default).
    List,
    /// Add a service point.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        short_name: String,
        #[arg(long)]
        theme: Option<String>,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        contact: String,
        #[arg(long, default_value = "")]
        contact_phone: String,
        #[arg(long, default_value_t = 0)]
        capacity: i64,
        #[arg(long, default_value = "")]
        depart: String,
        #[arg(long, default_value = "")]
        bus: String,
    },
}

#[derive(Subcommand)]
enum SignupAction {
    /// Sign up (a full point puts the expert on its waiting list).
    Add {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        code: String,
        /// A service point id; without it, the plenary only.
        #[arg(long)]
        point: Option<String>,
    },
    /// Move to another service point (`none` for the plenary only).
    Move {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        code: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        over_capacity: bool,
    },
    /// Cancel; the first one waiting at the point moves up.
    Cancel {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        code: String,
    },
}

#[derive(Subcommand)]
enum ExportWhat {
    /// An attendance sheet for a checkpoint.
    Sheet {
        #[arg(long)]
        event: Option<String>,
        /// `main` (the venue), a service point id, `theme:THEME_ID`, or `all` (a sheet per point).
        #[arg(long, default_value = "main")]
        checkpoint: String,
        #[arg(long, value_enum, default_value = "blank")]
        kind: SheetKindArg,
        #[arg(long, value_enum)]
        format: FormatArg,
        #[arg(long, value_enum, default_value = "group")]
        sort: SortArg,
        /// Print phones in full instead of 138****8000.
        #[arg(long)]
        full_phone: bool,
        /// Empty numbered rows at the end for walk-ins.
        #[arg(long, default_value_t = 5)]
        blank_rows: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// The summary workbook (.xlsx).
    Summary {
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SheetKindArg {
    /// Pre-printed, for signatures on paper.
    Blank,
    /// After the day, with check-in times and walk-ins marked.
    Record,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Xlsx,
    Pdf,
    Csv,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SortArg {
    Group,
    Organisation,
    Pinyin,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ImportKind {
    /// Experts only.
    Experts,
    /// Experts with their group for the event (creates experts and sign-ups).
    Signups,
    /// The event's service points (theme, address, contact, capacity, departure, bus).
    Points,
}

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

fn print<T: Serialize>(json: bool, value: &T, table: impl FnOnce(&T)) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        table(value);
    }
    Ok(())
}

fn cli_desk(name: &str) -> Desk {
    Desk {
        id: format!("cli:{name}"),
        name: name.to_string(),
    }
}

fn event_id(db: &Db, given: Option<String>) -> Result<String> {
    match given {
        Some(id) => Ok(id),
        None => events::current(db)?
            .map(|e| e.id)
            .ok_or_else(|| anyhow!("数据库里还没有活动。请先运行 `demo` 或导入名单。")),
    }
}

fn run_export(db: &Db, what: ExportWhat, json: bool) -> Result<()> {
    #[derive(Serialize)]
    struct Saved {
        path: String,
        bytes: usize,
        unprintable: Vec<export::pdf::Unprintable>,
    }
    let mut unprintable = Vec::new();
    let (path, bytes) = match what {
        ExportWhat::Sheet {
            event,
            checkpoint,
            kind,
            format,
            sort,
            full_phone,
            blank_rows,
            out,
        } => {
            let ev = event_id(db, event)?;
            let opts = export::SheetOptions {
                kind: match kind {
                    SheetKindArg::Blank => export::SheetKind::Blank,
                    SheetKindArg::Record => export::SheetKind::Record,
                },
                scope: export::Scope::parse(&checkpoint),
                sort: match sort {
                    SortArg::Group => export::SortBy::Group,
                    SortArg::Organisation => export::SortBy::Organisation,
                    SortArg::Pinyin => export::SortBy::Pinyin,
                },
                full_phone,
                blank_rows,
            };
            let format = match format {
                FormatArg::Xlsx => export::FileFormat::Xlsx,
                FormatArg::Pdf => export::FileFormat::Pdf,
                FormatArg::Csv => export::FileFormat::Csv,
            };
            let sheets = export::sheets(db, &ev, &opts)?;
            if matches!(format, export::FileFormat::Pdf) {
                unprintable = export::unprintable(&sheets)?;
            }
            (out, export::render(&sheets, format)?)
        }
        ExportWhat::Summary { event, out } => {
            let ev = event_id(db, event)?;
            let s = export::summary::summary(db, &ev)?;
            (out, export::summary::write_xlsx(&s)?)
        }
    };
    export::save(&path, &bytes)?;
    warn_unprintable(&unprintable);
    let saved = Saved {
        path: path.display().to_string(),
        bytes: bytes.len(),
        unprintable,
    };
    print(json, &saved, |s| {
        println!("已保存 {}（{} 字节）", s.path, s.bytes)
    })
}

/// Names the PDF could not print in full: said on stderr, whatever the output format.
fn warn_unprintable(list: &[export::pdf::Unprintable]) {
    for u in list {
        eprintln!(
            "注意：“{}”中有字体无法打印的字（{}），PDF 中印为编码，请手写补上。",
            u.text,
            u.code_points.join("、")
        );
    }
}

fn expert_by_code(db: &Db, code: &str) -> Result<tongxin_core::Expert> {
    store::expert::by_code(db.conn(), code)?.ok_or_else(|| anyhow!("找不到编号为 {code} 的专家"))
}

fn run_experts(db: &mut Db, action: ExpertsAction, json: bool) -> Result<()> {
    use tongxin_core::experts;
    let desk = cli_desk("命令行");
    match action {
        ExpertsAction::Add { fields } => {
            let e = experts::add(db, &fields.form(), &desk, Utc::now())?;
            print(json, &e, |e| println!("已添加 {}（{}）", e.name, e.code))
        }
        ExpertsAction::Edit { code, fields } => {
            let id = expert_by_code(db, &code)?.id;
            let e = experts::edit(db, &id, &fields.form(), &desk, Utc::now())?;
            print(json, &e, |e| println!("已保存 {}（{}）", e.name, e.code))
        }
        ExpertsAction::Merge { keep, other } => {
            let (k, o) = (
                expert_by_code(db, &keep)?.id,
                expert_by_code(db, &other)?.id,
            );
            let m = experts::merge(db, &k, &o, &desk, Utc::now())?;
            print(json, &m, |m| {
                println!(
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
            let id = expert_by_code(db, &code)?.id;
            let how = experts::remove(db, &id, &desk, Utc::now())?;
            print(
                json,
                &serde_json::json!({ "code": code, "result": how }),
                |_| {
                    println!(
                        "{code}：{}",
                        match how {
                            experts::Removed::Deleted => "已删除（没有签到记录）",
                            experts::Removed::Archived => "已归档（有签到记录，保留）",
                        }
                    )
                },
            )
        }
    }
}

fn run_signup(db: &mut Db, action: SignupAction, json: bool) -> Result<()> {
    use tongxin_core::signups;
    let desk = cli_desk("命令行");
    match action {
        SignupAction::Add { event, code, point } => {
            let ev = event_id(db, event)?;
            let id = expert_by_code(db, &code)?.id;
            let r = signups::sign_up(db, &ev, &id, point.as_deref(), &desk, Utc::now())?;
            print(json, &r, |r| match r.waiting_position {
                Some(n) => println!("{code} 已报名，名额已满：候补第 {n} 位"),
                None => println!("{code} 已报名"),
            })
        }
        SignupAction::Move {
            event,
            code,
            to,
            over_capacity,
        } => {
            let ev = event_id(db, event)?;
            let id = expert_by_code(db, &code)?.id;
            let to = (to != "none").then_some(to);
            let m = rollcall::move_to_point(
                db,
                &ev,
                &id,
                to.as_deref(),
                over_capacity,
                &desk,
                Utc::now(),
            )?;
            print(json, &m, |m| {
                println!(
                    "{code} 已调到 {}",
                    m.signup.point_id.as_deref().unwrap_or("主会场")
                );
                for p in &m.promoted {
                    println!("  {} 由候补转为正式", p.name);
                }
            })
        }
        SignupAction::Cancel { event, code } => {
            let ev = event_id(db, event)?;
            let id = expert_by_code(db, &code)?.id;
            let promoted = signups::cancel(db, &ev, &id, &desk, Utc::now())?;
            print(
                json,
                &serde_json::json!({ "cancelled": code, "promoted": promoted }),
                |_| {
                    println!("{code} 已取消报名");
                    for p in &promoted {
                        println!("  {} 由候补转为正式", p.name);
                    }
                },
            )
        }
    }
}

fn parse_time(s: &str) -> Result<chrono::DateTime<Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .with_context(|| format!("无法识别时间“{s}”，请写成 2024-09-29 08:30"))?;
    local
        .and_local_timezone(tongxin_core::clock::shanghai())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| anyhow!("无法识别时间“{s}”"))
}

/// What `pack` and `subvenue` were asked for.
struct PackageOrder<'a> {
    event: Option<String>,
    kind: package::Kind,
    since: Option<chrono::DateTime<Utc>>,
    desk: &'a str,
    out: &'a std::path::Path,
    sealing: package::Sealing,
}

/// Builds a package of the event, writes it whole to `out`, and says what it holds.
fn write_package(db: &Db, o: PackageOrder, json: bool) -> Result<()> {
    let ev = event_id(db, o.event)?;
    let p = package::build(db, &ev, o.kind, o.since, &cli_desk(o.desk), Utc::now())?;
    export::save(o.out, &package::to_bytes(db, &p, &o.sealing)?)?;
    print_package(json, o.out, &p, &o.sealing)
}

fn print_package(
    json: bool,
    out: &std::path::Path,
    p: &package::Payload,
    sealing: &package::Sealing,
) -> Result<()> {
    let passphrase = match sealing {
        package::Sealing::Passphrase(phrase) => Some(phrase.clone()),
        _ => None,
    };
    let sealed = !matches!(sealing, package::Sealing::Unsealed);
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
        println!(
            "已写入 {}：专家 {}，报名 {}，签到 {}，撤销 {}",
            out.display(),
            p.experts.len(),
            p.signups.len(),
            p.checkins.len(),
            p.revocations.len()
        );
        if let Some(phrase) = &passphrase {
            println!("口令（只显示这一次，请另行告知分会场）：{phrase}");
        }
        if !sealed {
            println!("注意：这个数据包未加密，任何拿到它的人都能读到其中的姓名和手机号。");
        }
    })
}

impl Command {
    /// Commands that only read the database (they may run while the window has it open).
    fn reads_only(&self) -> bool {
        matches!(
            self,
            Command::Events
                | Command::Experts { action: None }
                | Command::Points {
                    action: None | Some(PointsAction::List),
                    ..
                }
                | Command::Search { .. }
                | Command::Checkins { .. }
                | Command::Roster { .. }
                | Command::Audit { .. }
                | Command::Export { .. }
                | Command::Stats { .. }
                | Command::Backup { .. }
                | Command::Attendance { .. }
                | Command::Badges { .. }
                | Command::Suggest { apply: false, .. }
                | Command::Import { dry_run: true, .. }
        )
    }
}

fn run(cli: Cli) -> Result<()> {
    if let Command::Bench { what } = &cli.command {
        return bench::run(what, cli.json);
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
    let mut db = Db::open(&path).with_context(|| format!("打开 {}", path.display()))?;
    let json = cli.json;
    match cli.command {
        Command::Init => print(json, &serde_json::json!({"db": path, "ok": true}), |_| {
            println!("数据库已就绪：{}", path.display())
        }),
        Command::Demo => {
            let s = demo::load(&mut db, Utc::now())?;
            print(json, &s, |s| {
                println!(
                    "已载入演示活动 {}：专家 {} 人，服务点位 {} 个，报名 {} 条，签到 {} 条",
                    s.event_id, s.experts, s.points, s.signups, s.checkins
                )
            })
        }
        Command::Events => {
            let list = store::event::list(db.conn())?;
            print(json, &list, |l| {
                for e in l {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        e.id, e.date, e.name, e.short_name, e.place
                    );
                }
            })
        }
        Command::Points {
            event,
            action:
                Some(PointsAction::Add {
                    name,
                    short_name,
                    theme,
                    address,
                    contact,
                    contact_phone,
                    capacity,
                    depart,
                    bus,
                }),
        } => {
            let ev = event_id(&db, event)?;
            let form = tongxin_core::service_points::PointForm {
                id: String::new(),
                name,
                short_name,
                theme_id: theme,
                address,
                contact,
                contact_phone,
                capacity,
                depart_time: depart,
                bus,
            };
            let saved = tongxin_core::service_points::save(
                &mut db,
                &ev,
                &form,
                &cli_desk("命令行"),
                Utc::now(),
            )?;
            print(json, &saved.point, |p| {
                println!("已添加服务点位 {}（{}）", p.name, p.id)
            })
        }
        Command::Points { event, .. } => {
            let ev = event_id(&db, event)?;
            let list = store::point::list_for_event(db.conn(), &ev)?;
            print(json, &list, |l| {
                for p in l {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        p.id, p.name, p.capacity, p.depart_time, p.bus, p.address
                    );
                }
            })
        }
        Command::Experts {
            action: Some(action),
        } => run_experts(&mut db, action, json),
        Command::Signup { action } => run_signup(&mut db, action, json),
        Command::Suggest { event, apply } => {
            let ev = event_id(&db, event)?;
            let list = if apply {
                tongxin_core::signups::apply_suggestions(
                    &mut db,
                    &ev,
                    &cli_desk("命令行"),
                    Utc::now(),
                )?
            } else {
                tongxin_core::signups::suggest(&db, &ev)?
            };
            print(json, &list, |l| {
                for s in l {
                    println!("{}\t→ {}\t{}", s.name, s.point_name, s.reason);
                }
                if apply {
                    println!("已按建议分配 {} 人", l.len());
                }
            })
        }
        Command::EventAdd {
            name,
            short_name,
            date,
            place,
            parent,
            copy_points_from,
        } => {
            let form = events::EventForm {
                name,
                short_name,
                parent_id: parent,
                date,
                place,
            };
            let (e, n) = events::create(&mut db, &form, copy_points_from.as_deref(), Utc::now())?;
            let out = serde_json::json!({ "event": e, "copied_points": n });
            print(json, &out, |_| {
                println!("已创建活动 {}（{}），复制服务点位 {} 个", e.name, e.id, n)
            })
        }
        Command::Experts { action: None } => {
            let list = store::expert::list(db.conn())?;
            print(json, &list, |l| {
                for e in l {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        e.code,
                        e.name,
                        e.organisation,
                        e.title,
                        tongxin_core::mask_phone(&e.phone)
                    );
                }
            })
        }
        Command::Search {
            query,
            event,
            limit,
            checkpoint,
        } => {
            let ev = event_id(&db, event)?;
            let hits = search::search(&db, &ev, &Checkpoint::parse(&checkpoint), &query, limit)?;
            print(json, &hits, |h| {
                for x in h {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        x.code,
                        x.name,
                        x.organisation,
                        x.assignment.theme_name.as_deref().unwrap_or("-"),
                        x.phone_masked,
                        x.checkin
                            .as_ref()
                            .map(|c| format!("已签到 {}", c.local_time))
                            .unwrap_or_else(|| "未签到".into())
                    );
                }
            })
        }
        Command::Checkin {
            event,
            expert,
            code,
            checkpoint,
            desk,
        } => {
            let ev = event_id(&db, event)?;
            let cp = Checkpoint::parse(&checkpoint);
            let desk = cli_desk(&desk);
            let r = match (expert, code) {
                (Some(id), _) => {
                    checkin::check_in(&mut db, &ev, &id, &cp, Method::Manual, &desk, Utc::now())?
                }
                (None, Some(code)) => checkin::check_in_by_code(
                    &mut db,
                    &ev,
                    &code,
                    &cp,
                    Method::Manual,
                    &desk,
                    Utc::now(),
                )?,
                (None, None) => return Err(anyhow!("请给出 --expert 或 --code。")),
            };
            print(json, &r, |r| match r.outcome {
                checkin::Outcome::Recorded => println!(
                    "{} 签到成功 {}（记录 {}）",
                    r.expert.name, r.checkin.local_time, r.checkin.id
                ),
                checkin::Outcome::Duplicate => println!(
                    "{} 已于 {} 在 {} 签到，未重复记录",
                    r.expert.name, r.checkin.local_time, r.checkin.desk_name
                ),
            })
        }
        Command::Undo {
            checkin_id,
            reason,
            desk,
        } => {
            let c = checkin::revoke(&mut db, &checkin_id, &reason, &cli_desk(&desk), Utc::now())?;
            print(json, &c, |c| println!("已撤销签到 {}", c.id))
        }
        Command::Checkins { event, checkpoint } => {
            let ev = event_id(&db, event)?;
            let cp = Checkpoint::parse(&checkpoint);
            let list = store::checkin::for_checkpoint(db.conn(), &ev, cp.point_id())?;
            print(json, &list, |l| {
                for c in l {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        c.id,
                        c.expert_id,
                        tongxin_core::clock::local_datetime(&c.at),
                        c.desk_name,
                        c.method.as_str(),
                        c.revoked_at.as_ref().map(|_| "已撤销").unwrap_or("有效")
                    );
                }
            })
        }
        Command::Walkin {
            event,
            name,
            organisation,
            title,
            phone,
            point,
            desk,
        } => {
            let ev = event_id(&db, event)?;
            let form = walkin::WalkInForm {
                name,
                organisation,
                title,
                phone,
                point_id: point,
            };
            for s in walkin::similar(&db, &form.name, &form.phone)? {
                eprintln!(
                    "注意：已有{}的专家 {} {}（{}）",
                    if s.same_phone {
                        "同手机号"
                    } else {
                        "同名"
                    },
                    s.code,
                    s.name,
                    s.organisation
                );
            }
            let r = walkin::register(
                &mut db,
                &ev,
                &form,
                &Checkpoint::Main,
                &cli_desk(&desk),
                Utc::now(),
            )?;
            print(json, &r, |r| {
                println!(
                    "{} {}（{}）现场补录并签到 {}",
                    r.result.expert.code,
                    r.result.expert.name,
                    if r.created { "新建" } else { "已有专家" },
                    r.result.checkin.local_time
                )
            })
        }
        Command::Move {
            event,
            code,
            to,
            over_capacity,
            desk,
        } => {
            let ev = event_id(&db, event)?;
            let expert = store::expert::by_code(db.conn(), &code)?
                .ok_or_else(|| anyhow!("找不到编号为 {code} 的专家。"))?;
            let to = (to != "none").then_some(to);
            let m = rollcall::move_to_point(
                &mut db,
                &ev,
                &expert.id,
                to.as_deref(),
                over_capacity,
                &cli_desk(&desk),
                Utc::now(),
            )?;
            print(json, &m, |m| {
                println!(
                    "{} 已调整：{} → {}（{}/{}）",
                    expert.name,
                    m.from_point_id.as_deref().unwrap_or("-"),
                    m.signup.point_id.as_deref().unwrap_or("-"),
                    m.used,
                    m.capacity
                )
            })
        }
        Command::Roster {
            event,
            point,
            off_bus,
        } => {
            let ev = event_id(&db, event)?;
            let rows = match (point, off_bus) {
                (Some(p), _) => rollcall::roster(&db, &ev, &p)?,
                (None, true) => rollcall::not_on_any_bus(&db, &ev)?,
                (None, false) => rollcall::not_arrived(&db, &ev)?,
            };
            print(json, &rows, |rows| {
                for r in rows {
                    println!(
                        "{}\t{}\t{}\t上午 {}\t点位 {}",
                        r.code,
                        r.name,
                        r.organisation,
                        r.morning_time.as_deref().unwrap_or("-"),
                        r.point_time.as_deref().unwrap_or("-")
                    );
                }
            })
        }
        Command::Import {
            file,
            kind,
            event,
            dry_run,
            over_capacity,
            desk,
        } => {
            let ev = event_id(&db, event)?;
            let kind = match kind {
                ImportKind::Experts => import::Kind::Experts,
                ImportKind::Signups => import::Kind::Signups,
                ImportKind::Points => import::Kind::Points,
            };
            let how = import::FileImport {
                kind,
                over_capacity: if over_capacity {
                    import::OverCapacity::Register
                } else {
                    import::OverCapacity::Waitlist
                },
                dry_run,
            };
            let r = import::import_file(&mut db, &ev, &file, how, &cli_desk(&desk), Utc::now())?;
            print(json, &r, |r| {
                println!(
                    "{}：新增 {}，更新 {}，未变 {}，跳过 {}",
                    if r.committed {
                        "已导入"
                    } else {
                        "预检（未写入）"
                    },
                    r.counts.added,
                    r.counts.updated,
                    r.counts.unchanged,
                    r.counts.skipped
                );
                for o in &r.overflow {
                    println!("  {}", o.message);
                }
                if !r.committed && r.over_capacity == import::OverCapacity::Waitlist {
                    if let Some(o) = r.overflow.first() {
                        println!(
                            "  如确需仍然报名（超额），导入时加 --over-capacity（{} 等点位将超出名额）。",
                            o.point
                        );
                    }
                }
                for p in &r.problems {
                    println!(
                        "  第 {} 行{}：{}",
                        p.row,
                        p.column
                            .as_deref()
                            .map(|c| format!("【{c}】"))
                            .unwrap_or_default(),
                        p.message
                    );
                }
            })
        }
        Command::UndoImport { event, desk } => {
            let ev = event_id(&db, event)?;
            let u = import::undo_last(&mut db, &ev, &cli_desk(&desk), Utc::now())?;
            print(json, &u, |u| {
                println!(
                    "已撤销 {} 的导入（{}）：删除新增专家 {} 人，恢复被更新的 {} 人",
                    u.imported_at, u.summary, u.removed_experts, u.restored_experts
                )
            })
        }
        Command::Audit { limit } => {
            let list = store::audit::recent(db.conn(), limit)?;
            print(json, &list, |l| {
                for a in l {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        a.local_time, a.desk_name, a.action, a.entity_id, a.detail
                    );
                }
            })
        }
        Command::Bench { .. } => Ok(()),
        Command::Export { what } => run_export(&db, what, json),
        Command::Badges {
            event,
            point,
            cards,
            out,
        } => {
            let ev = event_id(&db, event)?;
            let name = store::event::get(db.conn(), &ev)?
                .map(|e| tongxin_core::demo::printed_name(&e))
                .unwrap_or_default();
            let list = export::badges::badges(&db, &ev, point.as_deref())?;
            let bytes = if cards {
                export::badges::table_cards_pdf(&name, &list)?
            } else {
                export::badges::pdf(&name, &list)?
            };
            export::save(&out, &bytes)?;
            let unprintable = export::badges::unprintable(&list)?;
            warn_unprintable(&unprintable);
            let summary = serde_json::json!({
                "path": out.display().to_string(),
                "badges": list.len(),
                "unprintable": unprintable,
                "pages": if cards { list.len() } else { list.len().div_ceil(8) },
            });
            print(json, &summary, |_| {
                println!(
                    "已写入 {}：{} {} 张",
                    out.display(),
                    if cards { "桌签" } else { "胸卡" },
                    list.len()
                )
            })
        }
        Command::Pack {
            event,
            since,
            out,
            desk,
            unsealed,
        } => {
            let since = since.map(|s| parse_time(&s)).transpose()?;
            let sealing = if unsealed {
                package::Sealing::Unsealed
            } else {
                package::Sealing::EventKey
            };
            let order = PackageOrder {
                event,
                kind: package::Kind::Desk,
                since,
                desk: &desk,
                out: &out,
                sealing,
            };
            write_package(&db, order, json)
        }
        Command::Subvenue {
            event,
            out,
            desk,
            passphrase,
            unsealed,
        } => {
            let sealing = match (unsealed, passphrase) {
                (true, _) => package::Sealing::Unsealed,
                (false, Some(p)) => package::Sealing::Passphrase(p),
                (false, None) => package::Sealing::Passphrase(seal::new_passphrase()?),
            };
            let order = PackageOrder {
                event,
                kind: package::Kind::Subvenue,
                since: None,
                desk: &desk,
                out: &out,
                sealing,
            };
            write_package(&db, order, json)
        }
        Command::Merge {
            file,
            desk,
            passphrase,
            trust_foreign,
        } => {
            let unlock = package::Unlock {
                passphrase,
                trust_foreign,
            };
            let now = Utc::now();
            let p = package::read_file(&db, &file, &unlock, now)?;
            let r = package::merge(&mut db, &p, &cli_desk(&desk), now)?;
            print(json, &r, |r| {
                println!(
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
                    println!("  {line}");
                }
                for f in &r.flagged {
                    println!("  待核对：{}（{}）{}", f.name, f.checkpoint, f.records);
                }
            })
        }
        Command::Backup { out } => {
            backup::copy_to(&db, &out)?;
            let done = serde_json::json!({ "path": out.display().to_string() });
            print(json, &done, |_| println!("已备份到 {}", out.display()))
        }
        Command::Restore { file } => {
            let dir = path
                .parent()
                .map(|p| p.join("backups"))
                .unwrap_or_else(|| PathBuf::from("backups"));
            let kept = backup::restore(&mut db, &file, &dir, Utc::now())?;
            println!(
                "已从 {} 恢复；恢复前的数据已备份到 {}",
                file.display(),
                kept.display()
            );
            Ok(())
        }
        Command::CheckinBurst { event, count } => {
            use std::io::Write;
            let ev = event_id(&db, event)?;
            let desk = cli_desk("压力测试");
            let people: Vec<String> = store::signup::for_event(db.conn(), &ev)?
                .into_iter()
                .map(|s| s.expert_id)
                .take(count)
                .collect();
            let mut out = std::io::stdout().lock();
            for id in people {
                let r = checkin::check_in(
                    &mut db,
                    &ev,
                    &id,
                    &Checkpoint::Main,
                    Method::Manual,
                    &desk,
                    Utc::now(),
                )?;
                // Printed only once committed: what a screen would have confirmed.
                writeln!(out, "{}", r.checkin.id)?;
                out.flush()?;
            }
            Ok(())
        }
        Command::Stats { event } => {
            let ev = event_id(&db, event)?;
            let s = export::summary::summary(&db, &ev)?;
            print(json, &s, |s| {
                println!(
                    "{}：应到 {}  实到 {}  现场补录 {}",
                    s.venue.label, s.venue.expected, s.venue.present, s.venue.walk_ins
                );
                for g in &s.groups {
                    println!(
                        "  {}\t{}\t应到 {}\t上午 {}\t点位 {}",
                        g.theme, g.point, g.expected, g.present_morning, g.present_at_point
                    );
                }
            })
        }
        Command::Attendance { event, checkpoint } => {
            let ev = event_id(&db, event)?;
            let a = attendance::attendance(&db, &ev, &Checkpoint::parse(&checkpoint))?;
            print(json, &a, |a| {
                println!(
                    "应到 {}  实到 {}  现场补录 {}",
                    a.expected, a.present, a.walk_ins
                );
                for g in &a.groups {
                    println!(
                        "  {}\t{}\t{}/{}",
                        g.theme_name.as_deref().unwrap_or("-"),
                        g.point_name,
                        g.present,
                        g.expected
                    );
                }
            })
        }
    }
}
