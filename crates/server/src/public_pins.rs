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

use axum::http::HeaderMap;
use axum::response::Response;

use crate::encoded::{Encoded, Levels};
use crate::error::{ApiResult, AppError};
use crate::present;
use crate::storage::Storage;

/// The largest list also kept as Brotli (1 MiB of JSON, about 6,000 pins).
const BROTLI_UP_TO: usize = 1 << 20;

/// One built version.
#[derive(Debug)]
pub struct Built {
    version: u64,
    answer: Encoded,
}

#[derive(Debug, Default)]
pub struct Cache {
    current: RwLock<Option<Arc<Built>>>,
    building: tokio::sync::Mutex<()>,
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
            let etag = hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(&json)[..12]);
            // Brotli only for a small list: on the list of 100,000 pins (18 MB of JSON) quality 5
            // took 1.85 s for 3.10 MB where gzip 6 took 0.27 s for 3.06 MB (docs/PERFORMANCE.md).
            let levels = Levels {
                gzip: 6,
                brotli: (json.len() <= BROTLI_UP_TO).then_some(5),
            };
            Ok(Built {
                version,
                answer: Encoded::new(json, "application/json", &etag, levels)?,
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
        self.answer.respond(req)
    }
}
