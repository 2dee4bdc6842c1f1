use super::Storage;

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
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl Storage {
    pub async fn user_by_name(&self, username: &str) -> Result<Option<UserRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, username, password_hash, role, disabled FROM users WHERE username = ?",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        self.write_one(
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(token_hash.to_owned())
            .bind(user_id)
            .bind(now)
            .bind(now),
        )
        .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT s.user_id, u.username, u.role, u.disabled, s.created_at, s.last_seen_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await
    }

    pub async fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
        self.write_one(
            sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
                .bind(now)
                .bind(token_hash.to_owned()),
        )
        .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        self.write_one(
            sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash.to_owned()),
        )
        .await?;
        Ok(())
    }

    /// Removes sessions idle since `idle_before` or created before `created_before`.
    pub async fn purge_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<u64, sqlx::Error> {
        let done = self
            .write_one(
                sqlx::query("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?")
                    .bind(idle_before)
                    .bind(created_before),
            )
            .await?;
        Ok(done.rows_affected())
    }
}
