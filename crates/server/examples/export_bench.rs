//! Export benchmark (docs/PERFORMANCE.md): time and peak memory of the real server process
//! exporting 10 000 and 100 000 pins as GeoJSON, CSV and XLSX, and computing hotspots; then the
//! lägesbild's aggregates (`/api/staff/stats`), first and warm answers.
//!
//! `scripts/bench-export.sh` (or `make bench-export`) builds the release server and runs
//! `cargo run --release -p trygghetskarta-server --example export_bench -- [COUNTS...]`;
//! `BACKEND=postgres` runs it on a throwaway PostgreSQL cluster (fsync on).
//! Every measurement starts a fresh server, so its peak resident memory (VmHWM) belongs to
//! that one request.

use std::path::Path;
use std::time::{Duration, Instant};

use support::{fresh_db, start, synthetic};
use trygghetskarta_server::storage::NewUser;
use trygghetskarta_server::{password, Storage};

#[path = "support/mod.rs"]
mod support;

const PASSWORD: &str = "benchmark password";
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Logs the benchmark's staff account in; its session cookie.
async fn login(http: &reqwest::Client, url: &str) -> String {
    let login = http
        .post(format!("{url}/api/session"))
        .header("content-type", "application/json")
        .body(serde_json::json!({"username": "bench", "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();
    assert!(login.status().is_success());
    login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// One GET with the session; its time.
async fn timed_get(http: &reqwest::Client, url: &str, cookie: &str) -> Duration {
    let started = Instant::now();
    let res = http.get(url).header("cookie", cookie).send().await.unwrap();
    assert!(res.status().is_success(), "{url}: {}", res.status());
    res.bytes().await.unwrap();
    started.elapsed()
}

/// The lägesbild's aggregates on one server: the first answer and the median and slowest of
/// `WARM` more, per selection.
async fn measure_stats(bin: &Path, db: &str, static_dir: &Path, n: usize) {
    const WARM: usize = 9;
    let mut server = start(bin, db, static_dir, &[]);
    let http = reqwest::Client::new();
    let cookie = login(&http, &server.url).await;
    let named = serde_json::json!({"name": "Stationsområdet", "lat": 59.3970, "lon": 15.8410,
        "radius_m": 300});
    let res = http
        .post(format!("{}/api/staff/places", server.url))
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .body(named.to_string())
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "named place: {}", res.status());
    for query in [
        "bucket=week",
        "bucket=month",
        "bucket=month&from=2026-07-01&to=2026-09-30&compare_from=2026-04-01&compare_to=2026-06-30",
        "bucket=week&area=Arboga",
        "bucket=week&area=Stationsområdet",
        "bucket=week&category=drugs&time_of_day=night",
    ] {
        let url = format!("{}/api/staff/stats?{query}", server.url);
        let first = timed_get(&http, &url, &cookie).await;
        let mut warm = Vec::with_capacity(WARM);
        for _ in 0..WARM {
            warm.push(timed_get(&http, &url, &cookie).await);
        }
        warm.sort();
        println!(
            "| {n} | `stats?{query}` | {} | {} | {} |",
            first.as_millis(),
            warm[WARM / 2].as_millis(),
            warm[WARM - 1].as_millis()
        );
    }
    server.child.kill().ok();
    server.child.wait().ok();
}

async fn measure(
    bin: &Path,
    db: &str,
    static_dir: &Path,
    path: &str,
) -> (Duration, usize, u64, u64) {
    let mut server = start(bin, db, static_dir, &[]);
    let http = reqwest::Client::new();
    let cookie = login(&http, &server.url).await;
    let idle = peak_rss_kib(server.child.id());
    let started = Instant::now();
    let res = http
        .get(format!("{}{path}", server.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    let body = res.bytes().await.unwrap();
    let took = started.elapsed();
    let peak = peak_rss_kib(server.child.id());
    server.child.kill().ok();
    server.child.wait().ok();
    (took, body.len(), idle, peak)
}

#[tokio::main]
async fn main() {
    let counts = support::counts(&[10_000, 100_000]);
    let bin = support::release_bin();
    println!("{}:\n", support::backend_name());
    println!("| pins | request | time (ms) | size (MB) | peak RSS idle → after (MiB) |");
    println!("|---:|---|---:|---:|---:|");
    let mut stats_dbs = Vec::new();
    for n in counts {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        let db = fresh_db(dir.path());
        let storage = Storage::open(&db).await.unwrap();
        storage.import_pins(&synthetic(n)).await.unwrap();
        let hash = password::hash(PASSWORD).unwrap();
        storage
            .create_user(&NewUser {
                username: "bench",
                password_hash: &hash,
                role: "planner",
                created_at: "2026-11-26T00:00:00Z",
            })
            .await
            .unwrap();
        storage.close().await;
        for path in [
            "/api/export/pins.geojson",
            "/api/export/pins.csv",
            "/api/export/pins.xlsx",
            "/api/staff/hotspots",
        ] {
            let (took, bytes, idle, peak) = measure(&bin, &db, dir.path(), path).await;
            println!(
                "| {n} | `{path}` | {} | {:.1} | {:.1} → {:.1} |",
                took.as_millis(),
                bytes as f64 / 1e6,
                idle as f64 / 1024.0,
                peak as f64 / 1024.0
            );
        }
        stats_dbs.push((n, db, dir));
    }
    println!();
    println!("| pins | lägesbild request | first (ms) | warm median (ms) | warm slowest (ms) |");
    println!("|---:|---|---:|---:|---:|");
    for (n, db, dir) in &stats_dbs {
        measure_stats(&bin, db, dir.path(), *n).await;
    }
}
