//! Retention: residents' free text is kept for a limited time. Once a day, comments and place
//! descriptions of pins older than the configured age (default 24 months) are deleted; the pin
//! stays as category, time of day, date and location, so the lägesbild keeps its history.

use jiff::{Span, Timestamp};

use crate::storage::Storage;
use crate::time::local_tz;

pub const DEFAULT_MONTHS: u32 = 24;

/// The moment `months` calendar months before `now` (local calendar).
pub fn cutoff(now: i64, months: u32) -> i64 {
    let now = Timestamp::from_second(now).unwrap_or(Timestamp::UNIX_EPOCH);
    now.to_zoned_datetime(local_tz())
        .checked_sub(Span::new().months(i64::from(months)))
        .map(|z| z.timestamp().as_second())
        .unwrap_or(i64::MIN)
}

/// Deletes the text of pins older than `months`, and the e-mail subscriptions of those pins
/// and of pins closed more than 30 days ago; returns how many pins lost text.
pub async fn run(db: &Storage, now: i64, months: u32) -> Result<u64, sqlx::Error> {
    let cutoff = cutoff(now, months);
    let addresses = db.purge_subscriptions(now, cutoff).await?;
    if addresses > 0 {
        tracing::info!(addresses, "retention: deleted e-mail subscriptions");
    }
    db.purge_texts_before(cutoff).await
}

/// Runs [`run`] once per UTC day for the whole installation: every hour (and at start) this
/// process tries to claim today's run in the database, and only the first claim of a day runs
/// it, whichever server process (on a shared PostgreSQL) makes it.
pub fn spawn_daily(db: Storage, months: u32) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            let now = crate::time::now_unix();
            match db.claim_daily("retention", now.div_euclid(86_400)).await {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "retention: cannot claim today's run");
                    continue;
                }
            }
            tracing::info!(months, "retention: today's run is this process's");
            match run(&db, now, months).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(pins = n, months, "retention: deleted old comments"),
                Err(e) => tracing::warn!(error = %e, "retention run failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cutoff_is_calendar_months_back() {
        // 2026-11-26T12:00:00+01:00 minus 24 months is 2024-11-26T12:00:00+01:00.
        assert_eq!(cutoff(1_795_690_800, 24), 1_732_618_800);
    }
}
