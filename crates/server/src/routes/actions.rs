//! `/api/actions`: the handlingsplan. Anyone reads; planners, organisers and admins write.
//! Only planners and admins (who see exact pins) change which pins an action gathers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use trygghetskarta_shared::{Action, ActionInput, NoteInput, Role};
use uuid::Uuid;

use crate::auth::Staff;
use crate::error::{ApiResult, AppError};
use crate::extract::{parse_id, JsonBody, PathId};
use crate::followup;
use crate::present;
use crate::routes::staff::PIN_READERS;
use crate::storage::ActionWrite;
use crate::time::now_unix;
use crate::AppState;

const WRITERS: &[Role] = &[Role::Planner, Role::Organiser];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/actions", get(list).post(create))
        .route("/actions/{id}", get(one).put(update))
        .route("/actions/{id}/notes", post(add_note))
}

/// Every action, most recently changed first (public: visible pins only).
async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<Action>>> {
    let named = state.named_places().await?;
    state
        .db
        .actions()
        .await?
        .into_iter()
        .map(|a| present::action(a, true, &named))
        .collect::<ApiResult<Vec<_>>>()
        .map(Json)
}

async fn one(State(state): State<AppState>, PathId(id): PathId) -> ApiResult<Json<Action>> {
    let a = state.db.action(&id).await?.ok_or(AppError::NotFound)?;
    present::action(a, true, &state.named_places().await?).map(Json)
}

/// Checks the links an input asks for; `pins` is `None` when the caller may not change them
/// and did not try to.
async fn links(
    state: &AppState,
    staff: &Staff,
    input: &ActionInput,
    current_pins: &[String],
) -> ApiResult<(Option<Vec<String>>, Vec<String>)> {
    let pins = followup::pin_ids("pins", &input.pins)?;
    let pins = if staff.require(PIN_READERS).is_ok() {
        let found = state.db.existing_pins(&pins).await?;
        if found.len() != pins.len() {
            return Err(AppError::validation(
                "pins",
                "Some of these pins do not exist.",
            ));
        }
        Some(pins)
    } else {
        let mut current = current_pins.to_vec();
        current.sort();
        if !pins.is_empty() && pins != current {
            return Err(AppError::Forbidden(
                "Only planners link pins to an action.".into(),
            ));
        }
        None
    };
    let dialogues: Vec<String> = input.dialogues.iter().map(Uuid::to_string).collect();
    let found = state.db.existing_dialogues(&dialogues).await?;
    if found.len() != dialogues.len() {
        return Err(AppError::validation(
            "dialogues",
            "Some of these dialogues do not exist.",
        ));
    }
    Ok((pins, dialogues))
}

/// Checks the input's links and writes the action (and, if asked, its pins' states).
async fn save(
    state: &AppState,
    staff: &Staff,
    input: &ActionInput,
    row: crate::storage::ActionRow,
    linked: &[String],
    insert: bool,
) -> ApiResult<Option<crate::storage::ActionFull>> {
    let (pins, dialogues) = links(state, staff, input, linked).await?;
    let write = ActionWrite {
        row,
        pins,
        dialogues,
        update_pins: input.update_pins,
        actor: staff.username.clone(),
    };
    Ok(state
        .db
        .save_action(write, insert, state.mail_maker().await?)
        .await?)
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(input): JsonBody<ActionInput>,
) -> ApiResult<(StatusCode, Json<Action>)> {
    staff.require(WRITERS)?;
    let now = now_unix();
    let row = followup::action_row(&input, &Uuid::new_v4().to_string(), now, now)?;
    let saved = save(&state, &staff, &input, row, &[], true)
        .await?
        .ok_or_else(|| AppError::internal("a new action was not saved"))?;
    let named = state.named_places().await?;
    Ok((
        StatusCode::CREATED,
        Json(present::action(saved, false, &named)?),
    ))
}

async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<ActionInput>,
) -> ApiResult<Json<Action>> {
    staff.require(WRITERS)?;
    let PathId(id) = parse_id(&id)?;
    let current = state.db.action(&id).await?.ok_or(AppError::NotFound)?;
    let row = followup::action_row(&input, &id, current.row.created_at, now_unix())?;
    let linked: Vec<String> = current.pins.iter().map(|(p, _, _)| p.clone()).collect();
    let saved = save(&state, &staff, &input, row, &linked, false)
        .await?
        .ok_or(AppError::NotFound)?;
    present::action(saved, false, &state.named_places().await?).map(Json)
}

async fn add_note(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<NoteInput>,
) -> ApiResult<Json<Action>> {
    staff.require(WRITERS)?;
    let PathId(id) = parse_id(&id)?;
    let text = followup::note(input.text)?;
    let saved = state
        .db
        .add_action_note(&id, &staff.username, &text, now_unix())
        .await?
        .ok_or(AppError::NotFound)?;
    present::action(saved, false, &state.named_places().await?).map(Json)
}
