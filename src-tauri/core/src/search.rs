//! Finding the person at the desk. The index holds each expert's searchable forms in memory
//! (built once per event, rebuilt when experts change); the live state of a hit — sign-up and
//! check-in — is read from the database for the few hits shown.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::checkin::{assignment, Assignment};
use crate::pinyin::{self, is_name_separator};
use crate::{mask_phone, store, CheckIn, Checkpoint, Db, Result};

/// How a hit matched, best first. The order is the ranking after "signed up for the event".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The expert's code, as a scanner types it.
    Code,
    /// The whole name, in characters or in full pinyin (each character's usual reading).
    ExactName,
    /// The whole name in full pinyin under a rarer reading of a given-name character.
    ExactNameRare,
    /// The start of the name in characters.
    NamePrefix,
    /// Whole syllables from the start of the name: `li` is 李, not the start of 刘 (liu);
    /// `zhangjian` is 张建平.
    Syllables,
    /// Initials from the start of the name (zzg).
    Initials,
    /// Pinyin from the start of the name, whole or partial syllables (zhangzg, zhangzhao).
    PinyinPrefix,
    /// Part of the name, in characters or pinyin from a later syllable.
    NamePart,
    /// A run of four or more digits of the phone.
    Phone,
    /// Part of the organisation.
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
    name: String,
    syllables: Vec<Vec<Box<str>>>,
    phone: String,
}

/// Keys of the pinyin postings: whether the typed string starts at the name's first syllable,
/// and the first one to three letters typed.
type PinyinKey = [u8; 4];

fn pinyin_key(at_start: bool, typed: &[u8]) -> PinyinKey {
    let mut k = [u8::from(at_start), 0, 0, 0];
    for (slot, b) in k[1..].iter_mut().zip(typed) {
        *slot = *b;
    }
    k
}

/// An in-memory index over everyone who can be found, built once per event.
///
/// Entries are stored in rank order (signed up for the event first, then by name), so every
/// postings list is already in rank order and a query can stop as soon as it has enough hits
/// of a kind. Lists: by code; by each character of the name; by every string of one to three
/// letters a typist can start a pinyin match with, from the first syllable or a later one;
/// whole-name full pinyin and initials under every reading; every four-digit window of the
/// phone; and by distinct organisation. A candidate from a list is then checked exactly.
pub struct SearchIndex {
    event_id: String,
    entries: Vec<Entry>,
    /// Entries before this index are signed up for the event.
    signed_up: u32,
    by_code: HashMap<String, u32>,
    by_char: HashMap<char, Vec<u32>>,
    by_pinyin: HashMap<PinyinKey, Vec<u32>>,
    /// Every typed form of every name, sorted: from the first syllable, and from later ones.
    /// A query of three letters or more is a prefix range here.
    forms_start: TypedForms,
    forms_later: TypedForms,
    by_full: HashMap<Box<str>, Vec<u32>>,
    by_initials: HashMap<Box<str>, Vec<u32>>,
    by_phone4: HashMap<[u8; 4], Vec<u32>>,
    organisations: Vec<(String, Vec<u32>)>,
}

/// Sorted typed forms: (offset, length, entry) into one byte arena.
#[derive(Default)]
struct TypedForms {
    arena: Vec<u8>,
    rows: Vec<(u32, u8, u32)>,
}

impl TypedForms {
    fn push(&mut self, form: &[u8], n: u32) {
        let len = form.len().min(255);
        self.rows.push((self.arena.len() as u32, len as u8, n));
        self.arena.extend_from_slice(&form[..len]);
    }

    fn text(&self, row: &(u32, u8, u32)) -> &[u8] {
        &self.arena[row.0 as usize..row.0 as usize + row.1 as usize]
    }

    fn sort(&mut self) {
        let mut rows = std::mem::take(&mut self.rows);
        rows.sort_unstable_by(|a, b| self.text(a).cmp(self.text(b)).then(a.2.cmp(&b.2)));
        self.rows = rows;
    }

    /// Entries with a form starting with `q`, in rank order, each once.
    fn with_prefix(&self, q: &[u8]) -> Vec<u32> {
        let start = self.rows.partition_point(|r| self.text(r) < q);
        let mut out: Vec<u32> = self.rows[start..]
            .iter()
            .take_while(|r| self.text(r).starts_with(q))
            .map(|r| r.2)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Most typed forms kept per name and starting syllable.
const MAX_FORMS: usize = 48;

/// Most readings a name is expanded to for the whole-name tables (a name of four
/// many-reading characters would otherwise explode).
const MAX_COMBOS: usize = 32;

/// Syllables looked at from each starting syllable, and for the whole-name tables: nobody
/// types more of a name than this, and the bound keeps building the index linear in the
/// name's length whatever a list or a package holds (a 3,000-character name froze the desk).
const MAX_TYPED_SYLLABLES: usize = 12;

/// Every string of exactly `len` letters a typist can produce from syllable `i` on, each
/// syllable contributing a non-empty prefix of one of its readings.
fn typed_strings(
    syl: &[Vec<Box<str>>],
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
    for r in readings {
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
fn whole_forms(syl: &[Vec<Box<str>>]) -> (Vec<String>, Vec<String>) {
    let mut full = vec![String::new()];
    let mut initials = vec![String::new()];
    for readings in syl {
        let mut f2 = Vec::new();
        let mut i2 = Vec::new();
        for r in readings {
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

/// Folds what people type and what lists contain to one form: full-width ASCII to half-width,
/// lower case, no spaces (including the ideographic space that pads two-character names).
pub fn normalise(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
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

/// What the database keeps in `expert.search_keys`: the name, its usual full pinyin and its
/// initials, so that a plain SQL scan (the CLI's baseline, other tools) can find people too.
pub fn stored_keys(name: &str) -> String {
    let key = name_key(name);
    let (full, initials) = pinyin::full_and_initials(&key);
    format!("{key} {full} {initials}")
}

/// A name as it is compared: normalised, without the dots and dashes nobody types.
fn name_key(s: &str) -> String {
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
fn pinyin_match(syl: &[Vec<Box<str>>], i: usize, q: &[u8]) -> bool {
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
fn typed_forms(syl: &[Vec<Box<str>>], i: usize, cap: usize) -> Vec<Vec<u8>> {
    let mut forms: Vec<Vec<u8>> = vec![Vec::new()];
    for readings in &syl[i.min(syl.len())..] {
        let mut next = Vec::new();
        for f in &forms {
            for r in readings {
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
fn initials_match(syl: &[Vec<Box<str>>], i: usize, q: &[u8]) -> bool {
    q.len() + i <= syl.len()
        && q.iter()
            .enumerate()
            .all(|(k, c)| syl[i + k].iter().any(|r| r.as_bytes().first() == Some(c)))
}

/// `q` is the whole name's full pinyin under some reading of each syllable.
fn full_match(syl: &[Vec<Box<str>>], i: usize, q: &[u8]) -> bool {
    match syl.get(i) {
        None => q.is_empty(),
        Some(readings) => readings.iter().any(|r| {
            let r = r.as_bytes();
            q.starts_with(r) && full_match(syl, i + 1, &q[r.len()..])
        }),
    }
}

/// `q` is the whole name's full pinyin under each syllable's usual (first) reading.
fn usual_match(syl: &[Vec<Box<str>>], q: &[u8]) -> bool {
    let mut rest = q;
    for readings in syl {
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
fn syllables_match(syl: &[Vec<Box<str>>], i: usize, q: &[u8]) -> bool {
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
fn classify_letters(syl: &[Vec<Box<str>>], q: &[u8]) -> MatchKind {
    if full_match(syl, 0, q) {
        if usual_match(syl, q) {
            MatchKind::ExactName
        } else {
            MatchKind::ExactNameRare
        }
    } else if syllables_match(syl, 0, q) {
        MatchKind::Syllables
    } else if initials_match(syl, 0, q) {
        MatchKind::Initials
    } else {
        MatchKind::PinyinPrefix
    }
}

fn postings<'a, K, Q>(map: &'a HashMap<K, Vec<u32>>, key: &Q) -> &'a [u32]
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
{
    map.get(key).map(Vec::as_slice).unwrap_or(&[])
}

fn push_posting(list: &mut Vec<u32>, n: u32) {
    if list.last() != Some(&n) {
        list.push(n);
    }
}

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
            entries: Vec::with_capacity(keyed.len()),
            signed_up: keyed.iter().filter(|k| !k.0).count() as u32,
            by_code: HashMap::with_capacity(keyed.len()),
            by_char: HashMap::new(),
            by_pinyin: HashMap::new(),
            forms_start: TypedForms::default(),
            forms_later: TypedForms::default(),
            by_full: HashMap::new(),
            by_initials: HashMap::new(),
            by_phone4: HashMap::new(),
            organisations: Vec::new(),
        };
        let mut org_slot: HashMap<String, usize> = HashMap::new();
        let mut typed = Vec::new();
        for (n, (_, name, r)) in keyed.into_iter().enumerate() {
            let n = n as u32;
            let syllables: Vec<Vec<Box<str>>> = pinyin::syllables(&name)
                .into_iter()
                .map(|s| s.readings.into_iter().map(String::into_boxed_str).collect())
                .collect();
            ix.by_code.insert(normalise(&r.code), n);
            for c in name.chars() {
                push_posting(ix.by_char.entry(c).or_default(), n);
            }
            for i in 0..syllables.len() {
                for len in 1..=2 {
                    typed.clear();
                    typed_strings(&syllables, i, len, &mut Vec::new(), &mut typed);
                    for t in &typed {
                        push_posting(ix.by_pinyin.entry(pinyin_key(i == 0, t)).or_default(), n);
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
            let (full, initials) = whole_forms(head);
            for f in full {
                push_posting(ix.by_full.entry(f.into_boxed_str()).or_default(), n);
            }
            for i in initials {
                push_posting(ix.by_initials.entry(i.into_boxed_str()).or_default(), n);
            }
            for w in r.phone.as_bytes().windows(4) {
                push_posting(ix.by_phone4.entry([w[0], w[1], w[2], w[3]]).or_default(), n);
            }
            let org = normalise(&r.organisation);
            if !org.is_empty() {
                let slot = *org_slot.entry(org.clone()).or_insert_with(|| {
                    ix.organisations.push((org, Vec::new()));
                    ix.organisations.len() - 1
                });
                ix.organisations[slot].1.push(n);
            }
            ix.entries.push(Entry {
                expert_id: r.expert_id,
                name,
                syllables,
                phone: r.phone,
            });
        }
        ix.forms_start.sort();
        ix.forms_later.sort();
        ix
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
        if let Some(&n) = self.by_code.get(q.as_str()) {
            got.add(n, MatchKind::Code);
        }
        let name_q = name_key(&q);
        let is_letters = !name_q.is_empty() && name_q.bytes().all(|b| b.is_ascii_lowercase());
        let is_digits = q.len() >= 4 && q.bytes().all(|b| b.is_ascii_digit());

        if is_letters {
            let qb = name_q.as_bytes();
            let classify_start = |n: u32| classify_letters(&self.entries[n as usize].syllables, qb);
            for &n in postings(&self.by_full, name_q.as_str()) {
                got.add(n, classify_start(n));
            }
            for &n in postings(&self.by_initials, name_q.as_str()) {
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
                for &n in postings(&self.by_pinyin, &pinyin_key(true, qb)) {
                    if got.full(MatchKind::Syllables) && got.full(MatchKind::PinyinPrefix) {
                        break;
                    }
                    let kind = classify_start(n);
                    if matches!(kind, MatchKind::Syllables | MatchKind::PinyinPrefix)
                        && pinyin_match(&self.entries[n as usize].syllables, 0, qb)
                    {
                        got.add(n, kind);
                    }
                }
                for &n in postings(&self.by_pinyin, &pinyin_key(false, qb)) {
                    if got.full(MatchKind::NamePart) {
                        break;
                    }
                    let syl = &self.entries[n as usize].syllables;
                    if (1..syl.len()).any(|i| pinyin_match(syl, i, qb)) {
                        got.add(n, MatchKind::NamePart);
                    }
                }
            }
        } else if !is_digits && !name_q.is_empty() {
            // Characters: walk the shortest postings list among the query's characters.
            let rarest = name_q
                .chars()
                .map(|c| postings(&self.by_char, &c))
                .min_by_key(|l| l.len())
                .unwrap_or(&[]);
            for &n in rarest {
                let name = &self.entries[n as usize].name;
                let kind = if *name == name_q {
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
            for &n in postings(&self.by_phone4, &[b[0], b[1], b[2], b[3]]) {
                if got.full(MatchKind::Phone) {
                    break;
                }
                if self.entries[n as usize].phone.contains(&q) {
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
            .map(|(n, k)| (self.entries[n as usize].expert_id.clone(), k))
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

    fn people() -> SearchIndex {
        SearchIndex::from_rows(
            "ev",
            vec![
                row("zzg", "张兆国", "上海交通大学", "13911112222", true),
                row("zzg2", "赵志刚", "复旦大学", "13911113333", true),
                row("jj", "姜佳", "同济大学", "13911114444", true),
                row("sxm", "单雪梅", "东华大学", "13911115555", true),
                row("zcy", "王朝阳", "华东理工大学", "13911116666", true),
                row("ycx", "尉迟晓", "上海大学", "13911117777", true),
                row("lv", "吕静", "上海师范大学", "13911118888", true),
                row("mmt", "买买提·艾力", "新疆大学", "13911119999", true),
                row("w1", "王磊", "同济大学", "13800000001", true),
                row("w2", "王磊", "上海市第六人民医院", "13800000002", true),
            ],
        )
    }

    fn first(ix: &SearchIndex, q: &str) -> Option<(String, MatchKind)> {
        ix.query(q, 10).into_iter().next()
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
    fn full_width_digits_and_spaces_are_folded() {
        assert_eq!(ids(index().query("５６７８", 10)), ["1", "3"]);
        assert_eq!(ids(index().query(" e-2 ", 10)), ["2"]);
    }

    /// How much the index holds: typed forms' bytes and the whole-name keys' bytes.
    fn footprint(ix: &SearchIndex) -> usize {
        ix.forms_start.arena.len()
            + ix.forms_later.arena.len()
            + ix.by_full.keys().map(|k| k.len()).sum::<usize>()
            + ix.by_initials.keys().map(|k| k.len()).sum::<usize>()
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

    #[test]
    fn an_empty_query_finds_nobody() {
        assert!(index().query("   ", 10).is_empty());
    }
}
