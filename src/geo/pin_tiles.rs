//! The residents' pins come in tiles (`GET /api/pins/tiles/{z}/{x}/{y}`, format in
//! `trygghetskarta_shared::tile`): which tiles a view needs, and the loaded tiles merged into the
//! markers a view shows. Tile `z` holds the markers for map zoom `z + ZOOM_OFFSET`, cut by a
//! grid fixed to the world, so a marker is the same whichever tiles a pan loads.

use std::sync::Arc;

use trygghetskarta_shared::tile::{PinTile, CELLS, MAX_TILE_ZOOM, MIN_TILE_ZOOM, ZOOM_OFFSET};
use trygghetskarta_shared::Category;

use super::markers::{Marker, MarkerKey, What, PLACE_LEVEL};
use super::mercator::{project, TileId};
use super::{LonLat, World, WorldBounds};

/// Tiles kept before those far from the view are let go.
pub const MAX_TILES: usize = 256;

/// The margin around the view that markers are shown in, as a share of the container's longer
/// side: the layout is redone when a pan has moved a third of the screen
/// ([`Viewport::needs_relayout`](super::viewport::Viewport::needs_relayout)), before it gets there.
pub const MARKER_MARGIN: f64 = 1.0 / 3.0;

/// The margin around the view that tiles are loaded for: twice the markers' margin, so the
/// markers a relayout adds come from tiles already loaded, and the tiles that answer later lie
/// beyond what is shown and change nothing on screen (docs/PERFORMANCE.md).
pub const TILE_MARGIN: f64 = 2.0 * MARKER_MARGIN;

/// The marker level shown at a map zoom: its whole part, within the levels tiles exist for.
pub fn level_for(zoom: f64) -> i32 {
    (zoom.floor() as i32).clamp(
        i32::from(MIN_TILE_ZOOM + ZOOM_OFFSET),
        i32::from(MAX_TILE_ZOOM + ZOOM_OFFSET),
    )
}

/// The tile zoom that holds a level's markers.
pub fn tile_zoom(level: i32) -> u8 {
    (level - i32::from(ZOOM_OFFSET)).clamp(i32::from(MIN_TILE_ZOOM), i32::from(MAX_TILE_ZOOM)) as u8
}

fn tile_bounds(id: TileId) -> WorldBounds {
    let min = id.origin();
    let s = id.world_size();
    WorldBounds {
        min,
        max: World {
            x: min.x + s,
            y: min.y + s,
        },
    }
}

/// The tiles of `level` that overlap `bounds`.
pub fn covering(bounds: WorldBounds, level: i32) -> Vec<TileId> {
    let z = tile_zoom(level);
    let n = 1i64 << z;
    let size = TileId { z, x: 0, y: 0 }.world_size();
    let cell = |v: f64| ((v / size).floor() as i64).clamp(0, n - 1);
    let mut out = Vec::new();
    for y in cell(bounds.min.y)..=cell(bounds.max.y - 1e-12) {
        for x in cell(bounds.min.x)..=cell(bounds.max.x - 1e-12) {
            out.push(TileId {
                z,
                x: x as u32,
                y: y as u32,
            });
        }
    }
    out
}

/// The tiles a view at `level` needs: those it shows, nearest its centre first, then those in
/// `margin` (world units) around it.
pub fn wanted(bounds: WorldBounds, margin: f64, level: i32) -> Vec<TileId> {
    let c = bounds.center();
    let shown = covering(bounds, level);
    let mut all: Vec<(bool, f64, TileId)> = covering(bounds.grown(margin), level)
        .into_iter()
        .map(|id| {
            let m = tile_bounds(id).center();
            let d = (m.x - c.x).powi(2) + (m.y - c.y).powi(2);
            (!shown.contains(&id), d, id)
        })
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    all.into_iter().map(|(_, _, id)| id).collect()
}

/// A tile's markers, at their places in the world.
pub fn tile_markers(id: TileId, tile: &PinTile) -> impl Iterator<Item = Marker> + '_ {
    let level = i32::from(id.z) + i32::from(ZOOM_OFFSET);
    let origin = id.origin();
    let cell_size = id.world_size() / f64::from(CELLS);
    let clusters = tile.clusters.iter().map(move |c| {
        let (cx, cy) = (u32::from(c.cell) % CELLS, u32::from(c.cell) / CELLS);
        Marker {
            key: MarkerKey {
                level,
                a: i64::from(id.x) * i64::from(CELLS) + i64::from(cx),
                b: i64::from(id.y) * i64::from(CELLS) + i64::from(cy),
                content: u64::from(c.count) << 16
                    | u64::from(category_code(c.category)) << 8
                    | u64::from(c.split_zoom),
            },
            world: World {
                x: origin.x + (f64::from(cx) + (f64::from(c.x) + 0.5) / 256.0) * cell_size,
                y: origin.y + (f64::from(cy) + (f64::from(c.y) + 0.5) / 256.0) * cell_size,
            },
            count: c.count,
            category: c.category,
            what: What::Cluster {
                split_zoom: Some(i32::from(c.split_zoom)),
            },
        }
    });
    let places = tile.places.iter().map(|p| {
        let (lat, lon) = p.cell.centre();
        let what = if p.count == 1 {
            What::Pin {
                cell: p.cell,
                time_of_day: p.time_of_day,
                status: p.status,
            }
        } else {
            What::Place { cell: p.cell }
        };
        let codes = match what {
            What::Pin {
                time_of_day,
                status,
                ..
            } => (time_of_day as u64) << 4 | status as u64,
            _ => 0,
        };
        Marker {
            key: MarkerKey {
                level: PLACE_LEVEL,
                a: i64::from(p.cell.row),
                b: i64::from(p.cell.col),
                content: u64::from(p.count) << 16
                    | u64::from(category_code(p.category)) << 8
                    | codes,
            },
            world: project(LonLat::lat_lon(lat, lon)),
            count: p.count,
            category: p.category,
            what,
        }
    });
    clusters.chain(places)
}

fn category_code(c: Category) -> u8 {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0) as u8
}

#[derive(Clone, Debug)]
struct Loaded {
    tile: Arc<PinTile>,
    /// The data version it was loaded for; an older one is shown until it is loaded again.
    version: u32,
    /// The last request failed: ask again with the next view.
    failed: bool,
}

/// The loaded tiles, of every level (a few dozen: a list is all it takes).
#[derive(Clone, Debug, Default)]
pub struct TileSet {
    tiles: Vec<(TileId, Loaded)>,
    version: u32,
}

impl TileSet {
    /// The data version tiles are wanted for.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The pins changed (this device sent, agreed with or deleted one): every tile is loaded
    /// again when next wanted, and shown as it was until then.
    pub fn set_version(&mut self, version: u32) {
        self.version = version;
    }

    fn get(&self, id: TileId) -> Option<&Loaded> {
        self.tiles.iter().find(|(t, _)| *t == id).map(|(_, l)| l)
    }

    fn put(&mut self, id: TileId, loaded: Loaded) {
        match self.tiles.iter_mut().find(|(t, _)| *t == id) {
            Some((_, l)) => *l = loaded,
            None => self.tiles.push((id, loaded)),
        }
    }

    /// A tile arrived, loaded for `version`.
    pub fn insert(&mut self, id: TileId, tile: Arc<PinTile>, version: u32) {
        self.put(
            id,
            Loaded {
                tile,
                version,
                failed: false,
            },
        );
    }

    /// A tile could not be loaded: what it showed stays (nothing, if it never arrived), so the
    /// view is not held up by it, and it is asked for again with the next view.
    pub fn failed(&mut self, id: TileId) {
        let loaded = match self.get(id) {
            Some(l) => Loaded {
                failed: true,
                ..l.clone()
            },
            None => Loaded {
                tile: Arc::default(),
                version: self.version,
                failed: true,
            },
        };
        self.put(id, loaded);
    }

    pub fn len(&self) -> usize {
        self.tiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tiles.is_empty()
    }

    /// Whether `id` should be asked for: not loaded, or loaded for an older version.
    pub fn needs(&self, id: TileId) -> bool {
        self.get(id)
            .is_none_or(|l| l.failed || l.version < self.version)
    }

    /// Past [`MAX_TILES`], lets go of the tiles not in `keep`.
    pub fn trim(&mut self, keep: &[TileId]) {
        if self.tiles.len() > MAX_TILES {
            self.tiles.retain(|(id, _)| keep.contains(id));
        }
    }

    /// Every tile of `level` the view `bounds` shows has arrived (or failed).
    pub fn shows(&self, level: i32, bounds: WorldBounds) -> bool {
        covering(bounds, level)
            .iter()
            .all(|id| self.get(*id).is_some())
    }

    /// The markers of `level` within `bounds` and `margin`, or `None` while a tile the view
    /// shows has not arrived (the layer keeps what it shows meanwhile, so a zoom never shows a
    /// half-loaded view).
    pub fn markers(&self, level: i32, bounds: WorldBounds, margin: f64) -> Option<Vec<Marker>> {
        if !self.shows(level, bounds) {
            return None;
        }
        let around = bounds.grown(margin);
        let mut out = Vec::new();
        for id in covering(around, level) {
            if let Some(l) = self.get(id) {
                out.extend(tile_markers(id, &l.tile).filter(|m| m.within(&bounds, margin)));
            }
        }
        Some(out)
    }
}
