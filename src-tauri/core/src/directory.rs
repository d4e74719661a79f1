//! The experts table: every expert with their sign-up for the event, filtered, searched (the
//! desk's own index), sorted and served a window at a time, so 100,000 rows scroll smoothly.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

mod table;
use table::{Own, Shared};
pub use table::{Table, TableRow};

use crate::SignUpStatus;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableQuery {
    /// The desk's search: name, pinyin, initials, phone digits, organisation, code.
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub organisation: String,
    /// A theme id, or "none" for the signed-up without a group.
    #[serde(default)]
    pub theme: String,
    /// "" (everyone), "yes" (signed up), "no" (not signed up), "waiting".
    #[serde(default)]
    pub signed: String,
    /// code | name | organisation | party | group; "" keeps the search's ranking (or code).
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub desc: bool,
}

/// The rows matching `q`, in order, as indices into `table`. `hits` are the search index's
/// ranked expert ids when there is a query.
pub fn select(table: &Table, hits: Option<&[String]>, q: &TableQuery) -> Vec<usize> {
    let is = |i: usize, w: Shared, want: &str| table.shared(i, w) == Some(want);
    let keep = |i: usize| {
        let status = table.status(i);
        (q.party.is_empty() || is(i, Shared::Party, &q.party))
            && (q.organisation.is_empty() || is(i, Shared::Organisation, &q.organisation))
            && (q.theme.is_empty()
                || (q.theme == "none"
                    && status.is_some()
                    && table.shared(i, Shared::PointId).is_none())
                || is(i, Shared::ThemeId, &q.theme))
            && match q.signed.as_str() {
                "yes" => status == Some(SignUpStatus::Registered),
                "no" => status.is_none(),
                "waiting" => status == Some(SignUpStatus::Waiting),
                _ => true,
            }
    };
    let mut out: Vec<usize> = match hits {
        Some(ids) => {
            let at: HashMap<&str, usize> = (0..table.len())
                .map(|i| (table.own(i, Own::Id), i))
                .collect();
            ids.iter()
                .filter_map(|id| at.get(id.as_str()).copied())
                .filter(|i| keep(*i))
                .collect()
        }
        None => (0..table.len()).filter(|i| keep(*i)).collect(),
    };
    let text = |i: usize, w: Shared| table.shared(i, w).unwrap_or("");
    let key = |i: &usize| -> (&str, &str) {
        let i = *i;
        let sort_name = table.own(i, Own::SortName);
        match q.sort.as_str() {
            "name" => (sort_name, table.own(i, Own::Code)),
            "organisation" => (text(i, Shared::Organisation), sort_name),
            "party" => (text(i, Shared::Party), sort_name),
            "group" => (text(i, Shared::Theme), sort_name),
            _ => (table.own(i, Own::Code), ""),
        }
    };
    if !q.sort.is_empty() || hits.is_none() {
        out.sort_by(|a, b| key(a).cmp(&key(b)));
    }
    if q.desc {
        out.reverse();
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Facets {
    /// (value, count), most frequent first.
    pub parties: Vec<(String, usize)>,
    pub organisations: Vec<(String, usize)>,
}

/// The values the filters offer: parties, and the 300 most frequent organisations.
pub fn facets(table: &Table) -> Facets {
    let count = |w: Shared, max: usize| {
        let mut m: HashMap<u32, usize> = HashMap::new();
        for i in 0..table.len() {
            *m.entry(table.value_at(i, w)).or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = m
            .into_iter()
            .filter_map(|(at, n)| {
                table
                    .value(at)
                    .filter(|v| !v.is_empty())
                    .map(|v| (v.to_string(), n))
            })
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(max);
        v
    };
    Facets {
        parties: count(Shared::Party, 50),
        organisations: count(Shared::Organisation, 300),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn filters_and_sorting_work_together() {
        let db = testing::demo();
        let table = Table::read(&db, "2024-jinshan").unwrap();
        assert_eq!(table.len(), 121);
        let rows: Vec<TableRow> = (0..table.len()).map(|i| table.row(i)).collect();
        let all = select(&table, None, &TableQuery::default());
        assert_eq!(all.len(), 121);
        assert!(all.windows(2).all(|w| rows[w[0]].code <= rows[w[1]].code));
        let waiting = select(
            &table,
            None,
            &TableQuery {
                signed: "waiting".into(),
                ..Default::default()
            },
        );
        assert_eq!(waiting.len(), 6);
        assert!(waiting
            .iter()
            .all(|i| rows[*i].status == Some(SignUpStatus::Waiting)));
        let party = rows[0].party.clone();
        let by_name = select(
            &table,
            None,
            &TableQuery {
                party: party.clone(),
                sort: "name".into(),
                ..Default::default()
            },
        );
        assert!(by_name.iter().all(|i| rows[*i].party == party));
        let pinyin = |i: usize| crate::pinyin::full_and_initials(&rows[i].name).0;
        assert!(by_name.windows(2).all(|w| pinyin(w[0]) <= pinyin(w[1])));
        // Search hits keep their ranking unless a sort is asked for.
        let hits = vec![rows[5].id.clone(), rows[2].id.clone()];
        assert_eq!(
            select(&table, Some(&hits), &TableQuery::default()),
            vec![5, 2]
        );
        let f = facets(&table);
        assert_eq!(
            f.parties.iter().map(|p| p.1).sum::<usize>(),
            rows.iter().filter(|r| !r.party.is_empty()).count()
        );
    }

    #[test]
    fn a_row_comes_back_as_it_was_read() {
        // The compact table gives back each row's own texts and shared values unchanged,
        // sign-ups with and without a point, and the check-in.
        let db = testing::demo();
        let table = Table::read(&db, "2024-jinshan").unwrap();
        let experts = crate::store::expert::list(db.conn()).unwrap();
        assert_eq!(experts.len(), table.len());
        for i in 0..table.len() {
            let r = table.row(i);
            let e = experts.iter().find(|e| e.id == r.id).unwrap();
            assert_eq!(
                (
                    &r.code,
                    &r.name,
                    &r.phone,
                    &r.organisation,
                    &r.party,
                    &r.title
                ),
                (
                    &e.code,
                    &e.name,
                    &e.phone,
                    &e.organisation,
                    &e.party,
                    &e.title
                )
            );
            let s = crate::store::signup::current(db.conn(), "2024-jinshan", &e.id).unwrap();
            assert_eq!(r.status, s.as_ref().map(|s| s.status));
            assert_eq!(r.point_id, s.and_then(|s| s.point_id));
            assert_eq!(r.point.is_empty(), r.point_id.is_none());
        }
        let rows = (0..table.len()).map(|i| table.row(i));
        assert!(rows
            .clone()
            .any(|r| r.status.is_some() && r.point_id.is_none()));
        assert!(rows.clone().any(|r| r.theme_id.is_some()));
        assert!(rows.clone().any(|r| r.checked_in) && rows.clone().any(|r| !r.checked_in));
    }
}
