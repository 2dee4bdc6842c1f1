//! Named places and tätorter of Arboga kommun, bundled: which tätort a point lies in (the
//! `area` filter) and the nearest named place (hotspot labels).

use std::sync::LazyLock;

use geo::{Intersects, MultiPolygon, Point};

use crate::area::parse_geometry;

const TATORTER: &str = include_str!("../../../geodata/tatorter_context.geojson");
const BASEMAP: &str = include_str!("../../../public/basemap/arboga.geojson");

/// A tätort (or other built-up area) inside the kommun.
pub struct Area {
    pub name: String,
    pub shape: MultiPolygon<f64>,
    /// `(min_lon, min_lat, max_lon, max_lat)`: most points are decided by this alone.
    bounds: (f64, f64, f64, f64),
}

pub struct Place {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

static AREAS: LazyLock<Vec<Area>> = LazyLock::new(|| {
    let v: serde_json::Value = serde_json::from_str(TATORTER).expect("bundled tätorter parse");
    let mut areas: Vec<Area> = v["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["in_arboga_kommun"] == true)
        .filter_map(|f| {
            let shape = parse_geometry(&f["geometry"])?;
            let r = geo::BoundingRect::bounding_rect(&shape)?;
            Some(Area {
                name: f["properties"]["name"].as_str()?.to_owned(),
                bounds: (r.min().x, r.min().y, r.max().x, r.max().y),
                shape,
            })
        })
        .collect();
    areas.sort_by(|a, b| a.name.cmp(&b.name));
    areas
});

static PLACES: LazyLock<Vec<Place>> = LazyLock::new(|| {
    let v: serde_json::Value = serde_json::from_str(BASEMAP).expect("bundled basemap parses");
    v["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["layer"] == "place")
        .filter_map(|f| {
            let c = &f["geometry"]["coordinates"];
            Some(Place {
                name: f["properties"]["name"].as_str()?.to_owned(),
                lon: c[0].as_f64()?,
                lat: c[1].as_f64()?,
            })
        })
        .collect()
});

/// The tätorter in the kommun, by name.
pub fn areas() -> &'static [Area] {
    &AREAS
}

/// The area with this name (case-insensitive).
pub fn area_named(name: &str) -> Option<&'static Area> {
    let name = name.trim().to_lowercase();
    AREAS.iter().find(|a| a.name.to_lowercase() == name)
}

/// The tätort a point lies in.
pub fn area_at(lat: f64, lon: f64) -> Option<&'static str> {
    AREAS
        .iter()
        .find(|a| a.contains(lat, lon))
        .map(|a| a.name.as_str())
}

impl Area {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let (min_lon, min_lat, max_lon, max_lat) = self.bounds;
        (min_lon..=max_lon).contains(&lon)
            && (min_lat..=max_lat).contains(&lat)
            && self.shape.intersects(&Point::new(lon, lat))
    }

    /// `(min_lon, min_lat, max_lon, max_lat)`, to narrow the database query.
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        self.bounds
    }
}

/// The nearest bundled named place, where it is, and its distance in metres.
pub fn nearest_place_at(lat: f64, lon: f64) -> Option<(&'static str, (f64, f64), f64)> {
    PLACES
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                (p.lat, p.lon),
                crate::metres::distance(lat, lon, p.lat, p.lon),
            )
        })
        .min_by(|a, b| a.2.total_cmp(&b.2))
}

/// The nearest bundled named place and its distance in metres.
pub fn nearest_place(lat: f64, lon: f64) -> Option<(&'static str, f64)> {
    nearest_place_at(lat, lon).map(|(name, _, d)| (name, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kommuns_tatorter_are_known_by_name() {
        let names: Vec<_> = areas().iter().map(|a| a.name.as_str()).collect();
        assert!(
            names.contains(&"Arboga") && names.contains(&"Medåker"),
            "{names:?}"
        );
        assert!(!names.contains(&"Köping"), "outside the kommun");
        assert_eq!(area_named("arboga").unwrap().name, "Arboga");
        assert_eq!(area_at(59.3968, 15.8410), Some("Arboga"), "the station");
        assert_eq!(area_at(59.30, 15.95), None, "countryside");
    }

    #[test]
    fn the_nearest_place_to_the_station_is_the_station() {
        let (name, d) = nearest_place(59.3969, 15.8411).unwrap();
        assert_eq!(name, "Arboga station");
        assert!(d < 20.0, "{d}");
    }
}
