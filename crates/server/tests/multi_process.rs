//! More than one server process: two real server binaries on one PostgreSQL, behind a real
//! nginx that takes turns between them (round robin, configured by exactly
//! deploy/nginx/trygghetskartan.conf with a second upstream line), as a kommun or a region runs
//! it behind a load balancer. Nothing a resident or a member of staff sees may depend on which
//! process answers.
//!
//! Always PostgreSQL (several processes cannot share an SQLite file), in both test runs.

use crate::common;

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::pg;
use common::process::{cli, Server};
use serde_json::json;
use trygghetskarta_server::storage::PinRow;
use trygghetskarta_server::Storage;

const PASSWORD: &str = "a long enough secret";
const PIN_LIMIT: usize = 4;

/// nginx in front of `upstreams`, on a free port with TLS; stopped on drop.
struct Nginx {
    child: Child,
    url: String,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: the master then stops its worker, which would otherwise live
        // on as an orphan holding the port and the test's output pipe.
        // SAFETY: `kill` on our own child's pid.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn nginx(dir: &Path, upstreams: &[SocketAddr]) -> Nginx {
    let d = dir.display();
    let ok = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=127.0.0.1", "-keyout"])
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "openssl made no certificate");
    let (tls, plain) = (free_port(), free_port());
    let servers: String = upstreams
        .iter()
        .map(|a| format!("server {a};\n    "))
        .collect();
    let mut site = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/nginx/trygghetskartan.conf"),
    )
    .unwrap();
    for (from, to) in [
        ("server 127.0.0.1:8080;", servers.trim_end().to_owned()),
        ("listen 80;", format!("listen 127.0.0.1:{plain};")),
        ("listen [::]:80;", String::new()),
        (
            "listen 443 ssl http2;",
            format!("listen 127.0.0.1:{tls} ssl http2;"),
        ),
        ("listen [::]:443 ssl http2;", String::new()),
        (
            "/etc/letsencrypt/live/trygghetskartan.arboga.se/fullchain.pem",
            format!("{d}/cert.pem"),
        ),
        (
            "/etc/letsencrypt/live/trygghetskartan.arboga.se/privkey.pem",
            format!("{d}/key.pem"),
        ),
    ] {
        assert!(
            site.contains(from),
            "deploy/nginx/trygghetskartan.conf no longer has {from}"
        );
        site = site.replace(from, &to);
    }
    std::fs::write(dir.join("site.conf"), site).unwrap();
    // SAFETY: geteuid has no preconditions.
    let user = if unsafe { libc::geteuid() } == 0 {
        "user root;\n"
    } else {
        ""
    };
    std::fs::write(
        dir.join("nginx.conf"),
        format!(
            "{user}worker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
             include {d}/site.conf; }}\n"
        ),
    )
    .unwrap();
    let child = Command::new("nginx")
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .args(["-g", "daemon off;"])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("nginx (scripts/setup.sh --test installs nginx-light)");
    // Stopped by its Drop from here on, whether it starts or not.
    let proxy = Nginx {
        child,
        url: format!("https://127.0.0.1:{tls}"),
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", tls)).is_ok() {
            return proxy;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nginx did not start");
}

/// A browser-like client on loopback address `from` (a resident or a member of staff).
fn client(from: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .local_address(IpAddr::from(from))
        .build()
        .unwrap()
}

fn report() -> serde_json::Value {
    json!({
        "id": uuid::Uuid::new_v4(), "lat": 59.3948, "lon": 15.8437,
        "category": "lighting", "time_of_day": "night",
    })
}

async fn post(c: &reqwest::Client, url: &str, body: &serde_json::Value) -> reqwest::Response {
    c.post(url)
        .header("content-type", "application/json")
        .body((body).to_string())
        .send()
        .await
        .unwrap()
}

async fn public_ids(c: &reqwest::Client, base: &str) -> Vec<String> {
    let body = c
        .get(format!("{base}/api/pins"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&body).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A pin from three years ago with a comment, which retention must strip (once).
fn old_pin() -> PinRow {
    PinRow {
        id: uuid::Uuid::new_v4().to_string(),
        lat: 59.3948,
        lon: 15.8437,
        category: "traffic".into(),
        time_of_day: "day".into(),
        comment: Some("Gammal kommentar".into()),
        place_description: None,
        delete_token: "t".repeat(64),
        created_at: trygghetskarta_server::time::now_unix() - 3 * 365 * 86_400,
        agree_count: 0,
        hidden: false,
        comment_approved: false,
        hidden_reason: None,
        follow_up: Default::default(),
    }
}

/// The value of a counter line in a Prometheus text.
fn metric(text: &str, line_start: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(line_start)?.trim().parse().ok())
        .unwrap_or(0)
}

/// `POST /api/pins` answered (201 or 429) by each process so far, from its metrics.
async fn pins_answered(metrics: &[String]) -> Vec<u64> {
    let mut out = Vec::new();
    for m in metrics {
        let text = reqwest::get(format!("http://{m}/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let line = |status: &str| {
            format!(
                "tk_http_requests_total{{method=\"POST\",route=\"/api/pins\",status=\"{status}\"}}"
            )
        };
        out.push(metric(&text, &line("201")) + metric(&text, &line("429")));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_behind_nginx_behave_as_one_server() {
    let _turn = common::one_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = pg::cluster().new_database();
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
        &format!("{PASSWORD}\n"),
    );
    assert!(ok, "{out}");
    let seed = Storage::open(&db).await.unwrap();
    let old = old_pin();
    seed.import_pins(std::slice::from_ref(&old)).await.unwrap();
    seed.close().await;

    let metrics: Vec<String> = (0..2)
        .map(|_| format!("127.0.0.1:{}", free_port()))
        .collect();
    let limit = PIN_LIMIT.to_string();
    let start = |m: &str| {
        Server::start_logging(
            dir.path(),
            &db,
            &[
                "--trusted-proxies",
                "127.0.0.1",
                "--pins-per-10-min",
                &limit,
                "--metrics-bind",
                m,
            ],
            "warn,trygghetskarta_server::retention=info",
        )
    };
    let (a, b) = (start(&metrics[0]), start(&metrics[1]));
    let proxy = nginx(dir.path(), &[a.addr, b.addr]);
    let staff = client([127, 0, 0, 1]);

    // Retention ran once for the installation, not once per process.
    let started = std::time::Instant::now();
    loop {
        let stored = Storage::open(&db).await.unwrap();
        let comment = stored.pin(&old.id).await.unwrap().unwrap().comment;
        stored.close().await;
        if comment.is_none() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "retention never ran"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let runs = [&a, &b]
        .iter()
        .map(|s| {
            s.log
                .lock()
                .unwrap()
                .matches("today's run is this process's")
                .count()
        })
        .sum::<usize>();
    assert_eq!(runs, 1, "retention ran in {runs} processes");

    // A staff session made through the proxy is valid on both processes.
    let login = post(
        &staff,
        &format!("{}/api/session", proxy.url),
        &json!({"username": "anna", "password": PASSWORD}),
    )
    .await;
    assert_eq!(login.status(), 200);
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let whoami = |base: String| {
        let (staff, cookie) = (staff.clone(), cookie.clone());
        async move {
            staff
                .get(format!("{base}/api/session"))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(whoami(a.url.clone()).await, 200);
    assert_eq!(whoami(b.url.clone()).await, 200);
    // Logging out on one ends it on both (and through the proxy, whichever answers).
    let out = staff
        .delete(format!("{}/api/session", a.url))
        .header("cookie", &cookie)
        .header("origin", &a.url)
        .send()
        .await
        .unwrap();
    assert!(out.status().is_success(), "logout: {}", out.status());
    assert_eq!(whoami(b.url.clone()).await, 401);
    assert_eq!(whoami(a.url.clone()).await, 401);
    for _ in 0..2 {
        assert_eq!(whoami(proxy.url.clone()).await, 401);
    }

    // A pin posted to one process is at once in the other's public list (which both had
    // cached before).
    let resident = client([127, 0, 0, 1]);
    let before_a = public_ids(&resident, &a.url).await;
    let before_b = public_ids(&resident, &b.url).await;
    assert_eq!(before_a, before_b);
    let pin = report();
    let id = pin["id"].as_str().unwrap().to_owned();
    assert_eq!(
        post(&resident, &format!("{}/api/pins", a.url), &pin)
            .await
            .status(),
        201
    );
    assert!(public_ids(&resident, &b.url).await.contains(&id));
    assert!(public_ids(&resident, &a.url).await.contains(&id));

    // The same report sent again to the other process (a phone's retry) is one pin.
    let retry = post(&resident, &format!("{}/api/pins", b.url), &pin).await;
    assert_eq!(retry.status(), 200);
    // And a new report sent to both at the same moment is stored once.
    let twice = report();
    let (to_a, to_b) = (format!("{}/api/pins", a.url), format!("{}/api/pins", b.url));
    let (r1, r2) = tokio::join!(
        post(&resident, &to_a, &twice),
        post(&resident, &to_b, &twice),
    );
    let mut statuses = [r1.status().as_u16(), r2.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 201]);
    let ids = public_ids(&resident, &proxy.url).await;
    assert_eq!(ids.iter().filter(|i| **i == id).count(), 1);
    assert_eq!(
        ids.iter()
            .filter(|i| **i == twice["id"].as_str().unwrap())
            .count(),
        1
    );

    // Forty devices agreeing at the same moment, half on each process, count forty.
    let agree = |base: String, i: usize| {
        let (c, id) = (client([127, 0, 5, i as u8]), id.clone());
        async move {
            c.post(format!("{base}/api/pins/{id}/agree"))
                .header("content-type", "application/json")
                .body(json!({ "device_id": uuid::Uuid::new_v4() }).to_string())
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let base = if i % 2 == 0 {
                a.url.clone()
            } else {
                b.url.clone()
            };
            tokio::spawn(agree(base, i))
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let stored = Storage::open(&db).await.unwrap();
    assert_eq!(stored.pin(&id).await.unwrap().unwrap().agree_count, 40);
    stored.close().await;

    // A resident behind the proxy gets the limit once, not once per process, also when all
    // of their reports (and another resident's) arrive at once and are counted together.
    let before = pins_answered(&metrics).await;
    let url = format!("{}/api/pins", proxy.url);
    let (limited, also) = (client([127, 0, 6, 1]), client([127, 0, 6, 3]));
    let reports: Vec<_> = (0..2 * PIN_LIMIT).map(|_| (report(), report())).collect();
    let sends = reports
        .iter()
        .flat_map(|(r1, r2)| [post(&limited, &url, r1), post(&also, &url, r2)]);
    let statuses: Vec<u16> = futures_util::future::join_all(sends)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    for answers in [
        statuses.iter().step_by(2).collect::<Vec<_>>(),
        statuses.iter().skip(1).step_by(2).collect(),
    ] {
        assert_eq!(
            answers.iter().filter(|s| ***s == 201).count(),
            PIN_LIMIT,
            "{answers:?}"
        );
        assert_eq!(
            answers.iter().filter(|s| ***s == 429).count(),
            PIN_LIMIT,
            "{answers:?}"
        );
    }
    // ...and the proxy did take turns: each process answered some of those.
    let after = pins_answered(&metrics).await;
    for (b, a) in before.iter().zip(&after) {
        assert!(a > b, "a process got none of them: {before:?} → {after:?}");
    }
    // Another resident behind the same proxy is not held up by that.
    let other = client([127, 0, 6, 2]);
    assert_eq!(
        post(&other, &format!("{}/api/pins", proxy.url), &report())
            .await
            .status(),
        201
    );
}

/// The first request of a new UTC day, in any process, makes the day's key and deletes the old
/// day's key and every counter made with it (docs/PRIVACY.md); a counter of today stays.
#[tokio::test]
async fn a_new_day_forgets_every_counter_of_the_old_one() {
    let db = Storage::open(&pg::cluster().new_database()).await.unwrap();
    let (monday, tuesday) = (20_000, 20_001);
    let key = db.rate_key(monday, [1; 32]).await.unwrap();
    assert_eq!(key, [1; 32]);
    // Another process asking the same day gets the stored key, not its own.
    assert_eq!(db.rate_key(monday, [2; 32]).await.unwrap(), [1; 32]);
    let now = monday * 86_400 + 3_600;
    for client in [[7; 16], [9; 16]] {
        let w = db
            .rate_hit(client, "pins", monday, now, 600, 10)
            .await
            .unwrap();
        assert_eq!(w.count, 1);
    }
    assert!(db.rate_window([7; 16], "pins").await.unwrap().is_some());
    assert_eq!(db.rate_key(tuesday, [3; 32]).await.unwrap(), [3; 32]);
    for client in [[7; 16], [9; 16]] {
        assert_eq!(db.rate_window(client, "pins").await.unwrap(), None);
    }
    // Tuesday's own counters stay when Tuesday's key is asked for again.
    let later = tuesday * 86_400 + 60;
    db.rate_hit([7; 16], "pins", tuesday, later, 600, 10)
        .await
        .unwrap();
    assert_eq!(db.rate_key(tuesday, [4; 32]).await.unwrap(), [3; 32]);
    assert!(db.rate_window([7; 16], "pins").await.unwrap().is_some());
}
