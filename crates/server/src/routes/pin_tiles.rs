//! `GET /api/pins/tiles/{z}/{x}/{y}`: the public pins of one map tile, clustered, in the compact
//! format of `trygghetskarta_shared::tile` (docs/API.md). Public, like `/api/pins`.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use trygghetskarta_shared::tile::{MAX_TILE_ZOOM, MIN_TILE_ZOOM};

use crate::error::{ApiResult, AppError};
use crate::pin_index::{BadTile, PinIndex};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/pins/tiles/{z}/{x}/{y}", get(tile))
}

/// A tile address from the path, or why not.
fn address(z: &str, x: &str, y: &str) -> ApiResult<(u8, u32, u32)> {
    let number = |field: &'static str, v: &str| {
        v.parse::<u32>().map_err(|_| {
            AppError::bad_request(Some(field), format!("{field} must be a whole number."))
        })
    };
    let (z, x, y) = (number("z", z)?, number("x", x)?, number("y", y)?);
    let z = u8::try_from(z).unwrap_or(u8::MAX);
    PinIndex::check(z, x, y).map_err(|bad| match bad {
        BadTile::Zoom => AppError::bad_request(
            Some("z"),
            format!("Pin tiles are served for z {MIN_TILE_ZOOM} to {MAX_TILE_ZOOM}."),
        ),
        BadTile::Column => AppError::bad_request(Some("x"), "x must be below 2^z."),
        BadTile::Row => AppError::bad_request(Some("y"), "y must be below 2^z."),
    })?;
    Ok((z, x, y))
}

async fn tile(
    State(state): State<AppState>,
    Path((z, x, y)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (z, x, y) = address(&z, &x, &y)?;
    let built = state.pin_tiles.index(&state.db).await?;
    Ok(built.answer(z, x, y)?.respond(&headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert_eq!(address("13", "4512", "2380").unwrap(), (13, 4512, 2380));
        for (z, x, y, field) in [
            ("x", "1", "1", "z"),
            ("13", "-1", "1", "x"),
            ("13", "1", "1.5", "y"),
            ("3", "1", "1", "z"),
            ("17", "1", "1", "z"),
            ("300", "1", "1", "z"),
            ("4", "16", "1", "x"),
            ("4", "1", "16", "y"),
        ] {
            match address(z, x, y) {
                Err(AppError::BadRequest { field: Some(f), .. }) => assert_eq!(f, field),
                other => panic!("{z}/{x}/{y}: {other:?}"),
            }
        }
    }
}
