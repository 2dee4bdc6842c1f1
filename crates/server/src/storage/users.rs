use super::Storage;

/// A staff account about to be created. The password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub created_at: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("a user named {0:?} already exists")]
    Exists(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl Storage {
    pub async fn create_user(&self, user: &NewUser<'_>) -> Result<i64, CreateUserError> {
        let result = sqlx::query(
            "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(user.username)
        .bind(user.password_hash)
        .bind(user.role)
        .bind(user.created_at)
        .execute(self.pool())
        .await;
        match result {
            Ok(done) => Ok(done.last_insert_rowid()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(CreateUserError::Exists(user.username.to_owned()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The stored argon2 hash and role of an account, for checks and tests.
    pub async fn user_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(String, String)>, sqlx::Error> {
        sqlx::query_as("SELECT password_hash, role FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(self.pool())
            .await
    }
}
