use super::{on, Conn, Maybe, Name, Sql, Stamp, Storage, Time};

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
        let (username, password_hash, role, created_at) = (
            user.username.to_owned(),
            user.password_hash.to_owned(),
            user.role.to_owned(),
            user.created_at.to_owned(),
        );
        let result = self
            .write1(move |mut c| {
                Box::pin(async move {
                    on!(c, |x| sqlx::query_as(
                        "INSERT INTO users (username, password_hash, role, created_at)
                         VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(Name::of(&username))
                    .bind(&password_hash)
                    .bind(&role)
                    .bind(Stamp(created_at))
                    .fetch_one(x)
                    .await
                    .map(|(id,): (i64,)| id))
                })
            })
            .await;
        match result {
            Ok(id) => Ok(id),
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
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT password_hash, role FROM users WHERE username = $1"
        )
        .bind(Name::of(username))
        .fetch_optional(p)
        .await)
    }
}

/// Logs an account out everywhere.
async fn end_sessions(c: &mut Conn<'_>, username: &str) -> Result<(), sqlx::Error> {
    on!(c, |x| sqlx::query(
        "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)"
    )
    .bind(Name::of(username))
    .execute(x)
    .await
    .map(|_| ()))
}

/// A staff account as `user list` shows it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UserSummary {
    pub username: String,
    pub role: String,
    pub disabled: bool,
    #[sqlx(try_from = "Stamp")]
    pub created_at: String,
    #[sqlx(try_from = "Maybe<Time>")]
    pub last_login_at: Option<i64>,
}

/// Accounts by name, case-insensitively (the name column is `COLLATE NOCASE` / `citext`).
const LIST_USERS: Sql = Sql {
    sqlite: "SELECT username, role, disabled, created_at, last_login_at FROM users
             ORDER BY username COLLATE NOCASE",
    postgres: "SELECT username, role, disabled, created_at, last_login_at FROM users
               ORDER BY username",
};

impl Storage {
    pub async fn list_users(&self) -> Result<Vec<UserSummary>, sqlx::Error> {
        let sql = LIST_USERS.of(self.kind());
        on!(self.pool(), |p| sqlx::query_as(sql).fetch_all(p).await)
    }

    /// Disables or enables an account; disabling ends its sessions. False: no such user.
    pub async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
    ) -> Result<bool, sqlx::Error> {
        let username = username.to_owned();
        self.write(move |mut c| {
            Box::pin(async move {
                let done = on!(c, |x| sqlx::query(
                    "UPDATE users SET disabled = $1 WHERE username = $2"
                )
                .bind(disabled)
                .bind(Name::of(&username))
                .execute(x)
                .await?
                .rows_affected());
                if disabled {
                    end_sessions(&mut c, &username).await?;
                }
                Ok(done == 1)
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
        self.write(move |mut c| {
            Box::pin(async move {
                let done = on!(c, |x| sqlx::query(
                    "UPDATE users SET password_hash = $1 WHERE username = $2"
                )
                .bind(&password_hash)
                .bind(Name::of(&username))
                .execute(x)
                .await?
                .rows_affected());
                end_sessions(&mut c, &username).await?;
                Ok(done == 1)
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
        let name_owned = name.to_owned();
        let value: Vec<u8> = self
            .write1(move |mut c| {
                Box::pin(async move {
                    // The no-op update makes RETURNING give the stored value when it exists.
                    on!(c, |x| sqlx::query_as(
                        "INSERT INTO secrets (name, value) VALUES ($1, $2)
                         ON CONFLICT (name) DO UPDATE SET value = secrets.value RETURNING value",
                    )
                    .bind(&name_owned)
                    .bind(fresh.to_vec())
                    .fetch_one(x)
                    .await
                    .map(|(v,): (Vec<u8>,)| v))
                })
            })
            .await?;
        value
            .try_into()
            .map_err(|_| sqlx::Error::Protocol(format!("secret {name:?} is not 32 bytes")))
    }
}
