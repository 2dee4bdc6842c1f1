//! The one writer: a task on a thread of its own that owns the only writing connection and
//! commits in groups.
//!
//! Requests hand it jobs (closures over the connection) through a queue. It takes the first
//! waiting job and whatever else is already queued (up to [`MAX_BATCH`]), opens one
//! `BEGIN IMMEDIATE` transaction, runs each job inside its own `SAVEPOINT` (a failing job rolls
//! back to it and fails alone), commits, and only then hands every job its result. A job whose
//! statements are each complete on their own (`atomic == false`: one statement, or a write and
//! then a read) runs without a savepoint: SQLite undoes a failing statement by itself, and the
//! two savepoint statements would triple a one-statement job's round trips to the database.
//! While one group is being flushed to disk the next one queues up, so under load a single
//! `fsync` covers hundreds of writes; alone, a write costs what it always did.
//!
//! Checkpoints (copying the WAL back into the database file) run beside the writer, on a
//! connection of their own, a moment after each group: left to the writer (SQLite's automatic
//! checkpoint after a commit) they cost it about a quarter of its time under load, with the
//! cores idle. The writer still checkpoints by itself once the WAL reaches
//! [`WAL_AUTOCHECKPOINT_PAGES`] (by then the background checkpoints have copied nearly all of it),
//! which lets SQLite start the WAL from its beginning again under an unbroken stream of writes.
//!
//! Because nothing else in the process writes, no request ever sees `database is locked`, and a
//! read-then-write job (an agree, a moderation step) reads exactly what it then changes.
//! `BEGIN IMMEDIATE` takes the write lock up front, so another process writing (the `user`
//! command) makes the writer wait (busy timeout), never fail halfway.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use sqlx::sqlite::SqliteConnection;
use sqlx::Connection;
use tokio::sync::{mpsc, oneshot, Notify};

/// Most jobs in one transaction: bounds the time one commit holds the later ones.
pub const MAX_BATCH: usize = 1024;
/// Jobs waiting beyond this make `write` wait for room (back-pressure, not failure).
const QUEUE: usize = 8192;
/// The WAL size (4 KiB pages) at which the writer checkpoints by itself after a commit.
pub(super) const WAL_AUTOCHECKPOINT_PAGES: u32 = 4000;
/// How long the background checkpoint waits after a commit, so that one copy serves the
/// groups committed meanwhile (a page changed by several of them is copied once).
const CHECKPOINT_DELAY: Duration = Duration::from_millis(100);

/// Hands a job its result once its transaction's fate is known.
type Deliver = Box<dyn FnOnce(Result<(), &str>) + Send>;
/// A job: runs on the connection, says whether it succeeded, and how to deliver its result.
type Job =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, (bool, Deliver)> + Send>;

enum Msg {
    /// A job, and whether it needs a savepoint of its own.
    Job(bool, Job),
    Close(oneshot::Sender<()>),
}

#[derive(Clone, Debug)]
pub(super) struct Writer {
    tx: mpsc::Sender<Msg>,
    stats: Arc<Counters>,
}

/// Write totals since start (both backends count into these).
#[derive(Debug, Default)]
pub(super) struct Counters {
    commits: AtomicU64,
    jobs: AtomicU64,
    failed_commits: AtomicU64,
    commit_micros: AtomicU64,
}

impl Counters {
    /// One transaction of `jobs` jobs that took `micros`, committed or not.
    pub(super) fn record(&self, jobs: u64, micros: u64, committed: bool) {
        self.commit_micros.fetch_add(micros, Ordering::Relaxed);
        self.jobs.fetch_add(jobs, Ordering::Relaxed);
        if committed {
            self.commits.fetch_add(1, Ordering::Relaxed);
        } else {
            self.failed_commits.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(super) fn snapshot(&self) -> WriteStats {
        WriteStats {
            commits: self.commits.load(Ordering::Relaxed),
            jobs: self.jobs.load(Ordering::Relaxed),
            failed_commits: self.failed_commits.load(Ordering::Relaxed),
            commit_micros: self.commit_micros.load(Ordering::Relaxed),
        }
    }
}

/// Totals since start, for the metrics endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteStats {
    /// Transactions committed.
    pub commits: u64,
    /// Jobs run (each in a committed or failed transaction).
    pub jobs: u64,
    /// Transactions whose commit failed (their jobs got the error).
    pub failed_commits: u64,
    /// Time spent running and committing transactions, in microseconds.
    pub commit_micros: u64,
}

fn closed() -> sqlx::Error {
    sqlx::Error::PoolClosed
}

impl Writer {
    /// Starts the writer on `conn`, with `checkpoints` (a second connection to the same file)
    /// for the background checkpoints.
    pub(super) fn start(conn: SqliteConnection, checkpoints: SqliteConnection) -> Writer {
        let (tx, rx) = mpsc::channel(QUEUE);
        let stats = Arc::new(Counters::default());
        // The writer runs on a thread of its own: on the request runtime, every answer from
        // the database thread queued it behind the requests being served, and under load the
        // whole group commit waited there (the writer was the bottleneck while the cores idled).
        let counters = stats.clone();
        std::thread::Builder::new()
            .name("tk-writer".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt.block_on(async move {
                        let committed = Arc::new(Notify::new());
                        let checkpointer =
                            tokio::spawn(checkpoint_after_commits(checkpoints, committed.clone()));
                        run(conn, rx, counters, committed, checkpointer).await
                    }),
                    Err(e) => tracing::error!(error = %e, "cannot start the writer's runtime"),
                }
            })
            .expect("a thread for the database writer");
        Writer { tx, stats }
    }

    /// Runs `job` in the next group; `atomic`: in a savepoint of its own, so that a failure
    /// undoes all of it (else each statement stands or fails alone).
    pub(super) async fn run<T, F>(&self, atomic: bool, job: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, sqlx::Error>>
            + Send
            + 'static,
    {
        let (done, result) = oneshot::channel::<Result<T, sqlx::Error>>();
        let job: Job = Box::new(move |conn| {
            async move {
                let out = job(conn).await;
                let ok = out.is_ok();
                let deliver = Box::new(move |commit: Result<(), &str>| {
                    let _ = done.send(match (out, commit) {
                        (Ok(value), Ok(())) => Ok(value),
                        (Err(e), _) => Err(e),
                        (Ok(_), Err(why)) => Err(sqlx::Error::Protocol(format!(
                            "the transaction could not be committed: {why}"
                        ))),
                    });
                }) as Deliver;
                (ok, deliver)
            }
            .boxed()
        });
        self.tx
            .send(Msg::Job(atomic, job))
            .await
            .map_err(|_| closed())?;
        // A dropped sender means the job panicked (or the writer stopped): an error, never a hang.
        result.await.map_err(|_| closed())?
    }

    pub(super) async fn close(&self) {
        let (done, closed) = oneshot::channel();
        if self.tx.send(Msg::Close(done)).await.is_ok() {
            let _ = closed.await;
        }
    }

    pub(super) fn stats(&self) -> WriteStats {
        self.stats.snapshot()
    }
}

async fn exec(conn: &mut SqliteConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(&mut *conn).await.map(|_| ())
}

/// Copies committed WAL pages into the database file a moment after each commit (a passive
/// checkpoint: it never waits for, nor holds up, the writer or the readers).
async fn checkpoint_after_commits(mut conn: SqliteConnection, committed: Arc<Notify>) {
    loop {
        committed.notified().await;
        tokio::time::sleep(CHECKPOINT_DELAY).await;
        if let Err(e) = exec(&mut conn, "PRAGMA wal_checkpoint(PASSIVE)").await {
            tracing::warn!(error = %e, "background checkpoint failed");
        }
    }
}

async fn run(
    mut conn: SqliteConnection,
    mut rx: mpsc::Receiver<Msg>,
    stats: Arc<Counters>,
    committed: Arc<Notify>,
    checkpointer: tokio::task::JoinHandle<()>,
) {
    let mut closing = None;
    while closing.is_none() {
        let Some(first) = rx.recv().await else { break };
        let mut batch = Vec::new();
        match first {
            Msg::Job(atomic, job) => batch.push((atomic, job)),
            Msg::Close(done) => closing = Some(done),
        }
        while closing.is_none() && batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(Msg::Job(atomic, job)) => batch.push((atomic, job)),
                Ok(Msg::Close(done)) => closing = Some(done),
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            commit_group(&mut conn, batch, &stats).await;
            committed.notify_one();
        }
    }
    // Closing: nothing queued after the close is run (senders see a closed queue).
    rx.close();
    while let Ok(msg) = rx.try_recv() {
        if let Msg::Job(atomic, job) = msg {
            commit_group(&mut conn, vec![(atomic, job)], &stats).await;
        }
    }
    // The last checkpoint is the writer's own: it waits (busy timeout) for a background one
    // still running, then folds the whole WAL in.
    checkpointer.abort();
    let _ = checkpointer.await;
    if let Err(e) = exec(&mut conn, "PRAGMA wal_checkpoint(TRUNCATE)").await {
        tracing::warn!(error = %e, "checkpoint at shutdown failed");
    }
    let _ = conn.close().await;
    if let Some(done) = closing {
        let _ = done.send(());
    }
}

async fn commit_group(conn: &mut SqliteConnection, batch: Vec<(bool, Job)>, stats: &Counters) {
    let started = Instant::now();
    let n = batch.len() as u64;
    if let Err(e) = exec(conn, "BEGIN IMMEDIATE").await {
        // Another process held the lock beyond the busy timeout. Nothing of these jobs ran;
        // dropping them tells each caller so (an error, nothing stored).
        tracing::error!(error = %e, jobs = n, "cannot start a write transaction");
        stats.failed_commits.fetch_add(1, Ordering::Relaxed);
        drop(batch);
        return;
    }
    let mut delivers = Vec::with_capacity(batch.len());
    for (atomic, job) in batch {
        if !atomic {
            // Each statement is atomic on its own; a panic midway leaves what ran before it,
            // as a failing statement would.
            delivers.extend(run_job(conn, job).await.map(|(_, deliver)| deliver));
            continue;
        }
        if let Err(e) = exec(conn, "SAVEPOINT job").await {
            // The transaction is unusable; the commit below fails and tells every job.
            tracing::error!(error = %e, "savepoint failed");
            break;
        }
        let (ok, deliver) = match run_job(conn, job).await {
            Some((ok, d)) => (ok, Some(d)),
            None => (false, None),
        };
        let end = if ok {
            exec(conn, "RELEASE job").await
        } else {
            match exec(conn, "ROLLBACK TO job").await {
                Ok(()) => exec(conn, "RELEASE job").await,
                Err(e) => Err(e),
            }
        };
        if let Err(e) = end {
            tracing::error!(error = %e, "ending a savepoint failed");
        }
        delivers.extend(deliver);
    }
    let commit = exec(conn, "COMMIT").await;
    stats.record(n, super::micros_since(started), commit.is_ok());
    match commit {
        Ok(()) => {
            for deliver in delivers {
                deliver(Ok(()));
            }
        }
        Err(e) => {
            let why = e.to_string();
            tracing::error!(error = %why, jobs = n, "commit failed");
            let _ = exec(conn, "ROLLBACK").await;
            for deliver in delivers {
                deliver(Err(&why));
            }
        }
    }
}

/// Runs one job; `Some((succeeded, deliver))`, or `None` if it panicked (its caller then sees
/// a closed channel, and the savepoint is rolled back).
async fn run_job(conn: &mut SqliteConnection, job: Job) -> Option<(bool, Deliver)> {
    match std::panic::AssertUnwindSafe(job(conn)).catch_unwind().await {
        Ok(done) => Some(done),
        Err(_) => {
            tracing::error!("a write job panicked; it was rolled back");
            None
        }
    }
}
