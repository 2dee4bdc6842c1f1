//! The only module that speaks SQL. Everything above it works with plain Rust values.
//!
//! SQLite is the embedded default: one file, WAL journal, `synchronous=FULL` so that a row the
//! API has acknowledged survives a power cut. PostgreSQL will come in behind the same functions.

mod dialogues;
mod pins;
mod sessions;
mod staff;
mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub use dialogues::DialogueRow;
pub use pins::{Agreed, Inserted, PinRow};
pub use sessions::{SessionRow, UserRow};
pub use staff::{Change, ExportRow, ModerationRow, Order, PinPoint};
pub use users::{CreateUserError, NewUser};

/// Handle to the database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Storage {
    pool: SqlitePool,
}

/// Why the database could not be opened; each variant prints as one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("invalid database URL {url:?}: {source}")]
    BadUrl { url: String, source: sqlx::Error },
    #[error("the database directory {dir:?} does not exist (create it, or point --database-url elsewhere)")]
    MissingDir { dir: String },
    #[error("cannot open database {path:?}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Storage {
    /// Opens (creating if needed) the database at `url` and runs pending migrations.
    pub async fn open(url: &str) -> Result<Storage, OpenError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|source| OpenError::BadUrl {
                url: url.to_owned(),
                source,
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let path = options.get_filename().to_owned();
        let in_memory = path.as_os_str().is_empty() || path.to_string_lossy().contains(":memory:");
        if !in_memory {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                if !dir.is_dir() {
                    return Err(OpenError::MissingDir {
                        dir: dir.display().to_string(),
                    });
                }
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|source| OpenError::Open {
                path: path.display().to_string(),
                source,
            })?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Storage { pool })
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes the pool, flushing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
