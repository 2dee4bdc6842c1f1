//! Pins: places residents mark as unsafe.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What makes the place feel unsafe. Codes from the medborgarlöfte's focus areas and common
/// trygghetsvandring practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Traffic,
    Drugs,
    Lighting,
    Disorder,
    Vandalism,
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Traffic,
        Category::Drugs,
        Category::Lighting,
        Category::Disorder,
        Category::Vandalism,
        Category::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Traffic => "traffic",
            Category::Drugs => "drugs",
            Category::Lighting => "lighting",
            Category::Disorder => "disorder",
            Category::Vandalism => "vandalism",
            Category::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// When the place feels unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeOfDay {
    Day,
    Evening,
    Night,
    AllDay,
}

impl TimeOfDay {
    pub const ALL: [TimeOfDay; 4] = [
        TimeOfDay::Day,
        TimeOfDay::Evening,
        TimeOfDay::Night,
        TimeOfDay::AllDay,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TimeOfDay::Day => "day",
            TimeOfDay::Evening => "evening",
            TimeOfDay::Night => "night",
            TimeOfDay::AllDay => "all_day",
        }
    }

    pub fn parse(code: &str) -> Option<TimeOfDay> {
        TimeOfDay::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Most characters a comment may have (after trimming).
pub const MAX_COMMENT_CHARS: usize = 1000;
/// Most characters a place description may have (after trimming).
pub const MAX_PLACE_DESCRIPTION_CHARS: usize = 300;

/// Longest e-mail address accepted (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// A plausible e-mail address: one `@`, something on both sides, a dot in the domain, no
/// spaces, commas or control characters. The relay decides the rest; a bad address only costs a
/// bounced mail. The widget and the server check the same way.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.chars().count() <= MAX_EMAIL_CHARS
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == ';')
}

/// `POST /api/pins`. The widget makes the id (UUID v4) before sending, so a retry is
/// recognised as the same report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPin {
    pub id: Uuid,
    pub lat: f64,
    pub lon: f64,
    pub category: Category,
    pub time_of_day: TimeOfDay,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_description: Option<String>,
    /// Honeypot: a hidden form field people never fill in. Reports that fill it are dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Opt-in: where to send an e-mail when the pin's state changes. Kept apart from the pin,
    /// never shown or exported (docs/PRIVACY.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_email: Option<String>,
}

/// A pin as anyone may see it: no comment, and the location snapped to the public grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicPin {
    pub id: Uuid,
    pub category: Category,
    pub time_of_day: TimeOfDay,
    /// Local (Europe/Stockholm) date, `YYYY-MM-DD`; no time of day, for privacy.
    pub created_date: String,
    pub agree_count: u32,
    /// Centre of the ~50 m grid cell the pin lies in (see `docs/PRIVACY.md`).
    pub lat: f64,
    pub lon: f64,
    /// A comment that staff have approved for publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// What is being done about it (`received` for new pins).
    pub status: crate::followup::PinStatus,
    /// When the state or the answer last changed (RFC 3339); absent while `received`. A device
    /// compares it with what it saw last to say "Nytt svar".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_changed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<crate::followup::PublicResponse>,
    /// The action of the handlingsplan this pin belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_id: Option<Uuid>,
}

/// `POST /api/pins/lookup`: a device asks after its own pins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinLookup {
    pub ids: Vec<Uuid>,
}

/// Most ids one lookup may ask for (they fit the 16 KB body limit).
pub const MAX_LOOKUP: usize = 300;

/// `201`/`200` answer to `POST /api/pins`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedPin {
    pub pin: PublicPin,
    /// The secret that lets this device delete its pin (`DELETE /api/pins/{id}`, bearer token).
    pub delete_token: String,
}

/// `POST /api/pins/{id}/agree`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreeRequest {
    /// A random id the device keeps, so one device agrees once.
    pub device_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreeResponse {
    pub agree_count: u32,
}

/// The public location grid: a pin is shown at the centre of its cell. 0.00045° of latitude is
/// 50 m; 0.0009° of longitude is 51 m at Arboga's latitude (59.4° N).
pub const GRID_LAT_DEG: f64 = 0.000_45;
pub const GRID_LON_DEG: f64 = 0.000_9;

/// Snaps an exact position to the centre of its public grid cell.
pub fn public_location(lat: f64, lon: f64) -> (f64, f64) {
    crate::tile::GridCell::of(lat, lon).centre()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(c));
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.code())
            );
        }
        for t in TimeOfDay::ALL {
            assert_eq!(TimeOfDay::parse(t.code()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.code())
            );
        }
        assert_eq!(Category::parse("Traffic"), None);
    }

    #[test]
    fn public_locations_snap_to_cell_centres_within_about_40_metres() {
        let (lat, lon) = (59.396_812, 15.841_034);
        let (plat, plon) = public_location(lat, lon);
        let dy = (plat - lat) * 111_320.0;
        let dx = (plon - lon) * 111_320.0 * lat.to_radians().cos();
        assert!(dx.abs() <= 26.0 && dy.abs() <= 25.1, "{dx} {dy}");
        // Every point in the same cell lands on the same public point.
        assert_eq!(
            public_location(lat + 0.000_01, lon - 0.000_01),
            (plat, plon)
        );
        // Snapping is idempotent.
        assert_eq!(public_location(plat, plon), (plat, plon));
    }
}
