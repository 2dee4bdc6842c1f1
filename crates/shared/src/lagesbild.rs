//! The lägesbild over time: places staff name, aggregates per period, comparisons of two
//! periods, and staff accounts for admins.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::followup::{Party, PinStatus};
use crate::pin::{Category, TimeOfDay};
use crate::staff::Count;
use crate::Role;

/// A place staff have named ("Stationsområdet"): a circle or a drawn polygon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedPlace {
    pub id: Uuid,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_m: Option<f64>,
    /// Closed ring of `[lon, lat]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polygon: Option<Vec<[f64; 2]>>,
}

/// `POST /api/staff/places`, `PUT /api/staff/places/{id}`: a name and either `radius_m`
/// around the point or a `polygon`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPlaceInput {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub radius_m: Option<f64>,
    #[serde(default)]
    pub polygon: Option<Vec<[f64; 2]>>,
}

/// Pins of one week or month (local calendar).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// The first day, `YYYY-MM-DD` (a Monday for weeks).
    pub start: String,
    pub total: u32,
    /// Per category, in `Category::ALL` order, zeros included.
    pub by_category: Vec<Count<Category>>,
}

/// Pins in a named place or tätort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaCount {
    pub name: String,
    /// `named` (a place staff named) or `tatort`.
    pub kind: String,
    pub count: u32,
}

/// How fast one party answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyTimes {
    pub party: Party,
    /// Pins this party answered.
    pub answered: u32,
    pub median_days_to_answer: Option<f64>,
    pub median_days_to_done: Option<f64>,
}

/// One period of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// Local dates, inclusive.
    pub from: String,
    pub to: String,
    pub total: u32,
}

/// The change of one thing (a category, an area) between two periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// A category code, or an area's name.
    pub key: String,
    /// Pins in the first and the second period.
    pub a: u32,
    pub b: u32,
    /// Per cent from `a` to `b`; absent when either count is below [`MIN_FOR_PERCENT`]
    /// (a change from 2 to 4 is "+100 %" but says nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
}

/// Below this many pins in either period, a change is shown as counts only.
pub const MIN_FOR_PERCENT: u32 = 10;

/// Two periods side by side: the selection's (`a`) and `compare_from`–`compare_to` (`b`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub a: Period,
    pub b: Period,
    pub total: Change,
    pub by_category: Vec<Change>,
    pub by_area: Vec<Change>,
    pub min_for_percent: u32,
}

/// `GET /api/staff/stats`: the lägesbild of the current selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub total: u32,
    /// The period the pins span (the filter's dates, or the first and last pin's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `week` or `month`.
    pub bucket: String,
    /// Every week or month from `from` to `to`, empty ones included.
    pub buckets: Vec<Bucket>,
    pub by_category: Vec<Count<Category>>,
    pub by_time_of_day: Vec<Count<TimeOfDay>>,
    /// Monday first.
    pub by_weekday: Vec<u32>,
    /// Named places first, then tätorter; most pins first.
    pub by_area: Vec<AreaCount>,
    pub agree_total: u32,
    pub by_status: Vec<Count<PinStatus>>,
    /// Pins with a state change or an answer.
    pub answered: u32,
    pub median_days_to_answer: Option<f64>,
    pub median_days_to_done: Option<f64>,
    pub by_party: Vec<PartyTimes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
}

/// A staff account as admins see it (`GET /api/staff/users`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffUser {
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: String,
    /// RFC 3339, Europe/Stockholm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<String>,
}

/// `POST /api/staff/users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewStaffUser {
    pub username: String,
    pub role: Role,
    pub password: String,
}

/// `POST /api/staff/users/{name}/password`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    pub password: String,
}

/// `GET`/`PUT /api/staff/me/since`: the date "Sedan förra mötet" starts from, kept per staff
/// member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Since {
    #[serde(default)]
    pub date: Option<String>,
}
