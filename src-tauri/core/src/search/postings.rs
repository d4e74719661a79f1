//! Postings lists, all of one kind in one flat list: the keys sorted, each key's entries a
//! range of one list. A hash table of lists held each list in its own small allocation; built
//! while the rows read from the database were being freed, 20,000 of them (over 100,000
//! experts) ended up scattered over the pages those rows had used, and kept 19 MiB of them
//! resident after the build for 40 MiB of index.

/// Keys and the entries under each, in rank order (entries are added in rank order).
pub(super) struct Postings<K> {
    keys: Vec<K>,
    /// Where each key's entries end in `entries`; they start where the previous key's end.
    ends: Vec<u32>,
    entries: Vec<u32>,
}

impl<K> Default for Postings<K> {
    fn default() -> Self {
        Postings {
            keys: Vec::new(),
            ends: Vec::new(),
            entries: Vec::new(),
        }
    }
}

/// Collects (key, entry) pairs while the index is built; `finish` sorts them into lists.
pub(super) struct PostingsBuilder<K> {
    pairs: Vec<(K, u32)>,
}

impl<K> Default for PostingsBuilder<K> {
    fn default() -> Self {
        PostingsBuilder { pairs: Vec::new() }
    }
}

impl<K: Ord + Copy> PostingsBuilder<K> {
    pub(super) fn add(&mut self, key: K, n: u32) {
        self.pairs.push((key, n));
    }

    pub(super) fn finish(mut self) -> Postings<K> {
        self.pairs.sort_unstable();
        self.pairs.dedup();
        // Each list made at its final size: grown by doubling, the lists' spare room would be
        // given back as holes among the rest.
        let distinct = self.pairs.windows(2).filter(|w| w[0].0 != w[1].0).count()
            + usize::from(!self.pairs.is_empty());
        let mut p = Postings {
            keys: Vec::with_capacity(distinct),
            ends: Vec::with_capacity(distinct),
            entries: Vec::with_capacity(self.pairs.len()),
        };
        for (key, n) in self.pairs {
            if p.keys.last() != Some(&key) {
                if !p.keys.is_empty() {
                    p.ends.push(p.entries.len() as u32);
                }
                p.keys.push(key);
            }
            p.entries.push(n);
        }
        if !p.keys.is_empty() {
            p.ends.push(p.entries.len() as u32);
        }
        p
    }
}

impl<K: Ord> Postings<K> {
    /// The entries under `key`, in rank order.
    pub(super) fn get(&self, key: &K) -> &[u32] {
        let Ok(i) = self.keys.binary_search(key) else {
            return &[];
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.entries[start..self.ends[i] as usize]
    }

    /// The heap bytes the lists hold.
    pub(super) fn heap_bytes(&self) -> usize {
        self.keys.capacity() * std::mem::size_of::<K>()
            + (self.ends.capacity() + self.entries.capacity()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_gets_its_entries_once_in_order() {
        let mut b = PostingsBuilder::default();
        for (k, n) in [
            ('张', 0),
            ('伟', 0),
            ('张', 2),
            ('张', 2),
            ('王', 1),
            ('张', 5),
        ] {
            b.add(k, n);
        }
        let p = b.finish();
        assert_eq!(p.get(&'张'), [0, 2, 5]);
        assert_eq!(p.get(&'伟'), [0]);
        assert_eq!(p.get(&'王'), [1]);
        assert_eq!(p.get(&'李'), [] as [u32; 0]);
        assert!(PostingsBuilder::<char>::default()
            .finish()
            .get(&'张')
            .is_empty());
    }
}
