//! Where the map is: Arboga kommun's context window, the tätort it opens on, and how close it
//! zooms. The map policy in `interaction::controller` keeps every view within these.

use super::WorldBounds;

/// The area the map may show: Arboga kommun with about 10 km to spare (the bundled data's
/// context window, geodata/SOURCES.md).
pub fn context_bounds() -> WorldBounds {
    WorldBounds::from_lonlat(15.40, 59.18, 16.20, 59.62)
}

/// Arboga tätort (SCB 6200), which fills the view on open.
pub fn arboga_tatort_bounds() -> WorldBounds {
    WorldBounds::from_lonlat(15.8054, 59.3753, 15.9048, 59.4105)
}

/// The closest the map zooms (a street corner).
pub const MAX_ZOOM: f64 = 18.0;
