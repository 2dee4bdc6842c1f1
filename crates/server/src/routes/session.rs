//! `/api/session`: staff log in and out.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use trygghetskarta_shared::{Role, SessionInfo};

use crate::auth::{self, clear_cookie, hash_token, session_cookie, Staff};
use crate::error::{ApiResult, AppError};
use crate::extract::{JsonBody, RequestParts};
use crate::proxy::Client;
use crate::ratelimit::Subject;
use crate::time::now_unix;
use crate::{password, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/session", post(login).get(current).delete(logout))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    username: String,
    password: String,
}

/// One generic answer for every failed login, so it tells nothing about which part was wrong.
fn wrong() -> AppError {
    AppError::LoginFailed
}

const ADDRESS_FAILURES: &str = "login_failures";
const ACCOUNT_FAILURES: &str = "account_login_failures";

async fn login(
    State(state): State<AppState>,
    client: Client,
    parts: RequestParts,
    JsonBody(body): JsonBody<Login>,
) -> ApiResult<Response> {
    let RequestParts(parts) = parts;
    let now = now_unix();
    let limits = state.config.limits;
    let name = body.username.trim();
    let too_many = |retry_after_secs| AppError::TooManyRequests { retry_after_secs };
    // Failures from this address slow this address only.
    state
        .limiter
        .exhausted(
            Subject::Addr(client.ip),
            ADDRESS_FAILURES,
            limits.logins,
            now,
        )
        .await?
        .map_err(too_many)?;
    // Someone guessing this account from many addresses: only browsers it has logged in from
    // before may go on trying until the window ends.
    let key = state.device_key().await?;
    if let Err(retry) = state
        .limiter
        .exhausted(
            Subject::Account(name),
            ACCOUNT_FAILURES,
            limits.account_logins,
            now,
        )
        .await?
    {
        let known = auth::cookie(&parts, auth::DEVICE_COOKIE)
            .is_some_and(|token| auth::device_known(&key, token, name, now));
        if !known {
            return Err(too_many(retry));
        }
    }
    let user = state.db.user_by_name(name).await?;
    // Verify even for unknown users, so timing does not reveal which names exist.
    let hash = user
        .as_ref()
        .map_or(password::DUMMY_HASH.as_str(), |u| u.password_hash.as_str())
        .to_owned();
    let pw = body.password;
    let ok = tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
        .await
        .map_err(AppError::internal)?;
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        known => {
            state
                .limiter
                .record(
                    Subject::Addr(client.ip),
                    ADDRESS_FAILURES,
                    limits.logins,
                    now,
                )
                .await?;
            let failures = state
                .limiter
                .record(
                    Subject::Account(name),
                    ACCOUNT_FAILURES,
                    limits.account_logins,
                    now,
                )
                .await?;
            if failures == limits.account_logins.max {
                // No addresses in the log; the name only if it is an account (an attacker's
                // made-up names are not worth writing down).
                tracing::warn!(
                    account = known
                        .as_ref()
                        .map_or("(an unknown name)", |u| u.username.as_str()),
                    failures,
                    window_minutes = limits.account_logins.window.as_secs() / 60,
                    "many failed logins for one account from any address: until the window \
                     ends, only browsers that logged in to it before may try"
                );
            }
            return Err(wrong());
        }
    };
    let token = crate::random_token(32);
    state
        .db
        .create_session(&hash_token(&token), user.id, now)
        .await?;
    state.db.logged_in(user.id, now).await?;
    let role = Role::parse(&user.role).ok_or_else(|| AppError::internal("bad stored role"))?;
    let secure = auth::cookies_secure(&parts, &client, &state.config);
    let mut res = Json(SessionInfo {
        username: user.username.clone(),
        role,
    })
    .into_response();
    let headers = res.headers_mut();
    for cookie in [
        session_cookie(&token, secure),
        auth::device_cookie(&auth::device_token(&key, &user.username, now), secure),
    ] {
        headers.append(
            header::SET_COOKIE,
            HeaderValue::from_str(&cookie).map_err(AppError::internal)?,
        );
    }
    Ok(res)
}

async fn current(staff: Staff) -> Json<SessionInfo> {
    Json(SessionInfo {
        username: staff.username,
        role: staff.role,
    })
}

async fn logout(
    State(state): State<AppState>,
    client: Client,
    RequestParts(parts): RequestParts,
) -> ApiResult<Response> {
    if let Some(token) = auth::session_token(&parts) {
        state.db.delete_session(&hash_token(&token)).await?;
    }
    let secure = auth::cookies_secure(&parts, &client, &state.config);
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(secure))],
    )
        .into_response())
}
