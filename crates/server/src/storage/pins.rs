use super::Storage;

/// A pin as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PinRow {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub category: String,
    pub time_of_day: String,
    pub comment: Option<String>,
    pub place_description: Option<String>,
    pub delete_token: String,
    pub created_at: i64,
    pub agree_count: i64,
    pub hidden: bool,
    pub comment_approved: bool,
    /// Why staff hid it (the latest hide).
    pub hidden_reason: Option<String>,
    /// State, public answer, action.
    #[sqlx(flatten)]
    pub follow_up: super::FollowUp,
}

/// The outcome of an insert keyed by the widget's id.
#[derive(Debug)]
pub enum Inserted {
    New(PinRow),
    /// A pin with this id already existed (a retry, or a clash).
    Existing(PinRow),
}

/// What `agree` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Agreed {
    Counted(i64),
    AlreadyCounted(i64),
    NoSuchPin,
}

const INSERT_NEW: &str = "INSERT INTO pins (id, lat, lon, category, time_of_day, comment,
        place_description, delete_token, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING
     RETURNING *";

impl Storage {
    /// Inserts the pin unless its id exists; either way returns the stored row. The row is
    /// committed (and, with synchronous=FULL, on disk) before this returns.
    pub async fn insert_pin(&self, row: &PinRow) -> Result<Inserted, sqlx::Error> {
        self.insert_pin_subscribed(row, None).await
    }

    /// [`Storage::insert_pin`], and for a new pin the resident's opt-in e-mail address (kept in
    /// its own table, see `docs/PRIVACY.md`), in the same transaction.
    pub async fn insert_pin_subscribed(
        &self,
        row: &PinRow,
        email: Option<String>,
    ) -> Result<Inserted, sqlx::Error> {
        let row = row.clone();
        let out = self
            .write(move |c| {
                Box::pin(async move {
                    let inserted: Option<PinRow> = sqlx::query_as(INSERT_NEW)
                        .bind(&row.id)
                        .bind(row.lat)
                        .bind(row.lon)
                        .bind(&row.category)
                        .bind(&row.time_of_day)
                        .bind(&row.comment)
                        .bind(&row.place_description)
                        .bind(&row.delete_token)
                        .bind(row.created_at)
                        .fetch_optional(&mut *c)
                        .await?;
                    if let Some(stored) = inserted {
                        if let Some(email) = email {
                            sqlx::query(
                                "INSERT INTO pin_subscriptions (pin_id, email, created_at)
                                 VALUES (?, ?, ?)",
                            )
                            .bind(&row.id)
                            .bind(email)
                            .bind(row.created_at)
                            .execute(&mut *c)
                            .await?;
                        }
                        return Ok(Inserted::New(stored));
                    }
                    let stored: PinRow = sqlx::query_as("SELECT * FROM pins WHERE id = ?")
                        .bind(&row.id)
                        .fetch_one(&mut *c)
                        .await?;
                    Ok(Inserted::Existing(stored))
                })
            })
            .await?;
        if matches!(out, Inserted::New(_)) {
            self.public_changed();
        }
        Ok(out)
    }

    /// Stores many pins in one transaction (imports and benchmarks); existing ids are kept.
    pub async fn import_pins(&self, rows: &[PinRow]) -> Result<u64, sqlx::Error> {
        let rows = rows.to_vec();
        let n = self
            .write(move |c| {
                Box::pin(async move {
                    let mut n = 0;
                    for row in &rows {
                        n += sqlx::query(
                            "INSERT INTO pins (id, lat, lon, category, time_of_day, comment,
                            place_description, delete_token, created_at, agree_count, hidden,
                            comment_approved, hidden_reason)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                         ON CONFLICT (id) DO NOTHING",
                        )
                        .bind(&row.id)
                        .bind(row.lat)
                        .bind(row.lon)
                        .bind(&row.category)
                        .bind(&row.time_of_day)
                        .bind(&row.comment)
                        .bind(&row.place_description)
                        .bind(&row.delete_token)
                        .bind(row.created_at)
                        .bind(row.agree_count)
                        .bind(row.hidden)
                        .bind(row.comment_approved)
                        .bind(&row.hidden_reason)
                        .execute(&mut *c)
                        .await?
                        .rows_affected();
                    }
                    Ok(n)
                })
            })
            .await?;
        self.public_changed();
        Ok(n)
    }

    pub async fn pin(&self, id: &str) -> Result<Option<PinRow>, sqlx::Error> {
        sqlx::query_as("SELECT * FROM pins WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await
    }

    /// Visible pins whose exact position lies in the box, oldest first.
    pub async fn public_pins(
        &self,
        bbox: Option<(f64, f64, f64, f64)>,
    ) -> Result<Vec<PinRow>, sqlx::Error> {
        let (min_lon, min_lat, max_lon, max_lat) = bbox.unwrap_or((-180.0, -90.0, 180.0, 90.0));
        sqlx::query_as(
            "SELECT * FROM pins WHERE hidden = 0 AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?
             ORDER BY created_at, id",
        )
        .bind(min_lon)
        .bind(max_lon)
        .bind(min_lat)
        .bind(max_lat)
        .fetch_all(self.pool())
        .await
    }

    /// Deletes the pin, and the sender's text from its moderation history.
    pub async fn delete_pin(&self, id: &str) -> Result<bool, sqlx::Error> {
        let id = id.to_owned();
        let deleted = self
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query("DELETE FROM pins WHERE id = ?")
                        .bind(&id)
                        .execute(&mut *c)
                        .await?;
                    sqlx::query(
                        "UPDATE moderation_log SET before = NULL, after = NULL
                     WHERE pin_id = ? AND action = 'edit_comment'",
                    )
                    .bind(&id)
                    .execute(&mut *c)
                    .await?;
                    Ok(done.rows_affected() == 1)
                })
            })
            .await?;
        self.public_changed();
        Ok(deleted)
    }

    /// Counts one agree per device (hashed id) on a visible pin. The check and the count are
    /// one write job, so N devices agreeing at once count exactly N.
    pub async fn agree(
        &self,
        pin_id: &str,
        device_hash: &str,
        now: i64,
    ) -> Result<Agreed, sqlx::Error> {
        let (pin_id, device_hash) = (pin_id.to_owned(), device_hash.to_owned());
        let out = self
            .write(move |c| {
                Box::pin(async move {
                    let exists: Option<(i64,)> =
                        sqlx::query_as("SELECT agree_count FROM pins WHERE id = ? AND hidden = 0")
                            .bind(&pin_id)
                            .fetch_optional(&mut *c)
                            .await?;
                    let Some((count,)) = exists else {
                        return Ok(Agreed::NoSuchPin);
                    };
                    let inserted = sqlx::query(
                        "INSERT INTO pin_agrees (pin_id, device_hash, created_at) VALUES (?, ?, ?)
                     ON CONFLICT DO NOTHING",
                    )
                    .bind(&pin_id)
                    .bind(&device_hash)
                    .bind(now)
                    .execute(&mut *c)
                    .await?
                    .rows_affected();
                    if inserted == 0 {
                        return Ok(Agreed::AlreadyCounted(count));
                    }
                    let (count,): (i64,) = sqlx::query_as(
                        "UPDATE pins SET agree_count = agree_count + 1 WHERE id = ?
                     RETURNING agree_count",
                    )
                    .bind(&pin_id)
                    .fetch_one(&mut *c)
                    .await?;
                    Ok(Agreed::Counted(count))
                })
            })
            .await?;
        if matches!(out, Agreed::Counted(_)) {
            self.public_changed();
        }
        Ok(out)
    }

    pub async fn count_pins(&self) -> Result<i64, sqlx::Error> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pins")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}
