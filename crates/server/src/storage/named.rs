//! Places staff name, and staff accounts' dates (last login, "since last meeting").

use super::{on, Date, Id, Maybe, Sql, Storage, Time};

/// A named place as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct NamedPlaceRow {
    #[sqlx(try_from = "Id")]
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_m: Option<f64>,
    /// JSON ring.
    pub polygon: Option<String>,
    #[sqlx(try_from = "Time")]
    pub created_at: i64,
    #[sqlx(try_from = "Time")]
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

/// Places by name, case-insensitively (`COLLATE NOCASE` / `citext`).
const NAMED_PLACES: Sql = Sql {
    sqlite: "SELECT * FROM named_places ORDER BY name COLLATE NOCASE",
    postgres: "SELECT * FROM named_places ORDER BY name",
};

impl Storage {
    pub async fn named_places(&self) -> Result<Vec<NamedPlaceRow>, sqlx::Error> {
        let sql = NAMED_PLACES.of(self.kind());
        on!(self.pool(), |p| sqlx::query_as(sql).fetch_all(p).await)
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
            .write1(move |mut c| {
                Box::pin(async move {
                    let sql = if insert {
                        "INSERT INTO named_places (name, lat, lon, radius_m, polygon,
                            updated_at, id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    } else {
                        "UPDATE named_places SET name = $1, lat = $2, lon = $3, radius_m = $4,
                            polygon = $5, updated_at = $6 WHERE id = $7"
                    };
                    on!(c, |x| {
                        let q = sqlx::query(sql)
                            .bind(&p.name)
                            .bind(p.lat)
                            .bind(p.lon)
                            .bind(p.radius_m)
                            .bind(&p.polygon)
                            .bind(Time(p.updated_at))
                            .bind(Id::of(&p.id));
                        let q = if insert {
                            q.bind(Time(p.created_at))
                        } else {
                            q
                        };
                        q.execute(x).await.map(|r| r.rows_affected())
                    })
                })
            })
            .await;
        match done {
            Ok(n) => Ok(n == 1),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(SavePlaceError::NameTaken(name))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete_named_place(&self, id: &str) -> Result<bool, sqlx::Error> {
        let id = id.to_owned();
        let done = self
            .write1(move |mut c| {
                Box::pin(async move {
                    on!(c, |x| sqlx::query("DELETE FROM named_places WHERE id = $1")
                        .bind(Id::of(&id))
                        .execute(x)
                        .await
                        .map(|r| r.rows_affected()))
                })
            })
            .await?;
        Ok(done == 1)
    }

    /// Notes a successful login.
    pub async fn logged_in(&self, user_id: i64, now: i64) -> Result<(), sqlx::Error> {
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "UPDATE users SET last_login_at = $1 WHERE id = $2"
                )
                .bind(Time(now))
                .bind(user_id)
                .execute(x)
                .await
                .map(|_| ()))
            })
        })
        .await
    }

    /// The "since last meeting" date of a staff member.
    pub async fn since_date(&self, user_id: i64) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(Maybe<Date>,)> = on!(self.pool(), |p| sqlx::query_as(
            "SELECT since_date FROM users WHERE id = $1"
        )
        .bind(user_id)
        .fetch_optional(p)
        .await)?;
        Ok(row.and_then(|(d,)| d.into()))
    }

    pub async fn set_since_date(
        &self,
        user_id: i64,
        date: Option<String>,
    ) -> Result<(), sqlx::Error> {
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "UPDATE users SET since_date = $1 WHERE id = $2"
                )
                .bind(date.clone().map(Date))
                .bind(user_id)
                .execute(x)
                .await
                .map(|_| ()))
            })
        })
        .await
    }
}
