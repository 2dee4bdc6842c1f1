//! Reports waiting on the device until the network lets them through. Pure: the component
//! stores [`Outbox::to_json`] in localStorage and calls these methods.

use serde::{Deserialize, Serialize};
use trygghetskarta_shared::NewPin;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub pin: NewPin,
    pub attempts: u32,
    /// Earliest next try, ms since the epoch.
    pub next_try: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub pending: Vec<Pending>,
}

/// First retry after 5 s, doubling, at most every 10 minutes.
pub fn backoff_ms(attempts: u32) -> f64 {
    (5_000.0 * f64::from(attempts.min(16)).exp2()).min(600_000.0)
}

impl Outbox {
    /// Reads what localStorage held; anything unreadable is an empty outbox rather than an error
    /// that would block reporting.
    pub fn from_json(text: Option<&str>) -> Outbox {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }

    /// Whether what localStorage holds has a waiting report, without reading it all (so the
    /// first screen need not carry the outbox's code: `Pending` serialises with a `"pin"`).
    pub fn stored_has_pending(text: Option<&str>) -> bool {
        text.is_some_and(|t| t.contains("\"pin\""))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data serialises")
    }

    /// Adds a report that could not be sent now (once: the id is the report).
    pub fn push(&mut self, pin: NewPin, now: f64) {
        if self.pending.iter().any(|p| p.pin.id == pin.id) {
            return;
        }
        self.pending.push(Pending {
            pin,
            attempts: 1,
            next_try: now + backoff_ms(0),
        });
    }

    /// Reports to try now. `force` (the browser came online, a new visit) ignores the backoff.
    pub fn due(&self, now: f64, force: bool) -> Vec<NewPin> {
        self.pending
            .iter()
            .filter(|p| force || p.next_try <= now)
            .map(|p| p.pin.clone())
            .collect()
    }

    /// The server has it (201 or 200): done.
    pub fn delivered(&mut self, id: Uuid) {
        self.pending.retain(|p| p.pin.id != id);
    }

    /// Still no network, or the server failed: wait longer.
    pub fn failed(&mut self, id: Uuid, now: f64) {
        if let Some(p) = self.pending.iter_mut().find(|p| p.pin.id == id) {
            p.next_try = now + backoff_ms(p.attempts);
            p.attempts += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}
