//! Querying the index — each person once, under their best kind of match, signed-up people
//! first — and what the desk shows for each hit.

use serde::Serialize;

use super::forms::{classify_letters, initials_key, name_key, pinyin_key, pinyin_match};
use super::{MatchKind, SearchIndex};
use crate::checkin::{assignment, Assignment};
use crate::pinyin::normalise;
use crate::{mask_phone, store, CheckIn, Checkpoint, Db, Result};

const KINDS: usize = MatchKind::Organisation as usize + 1;

/// Collects hits, at most `limit` of each kind.
struct Collector {
    hits: Vec<(u32, MatchKind)>,
    per_kind: [usize; KINDS],
    limit: usize,
}

impl Collector {
    fn full(&self, k: MatchKind) -> bool {
        self.per_kind[k as usize] >= self.limit
    }
    fn add(&mut self, n: u32, k: MatchKind) {
        if !self.full(k) {
            self.per_kind[k as usize] += 1;
            self.hits.push((n, k));
        }
    }
}

impl SearchIndex {
    /// The best matches, best first: people signed up for the event before others, then by
    /// how well they match (see [`MatchKind`]), then by name.
    pub fn query(&self, query: &str, limit: usize) -> Vec<(String, MatchKind)> {
        let q = normalise(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut got = Collector {
            hits: Vec::new(),
            per_kind: [0; KINDS],
            limit,
        };
        if let Some(n) = self.entries.by_code(&q) {
            got.add(n, MatchKind::Code);
        }
        let name_q = name_key(&q);
        let is_letters = !name_q.is_empty() && name_q.bytes().all(|b| b.is_ascii_lowercase());
        let is_digits = q.len() >= 4 && q.bytes().all(|b| b.is_ascii_digit());

        if is_letters {
            let qb = name_q.as_bytes();
            let classify_start = |n: u32| classify_letters(self.entries.syllables(n), qb);
            for n in self.by_full.exactly(qb) {
                got.add(n, classify_start(n));
            }
            let lists = initials_key(&name_q).map_or(&[][..], |k| self.by_initials.get(&k));
            for &n in lists {
                got.add(n, classify_start(n));
            }
            if qb.len() >= 3 {
                // A prefix range of the sorted typed forms: exact, no checking needed.
                for n in self.forms_start.with_prefix(qb) {
                    got.add(n, classify_start(n));
                }
                for n in self.forms_later.with_prefix(qb) {
                    got.add(n, MatchKind::NamePart);
                }
            } else {
                // One or two letters match densely: walk the postings in rank order and stop
                // once there are enough of the kinds they can give.
                for &n in self.by_pinyin.get(&pinyin_key(true, qb)) {
                    if got.full(MatchKind::Syllables) && got.full(MatchKind::PinyinPrefix) {
                        break;
                    }
                    let kind = classify_start(n);
                    if matches!(
                        kind,
                        MatchKind::Syllables | MatchKind::SyllablesRare | MatchKind::PinyinPrefix
                    ) && pinyin_match(self.entries.syllables(n), 0, qb)
                    {
                        got.add(n, kind);
                    }
                }
                for &n in self.by_pinyin.get(&pinyin_key(false, qb)) {
                    if got.full(MatchKind::NamePart) {
                        break;
                    }
                    let syl = self.entries.syllables(n);
                    if (1..syl.len()).any(|i| pinyin_match(syl, i, qb)) {
                        got.add(n, MatchKind::NamePart);
                    }
                }
            }
        } else if !is_digits && !name_q.is_empty() {
            // Characters: walk the shortest postings list among the query's characters.
            let rarest = name_q
                .chars()
                .map(|c| self.by_char.get(&c))
                .min_by_key(|l| l.len())
                .unwrap_or(&[]);
            for &n in rarest {
                let name = self.entries.name(n);
                let kind = if name == name_q {
                    MatchKind::ExactName
                } else if name.starts_with(&name_q) {
                    MatchKind::NamePrefix
                } else if name.contains(&name_q) {
                    MatchKind::NamePart
                } else {
                    continue;
                };
                got.add(n, kind);
            }
        }

        if is_digits {
            let b = q.as_bytes();
            for &n in self.by_phone4.get(&[b[0], b[1], b[2], b[3]]) {
                if got.full(MatchKind::Phone) {
                    break;
                }
                if self.entries.phone(n).contains(&q) {
                    got.add(n, MatchKind::Phone);
                }
            }
        }

        if q.chars().count() >= 2 && !is_digits {
            let mut from_orgs: Vec<u32> = Vec::new();
            for (org, members) in &self.organisations {
                if org.contains(&q) {
                    from_orgs.extend(members.iter().take(limit));
                }
            }
            from_orgs.sort_unstable();
            for n in from_orgs {
                got.add(n, MatchKind::Organisation);
            }
        }

        // Each person once, under their best kind; then signed up first, kind, name.
        let mut hits = got.hits;
        hits.sort_unstable_by_key(|&(n, k)| (n, k));
        hits.dedup_by_key(|h| h.0);
        let split = self.signed_up;
        hits.sort_unstable_by_key(|&(n, k)| (n >= split, k, n));
        hits.truncate(limit);
        hits.into_iter()
            .map(|(n, k)| (self.entries.expert_id(n).to_string(), k))
            .collect()
    }
}

/// A search result as the desk shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub expert_id: String,
    pub code: String,
    pub name: String,
    pub organisation: String,
    pub title: String,
    /// 138****5678: the screen never shows a whole phone number.
    pub phone_masked: String,
    pub match_kind: MatchKind,
    pub assignment: Assignment,
    /// The live check-in at the checkpoint searched for, if any.
    pub checkin: Option<CheckIn>,
}

/// Looks up what the desk shows for each matched expert.
pub fn hits(
    db: &Db,
    event_id: &str,
    checkpoint: &Checkpoint,
    matches: &[(String, MatchKind)],
) -> Result<Vec<SearchHit>> {
    let mut out = Vec::with_capacity(matches.len());
    for (id, kind) in matches {
        let Some(e) = store::expert::get(db.conn(), id)? else {
            continue;
        };
        out.push(SearchHit {
            checkin: store::checkin::active(db.conn(), event_id, id, checkpoint.point_id())?,
            assignment: assignment(db, event_id, id)?,
            phone_masked: mask_phone(&e.phone),
            expert_id: e.id,
            code: e.code,
            name: e.name,
            organisation: e.organisation,
            title: e.title,
            match_kind: *kind,
        });
    }
    Ok(out)
}

/// Builds the index and queries it once: for the CLI and tests. The window keeps its index.
pub fn search(
    db: &Db,
    event_id: &str,
    checkpoint: &Checkpoint,
    query: &str,
    limit: usize,
) -> Result<Vec<SearchHit>> {
    let index = SearchIndex::build(db, event_id)?;
    hits(db, event_id, checkpoint, &index.query(query, limit))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::search::MatchKind;
    #[test]
    fn two_people_with_the_same_name_are_both_offered() {
        let ix = people();
        let hits = ids(ix.query("王磊", 10));
        assert_eq!(hits, ["w1", "w2"]);
    }

    #[test]
    fn the_code_ranks_above_everything() {
        let ix = people();
        assert_eq!(first(&ix, "E-zzg2"), Some(("zzg2".into(), MatchKind::Code)));
    }

    #[test]
    fn organisation_matches_come_last() {
        let ix = people();
        let hits = ix.query("同济", 10);
        assert_eq!(ids(hits.clone()), ["jj", "w1"]);
        assert!(hits.iter().all(|h| h.1 == MatchKind::Organisation));
    }

    #[test]
    fn the_limit_keeps_the_best() {
        let ix = people();
        let all = ix.query("w", 10);
        let two = ix.query("w", 2);
        assert_eq!(two, all[..2].to_vec());
    }

    #[test]
    fn signed_up_people_rank_first_then_exact_name_then_prefix_then_part() {
        assert_eq!(ids(index().query("张伟", 10)), ["1", "2", "4"]);
        assert_eq!(ids(index().query("张", 10)), ["1", "2", "3", "4"]);
    }

    #[test]
    fn phone_digits_match_only_from_four_digits_on() {
        assert_eq!(ids(index().query("5678", 10)), ["1", "3"]);
        assert!(index().query("567", 10).is_empty());
    }

    #[test]
    fn an_empty_query_finds_nobody() {
        assert!(index().query("   ", 10).is_empty());
    }
}
