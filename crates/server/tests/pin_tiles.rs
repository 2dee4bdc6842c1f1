//! `GET /api/pins/tiles/{z}/{x}/{y}` against a real SQLite file through the real router: what
//! tiles hold agrees with the public list at every zoom, hidden pins never show, exact positions
//! never leak, answers are revalidated by ETag and change with the pins, bad addresses are
//! refused, and the bytes match a golden file.
//!
//! `UPDATE_GOLDEN=1 cargo test -p trygghetskarta-server --test pin_tiles` rewrites the golden file.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{SeedPin, TestApp};
use serde_json::json;
use trygghetskarta_server::storage::PinRow;
use trygghetskarta_shared::tile::{decode, GridCell, PinTile, MAX_TILE_ZOOM, MIN_TILE_ZOOM};
use trygghetskarta_shared::{Category, TimeOfDay};

/// The XYZ tile holding a position at zoom `z` (Web Mercator), computed here on its own.
fn tile_of(lat: f64, lon: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = (lon + 180.0) / 360.0 * n;
    let r = lat.to_radians();
    let y = (1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    (x.floor() as u32, y.floor() as u32)
}

async fn tile(app: &TestApp, z: u8, x: u32, y: u32) -> common::Response {
    app.get(&format!("/api/pins/tiles/{z}/{x}/{y}")).await
}

async fn decoded(app: &TestApp, z: u8, x: u32, y: u32) -> PinTile {
    let res = tile(app, z, x, y).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    decode(&res.body).unwrap()
}

fn row(i: usize, lat: f64, lon: f64, hidden: bool) -> PinRow {
    PinRow {
        id: uuid::Uuid::from_u128(0x1000 + i as u128).to_string(),
        lat,
        lon,
        category: Category::ALL[i % 6].code().into(),
        time_of_day: TimeOfDay::ALL[i % 4].code().into(),
        comment: None,
        place_description: None,
        delete_token: "t".repeat(64),
        created_at: 1_795_712_400 + i as i64,
        agree_count: 0,
        hidden,
        comment_approved: false,
        hidden_reason: hidden.then(|| "spam".into()),
        follow_up: Default::default(),
    }
}

/// 400 pins around Arboga (a quarter of them on a few busy corners), deterministic.
fn spread(jitter: f64) -> Vec<PinRow> {
    let mut s: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..400)
        .map(|i| {
            let (lat, lon) = if i % 4 == 0 {
                let corner = (i / 4) % 5;
                (
                    59.3940 + corner as f64 * 0.0011,
                    15.8400 + corner as f64 * 0.0021,
                )
            } else if i % 3 == 0 {
                (59.20 + next() * 0.34, 15.60 + next() * 0.40)
            } else {
                (59.3753 + next() * 0.0352, 15.8054 + next() * 0.0994)
            };
            // Moves the exact position within its public grid cell only.
            let cell = GridCell::of(lat, lon);
            let (clat, clon) = cell.centre();
            let (lat, lon) = (clat + jitter * 0.0002, clon + jitter * 0.0004);
            assert_eq!(GridCell::of(lat, lon), cell);
            row(i, lat, lon, false)
        })
        .collect()
}

#[tokio::test]
async fn tiles_hold_the_public_pins_at_every_zoom_and_never_a_hidden_one() {
    let app = TestApp::new().await;
    let mut rows = spread(0.3);
    // Hidden pins: one alone at a place of its own, one beside visible ones.
    let alone = (59.4500, 15.7000);
    rows.push(row(1000, alone.0, alone.1, true));
    rows.push(row(1001, 59.3940, 15.8400, true));
    app.db.import_pins(&rows).await.unwrap();
    let public: Vec<serde_json::Value> = app
        .get("/api/pins")
        .await
        .json()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(public.len(), 400);
    // The public list by grid cell.
    let mut by_cell: BTreeMap<GridCell, Vec<&serde_json::Value>> = BTreeMap::new();
    for p in &public {
        let cell = GridCell::of(p["lat"].as_f64().unwrap(), p["lon"].as_f64().unwrap());
        by_cell.entry(cell).or_default().push(p);
    }
    for z in MIN_TILE_ZOOM..=MAX_TILE_ZOOM {
        let tiles: BTreeSet<(u32, u32)> = public
            .iter()
            .map(|p| tile_of(p["lat"].as_f64().unwrap(), p["lon"].as_f64().unwrap(), z))
            .collect();
        let mut pins = 0;
        let mut places = 0;
        for &(x, y) in &tiles {
            let t = decoded(&app, z, x, y).await;
            pins += t.pins();
            for place in &t.places {
                places += 1;
                let there = &by_cell[&place.cell];
                assert_eq!(place.count as usize, there.len(), "zoom {z}: {place:?}");
                if place.count == 1 {
                    let p = there[0];
                    assert_eq!(p["category"], place.category.code());
                    assert_eq!(p["time_of_day"], place.time_of_day.code());
                    assert_eq!(p["status"], place.status.code());
                }
            }
            for c in &t.clusters {
                assert!(c.count >= 2 && u32::from(c.split_zoom) > u32::from(z) + 2);
            }
        }
        assert_eq!(
            pins, 400,
            "every public pin once at zoom {z}, no hidden one"
        );
        if z == MAX_TILE_ZOOM {
            assert_eq!(
                places,
                by_cell.len(),
                "up close every place is its own marker"
            );
        }
    }
    // The hidden pin's place is empty.
    let (x, y) = tile_of(alone.0, alone.1, MAX_TILE_ZOOM);
    assert!(decoded(&app, MAX_TILE_ZOOM, x, y).await.is_empty());
    // A tile far away is empty, not an error.
    assert!(decoded(&app, 10, 0, 0).await.is_empty());
}

#[tokio::test]
async fn exact_positions_never_leak_into_tiles() {
    // The same pins reported at other spots of the same grid cells make the same bytes.
    let a = TestApp::new().await;
    let b = TestApp::new().await;
    let (ra, rb) = (spread(-0.9), spread(0.9));
    assert_ne!(ra[1].lat, rb[1].lat);
    a.db.import_pins(&ra).await.unwrap();
    b.db.import_pins(&rb).await.unwrap();
    for z in [MIN_TILE_ZOOM, 9, 12, 14, MAX_TILE_ZOOM] {
        let tiles: BTreeSet<(u32, u32)> = ra.iter().map(|p| tile_of(p.lat, p.lon, z)).collect();
        for (x, y) in tiles {
            let (ta, tb) = (tile(&a, z, x, y).await, tile(&b, z, x, y).await);
            assert_eq!(ta.body, tb.body, "tile {z}/{x}/{y}");
            assert_eq!(ta.headers["etag"], tb.headers["etag"]);
        }
    }
}

/// A resident's new pin at (`lat`, `lon`), through the API; its id.
async fn add_pin(app: &TestApp, lat: f64, lon: f64) -> uuid::Uuid {
    let id = uuid::Uuid::new_v4();
    let new = json!({"id": id, "lat": lat, "lon": lon,
                     "category": "drugs", "time_of_day": "night"});
    assert_eq!(
        app.post_json("/api/pins", &new).await.status,
        StatusCode::CREATED
    );
    id
}

fn etag(res: &common::Response) -> String {
    res.headers["etag"].to_str().unwrap().to_owned()
}

async fn revalidate(app: &TestApp, (z, x, y): (u8, u32, u32), tag: &str) -> common::Response {
    app.request(
        Request::get(format!("/api/pins/tiles/{z}/{x}/{y}"))
            .header("if-none-match", tag)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn answers_are_revalidated_and_change_when_a_pin_is_added_answered_hidden_or_deleted() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("pia", "planner").await;
    let first = app.seed_pin(SeedPin::default()).await;
    let here = SeedPin::default();
    let at = {
        let (x, y) = tile_of(here.lat, here.lon, 15);
        (15, x, y)
    };
    let a = tile(&app, at.0, at.1, at.2).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.headers["cache-control"], "no-cache");
    assert_eq!(a.headers["content-type"], "application/octet-stream");
    assert_eq!(decode(&a.body).unwrap().pins(), 1);
    let tag = etag(&a);
    let again = revalidate(&app, at, &tag).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    // An agree is not in tiles: the tile stays valid.
    let agree = app
        .post_json(
            &format!("/api/pins/{first}/agree"),
            &json!({"device_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(agree.status, StatusCode::OK);
    assert_eq!(
        revalidate(&app, at, &tag).await.status,
        StatusCode::NOT_MODIFIED
    );

    // A resident adds a pin 100 m away: the next request has it.
    let second = add_pin(&app, here.lat, here.lon + 0.0018).await;
    let b = revalidate(&app, at, &tag).await;
    assert_eq!(b.status, StatusCode::OK);
    assert_ne!(etag(&b), tag);
    assert_eq!(decode(&b.body).unwrap().pins(), 2);

    // Staff answer it: its badge changes.
    let status = app
        .send(
            "POST",
            &format!("/api/staff/pins/{second}/status"),
            Some(&planner),
            &json!({"status": "planned", "response": "Vi sätter upp en lampa."}),
        )
        .await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.text());
    let c = revalidate(&app, at, &etag(&b)).await;
    assert_eq!(c.status, StatusCode::OK);
    let shown = decode(&c.body).unwrap();
    let place = shown
        .places
        .iter()
        .find(|p| p.category.code() == "drugs")
        .unwrap();
    assert_eq!(place.status.code(), "planned");

    // Hidden: gone from the tile.
    let hide = app.hide_pin(&second, &planner, "test").await;
    assert_eq!(hide.status, StatusCode::OK);
    let d = revalidate(&app, at, &etag(&c)).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(decode(&d.body).unwrap().pins(), 1);

    // Deleted by its sender: the tile is empty.
    let delete = app
        .request(
            Request::delete(format!("/api/pins/{first}"))
                .header("authorization", format!("Bearer {}", "t".repeat(64)))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(delete.status, StatusCode::NO_CONTENT);
    let e = revalidate(&app, at, &etag(&d)).await;
    assert_eq!(e.status, StatusCode::OK);
    assert!(decode(&e.body).unwrap().is_empty());
}

#[tokio::test]
async fn bad_addresses_get_the_json_error() {
    let app = TestApp::new().await;
    for (path, field) in [
        ("/api/pins/tiles/x/1/1", "z"),
        ("/api/pins/tiles/3/1/1", "z"),
        ("/api/pins/tiles/17/1/1", "z"),
        ("/api/pins/tiles/10/1024/1", "x"),
        ("/api/pins/tiles/10/1/-1", "y"),
        ("/api/pins/tiles/10/1/1.png", "y"),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(res.json()["error"]["code"], "bad_request");
        assert_eq!(res.json()["error"]["field"], field, "{path}");
    }
    assert_eq!(
        app.get("/api/pins/tiles/10/1").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_bytes_match_the_golden_file() {
    let app = TestApp::new().await;
    app.db.import_pins(&spread(0.0)[..60]).await.unwrap();
    let mut dump = String::new();
    for (z, lat, lon) in [
        (6, 59.39, 15.84),
        (11, 59.39, 15.84),
        (15, 59.3945, 15.8410),
    ] {
        let (x, y) = tile_of(lat, lon, z);
        let res = tile(&app, z, x, y).await;
        let t = decode(&res.body).unwrap();
        dump.push_str(&format!(
            "# {z}/{x}/{y}: {} clusters, {} places, {} pins, {} bytes, etag {}\n",
            t.clusters.len(),
            t.places.len(),
            t.pins(),
            res.body.len(),
            etag(&res)
        ));
        for line in res.body.chunks(32) {
            let hex: Vec<String> = line.iter().map(|b| format!("{b:02x}")).collect();
            dump.push_str(&hex.join(" "));
            dump.push('\n');
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/pin_tiles.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &dump).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(expected, dump, "the tiles differ from the golden file");
}

#[tokio::test]
async fn the_index_reads_every_visible_pin_once_with_its_exact_position() {
    let app = TestApp::new().await;
    // More than one page of SQLite's read (10 000), a few hidden, and positions the paged read
    // cannot scale exactly (|x| < 1/16 or ≥ 128 degrees: read by themselves).
    let mut rows: Vec<PinRow> = (0..10_050)
        .map(|i| {
            let lat = 59.2 + (i as f64) * 0.000_033_3;
            let lon = 15.6 + ((i * 7919) % 10_050) as f64 * 0.000_039_7;
            row(i, lat, lon, i % 97 == 0)
        })
        .collect();
    rows.push(row(20_000, 0.01, -0.02, false));
    rows.push(row(20_001, -33.9, 151.2, false));
    rows.push(row(20_002, 59.4, 179.999_999_9, false));
    app.db.import_pins(&rows).await.unwrap();
    let mut want: Vec<(u64, u64, String)> = rows
        .iter()
        .filter(|r| !r.hidden)
        .map(|r| (r.lat.to_bits(), r.lon.to_bits(), r.category.clone()))
        .collect();
    let mut got = Vec::new();
    app.db
        .for_each_public_point(|lat, lon, category, _, status| {
            assert_eq!(status, "received");
            got.push((lat.to_bits(), lon.to_bits(), category.to_owned()));
        })
        .await
        .unwrap();
    want.sort();
    got.sort();
    assert_eq!(got.len(), want.len());
    assert!(got == want, "every visible pin once, bit for bit");
}

#[tokio::test]
async fn an_agree_changes_the_list_but_leaves_the_tile_index_alone() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("pia", "planner").await;
    let pin = app.seed_pin(SeedPin::default()).await;
    let (tiles, list) = (
        app.db.tiles_version().await.unwrap(),
        app.db.public_version().await.unwrap(),
    );
    let agree = app
        .post_json(
            &format!("/api/pins/{pin}/agree"),
            &json!({"device_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(agree.status, StatusCode::OK, "{}", agree.text());
    assert_ne!(
        app.db.public_version().await.unwrap(),
        list,
        "the list shows the count"
    );
    assert_eq!(
        app.db.tiles_version().await.unwrap(),
        tiles,
        "tiles carry no agree counts: their index is not rebuilt"
    );
    // What the tiles show moves their version: a new pin, a hidden one.
    add_pin(&app, 59.39, 15.84).await;
    let after_new = app.db.tiles_version().await.unwrap();
    assert_ne!(after_new, tiles);
    let hide = app.hide_pin(&pin, &planner, "test").await;
    assert_eq!(hide.status, StatusCode::OK);
    assert_ne!(app.db.tiles_version().await.unwrap(), after_new);
}

#[tokio::test]
async fn a_new_pin_is_added_to_the_tile_index_and_anything_else_builds_it_again() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("pia", "planner").await;
    let seeded = app.seed_pin(SeedPin::default()).await;
    let z = MAX_TILE_ZOOM;
    let (x, y) = tile_of(59.3948, 15.8437, z);
    assert_eq!(decoded(&app, z, x, y).await.pins(), 1);

    // A resident's pin next to it: remembered with the version it made, and in the next tile.
    let before = app.db.tiles_version().await.unwrap();
    add_pin(&app, 59.3949, 15.8437).await;
    let after = app.db.tiles_version().await.unwrap();
    let added = app
        .db
        .added_since(before, after)
        .expect("only a new pin since");
    assert_eq!(added.len(), 1);
    assert_eq!(
        (added[0].category.as_str(), added[0].status.as_str()),
        ("drugs", "received")
    );
    assert_eq!(
        decoded(&app, z, x, y).await.pins(),
        2,
        "the new pin is in the tile at once"
    );

    // A hide is not an addition: the index is built again, and the tile shows it.
    let hide = app.hide_pin(&seeded, &planner, "test").await;
    assert_eq!(hide.status, StatusCode::OK);
    let hidden = app.db.tiles_version().await.unwrap();
    assert_eq!(app.db.added_since(after, hidden), None);
    assert_eq!(app.db.added_since(before, hidden), None);
    assert_eq!(decoded(&app, z, x, y).await.pins(), 1);

    // And a pin after the hide is added to the rebuilt index.
    let another = json!({"id": uuid::Uuid::new_v4(), "lat": 59.3948, "lon": 15.8438,
                         "category": "traffic", "time_of_day": "day"});
    assert_eq!(
        app.post_json("/api/pins", &another).await.status,
        StatusCode::CREATED
    );
    assert!(app
        .db
        .added_since(hidden, app.db.tiles_version().await.unwrap())
        .is_some());
    assert_eq!(decoded(&app, z, x, y).await.pins(), 2);
}
