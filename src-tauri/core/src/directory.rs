//! The experts table: every expert with their sign-up for the event, filtered, searched (the
//! desk's own index), sorted and served a window at a time, so 100,000 rows scroll smoothly.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

pub use crate::store::directory::TableRow;
use crate::{pinyin, store, Db, Result, SignUpStatus};

/// Every expert on file with their place in the event, pinyin ready for sorting.
pub fn rows(db: &Db, event_id: &str) -> Result<Vec<TableRow>> {
    let mut rows = store::directory::rows(db.conn(), event_id)?;
    for r in &mut rows {
        r.sort_name = pinyin::full_and_initials(&pinyin::normalise(&r.name)).0;
    }
    Ok(rows)
}

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

/// The rows matching `q`, in order, as indices into `rows`. `hits` are the search index's
/// ranked expert ids when there is a query.
pub fn select(rows: &[TableRow], hits: Option<&[String]>, q: &TableQuery) -> Vec<usize> {
    let keep = |r: &TableRow| {
        (q.party.is_empty() || *r.party == *q.party)
            && (q.organisation.is_empty() || *r.organisation == *q.organisation)
            && (q.theme.is_empty()
                || (q.theme == "none" && r.status.is_some() && r.point_id.is_none())
                || r.theme_id.as_deref() == Some(q.theme.as_str()))
            && match q.signed.as_str() {
                "yes" => r.status == Some(SignUpStatus::Registered),
                "no" => r.status.is_none(),
                "waiting" => r.status == Some(SignUpStatus::Waiting),
                _ => true,
            }
    };
    let mut out: Vec<usize> = match hits {
        Some(ids) => {
            let at: HashMap<&str, usize> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.as_str(), i))
                .collect();
            ids.iter()
                .filter_map(|id| at.get(id.as_str()).copied())
                .filter(|i| keep(&rows[*i]))
                .collect()
        }
        None => (0..rows.len()).filter(|i| keep(&rows[*i])).collect(),
    };
    let key = |i: &usize| -> (&str, &str) {
        let r = &rows[*i];
        match q.sort.as_str() {
            "name" => (&r.sort_name, &r.code),
            "organisation" => (&r.organisation, &r.sort_name),
            "party" => (&r.party, &r.sort_name),
            "group" => (&r.theme, &r.sort_name),
            _ => (&r.code, ""),
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
pub fn facets(rows: &[TableRow]) -> Facets {
    let count = |f: fn(&TableRow) -> &str, max: usize| {
        let mut m: BTreeMap<&str, usize> = BTreeMap::new();
        for r in rows {
            let v = f(r);
            if !v.is_empty() {
                *m.entry(v).or_default() += 1;
            }
        }
        let mut v: Vec<(String, usize)> = m.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(max);
        v
    };
    Facets {
        parties: count(|r| &r.party, 50),
        organisations: count(|r| &r.organisation, 300),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn filters_and_sorting_work_together() {
        let db = testing::demo();
        let rows = rows(&db, "2024-jinshan").unwrap();
        assert_eq!(rows.len(), 121);
        let all = select(&rows, None, &TableQuery::default());
        assert_eq!(all.len(), 121);
        assert!(all.windows(2).all(|w| rows[w[0]].code <= rows[w[1]].code));
        let waiting = select(
            &rows,
            None,
            &TableQuery {
                signed: "waiting".into(),
                ..Default::default()
            },
        );
        assert_eq!(waiting.len(), 6);
        let party = rows[0].party.clone();
        let by_name = select(
            &rows,
            None,
            &TableQuery {
                party: party.to_string(),
                sort: "name".into(),
                ..Default::default()
            },
        );
        assert!(by_name.iter().all(|i| rows[*i].party == party));
        assert!(by_name
            .windows(2)
            .all(|w| rows[w[0]].sort_name <= rows[w[1]].sort_name));
        // Search hits keep their ranking unless a sort is asked for.
        let hits = vec![rows[5].id.clone(), rows[2].id.clone()];
        assert_eq!(
            select(&rows, Some(&hits), &TableQuery::default()),
            vec![5, 2]
        );
        let f = facets(&rows);
        assert!(f.parties.iter().map(|p| p.1).sum::<usize>() <= 121);
    }
}
