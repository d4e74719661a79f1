//! The experts table: every expert with their sign-up for the event, filtered, searched (the
//! desk's own index), sorted and served a window at a time, so 100,000 rows scroll smoothly.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

mod table;
use table::{Rank, Shared};
pub use table::{Table, TableRow};

use crate::{store, Db, Result, SignUpStatus};

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

/// The search index's ranked hits (expert ids) as the rowids [`select`] takes, in their order.
pub fn hit_rowids(db: &Db, ids: &[String]) -> Result<Vec<i64>> {
    store::directory::rowids_of(db.conn(), ids)
}

/// The rows matching `q`, in order, as indices into `table`. `hits` are the search index's
/// ranked hits, as rowids ([`hit_rowids`]), when there is a query.
pub fn select(table: &Table, hits: Option<&[i64]>, q: &TableQuery) -> Vec<usize> {
    let is = |i: usize, w: Shared, want: &str| table.shared(i, w) == Some(want);
    let keep = |i: usize| {
        let status = table.status(i);
        (q.party.is_empty() || is(i, Shared::Party, &q.party))
            && (q.organisation.is_empty() || is(i, Shared::Organisation, &q.organisation))
            && (q.theme.is_empty()
                || (q.theme == "none" && status.is_some() && !table.at_point(i))
                || is(i, Shared::ThemeId, &q.theme))
            && match q.signed.as_str() {
                "yes" => status == Some(SignUpStatus::Registered),
                "no" => status.is_none(),
                "waiting" => status == Some(SignUpStatus::Waiting),
                _ => true,
            }
    };
    let mut out: Vec<usize> = match hits {
        Some(rowids) => rowids
            .iter()
            .filter_map(|&r| table.at_rowid(r))
            .filter(|i| keep(*i))
            .collect(),
        None => (0..table.len()).filter(|i| keep(*i)).collect(),
    };
    // Whole numbers only: a row's place by name or code, its value's place among the values.
    let key = |&i: &usize| -> (u32, u32) {
        let by_name = table.rank(i, Rank::Name);
        match q.sort.as_str() {
            "name" => (0, by_name),
            "organisation" => (table.value_rank(i, Shared::Organisation), by_name),
            "party" => (table.value_rank(i, Shared::Party), by_name),
            "group" => (table.value_rank(i, Shared::Theme), by_name),
            _ => (0, table.rank(i, Rank::Code)),
        }
    };
    if !q.sort.is_empty() || hits.is_none() {
        out.sort_by_cached_key(key);
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
        let rows = table
            .rows(&db, &(0..table.len()).collect::<Vec<_>>())
            .unwrap();
        assert_eq!(rows.len(), 121);
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
        let by_org = select(
            &table,
            None,
            &TableQuery {
                sort: "organisation".into(),
                desc: true,
                ..Default::default()
            },
        );
        assert_eq!(by_org.len(), 121);
        let org_then_name = |i: usize| (rows[i].organisation.clone(), pinyin(i));
        assert!(by_org
            .windows(2)
            .all(|w| org_then_name(w[0]) >= org_then_name(w[1])));
        // Search hits keep their ranking unless a sort is asked for; an id not on file is
        // left out.
        let hits = vec![rows[5].id.clone(), "gone".into(), rows[2].id.clone()];
        let hits = hit_rowids(&db, &hits).unwrap();
        assert_eq!(hits.len(), 2);
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
    fn a_window_shows_its_rows_as_the_file_has_them_in_the_order_asked() {
        // The table keeps only what it filters and sorts by; the rows a window shows are read
        // by rowid: each one's texts and sign-up as on file, in the table's order.
        let db = testing::demo();
        let table = Table::read(&db, "2024-jinshan").unwrap();
        let experts = crate::store::expert::list(db.conn()).unwrap();
        assert_eq!(experts.len(), table.len());
        let by_name = TableQuery {
            sort: "name".into(),
            ..Default::default()
        };
        let order = select(&table, None, &by_name);
        let window = table.rows(&db, &order[10..40]).unwrap();
        assert_eq!(window.len(), 30);
        let key = |r: &TableRow| {
            let name = crate::pinyin::normalise(&r.name);
            (crate::pinyin::full_and_initials(&name).0, r.code.clone())
        };
        assert!(window.windows(2).all(|w| key(&w[0]) <= key(&w[1])));
        let all = table.rows(&db, &order).unwrap();
        assert_eq!(all[10..40], window[..]);
        for r in &all {
            let e = experts.iter().find(|e| e.id == r.id).unwrap();
            assert_eq!(
                (&r.code, &r.name, &r.phone, &r.organisation, &r.party),
                (&e.code, &e.name, &e.phone, &e.organisation, &e.party)
            );
            assert_eq!(r.title, e.title);
            let s = crate::store::signup::current(db.conn(), "2024-jinshan", &e.id).unwrap();
            assert_eq!(r.status, s.as_ref().map(|s| s.status));
            assert_eq!(r.point_id, s.and_then(|s| s.point_id));
            assert_eq!(r.point.is_empty(), r.point_id.is_none());
        }
        assert!(all
            .iter()
            .any(|r| r.status.is_some() && r.point_id.is_none()));
        assert!(all.iter().any(|r| r.theme_id.is_some()));
        assert!(all.iter().any(|r| r.checked_in) && all.iter().any(|r| !r.checked_in));
    }
}
