use super::Storage;

/// A dialogue as stored: times in Unix seconds (UTC).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DialogueRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place_name: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: String,
    pub organiser: String,
    pub online_url: Option<String>,
    pub registration_url: Option<String>,
    pub status: String,
    pub cancel_reason: Option<String>,
    pub sequence: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Storage {
    /// Sessions that have not ended at `now` (Unix seconds), soonest first.
    pub async fn upcoming_dialogues(&self, now: i64) -> Result<Vec<DialogueRow>, sqlx::Error> {
        sqlx::query_as("SELECT * FROM dialogues WHERE ends_at > ? ORDER BY starts_at, id")
            .bind(now)
            .fetch_all(self.pool())
            .await
    }
}
