//! Pure map geometry: coordinates, Web Mercator, the viewport, basemap paths, clustering, and
//! where Arboga is. Nothing here touches the DOM, so native `cargo test` covers all of it.

pub mod arboga;
pub mod basemap;
pub mod cluster;
pub mod markers;
pub mod mercator;
pub mod pin_tiles;
pub mod tiles;
pub mod viewport;

/// `x` with `decimals` digits after the point (at most 6), for CSS and SVG: `{}` of
/// `fixed(12.345, 1)` is `12.3`, like `{:.1}`, but written with integer formatting only. `{:.1}`
/// pulls core's float printer (Grisu, Dragon4 and their big-number arithmetic) into the
/// residents' first screen; this is a multiplication and a rounding (docs/PERFORMANCE.md, "The
/// first screen under 200 KB"). Unlike `{:.1}`: exact ties round away from zero, a value that
/// rounds to zero has no minus sign, NaN is written as 0 (not `NaN`, which made the whole CSS
/// declaration invalid), and values beyond ±9e12 at 6 decimals, which CSS never gets, saturate.
pub fn fixed(x: f64, decimals: u32) -> Fixed {
    let decimals = decimals.min(6);
    let scaled = (x * 10f64.powi(decimals as i32)).round() as i64;
    Fixed { scaled, decimals }
}

/// A number as [`fixed`] writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixed {
    scaled: i64,
    decimals: u32,
}

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.scaled < 0 { "-" } else { "" };
        let n = self.scaled.unsigned_abs();
        if self.decimals == 0 {
            return write!(f, "{sign}{n}");
        }
        let unit = 10u64.pow(self.decimals);
        let width = self.decimals as usize;
        write!(f, "{sign}{}.{:0width$}", n / unit, n % unit)
    }
}

/// A WGS84 position. Construct it with [`LonLat::lon_lat`] or [`LonLat::lat_lon`] so the order
/// is always explicit at the call site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

impl LonLat {
    // Named after the argument order on purpose: call sites read `LonLat::lon_lat(15.8, 59.4)`.
    #[allow(clippy::self_named_constructors)]
    pub const fn lon_lat(lon: f64, lat: f64) -> Self {
        LonLat { lon, lat }
    }

    pub const fn lat_lon(lat: f64, lon: f64) -> Self {
        LonLat { lon, lat }
    }
}

/// A point in Web Mercator "world pixels" at zoom 0: x and y both run 0..256, y downwards.
/// f64 throughout; only the screen gets rounded values.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct World {
    pub x: f64,
    pub y: f64,
}

/// A point in CSS pixels relative to the map container's top-left corner.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Screen {
    pub x: f64,
    pub y: f64,
}

impl Screen {
    pub const fn new(x: f64, y: f64) -> Self {
        Screen { x, y }
    }
}

/// An axis-aligned box in world coordinates (`min` is the top-left corner).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldBounds {
    pub min: World,
    pub max: World,
}

// `WorldBounds::from_lonlat`, the projection of a lon/lat box, is in `mercator`: the core types
// here use nothing from geo's own modules, so imports between them run one way.
impl WorldBounds {
    pub fn width(&self) -> f64 {
        self.max.x - self.min.x
    }

    pub fn height(&self) -> f64 {
        self.max.y - self.min.y
    }

    pub fn center(&self) -> World {
        World {
            x: (self.min.x + self.max.x) / 2.0,
            y: (self.min.y + self.max.y) / 2.0,
        }
    }

    pub fn contains(&self, p: World) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    /// The box grown by `margin` (world units) on every side.
    pub fn grown(&self, margin: f64) -> WorldBounds {
        WorldBounds {
            min: World {
                x: self.min.x - margin,
                y: self.min.y - margin,
            },
            max: World {
                x: self.max.x + margin,
                y: self.max.y + margin,
            },
        }
    }

    /// How far `p` lies outside the box: the larger of its distances beyond the sides, 0 inside.
    pub fn distance_outside(&self, p: World) -> f64 {
        let dx = (self.min.x - p.x).max(p.x - self.max.x).max(0.0);
        let dy = (self.min.y - p.y).max(p.y - self.max.y).max(0.0);
        dx.max(dy)
    }
}

/// Ground distance in metres between two nearby points (equirectangular; within 0.1 % below
/// 10 km, which is all the widget needs it for).
pub fn distance_m(a: LonLat, b: LonLat) -> f64 {
    const R: f64 = 6_371_008.8;
    let mean_lat = ((a.lat + b.lat) / 2.0).to_radians();
    let dx = (b.lon - a.lon).to_radians() * sin_cos(mean_lat).1;
    let dy = (b.lat - a.lat).to_radians();
    R * dx.hypot(dy)
}

/// The sine and cosine of an angle within ±π/2 (a latitude, in radians), from their Taylor
/// series to the 22nd power (the rest is below 1e-18 there); within a few units in the last
/// place of `f64::sin`/`cos`. Not those: on wasm they are libm's, whose reduction of any
/// argument modulo π/2 (rem_pio2, with its digits of 2/π) would be part of the residents' first
/// screen for the latitudes a map of Arboga needs (docs/PERFORMANCE.md, "The first screen under
/// 200 KB"). Outside ±π/2 the angle is clamped. Here, not in `mercator`, which uses it: the core
/// types and helpers use nothing from geo's own modules, so imports between them run one way.
pub fn sin_cos(x: f64) -> (f64, f64) {
    use std::f64::consts::FRAC_PI_2;
    let x = x.clamp(-FRAC_PI_2, FRAC_PI_2);
    let x2 = x * x;
    let (mut sin, mut cos) = (1.0, 1.0);
    // Horner: sin x = x (1 − x²/(2·3) (1 − x²/(4·5) (1 − …))), cos x = 1 − x²/(1·2) (1 − …).
    for k in (1..=11).rev() {
        let k = f64::from(k);
        sin = 1.0 - x2 / ((2.0 * k) * (2.0 * k + 1.0)) * sin;
        cos = 1.0 - x2 / ((2.0 * k - 1.0) * (2.0 * k)) * cos;
    }
    (x * sin, cos)
}
