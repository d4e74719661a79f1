//! The forms a name can be typed in — characters, full pinyin, initials, a mix — and the exact
//! checks of a typed query against a name's syllables under every reading.

use std::collections::HashSet;

use super::MatchKind;
use crate::pinyin::{self, is_name_separator, normalise};

/// Keys of the pinyin postings: whether the typed string starts at the name's first syllable,
/// and the first one to three letters typed.
pub(super) type PinyinKey = [u8; 4];

/// Keys of the initials postings: up to one letter for each syllable looked at, zero-padded.
pub(super) type InitialsKey = [u8; MAX_TYPED_SYLLABLES];

/// The key of a string of initials; none for one longer than any name's initials are kept.
pub(super) fn initials_key(initials: &str) -> Option<InitialsKey> {
    let b = initials.as_bytes();
    let mut k = [0; MAX_TYPED_SYLLABLES];
    k.get_mut(..b.len())?.copy_from_slice(b);
    Some(k)
}

/// A syllable's readings, usual first. Shared: the index holds each distinct set once (a few
/// thousand characters over 100,000 names), every name points at them — with a thin pointer
/// (8 bytes where a pointer to a slice takes 16: 2.3 MiB over 100,000 names).
pub(super) type Readings = std::sync::Arc<Box<[Box<str>]>>;

/// A syllable's readings, shared from then on.
pub(super) fn readings<'a>(r: impl IntoIterator<Item = &'a str>) -> Readings {
    std::sync::Arc::new(r.into_iter().map(Box::from).collect())
}

pub(super) fn pinyin_key(at_start: bool, typed: &[u8]) -> PinyinKey {
    let mut k = [u8::from(at_start), 0, 0, 0];
    for (slot, b) in k[1..].iter_mut().zip(typed) {
        *slot = *b;
    }
    k
}

/// Sorted typed forms into one byte arena: each row is the form's offset, and its entry and
/// length in one word (entry << 8 | length) — eight bytes a form, not twelve with padding
/// (over 1.9 million forms with 100,000 names). Entries past 2^24 (16.7 million people) get no
/// typed forms.
#[derive(Default)]
pub(super) struct TypedForms {
    pub(super) arena: Vec<u8>,
    pub(super) rows: Vec<[u32; 2]>,
}

const MAX_ENTRY: u32 = (1 << 24) - 1;

fn entry_of(row: &[u32; 2]) -> u32 {
    row[1] >> 8
}

impl TypedForms {
    pub(super) fn push(&mut self, form: &[u8], n: u32) {
        if n > MAX_ENTRY {
            return;
        }
        let len = form.len().min(255);
        self.rows
            .push([self.arena.len() as u32, n << 8 | len as u32]);
        self.arena.extend_from_slice(&form[..len]);
    }

    fn text(&self, row: &[u32; 2]) -> &[u8] {
        let at = row[0] as usize;
        &self.arena[at..at + (row[1] & 0xff) as usize]
    }

    /// Sorts the forms, then writes the arena again with each text once: a form equal to, or
    /// the start of, the form after it in sorted order shares that form's bytes (zha, zhan and
    /// zhang are one "zhang"). With 100,000 names this more than halves the arena.
    pub(super) fn sort(&mut self) {
        let mut rows = std::mem::take(&mut self.rows);
        rows.sort_unstable_by(|a, b| {
            self.text(a)
                .cmp(self.text(b))
                .then(entry_of(a).cmp(&entry_of(b)))
        });
        let mut arena: Vec<u8> = Vec::new();
        let mut shared: Option<(usize, usize)> = None;
        for r in rows.iter_mut().rev() {
            let text = self.text(r);
            match shared {
                Some((at, len)) if arena[at..at + len].starts_with(text) => r[0] = at as u32,
                _ => {
                    let at = arena.len();
                    arena.extend_from_slice(text);
                    shared = Some((at, text.len()));
                    r[0] = at as u32;
                }
            }
        }
        arena.shrink_to_fit();
        rows.shrink_to_fit();
        self.arena = arena;
        self.rows = rows;
    }

    /// Entries whose form is exactly `q`, in rank order.
    pub(super) fn exactly<'a>(&'a self, q: &'a [u8]) -> impl Iterator<Item = u32> + 'a {
        let start = self.rows.partition_point(|r| self.text(r) < q);
        self.rows[start..]
            .iter()
            .take_while(move |r| self.text(r) == q)
            .map(entry_of)
    }

    /// Entries with a form starting with `q`, in rank order, each once.
    pub(super) fn with_prefix(&self, q: &[u8]) -> Vec<u32> {
        let start = self.rows.partition_point(|r| self.text(r) < q);
        let mut out: Vec<u32> = self.rows[start..]
            .iter()
            .take_while(|r| self.text(r).starts_with(q))
            .map(entry_of)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Most typed forms kept per name and starting syllable.
pub(super) const MAX_FORMS: usize = 48;

/// Most readings a name is expanded to for the whole-name tables (a name of four
/// many-reading characters would otherwise explode).
const MAX_COMBOS: usize = 32;

/// Syllables looked at from each starting syllable, and for the whole-name tables: nobody
/// types more of a name than this, and the bound keeps building the index linear in the
/// name's length whatever a list or a package holds (a 3,000-character name froze the desk).
pub(super) const MAX_TYPED_SYLLABLES: usize = 12;

/// Every string of exactly `len` letters a typist can produce from syllable `i` on, each
/// syllable contributing a non-empty prefix of one of its readings.
pub(super) fn typed_strings(
    syl: &[Readings],
    i: usize,
    len: usize,
    acc: &mut Vec<u8>,
    out: &mut Vec<Vec<u8>>,
) {
    if acc.len() == len {
        if !out.contains(acc) {
            out.push(acc.clone());
        }
        return;
    }
    let Some(readings) = syl.get(i) else { return };
    for r in readings.iter() {
        let r = r.as_bytes();
        for k in 1..=r.len().min(len - acc.len()) {
            let mark = acc.len();
            acc.extend_from_slice(&r[..k]);
            typed_strings(syl, i + 1, len, acc, out);
            acc.truncate(mark);
        }
    }
}

/// Whole-name full pinyin and initials under every combination of readings (capped).
pub(super) fn whole_forms(syl: &[Readings]) -> (Vec<String>, Vec<String>) {
    let mut full = vec![String::new()];
    let mut initials = vec![String::new()];
    for readings in syl {
        let mut f2 = Vec::new();
        let mut i2 = Vec::new();
        for r in readings.iter() {
            for f in &full {
                if f2.len() < MAX_COMBOS {
                    f2.push(format!("{f}{r}"));
                }
            }
            for i in &initials {
                let c = &r[..1];
                let s = format!("{i}{c}");
                if i2.len() < MAX_COMBOS && !i2.contains(&s) {
                    i2.push(s);
                }
            }
        }
        full = f2;
        initials = i2;
    }
    // Initials count from the start: z, zz, zzg all find 张兆国.
    let mut seen = HashSet::new();
    let mut prefixes = Vec::new();
    for i in &initials {
        for k in 1..=i.len() {
            if seen.insert(&i[..k]) {
                prefixes.push(i[..k].to_string());
            }
        }
    }
    (full, prefixes)
}

/// What the database keeps in `expert.search_keys`: the name, its usual full pinyin and its
/// initials, so that a plain SQL scan (the CLI's baseline, other tools) can find people too.
pub fn stored_keys(name: &str) -> String {
    let key = name_key(name);
    let (full, initials) = pinyin::full_and_initials(&key);
    format!("{key} {full} {initials}")
}

/// A name as it is compared: normalised, without the dots and dashes nobody types.
pub(super) fn name_key(s: &str) -> String {
    normalise(s)
        .chars()
        .filter(|c| !is_name_separator(*c))
        .collect()
}

/// How a syllable may be typed when more follows it: in full, by its first letter, or by its
/// initial zh / ch / sh. (The last syllable typed may be any prefix of a reading.)
fn typed_options(r: &str) -> impl Iterator<Item = &str> {
    let digraph =
        r.len() > 2 && (r.starts_with("zh") || r.starts_with("ch") || r.starts_with("sh"));
    std::iter::once(r)
        .chain((r.len() > 1).then(|| &r[..1]))
        .chain(digraph.then(|| &r[..2]))
}

/// Does `q` (lower-case ASCII letters) match the syllables from `i` on? Each syllable in turn
/// is typed in full, by its initial, or (the last one) by any prefix, until `q` is used up.
/// So zhangzhaoguo, zzg, zhangzg and zhangzha find 张兆国, but gj does not find 姜佳
/// (jiang·jia): full pinyin counts only at syllable boundaries.
pub(super) fn pinyin_match(syl: &[Readings], i: usize, q: &[u8]) -> bool {
    if q.is_empty() {
        return true;
    }
    let Some(readings) = syl.get(i) else {
        return false;
    };
    readings.iter().any(|r| {
        r.as_bytes().starts_with(q)
            || typed_options(r).any(|o| {
                let o = o.as_bytes();
                q.len() > o.len() && q.starts_with(o) && pinyin_match(syl, i + 1, &q[o.len()..])
            })
    })
}

/// Every way to type the name from syllable `i` to its end (see [`typed_options`]), capped.
pub(super) fn typed_forms(syl: &[Readings], i: usize, cap: usize) -> Vec<Vec<u8>> {
    let mut forms: Vec<Vec<u8>> = vec![Vec::new()];
    for readings in &syl[i.min(syl.len())..] {
        let mut next = Vec::new();
        for f in &forms {
            for r in readings.iter() {
                for o in typed_options(r) {
                    let mut g = f.clone();
                    g.extend_from_slice(o.as_bytes());
                    if next.len() < cap && !next.contains(&g) {
                        next.push(g);
                    }
                }
            }
        }
        forms = next;
    }
    forms
}

/// `q` is exactly one letter per syllable from `i` on (initials).
fn initials_match(syl: &[Readings], i: usize, q: &[u8]) -> bool {
    q.len() + i <= syl.len()
        && q.iter()
            .enumerate()
            .all(|(k, c)| syl[i + k].iter().any(|r| r.as_bytes().first() == Some(c)))
}

/// `q` is the whole name's full pinyin under some reading of each syllable.
fn full_match(syl: &[Readings], i: usize, q: &[u8]) -> bool {
    match syl.get(i) {
        None => q.is_empty(),
        Some(readings) => readings.iter().any(|r| {
            let r = r.as_bytes();
            q.starts_with(r) && full_match(syl, i + 1, &q[r.len()..])
        }),
    }
}

/// `q` is whole syllables from the start of the name under each one's usual (first) reading:
/// all of them when `whole`, else any number.
fn usual_syllables(syl: &[Readings], q: &[u8], whole: bool) -> bool {
    let mut rest = q;
    for readings in syl {
        if rest.is_empty() && !whole {
            return true;
        }
        let Some(r) = readings.first().map(|r| r.as_bytes()) else {
            return false;
        };
        match rest.strip_prefix(r) {
            Some(tail) => rest = tail,
            None => return false,
        }
    }
    rest.is_empty()
}

/// `q` is one or more whole syllables from the start of the name (but not all of them: that
/// is the whole name).
fn syllables_match(syl: &[Readings], i: usize, q: &[u8]) -> bool {
    if q.is_empty() {
        return i > 0 && i < syl.len();
    }
    syl.get(i).is_some_and(|readings| {
        readings.iter().any(|r| {
            let r = r.as_bytes();
            q.starts_with(r) && syllables_match(syl, i + 1, &q[r.len()..])
        })
    })
}

/// How well letters typed from the start of a name match it, best first.
pub(super) fn classify_letters(syl: &[Readings], q: &[u8]) -> MatchKind {
    if full_match(syl, 0, q) {
        if usual_syllables(syl, q, true) {
            MatchKind::ExactName
        } else {
            MatchKind::ExactNameRare
        }
    } else if syllables_match(syl, 0, q) {
        if usual_syllables(syl, q, false) {
            MatchKind::Syllables
        } else {
            MatchKind::SyllablesRare
        }
    } else if initials_match(syl, 0, q) {
        MatchKind::Initials
    } else {
        MatchKind::PinyinPrefix
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::TypedForms;
    use crate::search::MatchKind;

    #[test]
    fn forms_that_share_their_bytes_are_still_told_apart() {
        let mut f = TypedForms::default();
        for (form, n) in [("zhang", 0), ("zha", 1), ("zhao", 2), ("zha", 3), ("zh", 4)] {
            f.push(form.as_bytes(), n);
        }
        f.sort();
        // zh, zha and zhang are one "zhang"; zhao stands alone.
        assert_eq!(f.arena.len(), "zhang".len() + "zhao".len());
        assert_eq!(f.exactly(b"zha").collect::<Vec<_>>(), [1, 3]);
        assert_eq!(f.exactly(b"zhan").count(), 0);
        assert_eq!(f.exactly(b"zhang").collect::<Vec<_>>(), [0]);
        assert_eq!(f.with_prefix(b"zha"), [0, 1, 2, 3]);
        assert_eq!(f.with_prefix(b"zhao"), [2]);
    }
    #[test]
    fn full_pinyin_initials_and_mixed_forms_find_the_name() {
        let ix = people();
        for q in [
            "zhangzhaoguo",
            "zzg",
            "zhangzg",
            "zhangzhaog",
            "zhang",
            "zhangz",
            "ZZG",
            "zhang zhao guo",
        ] {
            assert_eq!(
                first(&ix, q).map(|x| x.0).as_deref(),
                Some("zzg"),
                "query {q}"
            );
        }
        assert_eq!(first(&ix, "zhangzhaoguo").unwrap().1, MatchKind::ExactName);
        assert_eq!(first(&ix, "zzg").unwrap().1, MatchKind::Initials);
        assert_eq!(first(&ix, "zhangzg").unwrap().1, MatchKind::PinyinPrefix);
    }

    #[test]
    fn initials_match_anywhere_but_pinyin_only_at_syllable_boundaries() {
        let ix = people();
        // "gj" is inside "jiangjia" but not at a syllable boundary: 姜佳 is not a hit.
        assert!(!ids(ix.query("gj", 10)).contains(&"jj".to_string()));
        // Initials of later syllables do match (zhao guo).
        assert!(ids(ix.query("zg", 10)).contains(&"zzg".to_string()));
        assert!(ids(ix.query("angjia", 10)).is_empty());
        // A syllable in the middle is typed in full or by its initial, not cut short.
        assert!(ids(ix.query("jiajia", 10)).is_empty());
        // zh / ch / sh count as initials too.
        assert_eq!(first(&ix, "zhzg").map(|x| x.0).as_deref(), Some("zzg"));
        assert_eq!(ids(ix.query("jiangj", 10)), ["jj"]);
    }

    #[test]
    fn surnames_are_read_as_surnames() {
        let ix = people();
        assert_eq!(
            first(&ix, "shanxuemei").map(|x| x.0).as_deref(),
            Some("sxm")
        );
        assert_eq!(first(&ix, "sxm").map(|x| x.0).as_deref(), Some("sxm"));
        assert!(!ids(ix.query("danxuemei", 10)).contains(&"sxm".to_string()));
        assert_eq!(first(&ix, "yuchixiao").map(|x| x.0).as_deref(), Some("ycx"));
        assert_eq!(first(&ix, "ycx").map(|x| x.0).as_deref(), Some("ycx"));
    }

    #[test]
    fn polyphonic_given_names_match_under_every_reading() {
        let ix = people();
        assert_eq!(
            first(&ix, "wangzhaoyang").map(|x| x.0).as_deref(),
            Some("zcy")
        );
        assert_eq!(
            first(&ix, "wangchaoyang").map(|x| x.0).as_deref(),
            Some("zcy")
        );
        assert_eq!(first(&ix, "lvjing").map(|x| x.0).as_deref(), Some("lv"));
        assert_eq!(first(&ix, "lujing").map(|x| x.0).as_deref(), Some("lv"));
    }

    #[test]
    fn names_with_a_middle_dot_are_found_without_it() {
        let ix = people();
        assert_eq!(
            first(&ix, "买买提艾力").map(|x| x.0).as_deref(),
            Some("mmt")
        );
        assert_eq!(first(&ix, "买买提·艾力").unwrap().1, MatchKind::ExactName);
        assert_eq!(first(&ix, "艾力").unwrap().1, MatchKind::NamePart);
    }

    #[test]
    fn full_width_digits_and_spaces_are_folded() {
        assert_eq!(ids(index().query("５６７８", 10)), ["1", "3"]);
        assert_eq!(ids(index().query(" e-2 ", 10)), ["2"]);
    }
}
