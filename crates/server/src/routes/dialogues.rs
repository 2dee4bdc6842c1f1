use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use trygghetskarta_shared::Dialogue;

use crate::error::ApiResult;
use crate::time::now_unix;
use crate::{dialogue, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/dialogues", get(list))
}

/// Upcoming and ongoing sessions, soonest first.
async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<Dialogue>>> {
    let rows = state.db.upcoming_dialogues(now_unix()).await?;
    let dialogues = rows
        .into_iter()
        .map(dialogue::to_api)
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(dialogues))
}
