//! One router per concern, merged under `/api` by [`crate::app`].

pub mod actions;
pub mod dialogues;
pub mod export;
pub mod health;
pub mod lagesbild;
pub mod pin_tiles;
pub mod pins;
pub mod session;
pub mod staff;
pub mod unsubscribe;
pub mod updates;

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::AppError;
use crate::AppState;

/// For routes that answer with personal data or staff-only figures: never kept in a browser
/// or proxy cache.
pub fn no_store() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))
}

/// All API routes; unknown paths under `/api` answer with the JSON 404.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(dialogues::router())
        .merge(pins::router())
        .merge(pin_tiles::router())
        .merge(session::router())
        .merge(staff::router())
        .merge(export::router())
        .merge(actions::router())
        .merge(updates::router())
        .merge(lagesbild::router())
        .fallback(|| async { AppError::NotFound })
}
