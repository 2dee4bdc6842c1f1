//! What the benchmarks share: synthetic pins, the database of the backend under test, and
//! starting the release server.
#![allow(dead_code)]

/// The throwaway PostgreSQL cluster the tests use, here with fsync on.
#[path = "../../tests/common/pg.rs"]
pub mod pg;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use trygghetskarta_server::storage::PinRow;
use trygghetskarta_shared::{Category, TimeOfDay};

/// The backend under test: `BACKEND=postgres` for PostgreSQL (a durable throwaway cluster of
/// this process's own), else SQLite.
pub fn postgres() -> bool {
    matches!(
        std::env::var("BACKEND").as_deref(),
        Ok("postgres" | "postgresql")
    )
}

/// "SQLite" or "PostgreSQL", for the results.
pub fn backend_name() -> &'static str {
    if postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

/// A new, empty database of the backend under test.
pub fn fresh_db(dir: &Path) -> String {
    if postgres() {
        pg::durable_cluster().new_database()
    } else {
        format!("sqlite://{}", dir.join("bench.db").display())
    }
}

/// The release build of the server, which the benchmark scripts build first.
pub fn release_bin() -> PathBuf {
    // Cargo's target directory, where it was moved to (CARGO_TARGET_DIR) or the workspace's.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let bin = target.join("release/trygghetskarta-server");
    assert!(
        bin.is_file(),
        "build it first: cargo build --release -p trygghetskarta-server"
    );
    bin
}

/// `n` pins spread like the map benchmark's, the same for every run.
pub fn synthetic(n: usize) -> Vec<PinRow> {
    synthetic_iter(n).collect()
}

/// [`synthetic`], made as they are taken (a million pins need not be in memory at once).
pub fn synthetic_iter(n: usize) -> impl Iterator<Item = PinRow> {
    let mut rng = StdRng::seed_from_u64(42);
    (0..n).map(move |i| {
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
            category: Category::ALL[i % 6].code().into(),
            time_of_day: TimeOfDay::ALL[i % 4].code().into(),
            comment: (i % 3 == 0).then(|| {
                format!("Synthetic comment {i}: dålig belysning vid gångvägen, \"farligt\"; kväll.")
            }),
            place_description: (i % 5 == 0).then(|| "Vid busshållplatsen".to_owned()),
            delete_token: "x".repeat(64),
            created_at: 1_767_222_000 + (i as i64) * 300,
            agree_count: (i % 7) as i64,
            hidden: i % 50 == 0,
            comment_approved: false,
            hidden_reason: (i % 50 == 0).then(|| "spam".to_owned()),
            follow_up: Default::default(),
        }
    })
}

/// Stores `n` synthetic pins in the database at `url` (created if need be), in batches.
pub async fn seed(url: &str, n: usize) -> trygghetskarta_server::Storage {
    let db = trygghetskarta_server::Storage::open(url)
        .await
        .expect("open the database");
    let mut rows = synthetic_iter(n).peekable();
    while rows.peek().is_some() {
        let batch: Vec<PinRow> = rows.by_ref().take(50_000).collect();
        db.import_pins(&batch).await.expect("store the pins");
    }
    db
}

/// The pin counts given on the command line, or `default`.
pub fn counts(default: &[usize]) -> Vec<usize> {
    let given: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if given.is_empty() {
        default.to_vec()
    } else {
        given
    }
}

/// A process's resident memory now and at its peak, in MiB (`/proc/<pid>/status`).
pub fn memory_mib(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (kib("VmRSS:") / 1024.0, kib("VmHWM:") / 1024.0)
}

pub struct Server {
    pub child: Child,
    pub url: String,
}

/// Starts the server binary on a free port; `extra` are further flags.
pub fn start(bin: &Path, db: &str, static_dir: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(bin)
        .args([
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            db,
            "--static-dir",
        ])
        .arg(static_dir)
        .args(extra)
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
