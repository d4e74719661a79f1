//! Spreadsheets that would allocate the machine away: a 2 KB .xlsx with cells at A1 and
//! XFD1048576, or a shared-strings part declaring 400 billion strings, made the importer ask
//! for hundreds of gigabytes and the process abort (the window with it). Each is now refused
//! or read within bounds, with the database unchanged, under a memory limit — as are an .xls
//! declaring four billion rows or a cell at its far corner, and an .ods repeating one cell
//! 40 million times; and a few thousand mutated .xlsx, .xls, .ods and CSV files never panic
//! or abort the reader.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use tongxin_tests::{cli_json, demo_db, target_bin};

const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A minimal .xlsx, written part by part as a hostile tool would: `sheet` is the worksheet's
/// `<sheetData>` content, `sst` the shared-strings part (if any).
fn workbook(sheet: &str, sst: Option<&str>) -> Vec<u8> {
    let mut buf = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut buf));
        let o: zip::write::SimpleFileOptions = Default::default();
        let mut part = |name: &str, body: String| {
            z.start_file(name, o).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        };
        part(
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{}</Types>"#,
                if sst.is_some() {
                    r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
                } else {
                    ""
                }
            ),
        );
        part(
            "_rels/.rels",
            format!(
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        );
        part(
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        );
        part(
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>{}</Relationships>"#,
                if sst.is_some() {
                    format!(
                        r#"<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>"#
                    )
                } else {
                    String::new()
                }
            ),
        );
        part(
            "xl/worksheets/sheet1.xml",
            format!(r#"<worksheet xmlns="{NS}"><sheetData>{sheet}</sheetData></worksheet>"#),
        );
        if let Some(s) = sst {
            part("xl/sharedStrings.xml", s.to_string());
        }
        z.finish().unwrap();
    }
    buf
}

/// One BIFF record: type, length, data.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

/// A cell of an .xls sheet: a text (Label, UTF-16), a number, or a reference to the shared
/// strings (LabelSst).
enum XlsCell {
    Text(u16, u16, &'static str),
    Number(u16, u16, f64),
    Shared(u16, u16, u32),
}

/// A minimal BIFF8 .xls, written record by record as a hostile tool would: one sheet with
/// `cells`, and a DIMENSIONS record claiming `dims` (last row + 1, last column + 1) if given.
fn xls(cells: &[XlsCell], dims: Option<(u32, u16)>) -> Vec<u8> {
    xls_with_strings(cells, dims, &[])
}

/// [`xls`] with a shared-strings table (SST) of `strings` (each fits one record, UTF-16).
fn xls_with_strings(cells: &[XlsCell], dims: Option<(u32, u16)>, strings: &[&str]) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        record(0x0809, &d)
    };
    let mut sheet = bof(0x0010);
    if let Some((rows, cols)) = dims {
        let mut d = vec![0u8; 14];
        d[4..8].copy_from_slice(&rows.to_le_bytes());
        d[10..12].copy_from_slice(&cols.to_le_bytes());
        sheet.extend(record(0x0200, &d));
    }
    for c in cells {
        match c {
            XlsCell::Text(r, col, text) => {
                let units: Vec<u16> = text.encode_utf16().collect();
                let mut d = Vec::new();
                for v in [*r, *col, 0, units.len() as u16] {
                    d.extend(v.to_le_bytes());
                }
                d.push(1);
                d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
                sheet.extend(record(0x0204, &d));
            }
            XlsCell::Number(r, col, n) => {
                let mut d = Vec::new();
                for v in [*r, *col, 0] {
                    d.extend(v.to_le_bytes());
                }
                d.extend(n.to_le_bytes());
                sheet.extend(record(0x0203, &d));
            }
            XlsCell::Shared(r, col, i) => {
                let mut d = Vec::new();
                for v in [*r, *col, 0] {
                    d.extend(v.to_le_bytes());
                }
                d.extend(i.to_le_bytes());
                sheet.extend(record(0x00FD, &d));
            }
        }
    }
    sheet.extend(record(0x000A, &[]));
    let mut globals = bof(0x0005);
    let mut sst = Vec::new();
    if !strings.is_empty() {
        let n = strings.len() as u32;
        let mut d = [n.to_le_bytes(), n.to_le_bytes()].concat();
        for s in strings {
            let units: Vec<u16> = s.encode_utf16().collect();
            d.extend((units.len() as u16).to_le_bytes());
            d.push(1);
            d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        }
        sst = record(0x00FC, &d);
    }
    let bound_len = 4 + 8 + 1;
    let sheet_at = (globals.len() + bound_len + 4 + sst.len()) as u32;
    let mut bound = sheet_at.to_le_bytes().to_vec();
    bound.extend([0, 0, 1, 0, b'S']);
    globals.extend(record(0x0085, &bound));
    globals.extend(sst);
    globals.extend(record(0x000A, &[]));
    let stream = [globals, sheet].concat();
    let mut cf =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))
            .unwrap();
    {
        use std::io::Write;
        let mut w = cf.create_stream("/Workbook").unwrap();
        w.write_all(&stream).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn inline(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Runs the CLI's import under a 4 GB address-space limit: an allocation beyond it aborts the
/// process (SIGABRT) the way the real machine's memory would.
fn import_limited(db: &Path, file: &Path) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$0\" \"$@\"")
        .arg(target_bin("tongxin-cli"))
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .args(["--kind", "experts"])
        .output()
        .unwrap()
}

fn experts(db: &Path) -> usize {
    cli_json(db, &["experts"])
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

/// Imports `bytes` into a demo day under the memory limit: refused with a message that says
/// `what`, by a clean exit (1), not an abort, and the experts unchanged.
fn refused_cleanly(bytes: Vec<u8>, what: &str) {
    refused_cleanly_within(bytes, 4096, what)
}

/// `refused_cleanly` for a file of fewer than `max_bytes` bytes.
fn refused_cleanly_within(bytes: Vec<u8>, max_bytes: u64, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let before = experts(&db);
    let file = dir.path().join("hostile.xlsx");
    std::fs::write(&file, bytes).unwrap();
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(size < max_bytes, "a small file: {size} bytes");
    let out = import_limited(&db, &file);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the import must fail cleanly, not abort: {err}"
    );
    assert!(err.contains(what), "{err}");
    assert_eq!(experts(&db), before);
}

#[test]
fn a_sheet_with_cells_at_a1_and_xfd1048576_is_refused_without_aborting() {
    let sheet = format!(
        r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
        inline("A1", "姓名"),
        inline("XFD1048576", "x")
    );
    refused_cleanly(workbook(&sheet, None), "行");
}

#[test]
fn a_far_column_is_left_out_and_the_list_still_reads() {
    // A1..B3 hold a real list; one stray cell sits in the last column of row 2.
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let before = experts(&db);
    let sheet = format!(
        r#"<row r="1">{}{}</row><row r="2">{}{}{}</row><row r="3">{}{}</row>"#,
        inline("A1", "姓名"),
        inline("B1", "手机"),
        inline("A2", "司马琳"),
        inline("B2", "13700001111"),
        inline("XFD2", "stray"),
        inline("A3", "上官云"),
        inline("B3", "13700002222"),
    );
    let file = dir.path().join("wide.xlsx");
    std::fs::write(&file, workbook(&sheet, None)).unwrap();
    let out = import_limited(&db, &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(experts(&db), before + 2);
}

#[test]
fn shared_strings_declaring_400_billion_entries_are_refused_without_aborting() {
    let sst = format!(
        r#"<sst xmlns="{NS}" count="1" uniqueCount="400000000000"><si><t>姓名</t></si></sst>"#
    );
    let sheet = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    refused_cleanly(workbook(sheet, Some(&sst)), "共享文字");
}

#[test]
fn an_xls_list_reads_as_any_list() {
    use XlsCell::*;
    let bytes = xls(
        &[
            Text(0, 0, "姓名"),
            Text(0, 1, "手机"),
            Text(1, 0, "韩冬"),
            Number(1, 1, 13_912_345_001.0),
            Text(2, 0, "许晴"),
            Number(2, 1, 13_912_345_002.0),
        ],
        Some((3, 2)),
    );
    let t = tongxin_core::import::read::read_bytes(&bytes, "名单.xls").unwrap();
    assert_eq!(t.rows[1][0], "韩冬");
    assert_eq!(t.rows[2][1], "13912345002");
    // As Excel writes it: texts in the shared strings, a group many rows name.
    let shared = xls_with_strings(
        &[
            XlsCell::Shared(0, 0, 0),
            XlsCell::Shared(0, 1, 1),
            XlsCell::Shared(1, 0, 2),
            XlsCell::Shared(1, 1, 3),
            XlsCell::Shared(2, 0, 4),
            XlsCell::Shared(2, 1, 3),
        ],
        Some((3, 2)),
        &["姓名", "专题组", "韩冬", "低空经济", "许晴"],
    );
    let t = tongxin_core::import::read::read_bytes(&shared, "名单.xls").unwrap();
    assert_eq!(t.rows[2], ["许晴", "低空经济"]);
}

#[test]
fn an_xls_declaring_four_billion_rows_is_refused_without_aborting() {
    let cells = [XlsCell::Text(0, 0, "姓名")];
    refused_cleanly(xls(&cells, Some((u32::MAX, 255))), "范围异常巨大");
}

#[test]
fn an_xls_with_one_cell_at_its_far_corner_is_refused_without_aborting() {
    let cells = [
        XlsCell::Text(0, 0, "姓名"),
        XlsCell::Number(65535, 65535, 1.0),
    ];
    refused_cleanly(xls(&cells, None), "范围异常巨大");
}

/// A minimal .ods whose second row is one cell repeated `cols` times, the row `rows` times.
fn ods_repeating(rows: u32, cols: u32) -> Vec<u8> {
    let second = format!(
        r#"<table:table-row table:number-rows-repeated="{rows}"><table:table-cell table:number-columns-repeated="{cols}" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#
    );
    ods(&second)
}

/// A minimal .ods: a header row 姓名, then `more` (rows of table XML).
fn ods(more: &str) -> Vec<u8> {
    let cell = |t: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
        )
    };
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row>{}</table:table-row>{more}</table:table></office:spreadsheet></office:body></office:document-content>"#,
        cell("姓名")
    );
    let mut buf = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut buf));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.start_file(
            "META-INF/manifest.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(br#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)
            .unwrap();
        z.finish().unwrap();
    }
    buf
}

#[test]
fn an_ods_repeating_one_row_or_cell_a_huge_number_of_times_is_refused_without_aborting() {
    refused_cleanly(ods_repeating(1_048_575, 1), "超过 200000 行");
    refused_cleanly(ods_repeating(199_000, 200), "异常巨大");
}

#[test]
fn an_ods_ending_in_a_million_empty_rows_as_libreoffice_writes_it_reads() {
    let rows = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>韩冬</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1023"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
    let t = tongxin_core::import::read::read_bytes(&ods(rows), "名单.ods").unwrap();
    assert_eq!(t.rows.len(), 2, "the header and 韩冬");
    assert_eq!(t.rows[1][0], "韩冬");
}

/// xorshift64*: the same cases on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn column(mut n: usize) -> String {
    let mut s = Vec::new();
    n += 1;
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// 3,000 hostile inputs through the reader, in this process: cell references anywhere on the
/// sheet, lying counts and dimensions, flipped and cut bytes of a real workbook and of a GBK
/// CSV. None may panic; an abort would end this test binary; the process stays under 1 GB.
/// A small file of one `kind` (0 .xlsx, 1 .xls, 2 .ods) whose one text of random length is
/// referenced or repeated a random number of times, and the bytes of text that would make.
fn repeating_text(rng: &mut Rng, kind: usize) -> (Vec<u8>, u64) {
    let chars = 1 + rng.below(4000);
    let text = "长".repeat(chars);
    // From a handful of cells to hundreds of thousands, spread over the orders of magnitude.
    let cells = [3usize, 40, 600, 9_000, 120_000, 600_000][rng.below(6)];
    match kind {
        0 => {
            let cells = cells.min(300_000);
            let sst = format!(
                r#"<sst xmlns="{NS}" count="{cells}" uniqueCount="1"><si><t>{text}</t></si></sst>"#
            );
            let mut sheet = String::new();
            for r in 1..=cells.div_ceil(10) {
                sheet.push_str(&format!(r#"<row r="{r}">"#));
                for c in 0..10 {
                    sheet.push_str(&format!(r#"<c r="{}{r}" t="s"><v>0</v></c>"#, column(c)));
                }
                sheet.push_str("</row>");
            }
            (
                workbook(&sheet, Some(&sst)),
                (cells.div_ceil(10) * 10 * chars * 3) as u64,
            )
        }
        1 => {
            let rows = cells.div_ceil(20).min(65_000);
            let mut list = Vec::with_capacity(rows * 20);
            for r in 0..rows as u16 {
                for c in 0..20u16 {
                    list.push(XlsCell::Shared(r, c, 0));
                }
            }
            (
                xls_with_strings(&list, None, &[&text]),
                (rows * 20 * chars * 3) as u64,
            )
        }
        _ => {
            let across = 1 + rng.below(20);
            let down = cells.div_ceil(across);
            let row = format!(
                r#"<table:table-row table:number-rows-repeated="{down}"><table:table-cell table:number-columns-repeated="{across}" office:value-type="string"><text:p>{text}</text:p></table:table-cell></table:table-row>"#
            );
            (ods(&row), (down * across * chars * 3) as u64)
        }
    }
}

#[test]
fn three_thousand_mutated_xlsx_xls_ods_and_csv_files_never_panic_or_abort() {
    use tongxin_core::import::read::read_bytes;
    let mut rng = Rng(0x7458_2024_0929_0001);
    // A real workbook, as Excel-like software writes it.
    let real = {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["姓名", "手机", "工作单位", "专题组"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for r in 1..40u32 {
            ws.write_string(r, 0, format!("专家{r}")).unwrap();
            ws.write_number(r, 1, 13_800_000_000.0 + f64::from(r))
                .unwrap();
            ws.write_string(r, 2, "同济大学").unwrap();
            ws.write_string(r, 3, "低空经济").unwrap();
        }
        wb.save_to_buffer().unwrap()
    };
    let real_xls = {
        use XlsCell::*;
        let mut cells = vec![
            Text(0, 0, "姓名"),
            Text(0, 1, "手机"),
            Text(0, 2, "工作单位"),
        ];
        for r in 1..30u16 {
            cells.push(Text(r, 0, "专家"));
            cells.push(Number(r, 1, 13_800_000_000.0 + f64::from(r)));
            cells.push(Text(r, 2, "同济大学"));
        }
        xls(&cells, Some((30, 3)))
    };
    let real_ods = ods(&(1..30)
        .map(|r| format!(r#"<table:table-row><table:table-cell office:value-type="string"><text:p>专家{r}</text:p></table:table-cell><table:table-cell table:number-columns-repeated="{r}" office:value-type="float" office:value="1"/></table:table-row>"#))
        .collect::<String>());
    let (gbk, _, _) = encoding_rs::GBK
        .encode("姓名,手机,单位\n张伟,13800138000,同济大学\n顾晨,13100131000,复旦大学\n");
    let gbk = gbk.into_owned();
    let mut outcomes = [0usize; 2];
    let mut repeats = [0usize; 2];
    for case in 0..3000 {
        // A file whose text, once every reference is expanded, is far past any list's.
        let mut must_refuse = false;
        let bytes: Vec<u8> = match case % 5 {
            // One text referenced or repeated many times, in each format's own way.
            1 if case % 50 == 1 => {
                let (b, expanded) = repeating_text(&mut rng, case / 50 % 3);
                must_refuse = expanded > 1 << 30;
                repeats[usize::from(must_refuse)] += 1;
                b
            }
            // Cells at random places, up to the last row and column Excel allows.
            0 => {
                let mut sheet = String::new();
                for _ in 0..1 + rng.below(6) {
                    let r = 1 + rng.below(1_048_576);
                    let c = rng.below(16_384);
                    sheet.push_str(&format!(
                        r#"<row r="{r}">{}</row>"#,
                        inline(&format!("{}{r}", column(c)), "x")
                    ));
                }
                workbook(&sheet, None)
            }
            // Shared strings that lie about their count, cells pointing past them.
            1 => {
                let n = rng.next() % 1_000_000_000_000;
                let sst = format!(
                    r#"<sst xmlns="{NS}" count="{n}" uniqueCount="{n}"><si><t>姓名</t></si></sst>"#
                );
                let idx = rng.next() % 1_000_000;
                workbook(
                    &format!(r#"<row r="1"><c r="A1" t="s"><v>{idx}</v></c></row>"#),
                    Some(&sst),
                )
            }
            // A real workbook with bytes flipped or cut.
            2 => {
                let mut b = real.clone();
                for _ in 0..1 + rng.below(8) {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
                if rng.below(4) == 0 {
                    b.truncate(rng.below(b.len()));
                }
                b
            }
            // A real .xls or .ods with bytes flipped or cut (sizes, positions, repeats).
            4 => {
                let mut b = if case % 10 == 4 {
                    real_xls.clone()
                } else {
                    real_ods.clone()
                };
                for _ in 0..1 + rng.below(8) {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
                if rng.below(5) == 0 {
                    b.truncate(rng.below(b.len()));
                }
                b
            }
            // A GBK CSV with bytes flipped, cut or repeated.
            _ => {
                let mut b = gbk.clone();
                for _ in 0..1 + rng.below(6) {
                    let i = rng.below(b.len());
                    b[i] = rng.next() as u8;
                }
                if rng.below(3) == 0 {
                    let i = rng.below(b.len());
                    let chunk = b[i..].to_vec();
                    for _ in 0..rng.below(50) {
                        b.extend_from_slice(&chunk);
                    }
                }
                b
            }
        };
        let name = match case % 5 {
            3 => "名单.csv",
            4 if case % 10 == 4 => "名单.xls",
            4 => "名单.ods",
            _ => "名单.xlsx",
        };
        let result = std::panic::catch_unwind(|| read_bytes(&bytes, name));
        if must_refuse {
            assert!(
                matches!(result, Ok(Err(_))),
                "case {case}: a file expanding past 1 GB of text was read"
            );
        }
        match result {
            Ok(Ok(_)) => outcomes[0] += 1,
            Ok(Err(_)) => outcomes[1] += 1,
            Err(_) => panic!("case {case} panicked the reader ({} bytes)", bytes.len()),
        }
    }
    eprintln!(
        "3000 cases: {} read, {} refused with a message; {} repeating one text ({} past 1 GB); peak RSS {} KB",
        outcomes[0],
        outcomes[1],
        repeats[0] + repeats[1],
        repeats[1],
        peak_rss_kb()
    );
    assert!(
        repeats[0] > 0 && repeats[1] > 0,
        "the repeating cases should include small and huge expansions: {repeats:?}"
    );
    assert!(
        outcomes[0] > 0 && outcomes[1] > 0,
        "the cases should include readable and refused files: {outcomes:?}"
    );
    assert!(
        peak_rss_kb() < 1_000_000,
        "the reader used {} KB",
        peak_rss_kb()
    );
}

#[test]
fn a_small_workbook_repeating_one_long_shared_string_is_refused_without_aborting() {
    // 150,000 rows × 20 cells, each a reference to one 3,000-character shared string: a few MB
    // on disk, gigabytes once every cell holds its own copy of the text.
    let sst = format!(
        r#"<sst xmlns="{NS}" count="3000000" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "长".repeat(3000)
    );
    let mut sheet = String::with_capacity(120 << 20);
    let cols: Vec<String> = (0..20u8)
        .map(|i| ((b'A' + i) as char).to_string())
        .collect();
    for r in 1..=150_000 {
        sheet.push_str(&format!(r#"<row r="{r}">"#));
        for c in &cols {
            sheet.push_str(&format!(r#"<c r="{c}{r}" t="s"><v>0</v></c>"#));
        }
        sheet.push_str("</row>");
    }
    refused_cleanly_within(workbook(&sheet, Some(&sst)), 10 << 20, "文字展开后");
}

#[test]
fn an_xls_and_an_ods_repeating_one_long_text_are_refused_without_aborting() {
    // The .xls: 60,000 rows × 20 cells, each a reference to one 3,000-character shared string.
    let mut cells = vec![XlsCell::Text(0, 0, "姓名")];
    for r in 1..60_000u16 {
        for c in 0..20u16 {
            cells.push(XlsCell::Shared(r, c, 0));
        }
    }
    let long = "长".repeat(3000);
    refused_cleanly_within(
        xls_with_strings(&cells, None, &[&long]),
        30 << 20,
        "文字展开后",
    );
    // The .ods: one 3,000-character cell repeated 20 times across, its row 150,000 times down.
    let row = format!(
        r#"<table:table-row table:number-rows-repeated="150000"><table:table-cell table:number-columns-repeated="20" office:value-type="string"><text:p>{long}</text:p></table:table-cell></table:table-row>"#
    );
    refused_cleanly(ods(&row), "文字展开后");
}
