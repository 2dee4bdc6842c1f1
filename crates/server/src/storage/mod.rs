//! The only module that speaks SQL. Everything above it works with plain Rust values.
//!
//! SQLite is the embedded default: one file, WAL journal, `synchronous=FULL` so that a row the
//! API has acknowledged survives a power cut. PostgreSQL will come in behind the same functions.
//!
//! **Writes never fail because another request was writing.** Every write goes through one
//! writer task that owns the only writing connection ([`writer`]): it takes whatever jobs are
//! waiting, runs them in one `BEGIN IMMEDIATE` transaction (each job inside its own savepoint,
//! so one failing job undoes only itself), commits, and only then answers each job (group
//! commit: one disk flush for many pins, and `201` still means on disk). Reads use a pool of
//! `query_only` connections, which in WAL mode never wait for the writer.

mod dialogues;
mod followup;
mod named;
mod pins;
mod points;
mod sessions;
mod staff;
mod stats;
mod users;
mod writer;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use futures_util::future::BoxFuture;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, SqlitePool};

pub use dialogues::DialogueRow;
pub use followup::{
    ActionFull, ActionRow, ActionWrite, Answer, FollowUp, MailMaker, MailRow, OutcomeRow,
    StatusWrite, KEEP_AFTER_CLOSED_SECS,
};
pub use named::{NamedPlaceRow, SavePlaceError};
pub use pins::{Agreed, Inserted, PinRow};
pub use sessions::{SessionRow, UserRow};
pub use staff::{Change, ExportRow, ModerationRow, Order, PinPoint};
pub use stats::{summer_time, AnswerGroup, CellGroup, DayGroup};
pub use users::{CreateUserError, NewUser, UserSummary};
pub use writer::WriteStats;

/// How long a connection waits for a lock another process holds (the `backup` or `user`
/// commands, or a second server by mistake) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Handle to the database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Storage {
    pool: SqlitePool,
    writer: writer::Writer,
    path: std::sync::Arc<Path>,
    /// Bumped after every committed change to what the public sees of pins, so the public pin
    /// list can be cached until the next one.
    public_version: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Woken when mail is queued, so the mailer sends at once.
    mail: std::sync::Arc<tokio::sync::Notify>,
}

/// Why the database could not be opened; each variant prints as one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("invalid database URL {url:?}: {source}")]
    BadUrl { url: String, source: sqlx::Error },
    #[error("the database directory {dir:?} does not exist (create it, or point --database-url elsewhere)")]
    MissingDir { dir: String },
    #[error(
        "in-memory databases are not supported: give a file, e.g. sqlite://data/trygghetskarta.db"
    )]
    InMemory,
    #[error("cannot open database {path:?}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The connection options every connection to `url` uses, and the database file.
fn options(url: &str) -> Result<(SqliteConnectOptions, PathBuf), OpenError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| OpenError::BadUrl {
            url: url.to_owned(),
            source,
        })?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    let path = options.get_filename().to_owned();
    if path.as_os_str().is_empty() || path.to_string_lossy().contains(":memory:") {
        return Err(OpenError::InMemory);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(OpenError::MissingDir {
                dir: dir.display().to_string(),
            });
        }
    }
    Ok((options, path))
}

impl Storage {
    /// Opens (creating if needed) the database at `url`, runs pending migrations and starts the
    /// writer.
    pub async fn open(url: &str) -> Result<Storage, OpenError> {
        let (options, path) = options(url)?;
        let open_error = |source| OpenError::Open {
            path: path.display().to_string(),
            source,
        };
        let mut conn = options
            .clone()
            .create_if_missing(true)
            .connect()
            .await
            .map_err(open_error)?;
        sqlx::migrate!("./migrations").run(&mut conn).await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.pragma("query_only", "ON"))
            .await
            .map_err(open_error)?;
        Ok(Storage {
            pool,
            writer: writer::Writer::start(conn),
            path: path.into(),
            public_version: Default::default(),
            mail: Default::default(),
        })
    }

    /// The read pool. Writes go through [`Storage::write`].
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Runs `job` on the writer's connection inside the current group transaction and returns
    /// its result once that transaction is committed. An error from `job` undoes only `job`.
    pub(crate) async fn write<T, F>(&self, job: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, sqlx::Error>>
            + Send
            + 'static,
    {
        self.writer.run(job).await
    }

    /// One statement as a write job; returns what it did.
    pub(crate) async fn write_one(
        &self,
        query: sqlx::query::Query<'static, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'static>>,
    ) -> Result<sqlx::sqlite::SqliteQueryResult, sqlx::Error> {
        self.write(move |c| Box::pin(async move { query.execute(&mut *c).await }))
            .await
    }

    /// One statement with `RETURNING` as a write job; the row it returned, if any.
    pub(crate) async fn write_returning<T>(
        &self,
        query: sqlx::query::QueryAs<
            'static,
            sqlx::Sqlite,
            T,
            sqlx::sqlite::SqliteArguments<'static>,
        >,
    ) -> Result<Option<T>, sqlx::Error>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin + 'static,
    {
        self.write(move |c| Box::pin(async move { query.fetch_optional(&mut *c).await }))
            .await
    }

    /// Which version of the public pins the database holds (see [`Storage::public_changed`]).
    pub fn public_version(&self) -> u64 {
        self.public_version
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// Marks a committed change to public pins (called after the write has committed).
    pub(crate) fn public_changed(&self) {
        self.public_version
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Tells the mailer that mail may be waiting.
    pub(crate) fn mail_queued(&self) {
        self.mail.notify_one();
    }

    /// Resolves when mail may have been queued (for the mailer).
    pub async fn mail_wait(&self) {
        self.mail.notified().await;
    }

    /// Whether the database answers a query (for `/api/health`): a reader, and the writer too
    /// (a writer stuck behind another process's lock, or stopped, means writes would fail).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(self.pool()).await?;
        self.write(|c| {
            Box::pin(async move { sqlx::query("SELECT 1").execute(&mut *c).await.map(|_| ()) })
        })
        .await
    }

    /// How the writer has been doing (for metrics).
    pub fn write_stats(&self) -> WriteStats {
        self.writer.stats()
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Finishes the queued writes, checkpoints the WAL into the database file and closes every
    /// connection. Writes after this fail.
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// A consistent copy of the database at `url`, taken while a server may be running and writing:
/// `VACUUM INTO` reads one snapshot. Written beside `target` first, checked with
/// `PRAGMA integrity_check`, flushed to disk, and only then given its name; an existing `target`
/// is never overwritten. Returns the number of pins in the copy.
pub async fn backup(url: &str, target: &Path) -> Result<i64, String> {
    if target.exists() {
        return Err(format!(
            "{} exists already; a backup never overwrites a file",
            target.display()
        ));
    }
    let (options, path) = options(url).map_err(|e| e.to_string())?;
    if !path.is_file() {
        return Err(format!("no database at {}", path.display()));
    }
    let partial = partial_name(target);
    let _ = std::fs::remove_file(&partial);
    let mut conn = options
        .read_only(true)
        .connect()
        .await
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(partial.to_string_lossy().into_owned())
        .execute(&mut conn)
        .await
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    drop(conn);
    let checked = check_file(&partial).await;
    let pins = match checked {
        Ok(pins) => pins,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot flush {}: {e}", partial.display()))?;
    // A hard link fails if the name exists: no race with another backup of the same name.
    std::fs::hard_link(&partial, target)
        .map_err(|e| format!("cannot name the backup {}: {e}", target.display()))?;
    std::fs::remove_file(&partial).map_err(|e| e.to_string())?;
    sync_dir(target);
    Ok(pins)
}

/// Checks that `file` is an intact Trygghetskartan database; returns its number of pins.
pub async fn check_file(file: &Path) -> Result<i64, String> {
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let (verdict,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| format!("{} is not a readable SQLite database: {e}", file.display()))?;
    if verdict != "ok" {
        return Err(format!(
            "{} failed PRAGMA integrity_check: {verdict}",
            file.display()
        ));
    }
    let (pins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pins")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| format!("{} is not a Trygghetskartan database", file.display()))?;
    Ok(pins)
}

/// Puts the backup `from` in place of the database at `url` (the server must be stopped; the
/// caller holds its lock). The database it replaces is kept beside it as
/// `NAME.before-restore-UNIX`; its WAL and shared-memory files are removed so they cannot be
/// applied to the restored file. Returns the name the old database was kept under.
pub async fn restore(url: &str, from: &Path, now: i64) -> Result<Option<PathBuf>, String> {
    let (_, path) = options(url).map_err(|e| e.to_string())?;
    check_file(from).await?;
    let partial = partial_name(&path);
    std::fs::copy(from, &partial).map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| e.to_string())?;
    let kept = if path.exists() {
        // Fold the old WAL into its file first, so the kept copy is complete on its own.
        if let Ok(mut conn) = options(url).map_err(|e| e.to_string())?.0.connect().await {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut conn)
                .await;
        }
        let kept = PathBuf::from(format!("{}.before-restore-{now}", path.display()));
        std::fs::rename(&path, &kept).map_err(|e| e.to_string())?;
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            std::fs::remove_file(&side).map_err(|e| e.to_string())?;
        }
    }
    std::fs::rename(&partial, &path).map_err(|e| e.to_string())?;
    sync_dir(&path);
    Ok(kept)
}

fn partial_name(target: &Path) -> PathBuf {
    PathBuf::from(format!("{}.partial", target.display()))
}

/// Makes a rename in `file`'s directory durable.
fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Held by a running server for its database file, so that a second server, or a restore, on
/// the same file is refused instead of corrupting it. The lock is the operating system's (a
/// `flock` on `NAME.lock`) and ends with the process, however it ends.
#[derive(Debug)]
pub struct ServerLock {
    _file: std::fs::File,
}

impl ServerLock {
    pub fn acquire(url: &str) -> Result<ServerLock, String> {
        let (_, path) = options(url).map_err(|e| e.to_string())?;
        let lock = PathBuf::from(format!("{}.lock", path.display()));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|e| format!("cannot open {}: {e}", lock.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(ServerLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(format!(
                "another trygghetskarta-server is using {} (stop it first)",
                path.display()
            )),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(format!("cannot lock {}: {e}", lock.display()))
            }
        }
    }
}
