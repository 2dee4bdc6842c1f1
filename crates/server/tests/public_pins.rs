//! The public pin list is built once per change and revalidated by ETag; every change a
//! resident or planner makes shows on the next load.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{SeedPin, TestApp};
use serde_json::json;
use std::io::Read;

async fn pins(app: &TestApp, headers: &[(&str, &str)]) -> common::Response {
    let mut req = Request::get("/api/pins");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    app.request(req.body(Body::empty()).unwrap()).await
}

fn etag(res: &common::Response) -> String {
    res.headers["etag"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_first_pin_of_a_new_installation_shows_in_a_list_already_loaded() {
    let app = TestApp::new().await;
    let empty = pins(&app, &[]).await;
    assert_eq!(empty.json().as_array().unwrap().len(), 0);
    let new = json!({"id": uuid::Uuid::new_v4(), "lat": 59.39, "lon": 15.84,
                     "category": "drugs", "time_of_day": "night"});
    assert_eq!(
        app.post_json("/api/pins", &new).await.status,
        StatusCode::CREATED
    );
    let after = pins(&app, &[("if-none-match", &etag(&empty))]).await;
    assert_eq!(after.status, StatusCode::OK, "the list changed");
    assert_eq!(after.json().as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_unchanged_list_is_not_sent_again_and_every_change_shows_at_once() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("pia", "planner").await;
    let first = app.seed_pin(SeedPin::default()).await;
    let a = pins(&app, &[]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.headers["cache-control"], "no-cache");
    assert_eq!(a.json().as_array().unwrap().len(), 1);
    let tag = etag(&a);
    let again = pins(&app, &[("if-none-match", &tag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    // A resident sends a pin: the next load has it.
    let new = json!({"id": uuid::Uuid::new_v4(), "lat": 59.39, "lon": 15.84,
                     "category": "drugs", "time_of_day": "night"});
    assert_eq!(
        app.post_json("/api/pins", &new).await.status,
        StatusCode::CREATED
    );
    let b = pins(&app, &[("if-none-match", &tag)]).await;
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(b.json().as_array().unwrap().len(), 2);
    assert_ne!(etag(&b), tag);

    // An agree, a hide, a delete: each shows on the next load.
    let agree = app
        .post_json(
            &format!("/api/pins/{first}/agree"),
            &json!({"device_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(agree.status, StatusCode::OK);
    let c = pins(&app, &[("if-none-match", &etag(&b))]).await;
    let shown = c.json();
    let seeded = shown
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == first.as_str())
        .unwrap();
    assert_eq!(seeded["agree_count"], 1);
    let hide = app.hide_pin(&first, &planner, "test").await;
    assert_eq!(hide.status, StatusCode::OK);
    let d = pins(&app, &[("if-none-match", &etag(&c))]).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.json().as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_list_comes_compressed_once_in_what_the_browser_accepts() {
    let app = TestApp::new().await;
    for i in 0..50 {
        app.seed_pin(SeedPin {
            lat: 59.39 + i as f64 * 0.0005,
            ..SeedPin::default()
        })
        .await;
    }
    let plain = pins(&app, &[]).await;
    assert!(plain.headers.get("content-encoding").is_none());
    let gz = pins(&app, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.headers["content-encoding"], "gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text.as_bytes(), &plain.body[..], "gzip once, not twice");
    let br = pins(&app, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(br.headers["content-encoding"], "br");
    let mut text = Vec::new();
    brotli::Decompressor::new(&br.body[..], 4096)
        .read_to_end(&mut text)
        .unwrap();
    assert_eq!(text, plain.body);
    assert!(br.body.len() < plain.body.len() / 4);
    assert_eq!(br.headers["vary"], "accept-encoding");
}
