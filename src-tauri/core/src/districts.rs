//! The 16 districts of Shanghai, named as the organisers write them and normalised to one
//! spelling: 金山 = 金山区 = 上海市金山区 = Jinshan; 浦东 = 浦东新区; the old 崇明县 = 崇明区.
//! City-level activities (市级, 全市) are kept under 市级.

/// The districts in the order the city lists them, with their pinyin.
pub const DISTRICTS: [(&str, &str); 16] = [
    ("黄浦区", "huangpu"),
    ("徐汇区", "xuhui"),
    ("长宁区", "changning"),
    ("静安区", "jingan"),
    ("普陀区", "putuo"),
    ("虹口区", "hongkou"),
    ("杨浦区", "yangpu"),
    ("闵行区", "minhang"),
    ("宝山区", "baoshan"),
    ("嘉定区", "jiading"),
    ("浦东新区", "pudong"),
    ("金山区", "jinshan"),
    ("松江区", "songjiang"),
    ("青浦区", "qingpu"),
    ("奉贤区", "fengxian"),
    ("崇明区", "chongming"),
];

/// Activities of the city as a whole.
pub const CITY: &str = "市级";

/// The stem a district is known by: 浦东新区 → 浦东, 金山区 → 金山.
fn stem(name: &str) -> &str {
    name.trim_end_matches('区').trim_end_matches("新")
}

/// A district as typed in a ledger → its full name, or None when it names no district.
pub fn normalise(raw: &str) -> Option<&'static str> {
    let s: String = crate::pinyin::normalise(raw)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’' | '-' | '·'))
        .collect();
    let s = s.trim_start_matches("上海市").trim_start_matches("上海");
    if s.is_empty() {
        return None;
    }
    if matches!(s, "市级" | "全市" | "市" | "市委" | "市里" | "city") {
        return Some(CITY);
    }
    let lower = s.to_lowercase();
    let lower = lower
        .trim_end_matches("newdistrict")
        .trim_end_matches("district");
    for (name, py) in DISTRICTS {
        let st = stem(name);
        let bare = s
            .trim_end_matches('区')
            .trim_end_matches('县')
            .trim_end_matches("新");
        if s == name || bare == st || lower == py {
            return Some(name);
        }
    }
    None
}

/// The district a text names somewhere in it (an event's name or place: 金山主会场 → 金山区).
pub fn found_in(text: &str) -> Option<&'static str> {
    DISTRICTS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| text.contains(stem(name)))
}

/// The district's place in the city's order (市级 first, unknown last), for sorting.
pub fn order(name: &str) -> usize {
    if name == CITY {
        return 0;
    }
    DISTRICTS
        .iter()
        .position(|(n, _)| *n == name)
        .map_or(usize::MAX, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_district_written_loosely_is_one_district() {
        for raw in [
            "金山",
            "金山区",
            "上海市金山区",
            " 金山 区",
            "Jinshan",
            "jinshan district",
        ] {
            assert_eq!(normalise(raw), Some("金山区"), "{raw}");
        }
        for raw in ["浦东", "浦东新区", "浦东区", "Pudong New District"] {
            assert_eq!(normalise(raw), Some("浦东新区"), "{raw}");
        }
        assert_eq!(normalise("崇明县"), Some("崇明区"));
        assert_eq!(normalise("静安"), Some("静安区"));
        assert_eq!(normalise("Jing'an"), Some("静安区"));
        assert_eq!(normalise("全市"), Some(CITY));
        assert_eq!(normalise("杭州"), None);
        assert_eq!(normalise(""), None);
    }

    #[test]
    fn an_event_name_tells_its_district() {
        assert_eq!(
            found_in("2024年同心专家服务日（金山主会场）"),
            Some("金山区")
        );
        assert_eq!(found_in("浦东分会场"), Some("浦东新区"));
        assert_eq!(found_in("主会场"), None);
    }
}
