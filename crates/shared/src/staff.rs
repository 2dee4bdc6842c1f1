//! What planners see and send: exact pins, moderation, hotspots, the export log.
//!
//! Every staff pin route and every export takes the same filter query parameters (see
//! `docs/API.md`): `from`, `to` (local dates, inclusive), `category` (repeatable),
//! `time_of_day` (repeatable), `area` (a tätort name) or `bbox`, `include_hidden`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::pin::{Category, TimeOfDay};

/// A pin as staff see it: exact position, comment and moderation state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffPin {
    pub id: Uuid,
    pub lat: f64,
    pub lon: f64,
    pub category: Category,
    pub time_of_day: TimeOfDay,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub place_description: Option<String>,
    /// RFC 3339 with the Europe/Stockholm offset.
    pub created_at: String,
    pub agree_count: u32,
    pub hidden: bool,
    /// Why it was hidden (the latest hide), when hidden.
    #[serde(default)]
    pub hidden_reason: Option<String>,
    pub comment_approved: bool,
    /// The tätort the pin lies in, if any.
    #[serde(default)]
    pub area: Option<String>,
    pub status: crate::followup::PinStatus,
    #[serde(default)]
    pub status_reason: Option<crate::followup::NoActionReason>,
    /// RFC 3339, when the state or answer last changed.
    #[serde(default)]
    pub status_changed_at: Option<String>,
    #[serde(default)]
    pub response: Option<crate::followup::PublicResponse>,
    #[serde(default)]
    pub action_id: Option<Uuid>,
}

/// Most characters a moderation reason may have (after trimming).
pub const MAX_REASON_CHARS: usize = 500;

/// `POST /api/staff/pins/{id}/hide` and `.../restore`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationReason {
    pub reason: String,
}

/// `PATCH /api/staff/pins/{id}`: the redacted comment (`null` or empty removes it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditComment {
    pub comment: Option<String>,
}

/// What a moderation event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    Hide,
    Restore,
    Approve,
    Unapprove,
    EditComment,
    /// The state or public answer changed (`before`/`after`: states; `reason`: the no-action
    /// reason; `response`: the public answer).
    Status,
}

impl ModerationAction {
    pub const ALL: [ModerationAction; 6] = [
        ModerationAction::Hide,
        ModerationAction::Restore,
        ModerationAction::Approve,
        ModerationAction::Unapprove,
        ModerationAction::EditComment,
        ModerationAction::Status,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ModerationAction::Hide => "hide",
            ModerationAction::Restore => "restore",
            ModerationAction::Approve => "approve",
            ModerationAction::Unapprove => "unapprove",
            ModerationAction::EditComment => "edit_comment",
            ModerationAction::Status => "status",
        }
    }

    pub fn parse(code: &str) -> Option<ModerationAction> {
        ModerationAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One entry of `GET /api/staff/pins/{id}/history`, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModerationEvent {
    /// RFC 3339 with the Europe/Stockholm offset.
    pub at: String,
    /// The staff member's user name.
    pub actor: String,
    pub action: ModerationAction,
    #[serde(default)]
    pub reason: Option<String>,
    /// The changed value before and after: the comment for `edit_comment`, the state
    /// (`"visible"`/`"hidden"`, `"approved"`/`"not_approved"`) for the others.
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
    /// For `status`: the public answer written with the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

/// A named place and how far it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearestPlace {
    pub name: String,
    pub distance_m: f64,
}

/// Counts per category or time of day, in the order of their `ALL` lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count<K> {
    pub key: K,
    pub count: u32,
}

/// An area where pins concentrate (`GET /api/staff/hotspots`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hotspot {
    /// 1 = most pins.
    pub rank: u32,
    pub count: u32,
    pub lat: f64,
    pub lon: f64,
    /// `[minLon, minLat, maxLon, maxLat]` of its pins.
    pub bbox: [f64; 4],
    /// Distance from the centroid to its farthest pin, in metres.
    pub radius_m: f64,
    /// The convex hull of its pins as `[lon, lat]` pairs (closed ring); fewer than 4 points
    /// when the pins are on a line.
    pub outline: Vec<[f64; 2]>,
    pub by_category: Vec<Count<Category>>,
    pub by_time_of_day: Vec<Count<TimeOfDay>>,
    pub agree_total: u32,
    #[serde(default)]
    pub nearest_place: Option<NearestPlace>,
    /// The tätort its centroid lies in, if any.
    #[serde(default)]
    pub area: Option<String>,
    /// Its pins, for planners (bulk answers, linking to an action); empty for organisers.
    #[serde(default)]
    pub pins: Vec<Uuid>,
    /// What to call it: the staff-named place it is in or near, else the tätort with a
    /// direction from the nearest landmark ("Arboga, norr om Heliga Trefaldighets kyrka").
    #[serde(default)]
    pub place_name: String,
}

/// `GET /api/staff/hotspots`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hotspots {
    /// Pins that matched the filters.
    pub pins: u32,
    /// The clustering parameters used (see `docs/API.md`).
    pub radius_m: f64,
    pub min_pins: u32,
    pub hotspots: Vec<Hotspot>,
}

/// One entry of `GET /api/staff/exports`, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportLogEntry {
    pub at: String,
    pub actor: String,
    /// `geojson`, `csv` or `xlsx`.
    pub format: String,
    /// The query string the export was made with.
    pub filters: String,
    pub rows: u64,
    /// False when the download was interrupted.
    pub completed: bool,
}
