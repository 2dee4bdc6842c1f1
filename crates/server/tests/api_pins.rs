//! `/api/pins` against a real SQLite file: validation (one test per rule), idempotent retries,
//! privacy of public pins, delete tokens, agrees and rate limits.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use trygghetskarta_server::config::RateLimits;
use trygghetskarta_server::ratelimit::Limit;
use trygghetskarta_server::AppConfig;
use uuid::Uuid;

/// A valid report near Arboga station.
fn report() -> Value {
    json!({
        "id": Uuid::new_v4(),
        "lat": 59.396812,
        "lon": 15.841034,
        "category": "lighting",
        "time_of_day": "evening",
        "comment": "Mörkt under viadukten",
        "place_description": "Gångtunneln vid stationen"
    })
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

async fn assert_rejected(app: &TestApp, body: Value, status: StatusCode, field: &str) {
    let res = app.post_json("/api/pins", &body).await;
    assert_eq!(res.status, status, "{body} -> {}", res.text());
    let err = res.json();
    assert_eq!(err["error"]["field"], field, "{err}");
    assert!(err["error"]["message"].as_str().unwrap().len() > 5);
    assert_eq!(app.db.count_pins().await.unwrap(), 0, "nothing stored");
}

#[tokio::test]
async fn a_valid_report_is_stored_and_answered_with_its_public_form_and_token() {
    let app = TestApp::new().await;
    let body = report();
    let res = app.post_json("/api/pins", &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let created = res.json();
    assert_eq!(created["pin"]["id"], body["id"]);
    assert_eq!(created["pin"]["category"], "lighting");
    assert_eq!(created["pin"]["time_of_day"], "evening");
    assert_eq!(created["pin"]["agree_count"], 0);
    assert!(
        created["pin"].get("comment").is_none(),
        "comments are not public"
    );
    assert_eq!(created["delete_token"].as_str().unwrap().len(), 64);
    // Stored exactly, for staff.
    let row = app
        .db
        .pin(body["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.lat, 59.396812);
    assert_eq!(row.comment.as_deref(), Some("Mörkt under viadukten"));
}

#[tokio::test]
async fn rule_the_id_must_be_a_uuid() {
    let app = TestApp::new().await;
    assert_rejected(
        &app,
        with(report(), "id", json!("pin-1")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "id",
    )
    .await;
}

#[tokio::test]
async fn rule_the_id_must_be_a_random_uuid() {
    let app = TestApp::new().await;
    let nil = "00000000-0000-0000-0000-000000000000";
    assert_rejected(
        &app,
        with(report(), "id", json!(nil)),
        StatusCode::UNPROCESSABLE_ENTITY,
        "id",
    )
    .await;
}

#[tokio::test]
async fn rule_lat_must_be_a_number() {
    let app = TestApp::new().await;
    assert_rejected(
        &app,
        with(report(), "lat", json!("59.39")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "lat",
    )
    .await;
}

#[tokio::test]
async fn rule_lat_must_be_a_latitude() {
    let app = TestApp::new().await;
    assert_rejected(
        &app,
        with(report(), "lat", json!(159.39)),
        StatusCode::UNPROCESSABLE_ENTITY,
        "lat",
    )
    .await;
}

#[tokio::test]
async fn rule_lon_must_be_a_longitude() {
    let app = TestApp::new().await;
    assert_rejected(
        &app,
        with(report(), "lon", json!(-215.8)),
        StatusCode::UNPROCESSABLE_ENTITY,
        "lon",
    )
    .await;
}

#[tokio::test]
async fn rule_the_place_must_be_inside_arboga_kommun() {
    let app = TestApp::new().await;
    // Köping centre, just north-east of the kommun.
    let body = with(with(report(), "lat", json!(59.5055)), "lon", json!(15.9303));
    let res = app.post_json("/api/pins", &body).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["error"]["code"], "outside_area");
    assert_rejected(&app, body, StatusCode::UNPROCESSABLE_ENTITY, "lat").await;
}

#[tokio::test]
async fn rule_category_must_be_from_the_list() {
    let app = TestApp::new().await;
    assert_rejected(
        &app,
        with(report(), "category", json!("noise")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "category",
    )
    .await;
}

#[tokio::test]
async fn rule_category_is_required() {
    let app = TestApp::new().await;
    let mut body = report();
    body.as_object_mut().unwrap().remove("category");
    assert_rejected(&app, body, StatusCode::UNPROCESSABLE_ENTITY, "category").await;
}

#[tokio::test]
async fn rule_time_of_day_must_be_from_the_list() {
    let app = TestApp::new().await;
    assert_rejected(
        &app,
        with(report(), "time_of_day", json!("morning")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "time_of_day",
    )
    .await;
}

#[tokio::test]
async fn rule_comment_at_most_1000_characters_after_trimming() {
    let app = TestApp::new().await;
    let long = "ö".repeat(1001);
    assert_rejected(
        &app,
        with(report(), "comment", json!(long)),
        StatusCode::UNPROCESSABLE_ENTITY,
        "comment",
    )
    .await;
    // 1000 characters with surrounding spaces is fine.
    let ok = format!("   {}   ", "ö".repeat(1000));
    let res = app
        .post_json("/api/pins", &with(report(), "comment", json!(ok)))
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
}

#[tokio::test]
async fn rule_control_characters_are_removed_from_comments() {
    let app = TestApp::new().await;
    let body = with(
        report(),
        "comment",
        json!("  Mörkt\u{0000}\u{001b}[31m här\r\nockså  "),
    );
    let res = app.post_json("/api/pins", &body).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let row = app
        .db
        .pin(body["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.comment.as_deref(), Some("Mörkt[31m här\nockså"));
}

#[tokio::test]
async fn rule_place_description_is_limited_too() {
    let app = TestApp::new().await;
    let long = "x".repeat(301);
    assert_rejected(
        &app,
        with(report(), "place_description", json!(long)),
        StatusCode::UNPROCESSABLE_ENTITY,
        "place_description",
    )
    .await;
}

#[tokio::test]
async fn rule_unknown_fields_are_rejected() {
    let app = TestApp::new().await;
    assert_rejected(
        &app,
        with(report(), "email", json!("a@b.se")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "email",
    )
    .await;
}

#[tokio::test]
async fn rule_malformed_json_is_a_bad_request() {
    let app = TestApp::new().await;
    let req = Request::post("/api/pins")
        .header("content-type", "application/json")
        .body(Body::from("{\"id\": "))
        .unwrap();
    let res = app.request(req).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json()["error"]["code"], "bad_request");
    assert_eq!(app.db.count_pins().await.unwrap(), 0);
}

#[tokio::test]
async fn rule_the_body_is_at_most_16_kb() {
    let app = TestApp::new().await;
    let body = with(report(), "comment", json!("a".repeat(17 * 1024)));
    let res = app.post_json("/api/pins", &body).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.json()["error"]["code"], "payload_too_large");
    assert_eq!(app.db.count_pins().await.unwrap(), 0);
}

#[tokio::test]
async fn rule_a_filled_honeypot_is_accepted_and_dropped() {
    let app = TestApp::new().await;
    let res = app
        .post_json(
            "/api/pins",
            &with(report(), "website", json!("http://spam.example")),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "the bot sees success");
    assert_eq!(
        app.db.count_pins().await.unwrap(),
        0,
        "but nothing is stored"
    );
}

#[tokio::test]
async fn a_retry_with_the_same_content_returns_the_same_pin_and_stores_nothing_new() {
    let app = TestApp::new().await;
    let body = report();
    let first = app.post_json("/api/pins", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = app.post_json("/api/pins", &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json(), first.json(), "same pin, same delete token");
    assert_eq!(app.db.count_pins().await.unwrap(), 1);
}

#[tokio::test]
async fn the_same_id_with_other_content_is_a_conflict() {
    let app = TestApp::new().await;
    let body = report();
    app.post_json("/api/pins", &body).await;
    let other = with(body, "category", json!("traffic"));
    let res = app.post_json("/api/pins", &other).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(res.json()["error"]["code"], "conflict");
    let row = app
        .db
        .pin(other["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.category, "lighting", "the first report stands");
}

#[tokio::test]
async fn public_pins_are_rounded_to_the_grid_and_never_show_comments() {
    let app = TestApp::new().await;
    let body = report();
    app.post_json("/api/pins", &body).await;
    let res = app.get("/api/pins").await;
    assert_eq!(res.status, StatusCode::OK);
    let pins = res.json();
    let pin = &pins[0];
    let (lat, lon) = (pin["lat"].as_f64().unwrap(), pin["lon"].as_f64().unwrap());
    assert_ne!((lat, lon), (59.396812, 15.841034), "not the exact point");
    // The centre of the 0.00045° x 0.0009° cell: at most ~25 m from the exact point.
    assert!((lat - 59.396812).abs() <= 0.000225 + 1e-9);
    assert!((lon - 15.841034).abs() <= 0.00045 + 1e-9);
    assert!(
        ((lat / 0.00045).fract() - 0.5).abs() < 1e-3,
        "cell centre: {lat}"
    );
    let text = res.text();
    assert!(!text.contains("Mörkt"), "no comment");
    assert!(!text.contains("Gångtunneln"), "no place description");
    assert!(!text.contains("delete_token"));
    assert!(pin["created_date"].as_str().unwrap().len() == 10);
}

#[tokio::test]
async fn the_bbox_filters_and_bad_bboxes_are_explained() {
    let app = TestApp::new().await;
    app.post_json("/api/pins", &report()).await;
    let inside = app
        .get("/api/pins?bbox=15.80,59.37,15.90,59.41")
        .await
        .json();
    assert_eq!(inside.as_array().unwrap().len(), 1);
    let outside = app
        .get("/api/pins?bbox=15.60,59.20,15.70,59.30")
        .await
        .json();
    assert_eq!(outside.as_array().unwrap().len(), 0);
    let bad = app.get("/api/pins?bbox=15.9,59.4,15.8").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"]["field"], "bbox");
}

async fn delete(app: &TestApp, id: &str, token: Option<&str>) -> StatusCode {
    let mut req = Request::delete(format!("/api/pins/{id}"));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    app.request(req.body(Body::empty()).unwrap()).await.status
}

#[tokio::test]
async fn only_the_delete_token_deletes_a_pin() {
    let app = TestApp::new().await;
    let body = report();
    let created = app.post_json("/api/pins", &body).await.json();
    let id = body["id"].as_str().unwrap();
    let token = created["delete_token"].as_str().unwrap();
    assert_eq!(delete(&app, id, None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        delete(&app, id, Some(&"0".repeat(64))).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.db.count_pins().await.unwrap(), 1, "still there");
    assert_eq!(delete(&app, id, Some(token)).await, StatusCode::NO_CONTENT);
    assert_eq!(app.db.count_pins().await.unwrap(), 0);
    assert_eq!(delete(&app, id, Some(token)).await, StatusCode::NOT_FOUND);
    assert!(app
        .get("/api/pins")
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn agreeing_counts_once_per_device() {
    let app = TestApp::new().await;
    let body = report();
    app.post_json("/api/pins", &body).await;
    let url = format!("/api/pins/{}/agree", body["id"].as_str().unwrap());
    let device = json!({"device_id": Uuid::new_v4()});
    let res = app.post_json(&url, &device).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["agree_count"], 1);
    assert_eq!(
        app.post_json(&url, &device).await.json()["agree_count"],
        1,
        "same device"
    );
    let other = json!({"device_id": Uuid::new_v4()});
    assert_eq!(app.post_json(&url, &other).await.json()["agree_count"], 2);
    assert_eq!(app.get("/api/pins").await.json()[0]["agree_count"], 2);
    let missing = format!("/api/pins/{}/agree", Uuid::new_v4());
    assert_eq!(
        app.post_json(&missing, &device).await.status,
        StatusCode::NOT_FOUND
    );
    let bad = app.post_json(&url, &json!({"device_id": "me"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["field"], "device_id");
}

#[tokio::test]
async fn rate_limits_apply_per_client_with_retry_after_and_spare_retries() {
    let app = TestApp::with_config(|_| AppConfig {
        limits: RateLimits {
            pins: Limit::per_minutes(2, 10),
            agrees: Limit::per_minutes(1, 10),
            ..RateLimits::default()
        },
        ..AppConfig::default()
    })
    .await;
    let a = [198, 51, 100, 7];
    let first = report();
    assert_eq!(
        app.send_json("POST", "/api/pins", &first, a).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.send_json("POST", "/api/pins", &report(), a)
            .await
            .status,
        StatusCode::CREATED
    );
    let limited = app.send_json("POST", "/api/pins", &report(), a).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.json()["error"]["code"], "rate_limited");
    let retry_after: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0 && retry_after <= 600);
    // A retry of an acknowledged report still gets its answer.
    assert_eq!(
        app.send_json("POST", "/api/pins", &first, a).await.status,
        StatusCode::OK
    );
    // Another client is not affected.
    assert_eq!(
        app.send_json("POST", "/api/pins", &report(), [198, 51, 100, 8])
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(app.db.count_pins().await.unwrap(), 3);

    let url = format!("/api/pins/{}/agree", first["id"].as_str().unwrap());
    let dev = |_: ()| json!({"device_id": Uuid::new_v4()});
    assert_eq!(
        app.send_json("POST", &url, &dev(()), a).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.send_json("POST", &url, &dev(()), a).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_acknowledged_pin_survives_a_restart() {
    let app = TestApp::new().await;
    let body = report();
    assert_eq!(
        app.post_json("/api/pins", &body).await.status,
        StatusCode::CREATED
    );
    app.db.close().await;
    let reopened = trygghetskarta_server::Storage::open(&app.url)
        .await
        .unwrap();
    assert!(reopened
        .pin(body["id"].as_str().unwrap())
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn html_in_comments_is_stored_verbatim_as_text() {
    let app = TestApp::new().await;
    let comment = "<script>alert('x')</script><b>fet</b> & \"citat\"";
    let body = with(report(), "comment", json!(comment));
    assert_eq!(
        app.post_json("/api/pins", &body).await.status,
        StatusCode::CREATED
    );
    let row = app
        .db
        .pin(body["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.comment.as_deref(),
        Some(comment),
        "no escaping or stripping in storage"
    );
    // The API answers JSON, never HTML.
    let res = app.get("/api/pins").await;
    assert!(res.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
}
