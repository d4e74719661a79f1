//! The domain's records, as stored and as sent to the front ends.

use serde::{Deserialize, Serialize};

mod central;
pub use central::*;

/// Who records: each laptop (desk) has its own id and a name people read ("1号台").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Main,
    Sub,
}

impl EventKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            EventKind::Main => "main",
            EventKind::Sub => "sub",
        }
    }
    pub fn parse(s: &str) -> EventKind {
        if s == "sub" {
            EventKind::Sub
        } else {
            EventKind::Main
        }
    }
}

/// One day's activity at one venue: the main venue, or a district sub-venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub kind: EventKind,
    pub parent_id: Option<String>,
    /// Local calendar date, YYYY-MM-DD.
    pub date: String,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub id: String,
    pub name: String,
    pub sort_order: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePoint {
    pub id: String,
    pub event_id: String,
    pub theme_id: Option<String>,
    pub name: String,
    pub short_name: String,
    pub address: String,
    pub contact: String,
    pub contact_phone: String,
    pub capacity: i64,
    /// Local departure time, HH:MM.
    pub depart_time: String,
    pub bus: String,
    pub sort_order: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expert {
    pub id: String,
    pub code: String,
    pub name: String,
    pub gender: String,
    pub party: String,
    pub organisation: String,
    pub title: String,
    pub field: String,
    /// Digits only.
    pub phone: String,
    pub notes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignUpStatus {
    Registered,
    Waiting,
    Cancelled,
}

impl SignUpStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            SignUpStatus::Registered => "registered",
            SignUpStatus::Waiting => "waiting",
            SignUpStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> SignUpStatus {
        match s {
            "waiting" => SignUpStatus::Waiting,
            "cancelled" => SignUpStatus::Cancelled,
            _ => SignUpStatus::Registered,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignUp {
    pub id: String,
    pub event_id: String,
    pub expert_id: String,
    pub point_id: Option<String>,
    pub status: SignUpStatus,
}

/// Where a check-in happens: the event's own venue in the morning, or a service point
/// (the afternoon roll call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "point_id", rename_all = "lowercase")]
pub enum Checkpoint {
    Main,
    Point(String),
}

impl Checkpoint {
    /// `main` or a service point id, as the CLI and the UI write it.
    pub fn parse(s: &str) -> Checkpoint {
        if s.is_empty() || s == "main" {
            Checkpoint::Main
        } else {
            Checkpoint::Point(s.to_string())
        }
    }
    pub fn point_id(&self) -> Option<&str> {
        match self {
            Checkpoint::Main => None,
            Checkpoint::Point(p) => Some(p),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Search,
    Scan,
    Walkin,
    Manual,
    Import,
}

impl Method {
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Search => "search",
            Method::Scan => "scan",
            Method::Walkin => "walkin",
            Method::Manual => "manual",
            Method::Import => "import",
        }
    }
    pub fn parse(s: &str) -> Method {
        match s {
            "scan" => Method::Scan,
            "walkin" => Method::Walkin,
            "import" => Method::Import,
            "search" => Method::Search,
            _ => Method::Manual,
        }
    }
}

/// A check-in record with what the desk needs to show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: String,
    pub event_id: String,
    pub expert_id: String,
    pub point_id: Option<String>,
    /// UTC, as stored.
    pub at: String,
    /// Shanghai time, HH:MM.
    pub local_time: String,
    pub desk_id: String,
    pub desk_name: String,
    pub method: Method,
    pub revoked_at: Option<String>,
    pub revoke_reason: Option<String>,
}

/// Reduces a phone as people write it (+86 138-1234-5678, １３８…, 138 1234 5678) to digits.
/// Returns `None` when what is left cannot be a phone number: not an 11-digit mobile
/// starting with 1, nor a 7–12 digit landline.
pub fn normalise_phone(raw: &str) -> Option<String> {
    let mut digits: String = raw
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0),
            _ => None,
        })
        .collect();
    if digits.len() == 13 && digits.starts_with("86") {
        digits.drain(..2);
    }
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let landline = (7..=12).contains(&digits.len()) && !digits.starts_with('1');
    (mobile || landline).then_some(digits)
}

/// Masks a phone for the screen: at most its last four digits show, and the first three of a
/// number of 11 digits or more (a mobile, a landline with its area code):
/// 13812345678 → 138****5678, 57291000 → ****1000, 5729100 → ***9100.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n < 7 {
        return "*".repeat(n);
    }
    let head = if n >= 11 { 3 } else { 0 };
    let head_str: String = chars[..head].iter().collect();
    let tail: String = chars[n - 4..].iter().collect();
    format!("{head_str}{}{tail}", "*".repeat(n - 4 - head))
}

/// A service activity of the year's ledger (活动台账) — a visit, a consultation, a lecture —
/// outside the events the app runs itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// Normalised (金山区, 浦东新区, 市级).
    pub district: String,
    pub name: String,
    /// 科技服务, 教育服务, 文化服务, 法律咨询, 健康义诊, 调研建言, or what the organiser typed.
    pub kind: String,
    pub place: String,
    pub station_id: Option<String>,
    /// Expert participations (人次).
    pub participations: i64,
    pub enterprises: i64,
    pub people: i64,
    pub notes: String,
    /// The app's own event this ledger row stands for, linked by hand: the event's figures
    /// count, this row's do not.
    pub same_as_event: Option<String>,
}

/// A 同心荟 expert service station (专家服务站) opened in a district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Station {
    pub id: String,
    pub name: String,
    /// Normalised (金山区, 浦东新区, 市级).
    pub district: String,
    /// The host organisation.
    pub host: String,
    pub address: String,
    /// 授牌 date, YYYY-MM-DD.
    pub opened_on: Option<String>,
}

/// An expert appointed (受聘) to a station for a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: String,
    pub station_id: String,
    pub expert_id: String,
    /// YYYY-MM-DD.
    pub appointed_on: String,
    pub term_years: i64,
    /// False once the appointment was ended (解聘) before its term.
    pub active: bool,
}

/// What a service point's visit achieved, entered after the afternoon.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub point_id: String,
    pub enterprises: i64,
    pub people: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionStatus {
    /// 已提交
    Submitted,
    /// 已采纳
    Adopted,
}

impl SuggestionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionStatus::Submitted => "submitted",
            SuggestionStatus::Adopted => "adopted",
        }
    }

    pub fn parse(s: &str) -> SuggestionStatus {
        if s == "adopted" {
            SuggestionStatus::Adopted
        } else {
            SuggestionStatus::Submitted
        }
    }
}

/// A suggestion (建言) collected at a service point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: String,
    pub point_id: String,
    pub title: String,
    pub lead_expert_id: Option<String>,
    pub theme: String,
    pub status: SuggestionStatus,
}

/// Serialises a phone masked (`mask_phone`): rows carry the phone as stored, the screen and
/// the JSON show only its mask.
pub fn serialize_masked<S: serde::Serializer>(phone: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&mask_phone(phone))
}

/// Where an expert goes after the plenary: what the confirmation shows.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Assignment {
    pub signup_status: Option<SignUpStatus>,
    pub point_id: Option<String>,
    pub point_name: Option<String>,
    pub point_short_name: Option<String>,
    pub theme_name: Option<String>,
    pub depart_time: Option<String>,
    pub bus: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RosterRow {
    pub expert_id: String,
    pub code: String,
    pub name: String,
    pub organisation: String,
    pub title: String,
    /// The phone as stored; shown (and serialised) masked.
    #[serde(rename = "phone_masked", serialize_with = "serialize_masked")]
    pub phone: String,
    pub point_id: Option<String>,
    pub status: SignUpStatus,
    /// Checked in at the venue in the morning, Shanghai HH:MM.
    pub morning_time: Option<String>,
    /// Checked in at their own service point (on the bus / arrived).
    pub point_checkin_id: Option<String>,
    pub point_time: Option<String>,
    pub point_desk: Option<String>,
}

/// A check-in as a desk package carries it: the row whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackCheckIn {
    pub id: String,
    pub event_id: String,
    pub expert_id: String,
    pub point_id: Option<String>,
    pub at: String,
    pub desk_id: String,
    pub desk_name: String,
    pub method: String,
}

/// A revocation as a desk package carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackRevocation {
    pub id: String,
    pub checkin_id: String,
    pub at: String,
    pub desk_id: String,
    pub desk_name: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_reduced_to_digits_as_people_write_them() {
        assert_eq!(
            normalise_phone("+86 138-1234-5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            normalise_phone("１３８１２３４５６７８").as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            normalise_phone("021-5729 1000").as_deref(),
            Some("02157291000")
        );
        assert_eq!(normalise_phone("1381234"), None);
        assert_eq!(normalise_phone("abc"), None);
    }

    #[test]
    fn phones_are_masked_but_keep_the_last_four_digits() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        // A landline shows only its last four digits (it showed 7 of 7 and 7 of 8).
        assert_eq!(mask_phone("57291000"), "****1000");
        assert_eq!(mask_phone("5729100"), "***9100");
        assert_eq!(mask_phone("02157291000"), "021****1000");
        assert_eq!(mask_phone("12345"), "*****");
        assert_eq!(mask_phone(""), "");
    }
}
