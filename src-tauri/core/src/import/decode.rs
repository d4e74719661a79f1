//! Text files as Chinese Excel and WPS write them: UTF-8 with or without BOM, UTF-16 with BOM
//! ("Unicode text"), and GBK/GB18030 (the default "CSV" of Chinese Excel). Order: BOM, then
//! strict UTF-8, then GB18030 (a superset of GBK and GB2312, so 堃 珺 喆 decode too).

use crate::{Error, Result};

pub fn decode_text(bytes: &[u8]) -> Result<String> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(Error::ImportUnreadable(format!(
                "文件标明为 {} 编码，但内容有无法解码的字节",
                enc.name()
            )));
        }
        return Ok(text.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors || text.contains('\0') {
        return Err(Error::ImportUnreadable(
            "文字编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）".into(),
        ));
    }
    Ok(text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "姓名,工作单位\n王堃,上海交通大学\n李珺,同济大学\n张喆,复旦大学\n𠮷田,东华大学\n";

    #[test]
    fn every_encoding_excel_writes_decodes_to_the_same_text() {
        let utf8 = SAMPLE.as_bytes().to_vec();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let (gb, _, unmappable) = encoding_rs::GB18030.encode(SAMPLE);
        assert!(!unmappable);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in SAMPLE.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        for bytes in [utf8, bom, gb.into_owned(), utf16] {
            assert_eq!(decode_text(&bytes).unwrap(), SAMPLE);
        }
    }

    #[test]
    fn gbk_only_characters_survive() {
        // 堃 珺 喆 are in GBK but not in GB2312.
        let (gbk, _, _) = encoding_rs::GBK.encode("王堃 李珺 张喆");
        assert_eq!(decode_text(&gbk).unwrap(), "王堃 李珺 张喆");
    }

    #[test]
    fn random_bytes_are_refused() {
        let junk: Vec<u8> = (0..400u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(decode_text(&junk).is_err());
    }
}
