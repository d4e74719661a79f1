//! The year's report as a workbook the organisers can file or paste from: an overview with the
//! report sentence and the figures, then one sheet per breakdown — by district, by kind of
//! service, by month — each with its table and a native Excel chart beside it, and the list of
//! activities counted. Names are string cells, figures are numbers.

use rust_xlsxwriter::{
    Chart, ChartType, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::report::{Line, YearReport};
use crate::{Error, Result};

const FONT: &str = "Microsoft YaHei";
const FIGURES: [&str; 4] = ["活动场次", "参与人次", "服务企业（家）", "服务群众（人）"];

fn failed(e: XlsxError) -> Error {
    Error::Export(format!("生成 Excel 文件失败：{e}"))
}

fn header() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_bold()
        .set_background_color("#E8EEF7")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
}

fn cell() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_border(FormatBorder::Thin)
}

fn number() -> Format {
    cell().set_num_format("#,##0")
}

/// A breakdown's table from A1, and a chart of its first two figures beside it.
/// A4 portrait, fitted to the page width: every sheet prints as it is.
fn for_print(ws: &mut Worksheet) {
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
}

fn breakdown(
    ws: &mut Worksheet,
    sheet: &str,
    first: &str,
    lines: &[Line],
    kind: ChartType,
) -> std::result::Result<(), XlsxError> {
    for_print(ws);
    ws.set_column_width(0, 16)?;
    for c in 1..=4u16 {
        ws.set_column_width(c, 15)?;
    }
    ws.write_string_with_format(0, 0, first, &header())?;
    for (j, h) in FIGURES.iter().enumerate() {
        ws.write_string_with_format(0, 1 + j as u16, *h, &header())?;
    }
    for (i, l) in lines.iter().enumerate() {
        let r = 1 + i as u32;
        let f = &l.figures;
        ws.write_string_with_format(r, 0, &l.key, &cell())?;
        for (j, v) in [f.activities, f.participations, f.enterprises, f.people]
            .into_iter()
            .enumerate()
        {
            ws.write_number_with_format(r, 1 + j as u16, v as f64, &number())?;
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    let last = lines.len() as u32;
    let mut chart = Chart::new(kind);
    let series = if kind == ChartType::Pie { 1 } else { 2 };
    for s in 0..series {
        let col = 1 + s as u16;
        chart
            .add_series()
            .set_name((sheet, 0, col))
            .set_categories((sheet, 1, 0, last, 0))
            .set_values((sheet, 1, col, last, col));
    }
    chart
        .title()
        .set_name(&format!("{first}：{}", FIGURES[..series].join("与")));
    // Under the table, so that a page holds both.
    ws.insert_chart(last + 2, 0, &chart)?;
    Ok(())
}

fn overview(ws: &mut Worksheet, r: &YearReport) -> std::result::Result<(), XlsxError> {
    let title = Format::new()
        .set_font_name(FONT)
        .set_bold()
        .set_font_size(16);
    let text = Format::new().set_font_name(FONT).set_text_wrap();
    let big = Format::new()
        .set_font_name(FONT)
        .set_bold()
        .set_font_size(18)
        .set_num_format("#,##0");
    for_print(ws);
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 16)?;
    for c in 2..=6u16 {
        ws.set_column_width(c, 12)?;
    }
    let scope = r.district.as_deref().unwrap_or("全市");
    ws.write_string_with_format(
        0,
        0,
        format!("{}年 同心专家服务 年度统计（{scope}）", r.year),
        &title,
    )?;
    ws.merge_range(2, 0, 2, 6, &r.sentence, &text)?;
    ws.set_row_height(2, 48)?;
    let figures = [
        ("服务活动（场）", r.activities),
        ("参与党外知识分子（人次）", r.participations),
        ("参与专家（人）", r.experts),
        ("服务企业（家）", r.enterprises),
        ("服务群众（人）", r.people),
    ];
    for (i, (label, v)) in figures.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_string_with_format(row, 0, *label, &text)?;
        ws.write_number_with_format(row, 1, *v as f64, &big)?;
    }
    if !r.left_out.is_empty() {
        let row = 10;
        ws.merge_range(
            row,
            0,
            row,
            6,
            "未重复计入的台账行（本机已有同一场活动，以本机签到与成果为准）",
            &text,
        )?;
        for (i, l) in r.left_out.iter().enumerate() {
            let rr = row + 1 + i as u32;
            ws.write_string(rr, 0, &l.date)?;
            ws.write_string(rr, 1, &l.district)?;
            ws.write_string(rr, 2, &l.name)?;
        }
    }
    Ok(())
}

fn items(ws: &mut Worksheet, r: &YearReport) -> std::result::Result<(), XlsxError> {
    let heads = ["日期", "区", "活动名称", "服务类型", "来源"];
    let widths = [12.0, 10.0, 36.0, 12.0, 8.0];
    for (j, (h, w)) in heads.iter().zip(widths).enumerate() {
        ws.set_column_width(j as u16, w)?;
        ws.write_string_with_format(0, j as u16, *h, &header())?;
    }
    for (j, h) in FIGURES.iter().enumerate() {
        let c = 5 + j as u16;
        ws.set_column_width(c, 14)?;
        ws.write_string_with_format(0, c, *h, &header())?;
    }
    for (i, a) in r.items.iter().enumerate() {
        let row = 1 + i as u32;
        let source = match a.source {
            crate::report::Source::Event => "本机签到",
            crate::report::Source::Ledger => "台账",
        };
        for (j, v) in [&a.date, &a.district, &a.name, &a.kind]
            .into_iter()
            .enumerate()
        {
            ws.write_string_with_format(row, j as u16, v, &cell())?;
        }
        ws.write_string_with_format(row, 4, source, &cell())?;
        for (j, v) in [1, a.participations, a.enterprises, a.people]
            .into_iter()
            .enumerate()
        {
            ws.write_number_with_format(row, 5 + j as u16, v as f64, &number())?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    for_print(ws);
    ws.set_landscape();
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// The workbook's bytes.
pub fn workbook(r: &YearReport) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let build = |wb: &mut Workbook| -> std::result::Result<(), XlsxError> {
        overview(wb.add_worksheet().set_name("总览")?, r)?;
        // 2024-03 → 3月: the month axis reads at a glance.
        let months: Vec<Line> = r
            .by_month
            .iter()
            .map(|l| Line {
                key: format!("{}月", l.key.get(5..).unwrap_or("").trim_start_matches('0')),
                figures: l.figures,
            })
            .collect();
        let sheets: [(&str, &str, &[Line], ChartType); 3] = [
            ("按区", "区", &r.by_district, ChartType::Column),
            ("按服务类型", "服务类型", &r.by_kind, ChartType::Pie),
            ("按月", "月份", &months, ChartType::Line),
        ];
        for (name, first, lines, kind) in sheets {
            breakdown(wb.add_worksheet().set_name(name)?, name, first, lines, kind)?;
        }
        items(wb.add_worksheet().set_name("活动明细")?, r)?;
        Ok(())
    };
    build(&mut wb).map_err(failed)?;
    wb.save_to_buffer().map_err(failed)
}
