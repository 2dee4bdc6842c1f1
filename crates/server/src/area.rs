//! The kommun boundary, bundled, for "is this point in Arboga kommun?".

use std::sync::LazyLock;

use geo::{Coord, Intersects, LineString, MultiPolygon, Point, Polygon};

const BOUNDARY: &str = include_str!("../../../geodata/arboga_kommun.geojson");

static KOMMUN: LazyLock<MultiPolygon<f64>> =
    LazyLock::new(|| parse_boundary(BOUNDARY).expect("the bundled kommun boundary is valid"));

fn ring(coords: &serde_json::Value) -> Option<LineString<f64>> {
    coords
        .as_array()?
        .iter()
        .map(|c| {
            Some(Coord {
                x: c.get(0)?.as_f64()?,
                y: c.get(1)?.as_f64()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .map(LineString::new)
}

fn polygon(rings: &serde_json::Value) -> Option<Polygon<f64>> {
    let mut rings = rings.as_array()?.iter().map(ring);
    let exterior = rings.next()??;
    let holes = rings.collect::<Option<Vec<_>>>()?;
    Some(Polygon::new(exterior, holes))
}

/// Reads a GeoJSON Polygon or MultiPolygon geometry object.
pub fn parse_geometry(geometry: &serde_json::Value) -> Option<MultiPolygon<f64>> {
    let coords = &geometry["coordinates"];
    let shape = match geometry["type"].as_str()? {
        "Polygon" => MultiPolygon::new(vec![polygon(coords)?]),
        "MultiPolygon" => coords
            .as_array()?
            .iter()
            .map(polygon)
            .collect::<Option<Vec<_>>>()
            .map(MultiPolygon::new)?,
        _ => return None,
    };
    Some(shape)
}

/// Reads the (Multi)Polygon of the first feature of a GeoJSON FeatureCollection.
pub fn parse_boundary(text: &str) -> Option<MultiPolygon<f64>> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    parse_geometry(&v["features"][0]["geometry"])
}

/// The map's area: the kommun with about 10 km to spare (the bundled data's context window),
/// `(min_lon, min_lat, max_lon, max_lat)`.
pub const SURROUNDINGS: (f64, f64, f64, f64) = (15.40, 59.18, 16.20, 59.62);

/// True when the point lies in the map's area around the kommun (for outlines that may reach
/// a little beyond the boundary).
pub fn near_kommun(lat: f64, lon: f64) -> bool {
    let (min_lon, min_lat, max_lon, max_lat) = SURROUNDINGS;
    (min_lon..=max_lon).contains(&lon) && (min_lat..=max_lat).contains(&lat)
}

/// True when the point lies in Arboga kommun (its boundary counts as inside).
pub fn in_kommun(lat: f64, lon: f64) -> bool {
    KOMMUN.intersects(&Point::new(lon, lat))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arboga_is_in_and_its_neighbours_are_out() {
        assert!(in_kommun(59.3968, 15.8410), "Arboga station");
        assert!(in_kommun(59.4554, 15.7403), "Medåker");
        assert!(!in_kommun(59.5055, 15.9303), "Köping");
        assert!(!in_kommun(59.4277, 16.1302), "Kungsör");
        assert!(!in_kommun(59.3293, 18.0686), "Stockholm");
        assert!(!in_kommun(0.0, 0.0));
    }
}
