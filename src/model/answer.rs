//! Answering pins (planners, admins): the state form on a pin's card and for many pins at once
//! ([`StatusForm`]), and which pins of the list are ticked for a bulk answer ([`BulkSelection`]).
//! The server checks the same rules (`server::followup::status_write`); checking here first
//! gives the message beside its field without a round trip.

use std::collections::BTreeSet;

use trygghetskarta_shared::followup::MAX_RESPONSE_CHARS;
use trygghetskarta_shared::{
    BulkStatusChange, NoActionReason, Party, PinStatus, StaffPin, StatusChange,
};
use uuid::Uuid;

/// A field to fix and why: the field's API name and an error code (`required`, `too_long`,
/// ...), as the server would name them; `Strings::followup_field_error` words it.
pub type FieldError = (&'static str, &'static str);

/// The answer form's fields as the inputs hold them.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusForm {
    pub status: PinStatus,
    /// Only sent with `no_action` (kept while another state is chosen, in case staff come back).
    pub reason: Option<NoActionReason>,
    pub party: Party,
    /// The public answer as typed; empty removes it.
    pub response: String,
}

impl Default for StatusForm {
    /// For many pins at once: "Vi undersöker" from the kommun, no answer yet.
    fn default() -> StatusForm {
        StatusForm {
            status: PinStatus::Investigating,
            reason: None,
            party: Party::Kommun,
            response: String::new(),
        }
    }
}

impl StatusForm {
    /// The form for one pin: its state, reason and answer as they are now.
    pub fn from_pin(pin: &StaffPin) -> StatusForm {
        StatusForm {
            status: pin.status,
            reason: pin.status_reason,
            party: pin.response.as_ref().map_or(Party::Kommun, |r| r.party),
            response: pin
                .response
                .as_ref()
                .map(|r| r.text.clone())
                .unwrap_or_default(),
        }
    }

    /// Characters of the answer as the server counts them (trimmed).
    pub fn response_chars(&self) -> usize {
        self.response.trim().chars().count()
    }

    /// Characters left before the limit (negative when over it).
    pub fn chars_left(&self) -> i64 {
        MAX_RESPONSE_CHARS as i64 - self.response_chars() as i64
    }

    /// The request for one pin, or the first field to fix.
    pub fn to_change(&self) -> Result<StatusChange, FieldError> {
        let reason = match (self.status, self.reason) {
            (PinStatus::NoAction, None) => return Err(("reason", "required")),
            (PinStatus::NoAction, r) => r,
            _ => None,
        };
        if self.chars_left() < 0 {
            return Err(("response", "too_long"));
        }
        let response = self.response.trim().to_owned();
        if response.is_empty()
            && matches!(
                reason,
                Some(NoActionReason::NotOurs | NoActionReason::Other)
            )
        {
            return Err(("response", "required"));
        }
        Ok(StatusChange {
            status: self.status,
            response: Some(response),
            reason,
            party: Some(self.party),
        })
    }

    /// The request for many pins (one state and answer for all), or the first field to fix.
    pub fn to_bulk(&self, pins: Vec<Uuid>) -> Result<BulkStatusChange, FieldError> {
        if pins.is_empty() {
            return Err(("pins", "required"));
        }
        let c = self.to_change()?;
        Ok(BulkStatusChange {
            pins,
            status: c.status,
            response: c.response,
            reason: c.reason,
            party: c.party,
        })
    }
}

/// The pins ticked in the list for "Svara alla markerade": any of the selection, across pages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BulkSelection {
    ids: BTreeSet<Uuid>,
}

impl BulkSelection {
    pub fn toggle(&mut self, id: Uuid) {
        if !self.ids.remove(&id) {
            self.ids.insert(id);
        }
    }

    pub fn contains(&self, id: &Uuid) -> bool {
        self.ids.contains(id)
    }

    /// Ticks every pin of the selection ("Markera alla N i urvalet").
    pub fn select_all(&mut self, ids: impl IntoIterator<Item = Uuid>) {
        self.ids.extend(ids);
    }

    pub fn clear(&mut self) {
        self.ids.clear();
    }

    /// Forgets pins that are no longer in the selection (the filters changed).
    pub fn keep_only(&mut self, shown: &[Uuid]) {
        let shown: BTreeSet<&Uuid> = shown.iter().collect();
        self.ids.retain(|id| shown.contains(id));
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn ids(&self) -> Vec<Uuid> {
        self.ids.iter().copied().collect()
    }
}
