//! Paper for the day: attendance sheets, the summary workbook, badges and table cards.

use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;
use tongxin_core::export::{self, badges, pdf::Unprintable, summary};
use tongxin_core::{demo, Db};

use super::event;
use crate::print::{outln, print};

#[derive(clap::Subcommand)]
pub enum ExportWhat {
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
pub enum SheetKindArg {
    /// Pre-printed, for signatures on paper.
    Blank,
    /// After the day, with check-in times and walk-ins marked.
    Record,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Xlsx,
    Pdf,
    Csv,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    Group,
    Organisation,
    Pinyin,
}

#[derive(clap::Args)]
pub struct BadgesArgs {
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
}

pub fn run(db: &Db, what: ExportWhat, json: bool) -> Result<()> {
    #[derive(Serialize)]
    struct Saved {
        path: String,
        bytes: usize,
        unprintable: Vec<Unprintable>,
    }
    let mut unprintable = Vec::new();
    let (path, bytes) = match what {
        ExportWhat::Sheet {
            event: e,
            checkpoint,
            kind,
            format,
            sort,
            full_phone,
            blank_rows,
            out,
        } => {
            let ev = event(db, e.as_deref())?.id;
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
        ExportWhat::Summary { event: e, out } => {
            let ev = event(db, e.as_deref())?.id;
            (out, summary::write_xlsx(&summary::summary(db, &ev)?)?)
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
        outln!("已保存 {}（{} 字节）", s.path, s.bytes)
    })
}

pub fn badges(db: &Db, a: BadgesArgs, json: bool) -> Result<()> {
    let ev = event(db, a.event.as_deref())?;
    let name = demo::printed_name(&ev);
    let list = badges::badges(db, &ev.id, a.point.as_deref())?;
    let bytes = if a.cards {
        badges::table_cards_pdf(&name, &list)?
    } else {
        badges::pdf(&name, &list)?
    };
    export::save(&a.out, &bytes)?;
    let unprintable = badges::unprintable(&list)?;
    warn_unprintable(&unprintable);
    let summary = serde_json::json!({
        "path": a.out.display().to_string(),
        "badges": list.len(),
        "unprintable": unprintable,
        "pages": if a.cards { list.len() } else { list.len().div_ceil(8) },
    });
    print(json, &summary, |_| {
        outln!(
            "已写入 {}：{} {} 张",
            a.out.display(),
            if a.cards { "桌签" } else { "胸卡" },
            list.len()
        )
    })
}

/// Names the PDF could not print in full: said on stderr, whatever the output format.
fn warn_unprintable(list: &[Unprintable]) {
    for u in list {
        eprintln!(
            "注意：“{}”中有字体无法打印的字（{}），PDF 中印为编码，请手写补上。",
            u.text,
            u.code_points.join("、")
        );
    }
}
