//! Återkoppling: what was done about residents' pins. Each pin has a state and may have a public
//! answer; actions (the handlingsplan) gather pins and dialogues; dialogues close with what was
//! heard. Codes in the API, Swedish words in the widget.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::pin::Category;

/// An enum of API codes: `code()`, `parse()`, `ALL`, serde as the code.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

codes! {
    /// Where a pin stands. Every new pin is `Received`.
    PinStatus {
        /// Mottagen.
        Received = "received",
        /// Vi undersöker.
        Investigating = "investigating",
        /// Åtgärd planerad.
        Planned = "planned",
        /// Åtgärdad.
        Done = "done",
        /// Ingen åtgärd (with a reason).
        NoAction = "no_action",
    }
}

impl PinStatus {
    /// Nothing more will happen (e-mail subscriptions end 30 days later).
    pub fn is_closed(self) -> bool {
        matches!(self, PinStatus::Done | PinStatus::NoAction)
    }
}

codes! {
    /// Why nothing will be done about a pin.
    NoActionReason {
        /// Inte kommunens eller polisens ansvar – vidarebefordrad till … (the answer says to whom).
        NotOurs = "not_ours",
        /// Dubblett av en annan markering.
        Duplicate = "duplicate",
        /// Kan inte åtgärdas.
        Cannot = "cannot",
        /// Annat (the answer says what).
        Other = "other",
    }
}

codes! {
    /// Who answers residents: shown with every public answer, never a staff member's name.
    Party {
        /// Arboga kommun.
        Kommun = "kommun",
        /// Polisen.
        Polis = "polis",
    }
}

codes! {
    /// Who is responsible for an action.
    ActionParty {
        Kommun = "kommun",
        Polis = "polis",
        /// Kommun and police together.
        Both = "both",
        /// Another named party (`party_name`): a housing company, Trafikverket, …
        Other = "other",
    }
}

codes! {
    /// Where an action stands.
    ActionState {
        /// Planerad.
        Planned = "planned",
        /// Pågår.
        Ongoing = "ongoing",
        /// Genomförd.
        Done = "done",
        /// Avbruten (with a reason).
        Cancelled = "cancelled",
    }
}

/// Most characters of a public answer, an action's description or a progress note.
pub const MAX_RESPONSE_CHARS: usize = 1000;
/// Most characters of an action's title.
pub const MAX_ACTION_TITLE_CHARS: usize = 120;
/// Most characters of a dialogue's summary ("Vad vi hörde").
pub const MAX_SUMMARY_CHARS: usize = 5000;
/// Most pins one bulk status change or one action may take.
pub const MAX_BULK_PINS: usize = 5000;

/// A public answer on a pin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicResponse {
    pub text: String,
    /// Who answered.
    pub party: Party,
    /// When it was written (local date, `YYYY-MM-DD`).
    pub date: String,
}

/// `POST /api/staff/pins/{id}/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: PinStatus,
    /// The public answer; no personal data (the editor says so). Absent: the answer stays as
    /// it is; empty: it is removed.
    #[serde(default)]
    pub response: Option<String>,
    /// Required with `no_action`, refused otherwise.
    #[serde(default)]
    pub reason: Option<NoActionReason>,
    /// Who answers (default `kommun`).
    #[serde(default)]
    pub party: Option<Party>,
}

/// `POST /api/staff/pins/status`: one state and answer for many pins (a hotspot, a selection).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkStatusChange {
    pub pins: Vec<Uuid>,
    pub status: PinStatus,
    #[serde(default)]
    pub response: Option<String>,
    #[serde(default)]
    pub reason: Option<NoActionReason>,
    #[serde(default)]
    pub party: Option<Party>,
}

/// The answer to a bulk change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkStatusResult {
    /// Pins changed.
    pub changed: u32,
    /// Ids that are no pin (deleted meanwhile).
    pub missing: Vec<Uuid>,
}

/// A dated, public progress note on an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionNote {
    /// Local date, `YYYY-MM-DD`.
    pub date: String,
    pub text: String,
}

/// An action of the handlingsplan, as anyone may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub party: ActionParty,
    /// The other party's name, when `party` is `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_name: Option<String>,
    /// Where: the point, or the centre of the area.
    pub lat: f64,
    pub lon: f64,
    /// The area as a closed ring of `[lon, lat]`, when drawn or taken from a hotspot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Vec<[f64; 2]>>,
    /// Local dates, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_on: Option<String>,
    pub state: ActionState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Oldest first.
    pub notes: Vec<ActionNote>,
    /// Linked pins (public: visible ones only).
    pub pins: Vec<Uuid>,
    /// Categories of the linked pins, most common first (for filtering "Vad händer?").
    pub categories: Vec<Category>,
    pub dialogues: Vec<Uuid>,
    /// The tätort its place lies in, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_name: Option<String>,
    /// RFC 3339, Europe/Stockholm.
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /api/actions`, `PUT /api/actions/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub party: ActionParty,
    #[serde(default)]
    pub party_name: Option<String>,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub area: Option<Vec<[f64; 2]>>,
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub target_on: Option<String>,
    pub state: ActionState,
    #[serde(default)]
    pub cancel_reason: Option<String>,
    /// Linked pins (planners and admins only; organisers send `[]` or the current list).
    #[serde(default)]
    pub pins: Vec<Uuid>,
    #[serde(default)]
    pub dialogues: Vec<Uuid>,
    /// Set linked pins to *Åtgärd planerad*, and to *Åtgärdad* when the action is done
    /// (default true).
    #[serde(default = "yes")]
    pub update_pins: bool,
}

fn yes() -> bool {
    true
}

/// `POST /api/actions/{id}/notes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    pub text: String,
}

/// What a dialogue session came to ("Vad vi hörde").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DialogueOutcome {
    pub summary: String,
    pub participants: u32,
    pub themes: Vec<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_themes: Option<String>,
    /// Actions decided there.
    pub actions: Vec<Uuid>,
    /// RFC 3339, Europe/Stockholm.
    pub closed_at: String,
}

/// `POST /api/dialogues/{id}/close`, after the session has ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseDialogue {
    pub summary: String,
    pub participants: u32,
    #[serde(default)]
    pub themes: Vec<Category>,
    #[serde(default)]
    pub other_themes: Option<String>,
    #[serde(default)]
    pub actions: Vec<Uuid>,
}

codes! {
    /// What an entry of "Vad händer?" is about.
    UpdateKind {
        /// A public answer on a pin.
        Answer = "answer",
        /// An action (new, changed state, or a note).
        Action = "action",
        /// A dialogue closed with its outcome.
        Dialogue = "dialogue",
    }
}

/// One entry of `GET /api/updates` ("Vad händer?"), newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Update {
    pub kind: UpdateKind,
    /// Local date, `YYYY-MM-DD`.
    pub date: String,
    /// The pin, action or dialogue.
    pub id: Uuid,
    /// The action's or dialogue's title; for answers, empty (the widget names the category).
    pub title: String,
    /// The answer, the note, the description or the summary.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PinStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_state: Option<ActionState>,
    /// The answering party (answers) or the responsible party's code (actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Where to show it (public grid for pins).
    pub lat: f64,
    pub lon: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_json() {
        for s in PinStatus::ALL {
            assert_eq!(PinStatus::parse(s.code()), Some(*s));
            assert_eq!(
                serde_json::to_string(s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        for s in ActionState::ALL {
            assert_eq!(ActionState::parse(s.code()), Some(*s));
        }
        assert_eq!(PinStatus::parse("closed"), None);
        assert!(PinStatus::Done.is_closed() && PinStatus::NoAction.is_closed());
        assert!(!PinStatus::Planned.is_closed());
    }

    #[test]
    fn inputs_refuse_unknown_fields_and_default_what_they_may() {
        let c: StatusChange = serde_json::from_str(r#"{"status":"investigating"}"#).unwrap();
        assert_eq!((c.response, c.reason, c.party), (None, None, None));
        assert!(serde_json::from_str::<StatusChange>(r#"{"status":"done","who":"anna"}"#).is_err());
        let a: ActionInput = serde_json::from_str(
            r#"{"title":"Belysning","party":"kommun","lat":59.39,"lon":15.84,"state":"planned"}"#,
        )
        .unwrap();
        assert!(a.update_pins && a.pins.is_empty());
    }
}
