//! Test harness: a real database and the real router. The backend is SQLite (a file in a
//! fresh temporary directory) unless `TK_TEST_DB=postgres`, then a fresh database in this test
//! process's own throwaway PostgreSQL cluster (`pg.rs`). `scripts/test.sh` runs the server's
//! tests once per backend.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;
use trygghetskarta_server::{app, AppConfig, AppState, Storage};

pub const STAFF_PASSWORD: &str = "a long enough secret";

pub struct TestApp {
    pub router: Router,
    pub db: Storage,
    pub dir: tempfile::TempDir,
    /// The database's URL (to open it again, or to start the binary on it).
    pub url: String,
}

/// Whether this run tests PostgreSQL (`TK_TEST_DB=postgres`) rather than SQLite.
pub fn postgres() -> bool {
    matches!(
        std::env::var("TK_TEST_DB").as_deref(),
        Ok("postgres" | "postgresql")
    )
}

/// A new, empty database of the backend under test: `sqlite://DIR/NAME`, or a fresh database
/// in this process's PostgreSQL cluster.
pub fn db_url(dir: &std::path::Path, name: &str) -> String {
    if postgres() {
        pg::cluster().new_database()
    } else {
        format!("sqlite://{}", dir.join(name).display())
    }
}

/// For tests of what only SQLite has (its file, backups, the server lock): says so and
/// returns true when the run is PostgreSQL's, so the test can end there.
pub fn sqlite_only(what: &str) -> bool {
    if postgres() {
        eprintln!("SQLite only ({what}): covered by the SQLite run");
    }
    postgres()
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(|_| AppConfig::default()).await
    }

    /// `make_config` gets the temporary directory, e.g. to place a widget build in it.
    pub async fn with_config(make_config: impl FnOnce(&std::path::Path) -> AppConfig) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = db_url(dir.path(), "test.db");
        let db = Storage::open(&url).await.unwrap();
        let config = make_config(dir.path());
        let router = app(AppState::new(db.clone(), config));
        TestApp {
            router,
            db,
            dir,
            url,
        }
    }

    pub async fn request(&self, req: Request<Body>) -> Response {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Response {
            status,
            headers,
            body: bytes,
        }
    }

    pub async fn get(&self, uri: &str) -> Response {
        self.request(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// A JSON request from a client address (for rate limits).
    pub async fn send_json(
        &self,
        method: &str,
        uri: &str,
        body: &serde_json::Value,
        from: [u8; 4],
    ) -> Response {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                from, 40000,
            ))));
        self.request(req).await
    }

    /// Creates a staff account (password "a long enough secret").
    pub async fn add_staff(&self, name: &str, role: &str) {
        let hash = trygghetskarta_server::password::hash(STAFF_PASSWORD).unwrap();
        self.db
            .create_user(&trygghetskarta_server::storage::NewUser {
                username: name,
                password_hash: &hash,
                role,
                created_at: "2026-11-26T00:00:00Z",
            })
            .await
            .unwrap();
    }

    pub async fn login(&self, host: &str, user: &str, password: &str) -> Response {
        let req = Request::post("/api/session")
            .header("host", host)
            .header("content-type", "application/json")
            .body(Body::from(
                serde_json::json!({"username": user, "password": password}).to_string(),
            ))
            .unwrap();
        self.request(req).await
    }

    /// Creates a staff account, logs it in and returns its `tk_session=...` cookie.
    pub async fn staff_cookie(&self, name: &str, role: &str) -> String {
        self.add_staff(name, role).await;
        let res = self.login("localhost", name, STAFF_PASSWORD).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        res.cookie()
    }

    pub async fn post_json(&self, uri: &str, body: &serde_json::Value) -> Response {
        self.send_json("POST", uri, body, [192, 0, 2, 1]).await
    }

    /// A staff request as the browser sends it: same-site, with the session cookie if any.
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        cookie: Option<&str>,
        body: &serde_json::Value,
    ) -> Response {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "karta.arboga.se")
            .header("content-type", "application/json");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        self.request(req.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// A planner (or admin, by `cookie`) hides pin `id` for `reason`.
    pub async fn hide_pin(
        &self,
        id: impl std::fmt::Display,
        cookie: &str,
        reason: &str,
    ) -> Response {
        self.send(
            "POST",
            &format!("/api/staff/pins/{id}/hide"),
            Some(cookie),
            &serde_json::json!({ "reason": reason }),
        )
        .await
    }

    /// A staff GET with the session cookie.
    pub async fn get_as(&self, uri: &str, cookie: &str) -> Response {
        self.request(
            Request::get(uri)
                .header("host", "karta.arboga.se")
                .header("cookie", cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Stores a pin directly (as if sent at `created_at`) and returns its id.
    pub async fn seed_pin(&self, pin: SeedPin<'_>) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let row = trygghetskarta_server::storage::PinRow {
            id: id.clone(),
            lat: pin.lat,
            lon: pin.lon,
            category: pin.category.to_owned(),
            time_of_day: pin.time_of_day.to_owned(),
            comment: pin.comment.map(str::to_owned),
            place_description: pin.place_description.map(str::to_owned),
            delete_token: "t".repeat(64),
            created_at: pin.created_at,
            agree_count: pin.agree_count,
            hidden: false,
            comment_approved: false,
            hidden_reason: None,
            follow_up: Default::default(),
        };
        self.db.insert_pin(&row).await.unwrap();
        for _ in 0..pin.agree_count {
            let device = uuid::Uuid::new_v4().to_string();
            self.db
                .agree(&id, &device, pin.created_at, None)
                .await
                .unwrap();
        }
        id
    }
}

/// A pin to store with [`TestApp::seed_pin`]; `..SeedPin::default()` fills the rest.
#[derive(Clone, Copy)]
pub struct SeedPin<'a> {
    pub lat: f64,
    pub lon: f64,
    pub category: &'a str,
    pub time_of_day: &'a str,
    pub comment: Option<&'a str>,
    pub place_description: Option<&'a str>,
    pub created_at: i64,
    pub agree_count: i64,
}

impl Default for SeedPin<'_> {
    fn default() -> Self {
        SeedPin {
            // Stora torget, Arboga
            lat: 59.3948,
            lon: 15.8437,
            category: "lighting",
            time_of_day: "evening",
            comment: None,
            place_description: None,
            // 2026-11-26T18:00:00+01:00
            created_at: 1_795_712_400,
            agree_count: 0,
        }
    }
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The `name=value` part of the Set-Cookie header.
    pub fn cookie(&self) -> String {
        let set = self.headers["set-cookie"].to_str().unwrap();
        set.split(';').next().unwrap().to_owned()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}
pub mod pg;
pub mod process;
pub mod smtp;

/// Held by the tests that load the machine with real server processes (write floods, kill
/// cycles, hundreds of connections, two servers behind nginx) or time an answer, so that on
/// two cores one does not slow the other past its bound: they run one at a time.
pub async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}
