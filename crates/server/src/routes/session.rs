//! `/api/session`: staff log in and out.

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use rand::RngCore;
use serde::Deserialize;
use trygghetskarta_shared::{Role, SessionInfo};

use crate::auth::{self, clear_cookie, hash_token, session_cookie, Staff};
use crate::error::{ApiResult, AppError};
use crate::extract::{ClientAddr, JsonBody};
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

fn parts_of(headers: &HeaderMap) -> Parts {
    let mut req = axum::http::Request::new(());
    *req.headers_mut() = headers.clone();
    req.into_parts().0
}

fn local(headers: &HeaderMap) -> bool {
    auth::is_local_host(&parts_of(headers))
}

/// One generic answer for every failed login, so it tells nothing about which part was wrong.
fn wrong() -> AppError {
    AppError::LoginFailed
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Login>,
) -> ApiResult<Response> {
    let now = now_unix();
    state
        .limiter
        .check(ip, "login", state.config.limits.logins, now)
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    let user = state.db.user_by_name(body.username.trim()).await?;
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
        _ => return Err(wrong()),
    };
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    state
        .db
        .create_session(&hash_token(&token), user.id, now)
        .await?;
    let role = Role::parse(&user.role).ok_or_else(|| AppError::internal("bad stored role"))?;
    let cookie = session_cookie(&token, !local(&headers));
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(SessionInfo {
            username: user.username,
            role,
        }),
    )
        .into_response())
}

async fn current(staff: Staff) -> Json<SessionInfo> {
    Json(SessionInfo {
        username: staff.username,
        role: staff.role,
    })
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = auth::session_token(&parts_of(&headers)) {
        state.db.delete_session(&hash_token(&token)).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(!local(&headers)))],
    )
        .into_response())
}
