//! Fills a database with synthetic pins for the map benchmark (`bench/map-bench.mjs`): the same
//! pins as the other benchmarks (`support::synthetic`: 70 % in Arboga tätort, 30 % over the
//! kommun, one in 50 hidden), stored in batches through `Storage::import_pins`.
//!
//! `cargo run --release -p trygghetskarta-server --example seed_pins -- sqlite://bench.db 1000000`

use std::time::Instant;

#[path = "support/mod.rs"]
mod support;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(n)) = (args.next(), args.next().and_then(|n| n.parse().ok())) else {
        eprintln!("usage: seed_pins sqlite://FILE COUNT");
        std::process::exit(2);
    };
    let started = Instant::now();
    let db = support::seed(&url, n).await;
    let stored = db.count_pins().await.expect("count the pins");
    db.close().await;
    println!(
        "seeded {stored} pins in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
