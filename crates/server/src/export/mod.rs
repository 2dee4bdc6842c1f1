//! Pure writers for the formats we hand out. Each is a function from data to bytes, with golden
//! tests (`tests/golden/`).

pub mod actions;
pub mod csv;
pub mod geojson;
pub mod ics;
pub mod stats;
pub mod workbook;
pub mod xlsx;

use serde::Serialize;
use trygghetskarta_shared::{Category, PinStatus, TimeOfDay};

use crate::places;
use crate::storage::PinRow;
use crate::time::local_tz;

/// One pin in an export: every attribute, in the column order of every format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportPin {
    pub id: String,
    /// Local (Europe/Stockholm) time, RFC 3339 with offset.
    pub created_at: String,
    #[serde(skip)]
    pub created_unix: i64,
    /// The same local time as civil date and time, for spreadsheets.
    #[serde(skip)]
    pub created_local: jiff::civil::DateTime,
    pub lat: f64,
    pub lon: f64,
    pub category: &'static str,
    pub category_sv: &'static str,
    pub time_of_day: &'static str,
    pub time_of_day_sv: &'static str,
    pub area: Option<&'static str>,
    pub place_description: Option<String>,
    pub comment: Option<String>,
    pub comment_approved: bool,
    pub agree_count: i64,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    pub status: &'static str,
    pub status_sv: &'static str,
    /// Local time of the last state or answer change, RFC 3339 with offset.
    pub status_changed_at: Option<String>,
    #[serde(skip)]
    pub status_changed_local: Option<jiff::civil::DateTime>,
    pub public_response: Option<String>,
    pub action_id: Option<String>,
}

/// Column names, in order (GeoJSON property names, CSV header, XLSX header).
pub const COLUMNS: [&str; 20] = [
    "id",
    "created_at",
    "lat",
    "lon",
    "category",
    "category_sv",
    "time_of_day",
    "time_of_day_sv",
    "area",
    "place_description",
    "comment",
    "comment_approved",
    "agree_count",
    "hidden",
    "hidden_reason",
    "status",
    "status_sv",
    "status_changed_at",
    "public_response",
    "action_id",
];

pub fn status_sv(s: PinStatus) -> &'static str {
    match s {
        PinStatus::Received => "Mottagen",
        PinStatus::Investigating => "Vi undersöker",
        PinStatus::Planned => "Åtgärd planerad",
        PinStatus::Done => "Åtgärdad",
        PinStatus::NoAction => "Ingen åtgärd",
    }
}

fn local(unix: i64) -> jiff::ZonedDateTime {
    jiff::Timestamp::from_second(unix)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(local_tz())
}

pub fn category_sv(c: Category) -> &'static str {
    match c {
        Category::Traffic => "Trafik och hastighet",
        Category::Drugs => "Narkotika",
        Category::Lighting => "Dålig belysning",
        Category::Disorder => "Stök och ordningsstörning",
        Category::Vandalism => "Skadegörelse och nedskräpning",
        Category::Other => "Annat",
    }
}

pub fn time_of_day_sv(t: TimeOfDay) -> &'static str {
    match t {
        TimeOfDay::Day => "Dag",
        TimeOfDay::Evening => "Kväll",
        TimeOfDay::Night => "Natt",
        TimeOfDay::AllDay => "Hela dygnet",
    }
}

impl ExportPin {
    pub fn from_row(row: PinRow) -> ExportPin {
        let category = Category::parse(&row.category).unwrap_or(Category::Other);
        let time = TimeOfDay::parse(&row.time_of_day).unwrap_or(TimeOfDay::AllDay);
        let zoned = local(row.created_at);
        let status = PinStatus::parse(&row.follow_up.status).unwrap_or(PinStatus::Received);
        let changed = row.follow_up.status_changed_at.map(local);
        ExportPin {
            status: status.code(),
            status_sv: status_sv(status),
            status_changed_at: changed.as_ref().map(crate::time::rfc3339),
            status_changed_local: changed.map(|z| z.datetime()),
            public_response: row.follow_up.public_response,
            action_id: row.follow_up.action_id,
            created_at: crate::time::rfc3339(&zoned),
            created_unix: row.created_at,
            created_local: zoned.datetime(),
            area: places::area_at(row.lat, row.lon),
            lat: row.lat,
            lon: row.lon,
            category: category.code(),
            category_sv: category_sv(category),
            time_of_day: time.code(),
            time_of_day_sv: time_of_day_sv(time),
            place_description: row.place_description,
            comment: row.comment,
            comment_approved: row.comment_approved,
            agree_count: row.agree_count,
            hidden: row.hidden,
            hidden_reason: row.hidden_reason,
            id: row.id,
        }
    }
}

/// The file name of an export made on `date` (`YYYY-MM-DD`).
pub fn filename(date: &str, extension: &str) -> String {
    format!("trygghetskartan-{date}.{extension}")
}
