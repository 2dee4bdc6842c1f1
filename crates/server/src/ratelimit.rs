//! Per-client rate limits without storing IP addresses.
//!
//! A client is identified by HMAC-SHA256(key, ip), truncated to 128 bits. The key is random,
//! held only in memory, and replaced every UTC day (which also forgets all counters), so no
//! address can be recovered from memory after the fact, and nothing about clients reaches disk or logs.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

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

type ClientId = [u8; 16];

#[derive(Debug)]
struct State {
    key: [u8; 32],
    day: i64,
    /// (client, bucket) -> (window start, count)
    windows: HashMap<(ClientId, &'static str), (i64, u32)>,
}

#[derive(Debug)]
pub struct RateLimiter {
    state: Mutex<State>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter {
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

impl RateLimiter {
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
        let day = now.div_euclid(86_400);
        if day != state.day {
            state.key = fresh_key();
            state.day = day;
            state.windows.clear();
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(&state.key).expect("any key length");
        match ip {
            IpAddr::V4(v4) => mac.update(&v4.octets()),
            IpAddr::V6(v6) => mac.update(&v6.octets()),
        }
        let digest = mac.finalize().into_bytes();
        let mut client = [0u8; 16];
        client.copy_from_slice(&digest[..16]);

        let window = limit.window.as_secs() as i64;
        if state.windows.len() > 50_000 {
            state.windows.retain(|_, (start, _)| now - *start < window);
        }
        let entry = state.windows.entry((client, bucket)).or_insert((now, 0));
        if now - entry.0 >= window {
            *entry = (now, 0);
        }
        if entry.1 >= limit.max {
            return Err((entry.0 + window - now).max(1) as u64);
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_client_and_bucket_then_resets() {
        let rl = RateLimiter::default();
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
        let rl = RateLimiter::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let limit = Limit::per_minutes(1, 60 * 48);
        rl.check(ip, "pins", limit, 86_400 * 20_000).unwrap();
        let key1 = rl.state.lock().unwrap().key;
        assert!(rl.check(ip, "pins", limit, 86_400 * 20_000 + 5).is_err());
        rl.check(ip, "pins", limit, 86_400 * 20_001).unwrap();
        assert_ne!(rl.state.lock().unwrap().key, key1);
    }
}
