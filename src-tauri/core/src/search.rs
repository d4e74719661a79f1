//! Finding the person at the desk. The index holds each expert's searchable forms in memory
//! (built once per event, rebuilt when experts change); the live state of a hit — sign-up and
//! check-in — is read from the database for the few hits shown.

use serde::Serialize;

use crate::checkin::{assignment, Assignment};
use crate::{mask_phone, store, CheckIn, Checkpoint, Db, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Code,
    ExactName,
    NamePrefix,
    NamePart,
    Phone,
    Organisation,
}

/// One row the index keeps per expert.
#[derive(Debug, Clone)]
pub struct IndexRow {
    pub expert_id: String,
    pub code: String,
    pub name: String,
    pub organisation: String,
    pub phone: String,
    /// Signed up (registered or waiting) for the index's event.
    pub signed_up: bool,
}

struct Entry {
    expert_id: String,
    code: String,
    name: String,
    organisation: String,
    phone: String,
    signed_up: bool,
}

pub struct SearchIndex {
    event_id: String,
    entries: Vec<Entry>,
}

/// Folds what people type and what lists contain to one form: full-width ASCII to half-width,
/// lower case, no spaces (including the ideographic space that pads two-character names).
pub fn normalise(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
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

impl SearchIndex {
    pub fn build(db: &Db, event_id: &str) -> Result<SearchIndex> {
        let rows = store::search::index_rows(db.conn(), event_id)?;
        Ok(SearchIndex::from_rows(event_id, rows))
    }

    pub fn from_rows(event_id: &str, rows: Vec<IndexRow>) -> SearchIndex {
        let entries = rows
            .into_iter()
            .map(|r| Entry {
                expert_id: r.expert_id,
                code: normalise(&r.code),
                name: normalise(&r.name),
                organisation: normalise(&r.organisation),
                phone: r.phone,
                signed_up: r.signed_up,
            })
            .collect();
        SearchIndex {
            event_id: event_id.to_string(),
            entries,
        }
    }

    pub fn event_id(&self) -> &str {
        &self.event_id
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best matches, best first: people signed up for the event before others, then by
    /// how well they match, then by name.
    pub fn query(&self, query: &str, limit: usize) -> Vec<(String, MatchKind)> {
        let q = normalise(query);
        if q.is_empty() {
            return Vec::new();
        }
        let digits = q.len() >= 4 && q.chars().all(|c| c.is_ascii_digit());
        let mut found: Vec<(bool, MatchKind, &Entry)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let kind = if e.code == q {
                    MatchKind::Code
                } else if e.name == q {
                    MatchKind::ExactName
                } else if e.name.starts_with(&q) {
                    MatchKind::NamePrefix
                } else if e.name.contains(&q) {
                    MatchKind::NamePart
                } else if digits && e.phone.contains(&q) {
                    MatchKind::Phone
                } else if q.chars().count() >= 2 && e.organisation.contains(&q) {
                    MatchKind::Organisation
                } else {
                    return None;
                };
                Some((!e.signed_up, kind, e))
            })
            .collect();
        found.sort_by(|a, b| (a.0, a.1, &a.2.name).cmp(&(b.0, b.1, &b.2.name)));
        found
            .into_iter()
            .take(limit)
            .map(|(_, k, e)| (e.expert_id.clone(), k))
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
    use super::*;

    fn row(id: &str, name: &str, org: &str, phone: &str, signed_up: bool) -> IndexRow {
        IndexRow {
            expert_id: id.into(),
            code: format!("E-{id}"),
            name: name.into(),
            organisation: org.into(),
            phone: phone.into(),
            signed_up,
        }
    }

    fn index() -> SearchIndex {
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

    fn ids(v: Vec<(String, MatchKind)>) -> Vec<String> {
        v.into_iter().map(|(id, _)| id).collect()
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
    fn full_width_digits_and_spaces_are_folded() {
        assert_eq!(ids(index().query("５６７８", 10)), ["1", "3"]);
        assert_eq!(ids(index().query(" e-2 ", 10)), ["2"]);
    }

    #[test]
    fn an_empty_query_finds_nobody() {
        assert!(index().query("   ", 10).is_empty());
    }
}
