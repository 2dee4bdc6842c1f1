//! Places staff name, and staff accounts' dates (last login, "since last meeting").

use super::Storage;

/// A named place as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct NamedPlaceRow {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_m: Option<f64>,
    /// JSON ring.
    pub polygon: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Why a named place could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SavePlaceError {
    #[error("a place named {0:?} exists already")]
    NameTaken(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl Storage {
    pub async fn named_places(&self) -> Result<Vec<NamedPlaceRow>, sqlx::Error> {
        sqlx::query_as("SELECT * FROM named_places ORDER BY name COLLATE NOCASE")
            .fetch_all(self.pool())
            .await
    }

    /// Creates or replaces a named place; `Ok(false)`: no place with this id to replace.
    pub async fn save_named_place(
        &self,
        p: &NamedPlaceRow,
        insert: bool,
    ) -> Result<bool, SavePlaceError> {
        let p = p.clone();
        let name = p.name.clone();
        let done = self
            .write(move |c| {
                Box::pin(async move {
                    let q = if insert {
                        sqlx::query(
                            "INSERT INTO named_places (name, lat, lon, radius_m, polygon,
                                updated_at, id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        )
                    } else {
                        sqlx::query(
                            "UPDATE named_places SET name = ?, lat = ?, lon = ?, radius_m = ?,
                                polygon = ?, updated_at = ? WHERE id = ?",
                        )
                    };
                    let q = q
                        .bind(&p.name)
                        .bind(p.lat)
                        .bind(p.lon)
                        .bind(p.radius_m)
                        .bind(&p.polygon)
                        .bind(p.updated_at)
                        .bind(&p.id);
                    let q = if insert { q.bind(p.created_at) } else { q };
                    q.execute(&mut *c).await
                })
            })
            .await;
        match done {
            Ok(r) => Ok(r.rows_affected() == 1),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(SavePlaceError::NameTaken(name))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete_named_place(&self, id: &str) -> Result<bool, sqlx::Error> {
        let done = self
            .write_one(sqlx::query("DELETE FROM named_places WHERE id = ?").bind(id.to_owned()))
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Notes a successful login.
    pub async fn logged_in(&self, user_id: i64, now: i64) -> Result<(), sqlx::Error> {
        self.write_one(
            sqlx::query("UPDATE users SET last_login_at = ? WHERE id = ?")
                .bind(now)
                .bind(user_id),
        )
        .await?;
        Ok(())
    }

    /// The "since last meeting" date of a staff member.
    pub async fn since_date(&self, user_id: i64) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT since_date FROM users WHERE id = ?")
                .bind(user_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.and_then(|(d,)| d))
    }

    pub async fn set_since_date(
        &self,
        user_id: i64,
        date: Option<String>,
    ) -> Result<(), sqlx::Error> {
        self.write_one(
            sqlx::query("UPDATE users SET since_date = ? WHERE id = ?")
                .bind(date)
                .bind(user_id),
        )
        .await?;
        Ok(())
    }
}
