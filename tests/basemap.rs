#![cfg(not(target_arch = "wasm32"))]
//! The bundled basemap: it parses, it is in sync with geodata/, and it draws where it should.

use trygghetskarta::geo::basemap::{compact_from_geojson, Basemap, Layer};
use trygghetskarta::geo::mercator::project;
use trygghetskarta::geo::LonLat;
use trygghetskarta::interaction::controller::initial_view;

const BASEMAP: &str = include_str!("../public/basemap/arboga.geojson");
/// What the widget downloads.
const COMPACT: &[u8] = include_bytes!("../public/basemap/arboga.tkb");

fn count(name: &str) -> usize {
    let path = format!("{}/geodata/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["features"].as_array().unwrap().len()
}

#[test]
fn the_bundled_basemap_has_every_layer_from_its_sources() {
    let b = Basemap::from_geojson(BASEMAP).unwrap();
    let n = |l: Layer| b.shapes.iter().filter(|s| s.layer == l).count();
    assert_eq!(n(Layer::Kommun), 1);
    assert_eq!(n(Layer::Neighbour), count("kommuner_context.geojson") - 1);
    assert_eq!(n(Layer::Tatort), count("tatorter_context.geojson"));
    assert_eq!(n(Layer::Lake), count("sjoar_naturalearth.geojson"));
    assert_eq!(
        n(Layer::River) + n(Layer::Canal),
        count("vattendrag_1milj.geojson")
    );
    assert_eq!(n(Layer::Rail), count("jarnvag_1milj.geojson"));
    assert!(b.places.iter().any(|p| p.name == "Arboga" && p.rank == 1));
    assert!(b.places.iter().any(|p| p.name == "Arboga station"));
    assert!(b.attribution.contains("Lantmäteriet"));
    assert!(
        b.attribution.contains("CC BY-SA"),
        "the Wikipedia points need credit"
    );
    // Drawing order: neighbours at the bottom, railway on top.
    assert_eq!(b.shapes.first().unwrap().layer, Layer::Neighbour);
    assert_eq!(b.shapes.last().unwrap().layer, Layer::Rail);
}

#[test]
fn the_tatort_area_is_found_by_name_and_lies_in_the_kommun() {
    let b = Basemap::from_geojson(BASEMAP).unwrap();
    let arboga = b.area("Arboga", Layer::Tatort).unwrap();
    assert!(arboga.in_kommun);
    let station = project(LonLat::lat_lon(59.3968, 15.8410));
    assert!(arboga.bounds.contains(station));
    assert!(!b.area("Köping", Layer::Tatort).unwrap().in_kommun);
}

#[test]
fn the_svg_transform_puts_the_reference_frame_under_the_view() {
    let b = Basemap::from_geojson(BASEMAP).unwrap();
    let v = initial_view(400.0, 300.0);
    // transform = translate(screen of origin) scale(2^(zoom-14))
    let t = b.transform(&v);
    let origin = v.to_screen(b.origin);
    assert!(
        t.starts_with(&format!("translate({:.2} {:.2})", origin.x, origin.y)),
        "{t}"
    );
    let k = (v.zoom - 14.0).exp2();
    assert!(t.ends_with(&format!("scale({k:.6})")), "{t}");
}

#[test]
fn bad_basemap_data_is_an_error_not_a_panic() {
    assert!(Basemap::from_geojson("not json").is_err());
    assert!(Basemap::from_geojson(r#"{"type":"FeatureCollection","features":[]}"#).is_err());
    let unknown = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"layer":"x"},"geometry":{"type":"LineString","coordinates":[[15.8,59.4],[15.9,59.4]]}}]}"#;
    assert!(Basemap::from_geojson(unknown).is_err());
}

#[test]
fn the_kommun_test_matches_the_boundary() {
    let b = Basemap::from_geojson(BASEMAP).unwrap();
    let at = |lat, lon| b.in_kommun(project(LonLat::lat_lon(lat, lon)));
    assert!(at(59.3968, 15.8410), "Arboga station");
    assert!(at(59.4554, 15.7403), "Medåker");
    assert!(!at(59.5055, 15.9303), "Köping");
    assert!(!at(59.4277, 16.1302), "Kungsör");
}

#[test]
fn the_compact_file_is_made_from_the_geojson() {
    let made = compact_from_geojson(BASEMAP).unwrap();
    assert!(
        made == COMPACT,
        "public/basemap/arboga.tkb is not what arboga.geojson gives: run `cargo run --example compact_basemap`"
    );
}

#[test]
fn the_compact_file_draws_the_same_map_as_the_geojson() {
    let compact = Basemap::from_compact(COMPACT).unwrap();
    assert_eq!(compact, Basemap::from_geojson(BASEMAP).unwrap());
    assert!(compact.places.iter().any(|p| p.name == "Arboga station"));
}

#[test]
fn a_damaged_compact_file_is_refused_without_a_panic() {
    // Cut anywhere: an error, never a basemap missing its end.
    for len in (0..COMPACT.len()).step_by(7) {
        assert!(
            Basemap::from_compact(&COMPACT[..len]).is_err(),
            "cut at {len}"
        );
    }
    let mut longer = COMPACT.to_vec();
    longer.push(0);
    assert!(Basemap::from_compact(&longer).is_err());
    // Not the format, or a count or number that does not fit.
    assert!(Basemap::from_compact(br#"{"type":"FeatureCollection"}"#).is_err());
    assert!(Basemap::from_compact(b"TKB1\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff").is_err());
    assert!(Basemap::from_compact(b"TKB1\x00\xff\xff\xff\xff\x0f").is_err());
    // Any byte changed: whatever it reads, it does not panic.
    for at in (4..COMPACT.len()).step_by(13) {
        let mut bad = COMPACT.to_vec();
        bad[at] ^= 0xa5;
        let _ = Basemap::from_compact(&bad);
    }
}

#[test]
fn the_compact_file_takes_five_decimals_and_no_more() {
    let point = |c: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"layer":"kommun"}},"geometry":{{"type":"LineString","coordinates":[[15.8,59.4],{c}]}}}}]}}"#
        )
    };
    let ok = compact_from_geojson(&point("[-15.84493,59.39651]")).unwrap();
    assert_eq!(
        Basemap::from_compact(&ok).unwrap(),
        Basemap::from_geojson(&point("[-15.84493,59.39651]")).unwrap()
    );
    assert!(compact_from_geojson(&point("[15.8449306,59.3965139]")).is_err());
}
