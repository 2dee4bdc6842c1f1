use sqlx::sqlite::SqliteConnection;

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
        let result = self
            .write_one(
                sqlx::query(
                    "INSERT INTO users (username, password_hash, role, created_at)
                     VALUES (?, ?, ?, ?)",
                )
                .bind(user.username.to_owned())
                .bind(user.password_hash.to_owned())
                .bind(user.role.to_owned())
                .bind(user.created_at.to_owned()),
            )
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

/// Logs an account out everywhere.
async fn end_sessions(c: &mut SqliteConnection, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)")
        .bind(username)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// A staff account as `user list` shows it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UserSummary {
    pub username: String,
    pub role: String,
    pub disabled: bool,
    pub created_at: String,
    pub last_login_at: Option<i64>,
}

impl Storage {
    pub async fn list_users(&self) -> Result<Vec<UserSummary>, sqlx::Error> {
        sqlx::query_as(
            "SELECT username, role, disabled, created_at, last_login_at FROM users
             ORDER BY username COLLATE NOCASE",
        )
        .fetch_all(self.pool())
        .await
    }

    /// Disables or enables an account; disabling ends its sessions. False: no such user.
    pub async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
    ) -> Result<bool, sqlx::Error> {
        let username = username.to_owned();
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query("UPDATE users SET disabled = ? WHERE username = ?")
                    .bind(disabled)
                    .bind(&username)
                    .execute(&mut *c)
                    .await?;
                if disabled {
                    end_sessions(c, &username).await?;
                }
                Ok(done.rows_affected() == 1)
            })
        })
        .await
    }

    /// Sets a new password hash and ends the account's sessions. False: no such user.
    pub async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
    ) -> Result<bool, sqlx::Error> {
        let (username, password_hash) = (username.to_owned(), password_hash.to_owned());
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query("UPDATE users SET password_hash = ? WHERE username = ?")
                    .bind(&password_hash)
                    .bind(&username)
                    .execute(&mut *c)
                    .await?;
                end_sessions(c, &username).await?;
                Ok(done.rows_affected() == 1)
            })
        })
        .await
    }
}

impl Storage {
    /// The 32-byte server secret `name`, made at random the first time it is asked for.
    pub async fn secret(&self, name: &str) -> Result<[u8; 32], sqlx::Error> {
        let mut fresh = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut fresh);
        let (value,): (Vec<u8>,) = self
            .write_returning(
                // The no-op update makes RETURNING give the stored value when it exists.
                sqlx::query_as(
                    "INSERT INTO secrets (name, value) VALUES (?, ?)
                     ON CONFLICT (name) DO UPDATE SET value = value RETURNING value",
                )
                .bind(name.to_owned())
                .bind(fresh.to_vec()),
            )
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        value
            .try_into()
            .map_err(|_| sqlx::Error::Protocol(format!("secret {name:?} is not 32 bytes")))
    }
}
