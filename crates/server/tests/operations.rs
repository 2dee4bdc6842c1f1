//! The server as the kommun's IT runs it: the real binary, real sockets, a real database (the
//! backend under test; backups are SQLite's).
//! A crash loses nothing acknowledged, SIGTERM lets requests finish, slow clients are dropped
//! while others are served, and backups taken under load restore everything.

use crate::common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::db_url;
use common::process::{self, cli, http, report, HttpResponse, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MANY: &str = "1000000";

/// Public pin ids the server has now.
async fn public_ids(server: &Server) -> HashSet<String> {
    let res = http([127, 0, 0, 1], server.addr, "GET", "/api/pins", &[], None)
        .await
        .unwrap();
    assert_eq!(res.status, 200);
    res.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `clients` residents sending pins as fast as they can, from distinct loopback addresses,
/// until `stop` or `per_client` pins each; every pin answered 201 or 200 goes into `acked`.
fn load(
    addr: std::net::SocketAddr,
    clients: u8,
    per_client: usize,
    acked: Arc<Mutex<Vec<String>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..clients)
        .map(|c| {
            let (acked, stop) = (acked.clone(), stop.clone());
            tokio::spawn(async move {
                for i in 0..per_client {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let pin = report(i + 1000 * c as usize);
                    let id = pin["id"].as_str().unwrap().to_owned();
                    match http(
                        [127, 0, 1, 10 + c],
                        addr,
                        "POST",
                        "/api/pins",
                        &[],
                        Some(&pin),
                    )
                    .await
                    {
                        Ok(HttpResponse {
                            status: 200 | 201, ..
                        }) => acked.lock().unwrap().push(id),
                        Ok(other) => panic!("unexpected {}: {}", other.status, other.body),
                        Err(_) => break, // the server is gone
                    }
                }
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_any_moment_loses_nothing_acknowledged() {
    let _turn = common::one_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path(), "crash.db");
    let acked = Arc::new(Mutex::new(Vec::new()));
    for cycle in 0..4u64 {
        let server = Server::start(dir.path(), &db, &["--pins-per-10-min", MANY]);
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let tasks = load(server.addr, 6, 5000, acked.clone(), stop.clone());
        // Kill while pins are being written, at a different moment each cycle.
        tokio::time::sleep(Duration::from_millis(300 + 170 * cycle)).await;
        server.kill_9();
        for t in tasks {
            t.await.unwrap();
        }
    }
    let server = Server::start(dir.path(), &db, &[]);
    let stored = public_ids(&server).await;
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 100,
        "the load ran: {} pins acknowledged",
        acked.len()
    );
    let lost: Vec<_> = acked.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged pins lost: {lost:?}",
        lost.len(),
        acked.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_accepting_finishes_requests_in_flight_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path(), "term.db");
    let mut server = Server::start(dir.path(), &db, &[]);
    // A resident's phone is halfway through sending a pin.
    let pin = report(1);
    let body = pin.to_string();
    let mut conn = process::connect_from([127, 0, 0, 1], server.addr)
        .await
        .unwrap();
    let head = format!(
        "POST /api/pins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(&body.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.sigterm();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // No new connections are taken...
    let refused = http([127, 0, 0, 1], server.addr, "GET", "/api/health", &[], None).await;
    assert!(
        refused.is_err(),
        "a new connection after SIGTERM must be refused"
    );
    // ...but the request in flight completes.
    conn.write_all(&body.as_bytes()[10..]).await.unwrap();
    let res = process::read_response(&mut conn).await.unwrap();
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0));
    // SQLite: checkpointed, the database file alone holds the pin (no WAL left behind).
    let wal = dir.path().join("term.db-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0);
    let again = Server::start(dir.path(), &db, &[]);
    assert!(public_ids(&again)
        .await
        .contains(pin["id"].as_str().unwrap()));
}

/// Whether the server has closed this connection (reads EOF or an error within `wait`).
async fn closed(conn: &mut tokio::net::TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match tokio::time::timeout(wait, conn.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // e.g. an error response before closing
            Err(_) => return false,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_clients_are_dropped_while_health_answers_within_a_second() {
    let _turn = common::one_at_a_time().await;
    process::raise_open_files();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        dir.path(),
        &db_url(dir.path(), "slow.db"),
        &[
            "--header-timeout",
            "2",
            "--idle-timeout",
            "3",
            "--body-timeout",
            "2",
        ],
    );
    // 800 connections that send half a request header and then nothing.
    let opened = Instant::now();
    let mut stalled = Vec::new();
    for i in 0..800u32 {
        let from = [127, 0, 2 + (i / 250) as u8, (i % 250) as u8 + 1];
        let mut c = process::connect_from(from, server.addr).await.unwrap();
        c.write_all(b"POST /api/pins HTTP/1.1\r\nHost: x\r\nContent-Ty")
            .await
            .unwrap();
        stalled.push(c);
    }
    // Health answers within a second the whole time.
    let mut slowest = Duration::ZERO;
    while opened.elapsed() < Duration::from_secs(5) {
        let t = Instant::now();
        let res = tokio::time::timeout(
            Duration::from_secs(1),
            http([127, 0, 0, 1], server.addr, "GET", "/api/health", &[], None),
        )
        .await
        .expect("health answered within a second")
        .unwrap();
        assert_eq!(res.status, 200);
        slowest = slowest.max(t.elapsed());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(slowest < Duration::from_secs(1));
    // All 800 are gone: the header timeout (2 s) plus a few seconds' leeway for a machine
    // busy with other tests (each is closed, or the whole check fails, within 8 s of opening).
    let deadline = opened + Duration::from_secs(8);
    for (i, c) in stalled.iter_mut().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            closed(c, left.max(Duration::from_millis(100))).await,
            "stalled connection {i} still open"
        );
    }
    // A kept-alive connection idle past the idle timeout is closed too...
    let mut idle = process::connect_from([127, 0, 0, 1], server.addr)
        .await
        .unwrap();
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(
        !closed(&mut idle, Duration::from_millis(1500)).await,
        "kept alive for a while"
    );
    assert!(
        closed(&mut idle, Duration::from_secs(4)).await,
        "closed once idle too long"
    );
    // ...and a body that never finishes gets 408.
    let mut dripping = process::connect_from([127, 0, 0, 1], server.addr)
        .await
        .unwrap();
    dripping
        .write_all(b"POST /api/pins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"id\":")
        .await
        .unwrap();
    let started = Instant::now();
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(6), dripping.read_to_end(&mut raw)).await;
    let res = process::parse_response(&raw).unwrap();
    assert_eq!(res.status, 408, "{}", res.body);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_connection_cap_clients_wait_instead_of_exhausting_the_server() {
    let _turn = common::one_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        dir.path(),
        &db_url(dir.path(), "cap.db"),
        &["--max-connections", "4", "--header-timeout", "2"],
    );
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut c = process::connect_from([127, 0, 0, 1], server.addr)
            .await
            .unwrap();
        c.write_all(b"GET /api/heal").await.unwrap();
        held.push(c);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The fifth is not served while the four hold their slots...
    let started = Instant::now();
    let fifth = tokio::spawn(http(
        [127, 0, 0, 2],
        server.addr,
        "GET",
        "/api/health",
        &[],
        None,
    ));
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!fifth.is_finished(), "served beyond the cap");
    // ...and is served once the stalled ones are dropped.
    let res = fifth.await.unwrap().unwrap();
    assert_eq!(res.status, 200);
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_during_writes_restores_every_pin_acknowledged_before_it() {
    let _turn = common::one_at_a_time().await;
    if common::sqlite_only("backup and restore of the database file; PostgreSQL: pg_dump") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path(), "live.db");
    let server = Server::start(dir.path(), &db, &["--pins-per-10-min", MANY]);
    // A staff account made while the server runs, and a session.
    let (ok, out) = cli(
        &[
            "--database-url",
            &db,
            "user",
            "add",
            "anna",
            "--role",
            "planner",
        ],
        "a long enough secret\n",
    );
    assert!(ok, "{out}");
    let login = serde_json::json!({"username": "anna", "password": "a long enough secret"});
    let res = http(
        [127, 0, 0, 1],
        server.addr,
        "POST",
        "/api/session",
        &[],
        Some(&login),
    )
    .await
    .unwrap();
    assert_eq!(res.status, 200, "{}", res.body);
    let cookie = res
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (ok, out) = cli(
        &[
            "--database-url",
            &db,
            "user",
            "add",
            "bo",
            "--role",
            "organiser",
        ],
        "another long secret\n",
    );
    assert!(ok, "{out}");
    let (ok, out) = cli(&["--database-url", &db, "user", "disable", "bo"], "");
    assert!(ok, "{out}");

    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let tasks = load(server.addr, 4, 100_000, acked.clone(), stop.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before: Vec<String> = acked.lock().unwrap().clone();
    let file = dir.path().join("backup.db");
    let file_arg = file.display().to_string();
    let db2 = db.clone();
    let (ok, out) = tokio::task::spawn_blocking(move || {
        cli(&["--database-url", &db2, "backup", &file_arg], "")
    })
    .await
    .unwrap();
    assert!(ok, "{out}");
    assert!(out.contains("integrity_check ok"), "{out}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    assert!(
        before.len() > 20,
        "the load ran before the backup: {}",
        before.len()
    );
    assert!(
        acked.lock().unwrap().len() > before.len(),
        "and went on during it"
    );

    // The file is intact on its own.
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
        "sqlite://{}?mode=ro",
        file.display()
    ))
    .await
    .unwrap();
    let (verdict,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(verdict, "ok");
    drop(conn);
    // A backup never overwrites.
    let (ok, out) = cli(
        &["--database-url", &db, "backup", &file.display().to_string()],
        "",
    );
    assert!(!ok && out.contains("exists already"), "{out}");

    // A server on the backup serves every pin acknowledged before it began; staff work.
    let copy_dir = tempfile::tempdir().unwrap();
    let copy = copy_dir.path().join("restored.db");
    std::fs::copy(&file, &copy).unwrap();
    let restored = Server::start(
        copy_dir.path(),
        &db_url(copy_dir.path(), "restored.db"),
        &[],
    );
    let stored = public_ids(&restored).await;
    let lost: Vec<_> = before.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "{} pins missing from the backup",
        lost.len()
    );
    let me = http(
        [127, 0, 0, 1],
        restored.addr,
        "GET",
        "/api/session",
        &[("Cookie", &cookie)],
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        me.status, 200,
        "the session made before the backup still holds"
    );
    let bo = serde_json::json!({"username": "bo", "password": "another long secret"});
    let res = http(
        [127, 0, 0, 1],
        restored.addr,
        "POST",
        "/api/session",
        &[],
        Some(&bo),
    )
    .await
    .unwrap();
    assert_eq!(res.status, 401, "a disabled account stays disabled");
    let res = http(
        [127, 0, 0, 1],
        restored.addr,
        "POST",
        "/api/session",
        &[],
        Some(&login),
    )
    .await
    .unwrap();
    assert_eq!(res.status, 200);
    drop(restored);

    // Restore is refused while a server runs on the database, and works once it is stopped.
    let (ok, out) = cli(
        &[
            "--database-url",
            &db,
            "restore",
            &file.display().to_string(),
        ],
        "",
    );
    assert!(!ok && out.contains("stop it first"), "{out}");
    let live_before = public_ids(&server).await.len();
    server.sigterm();
    let mut server = server;
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0));
    let (ok, out) = cli(
        &[
            "--database-url",
            &db,
            "restore",
            &file.display().to_string(),
        ],
        "",
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("before-restore"),
        "the replaced database is kept: {out}"
    );
    let back = Server::start(dir.path(), &db, &[]);
    let now = public_ids(&back).await;
    assert_eq!(now.len(), stored.len());
    assert!(
        now.len() < live_before,
        "the restored database is the backup's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_and_refusals_without_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let metrics_at = format!("127.0.0.1:{port}");
    let server = Server::start(
        dir.path(),
        &db_url(dir.path(), "metrics.db"),
        &["--metrics-bind", &metrics_at, "--pins-per-10-min", "2"],
    );
    let from = [127, 0, 3, 7];
    for i in 0..3 {
        http(
            from,
            server.addr,
            "POST",
            "/api/pins",
            &[],
            Some(&report(i)),
        )
        .await
        .unwrap();
    }
    let outside = serde_json::json!({
        "id": uuid::Uuid::new_v4(), "lat": 59.0, "lon": 18.0,
        "category": "other", "time_of_day": "day", "comment": "Anna Andersson bor här"
    });
    http(
        [127, 0, 3, 8],
        server.addr,
        "POST",
        "/api/pins",
        &[],
        Some(&outside),
    )
    .await
    .unwrap();
    http(from, server.addr, "GET", "/api/health", &[], None)
        .await
        .unwrap();
    // Only on the metrics address, never on the public one.
    let public = http(from, server.addr, "GET", "/metrics", &[], None)
        .await
        .unwrap();
    assert!(!public.body.contains("tk_http_requests_total"));
    let m = http(
        from,
        metrics_at.parse().unwrap(),
        "GET",
        "/metrics",
        &[],
        None,
    )
    .await
    .unwrap();
    assert_eq!(m.status, 200);
    let text = m.body;
    for line in [
        "tk_pins_accepted_total 2",
        "tk_pins_refused_total{reason=\"rate_limited\"} 1",
        "tk_pins_refused_total{reason=\"outside_area\"} 1",
        "tk_rate_limited_total{route=\"/api/pins\"} 1",
        "tk_http_requests_total{method=\"GET\",route=\"/api/health\",status=\"200\"} 1",
        "tk_http_requests_total{method=\"POST\",route=\"/api/pins\",status=\"201\"} 2",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line:?} missing from:\n{text}"
        );
    }
    assert!(text.contains("tk_db_commits_total"));
    for private in ["127.0.3.7", "Anna", "59.0"] {
        assert!(!text.contains(private), "{private} in metrics");
    }
}
