//! Writes that arrive in floods, done together.
//!
//! Residents' new pins and "Jag känner likadant" are the writes that come in bursts (an evening's
//! push to report, a shared link to one pin, a load test). Each such request waits in a
//! [`Batch`]; one drain at a time takes everything waiting, does it as one write (a few
//! statements for all of them: on SQLite one job in the writer's group, on PostgreSQL one
//! transaction and one commit) and answers each request once that write is committed. While
//! one drain runs, the next requests queue up, so the work per request falls as the load rises.
//! Measured before this (`make bench-load`): a new pin cost the SQLite writer ~200 µs, most of
//! it handing each statement to the database thread and back, and PostgreSQL a commit of its
//! own; agrees on one pin on PostgreSQL queued on that row's lock.
//!
//! Each request is told what it would have been told alone, in the order the requests arrived.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::oneshot;

/// Requests one drain takes at most (the rest wait for the next).
const MAX_DRAIN: usize = 1000;

/// What a waiting request is told: its outcome, or why the write failed.
pub(super) type Outcome<O> = Result<O, String>;

type Waiting<I, O> = Vec<(I, oneshot::Sender<Outcome<O>>)>;

/// Requests of one kind waiting to be written (shared by every clone of a `Storage`).
#[derive(Debug)]
pub(super) struct Batch<I, O> {
    state: Mutex<State<I, O>>,
}

#[derive(Debug)]
struct State<I, O> {
    waiting: Waiting<I, O>,
    /// A drain is running: it will take what is waiting.
    draining: bool,
}

impl<I, O> Default for Batch<I, O> {
    fn default() -> Self {
        Batch {
            state: Mutex::new(State {
                waiting: Vec::new(),
                draining: false,
            }),
        }
    }
}

impl<I: Send + 'static, O: Send + 'static> Batch<I, O> {
    fn lock(&self) -> MutexGuard<'_, State<I, O>> {
        // Nothing panics while holding the lock; a poisoned one still holds consistent data.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `item` and waits for its outcome. `write` does a drained batch: it gets the items
    /// in arrival order and returns one outcome per item, in the same order, once committed
    /// (an `Err` fails them all).
    pub(super) async fn submit<W, F>(self: &Arc<Self>, item: I, write: W) -> Result<O, sqlx::Error>
    where
        W: Fn(Vec<I>) -> F + Send + Sync + 'static,
        F: Future<Output = Result<Vec<Outcome<O>>, sqlx::Error>> + Send + 'static,
    {
        let (done, outcome) = oneshot::channel();
        let start = {
            let mut state = self.lock();
            state.waiting.push((item, done));
            !std::mem::replace(&mut state.draining, true)
        };
        if start {
            // A task of its own: the request that started it may be cancelled (its client
            // gone) while the others wait for this drain.
            tokio::spawn(self.clone().drain(write));
        }
        match outcome.await {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(why)) => Err(sqlx::Error::Protocol(why)),
            // The drain was dropped (its write panicked, or the writer stopped): an error.
            Err(_) => Err(sqlx::Error::WorkerCrashed),
        }
    }

    async fn drain<W, F>(self: Arc<Self>, write: W)
    where
        W: Fn(Vec<I>) -> F,
        F: Future<Output = Result<Vec<Outcome<O>>, sqlx::Error>>,
    {
        let _reset = ResetOnPanic(&self);
        loop {
            let batch: Waiting<I, O> = {
                let mut state = self.lock();
                if state.waiting.is_empty() {
                    state.draining = false;
                    return;
                }
                let n = state.waiting.len().min(MAX_DRAIN);
                state.waiting.drain(..n).collect()
            };
            let (items, senders): (Vec<I>, Vec<_>) = batch.into_iter().unzip();
            match write(items).await {
                Ok(outcomes) => {
                    for (send, outcome) in senders.into_iter().zip(outcomes) {
                        let _ = send.send(outcome);
                    }
                }
                Err(e) => {
                    let why = e.to_string();
                    for send in senders {
                        let _ = send.send(Err(why.clone()));
                    }
                }
            }
        }
    }
}

/// A drain that panics must not leave the queue marked as drained forever (every later request
/// would wait for it): the next request starts a new one.
struct ResetOnPanic<'a, I: Send + 'static, O: Send + 'static>(&'a Batch<I, O>);

impl<I: Send + 'static, O: Send + 'static> Drop for ResetOnPanic<'_, I, O> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().draining = false;
        }
    }
}
