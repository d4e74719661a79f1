//! Attendance sheets as CSV: UTF-8 with a BOM (so Excel on Windows reads the Chinese), CRLF,
//! one table — with the checkpoint as its first column when there are several sheets. Text a
//! spreadsheet would evaluate gets the usual neutralising apostrophe.

use super::{formula_like, AttendanceSheet};

/// One CSV field: neutralised if it would be read as a formula, quoted when needed.
pub fn field(s: &str) -> String {
    // Phones are stored as digits (or shown masked, 138****8000): never formula-like, so they
    // stay phones; anything else that starts like a formula is neutralised.
    let s = if formula_like(s) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn write(sheets: &[AttendanceSheet]) -> Vec<u8> {
    let many = sheets.len() > 1;
    let mut out = String::from("\u{FEFF}");
    let line = |out: &mut String, cells: &[&str]| {
        let l: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&l.join(","));
        out.push_str("\r\n");
    };
    if let Some(first) = sheets.first() {
        let mut h = first.headers();
        if many {
            h.insert(0, "签到点");
        }
        line(&mut out, &h);
    }
    for s in sheets {
        for i in 0..s.total_rows() {
            let no = (i + 1).to_string();
            let mut cells = vec![no.as_str()];
            cells.extend(s.cells(i));
            if many {
                cells.insert(0, &s.checkpoint);
            }
            line(&mut out, &cells);
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_phones_are_not() {
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"点我\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\""
        );
        assert_eq!(field("+1+1"), "'+1+1");
        assert_eq!(field("-2"), "'-2");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("+86 138 0013 8000"), "'+86 138 0013 8000");
        assert_eq!(field("13800138000"), "13800138000");
        assert_eq!(field("138****8000"), "138****8000");
        assert_eq!(
            field("<img src=x onerror=alert(1)>"),
            "<img src=x onerror=alert(1)>"
        );
        assert_eq!(field("同济大学, 土木学院"), "\"同济大学, 土木学院\"");
    }
}
