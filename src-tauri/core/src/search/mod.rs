//! Finding the person at the desk. The index holds each expert's searchable forms in memory
//! (built once per event, rebuilt when experts change); the live state of a hit — sign-up and
//! check-in — is read from the database for the few hits shown.

mod entries;
mod footprint;
mod forms;
mod hits;
mod index;
mod postings;

use serde::Serialize;

pub use crate::pinyin::normalise;
pub use crate::store::search::IndexRow;
pub use forms::stored_keys;
pub use hits::{hits, search, SearchHit};
pub use index::SearchIndex;

/// How a hit matched, best first. The order is the ranking after "signed up for the event".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The expert's code, as a scanner types it.
    Code,
    /// The whole name, in characters or in full pinyin (each character's usual reading).
    ExactName,
    /// The whole name in full pinyin under a rarer reading of a given-name character.
    ExactNameRare,
    /// The start of the name in characters.
    NamePrefix,
    /// Whole syllables from the start of the name: `li` is 李, not the start of 刘 (liu);
    /// `zhangjian` is 张建平.
    Syllables,
    /// Whole syllables from the start, under a rarer reading of one of them: `tan` finds 谭
    /// (Syllables) before 覃, whose surname is read qín first.
    SyllablesRare,
    /// Initials from the start of the name (zzg).
    Initials,
    /// Pinyin from the start of the name, whole or partial syllables (zhangzg, zhangzhao).
    PinyinPrefix,
    /// Part of the name, in characters or pinyin from a later syllable.
    NamePart,
    /// A run of four or more digits of the phone.
    Phone,
    /// Part of the organisation.
    Organisation,
}

#[cfg(test)]
mod fixtures {
    use super::*;

    pub(super) fn row(id: &str, name: &str, org: &str, phone: &str, signed_up: bool) -> IndexRow {
        IndexRow {
            expert_id: id.into(),
            code: format!("E-{id}"),
            name: name.into(),
            organisation: org.into(),
            phone: phone.into(),
            signed_up,
        }
    }

    pub(super) fn index() -> SearchIndex {
        SearchIndex::from_rows(
            "ev",
            vec![
                row("1", "张　伟", "同济大学", "13812345678", true),
                row("2", "张伟明", "复旦大学", "13900001111", true),
                row("3", "王张", "上海交通大学", "13700005678", true),
                row("4", "张伟", "上海大学", "13600002222", false),
            ],
        )
    }

    pub(super) fn ids(v: Vec<(String, MatchKind)>) -> Vec<String> {
        v.into_iter().map(|(id, _)| id).collect()
    }

    pub(super) fn people() -> SearchIndex {
        SearchIndex::from_rows(
            "ev",
            vec![
                row("zzg", "张兆国", "上海交通大学", "13911112222", true),
                row("zzg2", "赵志刚", "复旦大学", "13911113333", true),
                row("jj", "姜佳", "同济大学", "13911114444", true),
                row("sxm", "单雪梅", "东华大学", "13911115555", true),
                row("zcy", "王朝阳", "华东理工大学", "13911116666", true),
                row("ycx", "尉迟晓", "上海大学", "13911117777", true),
                row("lv", "吕静", "上海师范大学", "13911118888", true),
                row("mmt", "买买提·艾力", "新疆大学", "13911119999", true),
                row("w1", "王磊", "同济大学", "13800000001", true),
                row("w2", "王磊", "上海市第六人民医院", "13800000002", true),
            ],
        )
    }

    pub(super) fn first(ix: &SearchIndex, q: &str) -> Option<(String, MatchKind)> {
        ix.query(q, 10).into_iter().next()
    }
}
