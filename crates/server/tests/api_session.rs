//! Staff login: cookie flags, one generic failure, rate limit, logout, expiry, restart.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use serde_json::json;
use trygghetskarta_server::auth::{hash_token, IDLE_SECS};
use trygghetskarta_server::{app, time, AppConfig, AppState, Storage};

async fn whoami(app: &TestApp, cookie: &str) -> common::Response {
    app.request(
        Request::get("/api/session")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_login_sets_a_strict_http_only_secure_cookie_and_knows_the_user() {
    let app = TestApp::new().await;
    app.add_staff("anna", "organiser").await;
    let res = app
        .login("karta.arboga.se", "anna", "a long enough secret")
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json(), json!({"username": "anna", "role": "organiser"}));
    let set = res.headers["set-cookie"].to_str().unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(set.contains(flag), "{flag} in {set}");
    }
    let me = whoami(&app, &res.cookie()).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["role"], "organiser");
}

#[tokio::test]
async fn on_plain_http_localhost_the_cookie_is_not_secure() {
    let app = TestApp::new().await;
    app.add_staff("bo", "planner").await;
    let res = app
        .login("127.0.0.1:8080", "bo", "a long enough secret")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = TestApp::new().await;
    app.add_staff("anna", "organiser").await;
    let wrong = app
        .login("karta.arboga.se", "anna", "not the secret!")
        .await;
    let unknown = app
        .login("karta.arboga.se", "nobody", "a long enough secret")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json(), unknown.json());
    assert_eq!(wrong.json()["error"]["code"], "login_failed");
    assert!(wrong.headers.get("set-cookie").is_none());
}

#[tokio::test]
async fn no_session_means_401() {
    let app = TestApp::new().await;
    assert_eq!(
        app.get("/api/session").await.status,
        StatusCode::UNAUTHORIZED
    );
    let forged = whoami(&app, "tk_session=0123456789abcdef").await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(forged.json()["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn failed_logins_are_rate_limited() {
    let app = TestApp::new().await;
    app.add_staff("anna", "organiser").await;
    for _ in 0..10 {
        assert_eq!(
            app.login("x", "anna", "guess guess guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = app.login("x", "anna", "a long enough secret").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::new().await;
    app.add_staff("anna", "admin").await;
    let cookie = app
        .login("x", "anna", "a long enough secret")
        .await
        .cookie();
    let out = app
        .request(
            Request::delete("/api/session")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(whoami(&app, &cookie).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::new().await;
    app.add_staff("anna", "planner").await;
    let cookie = app
        .login("x", "anna", "a long enough secret")
        .await
        .cookie();
    let token = cookie.trim_start_matches("tk_session=");
    app.db
        .touch_session(&hash_token(token), time::now_unix() - IDLE_SECS - 1)
        .await
        .unwrap();
    assert_eq!(whoami(&app, &cookie).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_survive_a_server_restart() {
    let first = TestApp::new().await;
    first.add_staff("anna", "organiser").await;
    let cookie = first
        .login("x", "anna", "a long enough secret")
        .await
        .cookie();
    first.db.close().await;
    let db = Storage::open(&first.url).await.unwrap();
    let restarted = TestApp {
        router: app(AppState::new(db.clone(), AppConfig::default())),
        db,
        dir: first.dir,
        url: first.url,
    };
    let me = whoami(&restarted, &cookie).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["username"], "anna");
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_and_loses_its_sessions() {
    let app = TestApp::new().await;
    app.add_staff("dora", "planner").await;
    let cookie = app
        .login("x", "dora", "a long enough secret")
        .await
        .cookie();
    assert!(app.db.set_user_disabled("dora", true).await.unwrap());
    assert_eq!(whoami(&app, &cookie).await.status, StatusCode::UNAUTHORIZED);
    let again = app.login("x", "dora", "a long enough secret").await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(again.json()["error"]["code"], "login_failed");
}

#[tokio::test]
async fn the_user_name_is_not_case_sensitive() {
    let app = TestApp::new().await;
    app.add_staff("anna", "planner").await;
    let res = app.login("x", "ANNA", "a long enough secret").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["username"], "anna");
    // Disabling "Anna" is disabling anna.
    assert!(app.db.set_user_disabled("Anna", true).await.unwrap());
    let again = app.login("x", "anna", "a long enough secret").await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}
