//! The big screen (签到大屏) on the venue's projector: in the morning a welcome for each arrival,
//! the wall of names that have arrived and 实到 / 应到 overall and per group; in the afternoon
//! the departure board — per service point its theme, departure and bus, on board / expected and
//! who is still missing. What the screen may show is decided here, by the privacy setting, so
//! that a name the room must not see never reaches the screen's window.

use serde::{Deserialize, Serialize};

use crate::store::attendance::WallEntry;
use crate::{attendance, rollcall, store, Checkpoint, Db, Error, Result, SignUpStatus};

/// The names on the wall: the latest arrivals (the screen shows as many as fit).
pub const WALL: i64 = 240;

const PRIVACY_KEY: &str = "bigscreen.privacy";
const MODE_KEY: &str = "bigscreen.mode";

/// What the screen may show of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Privacy {
    /// 姓名与职称 (with the organisation): the default.
    #[default]
    NamesTitles,
    /// 仅姓名.
    Names,
    /// 仅人数: no name at all.
    Counts,
}

impl Privacy {
    pub fn as_str(self) -> &'static str {
        match self {
            Privacy::NamesTitles => "names_titles",
            Privacy::Names => "names",
            Privacy::Counts => "counts",
        }
    }

    pub fn parse(s: &str) -> Option<Privacy> {
        match s {
            "names_titles" => Some(Privacy::NamesTitles),
            "names" => Some(Privacy::Names),
            "counts" => Some(Privacy::Counts),
            _ => None,
        }
    }
}

/// Which board the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// As the desk's checkpoint says: the venue → welcome, a service point → departures.
    #[default]
    Follow,
    Welcome,
    Departures,
    /// The city's venues from the central server (城市总览), counts only.
    City,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Follow => "follow",
            Mode::Welcome => "welcome",
            Mode::Departures => "departures",
            Mode::City => "city",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "follow" => Some(Mode::Follow),
            "welcome" => Some(Mode::Welcome),
            "departures" => Some(Mode::Departures),
            "city" => Some(Mode::City),
            _ => None,
        }
    }

    /// The board shown when the desk is at `desk`.
    pub fn board(self, desk: &Checkpoint) -> Mode {
        match (self, desk) {
            (Mode::Follow, Checkpoint::Main) => Mode::Welcome,
            (Mode::Follow, Checkpoint::Point(_)) => Mode::Departures,
            (m, _) => m,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub privacy: Privacy,
    pub mode: Mode,
}

pub fn settings(db: &Db) -> Result<Settings> {
    let c = db.conn();
    let get = |k| store::setting::get(c, k);
    Ok(Settings {
        privacy: get(PRIVACY_KEY)?
            .and_then(|s| Privacy::parse(&s))
            .unwrap_or_default(),
        mode: get(MODE_KEY)?
            .and_then(|s| Mode::parse(&s))
            .unwrap_or_default(),
    })
}

pub fn set_settings(db: &Db, s: Settings) -> Result<()> {
    let c = db.conn();
    store::setting::set(c, PRIVACY_KEY, s.privacy.as_str())?;
    store::setting::set(c, MODE_KEY, s.mode.as_str())?;
    Ok(())
}

/// A person as the screen may show them: under `Counts` there is no person at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// The check-in it stands for (to take it off the wall when undone).
    pub checkin_id: String,
    pub name: String,
    /// Empty unless names and titles are shown.
    pub title: String,
    pub organisation: String,
    pub local_time: String,
    /// The welcome's line under the name: 新材料 · 13:00 2号车 (filled for one arrival only).
    pub group: String,
}

fn shown(e: WallEntry, privacy: Privacy) -> Option<Shown> {
    let full = privacy == Privacy::NamesTitles;
    (privacy != Privacy::Counts).then(|| Shown {
        checkin_id: e.checkin_id,
        name: e.name,
        title: if full {
            first_title(&e.title)
        } else {
            String::new()
        },
        organisation: if full { e.organisation } else { String::new() },
        local_time: e.local_time,
        group: String::new(),
    })
}

/// The title a welcome uses: the first of several (`教授、博士生导师` → 教授).
fn first_title(t: &str) -> String {
    t.split(['、', ',', '，', '/', ';', '；'])
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub point_id: String,
    pub theme: String,
    pub point: String,
    pub expected: i64,
    pub present: i64,
}

/// A service point's line on the departure board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Departure {
    pub point_id: String,
    pub theme: String,
    pub point: String,
    pub depart_time: String,
    pub bus: String,
    pub on_board: i64,
    pub expected: i64,
    /// Still missing (registered, not checked in at the point); empty under `Counts`.
    pub missing: Vec<String>,
    pub missing_count: i64,
}

/// Everything the screen shows, as one value: it redraws from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub event_name: String,
    pub venue: String,
    pub date: String,
    pub privacy: Privacy,
    /// The board to show now (welcome or departures).
    pub board: Mode,
    pub mode: Mode,
    pub expected: i64,
    pub present: i64,
    pub walk_ins: i64,
    pub groups: Vec<Group>,
    /// Newest first; empty under `Counts`.
    pub wall: Vec<Shown>,
    pub departures: Vec<Departure>,
}

pub fn snapshot(db: &Db, event_id: &str, desk: &Checkpoint) -> Result<Snapshot> {
    let c = db.conn();
    let ev = store::event::get(c, event_id)?
        .ok_or_else(|| Error::EventNotFound(event_id.to_string()))?;
    let s = settings(db)?;
    let a = attendance::attendance(db, event_id, &Checkpoint::Main)?;
    let wall = store::attendance::wall(c, event_id, WALL)?
        .into_iter()
        .filter_map(|e| shown(e, s.privacy))
        .collect();
    let mut departures = Vec::new();
    for g in &a.groups {
        let roster = rollcall::roster(db, event_id, &g.point_id)?;
        let registered = roster
            .iter()
            .filter(|r| r.status == SignUpStatus::Registered);
        let missing: Vec<String> = registered
            .clone()
            .filter(|r| r.point_checkin_id.is_none())
            .map(|r| r.name.clone())
            .collect();
        departures.push(Departure {
            point_id: g.point_id.clone(),
            theme: g.theme_name.clone().unwrap_or_default(),
            point: g.point_short_name.clone(),
            depart_time: g.depart_time.clone(),
            bus: g.bus.clone(),
            // On board: checked in at the point, on its list or not.
            on_board: roster
                .iter()
                .filter(|r| r.point_checkin_id.is_some())
                .count() as i64,
            expected: registered.count() as i64,
            missing_count: missing.len() as i64,
            missing: if s.privacy == Privacy::Counts {
                Vec::new()
            } else {
                missing
            },
        });
    }
    Ok(Snapshot {
        event_name: crate::demo::printed_name(&ev),
        venue: ev.short_name,
        date: ev.date,
        privacy: s.privacy,
        board: s.mode.board(desk),
        mode: s.mode,
        expected: a.expected,
        present: a.present,
        walk_ins: a.walk_ins,
        groups: a
            .groups
            .iter()
            .map(|g| Group {
                point_id: g.point_id.clone(),
                theme: g.theme_name.clone().unwrap_or_default(),
                point: g.point_short_name.clone(),
                expected: g.expected,
                present: g.present,
            })
            .collect(),
        wall,
        departures,
    })
}

/// One arrival to welcome, as the screen may show it (None under `Counts`, or when the
/// check-in is not a live one at the venue).
pub fn arrival(db: &Db, event_id: &str, checkin_id: &str) -> Result<Option<Shown>> {
    let privacy = settings(db)?.privacy;
    let Some(entry) = store::attendance::wall(db.conn(), event_id, WALL)?
        .into_iter()
        .find(|e| e.checkin_id == checkin_id)
    else {
        return Ok(None);
    };
    let a = store::signup::assignment(db.conn(), event_id, &entry.expert_id)?;
    Ok(shown(entry, privacy).map(|mut s| {
        let registered = a.signup_status == Some(SignUpStatus::Registered);
        if registered {
            let mut bits: Vec<String> = Vec::new();
            if let Some(t) = a.theme_name.filter(|t| !t.is_empty()) {
                bits.push(t);
            }
            let ride = [a.depart_time, a.bus]
                .into_iter()
                .flatten()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !ride.is_empty() {
                bits.push(ride);
            }
            s.group = bits.join(" · ");
        }
        s
    }))
}

#[cfg(test)]
mod tests;
