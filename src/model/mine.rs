//! "Mina markeringar": the reports sent from this device, kept in localStorage with the secret
//! that lets the sender delete them.

use serde::{Deserialize, Serialize};
use trygghetskarta_shared::{Category, TimeOfDay};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyPin {
    pub id: Uuid,
    /// The exact place (only this device knows it; the public map shows the grid cell).
    pub lat: f64,
    pub lon: f64,
    pub category: Category,
    pub time_of_day: TimeOfDay,
    /// Local date the report was made, `YYYY-MM-DD`.
    pub date: String,
    /// Set once the server has acknowledged the report; `None` while it waits in the outbox.
    pub delete_token: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Mine {
    pub pins: Vec<MyPin>,
}

impl Mine {
    pub fn from_json(text: Option<&str>) -> Mine {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data serialises")
    }

    /// Adds or updates (same id) a report.
    pub fn upsert(&mut self, pin: MyPin) {
        match self.pins.iter_mut().find(|p| p.id == pin.id) {
            Some(existing) => {
                let token = pin.delete_token.clone().or(existing.delete_token.take());
                *existing = MyPin {
                    delete_token: token,
                    ..pin
                };
            }
            None => self.pins.push(pin),
        }
    }

    pub fn acknowledged(&mut self, id: Uuid, token: String) {
        if let Some(p) = self.pins.iter_mut().find(|p| p.id == id) {
            p.delete_token = Some(token);
        }
    }

    pub fn remove(&mut self, id: Uuid) {
        self.pins.retain(|p| p.id != id);
    }
}
