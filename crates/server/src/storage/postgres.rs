//! The PostgreSQL side of [`super::Storage`]: the pool, write transactions and the shared
//! public-pin version.

use std::str::FromStr;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};

use super::writer::Counters;
use super::{Conn, Either, OpenError};

/// Opens a pool of `size` connections to `url` and runs the PostgreSQL migrations (several
/// server processes starting at once are safe: sqlx takes an advisory lock for them).
pub(super) async fn open(url: &str, size: u32) -> Result<PgPool, OpenError> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|source| OpenError::BadUrl {
            url: redact(url),
            source,
        })?
        .application_name("trygghetskarta-server")
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(2));
    let pool = PgPoolOptions::new()
        .max_connections(size.max(2))
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
        .map_err(|source| OpenError::Open {
            path: redact(url),
            source,
        })?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(pool)
}

/// The URL without its password, for messages.
pub(super) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{}", &rest[authority_end..])
        }
        _ => url.to_owned(),
    }
}

/// Runs `job` on a pooled connection, in a transaction of its own when `transaction`; a job
/// that fails is rolled back.
pub(super) async fn write<T, F>(
    pool: &PgPool,
    stats: &Counters,
    job: F,
    transaction: bool,
) -> Result<T, sqlx::Error>
where
    T: Send + 'static,
    F: for<'c> FnOnce(Conn<'c>) -> BoxFuture<'c, Result<T, sqlx::Error>> + Send + 'static,
{
    let started = Instant::now();
    let mut conn = pool.acquire().await?;
    let out = if transaction {
        let mut tx = conn.begin().await?;
        match job(Either::Postgres(&mut *tx)).await {
            Ok(value) => tx.commit().await.map(|()| value),
            // Dropping the transaction rolls it back.
            Err(e) => Err(e),
        }
    } else {
        job(Either::Postgres(&mut *conn)).await
    };
    stats.record(1, super::micros_since(started), out.is_ok());
    out
}

/// A version sequence's current value (`public_version`, `public_tiles_version`), 0 before its
/// first `nextval`. (A new sequence's `last_value` is already its first value, 1, with
/// `is_called` false: read alone, a list cached before the first change would have passed as
/// current after it, and a new installation's first pin stayed unseen until the second change.)
pub(super) async fn version(pool: &PgPool, sequence: &'static str) -> Result<u64, sqlx::Error> {
    let (v,): (i64,) = sqlx::query_as(&format!(
        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}"
    ))
    .fetch_one(pool)
    .await?;
    Ok(v as u64)
}

/// Bumps the version, and with `tiles` the tiles' too, after the change has committed: a list
/// or tile index built before the bump is built again on the next request, in every process.
/// Returns the tiles version it moved to (with `tiles`).
pub(super) async fn bump_public_version(
    pool: &PgPool,
    tiles: bool,
) -> Result<Option<u64>, sqlx::Error> {
    if tiles {
        let (_, v): (i64, i64) =
            sqlx::query_as("SELECT nextval('public_version'), nextval('public_tiles_version')")
                .fetch_one(pool)
                .await?;
        return Ok(Some(v as u64));
    }
    sqlx::query("SELECT nextval('public_version')")
        .execute(pool)
        .await
        .map(|_| None)
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            super::redact("postgres://tk:hemligt@db.arboga.se:5432/tk?sslmode=require"),
            "postgres://tk:***@db.arboga.se:5432/tk?sslmode=require"
        );
        assert_eq!(super::redact("postgres://tk@db/tk"), "postgres://tk@db/tk");
    }
}
