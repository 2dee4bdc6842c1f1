//! Places staff name ("Stationsområdet", "Gröna gången"): their shapes, the `area` filter they
//! give, and how hotspots, the lägesbild and public answers are named after them.
//!
//! A point is named after the staff-named place that contains it, else one within
//! [`NEAR_M`] of it ("vid Gröna gången"), else its tätort with the direction from the nearest
//! bundled landmark when that is close ("Arboga, norr om Heliga Trefaldighets kyrka"), else the
//! tätort alone; never after a distant landmark alone.

use geo::{Intersects, MultiPolygon, Point};
use trygghetskarta_shared::NamedPlace;

use crate::area::parse_geometry;
use crate::error::{ApiResult, AppError};
use crate::metres::{distance, to_xy};
use crate::places;
use crate::storage::NamedPlaceRow;

/// A staff-named place this close counts as "near" (metres from its edge).
pub const NEAR_M: f64 = 150.0;
/// A landmark this close gives a direction.
pub const LANDMARK_M: f64 = 1200.0;
/// Within this, "vid" the landmark rather than a direction.
pub const AT_M: f64 = 80.0;
/// Smallest and largest circle.
pub const RADIUS_RANGE: std::ops::RangeInclusive<f64> = 10.0..=5000.0;

#[derive(Debug, Clone)]
pub enum Shape {
    Circle { radius_m: f64 },
    Polygon(MultiPolygon<f64>),
}

/// A named place ready for point tests.
#[derive(Debug, Clone)]
pub struct Named {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub shape: Shape,
    /// `(min_lon, min_lat, max_lon, max_lat)`.
    pub bounds: (f64, f64, f64, f64),
    pub ring: Option<Vec<[f64; 2]>>,
}

impl Named {
    /// From the stored row (`None` if its polygon does not parse: never written by us).
    pub fn from_row(row: &NamedPlaceRow) -> Option<Named> {
        let (shape, bounds, ring) = match (&row.polygon, row.radius_m) {
            (Some(json), _) => {
                let ring: Vec<[f64; 2]> = serde_json::from_str(json).ok()?;
                let geometry = serde_json::json!({"type": "Polygon", "coordinates": [ring]});
                let shape = parse_geometry(&geometry)?;
                let r = geo::BoundingRect::bounding_rect(&shape)?;
                (
                    Shape::Polygon(shape),
                    (r.min().x, r.min().y, r.max().x, r.max().y),
                    Some(ring),
                )
            }
            (None, Some(radius_m)) => {
                let dlat = radius_m / crate::metres::M_PER_DEG_LAT;
                let dlon = radius_m / crate::metres::m_per_deg_lon();
                (
                    Shape::Circle { radius_m },
                    (
                        row.lon - dlon,
                        row.lat - dlat,
                        row.lon + dlon,
                        row.lat + dlat,
                    ),
                    None,
                )
            }
            (None, None) => return None,
        };
        Some(Named {
            name: row.name.clone(),
            lat: row.lat,
            lon: row.lon,
            shape,
            bounds,
            ring,
        })
    }

    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let (min_lon, min_lat, max_lon, max_lat) = self.bounds;
        if !((min_lon..=max_lon).contains(&lon) && (min_lat..=max_lat).contains(&lat)) {
            return false;
        }
        match &self.shape {
            Shape::Circle { radius_m } => distance(lat, lon, self.lat, self.lon) <= *radius_m,
            Shape::Polygon(shape) => shape.intersects(&Point::new(lon, lat)),
        }
    }

    /// Metres from the point to the place's edge (0 inside).
    pub fn distance_m(&self, lat: f64, lon: f64) -> f64 {
        if self.contains(lat, lon) {
            return 0.0;
        }
        match &self.shape {
            Shape::Circle { radius_m } => distance(lat, lon, self.lat, self.lon) - radius_m,
            Shape::Polygon(_) => {
                let ring = self.ring.as_deref().unwrap_or_default();
                let p = to_xy(lat, lon);
                ring.windows(2)
                    .map(|w| segment_distance(p, to_xy(w[0][1], w[0][0]), to_xy(w[1][1], w[1][0])))
                    .fold(f64::INFINITY, f64::min)
            }
        }
    }

    pub fn api(&self, id: &str) -> NamedPlace {
        NamedPlace {
            id: id.parse().unwrap_or_default(),
            name: self.name.clone(),
            lat: self.lat,
            lon: self.lon,
            radius_m: match self.shape {
                Shape::Circle { radius_m } => Some(radius_m),
                Shape::Polygon(_) => None,
            },
            polygon: self.ring.clone(),
        }
    }
}

fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    (p.0 - (a.0 + t * dx)).hypot(p.1 - (a.1 + t * dy))
}

/// All stored named places ready for tests (unreadable ones left out).
pub fn prepare(rows: &[NamedPlaceRow]) -> Vec<Named> {
    rows.iter().filter_map(Named::from_row).collect()
}

/// Where `to` lies as seen from `from`: "norr", "nordost", … (Swedish compass words).
pub fn direction(from: (f64, f64), to: (f64, f64)) -> &'static str {
    let (x1, y1) = to_xy(from.0, from.1);
    let (x2, y2) = to_xy(to.0, to.1);
    // 0° is north, clockwise.
    let bearing = (x2 - x1).atan2(y2 - y1).to_degrees().rem_euclid(360.0);
    const WORDS: [&str; 8] = [
        "norr",
        "nordost",
        "öster",
        "sydost",
        "söder",
        "sydväst",
        "väster",
        "nordväst",
    ];
    WORDS[((bearing + 22.5) / 45.0) as usize % 8]
}

/// What to call a point (see the module's rule).
pub fn describe(lat: f64, lon: f64, named: &[Named]) -> String {
    if let Some(n) = named.iter().find(|n| n.contains(lat, lon)) {
        return n.name.clone();
    }
    if let Some((n, _)) = named
        .iter()
        .map(|n| (n, n.distance_m(lat, lon)))
        .filter(|(_, d)| *d <= NEAR_M)
        .min_by(|a, b| a.1.total_cmp(&b.1))
    {
        return format!("vid {}", n.name);
    }
    let tatort = places::area_at(lat, lon);
    let landmark = places::nearest_place_at(lat, lon).filter(|(_, _, d)| *d <= LANDMARK_M);
    match (tatort, landmark) {
        (Some(t), Some((name, at, d))) if t != name => {
            if d <= AT_M {
                format!("{t}, vid {name}")
            } else {
                format!("{t}, {} om {name}", direction(at, (lat, lon)))
            }
        }
        (Some(t), _) => t.to_owned(),
        (None, Some((name, _, d))) if d <= AT_M => format!("vid {name}"),
        (None, Some((name, at, _))) => format!("{} om {name}", direction(at, (lat, lon))),
        (None, None) => "Arboga kommun".to_owned(),
    }
}

/// Checks a named place's input: a name, a place in the kommun, a circle or a polygon.
pub fn validate(
    input: &trygghetskarta_shared::NamedPlaceInput,
) -> ApiResult<(String, Option<f64>, Option<String>)> {
    let name = crate::pins::clean_text("name", Some(input.name.replace('\n', " ")), 80)?
        .ok_or_else(|| AppError::invalid("required", "name", "Name the place."))?;
    if !crate::area::near_kommun(input.lat, input.lon) {
        return Err(AppError::invalid(
            "outside_area",
            "lat",
            "The place is outside Arboga kommun.",
        ));
    }
    match (input.radius_m, &input.polygon) {
        (Some(r), None) if RADIUS_RANGE.contains(&r) => Ok((name, Some(r), None)),
        (Some(_), None) => Err(AppError::validation(
            "radius_m",
            "The radius must be 10 to 5000 metres.",
        )),
        (None, Some(ring)) => {
            let ring = crate::followup::ring(ring.clone())?;
            Ok((name, None, Some(ring)))
        }
        _ => Err(AppError::validation(
            "radius_m",
            "Give either a radius around the point or a polygon.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn circle(name: &str, lat: f64, lon: f64, r: f64) -> Named {
        Named::from_row(&NamedPlaceRow {
            id: "x".into(),
            name: name.into(),
            lat,
            lon,
            radius_m: Some(r),
            polygon: None,
            created_at: 0,
            updated_at: 0,
        })
        .unwrap()
    }

    #[test]
    fn directions_follow_the_compass() {
        let c = (59.40, 15.84);
        assert_eq!(direction(c, (59.41, 15.84)), "norr");
        assert_eq!(direction(c, (59.39, 15.84)), "söder");
        assert_eq!(direction(c, (59.40, 15.86)), "öster");
        assert_eq!(direction(c, (59.40, 15.82)), "väster");
        assert_eq!(direction(c, (59.41, 15.86)), "nordost");
    }

    #[test]
    fn a_point_is_named_after_a_staff_place_then_its_tatort_never_a_far_landmark() {
        let station = circle("Stationsområdet", 59.3968, 15.8410, 120.0);
        let named = [station];
        assert_eq!(describe(59.3970, 15.8412, &named), "Stationsområdet");
        // 200 m from the centre: 80 m from the edge.
        assert_eq!(describe(59.3986, 15.8410, &named), "vid Stationsområdet");
        let plain = describe(59.3930, 15.8600, &[]);
        assert!(plain.starts_with("Arboga, "), "{plain}");
        assert!(
            plain.contains(" om "),
            "a direction from a landmark: {plain}"
        );
        // Far out in the forest, nothing close: the kommun, never "Heliga Trefaldighets kyrka".
        assert_eq!(describe(59.30, 15.62, &[]), "Arboga kommun");
    }
}
