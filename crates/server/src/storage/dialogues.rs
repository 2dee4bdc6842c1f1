use super::{on, Id, Storage, Time};

/// A dialogue as stored: times in Unix seconds (UTC).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DialogueRow {
    #[sqlx(try_from = "Id")]
    pub id: String,
    pub title: String,
    pub description: String,
    #[sqlx(try_from = "Time")]
    pub starts_at: i64,
    #[sqlx(try_from = "Time")]
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
    #[sqlx(try_from = "Time")]
    pub created_at: i64,
    #[sqlx(try_from = "Time")]
    pub updated_at: i64,
    /// "Vad vi hörde", once closed.
    #[sqlx(flatten)]
    pub outcome: super::OutcomeRow,
}

impl Storage {
    /// Sessions that have not ended at `now` (Unix seconds), soonest first.
    pub async fn upcoming_dialogues(&self, now: i64) -> Result<Vec<DialogueRow>, sqlx::Error> {
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT * FROM dialogues WHERE ends_at > $1 ORDER BY starts_at, id"
        )
        .bind(Time(now))
        .fetch_all(p)
        .await)
    }

    /// All sessions, soonest first (staff: past ones too).
    pub async fn all_dialogues(&self) -> Result<Vec<DialogueRow>, sqlx::Error> {
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT * FROM dialogues ORDER BY starts_at, id"
        )
        .fetch_all(p)
        .await)
    }

    pub async fn dialogue(&self, id: &str) -> Result<Option<DialogueRow>, sqlx::Error> {
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT * FROM dialogues WHERE id = $1"
        )
        .bind(Id::of(id))
        .fetch_optional(p)
        .await)
    }

    pub async fn insert_dialogue(&self, d: &DialogueRow) -> Result<(), sqlx::Error> {
        let d = d.clone();
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "INSERT INTO dialogues (id, title, description, starts_at, ends_at,
                        place_name, lat, lon, kind, organiser, online_url, registration_url,
                        status, cancel_reason, sequence, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                        $16, $17)",
                )
                .bind(Id::of(&d.id))
                .bind(&d.title)
                .bind(&d.description)
                .bind(Time(d.starts_at))
                .bind(Time(d.ends_at))
                .bind(&d.place_name)
                .bind(d.lat)
                .bind(d.lon)
                .bind(&d.kind)
                .bind(&d.organiser)
                .bind(&d.online_url)
                .bind(&d.registration_url)
                .bind(&d.status)
                .bind(&d.cancel_reason)
                .bind(d.sequence)
                .bind(Time(d.created_at))
                .bind(Time(d.updated_at))
                .execute(x)
                .await
                .map(|_| ()))
            })
        })
        .await
    }

    /// Replaces the organiser-editable fields and bumps SEQUENCE. None: no such session.
    pub async fn update_dialogue(
        &self,
        d: &DialogueRow,
    ) -> Result<Option<DialogueRow>, sqlx::Error> {
        let d = d.clone();
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query_as(
                    "UPDATE dialogues SET title = $1, description = $2, starts_at = $3,
                        ends_at = $4, place_name = $5, lat = $6, lon = $7, kind = $8,
                        organiser = $9, online_url = $10, registration_url = $11,
                        sequence = sequence + 1, updated_at = $12
                     WHERE id = $13 RETURNING *",
                )
                .bind(&d.title)
                .bind(&d.description)
                .bind(Time(d.starts_at))
                .bind(Time(d.ends_at))
                .bind(&d.place_name)
                .bind(d.lat)
                .bind(d.lon)
                .bind(&d.kind)
                .bind(&d.organiser)
                .bind(&d.online_url)
                .bind(&d.registration_url)
                .bind(Time(d.updated_at))
                .bind(Id::of(&d.id))
                .fetch_optional(x)
                .await)
            })
        })
        .await
    }

    pub async fn cancel_dialogue(
        &self,
        id: &str,
        reason: &str,
        now: i64,
    ) -> Result<Option<DialogueRow>, sqlx::Error> {
        let (id, reason) = (id.to_owned(), reason.to_owned());
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query_as(
                    "UPDATE dialogues SET status = 'cancelled', cancel_reason = $1,
                        sequence = sequence + 1, updated_at = $2 WHERE id = $3 RETURNING *",
                )
                .bind(&reason)
                .bind(Time(now))
                .bind(Id::of(&id))
                .fetch_optional(x)
                .await)
            })
        })
        .await
    }
}
