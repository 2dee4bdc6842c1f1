use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use trygghetskarta_shared::{ClientConfig, Health, TileConfig};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/config", get(config))
}

/// What the widget needs to know: whether street tiles are available, and their credit.
async fn config(State(state): State<AppState>) -> Json<ClientConfig> {
    Json(ClientConfig {
        tiles: state.config.tiles.as_ref().map(|t| TileConfig {
            attribution: t.attribution.clone(),
            max_zoom: t.max_zoom,
        }),
    })
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
    })
}
