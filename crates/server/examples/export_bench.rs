//! Export benchmark (docs/PERFORMANCE.md): time and peak memory of the real server process
//! exporting 10 000 and 100 000 pins as GeoJSON, CSV and XLSX, and computing hotspots.
//!
//! `scripts/bench-export.sh` (or `make bench-export`) builds the release server and runs
//! `cargo run --release -p trygghetskarta-server --example export_bench -- [COUNTS...]`.
//! Every measurement starts a fresh server, so its peak resident memory (VmHWM) belongs to
//! that one request.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use trygghetskarta_server::storage::{NewUser, PinRow};
use trygghetskarta_server::{password, Storage};

const PASSWORD: &str = "benchmark password";
const CATEGORIES: [&str; 6] = [
    "traffic",
    "drugs",
    "lighting",
    "disorder",
    "vandalism",
    "other",
];
const TIMES: [&str; 4] = ["day", "evening", "night", "all_day"];

fn synthetic(n: usize) -> Vec<PinRow> {
    let mut rng = StdRng::seed_from_u64(42);
    (0..n)
        .map(|i| {
            // 70 % in Arboga tätort, 30 % over the kommun (as the map benchmark).
            let (lat, lon) = if rng.gen_bool(0.7) {
                (rng.gen_range(59.380..59.405), rng.gen_range(15.815..15.895))
            } else {
                (rng.gen_range(59.30..59.50), rng.gen_range(15.60..16.00))
            };
            PinRow {
                id: uuid::Uuid::from_u128(rng.gen()).to_string(),
                lat,
                lon,
                category: CATEGORIES[i % 6].into(),
                time_of_day: TIMES[i % 4].into(),
                comment: (i % 3 == 0).then(|| {
                    format!(
                        "Synthetic comment {i}: dålig belysning vid gångvägen, \"farligt\"; kväll."
                    )
                }),
                place_description: (i % 5 == 0).then(|| "Vid busshållplatsen".to_owned()),
                delete_token: "x".repeat(64),
                created_at: 1_767_222_000 + (i as i64) * 300,
                agree_count: (i % 7) as i64,
                hidden: i % 50 == 0,
                comment_approved: false,
                hidden_reason: (i % 50 == 0).then(|| "spam".to_owned()),
            }
        })
        .collect()
}

struct Server {
    child: Child,
    url: String,
}

fn start(bin: &Path, db: &str, static_dir: &Path) -> Server {
    let mut child = Command::new(bin)
        .args([
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            db,
            "--static-dir",
        ])
        .arg(static_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the server prints its URL")
        .trim_end_matches('/')
        .to_owned();
    Server { child, url }
}

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
    let mut server = start(bin, db, static_dir);
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
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = root.join("target/release/trygghetskarta-server");
    assert!(
        bin.is_file(),
        "build it first: cargo build --release -p trygghetskarta-server"
    );
    println!("| pins | request | time (ms) | size (MB) | peak RSS idle → after (MiB) |");
    println!("|---:|---|---:|---:|---:|");
    for n in counts {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        let db = format!("sqlite://{}", dir.path().join("bench.db").display());
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
