//! The people in the index, in rank order: each one's id, code, name and phone back to back in
//! one string, and their syllables' readings in one list. With 100,000 experts this holds about
//! 9 MiB where a struct of boxed strings per person held 21 (four allocations per person, each
//! with its own header and rounding).

use super::forms::Readings;

/// Where one person's texts end in `Entries::text`; they start where the previous one ends.
struct Row {
    at: u32,
    id_end: u32,
    code_end: u32,
    name_end: u32,
    syllables_at: u32,
}

#[derive(Default)]
pub(super) struct Entries {
    text: String,
    rows: Vec<Row>,
    syllables: Vec<Readings>,
    /// Entries sorted by code (then rank), for a scanned badge.
    by_code: Vec<u32>,
}

impl Entries {
    pub(super) fn with_capacity(n: usize) -> Entries {
        Entries {
            rows: Vec::with_capacity(n),
            ..Entries::default()
        }
    }

    /// Adds the next person (`code` as a scanner types it, normalised).
    pub(super) fn push(
        &mut self,
        expert_id: &str,
        code: &str,
        name: &str,
        phone: &str,
        syllables: impl IntoIterator<Item = Readings>,
    ) {
        let at = self.text.len() as u32;
        let mut end = |s: &str| {
            self.text.push_str(s);
            self.text.len() as u32
        };
        let id_end = end(expert_id);
        let code_end = end(code);
        let name_end = end(name);
        end(phone);
        self.rows.push(Row {
            at,
            id_end,
            code_end,
            name_end,
            syllables_at: self.syllables.len() as u32,
        });
        self.syllables.extend(syllables);
    }

    /// Sorts the codes for lookups and gives back the room the lists grew beyond their length.
    pub(super) fn finish(&mut self) {
        let mut by_code: Vec<u32> = (0..self.rows.len() as u32).collect();
        by_code.sort_by(|&a, &b| self.code(a).cmp(self.code(b)).then(a.cmp(&b)));
        self.by_code = by_code;
        self.text.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.syllables.shrink_to_fit();
    }

    /// The heap bytes this holds (the readings themselves are shared and counted apart).
    pub(super) fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.rows.capacity() * std::mem::size_of::<Row>()
            + self.syllables.capacity() * std::mem::size_of::<Readings>()
            + self.by_code.capacity() * 4
    }

    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    fn end(&self, n: usize) -> usize {
        self.rows
            .get(n + 1)
            .map_or(self.text.len(), |r| r.at as usize)
    }

    pub(super) fn expert_id(&self, n: u32) -> &str {
        let r = &self.rows[n as usize];
        &self.text[r.at as usize..r.id_end as usize]
    }

    fn code(&self, n: u32) -> &str {
        let r = &self.rows[n as usize];
        &self.text[r.id_end as usize..r.code_end as usize]
    }

    pub(super) fn name(&self, n: u32) -> &str {
        let r = &self.rows[n as usize];
        &self.text[r.code_end as usize..r.name_end as usize]
    }

    pub(super) fn phone(&self, n: u32) -> &str {
        let r = &self.rows[n as usize];
        &self.text[r.name_end as usize..self.end(n as usize)]
    }

    pub(super) fn syllables(&self, n: u32) -> &[Readings] {
        let at = self.rows[n as usize].syllables_at as usize;
        let end = self
            .rows
            .get(n as usize + 1)
            .map_or(self.syllables.len(), |r| r.syllables_at as usize);
        &self.syllables[at..end]
    }

    /// The person whose code is exactly `code` (the best ranked, were two to share one).
    pub(super) fn by_code(&self, code: &str) -> Option<u32> {
        let i = self.by_code.partition_point(|&n| self.code(n) < code);
        self.by_code
            .get(i)
            .copied()
            .filter(|&n| self.code(n) == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(r: &[&str]) -> Readings {
        super::super::forms::readings(r.iter().copied())
    }

    #[test]
    fn each_person_gets_back_exactly_their_own_texts_and_syllables() {
        let mut e = Entries::with_capacity(3);
        e.push(
            "id-1",
            "e-001",
            "张伟",
            "13812345678",
            [readings(&["zhang"]), readings(&["wei"])],
        );
        // Empty texts between two people must not run into either neighbour.
        e.push("id-2", "", "", "", []);
        e.push(
            "id-3",
            "e-003",
            "单雪梅",
            "139",
            [readings(&["shan", "dan"])],
        );
        e.finish();
        assert_eq!(e.len(), 3);
        assert_eq!(
            (e.expert_id(0), e.name(0), e.phone(0)),
            ("id-1", "张伟", "13812345678")
        );
        assert_eq!((e.expert_id(1), e.name(1), e.phone(1)), ("id-2", "", ""));
        assert_eq!(
            (e.expert_id(2), e.name(2), e.phone(2)),
            ("id-3", "单雪梅", "139")
        );
        assert_eq!(e.syllables(0).len(), 2);
        assert!(e.syllables(1).is_empty());
        assert_eq!(&*e.syllables(2)[0][1], "dan");
        assert_eq!(e.by_code("e-003"), Some(2));
        assert_eq!(e.by_code("e-001"), Some(0));
        assert_eq!(e.by_code("e-00"), None, "a code's start is not the code");
        assert_eq!(e.by_code("e-004"), None);
    }
}
