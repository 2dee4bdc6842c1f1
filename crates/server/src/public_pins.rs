//! The public pin list (`GET /api/pins` without a box), built once per change.
//!
//! Every visit of the widget asks for it, and it changes only when a pin is added, agreed
//! with, moderated or deleted. So the JSON is made once per [`Storage::public_version`], compressed
//! once as gzip and Brotli, and answered with an `ETag` (a browser that has it gets `304`).
//! One request rebuilds it while the others wait for that build rather than each querying the
//! database (a resident who has just sent a pin sees it on the next load). With PostgreSQL the
//! version is the database's, so every server process sees every other's changes at once; the
//! `ETag` is a hash of the list, the same from every process.

use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::Write;

use crate::error::{ApiResult, AppError};
use crate::present;
use crate::storage::Storage;

/// One built version.
#[derive(Debug)]
pub struct Built {
    version: u64,
    etag: HeaderValue,
    json: Bytes,
    gzip: Bytes,
    br: Bytes,
}

#[derive(Debug, Default)]
pub struct Cache {
    current: RwLock<Option<Arc<Built>>>,
    building: tokio::sync::Mutex<()>,
}

/// The encodings we keep, best first, that the request accepts (`q=0` refuses one).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
}

impl Cache {
    fn fresh(&self, version: u64) -> Option<Arc<Built>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current.as_ref().filter(|b| b.version == version).cloned()
    }

    /// The current list, building it if the database has changed since.
    pub async fn get(&self, db: &Storage) -> ApiResult<Arc<Built>> {
        if let Some(built) = self.fresh(db.public_version().await?) {
            return Ok(built);
        }
        let _one_builder = self.building.lock().await;
        // Read the version before the rows: a change committed meanwhile makes the next request
        // build again, never serves an old list as new.
        let version = db.public_version().await?;
        if let Some(built) = self.fresh(version) {
            return Ok(built);
        }
        let rows = db.public_pins(None).await?;
        let built = tokio::task::spawn_blocking(move || -> ApiResult<Built> {
            let pins = rows
                .iter()
                .map(present::public_pin)
                .collect::<ApiResult<Vec<_>>>()?;
            let json = serde_json::to_vec(&pins).map_err(AppError::internal)?;
            // The same list has the same tag in every process and after a restart.
            let etag = format!(
                "\"{}\"",
                hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(&json)[..12])
            );
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
            gz.write_all(&json).map_err(AppError::internal)?;
            let gzip = gz.finish().map_err(AppError::internal)?;
            let mut br = Vec::new();
            {
                let mut w = brotli::CompressorWriter::new(&mut br, 64 * 1024, 5, 22);
                w.write_all(&json).map_err(AppError::internal)?;
            }
            Ok(Built {
                version,
                etag: HeaderValue::from_str(&etag).map_err(AppError::internal)?,
                json: json.into(),
                gzip: gzip.into(),
                br: br.into(),
            })
        })
        .await
        .map_err(AppError::internal)??;
        let built = Arc::new(built);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(built.clone());
        Ok(built)
    }
}

impl Built {
    /// The answer to a request with these headers: `304` if it has this version, else the
    /// list in the best encoding it accepts.
    pub fn respond(&self, req: &HeaderMap) -> Response {
        let common = [
            (header::ETAG, self.etag.clone()),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ];
        let matches = req
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| tag.trim() == self.etag || tag.trim() == "*");
        if matches {
            return (StatusCode::NOT_MODIFIED, common).into_response();
        }
        let (body, coding) = if accepts(req, "br") {
            (self.br.clone(), Some("br"))
        } else if accepts(req, "gzip") {
            (self.gzip.clone(), Some("gzip"))
        } else {
            (self.json.clone(), None)
        };
        let mut res = (
            common,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response();
        if let Some(coding) = coding {
            res.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        m
    }

    #[test]
    fn accept_encoding_is_read_with_its_refusals() {
        assert!(accepts(&h("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&h("gzip;q=0.8, br;q=1.0"), "gzip"));
        assert!(!accepts(&h("gzip, br;q=0"), "br"));
        assert!(!accepts(&h("identity"), "gzip"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }
}
