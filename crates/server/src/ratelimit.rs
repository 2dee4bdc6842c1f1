//! Per-client request limits without storing IP addresses.
//!
//! A client is identified by HMAC-SHA256(key, address), truncated to 128 bits; an IPv6 client
//! by its /64 network (one household or phone gets a whole /64, so counting single IPv6
//! addresses would let it pick a new one per request). The key is random and replaced every UTC
//! day (which also forgets all counters), so no address can be recovered after the fact, and
//! nothing about clients reaches logs. Staff accounts are counted the same way, by a keyed hash
//! of the lower-cased name.
//!
//! Where key and counters live depends on the backend (docs/PRIVACY.md):
//! - **SQLite** (one server process): in this process's memory only ([`MemoryLimiter`]).
//! - **PostgreSQL** (any number of processes): in the database's unlogged rate tables
//!   (`storage::shared`), so that a client cannot get N times the limit from N processes. Each
//!   process keeps the day's key in memory too; the first process to start a new day replaces
//!   the stored key and deletes the old day's counters.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::proxy::canonical;
use crate::storage::{Kind, RateTicket, Storage};

/// At most `max` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    pub const fn per_minutes(max: u32, minutes: u64) -> Limit {
        Limit {
            max,
            window: Duration::from_secs(minutes * 60),
        }
    }
}

/// Whom a count is about.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A client address.
    Addr(IpAddr),
    /// A staff account name (case-insensitive).
    Account(&'a str),
}

type ClientId = [u8; 16];

/// Whether a request may go on: `Err(seconds)` says when the client may try again.
pub type Verdict = Result<(), u64>;

/// The limiter for a database: in memory for SQLite, shared through PostgreSQL.
#[derive(Debug)]
pub enum RateLimiter {
    Memory(MemoryLimiter),
    Shared(SharedLimiter),
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::Memory(MemoryLimiter::default())
    }
}

impl RateLimiter {
    /// The right limiter for `db`'s backend.
    pub fn for_storage(db: &Storage) -> RateLimiter {
        match db.kind() {
            Kind::Sqlite => RateLimiter::default(),
            Kind::Postgres => RateLimiter::Shared(SharedLimiter {
                db: db.clone(),
                key: Mutex::new(None),
            }),
        }
    }

    /// Counts one request of `ip` in `bucket` at `now` (Unix seconds), unless the window is
    /// full.
    pub async fn check(
        &self,
        ip: IpAddr,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> Result<Verdict, sqlx::Error> {
        match self {
            RateLimiter::Memory(m) => Ok(m.check(ip, bucket, limit, now)),
            RateLimiter::Shared(s) => s.check(Subject::Addr(ip), bucket, limit, now).await,
        }
    }

    /// For a write that counts its request in its own write job ([`Storage::agree`],
    /// [`Storage::insert_pin_counted`]): SQLite's
    /// in-memory limiter counts it now, as [`RateLimiter::check`] does (`Ok(None)`, or
    /// `Err(seconds)`); PostgreSQL's shared one answers the ticket the job counts it with, in
    /// one statement for all the requests it writes together. Refused there, the write answers
    /// `Limited`, and [`retry_after_from`] says when to try again.
    pub async fn ticket(
        &self,
        ip: IpAddr,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> Result<Result<Option<RateTicket>, u64>, sqlx::Error> {
        match self {
            RateLimiter::Memory(m) => Ok(m.check(ip, bucket, limit, now).map(|()| None)),
            RateLimiter::Shared(s) => Ok(Ok(Some(RateTicket {
                client: s.id(Subject::Addr(ip), now).await?,
                bucket,
                day: day_of(now),
                window: window_secs(limit),
                cap: i64::from(limit.max),
            }))),
        }
    }

    /// Takes back one request [`RateLimiter::check`] counted (it turned out to be a retry).
    pub async fn uncount(
        &self,
        ip: IpAddr,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        match self {
            RateLimiter::Memory(m) => {
                m.uncount(ip, bucket, limit, now);
                Ok(())
            }
            RateLimiter::Shared(s) => {
                let id = s.id(Subject::Addr(ip), now).await?;
                s.db.rate_uncount(id, bucket, now, window_secs(limit)).await
            }
        }
    }

    /// Whether `subject` has used up `limit` in `bucket`, without counting anything.
    pub async fn exhausted(
        &self,
        subject: Subject<'_>,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> Result<Verdict, sqlx::Error> {
        match self {
            RateLimiter::Memory(m) => Ok(m.exhausted(subject, bucket, limit, now)),
            RateLimiter::Shared(s) => {
                let id = s.id(subject, now).await?;
                let window = s.db.rate_window(id, bucket).await?;
                Ok(match window {
                    Some(w)
                        if now - w.started < window_secs(limit)
                            && w.count >= i64::from(limit.max) =>
                    {
                        Err(retry_after((w.started, limit.max), limit, now))
                    }
                    _ => Ok(()),
                })
            }
        }
    }

    /// Counts one event (a failed login) of `subject`; returns the count in the window.
    pub async fn record(
        &self,
        subject: Subject<'_>,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> Result<u32, sqlx::Error> {
        match self {
            RateLimiter::Memory(m) => Ok(m.record(subject, bucket, limit, now)),
            RateLimiter::Shared(s) => {
                let id = s.id(subject, now).await?;
                let w =
                    s.db.rate_hit(id, bucket, day_of(now), now, window_secs(limit), i64::MAX)
                        .await?;
                Ok(u32::try_from(w.count).unwrap_or(u32::MAX))
            }
        }
    }
}

/// The limiter for several server processes: key and counters in PostgreSQL.
#[derive(Debug)]
pub struct SharedLimiter {
    db: Storage,
    /// The day's key, as stored (day, key).
    key: Mutex<Option<(i64, [u8; 32])>>,
}

impl SharedLimiter {
    /// The day's key: remembered, or fetched (made by the first process to ask each day).
    async fn key(&self, now: i64) -> Result<[u8; 32], sqlx::Error> {
        let day = day_of(now);
        let known = *self.key.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, key)) = known.filter(|(d, _)| *d == day) {
            return Ok(key);
        }
        let key = self.db.rate_key(day, fresh_key()).await?;
        *self.key.lock().unwrap_or_else(|e| e.into_inner()) = Some((day, key));
        Ok(key)
    }

    async fn id(&self, subject: Subject<'_>, now: i64) -> Result<ClientId, sqlx::Error> {
        Ok(client_id(&self.key(now).await?, subject))
    }

    async fn check(
        &self,
        subject: Subject<'_>,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> Result<Verdict, sqlx::Error> {
        let id = self.id(subject, now).await?;
        let w = self
            .db
            .rate_hit(
                id,
                bucket,
                day_of(now),
                now,
                window_secs(limit),
                i64::from(limit.max),
            )
            .await?;
        Ok(if w.refused {
            Err(retry_after((w.started, limit.max), limit, now))
        } else {
            Ok(())
        })
    }
}

fn day_of(now: i64) -> i64 {
    now.div_euclid(86_400)
}

fn window_secs(limit: Limit) -> i64 {
    i64::try_from(limit.window.as_secs()).unwrap_or(i64::MAX)
}

/// HMAC(key, subject), truncated to 128 bits.
fn client_id(key: &[u8; 32], subject: Subject<'_>) -> ClientId {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    match subject {
        Subject::Addr(ip) => match canonical(ip) {
            IpAddr::V4(v4) => mac.update(&v4.octets()),
            IpAddr::V6(v6) => {
                mac.update(b"v6/64");
                mac.update(&v6.octets()[..8]);
            }
        },
        Subject::Account(name) => {
            mac.update(b"account:");
            mac.update(name.trim().to_lowercase().as_bytes());
        }
    }
    let digest = mac.finalize().into_bytes();
    let mut client = [0u8; 16];
    client.copy_from_slice(&digest[..16]);
    client
}

#[derive(Debug)]
struct State {
    key: [u8; 32],
    day: i64,
    /// (client, bucket) -> (window start, count)
    windows: HashMap<(ClientId, &'static str), (i64, u32)>,
}

/// The limiter of one server process: key and counters in memory only.
#[derive(Debug)]
pub struct MemoryLimiter {
    state: Mutex<State>,
}

impl Default for MemoryLimiter {
    fn default() -> Self {
        MemoryLimiter {
            state: Mutex::new(State {
                key: fresh_key(),
                day: i64::MIN,
                windows: HashMap::new(),
            }),
        }
    }
}

fn fresh_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    key
}

impl State {
    /// Rotates the key at a new day and hashes the subject.
    fn id(&mut self, subject: Subject<'_>, now: i64) -> ClientId {
        let day = day_of(now);
        if day != self.day {
            self.key = fresh_key();
            self.day = day;
            self.windows.clear();
        }
        client_id(&self.key, subject)
    }

    /// The current window of `(id, bucket)`, started afresh when the old one is over.
    fn window(
        &mut self,
        id: ClientId,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> &mut (i64, u32) {
        let window = limit.window.as_secs() as i64;
        if self.windows.len() > 50_000 {
            self.windows.retain(|_, (start, _)| now - *start < window);
        }
        let entry = self.windows.entry((id, bucket)).or_insert((now, 0));
        if now - entry.0 >= window {
            *entry = (now, 0);
        }
        entry
    }
}

/// When a client whose window began at `started` may try again: never more than a window (a
/// drain of agrees starts a window at its newest request's time, which may be a second after
/// this request's `now`).
pub fn retry_after_from(started: i64, limit: Limit, now: i64) -> u64 {
    retry_after((started, limit.max), limit, now).min(limit.window.as_secs().max(1))
}

fn retry_after(entry: (i64, u32), limit: Limit, now: i64) -> u64 {
    (entry.0 + limit.window.as_secs() as i64 - now).max(1) as u64
}

impl MemoryLimiter {
    /// Counts one request of `ip` in `bucket` at `now` (Unix seconds). `Err(seconds)` says when
    /// the client may try again.
    pub fn check(
        &self,
        ip: IpAddr,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> Result<(), u64> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let id = state.id(Subject::Addr(ip), now);
        let entry = state.window(id, bucket, limit, now);
        if entry.1 >= limit.max {
            return Err(retry_after(*entry, limit, now));
        }
        entry.1 += 1;
        Ok(())
    }

    /// Takes back one request [`MemoryLimiter::check`] counted (it turned out to be a retry).
    pub fn uncount(&self, ip: IpAddr, bucket: &'static str, limit: Limit, now: i64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let id = state.id(Subject::Addr(ip), now);
        let entry = state.window(id, bucket, limit, now);
        entry.1 = entry.1.saturating_sub(1);
    }

    /// Whether `subject` has used up `limit` in `bucket`, without counting anything.
    pub fn exhausted(
        &self,
        subject: Subject<'_>,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> Result<(), u64> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let id = state.id(subject, now);
        let entry = state.window(id, bucket, limit, now);
        if entry.1 >= limit.max {
            Err(retry_after(*entry, limit, now))
        } else {
            Ok(())
        }
    }

    /// Counts one event (a failed login) of `subject`; returns the count in the window.
    pub fn record(
        &self,
        subject: Subject<'_>,
        bucket: &'static str,
        limit: Limit,
        now: i64,
    ) -> u32 {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let id = state.id(subject, now);
        let entry = state.window(id, bucket, limit, now);
        entry.1 = entry.1.saturating_add(1);
        entry.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_client_and_bucket_then_resets() {
        let rl = MemoryLimiter::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "2001:db8::1".parse().unwrap();
        let limit = Limit::per_minutes(2, 1);
        let t = 1_800_000_000;
        assert!(rl.check(a, "pins", limit, t).is_ok());
        assert!(rl.check(a, "pins", limit, t + 1).is_ok());
        assert_eq!(rl.check(a, "pins", limit, t + 10), Err(50));
        assert!(rl.check(b, "pins", limit, t + 10).is_ok(), "another client");
        assert!(
            rl.check(a, "agrees", limit, t + 10).is_ok(),
            "another bucket"
        );
        assert!(rl.check(a, "pins", limit, t + 60).is_ok(), "a new window");
    }

    #[test]
    fn the_key_changes_every_day() {
        let rl = MemoryLimiter::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let limit = Limit::per_minutes(1, 60 * 48);
        rl.check(ip, "pins", limit, 86_400 * 20_000).unwrap();
        let key1 = rl.state.lock().unwrap().key;
        assert!(rl.check(ip, "pins", limit, 86_400 * 20_000 + 5).is_err());
        rl.check(ip, "pins", limit, 86_400 * 20_000 + 86_400)
            .unwrap();
        assert_ne!(rl.state.lock().unwrap().key, key1);
    }

    #[test]
    fn an_ipv6_client_is_its_64_network_and_mapped_ipv4_is_ipv4() {
        let rl = MemoryLimiter::default();
        let limit = Limit::per_minutes(1, 10);
        let t = 1_800_000_000;
        rl.check("2001:db8:1:2::1".parse().unwrap(), "pins", limit, t)
            .unwrap();
        assert!(rl
            .check("2001:db8:1:2:ffff::9".parse().unwrap(), "pins", limit, t)
            .is_err());
        assert!(rl
            .check("2001:db8:1:3::1".parse().unwrap(), "pins", limit, t)
            .is_ok());
        rl.check("192.0.2.7".parse().unwrap(), "pins", limit, t)
            .unwrap();
        assert!(rl
            .check("::ffff:192.0.2.7".parse().unwrap(), "pins", limit, t)
            .is_err());
    }

    #[test]
    fn events_are_counted_apart_from_checks() {
        let rl = MemoryLimiter::default();
        let limit = Limit::per_minutes(2, 10);
        let t = 1_800_000_000;
        let who = Subject::Account("Anna");
        assert!(rl.exhausted(who, "fail", limit, t).is_ok());
        assert_eq!(rl.record(who, "fail", limit, t), 1);
        assert_eq!(rl.record(Subject::Account(" anna "), "fail", limit, t), 2);
        assert_eq!(rl.exhausted(who, "fail", limit, t + 60), Err(540));
        assert!(rl
            .exhausted(Subject::Account("bo"), "fail", limit, t)
            .is_ok());
        assert!(
            rl.exhausted(who, "fail", limit, t + 600).is_ok(),
            "window over"
        );
    }
}
