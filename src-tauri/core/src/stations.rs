//! 同心荟 expert service stations (专家服务站): opened in a district (授牌), hosted by an
//! organisation; experts are appointed (受聘) to them for a term; the activities held there
//! count in the year's report like any other. The page lists them by district with their
//! experts and this year's activities; the appointment list (受聘专家名单) is exported.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use crate::store::station::AppointedExpert;
use crate::{activities, clock, districts, rules, store, Activity, Appointment, Db, Desk, Error};
use crate::{Result, Station};

/// A term when none is given (the organisers appoint for two years).
pub const DEFAULT_TERM: i64 = 2;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StationForm {
    pub name: String,
    pub district: String,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub address: String,
    /// 授牌 date as typed (2024-05-20, 2024.5.20, 2024年5月20日); empty: not yet.
    #[serde(default)]
    pub opened_on: String,
}

/// Where an appointment stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// 在聘.
    Serving,
    /// 已到期: the term has run out.
    Expired,
    /// 已解聘: ended before its term.
    Ended,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Serving => "在聘",
            Standing::Expired => "已到期",
            Standing::Ended => "已解聘",
        }
    }
}

/// An appointed expert with the day the term ends and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct AppointedView {
    #[serde(flatten)]
    pub expert: AppointedExpert,
    /// YYYY-MM-DD: the appointment date plus the term.
    pub until: String,
    pub standing: Standing,
}

/// A station as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct StationView {
    #[serde(flatten)]
    pub station: Station,
    pub experts: Vec<AppointedView>,
    /// The year's activities held there.
    pub activities: Vec<Activity>,
    /// Their participations (人次) together.
    pub participations: i64,
}

/// The date a term of `years` from `on` (YYYY-MM-DD) ends.
pub fn term_end(on: &str, years: i64) -> String {
    NaiveDate::parse_from_str(on, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_months(Months::new(12 * years.clamp(0, 100) as u32)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn view(e: AppointedExpert, today: &str) -> AppointedView {
    let until = term_end(&e.appointed_on, e.term_years);
    let standing = if !e.active {
        Standing::Ended
    } else if !until.is_empty() && until.as_str() <= today {
        Standing::Expired
    } else {
        Standing::Serving
    };
    AppointedView {
        expert: e,
        until,
        standing,
    }
}

fn date(raw: &str) -> Result<Option<String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    activities::parse_date(raw)
        .map(Some)
        .ok_or_else(|| Error::DateInvalid(raw.to_string()))
}

/// Opens a station; ledger activities already held at a place of its name are linked to it.
pub fn add(db: &mut Db, form: &StationForm, desk: &Desk, now: DateTime<Utc>) -> Result<Station> {
    let name = rules::clean_text(&form.name)?;
    if name.is_empty() {
        return Err(Error::StationNameRequired);
    }
    let district = districts::normalise(&form.district)
        .ok_or_else(|| Error::DistrictUnknown(form.district.trim().to_string()))?;
    let s = Station {
        id: store::new_id(),
        name,
        district: district.to_string(),
        host: rules::clean_text(&form.host)?,
        address: rules::clean_text(&form.address)?,
        opened_on: date(&form.opened_on)?,
    };
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    if store::station::by_name(&tx, &s.district, &s.name)?.is_some() {
        return Err(Error::StationExists {
            district: s.district,
            name: s.name,
        });
    }
    store::station::insert(&tx, &s, &at)?;
    store::station::link_activities_by_place(&tx, &s)?;
    let what = format!("{} {}", s.district, s.name);
    store::audit::append(&tx, &at, desk, "station_add", "station", &s.id, &what)?;
    tx.commit()?;
    Ok(s)
}

/// Appoints an expert to a station on a day (YYYY-MM-DD as typed; today when empty) for a term
/// of 1–10 years. Appointing again renews: the new date and term, serving.
pub fn appoint(
    db: &mut Db,
    station_id: &str,
    expert_id: &str,
    on: &str,
    term_years: i64,
    desk: &Desk,
    now: DateTime<Utc>,
) -> Result<Appointment> {
    if !(1..=10).contains(&term_years) {
        return Err(Error::TermInvalid(term_years.to_string()));
    }
    let on = match date(on)? {
        Some(d) => d,
        None => now
            .with_timezone(&clock::shanghai())
            .format("%Y-%m-%d")
            .to_string(),
    };
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let station = store::station::get(&tx, station_id)?
        .ok_or_else(|| Error::StationNotFound(station_id.to_string()))?;
    let expert = store::expert::get(&tx, expert_id)?
        .ok_or_else(|| Error::ExpertNotFound(expert_id.to_string()))?;
    let mut a = Appointment {
        id: store::new_id(),
        station_id: station.id.clone(),
        expert_id: expert.id.clone(),
        appointed_on: on,
        term_years,
        active: true,
    };
    a.id = store::station::appoint(&tx, &a, &at)?;
    let what = format!(
        "{} 受聘于 {}（{} 起，{} 年）",
        expert.name, station.name, a.appointed_on, a.term_years
    );
    store::audit::append(&tx, &at, desk, "appoint", "appointment", &a.id, &what)?;
    tx.commit()?;
    Ok(a)
}

/// Ends an appointment before its term (解聘); it stays on the list as ended.
pub fn end(db: &mut Db, appointment_id: &str, desk: &Desk, now: DateTime<Utc>) -> Result<()> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    let a = store::station::get_appointment(&tx, appointment_id)?
        .ok_or_else(|| Error::AppointmentNotFound(appointment_id.to_string()))?;
    store::station::set_active(&tx, &a.id, false)?;
    let name = store::expert::get(&tx, &a.expert_id)?
        .map(|e| e.name)
        .unwrap_or_default();
    store::audit::append(
        &tx,
        &at,
        desk,
        "appoint_end",
        "appointment",
        &a.id,
        &format!("{name} 解聘"),
    )?;
    tx.commit()?;
    Ok(())
}

/// Every station, by district in the city's order and then by name, with its experts (serving
/// first) and the activities held there in `year`.
pub fn list(db: &Db, year: i32, now: DateTime<Utc>) -> Result<Vec<StationView>> {
    let c = db.conn();
    let today = now
        .with_timezone(&clock::shanghai())
        .format("%Y-%m-%d")
        .to_string();
    let mut appointed = store::station::appointed(c)?;
    let activities = store::station::activities_in_year(c, year)?;
    let mut out: Vec<StationView> = store::station::all(c)?
        .into_iter()
        .map(|s| {
            let mut experts: Vec<AppointedView> = Vec::new();
            appointed.retain(|e| {
                if e.station_id == s.id {
                    experts.push(view(e.clone(), &today));
                    false
                } else {
                    true
                }
            });
            experts.sort_by_key(|e| e.standing != Standing::Serving);
            let held: Vec<Activity> = activities
                .iter()
                .filter(|a| a.station_id.as_deref() == Some(s.id.as_str()))
                .cloned()
                .collect();
            StationView {
                participations: held.iter().map(|a| a.participations).sum(),
                station: s,
                experts,
                activities: held,
            }
        })
        .collect();
    // By district in the city's order, then the oldest station first.
    let key = |v: &StationView| {
        (
            districts::order(&v.station.district),
            v.station.opened_on.clone().unwrap_or_else(|| "9999".into()),
            v.station.name.clone(),
        )
    };
    out.sort_by_key(key);
    Ok(out)
}

/// The year to show by default: this year in Shanghai.
pub fn this_year(now: DateTime<Utc>) -> i32 {
    now.with_timezone(&clock::shanghai()).year()
}

#[cfg(test)]
mod tests;
