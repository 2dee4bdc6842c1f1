//! `/api/dialogues`: dialogue sessions. Anyone reads; organisers and admins write.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use trygghetskarta_shared::{CancelDialogue, Dialogue, DialogueInput, Role};
use uuid::Uuid;

use crate::auth::Staff;
use crate::dialogue::{cancel_reason, to_api, validate};
use crate::error::{ApiResult, AppError};
use crate::export::ics;
use crate::extract::JsonBody;
use crate::proxy::Client;
use crate::storage::DialogueRow;
use crate::time::now_unix;
use crate::AppState;

const WRITERS: &[Role] = &[Role::Organiser];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dialogues", get(list).post(create))
        .route("/dialogues.ics", get(feed))
        .route("/dialogues/{file}", get(one).put(update))
        .route("/dialogues/{id}/cancel", post(cancel))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    include_past: bool,
}

fn api_list(rows: Vec<DialogueRow>) -> ApiResult<Json<Vec<Dialogue>>> {
    rows.into_iter()
        .map(to_api)
        .collect::<ApiResult<Vec<_>>>()
        .map(Json)
}

/// Upcoming and ongoing sessions, soonest first; staff may ask for past ones too.
async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
    staff: Result<Staff, AppError>,
) -> ApiResult<Json<Vec<Dialogue>>> {
    if q.include_past {
        staff?;
        return api_list(state.db.all_dialogues().await?);
    }
    api_list(state.db.upcoming_dialogues(now_unix()).await?)
}

fn parse_id(id: &str) -> ApiResult<String> {
    id.parse::<Uuid>()
        .map(|u| u.to_string())
        .map_err(|_| AppError::NotFound)
}

/// Where a session is shown: the widget, with the session opened. Without `--public-url`, the
/// address the request came to (https when a trusted proxy says the request came over TLS).
fn link(state: &AppState, headers: &HeaderMap, client: &Client, id: &str) -> String {
    let base = state.config.public_url.clone().unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let scheme = if client.https { "https" } else { "http" };
        format!("{scheme}://{host}")
    });
    format!("{}/?dialog={id}", base.trim_end_matches('/'))
}

fn ics_response(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn feed(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let rows = state.db.upcoming_dialogues(now_unix()).await?;
    let body = ics::calendar("Medborgardialoger i Arboga", &rows, |id| {
        link(&state, &headers, &client, id)
    });
    Ok(ics_response(body, "medborgardialoger.ics"))
}

/// `GET /api/dialogues/{id}` (JSON) and `GET /api/dialogues/{id}.ics`.
async fn one(
    State(state): State<AppState>,
    Path(file): Path<String>,
    client: Client,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (id, as_ics) = match file.strip_suffix(".ics") {
        Some(id) => (id, true),
        None => (file.as_str(), false),
    };
    let id = parse_id(id)?;
    let row = state.db.dialogue(&id).await?.ok_or(AppError::NotFound)?;
    if as_ics {
        let body = ics::calendar(
            "Medborgardialog i Arboga",
            std::slice::from_ref(&row),
            |id| link(&state, &headers, &client, id),
        );
        return Ok(ics_response(body, &format!("dialog-{id}.ics")));
    }
    Ok(Json(to_api(row)?).into_response())
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(input): JsonBody<DialogueInput>,
) -> ApiResult<(StatusCode, Json<Dialogue>)> {
    staff.require(WRITERS)?;
    let row = validate(input, Uuid::new_v4().to_string(), now_unix())?;
    state.db.insert_dialogue(&row).await?;
    Ok((StatusCode::CREATED, Json(to_api(row)?)))
}

async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<DialogueInput>,
) -> ApiResult<Json<Dialogue>> {
    staff.require(WRITERS)?;
    let id = parse_id(&id)?;
    let row = validate(input, id, now_unix())?;
    let updated = state
        .db
        .update_dialogue(&row)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(to_api(updated)?))
}

async fn cancel(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CancelDialogue>,
) -> ApiResult<Json<Dialogue>> {
    staff.require(WRITERS)?;
    let id = parse_id(&id)?;
    let reason = cancel_reason(body.reason)?;
    let row = state
        .db
        .cancel_dialogue(&id, &reason, now_unix())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(to_api(row)?))
}
