//! The year's statistics the organisers report upward: activities held, expert participations
//! (人次), distinct experts, enterprises and people served — in total and by district, by kind
//! of service and by month — and the report sentence in their own words.
//!
//! An activity is a ledger row or an event the app ran (the main venue, a sub-venue). An
//! event's participations are the distinct experts present that day (venue or point check-ins,
//! revoked ones excluded) and its enterprises and people the sum of its points' outcomes. A
//! ledger row that is the same activity as an event — the same date and district, or linked by
//! hand — is not counted: the app's own figures stand.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::{districts, store, Db, Result};

/// The kind of service an event of the app counts under.
pub const EVENT_KIND: &str = "专家服务日";

/// The four figures every line of the report has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub activities: i64,
    pub participations: i64,
    pub enterprises: i64,
    pub people: i64,
}

impl Figures {
    fn add(&mut self, a: &Counted) {
        self.activities += 1;
        self.participations += a.participations;
        self.enterprises += a.enterprises;
        self.people += a.people;
    }
}

/// One line of a breakdown: a district, a kind of service, or a month (`2024-03`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub key: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// An event the app ran.
    Event,
    /// A row of the ledger.
    Ledger,
}

/// An activity as the report counts it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counted {
    pub id: String,
    pub source: Source,
    pub date: String,
    pub district: String,
    pub name: String,
    pub kind: String,
    pub participations: i64,
    pub enterprises: i64,
    pub people: i64,
}

/// A ledger row left out because the app ran that activity itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOut {
    pub activity_id: String,
    pub name: String,
    pub date: String,
    pub district: String,
    pub event_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearReport {
    pub year: i32,
    /// The district the report is limited to, if any.
    pub district: Option<String>,
    pub activities: i64,
    pub participations: i64,
    /// Distinct experts known by name (ledger rows with only a count add participations, not
    /// people).
    pub experts: i64,
    pub enterprises: i64,
    pub people: i64,
    /// Suggestions (建言) collected at the year's service days, and of them adopted (已采纳).
    pub suggestions: i64,
    pub adopted: i64,
    pub by_district: Vec<Line>,
    pub by_kind: Vec<Line>,
    /// Every month of the year, January first, months without an activity at zero.
    pub by_month: Vec<Line>,
    /// The report sentence, in the organisers' words.
    pub sentence: String,
    pub sentence_en: String,
    /// What was counted, by date.
    pub items: Vec<Counted>,
    pub left_out: Vec<LeftOut>,
}

/// The district an event counts under: the one set on it, or the one its name or place names
/// (金山主会场 → 金山区); empty when neither says.
pub fn event_district(set: &str, texts: &[&str]) -> String {
    if let Some(d) = districts::normalise(set) {
        return d.to_string();
    }
    texts
        .iter()
        .find_map(|t| districts::found_in(t))
        .unwrap_or("")
        .to_string()
}

/// The year's report, of every district or of one.
pub fn year(db: &Db, year: i32, district: Option<&str>) -> Result<YearReport> {
    let c = db.conn();
    let district = district.map(|d| districts::normalise(d).unwrap_or(d).to_string());

    let mut present: HashMap<String, HashSet<String>> = HashMap::new();
    for (event, expert) in store::year::present(c, year)? {
        present.entry(event).or_default().insert(expert);
    }
    let outcomes: HashMap<String, (i64, i64)> = store::outcome::sums_in_year(c, year)?
        .into_iter()
        .map(|(e, ent, ppl)| (e, (ent, ppl)))
        .collect();

    let suggested: HashMap<String, (i64, i64)> = store::outcome::suggestions_in_year(c, year)?
        .into_iter()
        .map(|(e, n, adopted)| (e, (n, adopted)))
        .collect();
    let (mut suggestions, mut adopted) = (0, 0);

    let mut items = Vec::new();
    let mut people_known: HashSet<String> = HashSet::new();
    let mut event_days: HashMap<(String, String), String> = HashMap::new();
    let mut event_ids = HashSet::new();
    for e in store::year::events(c, year)? {
        let d = event_district(&e.district, &[&e.short_name, &e.name, &e.place]);
        let here = present.remove(&e.id).unwrap_or_default();
        let (enterprises, people) = outcomes.get(&e.id).copied().unwrap_or((0, 0));
        event_days.insert((e.date.clone(), d.clone()), e.id.clone());
        event_ids.insert(e.id.clone());
        if district.as_ref().is_some_and(|x| *x != d) {
            continue;
        }
        let (n, a) = suggested.get(&e.id).copied().unwrap_or((0, 0));
        suggestions += n;
        adopted += a;
        items.push(Counted {
            id: e.id,
            source: Source::Event,
            date: e.date,
            district: d,
            name: e.name,
            kind: EVENT_KIND.to_string(),
            participations: here.len() as i64,
            enterprises,
            people,
        });
        people_known.extend(here);
    }

    let mut linked: HashMap<String, Vec<String>> = HashMap::new();
    for (activity, expert) in store::activity::experts_in_year(c, year)? {
        linked.entry(activity).or_default().push(expert);
    }
    let mut left_out = Vec::new();
    for a in store::activity::in_year(c, year)? {
        let same = a
            .same_as_event
            .clone()
            .filter(|e| event_ids.contains(e))
            .or_else(|| {
                event_days
                    .get(&(a.date.clone(), a.district.clone()))
                    .cloned()
            });
        if district.as_ref().is_some_and(|x| *x != a.district) {
            continue;
        }
        if let Some(event_id) = same {
            left_out.push(LeftOut {
                activity_id: a.id,
                name: a.name,
                date: a.date,
                district: a.district,
                event_id,
            });
            continue;
        }
        people_known.extend(linked.remove(&a.id).unwrap_or_default());
        items.push(Counted {
            id: a.id,
            source: Source::Ledger,
            date: a.date,
            district: a.district,
            name: a.name,
            kind: a.kind,
            participations: a.participations,
            enterprises: a.enterprises,
            people: a.people,
        });
    }
    items.sort_by(|a, b| (&a.date, &a.name).cmp(&(&b.date, &b.name)));

    let mut total = Figures::default();
    let mut by_district: BTreeMap<(usize, String), Figures> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, Figures> = BTreeMap::new();
    let mut by_month: BTreeMap<String, Figures> = (1..=12)
        .map(|m| (format!("{year:04}-{m:02}"), Figures::default()))
        .collect();
    for a in &items {
        total.add(a);
        by_district
            .entry((districts::order(&a.district), a.district.clone()))
            .or_default()
            .add(a);
        by_kind.entry(a.kind.clone()).or_default().add(a);
        if let Some(m) = by_month.get_mut(a.date.get(..7).unwrap_or("")) {
            m.add(a);
        }
    }
    let lines = |it: Vec<(String, Figures)>| -> Vec<Line> {
        it.into_iter()
            .map(|(key, figures)| Line { key, figures })
            .collect()
    };
    let mut kinds: Vec<(String, Figures)> = by_kind.into_iter().collect();
    // The kinds with most activities first: the chart reads from the largest.
    kinds.sort_by(|a, b| b.1.activities.cmp(&a.1.activities).then(a.0.cmp(&b.0)));

    Ok(YearReport {
        year,
        district,
        activities: total.activities,
        participations: total.participations,
        experts: people_known.len() as i64,
        enterprises: total.enterprises,
        people: total.people,
        suggestions,
        adopted,
        by_district: lines(by_district.into_iter().map(|((_, k), f)| (k, f)).collect()),
        by_kind: lines(kinds),
        by_month: lines(by_month.into_iter().collect()),
        sentence: sentence(year, &total),
        sentence_en: sentence_en(year, &total),
        items,
        left_out,
    })
}

/// "2024年，同心专家服务团共开展专业服务活动212场，参与党外知识分子4,100人次，…"
pub fn sentence(year: i32, f: &Figures) -> String {
    format!(
        "{year}年，同心专家服务团共开展专业服务活动{}场，参与党外知识分子{}人次，服务企业{}家，服务群众{}人。",
        f.activities, f.participations, f.enterprises, f.people
    )
}

pub fn sentence_en(year: i32, f: &Figures) -> String {
    format!(
        "In {year}, the Tongxin expert service teams held {} professional service activities, \
         with {} participations of non-party intellectuals, serving {} enterprises and {} people.",
        thousands(f.activities),
        thousands(f.participations),
        thousands(f.enterprises),
        thousands(f.people)
    )
}

/// 4120 → "4,120" (English and the printed tables).
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// The years with an event or an activity on file, newest first.
pub fn years(db: &Db) -> Result<Vec<i32>> {
    store::year::years(db.conn())
}
