//! Dialogue sessions (medborgardialoger) as the public API returns them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogueKind {
    /// A meeting at a place (möte).
    Meeting,
    /// A safety walk (trygghetsvandring).
    Walk,
    /// An online meeting (digitalt möte), with a link.
    Online,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogueOrganiser {
    Kommun,
    Polis,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogueStatus {
    Planned,
    Cancelled,
}

/// A dialogue session. Times are RFC 3339 strings with the Europe/Stockholm offset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dialogue {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place_name: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: DialogueKind,
    pub organiser: DialogueOrganiser,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_url: Option<String>,
    pub status: DialogueStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// "Vad vi hörde", once an organiser has closed the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<crate::followup::DialogueOutcome>,
}

/// `POST /api/dialogues` and `PUT /api/dialogues/{id}`: what an organiser fills in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialogueInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// RFC 3339 with offset, e.g. `2026-05-12T18:00:00+02:00`.
    pub starts_at: String,
    pub ends_at: String,
    pub place_name: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: DialogueKind,
    pub organiser: DialogueOrganiser,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_url: Option<String>,
}

/// `POST /api/dialogues/{id}/cancel`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelDialogue {
    pub reason: String,
}

impl DialogueKind {
    pub const ALL: [DialogueKind; 3] = [
        DialogueKind::Meeting,
        DialogueKind::Walk,
        DialogueKind::Online,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DialogueKind::Meeting => "meeting",
            DialogueKind::Walk => "walk",
            DialogueKind::Online => "online",
        }
    }

    /// The kind with this API code; `None` for anything else (no silent default).
    pub fn parse(code: &str) -> Option<DialogueKind> {
        DialogueKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl DialogueOrganiser {
    pub const ALL: [DialogueOrganiser; 3] = [
        DialogueOrganiser::Kommun,
        DialogueOrganiser::Polis,
        DialogueOrganiser::Both,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DialogueOrganiser::Kommun => "kommun",
            DialogueOrganiser::Polis => "polis",
            DialogueOrganiser::Both => "both",
        }
    }

    /// The organiser with this API code; `None` for anything else.
    pub fn parse(code: &str) -> Option<DialogueOrganiser> {
        DialogueOrganiser::ALL
            .into_iter()
            .find(|o| o.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_organisers_round_trip_through_their_api_codes() {
        for kind in DialogueKind::ALL {
            assert_eq!(DialogueKind::parse(kind.code()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.code()));
        }
        for organiser in DialogueOrganiser::ALL {
            assert_eq!(DialogueOrganiser::parse(organiser.code()), Some(organiser));
            let json = serde_json::to_string(&organiser).unwrap();
            assert_eq!(json, format!("\"{}\"", organiser.code()));
        }
        // Unknown codes are refused, not read as a meeting or as the kommun.
        for bad in ["", "Meeting", "möte", "walk ", "polisen"] {
            assert_eq!(DialogueKind::parse(bad), None, "{bad}");
            assert_eq!(DialogueOrganiser::parse(bad), None, "{bad}");
        }
    }
}
