//! Request and response types shared by the Trygghetskartan widget and server.
//!
//! This crate is serde-only on purpose: it compiles for the browser (wasm32) and for the server
//! alike, so both sides agree on the JSON the API speaks.

use serde::{Deserialize, Serialize};

pub mod dialogue;
pub mod error;
pub mod followup;
pub mod lagesbild;
pub mod pin;
pub mod staff;
pub mod tile;
pub mod varint;

pub use dialogue::{
    CancelDialogue, Dialogue, DialogueInput, DialogueKind, DialogueOrganiser, DialogueStatus,
};
pub use error::{ApiErrorBody, ApiErrorDetail};
pub use followup::{
    Action, ActionInput, ActionNote, ActionParty, ActionState, BulkStatusChange, BulkStatusResult,
    CloseDialogue, DialogueOutcome, NoActionReason, NoteInput, Party, PinStatus, PublicResponse,
    StatusChange, Update, UpdateKind,
};
pub use lagesbild::{
    AreaCount, Bucket, Change, Comparison, NamedPlace, NamedPlaceInput, NewPassword, NewStaffUser,
    PartyTimes, Period, Since, StaffUser, Stats,
};
pub use pin::{
    AgreeRequest, AgreeResponse, Category, CreatedPin, NewPin, PinLookup, PublicPin, TimeOfDay,
};
pub use staff::{
    EditComment, ExportLogEntry, Hotspot, Hotspots, ModerationAction, ModerationEvent,
    ModerationReason, StaffPin,
};

/// `GET /api/health`: `{"status": "ok"}` once the database has answered a query; otherwise
/// `503` with `status: "unavailable"` and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// `GET /api/config`: what the widget needs to know about this server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// Street-level raster tiles, served by this server at `/tiles/{z}/{x}/{y}.png`; `None` when
    /// no tile source is configured (the bundled vector basemap alone is shown).
    pub tiles: Option<TileConfig>,
    /// Whether residents may ask for an e-mail when their pin's state changes (an SMTP relay
    /// is configured).
    #[serde(default)]
    pub mail: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TileConfig {
    /// Credit the tile source requires, shown on the map.
    pub attribution: String,
    pub max_zoom: u8,
}

/// `GET/POST /api/session`: who is logged in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub username: String,
    pub role: Role,
}

/// Roles a staff account can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Announces, changes and cancels dialogue sessions.
    Organiser,
    /// Sees every pin, moderates and exports.
    Planner,
    /// Everything.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Organiser, Role::Planner, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Organiser => "organiser",
            Role::Planner => "planner",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_round_trips_through_its_api_code() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
