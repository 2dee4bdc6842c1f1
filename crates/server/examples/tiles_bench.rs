//! Pin tile benchmark (docs/PERFORMANCE.md): the release server answering
//! `GET /api/pins/tiles/{z}/{x}/{y}` with 1 000 to 1 000 000 stored pins.
//!
//! `scripts/bench-tiles.sh` builds the release server and runs
//! `cargo run --release -p trygghetskarta-server --example tiles_bench -- [COUNTS...]`. For each
//! count: a fresh database filled with the synthetic pins (`support::synthetic`), a fresh server
//! process, and then
//! - the first tile request (the index is built from the database: the cold answer) and the
//!   server's resident memory before and after;
//! - at every tile zoom, up to 300 tiles that hold pins, each asked for once (the tile is
//!   clustered, encoded and compressed for this request: the warm answer), then again (cached);
//!   time from request to last byte, client on the same machine; bytes per marker as sent
//!   (Brotli, gzip, uncompressed body; HTTP headers not counted);
//! - a new pin, and how long until the tile holding it shows it.

use std::time::{Duration, Instant};

use support::{memory_mib, seed, start, synthetic_iter};
use trygghetskarta_server::pin_index::{PinIndex, Point};
use trygghetskarta_shared::tile::{decode, MAX_TILE_ZOOM, MIN_TILE_ZOOM};

#[path = "support/mod.rs"]
mod support;

fn percentile(xs: &mut [f64], p: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(((p / 100.0) * xs.len() as f64) as usize)
        .or(xs.last())
        .copied()
        .unwrap_or(f64::NAN)
}

async fn get(
    http: &reqwest::Client,
    url: &str,
    coding: &str,
) -> (Duration, reqwest::StatusCode, Vec<u8>) {
    let started = Instant::now();
    let res = http
        .get(url)
        .header("accept-encoding", coding)
        .send()
        .await
        .expect("the server answers");
    let status = res.status();
    let body = res.bytes().await.expect("a body").to_vec();
    (started.elapsed(), status, body)
}

fn tile_of(lat: f64, lon: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let r = lat.to_radians();
    let y = (1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    (((lon + 180.0) / 360.0 * n) as u32, y as u32)
}

#[tokio::main]
async fn main() {
    let counts = support::counts(&[1_000, 10_000, 100_000, 1_000_000]);
    let bin = support::release_bin();
    let http = reqwest::Client::new();
    let mut summary = Vec::new();
    for n in counts {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        let db = format!("sqlite://{}", dir.path().join("bench.db").display());
        let started = Instant::now();
        seed(&db, n).await.close().await;
        let seeded = started.elapsed();
        // The tiles that hold pins, worked out here from the same pins.
        let points: Vec<Point> = synthetic_iter(n)
            .filter(|p| !p.hidden)
            .filter_map(|p| Point::new(p.lat, p.lon, &p.category, &p.time_of_day, "received"))
            .collect();
        let index = PinIndex::build(points);

        let mut server = start(&bin, &db, dir.path(), &["--pins-per-10-min", "1000000000"]);
        let pid = server.child.id();
        let (idle, _) = memory_mib(pid);
        let (sx, sy) = tile_of(59.3950, 15.8380, 11);
        let url = |z: u8, x: u32, y: u32| format!("{}/api/pins/tiles/{z}/{x}/{y}", server.url);
        let (cold, status, _) = get(&http, &url(11, sx, sy), "br").await;
        assert!(status.is_success());
        let (built, _) = memory_mib(pid);
        println!(
            "\n### {n} pins ({} visible at {} places): seeded in {:.1} s; first tile (cold, the \
             index is built) {:.0} ms; server memory {idle:.1} → {built:.1} MiB",
            index.pins(),
            index.places(),
            seeded.as_secs_f64(),
            cold.as_secs_f64() * 1000.0
        );
        println!(
            "\n| zoom (map) | tiles | markers/tile | first answer p50 / p95 / max (ms) | cached p50 (ms) \
             | bytes/marker Brotli / gzip / raw |\n|---|---:|---:|---|---:|---|"
        );
        let mut all_first = Vec::new();
        for z in MIN_TILE_ZOOM..=MAX_TILE_ZOOM {
            let tiles = index.tiles_at(z);
            let step = tiles.len().div_ceil(300).max(1);
            let sample: Vec<(u32, u32)> = tiles.iter().copied().step_by(step).collect();
            let (mut first, mut cached) = (Vec::new(), Vec::new());
            let (mut br, mut gz, mut raw, mut markers) = (0usize, 0usize, 0usize, 0usize);
            for &(x, y) in &sample {
                let (t, status, body) = get(&http, &url(z, x, y), "br").await;
                assert!(status.is_success());
                first.push(t.as_secs_f64() * 1000.0);
                br += body.len();
                let (t, _, body) = get(&http, &url(z, x, y), "identity").await;
                cached.push(t.as_secs_f64() * 1000.0);
                markers += decode(&body).expect("a tile").len();
                raw += body.len();
                gz += get(&http, &url(z, x, y), "gzip").await.2.len();
            }
            all_first.extend(first.iter().copied());
            let per = |b: usize| b as f64 / markers.max(1) as f64;
            println!(
                "| {z} ({}) | {} | {:.1} | {:.1} / {:.1} / {:.1} | {:.2} | {:.1} / {:.1} / {:.1} |",
                z + 2,
                sample.len(),
                markers as f64 / sample.len().max(1) as f64,
                percentile(&mut first, 50.0),
                percentile(&mut first, 95.0),
                percentile(&mut first, 100.0),
                percentile(&mut cached, 50.0),
                per(br),
                per(gz),
                per(raw),
            );
        }
        let (after, peak) = memory_mib(pid);

        // A new pin: how long until its tile shows it.
        let (z, (x, y)) = (16, tile_of(59.3950, 15.8380, 16));
        let before = get(&http, &url(z, x, y), "identity").await.2;
        let pin = serde_json::json!({"id": uuid::Uuid::new_v4(), "lat": 59.3950, "lon": 15.8380,
                                     "category": "other", "time_of_day": "day"});
        let posted = Instant::now();
        let res = http
            .post(format!("{}/api/pins", server.url))
            .header("content-type", "application/json")
            .body(pin.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), reqwest::StatusCode::CREATED);
        let stored = posted.elapsed();
        loop {
            if get(&http, &url(z, x, y), "identity").await.2 != before {
                break;
            }
            assert!(
                posted.elapsed() < Duration::from_secs(120),
                "the pin never showed"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let shows = posted.elapsed();
        println!(
            "\nServer memory after the tiles: {after:.1} MiB (peak {peak:.1}). A new pin shows in \
             its tile after {:.0} ms (its POST answered after {:.0} ms).",
            shows.as_secs_f64() * 1000.0,
            stored.as_secs_f64() * 1000.0
        );
        summary.push((
            n,
            cold,
            percentile(&mut all_first, 95.0),
            idle,
            built,
            peak,
            shows,
        ));
        server.child.kill().ok();
        server.child.wait().ok();
    }
    println!(
        "\n| pins | first tile, cold (ms) | warm tile p95, all zooms (ms) | memory idle → index → peak (MiB) | a new pin shows after (ms) |\n|---:|---:|---:|---|---:|"
    );
    for (n, cold, p95, idle, built, peak, shows) in summary {
        println!(
            "| {n} | {:.0} | {p95:.1} | {idle:.1} → {built:.1} → {peak:.1} | {:.0} |",
            cold.as_secs_f64() * 1000.0,
            shows.as_secs_f64() * 1000.0
        );
    }
}
