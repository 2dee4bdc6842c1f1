//! What several server processes on one PostgreSQL must share beyond the data: the rate
//! limiter's day key and counters (`ratelimit.rs` keeps them in memory with SQLite, where one
//! process owns the file), and which daily tasks have run.
//!
//! The rate tables are `UNLOGGED`: never in the write-ahead log or a replica, emptied by a
//! crash, and left out of backups made with `pg_dump --no-unlogged-table-data`
//! (docs/OPERATIONS.md). Counters are keyed by HMAC(day key, address); the key row is deleted
//! when the next UTC day's key is made, and with it any way back to an address.

use std::collections::BTreeMap;

use sqlx::postgres::PgConnection;

use super::backend::Either;
use super::batch::{Batch, Outcome};
use super::{on, Kind, Storage};

/// One request to count (see [`Storage::rate_hit`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct RateHit {
    client: [u8; 16],
    bucket: &'static str,
    day: i64,
    now: i64,
    window: i64,
    cap: i64,
}

/// Rate counts waiting to be made together.
pub(super) type RateQueue = Batch<RateHit, RateWindow>;

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
                    on!(c, |x| sqlx::query(
                        "DELETE FROM rate_windows WHERE day <> $1"
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
    /// `refused` when it was full).
    ///
    /// The requests counted at the same moment are counted together (see [`super::batch`]):
    /// one transaction of three statements for all of them, whatever their number (before,
    /// one upsert each was most of what a new pin cost PostgreSQL beyond its insert). Rows are
    /// locked in key order, so every process counts exactly and none deadlocks.
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
        let hit = RateHit {
            client,
            bucket,
            day,
            now,
            window,
            cap,
        };
        let me = self.clone();
        self.rate_hits
            .submit(hit, move |hits| {
                let me = me.clone();
                async move {
                    me.write(move |mut c| {
                        Box::pin(async move {
                            match c.re() {
                                Either::Postgres(x) => count_hits(x, &hits).await,
                                Either::Sqlite(_) => Err(postgres_only("a rate counter")),
                            }
                        })
                    })
                    .await
                }
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
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "UPDATE rate_windows SET count = GREATEST(count - 1, 0)
                     WHERE client = $1 AND bucket = $2 AND $3 - started < $4",
                )
                .bind(client.to_vec())
                .bind(bucket)
                .bind(now)
                .bind(window)
                .execute(x)
                .await
                .map(|_| ()))
            })
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

/// A window as it stands, and the next request's effect on it: what one
/// `INSERT … ON CONFLICT DO UPDATE` per request did, in arrival order.
fn step(w: &mut RateWindow, hit: &RateHit) {
    if hit.now - w.started >= hit.window {
        w.started = hit.now;
        w.count = hit.cap.min(1);
        w.refused = hit.cap < 1;
    } else if w.count >= hit.cap {
        w.refused = true;
    } else {
        w.count += 1;
        w.refused = false;
    }
}

/// Counts `hits` in one transaction: each key's row made or locked, in key order; the counts
/// worked out here in arrival order; the rows written back.
async fn count_hits(
    c: &mut PgConnection,
    hits: &[RateHit],
) -> Result<Vec<Outcome<RateWindow>>, sqlx::Error> {
    // The last day each key was seen with (written back as the row's day).
    let mut keys: BTreeMap<(Vec<u8>, &'static str), i64> = BTreeMap::new();
    for h in hits {
        keys.insert((h.client.to_vec(), h.bucket), h.day);
    }
    let clients: Vec<Vec<u8>> = keys.keys().map(|(c, _)| c.clone()).collect();
    let buckets: Vec<&str> = keys.keys().map(|(_, b)| *b).collect();
    let days: Vec<i64> = keys.values().copied().collect();
    // One pass in key order makes a new client's row (a window long over, so its first
    // request opens one) or locks the row there is: every process takes its locks in the same
    // order, so none waits for another that waits for it.
    let rows: Vec<(Vec<u8>, String, i64, i64, bool)> = sqlx::query_as(
        "INSERT INTO rate_windows AS w (client, bucket, day, started, count, refused)
         SELECT client, bucket, day, $4, 0, false
         FROM unnest($1::bytea[], $2::text[], $3::bigint[]) AS u(client, bucket, day)
         ORDER BY client, bucket
         ON CONFLICT (client, bucket) DO UPDATE SET day = w.day
         RETURNING w.client, w.bucket, w.started, w.count, w.refused",
    )
    .bind(&clients)
    .bind(&buckets)
    .bind(&days)
    .bind(i64::MIN / 2)
    .fetch_all(&mut *c)
    .await?;
    let mut windows: BTreeMap<(Vec<u8>, String), RateWindow> = rows
        .into_iter()
        .map(|(client, bucket, started, count, refused)| {
            (
                (client, bucket),
                RateWindow {
                    started,
                    count,
                    refused,
                },
            )
        })
        .collect();
    let mut out = Vec::with_capacity(hits.len());
    for h in hits {
        let w = windows
            .get_mut(&(h.client.to_vec(), h.bucket.to_owned()))
            .ok_or_else(|| sqlx::Error::Protocol("a rate window was not locked".into()))?;
        step(w, h);
        out.push(Ok(*w));
    }
    let (mut started, mut count, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    for (client, bucket) in keys.keys() {
        let w = windows[&(client.clone(), (*bucket).to_owned())];
        started.push(w.started);
        count.push(w.count);
        refused.push(w.refused);
    }
    sqlx::query(
        "UPDATE rate_windows AS w
         SET day = u.day, started = u.started, count = u.count, refused = u.refused
         FROM unnest($1::bytea[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[],
                     $6::boolean[]) AS u(client, bucket, day, started, count, refused)
         WHERE w.client = u.client AND w.bucket = u.bucket",
    )
    .bind(&clients)
    .bind(&buckets)
    .bind(&days)
    .bind(&started)
    .bind(&count)
    .bind(&refused)
    .execute(&mut *c)
    .await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(now: i64, cap: i64) -> RateHit {
        RateHit {
            client: [7; 16],
            bucket: "pins",
            day: now / 86_400,
            now,
            window: 60,
            cap,
        }
    }

    #[test]
    fn requests_fill_a_window_then_are_refused_until_it_starts_again() {
        // A new client's row: a window long over.
        let mut w = RateWindow {
            started: i64::MIN / 2,
            count: 0,
            refused: false,
        };
        let seen: Vec<(i64, i64, bool)> = [100, 101, 102, 159, 160]
            .iter()
            .map(|&t| {
                step(&mut w, &hit(t, 2));
                (w.started, w.count, w.refused)
            })
            .collect();
        assert_eq!(
            seen,
            [
                (100, 1, false),
                (100, 2, false),
                (100, 2, true),
                (100, 2, true),
                (160, 1, false)
            ]
        );
    }

    #[test]
    fn a_cap_of_nothing_refuses_even_the_first() {
        let mut w = RateWindow {
            started: i64::MIN / 2,
            count: 0,
            refused: false,
        };
        step(&mut w, &hit(100, 0));
        assert_eq!((w.count, w.refused), (0, true));
    }
}
