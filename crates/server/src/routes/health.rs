use axum::routing::get;
use axum::{Json, Router};
use trygghetskarta_shared::Health;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
    })
}
