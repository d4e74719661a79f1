//! Attendance sheets as a workbook ready to print as is: A4 portrait, fitted to the page width,
//! the title merged across the columns, header rows repeated on every page, 第 N 页 共 M 页 in the
//! footer, rows tall enough to sign in. Every cell is a string cell — never a formula.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{AttendanceSheet, SheetKind};
use crate::{Error, Result};

const A4: u8 = 9;

/// Column widths in Excel's character units; the PDF shares them as proportions.
pub(super) fn width(header: &str) -> f64 {
    match header {
        "序号" => 5.5,
        "姓名" => 11.0,
        "单位" => 30.0,
        "职务/职称" => 16.0,
        "联系电话" => 14.0,
        "组别" => 11.0,
        "签到时间" => 9.5,
        _ => 16.0, // 签名 / 备注: room for a signature
    }
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::Export(format!("生成 Excel 文件失败：{e}"))
}

/// A worksheet name Excel accepts: at most 31 characters, none of []:*?/\, unique.
fn sheet_name(label: &str, taken: &mut Vec<String>) -> String {
    let base: String = label
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(28)
        .collect();
    let base = if base.trim().is_empty() {
        "签到表".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t == &name) {
        name = format!("{base}{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

fn write_sheet(ws: &mut Worksheet, s: &AttendanceSheet) -> std::result::Result<(), XlsxError> {
    let headers = s.headers();
    let last_col = (headers.len() - 1) as u16;
    let font = "Microsoft YaHei";
    let title = Format::new()
        .set_font_name(font)
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let subtitle = Format::new()
        .set_font_name(font)
        .set_font_size(10.5)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let head = Format::new()
        .set_font_name(font)
        .set_bold()
        .set_font_size(11)
        .set_border(FormatBorder::Thin)
        .set_background_color(0xEEF1F5)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let cell = Format::new()
        .set_font_name(font)
        .set_font_size(11)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let centred = cell.clone().set_align(FormatAlign::Center);
    let name = cell.clone().set_bold();

    ws.set_paper_size(A4)
        .set_portrait()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3)
        .set_footer("&C第 &P 页 共 &N 页");
    ws.merge_range(0, 0, 0, last_col, &s.title, &title)?;
    ws.merge_range(1, 0, 1, last_col, &s.subtitle, &subtitle)?;
    ws.set_row_height(0, 30)?;
    ws.set_row_height(1, 20)?;
    for (j, h) in headers.iter().enumerate() {
        ws.set_column_width(j as u16, width(h))?;
        ws.write_string_with_format(2, j as u16, *h, &head)?;
    }
    ws.set_row_height(2, 24)?;
    ws.set_repeat_rows(2, 2)?;
    let row_height = match s.kind {
        SheetKind::Blank => 30, // room to sign
        SheetKind::Record => 22,
    };
    for i in 0..s.total_rows() {
        let r = 3 + i as u32;
        ws.set_row_height(r, row_height)?;
        ws.write_string_with_format(r, 0, (i + 1).to_string(), &centred)?;
        for (j, v) in s.cells(i).iter().enumerate() {
            let col = j as u16 + 1;
            let f = match headers[j + 1] {
                "姓名" => &name,
                "联系电话" | "签到时间" | "组别" => &centred,
                _ => &cell,
            };
            // A string cell whatever the text: `=HYPERLINK(…)` stays text.
            ws.write_string_with_format(r, col, *v, f)?;
        }
    }
    Ok(())
}

/// The sheets as one workbook, a worksheet each.
pub fn write(sheets: &[AttendanceSheet]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let mut taken = Vec::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&s.checkpoint, &mut taken))
            .map_err(xlsx_error)?;
        write_sheet(ws, s).map_err(xlsx_error)?;
    }
    if sheets.is_empty() {
        wb.add_worksheet();
    }
    wb.save_to_buffer().map_err(xlsx_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worksheet_names_are_what_excel_accepts() {
        let mut taken = Vec::new();
        assert_eq!(
            sheet_name("低空经济组 · 御风[1]", &mut taken),
            "低空经济组 · 御风1"
        );
        assert_eq!(
            sheet_name("低空经济组 · 御风[1]", &mut taken),
            "低空经济组 · 御风12"
        );
        assert_eq!(sheet_name("", &mut taken), "签到表");
        assert!(sheet_name(&"长".repeat(40), &mut taken).chars().count() <= 31);
    }
}
