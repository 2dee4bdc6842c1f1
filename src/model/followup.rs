//! Återkoppling for residents: which of this device's pins have a new answer since the last
//! visit (remembered on the device only), the labels of states, reasons, parties and actions,
//! and the filters of "Vad händer?".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use trygghetskarta_shared::{
    ActionParty, ActionState, Category, DialogueOrganiser, NoActionReason, Party, PinStatus,
    PublicPin, TimeOfDay, Update, UpdateKind,
};
use uuid::Uuid;

use crate::i18n::{lowercase, Strings};
pub use crate::model::staff::encode;

/// What this device last saw of its own pins: pin → what it showed (state, when it changed,
/// the answer), so a change within the same second still counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    pub pins: BTreeMap<Uuid, String>,
}

impl Seen {
    pub fn from_json(text: Option<&str>) -> Seen {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data serialises")
    }

    /// The pins whose state or answer changed since the device last showed them (a pin that
    /// has changed at all and was never shown counts too).
    pub fn new_answers(&self, pins: &[PublicPin]) -> Vec<Uuid> {
        pins.iter()
            .filter(|p| fingerprint(p).is_some_and(|f| self.pins.get(&p.id) != Some(&f)))
            .map(|p| p.id)
            .collect()
    }

    /// Remembers what the device shows now (for the next visit), forgetting pins it no longer
    /// has.
    pub fn saw(&mut self, pins: &[PublicPin], mine: &[Uuid]) {
        for p in pins {
            if let Some(f) = fingerprint(p) {
                self.pins.insert(p.id, f);
            }
        }
        self.pins.retain(|id, _| mine.contains(id));
    }
}

/// What a device remembers of a pin's answer; `None` while nothing has happened to it.
fn fingerprint(p: &PublicPin) -> Option<String> {
    let changed = p.status_changed_at.as_ref()?;
    let answer = p.response.as_ref().map_or("", |r| r.text.as_str());
    Some(format!("{}|{changed}|{answer}", p.status.code()))
}

/// The filters of "Vad händer?" as a query string (`area`, `category`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpdatesFilter {
    pub area: String,
    pub category: Option<Category>,
}

impl UpdatesFilter {
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if !self.area.trim().is_empty() {
            parts.push(format!("area={}", encode(self.area.trim())));
        }
        if let Some(c) = self.category {
            parts.push(format!("category={}", c.code()));
        }
        parts.join("&")
    }
}

// The labels of the follow-up's codes; defined here, beside their use, so that i18n depends on
// nothing in the widget.
impl Strings {
    /// "Du har 1 nytt svar", "Du har 3 nya svar".
    pub fn new_answers(&self, n: usize) -> String {
        if n == 1 {
            self.new_answer_one.to_owned()
        } else {
            crate::i18n::fill(self.new_answers_many, n)
        }
    }

    pub fn pin_status(&self, st: PinStatus) -> &'static str {
        match st {
            PinStatus::Received => self.status_received,
            PinStatus::Investigating => self.status_investigating,
            PinStatus::Planned => self.status_planned,
            PinStatus::Done => self.status_done,
            PinStatus::NoAction => self.status_no_action,
        }
    }

    pub fn no_action_reason(&self, r: NoActionReason) -> &'static str {
        match r {
            NoActionReason::NotOurs => self.reason_not_ours,
            NoActionReason::Duplicate => self.reason_duplicate,
            NoActionReason::Cannot => self.reason_cannot,
            NoActionReason::Other => self.reason_other,
        }
    }

    pub fn party(&self, p: Party) -> &'static str {
        match p {
            Party::Kommun => self.party_kommun,
            Party::Polis => self.party_polis,
        }
    }

    /// The responsible party of an action (its name when it is another one).
    pub fn action_party(&self, p: ActionParty, name: Option<&str>) -> String {
        match p {
            ActionParty::Kommun => self.party_kommun.to_owned(),
            ActionParty::Polis => self.party_polis.to_owned(),
            ActionParty::Both => self.party_both.to_owned(),
            ActionParty::Other => name.unwrap_or(self.party_other).to_owned(),
        }
    }

    pub fn action_state(&self, st: ActionState) -> &'static str {
        match st {
            ActionState::Planned => self.action_planned,
            ActionState::Ongoing => self.action_ongoing,
            ActionState::Done => self.action_done,
            ActionState::Cancelled => self.action_cancelled,
        }
    }

    pub fn update_kind(&self, k: UpdateKind) -> &'static str {
        match k {
            UpdateKind::Answer => self.kind_answer,
            UpdateKind::Action => self.kind_action,
            UpdateKind::Dialogue => self.kind_dialogue_done,
        }
    }

    /// What an entry of "Vad händer?" is called: its title, or for an answer its category and
    /// state.
    pub fn update_title(&self, u: &Update) -> String {
        match (u.kind, u.category, u.status) {
            (UpdateKind::Answer, Some(c), Some(st)) => {
                format!("{}: {}", self.category(c), self.pin_status(st))
            }
            _ => u.title.clone(),
        }
    }

    /// Who an entry is from.
    pub fn update_party(&self, u: &Update) -> Option<String> {
        let code = u.party.as_deref()?;
        match u.kind {
            UpdateKind::Answer => Party::parse(code).map(|p| self.party(p).to_owned()),
            UpdateKind::Action => {
                ActionParty::parse(code).map(|p| self.action_party(p, u.party_name.as_deref()))
            }
            UpdateKind::Dialogue => {
                DialogueOrganiser::parse(code).map(|o| self.organiser(o).to_owned())
            }
        }
    }

    /// A pin marker's accessible name: category and time of day, and its state once it has
    /// one beyond "Mottagen".
    pub fn pin_label(&self, p: &PublicPin) -> String {
        self.pin_marker_label(p.category, p.time_of_day, p.status)
    }

    /// [`Strings::pin_label`] from the codes alone (what a pin tile carries).
    pub fn pin_marker_label(
        &self,
        category: Category,
        time: TimeOfDay,
        status: PinStatus,
    ) -> String {
        let base = format!(
            "{}, {}",
            self.category(category),
            lowercase(self.time_of_day(time))
        );
        match status {
            PinStatus::Received => base,
            st => format!("{base}: {}", lowercase(self.pin_status(st))),
        }
    }
}
