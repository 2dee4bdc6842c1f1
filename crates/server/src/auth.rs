//! Staff sessions: login, the `Staff` extractor every staff route takes, role checks, and
//! protection against cross-site requests.
//!
//! The session cookie is `HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure` unless the request
//! came to plain-http localhost (development); behind TLS (`--public-url https://…`, or a trusted
//! proxy's `X-Forwarded-Proto: https`) always. State-changing staff requests must also carry an
//! `Origin` that matches the `Host` they were sent to, when the browser sends one.
//!
//! Logins are throttled so that the throttle is no lockout weapon: failures from one address
//! slow that address only; when one account collects many failures from anywhere (someone
//! guessing its password from many addresses), only browsers that account has logged in from
//! before (a signed *known-device* cookie, OWASP's "device cookies") may keep trying until the
//! window ends, so its owner still gets in while the guessing stops.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use trygghetskarta_shared::Role;

use crate::error::AppError;
use crate::proxy::Client;
use crate::time::now_unix;
use crate::{AppConfig, AppState};

pub const COOKIE: &str = "tk_session";
/// A session ends after this long without a request...
pub const IDLE_SECS: i64 = 2 * 3600;
/// ...and at the latest this long after login.
pub const ABSOLUTE_SECS: i64 = 12 * 3600;

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session token from the request's cookies.
pub fn session_token(parts: &Parts) -> Option<String> {
    cookie(parts, COOKIE).map(str::to_owned)
}

/// Plain-http development on this machine: the only case where the cookie may lack `Secure`.
pub fn is_local_host(parts: &Parts) -> bool {
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(name, _)| name);
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

/// Whether cookies must be `Secure`: over TLS always; on plain http only off this machine (a
/// development server on localhost has no TLS).
pub fn cookies_secure(parts: &Parts, client: &Client, config: &AppConfig) -> bool {
    client.https || config.public_https() || !is_local_host(parts)
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={ABSOLUTE_SECS}{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The known-device cookie: set at a successful login, read only by `/api/session`.
pub const DEVICE_COOKIE: &str = "tk_device";
/// How long a browser stays a known device for its account.
pub const DEVICE_SECS: i64 = 180 * 86_400;

fn device_mac(key: &[u8; 32], username: &str, issued: i64, nonce: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(b"tk-device\0");
    mac.update(username.trim().to_lowercase().as_bytes());
    mac.update(b"\0");
    mac.update(issued.to_string().as_bytes());
    mac.update(b"\0");
    mac.update(nonce.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A known-device token for `username`: `ISSUED.NONCE.MAC`, signed with the server's key.
pub fn device_token(key: &[u8; 32], username: &str, now: i64) -> String {
    let nonce = crate::random_token(16);
    let mac = device_mac(key, username, now, &nonce);
    format!("{now}.{nonce}.{mac}")
}

/// Whether `token` is a known-device token for `username` that has not expired.
pub fn device_known(key: &[u8; 32], token: &str, username: &str, now: i64) -> bool {
    let mut parts = token.splitn(3, '.');
    let (Some(issued), Some(nonce), Some(mac)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Ok(issued) = issued.parse::<i64>() else {
        return false;
    };
    if !(0..=DEVICE_SECS).contains(&(now - issued)) {
        return false;
    }
    let expected = device_mac(key, username, issued, nonce);
    bool::from(expected.as_bytes().ct_eq(mac.as_bytes()))
}

pub fn device_cookie(token: &str, secure: bool) -> String {
    format!(
        "{DEVICE_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/api/session; Max-Age={DEVICE_SECS}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// A cookie's value from the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Rejects a state-changing request whose `Origin` is not the site it was sent to.
pub fn check_origin(parts: &Parts) -> Result<(), AppError> {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let Some(origin) = parts.headers.get(header::ORIGIN) else {
        return Ok(()); // not a browser's cross-site request (browsers send Origin on these)
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    match (origin_host, host) {
        (Some(o), Some(h)) if o.eq_ignore_ascii_case(h) => Ok(()),
        _ => Err(AppError::Forbidden(
            "Cross-site requests are not allowed for staff actions.".into(),
        )),
    }
}

/// A logged-in staff member. Taking it in a handler makes the route answer `401` without a
/// valid session, and `403` for a cross-site state change.
#[derive(Debug, Clone, PartialEq)]
pub struct Staff {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
}

impl Staff {
    /// `403` unless the user has one of the roles (admins always pass).
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if self.role == Role::Admin || roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden("Your role may not do this.".into()))
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = session_token(parts).ok_or(AppError::Unauthorized)?;
        let hash = hash_token(&token);
        let session = state
            .db
            .session(&hash)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let now = now_unix();
        if session.disabled
            || now - session.last_seen_at > IDLE_SECS
            || now - session.created_at > ABSOLUTE_SECS
        {
            state.db.delete_session(&hash).await?;
            return Err(AppError::Unauthorized);
        }
        check_origin(parts)?;
        state.db.touch_session(&hash, now).await?;
        Ok(Staff {
            user_id: session.user_id,
            username: session.username,
            role: Role::parse(&session.role)
                .ok_or_else(|| AppError::internal("bad stored role"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(method: &str, headers: &[(&str, &str)]) -> Parts {
        let mut b = Request::builder().method(method).uri("/api/x");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_cookie_is_read_among_others() {
        let p = parts("GET", &[("cookie", "a=1; tk_session=abc; b=2")]);
        assert_eq!(session_token(&p).as_deref(), Some("abc"));
        assert_eq!(session_token(&parts("GET", &[])), None);
    }

    #[test]
    fn cookies_are_secure_except_on_local_plain_http() {
        assert!(is_local_host(&parts("GET", &[("host", "127.0.0.1:8080")])));
        assert!(is_local_host(&parts("GET", &[("host", "localhost")])));
        assert!(!is_local_host(&parts(
            "GET",
            &[("host", "karta.arboga.se")]
        )));
        assert!(session_cookie("t", true).contains("; Secure"));
        let c = session_cookie("t", false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"));
    }

    #[test]
    fn behind_tls_cookies_are_secure_even_on_localhost() {
        let local = parts("POST", &[("host", "127.0.0.1:8443")]);
        let direct = Client {
            ip: "127.0.0.1".parse().unwrap(),
            https: false,
        };
        let proxied = Client {
            https: true,
            ..direct
        };
        let config = AppConfig::default();
        assert!(!cookies_secure(&local, &direct, &config));
        assert!(cookies_secure(&local, &proxied, &config));
        let public = AppConfig {
            public_url: Some("https://karta.arboga.se".into()),
            ..AppConfig::default()
        };
        assert!(cookies_secure(&local, &direct, &public));
        let remote = parts("POST", &[("host", "karta.arboga.se")]);
        assert!(cookies_secure(&remote, &direct, &config));
    }

    #[test]
    fn known_device_tokens_are_bound_to_the_account_and_expire() {
        let key = [7u8; 32];
        let now = 1_800_000_000;
        let token = device_token(&key, "Anna", now);
        assert!(device_known(&key, &token, "anna", now + 10));
        assert!(device_known(&key, &token, " ANNA ", now + DEVICE_SECS));
        assert!(
            !device_known(&key, &token, "bo", now + 10),
            "another account"
        );
        assert!(
            !device_known(&[8u8; 32], &token, "anna", now),
            "another server key"
        );
        assert!(
            !device_known(&key, &token, "anna", now + DEVICE_SECS + 1),
            "expired"
        );
        let forged = token.replacen(&now.to_string(), &(now + 99).to_string(), 1);
        assert!(
            !device_known(&key, &forged, "anna", now + 100),
            "issue time is signed"
        );
        for junk in ["", "x", "1.2", "a.b.c"] {
            assert!(!device_known(&key, junk, "anna", now));
        }
    }

    #[test]
    fn cross_site_state_changes_are_refused() {
        let same = parts(
            "POST",
            &[
                ("host", "karta.arboga.se"),
                ("origin", "https://karta.arboga.se"),
            ],
        );
        assert!(check_origin(&same).is_ok());
        let evil = parts(
            "POST",
            &[
                ("host", "karta.arboga.se"),
                ("origin", "https://evil.example"),
            ],
        );
        assert!(check_origin(&evil).is_err());
        let read = parts(
            "GET",
            &[
                ("host", "karta.arboga.se"),
                ("origin", "https://evil.example"),
            ],
        );
        assert!(check_origin(&read).is_ok(), "reads are harmless");
    }
}
