//! Load benchmark (docs/PERFORMANCE.md): what the release server holds on this machine, with
//! `wrk` as the load generator on the same cores.
//!
//! `scripts/bench-load.sh` (or `make bench-load`) installs wrk, builds the release server and
//! runs `cargo run --release -p trygghetskarta-server --example load_bench`. Scenarios, each on
//! a fresh server and database (`synchronous=FULL`: every answer means on disk):
//! - new pins (`POST /api/pins`, every request a new id and place);
//! - agrees on one hot pin (every request a new device), then the count is checked to be exact;
//! - `GET /api/pins` with 10 000 and 100 000 stored pins, gzip as browsers ask for it.
//!
//! Environment: `BENCH_SECONDS` (default 10), `BENCH_CONNECTIONS` (default 32), `BACKEND`
//! (`postgres` runs the same scenarios on a throwaway PostgreSQL cluster with fsync on).

use std::path::Path;
use std::process::Command;

use support::{fresh_db, start, synthetic};
use trygghetskarta_server::Storage;

#[path = "support/mod.rs"]
mod support;

/// Counts the answers by status in each wrk thread and prints them at the end.
const COUNT_STATUSES: &str = r#"
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(id * 7919 + os.time())
  counts = {}
end
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
-- The request's headers: JSON, and with BENCH_RESIDENTS > 1 the address of one of that many
-- residents, as the kommun's proxy would forward it (the server trusts 127.0.0.1 then).
function headers()
  local h = {["Content-Type"] = "application/json"}
  if residents > 1 then
    local n = math.random(0, residents - 1)
    h["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(n / 65536), math.floor(n / 256) % 256, n % 256)
  end
  return h
end
local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do total[status] = (total[status] or 0) + n end
  end
  local line = "statuses"
  for status, n in pairs(total) do line = line .. " " .. status .. "=" .. n end
  print(line)
end
"#;

const NEW_PINS: &str = r#"
request = function()
  local body = string.format(
    '{"id":"%s","lat":%.6f,"lon":%.6f,"category":"traffic","time_of_day":"night"}',
    uuid(), 59.380 + math.random() * 0.025, 15.815 + math.random() * 0.080)
  return wrk.format("POST", "/api/pins", headers(), body)
end
"#;

fn agree_script(pin: &str) -> String {
    format!(
        r#"
request = function()
  return wrk.format("POST", "/api/pins/{pin}/agree", headers(),
    '{{"device_id":"' .. uuid() .. '"}}')
end
"#
    )
}

const GET_PINS: &str = r#"
wrk.headers["Accept-Encoding"] = "gzip"
request = function() return wrk.format("GET", "/api/pins") end
"#;

struct Outcome {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    statuses: Vec<(u16, u64)>,
}

fn ms(text: &str) -> f64 {
    let (num, unit) = text
        .find(|c: char| c.is_ascii_alphabetic())
        .map(|i| text.split_at(i))
        .unwrap_or((text, "ms"));
    let v: f64 = num.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => v / 1000.0,
        "s" => v * 1000.0,
        "m" => v * 60_000.0,
        _ => v,
    }
}

fn connections() -> u64 {
    std::env::var("BENCH_CONNECTIONS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(32)
}

/// How many residents the writes come from (`BENCH_RESIDENTS`, default 1: every request from
/// one address, so one rate-limit window takes every request).
fn residents() -> u32 {
    std::env::var("BENCH_RESIDENTS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1)
        .max(1)
}

fn wrk(url: &str, dir: &Path, script: &str) -> Outcome {
    let seconds = std::env::var("BENCH_SECONDS").unwrap_or_else(|_| "10".into());
    let connections = connections().to_string();
    let file = dir.join("scenario.lua");
    let prelude = format!("residents = {}\n", residents());
    std::fs::write(&file, format!("{prelude}{COUNT_STATUSES}\n{script}")).unwrap();
    let out = Command::new("wrk")
        .args([
            "-t2",
            "-c",
            &connections,
            "-d",
            &format!("{seconds}s"),
            "--latency",
            "-s",
        ])
        .arg(&file)
        .arg(url)
        .output()
        .expect("wrk (scripts/bench-load.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let find = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
            .unwrap_or_else(|| panic!("{prefix:?} not in wrk's output:\n{text}"))
            .to_owned()
    };
    let statuses = find("statuses")
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
        .collect();
    Outcome {
        rps: find("Requests/sec:").parse().unwrap(),
        p50_ms: ms(&find("50%")),
        p99_ms: ms(&find("99%")),
        statuses,
    }
}

fn count(o: &Outcome, status: u16) -> u64 {
    o.statuses
        .iter()
        .filter(|(s, _)| *s == status)
        .map(|(_, n)| n)
        .sum()
}

fn others(o: &Outcome, ok: u16) -> u64 {
    o.statuses
        .iter()
        .filter(|(s, _)| *s != ok)
        .map(|(_, n)| n)
        .sum()
}

fn row(what: &str, o: &Outcome, ok: u16, note: &str) {
    println!(
        "| {what} | {:.0} | {:.1} | {:.1} | {} × {ok}, {} other | {note} |",
        o.rps,
        o.p50_ms,
        o.p99_ms,
        count(o, ok),
        others(o, ok)
    );
}

const MANY: &str = "1000000000";

#[tokio::main]
async fn main() {
    let bin = support::release_bin();
    let mut limits = vec!["--pins-per-10-min", MANY, "--agrees-per-10-min", MANY];
    if residents() > 1 {
        limits.extend(["--trusted-proxies", "127.0.0.1"]);
    }
    println!("{}:\n", support::backend_name());
    println!(
        "| scenario | requests/s | p50 (ms) | p99 (ms) | answers | check |\n|---|---:|---:|---:|---|---|"
    );

    // New pins.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
    let db = fresh_db(dir.path());
    let metrics_at = format!(
        "127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    );
    let mut with_metrics = limits.to_vec();
    with_metrics.extend(["--metrics-bind", metrics_at.as_str()]);
    let mut server = start(&bin, &db, dir.path(), &with_metrics);
    let o = wrk(&server.url, dir.path(), NEW_PINS);
    let metrics = reqwest::get(format!("http://{metrics_at}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let metric = |name: &str| -> f64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let commits = metric("tk_db_commits_total");
    server.child.kill().ok();
    server.child.wait().ok();
    let stored = Storage::open(&db)
        .await
        .unwrap()
        .count_pins()
        .await
        .unwrap();
    // wrk stops with requests in flight: those may be stored without wrk counting the 201.
    let in_flight = stored as u64 - count(&o, 201);
    assert!(
        in_flight <= connections(),
        "every 201 is on disk, nothing else"
    );
    // New pins are stored many to a statement (one write) and each write is a commit.
    let per_commit = stored as f64 / commits;
    let note = format!(
        "{stored} stored after kill -9 (201s + {in_flight} in flight when wrk stopped); \
         {per_commit:.0} pins per commit"
    );
    row("`POST /api/pins` (new pins)", &o, 201, &note);

    // Agrees on one hot pin.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
    let db = fresh_db(dir.path());
    let storage = Storage::open(&db).await.unwrap();
    let hot = synthetic(1).remove(0);
    let pin = hot.id.clone();
    storage
        .import_pins(&[trygghetskarta_server::storage::PinRow {
            agree_count: 0,
            hidden: false,
            ..hot
        }])
        .await
        .unwrap();
    storage.close().await;
    let mut server = start(&bin, &db, dir.path(), &limits);
    let o = wrk(&server.url, dir.path(), &agree_script(&pin));
    server.child.kill().ok();
    server.child.wait().ok();
    let agreed = Storage::open(&db)
        .await
        .unwrap()
        .pin(&pin)
        .await
        .unwrap()
        .unwrap()
        .agree_count;
    let in_flight = agreed as u64 - count(&o, 200);
    assert!(in_flight <= connections(), "the count is exact");
    row(
        "`POST /api/pins/{id}/agree` (one hot pin)",
        &o,
        200,
        &format!("agree_count {agreed} (200s + {in_flight} in flight when wrk stopped)"),
    );

    // Reading the public pins.
    for n in [10_000, 100_000] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        let db = fresh_db(dir.path());
        let storage = Storage::open(&db).await.unwrap();
        storage.import_pins(&synthetic(n)).await.unwrap();
        storage.close().await;
        let mut server = start(&bin, &db, dir.path(), &limits);
        let o = wrk(&server.url, dir.path(), GET_PINS);
        server.child.kill().ok();
        server.child.wait().ok();
        row(&format!("`GET /api/pins`, {n} stored (gzip)"), &o, 200, "");
    }
}
