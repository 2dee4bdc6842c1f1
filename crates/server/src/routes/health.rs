use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
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
        mail: state.config.mail.is_some(),
    })
}

/// For monitoring and the proxy's health checks: `200` only if the database answers a query
/// within two seconds.
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let answer = tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await;
    let problem = match answer {
        Ok(Ok(())) => None,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health: the database query failed");
            Some("the database query failed")
        }
        Err(_) => Some("the database did not answer within 2 s"),
    };
    match problem {
        None => (
            StatusCode::OK,
            Json(Health {
                status: "ok".to_owned(),
                problem: None,
            }),
        ),
        Some(p) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "unavailable".to_owned(),
                problem: Some(p.to_owned()),
            }),
        ),
    }
}
