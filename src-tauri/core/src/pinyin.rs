//! Names as people type them: pinyin readings per character, surname-aware.
//!
//! The `pinyin` crate gives every reading of a character but orders them for running text,
//! so as a surname it reads 单 dan, 曾 ceng, 解 jie, 仇 chou… (18 of 37 test surnames wrong).
//! A surname has one accepted reading (乐 has two), so the first character — or the first
//! two for compound surnames — is read from the surname table (`surnames`) and only that way. Every other
//! character keeps all its readings: a given name matches whichever reading the typist has
//! in mind.

use pinyin::ToPinyinMulti;

use crate::surnames;

/// One typed unit of a name: a Chinese character with its readings, or a run of Latin
/// letters/digits (read as itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syllable {
    pub readings: Vec<String>,
}

/// Separators inside names (买买提·艾力) that nobody types.
pub fn is_name_separator(c: char) -> bool {
    matches!(
        c,
        '·' | '•' | '．' | '‧' | '・' | '.' | '-' | '‐' | '—' | '_' | '\'' | '’'
    ) || c.is_whitespace()
}

/// Folds what people type and what lists contain to one form: full-width ASCII to half-width,
/// lower case, no spaces (including the ideographic space that pads two-character names).
pub fn normalise(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
                _ => c,
            };
            if c.is_whitespace() {
                None
            } else {
                Some(c.to_lowercase().next().unwrap_or(c))
            }
        })
        .collect()
}

/// The reading given to an ideograph the pinyin table does not know.
pub const UNREADABLE: &str = "?";

/// CJK ideographs: the unified blocks with their extensions, and the compatibility blocks.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

fn readings_of(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let plain = p.plain();
            // ü is typed as v (and often as u).
            let forms: Vec<String> = if plain.contains('ü') {
                vec![plain.replace('ü', "v"), plain.replace('ü', "u")]
            } else {
                vec![plain.to_string()]
            };
            for f in forms {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
    }
    out
}

fn fixed(readings: &[&str]) -> Syllable {
    Syllable {
        readings: readings.iter().map(|r| r.to_string()).collect(),
    }
}

/// The syllables of a (normalised or raw) name, surname first.
pub fn syllables(name: &str) -> Vec<Syllable> {
    let chars: Vec<char> = name
        .chars()
        .filter(|c| !is_name_separator(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    if chars.len() >= 3 {
        let head: String = chars[..2].iter().collect();
        if let Some(r) = surnames::compound(&head) {
            out.push(fixed(&r[..1]));
            out.push(fixed(&r[1..]));
            i = 2;
        }
    }
    if i == 0 && chars.len() >= 2 {
        if let Some(r) = surnames::single(chars[0]) {
            out.push(fixed(r));
            i = 1;
        }
    }
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            out.push(Syllable {
                readings: vec![chars[start..i].iter().collect()],
            });
            continue;
        }
        let readings = readings_of(c);
        if !readings.is_empty() {
            out.push(Syllable { readings });
        } else if is_ideograph(c) {
            // A rare character with no known reading still takes its place in the name, so
            // that 王𬀩 is not taken for the whole name when someone types "wang". Nobody can
            // type "?": it only stands in the way.
            out.push(Syllable {
                readings: vec![UNREADABLE.to_string()],
            });
        }
        i += 1;
    }
    out
}

/// The usual full pinyin and initials of a name (first reading of each syllable), for
/// display and for the plain-text search column.
pub fn full_and_initials(name: &str) -> (String, String) {
    let s = syllables(name);
    let full = s
        .iter()
        .filter_map(|x| x.readings.first())
        .map(String::as_str)
        .collect();
    let initials = s
        .iter()
        .filter_map(|x| x.readings.first().and_then(|r| r.chars().next()))
        .collect();
    (full, initials)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(name: &str) -> String {
        full_and_initials(name).0
    }

    #[test]
    fn surnames_read_the_way_surnames_are_read() {
        // (name, expected full pinyin of the surname + given name's first reading)
        let cases = [
            ("单雪梅", "shan"),
            ("曾志刚", "zeng"),
            ("解立新", "xie"),
            ("仇永刚", "qiu"),
            ("区海涛", "ou"),
            ("查艳红", "zha"),
            ("朴智光", "piao"),
            ("盖军", "ge"),
            ("覃立新", "qin"),
            ("翟思远", "zhai"),
            ("缪静", "miao"),
            ("尉迟晓", "yuchi"),
            ("万俟思远", "moqi"),
            ("长孙无忌", "zhangsun"),
            ("欧阳文静", "ouyang"),
        ];
        for (name, surname) in cases {
            assert!(
                first(name).starts_with(surname),
                "{name} → {} should start with {surname}",
                first(name)
            );
        }
    }

    #[test]
    fn a_surname_has_only_its_surname_reading() {
        let s = syllables("单雪梅");
        assert_eq!(s[0].readings, ["shan"]);
        // 乐 is a surname read two ways; both are kept.
        assert_eq!(syllables("乐红")[0].readings, ["yue", "le"]);
    }

    #[test]
    fn given_names_keep_every_reading() {
        // 朝 in a given name: zhao or chao.
        let s = syllables("王朝阳");
        assert!(s[1].readings.contains(&"zhao".to_string()));
        assert!(s[1].readings.contains(&"chao".to_string()));
    }

    #[test]
    fn a_surname_character_alone_is_not_forced() {
        // A one-character "name" is not a surname + given name.
        assert!(syllables("单")[0].readings.contains(&"dan".to_string()));
    }

    #[test]
    fn u_umlaut_is_typed_as_v_or_u() {
        let s = syllables("吕静");
        assert!(s[0].readings.contains(&"lv".to_string()));
        assert!(s[0].readings.contains(&"lu".to_string()));
    }

    #[test]
    fn an_unknown_ideograph_keeps_its_place() {
        // U+2A6E0 (in the ideograph planes, no reading in the table): one syllable nobody
        // can type.
        let s = syllables("王\u{2A6E0}");
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].readings, [UNREADABLE]);
    }

    #[test]
    fn separators_and_latin_letters() {
        let s = syllables("买买提·艾力");
        assert_eq!(s.len(), 5);
        assert_eq!(full_and_initials("David 王").0, "davidwang");
    }
}
