use super::{on, Name, Storage, Time};

/// A staff account as the login needs it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub disabled: bool,
}

/// A live session with its user.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub username: String,
    pub role: String,
    pub disabled: bool,
    #[sqlx(try_from = "Time")]
    pub created_at: i64,
    #[sqlx(try_from = "Time")]
    pub last_seen_at: i64,
}

impl Storage {
    pub async fn user_by_name(&self, username: &str) -> Result<Option<UserRow>, sqlx::Error> {
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT id, username, password_hash, role, disabled FROM users WHERE username = $1",
        )
        .bind(Name::of(username))
        .fetch_optional(p)
        .await)
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let token_hash = token_hash.to_owned();
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
                     VALUES ($1, $2, $3, $3)",
                )
                .bind(&token_hash)
                .bind(user_id)
                .bind(Time(now))
                .execute(x)
                .await
                .map(|_| ()))
            })
        })
        .await
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT s.user_id, u.username, u.role, u.disabled, s.created_at, s.last_seen_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(p)
        .await)
    }

    pub async fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
        let token_hash = token_hash.to_owned();
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2"
                )
                .bind(Time(now))
                .bind(&token_hash)
                .execute(x)
                .await
                .map(|_| ()))
            })
        })
        .await
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        let token_hash = token_hash.to_owned();
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "DELETE FROM sessions WHERE token_hash = $1"
                )
                .bind(&token_hash)
                .execute(x)
                .await
                .map(|_| ()))
            })
        })
        .await
    }

    /// Removes sessions idle since `idle_before` or created before `created_before`.
    pub async fn purge_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<u64, sqlx::Error> {
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2"
                )
                .bind(Time(idle_before))
                .bind(Time(created_before))
                .execute(x)
                .await
                .map(|r| r.rows_affected()))
            })
        })
        .await
    }
}
