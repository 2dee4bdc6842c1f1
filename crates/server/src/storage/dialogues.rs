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
    /// "Vad vi hörde", once closed.
    #[sqlx(flatten)]
    pub outcome: super::OutcomeRow,
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

impl Storage {
    /// All sessions, soonest first (staff: past ones too).
    pub async fn all_dialogues(&self) -> Result<Vec<DialogueRow>, sqlx::Error> {
        sqlx::query_as("SELECT * FROM dialogues ORDER BY starts_at, id")
            .fetch_all(self.pool())
            .await
    }

    pub async fn dialogue(&self, id: &str) -> Result<Option<DialogueRow>, sqlx::Error> {
        sqlx::query_as("SELECT * FROM dialogues WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await
    }

    pub async fn insert_dialogue(&self, d: &DialogueRow) -> Result<(), sqlx::Error> {
        let d = d.clone();
        self.write_one(
            sqlx::query(
                "INSERT INTO dialogues (id, title, description, starts_at, ends_at, place_name,
                    lat, lon, kind, organiser, online_url, registration_url, status,
                    cancel_reason, sequence, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(d.id)
            .bind(d.title)
            .bind(d.description)
            .bind(d.starts_at)
            .bind(d.ends_at)
            .bind(d.place_name)
            .bind(d.lat)
            .bind(d.lon)
            .bind(d.kind)
            .bind(d.organiser)
            .bind(d.online_url)
            .bind(d.registration_url)
            .bind(d.status)
            .bind(d.cancel_reason)
            .bind(d.sequence)
            .bind(d.created_at)
            .bind(d.updated_at),
        )
        .await?;
        Ok(())
    }

    /// Replaces the organiser-editable fields and bumps SEQUENCE. None: no such session.
    pub async fn update_dialogue(
        &self,
        d: &DialogueRow,
    ) -> Result<Option<DialogueRow>, sqlx::Error> {
        let d = d.clone();
        self.write_returning(
            sqlx::query_as(
                "UPDATE dialogues SET title = ?, description = ?, starts_at = ?, ends_at = ?,
                    place_name = ?, lat = ?, lon = ?, kind = ?, organiser = ?, online_url = ?,
                    registration_url = ?, sequence = sequence + 1, updated_at = ?
                 WHERE id = ? RETURNING *",
            )
            .bind(d.title)
            .bind(d.description)
            .bind(d.starts_at)
            .bind(d.ends_at)
            .bind(d.place_name)
            .bind(d.lat)
            .bind(d.lon)
            .bind(d.kind)
            .bind(d.organiser)
            .bind(d.online_url)
            .bind(d.registration_url)
            .bind(d.updated_at)
            .bind(d.id),
        )
        .await
    }

    pub async fn cancel_dialogue(
        &self,
        id: &str,
        reason: &str,
        now: i64,
    ) -> Result<Option<DialogueRow>, sqlx::Error> {
        self.write_returning(
            sqlx::query_as(
                "UPDATE dialogues SET status = 'cancelled', cancel_reason = ?,
                    sequence = sequence + 1, updated_at = ? WHERE id = ? RETURNING *",
            )
            .bind(reason.to_owned())
            .bind(now)
            .bind(id.to_owned()),
        )
        .await
    }
}
