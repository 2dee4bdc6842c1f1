//! Writes `public/basemap/arboga.tkb`, the compact basemap the widget downloads, from
//! `public/basemap/arboga.geojson` (`scripts/build-basemap.py` runs it after writing the GeoJSON;
//! the native test `basemap::the_compact_file_is_made_from_the_geojson` fails until it has run).
//!
//!     cargo run --example compact_basemap

use std::path::Path;

use trygghetskarta::geo::basemap::compact_from_geojson;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/basemap");
    let geojson = std::fs::read_to_string(dir.join("arboga.geojson"))?;
    let compact = compact_from_geojson(&geojson)?;
    std::fs::write(dir.join("arboga.tkb"), &compact)?;
    println!(
        "public/basemap/arboga.tkb: {} bytes (the GeoJSON: {})",
        compact.len(),
        geojson.len()
    );
    Ok(())
}
