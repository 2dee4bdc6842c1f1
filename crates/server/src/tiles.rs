//! `/tiles/{z}/{x}/{y}.png`: a caching proxy for the configured raster tile source, so residents'
//! browsers never contact a third party. Only tiles over the kommun's surroundings are served, so
//! the server is no open proxy for the world.

use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::config::TileSource;
use crate::error::AppError;
use crate::AppState;

pub const USER_AGENT: &str = concat!(
    "Trygghetskartan/",
    env!("CARGO_PKG_VERSION"),
    " (Arboga kommun safety map; tile cache proxy)"
);

/// The area tiles are served for: the basemap's context window around the kommun.
const BOUNDS: (f64, f64, f64, f64) = crate::area::SURROUNDINGS;

pub fn router() -> Router<AppState> {
    Router::new().route("/tiles/{z}/{x}/{file}", get(tile))
}

/// Tile column/row range covering a lon/lat box at zoom `z`.
pub fn tile_range(z: u8, bounds: (f64, f64, f64, f64)) -> ((u32, u32), (u32, u32)) {
    let n = f64::from(1u32 << z);
    let x = |lon: f64| ((lon + 180.0) / 360.0 * n).floor() as u32;
    let y = |lat: f64| {
        let r = lat.to_radians();
        ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32
    };
    let (min_lon, min_lat, max_lon, max_lat) = bounds;
    ((x(min_lon), x(max_lon)), (y(max_lat), y(min_lat)))
}

/// Whether a tile address is valid and over the served area.
pub fn tile_allowed(z: u8, x: u32, y: u32, max_zoom: u8) -> bool {
    if z > max_zoom || z > 22 {
        return false;
    }
    let ((x0, x1), (y0, y1)) = tile_range(z, BOUNDS);
    (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
}

fn upstream_url(source: &TileSource, z: u8, x: u32, y: u32) -> String {
    source
        .url_template
        .replace("{z}", &z.to_string())
        .replace("{x}", &x.to_string())
        .replace("{y}", &y.to_string())
}

fn cache_path(source: &TileSource, z: u8, x: u32, y: u32) -> PathBuf {
    source
        .cache_dir
        .join(z.to_string())
        .join(x.to_string())
        .join(format!("{y}.png"))
}

fn png(bytes: Bytes, cache_state: &'static str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=604800"),
    );
    h.insert("x-tile-cache", HeaderValue::from_static(cache_state));
    res
}

async fn tile(
    State(state): State<AppState>,
    Path((z, x, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let source = state.config.tiles.as_ref().ok_or(AppError::NotFound)?;
    // Anything that is not a tile address is simply not found.
    let (Ok(z), Ok(x), Some(Ok(y))) = (
        z.parse::<u8>(),
        x.parse::<u32>(),
        file.strip_suffix(".png").map(str::parse::<u32>),
    ) else {
        return Err(AppError::NotFound);
    };
    if !tile_allowed(z, x, y, source.max_zoom) {
        return Err(AppError::NotFound);
    }
    let path = cache_path(source, z, x, y);
    if let Ok(bytes) = tokio::fs::read(&path).await {
        return Ok(png(Bytes::from(bytes), "hit"));
    }
    let res = state
        .http
        .get(upstream_url(source, z, x, y))
        .send()
        .await
        .map_err(|e| upstream_error(format!("tile source unreachable: {e}")))?;
    if !res.status().is_success() {
        return Err(upstream_error(format!(
            "tile source answered {}",
            res.status()
        )));
    }
    let bytes = res
        .bytes()
        .await
        .map_err(|e| upstream_error(format!("tile source broke off: {e}")))?;
    // Write to a temporary name and rename, so a half-written tile is never served.
    if let Some(dir) = path.parent() {
        if tokio::fs::create_dir_all(dir).await.is_ok() {
            let tmp = path.with_extension(format!("tmp{}", rand::random::<u32>()));
            if tokio::fs::write(&tmp, &bytes).await.is_ok() {
                let _ = tokio::fs::rename(&tmp, &path).await;
            }
        }
    }
    Ok(png(bytes, "miss"))
}

fn upstream_error(message: String) -> AppError {
    tracing::warn!(%message, "tile fetch failed");
    AppError::Upstream
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tiles_over_arboga_are_served() {
        // Arboga station at z15 is tile 17825/9624 (see the widget's golden tile test).
        assert!(tile_allowed(15, 17825, 9624, 19));
        assert!(!tile_allowed(15, 17825, 9624, 14), "above max zoom");
        assert!(!tile_allowed(15, 0, 0, 19), "the other side of the world");
        assert!(!tile_allowed(10, 557, 290, 19), "north of the area");
        assert!(tile_allowed(10, 557, 300, 19));
    }
}
