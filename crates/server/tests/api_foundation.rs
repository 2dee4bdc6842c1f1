//! The API's foundation: health, the common error shape, the widget fallback, storage.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;
use trygghetskarta_server::AppConfig;

#[tokio::test]
async fn health_answers_ok() {
    let app = TestApp::new().await;
    let res = app.get("/api/health").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json(), json!({"status": "ok"}));
}

/// Monitoring must notice when writes cannot happen, not only reads: here another process (a
/// stray `sqlite3` shell, say) holds the database's write lock.
#[tokio::test]
async fn health_is_unavailable_while_writes_cannot_happen() {
    use sqlx::{ConnectOptions, Connection};
    if common::sqlite_only("another process holding the database file's write lock") {
        return;
    }
    let app = TestApp::new().await;
    let mut other = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(app.dir.path().join("test.db"))
        .connect()
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let res = app.get("/api/health").await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.json()["status"], "unavailable");
    sqlx::query("COMMIT").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    let res = app.get("/api/health").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
}

#[tokio::test]
async fn unknown_api_paths_get_the_json_404_shape() {
    let app = TestApp::new().await;
    for path in ["/api/nope", "/api/pins/x/y/z", "/api"] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        let body = res.json();
        assert_eq!(body["error"]["code"], "not_found", "{path}");
        assert!(body["error"]["message"].as_str().unwrap().len() > 5);
    }
}

#[tokio::test]
async fn no_dialogues_yet_is_an_empty_list() {
    let app = TestApp::new().await;
    let res = app.get("/api/dialogues").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json(), json!([]));
}

#[tokio::test]
async fn the_widget_is_served_for_non_api_paths() {
    let app = TestApp::with_config(|dir| {
        let dist = dir.join("dist");
        std::fs::create_dir(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<!doctype html><title>TK</title>").unwrap();
        std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
        AppConfig {
            static_dir: Some(dist),
            ..AppConfig::default()
        }
    })
    .await;

    let res = app.get("/").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains("<title>TK</title>"));
    assert!(res.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));

    let res = app.get("/app.js").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.headers["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));

    // A client-side route loads the app rather than a 404.
    let res = app.get("/om").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains("<title>TK</title>"));

    // ... but the API keeps its JSON 404.
    let res = app.get("/api/personal").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn the_staff_view_is_its_own_bundle_under_personal() {
    let app = TestApp::with_config(|dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(dist.join("personal")).unwrap();
        std::fs::write(dist.join("index.html"), "<title>residents</title>").unwrap();
        std::fs::write(dist.join("personal/index.html"), "<title>staff</title>").unwrap();
        std::fs::write(dist.join("personal/staff.js"), "console.log(2)").unwrap();
        AppConfig {
            static_dir: Some(dist),
            ..AppConfig::default()
        }
    })
    .await;
    for path in ["/personal", "/personal/", "/personal/pins"] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert!(res.text().contains("<title>staff</title>"), "{path}");
    }
    assert!(app
        .get("/personal/staff.js")
        .await
        .text()
        .contains("console.log(2)"));
    assert!(app
        .get("/")
        .await
        .text()
        .contains("<title>residents</title>"));
}

#[tokio::test]
async fn responses_are_compressed_when_the_browser_accepts_it() {
    let app = TestApp::with_config(|dir| {
        let dist = dir.join("dist");
        std::fs::create_dir(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<p>".repeat(2000)).unwrap();
        AppConfig {
            static_dir: Some(dist),
            ..AppConfig::default()
        }
    })
    .await;
    let req = axum::http::Request::get("/")
        .header("accept-encoding", "gzip")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["content-encoding"], "gzip");
    assert!(res.body.len() < 1000, "6000 bytes of HTML compress well");
}

#[tokio::test]
async fn the_database_file_uses_wal_and_is_migrated() {
    if common::sqlite_only("the SQLite file's journal mode") {
        return;
    }
    let app = TestApp::new().await;
    let db_path = app.dir.path().join("test.db");
    assert!(db_path.is_file());
    // Migrations ran: the tables later issues rely on exist.
    let conn = rusqlite_free_check(&db_path).await;
    assert_eq!(conn.0, "wal");
    assert!(conn.1.contains(&"users".to_owned()));
    assert!(conn.1.contains(&"dialogues".to_owned()));
}

/// Opens the file with a second, independent sqlx connection and reads its journal mode and tables.
async fn rusqlite_free_check(path: &std::path::Path) -> (String, Vec<String>) {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type='table'")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    (mode, tables.into_iter().map(|t| t.0).collect())
}

#[tokio::test]
async fn every_response_forbids_mime_sniffing_and_limits_the_referrer() {
    let app = TestApp::new().await;
    for path in ["/api/health", "/api/nope"] {
        let res = app.get(path).await;
        assert_eq!(res.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            res.headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
    }
}

const TRUNK_INDEX: &str = r#"<!DOCTYPE html><html><head>
<script type="module">
import init, * as bindings from '/trygghetskarta-abc.js';
const wasm = await init({ module_or_path: '/trygghetskarta-abc_bg.wasm' });
</script>
<link rel="stylesheet" href="/style-def.css" integrity="sha384-x"/></head><body></body></html>"#;

fn sha256_source(script: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()))
    )
}

async fn embedding_app() -> TestApp {
    TestApp::with_config(|dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(dist.join("personal")).unwrap();
        std::fs::write(dist.join("index.html"), TRUNK_INDEX).unwrap();
        std::fs::write(
            dist.join("personal/index.html"),
            "<script type=\"module\">staff()</script>",
        )
        .unwrap();
        AppConfig {
            static_dir: Some(dist),
            allowed_origins: vec!["https://www.arboga.se".into()],
            ..AppConfig::default()
        }
    })
    .await
}

#[tokio::test]
async fn pages_carry_a_script_policy_without_unsafe_inline() {
    let app = embedding_app().await;
    let inline = TRUNK_INDEX
        .split("<script type=\"module\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    for path in ["/", "/embed"] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        let csp = res.headers["content-security-policy"].to_str().unwrap();
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{csp}");
        assert!(
            script_src.contains(&sha256_source(inline)),
            "the page's own script: {csp}"
        );
        assert!(script_src.contains(&sha256_source("staff()")), "{csp}");
        assert!(
            csp.contains("frame-ancestors 'self' https://www.arboga.se"),
            "{path}: {csp}"
        );
        assert_eq!(res.headers["x-content-type-options"], "nosniff");
        assert_eq!(
            res.headers["referrer-policy"],
            "strict-origin-when-cross-origin"
        );
    }
    // The staff view may not be framed by anyone.
    let res = app.get("/personal").await;
    let csp = res.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains(&sha256_source("staff()")), "{csp}");

    // A 304 refreshes the cached page's headers, so it keeps the page's policy: the stricter one
    // below would stop the cached page's scripts.
    let modified = app.get("/").await.headers["last-modified"].clone();
    let res = app
        .request(
            axum::http::Request::get("/")
                .header("if-modified-since", modified)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_MODIFIED);
    let csp = res.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains(&sha256_source(inline)), "{csp}");
}

#[tokio::test]
async fn everything_but_pages_may_run_or_load_nothing() {
    let app = embedding_app().await;
    let staff_js = app.dir.path().join("dist/personal/staff.js");
    std::fs::write(&staff_js, "export {}").unwrap();
    for path in [
        "/api/health",
        "/api/pins",
        "/api/nothing-here",
        "/embed.js",
        "/personal/staff.js",
    ] {
        let res = app.get(path).await;
        assert_eq!(
            res.headers["content-security-policy"], "default-src 'none'; frame-ancestors 'none'",
            "{path}"
        );
        assert_eq!(res.headers["x-content-type-options"], "nosniff", "{path}");
    }
}

#[tokio::test]
async fn cross_origin_calls_are_answered_for_configured_origins_only() {
    let app = embedding_app().await;
    let preflight = |origin: &'static str| {
        axum::http::Request::builder()
            .method("OPTIONS")
            .uri("/api/pins")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let res = app.request(preflight("https://www.arboga.se")).await;
    assert_eq!(
        res.headers["access-control-allow-origin"],
        "https://www.arboga.se"
    );
    assert!(res
        .headers
        .get("access-control-allow-credentials")
        .is_none());
    let res = app.request(preflight("https://evil.example")).await;
    assert!(res.headers.get("access-control-allow-origin").is_none());
    let get = axum::http::Request::get("/api/pins")
        .header("origin", "https://evil.example")
        .body(axum::body::Body::empty())
        .unwrap();
    assert!(app
        .request(get)
        .await
        .headers
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn embed_js_loads_the_built_widget_from_this_server() {
    let app = embedding_app().await;
    let res = app.get("/embed.js").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let js = res.text();
    assert!(
        js.contains(r#"import(origin + "/trygghetskarta-abc.js")"#),
        "{js}"
    );
    assert!(
        js.contains(r#"origin + "/trygghetskarta-abc_bg.wasm""#),
        "{js}"
    );
    assert!(js.contains(r#"origin + "/style-def.css""#), "{js}");
}

#[tokio::test]
async fn widget_files_are_served_precompressed_in_what_the_browser_takes() {
    let app = TestApp::with_config(|dir| {
        let dist = dir.join("dist");
        std::fs::create_dir(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<!doctype html><title>TK</title>").unwrap();
        let js = "console.log('trygghetskartan');\n".repeat(200);
        std::fs::write(dist.join("app.js"), &js).unwrap();
        trygghetskarta_server::precompress::dir(&dist).unwrap();
        AppConfig {
            static_dir: Some(dist),
            ..AppConfig::default()
        }
    })
    .await;
    let get = |enc: &'static str| {
        axum::http::Request::get("/app.js")
            .header("accept-encoding", enc)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let br = app.request(get("gzip, deflate, br")).await;
    assert_eq!(br.headers["content-encoding"], "br");
    let expected = std::fs::read(app.dir.path().join("dist/app.js.br")).unwrap();
    assert_eq!(
        br.body, expected,
        "the Brotli 11 file as it is, not compressed again"
    );
    let gz = app.request(get("gzip")).await;
    assert_eq!(gz.headers["content-encoding"], "gzip");
    let plain = app.request(get("identity")).await;
    assert!(plain.headers.get("content-encoding").is_none());
    assert_eq!(
        plain.body.len(),
        "console.log('trygghetskartan');\n".len() * 200
    );
    assert!(br.body.len() < plain.body.len() / 10);
}
