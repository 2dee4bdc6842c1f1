//! GeoJSON (RFC 7946): a FeatureCollection of Points, `[lon, lat]` in WGS 84, every attribute a
//! property. Written as a header, one feature per line, and a footer, so an export of any
//! size streams.

use serde::Serialize;

use super::ExportPin;

pub const CONTENT_TYPE: &str = "application/geo+json";

pub fn header() -> &'static str {
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
}

pub fn footer() -> &'static str {
    "\n]}\n"
}

/// Goes between two features.
pub const SEPARATOR: &str = ",\n";

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: Geometry,
    properties: &'a ExportPin,
}

#[derive(Serialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

/// One feature, on one line, appended to `out`.
pub fn feature(pin: &ExportPin, out: &mut Vec<u8>) {
    let f = Feature {
        kind: "Feature",
        id: &pin.id,
        geometry: Geometry {
            kind: "Point",
            coordinates: [pin.lon, pin.lat],
        },
        properties: pin,
    };
    serde_json::to_writer(out, &f).expect("a feature serialises");
}

/// A whole collection (tests, small exports).
pub fn collection(pins: &[ExportPin]) -> Vec<u8> {
    let mut out = header().as_bytes().to_vec();
    for (i, p) in pins.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(SEPARATOR.as_bytes());
        }
        feature(p, &mut out);
    }
    out.extend_from_slice(footer().as_bytes());
    out
}
