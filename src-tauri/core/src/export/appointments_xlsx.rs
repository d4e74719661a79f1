//! The appointment list (受聘专家名单) as a workbook: every expert appointed to a 同心荟
//! station — station, district, name, organisation, title, appointed on, term, until, and where
//! the appointment stands — under a title, filterable, printing A4 landscape with its header
//! on every page. Names and dates are string cells; the term is a number.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::stations::{Standing, StationView};
use crate::{Error, Result};

const FONT: &str = "Microsoft YaHei";
const HEADS: [(&str, f64); 10] = [
    ("序号", 6.0),
    ("服务站", 26.0),
    ("所属区", 10.0),
    ("姓名", 10.0),
    ("工作单位", 28.0),
    ("职务/职称", 14.0),
    ("受聘日期", 12.0),
    ("聘期（年）", 10.0),
    ("聘期至", 12.0),
    ("状态", 8.0),
];

/// The workbook's bytes; `today` (YYYY-MM-DD) is the day the list stands on.
pub fn workbook(stations: &[StationView], today: &str) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let build = |wb: &mut Workbook| -> std::result::Result<(), XlsxError> {
        let ws = wb.add_worksheet().set_name("受聘专家名单")?;
        let title = Format::new()
            .set_font_name(FONT)
            .set_bold()
            .set_font_size(15);
        let sub = Format::new().set_font_name(FONT).set_font_color("#555555");
        let head = Format::new()
            .set_font_name(FONT)
            .set_bold()
            .set_background_color("#E8EEF7")
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center);
        let cell = Format::new()
            .set_font_name(FONT)
            .set_border(FormatBorder::Thin);
        let centre = cell.clone().set_align(FormatAlign::Center);
        let muted = cell.clone().set_font_color("#777777");

        let serving = stations
            .iter()
            .flat_map(|s| &s.experts)
            .filter(|e| e.standing == Standing::Serving)
            .count();
        ws.write_string_with_format(0, 0, "同心荟专家服务站 受聘专家名单", &title)?;
        ws.write_string_with_format(
            1,
            0,
            format!(
                "截至 {today}：服务站 {} 个，在聘专家 {serving} 人",
                stations.len()
            ),
            &sub,
        )?;
        for (j, (h, w)) in HEADS.iter().enumerate() {
            ws.set_column_width(j as u16, *w)?;
            ws.write_string_with_format(3, j as u16, *h, &head)?;
        }
        let mut row = 4u32;
        for s in stations {
            for e in &s.experts {
                let f = if e.standing == Standing::Serving {
                    &cell
                } else {
                    &muted
                };
                let x = &e.expert;
                ws.write_number_with_format(row, 0, f64::from(row - 3), &centre)?;
                for (j, v) in [
                    &s.station.name,
                    &s.station.district,
                    &x.name,
                    &x.organisation,
                    &x.title,
                    &x.appointed_on,
                ]
                .into_iter()
                .enumerate()
                {
                    ws.write_string_with_format(row, 1 + j as u16, v, f)?;
                }
                ws.write_number_with_format(row, 7, x.term_years as f64, &centre)?;
                ws.write_string_with_format(row, 8, &e.until, f)?;
                ws.write_string_with_format(row, 9, e.standing.label(), f)?;
                row += 1;
            }
        }
        ws.autofilter(3, 0, row.max(5) - 1, HEADS.len() as u16 - 1)?;
        ws.set_freeze_panes(4, 0)?;
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(3, 3)?;
        Ok(())
    };
    build(&mut wb).map_err(|e| Error::Export(format!("生成 Excel 文件失败：{e}")))?;
    wb.save_to_buffer()
        .map_err(|e| Error::Export(format!("生成 Excel 文件失败：{e}")))
}
