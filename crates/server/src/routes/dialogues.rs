//! `/api/dialogues`: dialogue sessions. Anyone reads; organisers and admins write.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use trygghetskarta_shared::{CancelDialogue, CloseDialogue, Dialogue, DialogueInput, Role};
use uuid::Uuid;

use crate::auth::Staff;
use crate::dialogue::{cancel_reason, validate};
use crate::error::{ApiResult, AppError};
use crate::export::ics;
use crate::extract::{parse_id, JsonBody, PathId};
use crate::followup;
use crate::present;
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
        .route("/dialogues/{id}/close", post(close))
        .route("/dialogues/closed", get(closed))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    include_past: bool,
}

/// The sessions as the API shows them, each with the actions linked to it.
async fn shown(state: &AppState, rows: Vec<DialogueRow>) -> ApiResult<Vec<Dialogue>> {
    let links = state.db.dialogue_actions().await?;
    rows.into_iter()
        .map(|row| {
            let actions: Vec<String> = links
                .iter()
                .filter(|(d, _)| *d == row.id)
                .map(|(_, a)| a.clone())
                .collect();
            present::dialogue(row, &actions)
        })
        .collect()
}

async fn shown_one(state: &AppState, row: DialogueRow) -> ApiResult<Json<Dialogue>> {
    let mut list = shown(state, vec![row]).await?;
    list.pop()
        .map(Json)
        .ok_or_else(|| AppError::internal("no dialogue shown"))
}

async fn api_list(state: &AppState, rows: Vec<DialogueRow>) -> ApiResult<Json<Vec<Dialogue>>> {
    shown(state, rows).await.map(Json)
}

/// Upcoming and ongoing sessions, soonest first; staff may ask for past ones too.
async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
    staff: Result<Staff, AppError>,
) -> ApiResult<Json<Vec<Dialogue>>> {
    if q.include_past {
        staff?;
        return api_list(&state, state.db.all_dialogues().await?).await;
    }
    api_list(&state, state.db.upcoming_dialogues(now_unix()).await?).await
}

/// "Genomförda dialoger": sessions closed with what was heard, most recent first.
async fn closed(State(state): State<AppState>) -> ApiResult<Json<Vec<Dialogue>>> {
    let mut rows = Vec::new();
    for id in state.db.closed_dialogue_ids(100).await? {
        rows.extend(state.db.dialogue(&id).await?);
    }
    api_list(&state, rows).await
}

/// "Vad vi hörde": once a session has ended, its organisers close it with a summary, the
/// number of participants, themes and the actions decided.
async fn close(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CloseDialogue>,
) -> ApiResult<Json<Dialogue>> {
    staff.require(WRITERS)?;
    let PathId(id) = parse_id(&id)?;
    let row = state.db.dialogue(&id).await?.ok_or(AppError::NotFound)?;
    let now = now_unix();
    let outcome = followup::outcome(&body, row.ends_at, now)?;
    let actions: Vec<String> = body.actions.iter().map(Uuid::to_string).collect();
    if state.db.existing_actions(&actions).await?.len() != actions.len() {
        return Err(AppError::validation(
            "actions",
            "Some of these actions do not exist.",
        ));
    }
    if !state.db.close_dialogue(&id, outcome, actions, now).await? {
        return Err(AppError::NotFound);
    }
    let row = state.db.dialogue(&id).await?.ok_or(AppError::NotFound)?;
    shown_one(&state, row).await
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
    let PathId(id) = parse_id(id)?;
    let row = state.db.dialogue(&id).await?.ok_or(AppError::NotFound)?;
    if as_ics {
        let body = ics::calendar(
            "Medborgardialog i Arboga",
            std::slice::from_ref(&row),
            |id| link(&state, &headers, &client, id),
        );
        return Ok(ics_response(body, &format!("dialog-{id}.ics")));
    }
    Ok(shown_one(&state, row).await?.into_response())
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(input): JsonBody<DialogueInput>,
) -> ApiResult<(StatusCode, Json<Dialogue>)> {
    staff.require(WRITERS)?;
    let row = validate(input, Uuid::new_v4().to_string(), now_unix())?;
    state.db.insert_dialogue(&row).await?;
    Ok((StatusCode::CREATED, shown_one(&state, row).await?))
}

async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<DialogueInput>,
) -> ApiResult<Json<Dialogue>> {
    staff.require(WRITERS)?;
    let PathId(id) = parse_id(&id)?;
    let row = validate(input, id, now_unix())?;
    let updated = state
        .db
        .update_dialogue(&row)
        .await?
        .ok_or(AppError::NotFound)?;
    shown_one(&state, updated).await
}

async fn cancel(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CancelDialogue>,
) -> ApiResult<Json<Dialogue>> {
    staff.require(WRITERS)?;
    let PathId(id) = parse_id(&id)?;
    let reason = cancel_reason(body.reason)?;
    let row = state
        .db
        .cancel_dialogue(&id, &reason, now_unix())
        .await?
        .ok_or(AppError::NotFound)?;
    shown_one(&state, row).await
}
