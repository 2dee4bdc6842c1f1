//! Spherical Web Mercator (EPSG:3857) as free functions on f64, after walkers' `mercator.rs`.

use std::f64::consts::PI;

use super::{sin_cos, LonLat, World, WorldBounds};

/// Side of one tile in CSS pixels; the world is one tile wide at zoom 0.
pub const TILE_SIZE: f64 = 256.0;

/// Mercator's latitude limit: the world is square up to here.
pub const MAX_LAT: f64 = 85.051_128_779_806_6;

/// Mean Earth radius used by Web Mercator, metres.
const EARTH_RADIUS_M: f64 = 6_378_137.0;

/// lon/lat -> world pixels at zoom 0.
pub fn project(p: LonLat) -> World {
    let lat = p.lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    // ln(tan φ + sec φ) = atanh(sin φ), from a sine of our own (see `sin_cos`).
    let sin = sin_cos(lat).0;
    World {
        x: (p.lon + 180.0) / 360.0 * TILE_SIZE,
        y: (1.0 - 0.5 * ((1.0 + sin) / (1.0 - sin)).ln() / PI) / 2.0 * TILE_SIZE,
    }
}

impl WorldBounds {
    /// The world box of a lon/lat bounding box.
    pub fn from_lonlat(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> Self {
        let a = project(LonLat::lon_lat(min_lon, max_lat));
        let b = project(LonLat::lon_lat(max_lon, min_lat));
        WorldBounds { min: a, max: b }
    }
}

/// World pixels at zoom 0 -> lon/lat.
pub fn unproject(w: World) -> LonLat {
    let lon = w.x / TILE_SIZE * 360.0 - 180.0;
    let n = PI * (1.0 - 2.0 * w.y / TILE_SIZE);
    LonLat::lon_lat(lon, n.sinh().atan().to_degrees())
}

/// 2^zoom: how many screen pixels one zoom-0 world pixel covers.
pub fn scale(zoom: f64) -> f64 {
    zoom.exp2()
}

/// Ground metres per screen pixel at a latitude and zoom.
pub fn metres_per_pixel(lat: f64, zoom: f64) -> f64 {
    2.0 * PI * EARTH_RADIUS_M * sin_cos(lat.to_radians()).1 / (TILE_SIZE * scale(zoom))
}

/// A slippy-map tile address (the XYZ scheme used by OpenStreetMap-style servers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// The tile that contains a world point at integer zoom `z`.
    pub fn containing(w: World, z: u8) -> TileId {
        let n = 1u32 << z;
        let s = scale(f64::from(z));
        let clamp = |v: f64| (v.floor().max(0.0) as u32).min(n - 1);
        TileId {
            z,
            x: clamp(w.x * s / TILE_SIZE),
            y: clamp(w.y * s / TILE_SIZE),
        }
    }

    /// The tile containing a lon/lat at zoom `z`.
    pub fn at(p: LonLat, z: u8) -> TileId {
        TileId::containing(project(p), z)
    }

    /// The world coordinates of the tile's top-left corner.
    pub fn origin(self) -> World {
        let size = TILE_SIZE / scale(f64::from(self.z));
        World {
            x: f64::from(self.x) * size,
            y: f64::from(self.y) * size,
        }
    }

    /// Side of the tile in world (zoom 0) pixels.
    pub fn world_size(self) -> f64 {
        TILE_SIZE / scale(f64::from(self.z))
    }

    /// The tile one level up that contains this one.
    pub fn parent(self) -> Option<TileId> {
        (self.z > 0).then(|| TileId {
            z: self.z - 1,
            x: self.x / 2,
            y: self.y / 2,
        })
    }
}
