//! Export benchmark (docs/PERFORMANCE.md): time and peak memory of the real server process
//! exporting 10 000 and 100 000 pins as GeoJSON, CSV and XLSX, and computing hotspots.
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

async fn measure(
    bin: &Path,
    db: &str,
    static_dir: &Path,
    path: &str,
) -> (Duration, usize, u64, u64) {
    let mut server = start(bin, db, static_dir, &[]);
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{}/api/session", server.url))
        .header("content-type", "application/json")
        .body(serde_json::json!({"username": "bench", "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();
    assert!(login.status().is_success());
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
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
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let counts = if counts.is_empty() {
        vec![10_000, 100_000]
    } else {
        counts
    };
    let bin = support::release_bin();
    println!("{}:\n", support::backend_name());
    println!("| pins | request | time (ms) | size (MB) | peak RSS idle → after (MiB) |");
    println!("|---:|---|---:|---:|---:|");
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
    }
}
