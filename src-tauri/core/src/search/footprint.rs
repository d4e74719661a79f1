//! What each part of the index holds on the heap, in bytes: where its memory goes, for the
//! bench's breakdown. Counted from the lists' capacities; the allocator's own headers and
//! rounding, and pages it cannot give back, are not.

use std::collections::HashSet;
use std::mem::size_of;

use super::forms::TypedForms;
use super::SearchIndex;

fn forms(f: &TypedForms) -> usize {
    f.rows.capacity() * size_of::<[u32; 2]>() + f.arena.capacity()
}

impl SearchIndex {
    /// The heap bytes of each part, largest first.
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        let mut readings = 0;
        let mut seen = HashSet::new();
        for n in 0..self.entries.len() as u32 {
            for r in self.entries.syllables(n) {
                if seen.insert(r.as_ptr()) {
                    // Two reference counts and the box, then its readings and their letters.
                    readings += 16
                        + size_of::<Box<[Box<str>]>>()
                        + r.len() * size_of::<Box<str>>()
                        + r.iter().map(|s| s.len()).sum::<usize>();
                }
            }
        }
        let organisations = self.organisations.capacity() * size_of::<(String, Vec<u32>)>()
            + self
                .organisations
                .iter()
                .map(|(o, m)| o.capacity() + m.capacity() * 4)
                .sum::<usize>();
        let mut parts = vec![
            ("people", self.entries.heap_bytes()),
            ("readings", readings),
            ("by_char", self.by_char.heap_bytes()),
            ("by_pinyin", self.by_pinyin.heap_bytes()),
            ("forms_start", forms(&self.forms_start)),
            ("forms_later", forms(&self.forms_later)),
            ("by_full", forms(&self.by_full)),
            ("by_initials", self.by_initials.heap_bytes()),
            ("by_phone4", self.by_phone4.heap_bytes()),
            ("organisations", organisations),
        ];
        parts.sort_by_key(|p| std::cmp::Reverse(p.1));
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    fn part(ix: &SearchIndex, name: &str) -> usize {
        ix.footprint()
            .into_iter()
            .find(|p| p.0 == name)
            .map_or(0, |p| p.1)
    }

    #[test]
    fn each_part_is_counted_and_grows_with_the_people() {
        let day = |n: usize| {
            SearchIndex::from_rows(
                "e",
                (0..n)
                    .map(|i| {
                        let name = ["张兆国", "王磊", "欧阳晓明", "李静"][i % 4];
                        row(
                            &i.to_string(),
                            name,
                            "同济大学",
                            &format!("139{i:08}"),
                            true,
                        )
                    })
                    .collect(),
            )
        };
        let (small, large) = (day(100), day(1000));
        for (name, bytes) in small.footprint() {
            assert!(bytes > 0, "{name} is counted");
        }
        // The same four names over and over: their readings are held once however many
        // people carry them, everything else grows with the people.
        assert_eq!(part(&small, "readings"), part(&large, "readings"));
        for name in ["people", "forms_start", "forms_later", "by_phone4"] {
            assert!(
                part(&large, name) > 5 * part(&small, name),
                "{name}: {} → {} bytes for 10× the people",
                part(&small, name),
                part(&large, name)
            );
        }
    }
}
