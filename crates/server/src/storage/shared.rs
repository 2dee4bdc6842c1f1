//! What several server processes on one PostgreSQL must share beyond the data: the rate
//! limiter's day key and counters (`ratelimit.rs` keeps them in memory with SQLite, where one
//! process owns the file), and which daily tasks have run.
//!
//! The rate tables are `UNLOGGED`: never in the write-ahead log or a replica, emptied by a
//! crash, and left out of backups made with `pg_dump --no-unlogged-table-data`
//! (docs/OPERATIONS.md). Counters are keyed by HMAC(day key, address); the key row is deleted
//! when the next UTC day's key is made, and with it any way back to an address.

use std::collections::BTreeMap;

use super::{on, Conn, Either, Kind, Storage};

/// A client's window in one bucket, as the shared limiter counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct RateWindow {
    /// When the window began, Unix seconds.
    pub started: i64,
    pub count: i64,
    /// The request that returned this window was over the limit (not counted).
    pub refused: bool,
}

fn postgres_only(what: &str) -> sqlx::Error {
    sqlx::Error::Configuration(format!("{what} is kept in the database only on PostgreSQL").into())
}

/// A request to be counted in a shared rate window inside a write drain ([`rate_hits`]): who,
/// in which bucket, with which limit. Made by the rate limiter, which knows the day's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateTicket {
    pub client: [u8; 16],
    pub bucket: &'static str,
    /// The UTC day whose key made `client`.
    pub day: i64,
    /// Window length and requests allowed in it.
    pub window: i64,
    pub cap: i64,
}

/// What [`rate_hits`] decided for one client: its window's start, and how many of its
/// requests (the first ones, in arrival order) were counted; the rest are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateAllowed {
    pub started: i64,
    pub allowed: i64,
}

/// Counts `clients` (each with its number of requests, every client once) in `bucket` at `now`,
/// as [`Storage::rate_hit`] would count them one by one, in one statement: each client's row is
/// made or locked in client order (so two processes cannot deadlock), raised by as many of its
/// requests as its window still holds, and answered with that number.
#[allow(clippy::too_many_arguments)]
async fn rate_hits(
    c: &mut sqlx::PgConnection,
    bucket: &str,
    day: i64,
    now: i64,
    window: i64,
    cap: i64,
    clients: &[([u8; 16], i64)],
) -> Result<std::collections::HashMap<[u8; 16], RateAllowed>, sqlx::Error> {
    let ids: Vec<Vec<u8>> = clients.iter().map(|(c, _)| c.to_vec()).collect();
    let counts: Vec<i64> = clients.iter().map(|(_, n)| *n).collect();
    // On insert `added` holds the requests asked for and `count` what fits; on update `added`
    // is what was counted. `LEAST(added, count)` is what was counted either way.
    let rows: Vec<(Vec<u8>, i64, i64)> = sqlx::query_as(
        "INSERT INTO rate_windows AS w (client, bucket, day, started, count, refused, added)
         SELECT k.client, $2, $3, $4, LEAST(k.n, $6), k.n > $6, k.n
         FROM unnest($1::bytea[], $7::bigint[]) AS k (client, n)
         ORDER BY k.client
         ON CONFLICT (client, bucket) DO UPDATE SET
            day = $3,
            started = CASE WHEN $4 - w.started >= $5 THEN $4 ELSE w.started END,
            count = CASE WHEN $4 - w.started >= $5 THEN LEAST(excluded.added, $6)
                         ELSE LEAST(w.count + excluded.added, GREATEST(w.count, $6)) END,
            refused = CASE WHEN $4 - w.started >= $5 THEN excluded.added > $6
                           ELSE w.count + excluded.added > GREATEST(w.count, $6) END,
            added = CASE WHEN $4 - w.started >= $5 THEN LEAST(excluded.added, $6)
                         ELSE LEAST(w.count + excluded.added, GREATEST(w.count, $6)) - w.count END
         RETURNING client, started, LEAST(added, count)",
    )
    .bind(ids)
    .bind(bucket)
    .bind(day)
    .bind(now)
    .bind(window)
    .bind(cap)
    .bind(counts)
    .fetch_all(c)
    .await?;
    rows.into_iter()
        .map(|(client, started, allowed)| {
            let client: [u8; 16] = client
                .try_into()
                .map_err(|_| sqlx::Error::Protocol("a rate client is not 16 bytes".into()))?;
            Ok((client, RateAllowed { started, allowed }))
        })
        .collect()
}

/// Counts a drain's requests that carry a [`RateTicket`] (`tickets`, in arrival order) in their
/// shared rate windows at `now`, one statement per bucket ([`rate_hits`]), on the drain's own
/// connection: instead of a statement per request before the drain, which on PostgreSQL was
/// most of a write's cost. Returns, in order, `Some(window start)` for each request its window
/// refuses: each client's first requests fill what its window still holds, as requests
/// arriving one by one in that order would. (As before, a retry of a stored pin sent in the
/// same moment as a new report is counted until its insert finds the pin, so a client one
/// short of its limit may see that report refused.)
pub(super) async fn limit_drain(
    c: &mut Conn<'_>,
    tickets: &[Option<RateTicket>],
    now: i64,
) -> Result<Vec<Option<i64>>, sqlx::Error> {
    let mut refused = vec![None; tickets.len()];
    for (key, clients) in tally(tickets.iter().flatten()) {
        let (bucket, day, window, cap) = key;
        let clients: Vec<([u8; 16], i64)> = clients.into_iter().collect();
        let Either::Postgres(x) = c.re() else {
            return Err(postgres_only("a rate counter"));
        };
        let mut windows = rate_hits(x, bucket, day, now, window, cap, &clients).await?;
        for (t, refused) in tickets.iter().zip(&mut refused) {
            let Some(t) = t.as_ref().filter(|t| group(t) == key) else {
                continue;
            };
            let w = windows
                .get_mut(&t.client)
                .ok_or_else(|| sqlx::Error::Protocol("a rate window was not answered".into()))?;
            if w.allowed > 0 {
                w.allowed -= 1;
            } else {
                *refused = Some(w.started);
            }
        }
    }
    Ok(refused)
}

/// Gives back one counted request per ticket (they were retries) in windows still running: a
/// statement per client, in client order (each locks one row by itself, so it cannot deadlock
/// with [`rate_hits`] in another process). Retries of stored pins are rare.
pub(super) async fn give_back(
    c: &mut Conn<'_>,
    tickets: &[RateTicket],
    now: i64,
) -> Result<(), sqlx::Error> {
    for ((bucket, _, window, _), clients) in tally(tickets.iter()) {
        for (client, n) in clients {
            uncount(c, client, n, bucket, now, window).await?;
        }
    }
    Ok(())
}

/// Takes `n` counted requests of `client` in `bucket` back, if its window is still running.
async fn uncount(
    c: &mut Conn<'_>,
    client: [u8; 16],
    n: i64,
    bucket: &'static str,
    now: i64,
    window: i64,
) -> Result<(), sqlx::Error> {
    let Either::Postgres(x) = c.re() else {
        return Err(postgres_only("a rate counter"));
    };
    sqlx::query(
        "UPDATE rate_windows SET count = GREATEST(count - $2, 0)
         WHERE client = $1 AND bucket = $3 AND $4 - started < $5",
    )
    .bind(client.to_vec())
    .bind(n)
    .bind(bucket)
    .bind(now)
    .bind(window)
    .execute(x)
    .await
    .map(|_| ())
}

/// Requests counted together: bucket, day, window and cap.
type Group = (&'static str, i64, i64, i64);

fn group(t: &RateTicket) -> Group {
    (t.bucket, t.day, t.window, t.cap)
}

/// Each group's clients (in client order, the order their rows are locked in) with their
/// number of tickets.
fn tally<'a>(
    tickets: impl Iterator<Item = &'a RateTicket>,
) -> BTreeMap<Group, BTreeMap<[u8; 16], i64>> {
    let mut groups: BTreeMap<Group, BTreeMap<[u8; 16], i64>> = BTreeMap::new();
    for t in tickets {
        *groups
            .entry(group(t))
            .or_default()
            .entry(t.client)
            .or_default() += 1;
    }
    groups
}

impl Storage {
    /// The rate limiter's key for UTC day `day`: the stored one, or `fresh` if this process is
    /// the first to ask today. Keys and counters of other days are deleted first.
    pub async fn rate_key(&self, day: i64, fresh: [u8; 32]) -> Result<[u8; 32], sqlx::Error> {
        if self.kind() != Kind::Postgres {
            return Err(postgres_only("the rate limiter's key"));
        }
        let key: Vec<u8> = self
            .write(move |mut c| {
                Box::pin(async move {
                    on!(c, |x| sqlx::query("DELETE FROM rate_keys WHERE day <> $1")
                        .bind(day)
                        .execute(x)
                        .await
                        .map(|_| ()))?;
                    // Locked in key order, as the write drains lock them (`rate_hits`), so a
                    // drain still counting with yesterday's key cannot deadlock with this.
                    on!(c, |x| sqlx::query(
                        "DELETE FROM rate_windows WHERE (client, bucket) IN (
                            SELECT client, bucket FROM rate_windows WHERE day <> $1
                            ORDER BY client, bucket FOR UPDATE)"
                    )
                    .bind(day)
                    .execute(x)
                    .await
                    .map(|_| ()))?;
                    on!(c, |x| sqlx::query_as(
                        "INSERT INTO rate_keys (day, key) VALUES ($1, $2)
                         ON CONFLICT (day) DO UPDATE SET key = rate_keys.key RETURNING key",
                    )
                    .bind(day)
                    .bind(fresh.to_vec())
                    .fetch_one(x)
                    .await
                    .map(|(k,): (Vec<u8>,)| k))
                })
            })
            .await?;
        key.try_into()
            .map_err(|_| sqlx::Error::Protocol("the rate key is not 32 bytes".into()))
    }

    /// Counts one request of `client` in `bucket` at `now` unless its window already holds
    /// `cap`; a window `window` seconds old starts again. Returns the window afterwards (with
    /// `refused` when it was full). One statement, so concurrent requests from any process
    /// count exactly. New pins and agrees are not counted here but in their own drains
    /// ([`limit_drain`]); a separate drain of rate counts before the write's measured slower
    /// (4 087 new pins/s against 5 174), because every request then waited for two drains.
    #[allow(clippy::too_many_arguments)]
    pub async fn rate_hit(
        &self,
        client: [u8; 16],
        bucket: &'static str,
        day: i64,
        now: i64,
        window: i64,
        cap: i64,
    ) -> Result<RateWindow, sqlx::Error> {
        if self.kind() != Kind::Postgres {
            return Err(postgres_only("a rate counter"));
        }
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query_as(
                    "INSERT INTO rate_windows AS w (client, bucket, day, started, count, refused)
                     VALUES ($1, $2, $3, $4, LEAST(1, $6), $6 < 1)
                     ON CONFLICT (client, bucket) DO UPDATE SET
                        day = $3,
                        started = CASE WHEN $4 - w.started >= $5 THEN $4 ELSE w.started END,
                        count = CASE WHEN $4 - w.started >= $5 THEN LEAST(1, $6)
                                     WHEN w.count >= $6 THEN w.count
                                     ELSE w.count + 1 END,
                        refused = CASE WHEN $4 - w.started >= $5 THEN $6 < 1
                                       ELSE w.count >= $6 END
                     RETURNING started, count, refused",
                )
                .bind(client.to_vec())
                .bind(bucket)
                .bind(day)
                .bind(now)
                .bind(window)
                .bind(cap)
                .fetch_one(x)
                .await)
            })
        })
        .await
    }

    /// Takes back one counted request (it was a retry) if its window is still running.
    pub async fn rate_uncount(
        &self,
        client: [u8; 16],
        bucket: &'static str,
        now: i64,
        window: i64,
    ) -> Result<(), sqlx::Error> {
        if self.kind() != Kind::Postgres {
            return Err(postgres_only("a rate counter"));
        }
        self.write1(move |mut c| {
            Box::pin(async move { uncount(&mut c, client, 1, bucket, now, window).await })
        })
        .await
    }

    /// The window of `client` in `bucket`, if any.
    pub async fn rate_window(
        &self,
        client: [u8; 16],
        bucket: &'static str,
    ) -> Result<Option<RateWindow>, sqlx::Error> {
        if self.kind() != Kind::Postgres {
            return Err(postgres_only("a rate counter"));
        }
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT started, count, refused FROM rate_windows WHERE client = $1 AND bucket = $2"
        )
        .bind(client.to_vec())
        .bind(bucket)
        .fetch_optional(p)
        .await)
    }

    /// Claims the run of the daily `task` for UTC day `day`: true for exactly one caller per
    /// day, whichever server process asks first.
    pub async fn claim_daily(&self, task: &str, day: i64) -> Result<bool, sqlx::Error> {
        let task = task.to_owned();
        let claimed: Option<(i64,)> = self
            .write1(move |mut c| {
                Box::pin(async move {
                    on!(c, |x| sqlx::query_as(
                        "INSERT INTO daily_runs (task, day) VALUES ($1, $2)
                         ON CONFLICT (task) DO UPDATE SET day = excluded.day
                            WHERE daily_runs.day < excluded.day
                         RETURNING day",
                    )
                    .bind(&task)
                    .bind(day)
                    .fetch_optional(x)
                    .await)
                })
            })
            .await?;
        Ok(claimed.is_some())
    }
}
