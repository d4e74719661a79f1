//! Building the index: every expert's searchable forms, in rank order, once per event.

use std::collections::HashMap;

use super::entries::Entries;
use super::forms::{
    initials_key, name_key, pinyin_key, readings, typed_forms, typed_strings, whole_forms,
    InitialsKey, PinyinKey, Readings, TypedForms, MAX_FORMS, MAX_TYPED_SYLLABLES,
};
use super::postings::{Postings, PostingsBuilder};
use super::IndexRow;
use crate::pinyin::normalise;
use crate::{pinyin, store, Db, Result};

/// An in-memory index over everyone who can be found, built once per event.
///
/// Entries are stored in rank order (signed up for the event first, then by name), so every
/// postings list is already in rank order and a query can stop as soon as it has enough hits
/// of a kind. Lists: by code; by each character of the name; by every string of one to three
/// letters a typist can start a pinyin match with, from the first syllable or a later one;
/// whole-name full pinyin and initials under every reading; every four-digit window of the
/// phone; and by distinct organisation. A candidate from a list is then checked exactly.
pub struct SearchIndex {
    pub(super) event_id: String,
    /// Everyone's id, code, name, phone and syllables; looked up by code for a badge.
    pub(super) entries: Entries,
    /// Entries before this index are signed up for the event.
    pub(super) signed_up: u32,
    pub(super) by_char: Postings<char>,
    pub(super) by_pinyin: Postings<PinyinKey>,
    /// Every typed form of every name, sorted: from the first syllable, and from later ones.
    /// A query of three letters or more is a prefix range here.
    pub(super) forms_start: TypedForms,
    pub(super) forms_later: TypedForms,
    /// Whole-name full pinyin under every reading (exact lookups, one arena).
    pub(super) by_full: TypedForms,
    pub(super) by_initials: Postings<InitialsKey>,
    pub(super) by_phone4: Postings<[u8; 4]>,
    pub(super) organisations: Vec<(String, Vec<u32>)>,
}

impl SearchIndex {
    pub fn build(db: &Db, event_id: &str) -> Result<SearchIndex> {
        let rows = store::search::index_rows(db.conn(), event_id)?;
        Ok(SearchIndex::from_rows(event_id, rows))
    }

    pub fn from_rows(event_id: &str, mut rows: Vec<IndexRow>) -> SearchIndex {
        let mut keyed: Vec<(bool, String, IndexRow)> = rows
            .drain(..)
            .map(|r| (!r.signed_up, name_key(&r.name), r))
            .collect();
        keyed.sort_by(|a, b| (a.0, &a.1, &a.2.code).cmp(&(b.0, &b.1, &b.2.code)));
        let mut ix = SearchIndex {
            event_id: event_id.to_string(),
            entries: Entries::with_capacity(keyed.len()),
            signed_up: keyed.iter().filter(|k| !k.0).count() as u32,
            by_char: Postings::default(),
            by_pinyin: Postings::default(),
            forms_start: TypedForms::default(),
            forms_later: TypedForms::default(),
            by_full: TypedForms::default(),
            by_initials: Postings::default(),
            by_phone4: Postings::default(),
            organisations: Vec::new(),
        };
        let mut org_slot: HashMap<String, usize> = HashMap::new();
        let mut pool: HashMap<Vec<String>, Readings> = HashMap::new();
        let mut typed = Vec::new();
        let mut by_char = PostingsBuilder::default();
        let mut by_pinyin = PostingsBuilder::default();
        let mut by_initials = PostingsBuilder::default();
        let mut by_phone4 = PostingsBuilder::default();
        for (n, (_, name, r)) in keyed.into_iter().enumerate() {
            let n = n as u32;
            let syllables: Vec<Readings> = pinyin::syllables(&name)
                .into_iter()
                .map(|s| {
                    pool.entry(s.readings)
                        .or_insert_with_key(|r| readings(r.iter().map(String::as_str)))
                        .clone()
                })
                .collect();
            for c in name.chars() {
                by_char.add(c, n);
            }
            for i in 0..syllables.len() {
                for len in 1..=2 {
                    typed.clear();
                    typed_strings(&syllables, i, len, &mut Vec::new(), &mut typed);
                    for t in &typed {
                        by_pinyin.add(pinyin_key(i == 0, t), n);
                    }
                }
                let end = syllables.len().min(i + MAX_TYPED_SYLLABLES);
                let forms = typed_forms(&syllables[i..end], 0, MAX_FORMS);
                let target = if i == 0 {
                    &mut ix.forms_start
                } else {
                    &mut ix.forms_later
                };
                for f in forms {
                    target.push(&f, n);
                }
            }
            let head = &syllables[..syllables.len().min(MAX_TYPED_SYLLABLES)];
            let (mut full, initials) = whole_forms(head);
            // Two ways through the readings can spell the same (a·bc, ab·c): each once.
            full.sort_unstable();
            full.dedup();
            for f in full {
                ix.by_full.push(f.as_bytes(), n);
            }
            for k in initials.iter().filter_map(|i| initials_key(i)) {
                by_initials.add(k, n);
            }
            for w in r.phone.as_bytes().windows(4) {
                by_phone4.add([w[0], w[1], w[2], w[3]], n);
            }
            let org = normalise(&r.organisation);
            if !org.is_empty() {
                let slot = *org_slot.entry(org.clone()).or_insert_with(|| {
                    ix.organisations.push((org, Vec::new()));
                    ix.organisations.len() - 1
                });
                ix.organisations[slot].1.push(n);
            }
            ix.entries.push(
                &r.expert_id,
                &normalise(&r.code),
                &name,
                &r.phone,
                syllables,
            );
        }
        // The rows read from the database are gone now: the lists are made after them, in
        // memory of their own, not among the pages the rows leave half used.
        ix.by_char = by_char.finish();
        ix.by_pinyin = by_pinyin.finish();
        ix.by_initials = by_initials.finish();
        ix.by_phone4 = by_phone4.finish();
        ix.forms_start.sort();
        ix.forms_later.sort();
        ix.by_full.sort();
        ix.entries.finish();
        ix.shrink();
        ix
    }

    /// Gives back what the lists grew beyond their length while they were built (a list
    /// doubles as it grows: up to half of it was room).
    fn shrink(&mut self) {
        self.organisations
            .iter_mut()
            .for_each(|(_, m)| m.shrink_to_fit());
        self.organisations.shrink_to_fit();
    }

    pub fn event_id(&self) -> &str {
        &self.event_id
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    /// How much the index holds: typed forms and whole-name keys, each form and its bytes.
    fn footprint(ix: &SearchIndex) -> usize {
        [&ix.forms_start, &ix.forms_later, &ix.by_full]
            .iter()
            .map(|f| f.rows.len() + f.arena.len())
            .sum::<usize>()
            + ix.by_initials.heap_bytes()
    }

    #[test]
    fn the_index_of_a_name_grows_linearly_with_its_length() {
        // A 3,000-character name (a forged package, a pasted paragraph) froze the desk for
        // minutes: the forms kept grew with the square of the length, built under the lock.
        let name = |n: usize| "张兆国李".chars().cycle().take(n).collect::<String>();
        let size = |n: usize| {
            footprint(&SearchIndex::from_rows(
                "e",
                vec![row("1", &name(n), "", "", true)],
            ))
        };
        let (small, large) = (size(750), size(3000));
        assert!(
            large <= 5 * small,
            "4× the name, {}× the index ({small} → {large} bytes)",
            large / small.max(1)
        );
        // And the long name is still found by how it starts.
        let ix = SearchIndex::from_rows("e", vec![row("1", &name(3000), "", "", true)]);
        assert_eq!(ids(ix.query("zhangzhaoguo", 5)), ["1"]);
        assert_eq!(ids(ix.query("张兆国", 5)), ["1"]);
    }
}
