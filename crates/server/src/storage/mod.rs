//! The only module that speaks SQL. Everything above it works with plain Rust values.
//!
//! Two backends behind the same functions ([`backend`]):
//!
//! - **SQLite** is the embedded default: one file, WAL journal, `synchronous=FULL` so that a row
//!   the API has acknowledged survives a power cut. **Writes never fail because another request
//!   was writing**: every write goes through one writer task that owns the only writing
//!   connection ([`writer`]): it takes whatever jobs are waiting, runs them in one
//!   `BEGIN IMMEDIATE` transaction (each job inside its own savepoint, so one failing job undoes
//!   only itself), commits, and only then answers each job (group commit: one disk flush for many
//!   pins, and `201` still means on disk). Reads use a pool of `query_only` connections, which in
//!   WAL mode never wait for the writer.
//! - **PostgreSQL** (`postgres://…`), for a kommun that runs it, and for more than one server
//!   process: each write job is its own transaction on the pool (PostgreSQL serialises writers
//!   row by row and group-commits by itself); jobs that read before they write lock the rows
//!   first, in id order, so two processes neither lose a count nor deadlock.

mod backend;
mod batch;
mod dialogues;
mod followup;
mod migrate;
mod named;
mod new_pins;
mod pin_pages;
mod pins;
mod points;
mod postgres;
mod sessions;
mod shared;
mod staff;
mod stats;
mod types;
mod users;
mod writer;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use sqlx::postgres::PgPool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqlitePool};

pub use backend::Kind;
pub(crate) use backend::{on, Conn, Either, Pool, Sql};
pub use dialogues::DialogueRow;
pub use followup::{
    ActionFull, ActionRow, ActionWrite, Answer, FollowUp, MailMaker, MailRow, OutcomeRow,
    StatusWrite, KEEP_AFTER_CLOSED_SECS,
};
pub use migrate::{migrate, Copied};
pub use named::{NamedPlaceRow, SavePlaceError};
pub use pins::{Agreed, Inserted, PinRow};
pub use sessions::{SessionRow, UserRow};
pub use shared::{RateTicket, RateWindow};
pub use staff::{Change, ExportRow, ModerationRow, Order, PinPoint};
pub use stats::{AnswerGroup, CellGroup, DayGroup};
pub use types::{Date, Id, Maybe, Name, Stamp, Time};
pub use users::{CreateUserError, NewUser, UserSummary};
pub use writer::WriteStats;

/// How long a connection waits for a lock another process holds (the `backup` or `user`
/// commands, or a second server by mistake) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Read connections to SQLite, connections to PostgreSQL, unless told otherwise.
pub const DEFAULT_SQLITE_POOL: u32 = 8;
pub const DEFAULT_POSTGRES_POOL: u32 = 16;

/// Handle to the database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Storage {
    backend: Backend,
    /// Woken when mail is queued, so the mailer sends at once.
    mail: Arc<tokio::sync::Notify>,
    /// New pins waiting to be inserted together.
    new_pins: Arc<new_pins::PinQueue>,
    /// Agrees waiting to be counted together.
    agrees: Arc<pins::AgreeQueue>,
    /// The pins this process added lately, by the tiles version their insert moved it to.
    added: Arc<std::sync::Mutex<AddedLog>>,
    /// New-pin drains this process has started and finished (their version moved, or failed):
    /// see [`Storage::insert_marks`].
    inserts_started: Arc<AtomicU64>,
    inserts_finished: Arc<AtomicU64>,
}

/// Tiles versions and the pins whose insert made each, oldest first.
type AddedLog = std::collections::VecDeque<(u64, Arc<Vec<AddedPin>>)>;

/// A visible pin a resident has just added, as the pin tiles need it.
#[derive(Clone, Debug, PartialEq)]
pub struct AddedPin {
    pub lat: f64,
    pub lon: f64,
    pub category: String,
    pub time_of_day: String,
    pub status: String,
}

/// See [`Storage::insert_started`].
pub(crate) struct InsertFinished(Arc<AtomicU64>);

impl Drop for InsertFinished {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

/// Inserts [`Storage::added_since`] remembers.
const ADDED_KEPT: usize = 4096;

#[derive(Clone, Debug)]
enum Backend {
    Sqlite {
        pool: SqlitePool,
        writer: writer::Writer,
        path: Arc<Path>,
        /// Bumped after every committed change to what the public sees of pins, so the public
        /// pin list can be cached until the next one (one process owns the file).
        public_version: Arc<AtomicU64>,
        /// Bumped with it by the changes the pin tiles show (not by agrees).
        tiles_version: Arc<AtomicU64>,
    },
    Postgres {
        pool: PgPool,
        stats: Arc<writer::Counters>,
    },
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

/// Whether `url` names a PostgreSQL database (`postgres://` or `postgresql://`).
pub fn is_postgres(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The connection options every connection to the SQLite `url` uses, and the database file.
fn options(url: &str) -> Result<(SqliteConnectOptions, PathBuf), OpenError> {
    if is_postgres(url) {
        return Err(OpenError::BadUrl {
            url: url.to_owned(),
            source: sqlx::Error::Configuration(
                "this needs an SQLite database (sqlite://FILE)".into(),
            ),
        });
    }
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
    /// writer. `sqlite://FILE` or `postgres://…`.
    pub async fn open(url: &str) -> Result<Storage, OpenError> {
        Storage::open_with(url, None).await
    }

    /// [`Storage::open`] with `pool_size` connections (SQLite: readers; PostgreSQL: all).
    pub async fn open_with(url: &str, pool_size: Option<u32>) -> Result<Storage, OpenError> {
        let backend = if is_postgres(url) {
            let size = pool_size.unwrap_or(DEFAULT_POSTGRES_POOL);
            Backend::Postgres {
                pool: postgres::open(url, size).await?,
                stats: Arc::default(),
            }
        } else {
            Storage::open_sqlite(url, pool_size.unwrap_or(DEFAULT_SQLITE_POOL)).await?
        };
        let storage = Storage {
            backend,
            mail: Default::default(),
            new_pins: Default::default(),
            agrees: Default::default(),
            added: Default::default(),
            inserts_started: Default::default(),
            inserts_finished: Default::default(),
        };
        let filled = storage
            .fill_local_days()
            .await
            .map_err(|source| OpenError::Open {
                path: postgres::redact(url),
                source,
            })?;
        if filled > 0 {
            tracing::info!(pins = filled, "stored the local day of earlier pins");
        }
        Ok(storage)
    }

    async fn open_sqlite(url: &str, readers: u32) -> Result<Backend, OpenError> {
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
        sqlx::migrate!("./migrations/sqlite").run(&mut conn).await?;
        sqlx::query(&format!(
            "PRAGMA wal_autocheckpoint = {}",
            writer::WAL_AUTOCHECKPOINT_PAGES
        ))
        .execute(&mut conn)
        .await
        .map_err(open_error)?;
        let checkpoints = options.clone().connect().await.map_err(open_error)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(readers.max(1))
            .connect_with(options.pragma("query_only", "ON"))
            .await
            .map_err(open_error)?;
        Ok(Backend::Sqlite {
            pool,
            writer: writer::Writer::start(conn, checkpoints),
            path: path.into(),
            public_version: Default::default(),
            tiles_version: Default::default(),
        })
    }

    /// Which backend this is.
    pub fn kind(&self) -> Kind {
        match &self.backend {
            Backend::Sqlite { .. } => Kind::Sqlite,
            Backend::Postgres { .. } => Kind::Postgres,
        }
    }

    /// The read pool. Writes go through [`Storage::write`].
    pub(crate) fn pool(&self) -> Pool<'_> {
        match &self.backend {
            Backend::Sqlite { pool, .. } => Either::Sqlite(pool),
            Backend::Postgres { pool, .. } => Either::Postgres(pool),
        }
    }

    /// Runs `job` in a write transaction and returns its result once that transaction is
    /// committed; an error from `job` undoes only `job`. SQLite: on the writer's connection,
    /// inside the current group transaction. PostgreSQL: in a transaction of its own.
    pub(crate) async fn write<T, F>(&self, job: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(Conn<'c>) -> BoxFuture<'c, Result<T, sqlx::Error>> + Send + 'static,
    {
        self.write_with(true, job).await
    }

    /// [`Storage::write`] for a job whose statements are each complete on their own (one
    /// statement, or a write and then a read): PostgreSQL runs it without a transaction around
    /// it (one round trip instead of three), SQLite's writer without a savepoint of its own
    /// (one round trip to the database thread instead of three).
    pub(crate) async fn write1<T, F>(&self, job: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(Conn<'c>) -> BoxFuture<'c, Result<T, sqlx::Error>> + Send + 'static,
    {
        self.write_with(false, job).await
    }

    /// [`Storage::write`] (`atomic`) or [`Storage::write1`].
    pub(crate) async fn write_with<T, F>(&self, atomic: bool, job: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(Conn<'c>) -> BoxFuture<'c, Result<T, sqlx::Error>> + Send + 'static,
    {
        match &self.backend {
            Backend::Sqlite { writer, .. } => {
                writer
                    .run(atomic, move |c: &mut sqlx::SqliteConnection| {
                        job(Either::Sqlite(c))
                    })
                    .await
            }
            Backend::Postgres { pool, stats } => postgres::write(pool, stats, job, atomic).await,
        }
    }

    /// Which version of the public pins the database holds: it changes after every committed
    /// change to what the public sees of pins. PostgreSQL: a sequence every server process
    /// bumps, so a pin posted to one is at once in every other's list.
    pub async fn public_version(&self) -> Result<u64, sqlx::Error> {
        match &self.backend {
            Backend::Sqlite { public_version, .. } => Ok(public_version.load(Ordering::Acquire)),
            Backend::Postgres { pool, .. } => postgres::version(pool, "public_version").await,
        }
    }

    /// Which version of what the pin tiles show: like [`Storage::public_version`], but agrees
    /// (which the tiles do not carry) leave it. The tile index is rebuilt when it moves, which
    /// at a million pins takes a second or two of a core: agreeing residents no longer cause it.
    pub async fn tiles_version(&self) -> Result<u64, sqlx::Error> {
        match &self.backend {
            Backend::Sqlite { tiles_version, .. } => Ok(tiles_version.load(Ordering::Acquire)),
            Backend::Postgres { pool, .. } => postgres::version(pool, "public_tiles_version").await,
        }
    }

    /// Marks a committed change to public pins (called after the write has committed).
    pub(crate) async fn public_changed(&self) {
        self.bump(true).await;
    }

    /// [`Storage::public_changed`] for new visible pins, which are also remembered with the
    /// tiles version they moved it to (see [`Storage::added_since`]).
    pub(crate) async fn pins_added(&self, pins: Vec<AddedPin>) {
        let log = || self.added.lock().unwrap_or_else(|e| e.into_inner());
        let remember = |log: &mut AddedLog, version: Option<u64>| {
            let Some(version) = version else { return };
            if log.len() >= ADDED_KEPT {
                log.pop_front();
            }
            log.push_back((version, Arc::new(pins)));
        };
        if self.kind() == Kind::Sqlite {
            // Under the log's lock, so that whoever reads the new version finds its pins.
            let mut log = log();
            remember(&mut log, self.bump_sqlite(true));
        } else {
            let version = self.bump(true).await;
            remember(&mut log(), version);
        }
    }

    /// New-pin writes this process has (finished, started), in that order. A reader that finds
    /// them equal before it reads the tiles version and the rows, and `started` unchanged after,
    /// read exactly the pins of that version: no insert was committed but not yet counted in the
    /// version (which would put it in the rows and, later, in [`Storage::added_since`] too).
    pub fn insert_marks(&self) -> (u64, u64) {
        let finished = self.inserts_finished.load(Ordering::Acquire);
        (finished, self.inserts_started.load(Ordering::Acquire))
    }

    /// Counts a new-pin write as started; the guard counts it finished when dropped, after its
    /// version has moved (or it failed).
    pub(crate) fn insert_started(&self) -> InsertFinished {
        self.inserts_started.fetch_add(1, Ordering::AcqRel);
        InsertFinished(self.inserts_finished.clone())
    }

    /// The pins added since tiles version `from`, up to `to`, if every change between them was
    /// a pin this process added: an index built at `from` plus these is the index at `to`.
    /// `None` when anything else changed in between (a hide, a delete, an answer's state,
    /// another server process's pin, or more changes than are remembered): build it again.
    pub fn added_since(&self, from: u64, to: u64) -> Option<Vec<AddedPin>> {
        let added = self.added.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::new();
        let mut next = from + 1;
        for (version, pins) in added.iter().filter(|(v, _)| *v > from && *v <= to) {
            if *version != next {
                return None;
            }
            out.extend(pins.iter().cloned());
            next += 1;
        }
        (next == to + 1).then_some(out)
    }

    /// Marks a committed change to agree counts only: the list shows them, the tiles do not.
    pub(crate) async fn counts_changed(&self) {
        self.bump(false).await;
    }

    /// Moves the public version, and with `tiles` the tiles version, which it returns.
    async fn bump(&self, tiles: bool) -> Option<u64> {
        let Backend::Postgres { pool, .. } = &self.backend else {
            return self.bump_sqlite(tiles);
        };
        postgres::bump_public_version(pool, tiles)
            .await
            .inspect_err(|e| tracing::warn!(error = %e, "could not bump the public pin version"))
            .ok()
            .flatten()
    }

    /// [`Storage::bump`] on SQLite, whose versions live in this process.
    fn bump_sqlite(&self, tiles: bool) -> Option<u64> {
        let Backend::Sqlite {
            public_version,
            tiles_version,
            ..
        } = &self.backend
        else {
            return None;
        };
        let moved = tiles.then(|| tiles_version.fetch_add(1, Ordering::AcqRel) + 1);
        public_version.fetch_add(1, Ordering::AcqRel);
        moved
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
        on!(self.pool(), |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(|_| ()))?;
        self.write1(|mut c| {
            Box::pin(
                async move { on!(c, |x| sqlx::query("SELECT 1").execute(x).await.map(|_| ())) },
            )
        })
        .await
    }

    /// How writing has been doing (for metrics).
    pub fn write_stats(&self) -> WriteStats {
        match &self.backend {
            Backend::Sqlite { writer, .. } => writer.stats(),
            Backend::Postgres { stats, .. } => stats.snapshot(),
        }
    }

    /// The database file (SQLite).
    pub fn path(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Sqlite { path, .. } => Some(path),
            Backend::Postgres { .. } => None,
        }
    }

    /// Finishes the queued writes, checkpoints the WAL into the database file (SQLite) and
    /// closes every connection. Writes after this fail.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { pool, writer, .. } => {
                writer.close().await;
                pool.close().await;
            }
            Backend::Postgres { pool, .. } => pool.close().await,
        }
    }
}

/// Time a write took, for the metrics.
fn micros_since(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// The message for SQLite-only commands run against PostgreSQL.
fn postgres_backup_hint() -> String {
    "the database is PostgreSQL: back it up with pg_dump and restore with pg_restore \
     (docs/OPERATIONS.md, \"Backups\")"
        .to_owned()
}

/// A consistent copy of the database at `url`, taken while a server may be running and writing:
/// `VACUUM INTO` reads one snapshot. Written beside `target` first, checked with
/// `PRAGMA integrity_check`, flushed to disk, and only then given its name; an existing `target`
/// is never overwritten. Returns the number of pins in the copy.
pub async fn backup(url: &str, target: &Path) -> Result<i64, String> {
    if is_postgres(url) {
        return Err(postgres_backup_hint());
    }
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
    if is_postgres(url) {
        return Err(postgres_backup_hint());
    }
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

/// Held by a running server for its SQLite file, so that a second server, or a restore, on
/// the same file is refused instead of corrupting it. The lock is the operating system's (a
/// `flock` on `NAME.lock`) and ends with the process, however it ends. PostgreSQL is made for
/// many server processes: there the lock holds nothing.
#[derive(Debug)]
pub struct ServerLock {
    _file: Option<std::fs::File>,
}

impl ServerLock {
    pub fn acquire(url: &str) -> Result<ServerLock, String> {
        if is_postgres(url) {
            return Ok(ServerLock { _file: None });
        }
        let (_, path) = options(url).map_err(|e| e.to_string())?;
        let lock = PathBuf::from(format!("{}.lock", path.display()));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|e| format!("cannot open {}: {e}", lock.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(ServerLock { _file: Some(file) }),
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
