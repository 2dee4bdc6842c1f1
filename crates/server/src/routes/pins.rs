//! `/api/pins`: residents' reports.

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use trygghetskarta_shared::pin::{GRID_LAT_DEG, GRID_LON_DEG, MAX_LOOKUP};
use trygghetskarta_shared::{
    AgreeRequest, AgreeResponse, CreatedPin, NewPin, PinLookup, PublicPin,
};

use crate::error::{ApiResult, AppError};
use crate::extract::{ClientAddr, JsonBody, PathId};
use crate::pins::{parse_bbox, validate, ValidPin};
use crate::present;
use crate::ratelimit;
use crate::storage::{Agreed, Inserted, PinRow};
use crate::time::now_unix;
use crate::{random_token, AppState};

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pins", get(list).post(create))
        .route("/pins/{id}", axum::routing::delete(remove))
        .route("/pins/{id}/agree", post(agree))
        .route("/pins/lookup", post(lookup))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

#[derive(Deserialize)]
struct ListQuery {
    bbox: Option<String>,
}

/// All public pins (cached per change, see `public_pins`), or those whose public position lies
/// in a box (the widget: a marker's card, pins near a new report).
async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Some(bbox) = q.bbox.as_deref().map(parse_bbox).transpose()? else {
        let built = state.public_pins.get(&state.db).await?;
        return Ok(built.respond(&headers));
    };
    // The box is tested on the public (grid-snapped) positions, so that no box, however small,
    // tells where in its cell a pin lies: read a cell more on each side, then test.
    let rows = state
        .db
        .public_pins(Some((
            bbox.min_lon - GRID_LON_DEG,
            bbox.min_lat - GRID_LAT_DEG,
            bbox.max_lon + GRID_LON_DEG,
            bbox.max_lat + GRID_LAT_DEG,
        )))
        .await?;
    let pins = rows
        .iter()
        .map(present::public_pin)
        .filter(|p| {
            p.as_ref().map_or(true, |p| {
                (bbox.min_lon..=bbox.max_lon).contains(&p.lon)
                    && (bbox.min_lat..=bbox.max_lat).contains(&p.lat)
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json::<Vec<PublicPin>>(pins).into_response())
}

fn row_of(pin: &ValidPin, delete_token: String, created_at: i64) -> PinRow {
    PinRow {
        id: pin.id.to_string(),
        lat: pin.lat,
        lon: pin.lon,
        category: pin.category.code().to_owned(),
        time_of_day: pin.time_of_day.code().to_owned(),
        comment: pin.comment.clone(),
        place_description: pin.place_description.clone(),
        delete_token,
        created_at,
        agree_count: 0,
        hidden: false,
        comment_approved: false,
        hidden_reason: None,
        follow_up: Default::default(),
    }
}

/// `201` new pin; `200` the same report again (a retry); `409` the id is taken by another report.
async fn create(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    JsonBody(new): JsonBody<NewPin>,
) -> ApiResult<(StatusCode, Json<CreatedPin>)> {
    let pin = validate(new)?;
    if pin.notify_email.is_some() && state.config.mail.is_none() {
        return Err(AppError::validation(
            "notify_email",
            "E-mail about pins is not offered here.",
        ));
    }
    let now = now_unix();
    if pin.is_bot {
        // The honeypot was filled in: answer like a success so the bot learns nothing.
        let row = row_of(&pin, random_token(32), now);
        return Ok((
            StatusCode::CREATED,
            Json(CreatedPin {
                pin: present::public_pin(&row)?,
                delete_token: row.delete_token,
            }),
        ));
    }
    // A retry of a stored report is answered without counting against the limit: over the
    // limit, it is still answered; under it, its count is given back. On PostgreSQL a pin
    // without an e-mail address is counted in the new pins' own write job (a ticket), which
    // gives a retry's count back itself.
    let limit = state.config.limits.pins;
    let ticket = if pin.notify_email.is_none() {
        state.limiter.ticket(ip, "pins", limit, now).await?
    } else {
        state
            .limiter
            .check(ip, "pins", limit, now)
            .await?
            .map(|()| None)
    };
    let ticket = match ticket {
        Ok(ticket) => ticket,
        Err(retry_after_secs) => return over_limit(&state, &pin, retry_after_secs).await,
    };
    let row = row_of(&pin, random_token(32), now);
    let inserted = match pin.notify_email.clone() {
        None => state.db.insert_pin_counted(&row, ticket).await?,
        Some(email) => state.db.insert_pin_subscribed(&row, Some(email)).await?,
    };
    match inserted {
        Inserted::New(row) => Ok((
            StatusCode::CREATED,
            Json(CreatedPin {
                pin: present::public_pin(&row)?,
                delete_token: row.delete_token,
            }),
        )),
        Inserted::Existing(row) => {
            if ticket.is_none() {
                state.limiter.uncount(ip, "pins", limit, now).await?;
            }
            retry_answer(&pin, row)
        }
        Inserted::Limited { started } => {
            over_limit(
                &state,
                &pin,
                ratelimit::retry_after_from(started, limit, now),
            )
            .await
        }
    }
}

/// Over the limit: a retry of a stored report is still answered, anything else is a 429.
async fn over_limit(
    state: &AppState,
    pin: &ValidPin,
    retry_after_secs: u64,
) -> ApiResult<(StatusCode, Json<CreatedPin>)> {
    match state.db.pin(&pin.id.to_string()).await? {
        Some(existing) => retry_answer(pin, existing),
        None => Err(AppError::TooManyRequests { retry_after_secs }),
    }
}

fn retry_answer(pin: &ValidPin, row: PinRow) -> ApiResult<(StatusCode, Json<CreatedPin>)> {
    if !pin.same_as(&row) {
        return Err(AppError::Conflict(
            "Another report already has this id. Make a new id.".into(),
        ));
    }
    Ok((
        StatusCode::OK,
        Json(CreatedPin {
            pin: present::public_pin(&row)?,
            delete_token: row.delete_token,
        }),
    ))
}

async fn remove(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(AppError::Unauthorized)?;
    let row = state.db.pin(&id).await?.ok_or(AppError::NotFound)?;
    if !bool::from(row.delete_token.as_bytes().ct_eq(token.trim().as_bytes())) {
        return Err(AppError::Forbidden(
            "That delete token does not belong to this pin.".into(),
        ));
    }
    state.db.delete_pin(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A device asks after its own pins (their state and answer): visible ones among the ids.
async fn lookup(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<PinLookup>,
) -> ApiResult<Json<Vec<PublicPin>>> {
    if req.ids.len() > MAX_LOOKUP {
        return Err(AppError::validation(
            "ids",
            format!("At most {MAX_LOOKUP} ids at once."),
        ));
    }
    let ids: Vec<String> = req.ids.iter().map(|i| i.to_string()).collect();
    let rows = state.db.visible_pins(&ids).await?;
    rows.iter()
        .map(present::public_pin)
        .collect::<ApiResult<Vec<_>>>()
        .map(Json)
}

async fn agree(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    PathId(id): PathId,
    JsonBody(req): JsonBody<AgreeRequest>,
) -> ApiResult<Json<AgreeResponse>> {
    let now = now_unix();
    let limit = state.config.limits.agrees;
    // Counted before the agree as for any write; on PostgreSQL in the agree's own write job.
    let ticket = state
        .limiter
        .ticket(ip, "agrees", limit, now)
        .await?
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    let device_hash = hex::encode(Sha256::digest(req.device_id.as_bytes()));
    let count = match state.db.agree(&id, &device_hash, now, ticket).await? {
        Agreed::Counted(n) | Agreed::AlreadyCounted(n) => n,
        Agreed::NoSuchPin => return Err(AppError::NotFound),
        Agreed::Limited { started } => {
            return Err(AppError::TooManyRequests {
                retry_after_secs: ratelimit::retry_after_from(started, limit, now),
            })
        }
    };
    Ok(Json(AgreeResponse {
        agree_count: u32::try_from(count).unwrap_or(0),
    }))
}
