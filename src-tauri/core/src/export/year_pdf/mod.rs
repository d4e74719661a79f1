//! The year's report as a PDF to print and file, in Chinese or English: A4 portrait, the title
//! and the report sentence, the five figures, the charts drawn as vector graphics (by district,
//! by kind of service, by month), a table under each, then the activities counted. The shipped
//! fonts are subset and embedded, as on the attendance sheets.

mod charts;

use super::pdf::{render, Metrics, Op, PAGE_H, PAGE_W};
use crate::districts;
pub(super) use crate::report::thousands;
use crate::report::{Line, Source, YearReport};
use crate::Result;

pub(super) const MARGIN_X: f32 = 36.0;
const MARGIN_TOP: f32 = 40.0;
const MARGIN_BOTTOM: f32 = 48.0;
pub(super) const WIDTH: f32 = PAGE_W - 2.0 * MARGIN_X;
const BODY: f32 = 9.5;

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `en`, `en-GB` … → English; anything else → Chinese (the app's first language).
    pub fn from_code(code: &str) -> Lang {
        if code.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    pub(super) fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A district as the report's language names it.
fn district_name(lang: Lang, name: &str) -> String {
    if lang == Lang::Zh {
        return name.to_string();
    }
    if name == districts::CITY {
        return "City-wide".into();
    }
    match districts::DISTRICTS.iter().find(|(n, _)| *n == name) {
        Some(("浦东新区", _)) => "Pudong New Area".into(),
        Some((_, py)) => {
            let mut c = py.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        }
        None => name.to_string(),
    }
}

/// A kind of service as the report's language names it (a kind the organiser typed stays).
fn kind_name(lang: Lang, kind: &str) -> String {
    if lang == Lang::Zh {
        return kind.to_string();
    }
    match kind {
        "科技服务" => "Science & technology",
        "教育服务" => "Education",
        "文化服务" => "Culture",
        "法律咨询" => "Legal advice",
        "健康义诊" => "Health clinics",
        "调研建言" => "Research & advice",
        crate::report::EVENT_KIND => "Expert Service Day",
        other => other,
    }
    .to_string()
}

/// `2024-03` → 3月 / Mar.
fn month_name(lang: Lang, key: &str) -> String {
    let n: usize = key.get(5..).and_then(|m| m.parse().ok()).unwrap_or(0);
    match lang {
        Lang::Zh => format!("{n}月"),
        Lang::En => [
            "", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .get(n)
        .copied()
        .unwrap_or("")
        .to_string(),
    }
}

/// Pages filled from the top down: what does not fit on this page starts the next.
pub(super) struct Flow<'m> {
    pub(super) m: &'m Metrics<'m>,
    lang: Lang,
    pages: Vec<Vec<Op>>,
    pub(super) ops: Vec<Op>,
    /// Where the next block starts (from the bottom of the page, in points).
    pub(super) y: f32,
    running: String,
}

impl<'m> Flow<'m> {
    fn new(m: &'m Metrics<'m>, lang: Lang, running: String) -> Flow<'m> {
        Flow {
            m,
            lang,
            pages: Vec::new(),
            ops: Vec::new(),
            y: PAGE_H - MARGIN_TOP,
            running,
        }
    }

    /// Room for `h` points here, or a new page.
    pub(super) fn need(&mut self, h: f32) {
        if self.y - h < MARGIN_BOTTOM {
            self.pages.push(std::mem::take(&mut self.ops));
            self.y = PAGE_H - MARGIN_TOP;
            let running = self.running.clone();
            self.text(MARGIN_X, self.y - 8.0, 8.5, false, true, &running);
            self.ops.push(Op::Polyline {
                points: vec![
                    (MARGIN_X, self.y - 13.0),
                    (PAGE_W - MARGIN_X, self.y - 13.0),
                ],
                rgb: [0.82, 0.84, 0.87],
                width: 0.5,
            });
            self.y -= 26.0;
        }
    }

    pub(super) fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, grey: bool, s: &str) {
        self.ops.push(Op::Text {
            x,
            y,
            size,
            bold,
            grey,
            text: s.to_string(),
        });
    }

    /// Text ending at `right`.
    pub(super) fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, s: &str) {
        let w = self.m.width(s, size);
        self.text(right - w, y, size, bold, false, s);
    }

    /// Lines no wider than `max`, broken between Chinese characters or between words — never
    /// inside a number or a word, never before a closing mark (，。）%).
    pub(super) fn wrap(&self, s: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        for token in tokens(s) {
            if token == " " {
                if !cur.is_empty() {
                    cur.push(' ');
                }
                continue;
            }
            let candidate = format!("{cur}{token}");
            if self.m.width(&candidate, size) <= max || cur.trim().is_empty() {
                cur = candidate;
            } else {
                lines.push(cur.trim_end().to_string());
                cur = token;
            }
        }
        if !cur.trim().is_empty() || lines.is_empty() {
            lines.push(cur.trim_end().to_string());
        }
        // A token longer than a line (a long Latin word) is broken by character.
        lines
            .into_iter()
            .flat_map(|l| self.m.wrap(&l, size, max))
            .collect()
    }

    /// A section's heading, kept with at least `keep` points of what follows.
    pub(super) fn heading(&mut self, s: &str, keep: f32) {
        self.need(30.0 + keep);
        self.y -= 18.0;
        let y = self.y;
        self.ops.push(Op::Area {
            points: rect(MARGIN_X, y - 2.0, 3.0, 14.0),
            rgb: charts::BRAND,
        });
        self.text(MARGIN_X + 9.0, y + 1.0, 12.5, true, false, s);
        self.y -= 12.0;
    }

    /// A table whose header repeats on each page; cells wrap; `right` columns are figures.
    /// Rows of `bold` (a 合计 line) are set bold on a tint.
    pub(super) fn table(
        &mut self,
        heads: &[&str],
        widths: &[f32],
        right: &[bool],
        rows: &[(Vec<String>, bool)],
    ) {
        const LINE: f32 = 12.0;
        const PAD: f32 = 4.0;
        let head_h = 18.0;
        let header = |f: &mut Flow| {
            let mut x = MARGIN_X;
            let top = f.y;
            f.ops.push(Op::Area {
                points: rect(MARGIN_X, top - head_h, WIDTH, head_h),
                rgb: [0.91, 0.93, 0.97],
            });
            for (j, h) in heads.iter().enumerate() {
                let ty = top - head_h + 5.5;
                if right[j] {
                    f.text_right(x + widths[j] - PAD, ty, BODY, true, h);
                } else {
                    f.text(x + PAD, ty, BODY, true, false, h);
                }
                x += widths[j];
            }
            f.y -= head_h;
        };
        self.need(head_h + 20.0);
        header(self);
        for (cells, bold) in rows {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .enumerate()
                .map(|(j, c)| self.wrap(c, BODY, widths[j] - 2.0 * PAD))
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = lines as f32 * LINE + 6.0;
            if self.y - h < MARGIN_BOTTOM {
                self.need(h + head_h + 1.0);
                header(self);
            }
            let top = self.y;
            if *bold {
                self.ops.push(Op::Area {
                    points: rect(MARGIN_X, top - h, WIDTH, h),
                    rgb: [0.96, 0.95, 0.93],
                });
            }
            let mut x = MARGIN_X;
            for (j, text) in wrapped.iter().enumerate() {
                let mut ty = top - 3.0 - LINE + 3.0;
                for l in text {
                    if right[j] {
                        self.text_right(x + widths[j] - PAD, ty, BODY, *bold, l);
                    } else {
                        self.text(x + PAD, ty, BODY, *bold, false, l);
                    }
                    ty -= LINE;
                }
                x += widths[j];
            }
            self.ops.push(Op::Polyline {
                points: vec![(MARGIN_X, top - h), (MARGIN_X + WIDTH, top - h)],
                rgb: [0.86, 0.88, 0.91],
                width: 0.5,
            });
            self.y -= h;
        }
    }

    /// The pages, each with 第 N 页 共 M 页 (Page N of M) at the foot.
    fn finish(mut self) -> Vec<Vec<Op>> {
        self.pages.push(std::mem::take(&mut self.ops));
        let n = self.pages.len();
        for (i, p) in self.pages.iter_mut().enumerate() {
            let foot = match self.lang {
                Lang::Zh => format!("第 {} 页 共 {} 页", i + 1, n),
                Lang::En => format!("Page {} of {}", i + 1, n),
            };
            let w = self.m.width(&foot, 8.5);
            p.push(Op::Text {
                x: (PAGE_W - w) / 2.0,
                y: MARGIN_BOTTOM - 26.0,
                size: 8.5,
                bold: false,
                grey: true,
                text: foot,
            });
        }
        self.pages
    }
}

/// What a line may not break inside: runs of Latin letters and digits, a character with the
/// closing marks after it; spaces are tokens of their own.
fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let latin = |c: char| c.is_ascii_graphic();
    let closing = |c: char| "，。、；：！？）》」』”’%,.;:!?)".contains(c);
    for c in s.chars().filter(|c| !c.is_control()) {
        match out.last_mut() {
            _ if c == ' ' => out.push(" ".into()),
            Some(last) if last != " " && (closing(c) || (latin(c) && last.chars().all(latin))) => {
                last.push(c)
            }
            _ => out.push(c.to_string()),
        }
    }
    out
}

/// A rectangle as a polygon.
pub(super) fn rect(x: f32, y: f32, w: f32, h: f32) -> Vec<(f32, f32)> {
    vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
}

/// A breakdown as rows: its lines and the 合计 (Total) line.
fn breakdown_rows(
    lang: Lang,
    lines: &[Line],
    name: impl Fn(&str) -> String,
) -> Vec<(Vec<String>, bool)> {
    let mut total = [0i64; 4];
    let mut rows: Vec<(Vec<String>, bool)> = lines
        .iter()
        .map(|l| {
            let f = &l.figures;
            let v = [f.activities, f.participations, f.enterprises, f.people];
            for (t, x) in total.iter_mut().zip(v) {
                *t += x;
            }
            let mut cells = vec![name(&l.key)];
            cells.extend(v.iter().map(|x| thousands(*x)));
            (cells, false)
        })
        .collect();
    let mut cells = vec![lang.pick("合计", "Total").to_string()];
    cells.extend(total.iter().map(|x| thousands(*x)));
    rows.push((cells, true));
    rows
}

fn figure_heads(lang: Lang, first: &'static str) -> [&'static str; 5] {
    match lang {
        Lang::Zh => [
            first,
            "活动（场）",
            "参与（人次）",
            "服务企业（家）",
            "服务群众（人）",
        ],
        Lang::En => [
            first,
            "Activities",
            "Participations",
            "Enterprises",
            "People served",
        ],
    }
}

/// The report's bytes.
pub fn write(r: &YearReport, lang: Lang) -> Result<Vec<u8>> {
    let m = Metrics::new()?;
    let scope = match (&r.district, lang) {
        (Some(d), _) => district_name(lang, d),
        (None, Lang::Zh) => "全市".into(),
        (None, Lang::En) => "All districts".into(),
    };
    let title = match lang {
        Lang::Zh => format!("{}年 同心专家服务 年度统计", r.year),
        Lang::En => format!("Tongxin expert service — the year {} in figures", r.year),
    };
    let mut f = Flow::new(&m, lang, format!("{title} · {scope}"));

    // Title, scope, the sentence.
    let tw = m.width(&title, 18.0);
    let y = f.y - 18.0;
    f.text((PAGE_W - tw) / 2.0, y, 18.0, true, false, &title);
    let sw = m.width(&scope, 10.5);
    f.text((PAGE_W - sw) / 2.0, y - 20.0, 10.5, false, true, &scope);
    f.y = y - 38.0;
    let sentence = match lang {
        Lang::Zh => &r.sentence,
        Lang::En => &r.sentence_en,
    };
    let lines = f.wrap(sentence, 11.5, WIDTH - 28.0);
    let h = lines.len() as f32 * 17.0 + 16.0;
    f.ops.push(Op::Area {
        points: rect(MARGIN_X, f.y - h, WIDTH, h),
        rgb: [0.985, 0.955, 0.95],
    });
    f.ops.push(Op::Area {
        points: rect(MARGIN_X, f.y - h, 3.0, h),
        rgb: charts::BRAND,
    });
    let mut ty = f.y - 20.0;
    for l in &lines {
        f.text(MARGIN_X + 14.0, ty, 11.5, false, false, l);
        ty -= 17.0;
    }
    f.y -= h + 14.0;

    // The five figures.
    let figures: [(&str, &str, i64); 5] = match lang {
        Lang::Zh => [
            ("服务活动", "场", r.activities),
            ("参与党外知识分子", "人次", r.participations),
            ("参与专家", "人", r.experts),
            ("服务企业", "家", r.enterprises),
            ("服务群众", "人", r.people),
        ],
        Lang::En => [
            ("Activities", "", r.activities),
            ("Participations", "", r.participations),
            ("Experts", "", r.experts),
            ("Enterprises served", "", r.enterprises),
            ("People served", "", r.people),
        ],
    };
    let gap = 8.0;
    let tile = (WIDTH - gap * 4.0) / 5.0;
    for (i, (label, unit, v)) in figures.iter().enumerate() {
        let x = MARGIN_X + i as f32 * (tile + gap);
        f.ops.push(Op::Area {
            points: rect(x, f.y - 58.0, tile, 58.0),
            rgb: [0.955, 0.962, 0.975],
        });
        f.text(x + 8.0, f.y - 16.0, 8.5, false, true, label);
        let n = thousands(*v);
        f.text(x + 8.0, f.y - 42.0, 20.0, true, false, &n);
        let nw = m.width(&n, 20.0);
        f.text(x + 12.0 + nw, f.y - 42.0, 8.5, false, true, unit);
    }
    f.y -= 58.0 + 6.0;
    if r.suggestions > 0 {
        let line = match lang {
            Lang::Zh => format!(
                "各服务点位收集建言 {} 条，其中已采纳 {} 条。",
                thousands(r.suggestions),
                thousands(r.adopted)
            ),
            Lang::En => format!(
                "{} suggestions collected at the service points, {} of them adopted.",
                thousands(r.suggestions),
                thousands(r.adopted)
            ),
        };
        f.text(MARGIN_X, f.y - 10.0, 9.5, false, true, &line);
        f.y -= 16.0;
    }

    // By district: a chart and its table.
    let district_lines: Vec<(String, &Line)> = r
        .by_district
        .iter()
        .map(|l| (district_name(lang, &l.key), l))
        .collect();
    f.heading(
        lang.pick(
            "按区：活动场次与参与人次",
            "By district: activities and participations",
        ),
        120.0,
    );
    charts::bars(&mut f, lang, &district_lines);
    let first_w = 150.0;
    let fig_w = (WIDTH - first_w) / 4.0;
    let widths = [first_w, fig_w, fig_w, fig_w, fig_w];
    let right = [false, true, true, true, true];
    f.y -= 8.0;
    f.table(
        &figure_heads(lang, lang.pick("区", "District")),
        &widths,
        &right,
        &breakdown_rows(lang, &r.by_district, |k| district_name(lang, k)),
    );

    // By kind: a pie and its table.
    let kind_lines: Vec<(String, &Line)> = r
        .by_kind
        .iter()
        .map(|l| (kind_name(lang, &l.key), l))
        .collect();
    f.heading(
        lang.pick("按服务类型：活动场次", "By kind of service: activities"),
        160.0,
    );
    charts::pie(&mut f, lang, &kind_lines);
    f.y -= 8.0;
    f.table(
        &figure_heads(lang, lang.pick("服务类型", "Kind of service")),
        &widths,
        &right,
        &breakdown_rows(lang, &r.by_kind, |k| kind_name(lang, k)),
    );

    // By month: lines and columns and the table.
    let month_lines: Vec<(String, &Line)> = r
        .by_month
        .iter()
        .map(|l| (month_name(lang, &l.key), l))
        .collect();
    f.heading(
        lang.pick(
            "按月：参与人次与活动场次",
            "By month: participations and activities",
        ),
        190.0,
    );
    charts::months(&mut f, lang, &month_lines);
    f.y -= 8.0;
    f.table(
        &figure_heads(lang, lang.pick("月份", "Month")),
        &widths,
        &right,
        &breakdown_rows(lang, &r.by_month, |k| month_name(lang, k)),
    );

    // The activities counted.
    f.heading(lang.pick("活动明细", "The activities counted"), 60.0);
    let heads: [&str; 7] = match lang {
        Lang::Zh => [
            "日期",
            "区",
            "活动名称",
            "服务类型",
            "参与人次",
            "服务企业",
            "服务群众",
        ],
        Lang::En => [
            "Date",
            "District",
            "Activity",
            "Kind",
            "Particip.",
            "Firms",
            "People",
        ],
    };
    let widths = [
        58.0,
        62.0,
        WIDTH - 58.0 - 62.0 - 78.0 - 3.0 * 56.0,
        78.0,
        56.0,
        56.0,
        56.0,
    ];
    let right = [false, false, false, false, true, true, true];
    let rows: Vec<(Vec<String>, bool)> = r
        .items
        .iter()
        .map(|a| {
            let name = match a.source {
                Source::Event => format!(
                    "{}{}",
                    a.name,
                    lang.pick("（本机签到）", " (checked in here)")
                ),
                Source::Ledger => a.name.clone(),
            };
            (
                vec![
                    a.date.clone(),
                    district_name(lang, &a.district),
                    name,
                    kind_name(lang, &a.kind),
                    thousands(a.participations),
                    thousands(a.enterprises),
                    thousands(a.people),
                ],
                false,
            )
        })
        .collect();
    f.table(&heads, &widths, &right, &rows);

    if !r.left_out.is_empty() {
        let note = match lang {
            Lang::Zh => format!(
                "台账中有 {} 行与本机已有的活动相同（同日同区或已关联），未重复计入，以本机签到与成果为准。",
                r.left_out.len()
            ),
            Lang::En => format!(
                "{} ledger rows are the same activity as an event run on this laptop (same date and district, or linked) and are not counted again: the laptop's check-ins and outcomes stand.",
                r.left_out.len()
            ),
        };
        let lines = f.wrap(&note, 8.5, WIDTH);
        f.need(lines.len() as f32 * 12.0 + 10.0);
        f.y -= 10.0;
        for l in lines {
            let y = f.y - 8.0;
            f.text(MARGIN_X, y, 8.5, false, true, &l);
            f.y -= 12.0;
        }
    }
    render(&m, f.finish(), &format!("{title} {scope}"))
}

#[cfg(test)]
mod tests;
