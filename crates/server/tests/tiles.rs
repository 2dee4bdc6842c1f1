//! The tile proxy against a real upstream HTTP server on loopback: fetched once with our
//! User-Agent, cached on disk, served from the cache afterwards; limited to the Arboga area.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::Router;
use common::TestApp;
use trygghetskarta_server::config::TileSource;
use trygghetskarta_server::AppConfig;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nfake tile";

#[derive(Clone, Default)]
struct Upstream {
    hits: Arc<AtomicUsize>,
    agents: Arc<Mutex<Vec<String>>>,
}

async fn upstream_tile(
    State(up): State<Upstream>,
    Path((z, x, y)): Path<(u32, u32, String)>,
    headers: HeaderMap,
) -> Result<Vec<u8>, StatusCode> {
    up.hits.fetch_add(1, Ordering::SeqCst);
    up.agents.lock().unwrap().push(
        headers["user-agent"]
            .to_str()
            .unwrap_or_default()
            .to_owned(),
    );
    if z == 16 {
        return Err(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Ok([PNG, format!("{z}/{x}/{y}").as_bytes()].concat())
}

async fn start_upstream() -> (String, Upstream) {
    let up = Upstream::default();
    let app = Router::new()
        .route("/osm/{z}/{x}/{y}", get(upstream_tile))
        .with_state(up.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/osm/{{z}}/{{x}}/{{y}}.png"), up)
}

async fn app_with_tiles(template: String) -> TestApp {
    TestApp::with_config(move |dir| AppConfig {
        tiles: Some(TileSource {
            url_template: template,
            attribution: "© Testkarta".into(),
            cache_dir: dir.join("tiles"),
            max_zoom: 18,
        }),
        ..AppConfig::default()
    })
    .await
}

#[tokio::test]
async fn a_tile_is_fetched_once_then_served_from_the_disk_cache() {
    let (template, up) = start_upstream().await;
    let app = app_with_tiles(template).await;
    let first = app.get("/tiles/15/17825/9624.png").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.headers["content-type"], "image/png");
    assert_eq!(first.headers["x-tile-cache"], "miss");
    assert!(first.body.starts_with(PNG));
    assert!(first.body.ends_with(b"15/17825/9624.png"));
    let second = app.get("/tiles/15/17825/9624.png").await;
    assert_eq!(second.headers["x-tile-cache"], "hit");
    assert_eq!(second.body, first.body);
    assert_eq!(
        up.hits.load(Ordering::SeqCst),
        1,
        "the upstream saw one request"
    );
    assert!(app.dir.path().join("tiles/15/17825/9624.png").is_file());
    let agent = up.agents.lock().unwrap()[0].clone();
    assert!(agent.starts_with("Trygghetskartan/"), "{agent}");
}

#[tokio::test]
async fn tiles_outside_the_area_or_zoom_are_not_fetched() {
    let (template, up) = start_upstream().await;
    let app = app_with_tiles(template).await;
    for path in [
        "/tiles/15/0/0.png",
        "/tiles/19/142606/76997.png",
        "/tiles/15/17825/9624.jpg",
        "/tiles/x/1/2.png",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(up.hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_upstream_failure_is_a_bad_gateway_and_is_not_cached() {
    let (template, up) = start_upstream().await;
    let app = app_with_tiles(template).await;
    let res = app.get("/tiles/16/35651/19249.png").await;
    assert_eq!(res.status, StatusCode::BAD_GATEWAY);
    assert_eq!(res.json()["error"]["code"], "upstream");
    app.get("/tiles/16/35651/19249.png").await;
    assert_eq!(
        up.hits.load(Ordering::SeqCst),
        2,
        "failures are retried, not cached"
    );
}

#[tokio::test]
async fn the_widget_learns_about_tiles_from_the_config() {
    let (template, _) = start_upstream().await;
    let with = app_with_tiles(template).await;
    let config = with.get("/api/config").await.json();
    assert_eq!(config["tiles"]["attribution"], "© Testkarta");
    assert_eq!(config["tiles"]["max_zoom"], 18);

    let without = TestApp::new().await;
    assert!(without.get("/api/config").await.json()["tiles"].is_null());
    assert_eq!(
        without.get("/tiles/15/17825/9624.png").await.status,
        StatusCode::NOT_FOUND
    );
}
