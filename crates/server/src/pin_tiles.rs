//! The pin tiles' index, kept up to date with the database, and the tiles' answers.
//!
//! The index (`pin_index`) is built from one narrow read of the visible pins and rebuilt when
//! [`Storage::tiles_version`] has moved (any change the tiles show; agrees do not), when a tile is asked for (so writes never wait for it
//! and a server nobody asks for tiles never builds it). While the database is small a rebuild
//! takes milliseconds and the request waits for it, so every change shows at once. Once a rebuild
//! takes longer than [`WAIT_FOR_BUILD`] (a few hundred thousand pins), requests are answered from
//! the index they have while one rebuild runs in the background, and the next rebuild starts no
//! sooner than the last one took after it ended: at most half of one core goes to rebuilding
//! however fast pins come in, and a change shows within about two rebuilds.
//!
//! Each tile's answer is encoded and compressed once per index and kept (up to
//! [`MAX_ANSWERS`] tiles). Its `ETag` is a hash of its bytes, so a change elsewhere, an agree
//! (not in tiles) or a restart of the server leaves it valid: browsers get `304`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use trygghetskarta_shared::tile::{encode, FORMAT_VERSION};

use crate::encoded::{Encoded, Levels};
use crate::error::{ApiResult, AppError};
use crate::pin_index::{PinIndex, Point};
use crate::storage::{AddedPin, Storage};

/// A rebuild expected to take at most this long is waited for.
pub const WAIT_FOR_BUILD: Duration = Duration::from_millis(250);
/// Tile answers kept per index; beyond it the cache starts again.
pub const MAX_ANSWERS: usize = 20_000;

/// `application/octet-stream`: the format is described in docs/API.md.
pub const CONTENT_TYPE: &str = "application/octet-stream";

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One built index with its answers.
pub struct Built {
    pub version: u64,
    pub index: PinIndex,
    /// How long reading and building took.
    pub took: Duration,
    /// It holds exactly the pins of `version`, so pins added after can be added to it (see
    /// [`Storage::insert_marks`]); otherwise the next change builds it again.
    exact: bool,
    answers: Mutex<HashMap<(u8, u32, u32), Arc<Encoded>>>,
}

impl Built {
    /// Tile `z/x/y`'s answer (checked with [`PinIndex::check`]), made on the first request.
    pub fn answer(&self, z: u8, x: u32, y: u32) -> ApiResult<Arc<Encoded>> {
        if let Some(a) = locked(&self.answers).get(&(z, x, y)) {
            return Ok(a.clone());
        }
        let bytes = encode(&self.index.tile(z, x, y));
        let hash = Sha256::digest(&bytes);
        let etag = format!("t{FORMAT_VERSION}-{}", hex::encode(&hash[..9]));
        let levels = Levels {
            gzip: 9,
            brotli: Some(11),
        };
        let answer = Arc::new(Encoded::new(bytes, CONTENT_TYPE, &etag, levels)?);
        let mut answers = locked(&self.answers);
        if answers.len() >= MAX_ANSWERS {
            answers.clear();
        }
        answers.insert((z, x, y), answer.clone());
        Ok(answer)
    }
}

#[derive(Default)]
struct Schedule {
    /// A background rebuild is waiting or running.
    pending: bool,
    /// When the last build ended.
    ended: Option<Instant>,
}

#[derive(Default)]
pub struct Tiles {
    current: RwLock<Option<Arc<Built>>>,
    building: tokio::sync::Mutex<()>,
    extending: tokio::sync::Mutex<()>,
    schedule: Mutex<Schedule>,
}

impl Tiles {
    fn current(&self) -> Option<Arc<Built>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The index to answer from now (see the module's description).
    pub async fn index(self: &Arc<Self>, db: &Storage) -> ApiResult<Arc<Built>> {
        let version = db.tiles_version().await?;
        match self.current() {
            Some(b) if b.version == version => Ok(b),
            Some(b) => {
                // Only pins this process added since: add them to the index in place, unless
                // they are many next to it (then a build is cheaper).
                if let Some(added) = db
                    .added_since(b.version, version)
                    .filter(|a| b.exact && a.len() <= b.index.places() / 8 + 64)
                {
                    return self.extend(b, version, added).await;
                }
                if b.took > WAIT_FOR_BUILD {
                    self.rebuild_later(db.clone());
                    Ok(b)
                } else {
                    self.rebuild(db).await
                }
            }
            None => self.rebuild(db).await,
        }
    }

    /// `b` with `added` in it, as the index of `version`. One at a time: the tile requests of a
    /// page that arrive together after a new pin make it once.
    async fn extend(
        &self,
        b: Arc<Built>,
        version: u64,
        added: Vec<AddedPin>,
    ) -> ApiResult<Arc<Built>> {
        let _one = self.extending.lock().await;
        if let Some(c) = self.current().filter(|c| c.version >= version) {
            return Ok(c);
        }
        let points: Vec<Point> = added
            .iter()
            .filter_map(|p| Point::new(p.lat, p.lon, &p.category, &p.time_of_day, &p.status))
            .collect();
        let base = b.clone();
        let index = tokio::task::spawn_blocking(move || base.index.with_added(&points))
            .await
            .map_err(AppError::internal)?;
        let built = Arc::new(Built {
            version,
            index,
            // What a whole build takes, which paces the background rebuilds.
            took: b.took,
            exact: true,
            answers: Mutex::default(),
        });
        Ok(self.publish(built))
    }

    /// Makes `built` the current index unless a newer one is already: returns the current one.
    fn publish(&self, built: Arc<Built>) -> Arc<Built> {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        match &*current {
            Some(c) if c.version >= built.version => c.clone(),
            _ => {
                *current = Some(built.clone());
                built
            }
        }
    }

    /// Builds the index for the database's current version, unless another request has just
    /// done so. One build at a time.
    pub async fn rebuild(&self, db: &Storage) -> ApiResult<Arc<Built>> {
        let _one = self.building.lock().await;
        let (finished, started) = db.insert_marks();
        // Read the version before the rows: a change committed meanwhile makes the next request
        // build again, never passes an old index off as new.
        let version = db.tiles_version().await?;
        if let Some(b) = self.current().filter(|b| b.version == version) {
            return Ok(b);
        }
        let began = Instant::now();
        let mut points = Vec::new();
        db.for_each_public_point(|lat, lon, category, time_of_day, status| {
            points.extend(Point::new(lat, lon, category, time_of_day, status));
        })
        .await?;
        // No insert of this process was between its commit and its version during the read
        // (those pins would be in the rows and, once their version moves, added again).
        let exact = finished == started && db.insert_marks().1 == started;
        let index = tokio::task::spawn_blocking(move || PinIndex::build(points))
            .await
            .map_err(AppError::internal)?;
        let built = self.publish(Arc::new(Built {
            version,
            index,
            took: began.elapsed(),
            exact,
            answers: Mutex::default(),
        }));
        locked(&self.schedule).ended = Some(Instant::now());
        tracing::debug!(
            pins = built.index.pins(),
            places = built.index.places(),
            ms = built.took.as_millis() as u64,
            "pin tile index built"
        );
        Ok(built)
    }

    /// Starts one background rebuild, once the last build has been over for as long as it
    /// took.
    fn rebuild_later(self: &Arc<Self>, db: Storage) {
        let wait = {
            let mut s = locked(&self.schedule);
            if s.pending {
                return;
            }
            s.pending = true;
            let took = self.current().map_or(Duration::ZERO, |b| b.took);
            s.ended.map_or(Duration::ZERO, |e| {
                (e + took).saturating_duration_since(Instant::now())
            })
        };
        let this = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            if let Err(e) = this.rebuild(&db).await {
                tracing::warn!(error = %e, "pin tile index rebuild failed");
            }
            locked(&this.schedule).pending = false;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::PinRow;

    fn pin(i: u32) -> PinRow {
        PinRow {
            id: uuid::Uuid::new_v4().to_string(),
            lat: 59.39 + f64::from(i) * 0.001,
            lon: 15.84,
            category: "traffic".into(),
            time_of_day: "day".into(),
            comment: None,
            place_description: None,
            delete_token: "t".into(),
            created_at: 1_790_000_000,
            agree_count: 0,
            hidden: false,
            comment_approved: false,
            hidden_reason: None,
            follow_up: Default::default(),
        }
    }

    /// An index read while one of this process's inserts may be committed but not yet in the
    /// version must never be added to (that pin would count twice); one read with none may.
    #[tokio::test]
    async fn only_an_index_read_with_no_insert_in_flight_is_added_to() {
        let dir = tempfile::tempdir().unwrap();
        let db = Storage::open(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        let tiles = Arc::new(Tiles::default());
        db.insert_pin(&pin(0)).await.unwrap();

        let in_flight = db.insert_started();
        let read_meanwhile = tiles.rebuild(&db).await.unwrap();
        assert!(!read_meanwhile.exact);
        drop(in_flight);
        db.insert_pin(&pin(1)).await.unwrap();
        let next = tiles.index(&db).await.unwrap();
        assert!(next.exact, "built again, with nothing in flight");
        assert_eq!(next.index.pins(), 2);
        assert!(!Arc::ptr_eq(&next, &read_meanwhile) && next.version > read_meanwhile.version);

        // From an exact index, a new pin is added in place.
        db.insert_pin(&pin(2)).await.unwrap();
        let added = tiles.index(&db).await.unwrap();
        assert!(added.exact);
        assert_eq!(added.index.pins(), 3);
        assert_eq!(added.took, next.took, "added to, not built again");
    }
}
