//! Writes at the same moment: no resident or staff action ever fails because another request
//! was writing, and counts stay exact.

use crate::common;

use axum::http::StatusCode;
use common::{SeedPin, TestApp};
use serde_json::json;
use std::sync::Arc;

fn report(i: usize) -> serde_json::Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "lat": 59.3948 + (i as f64) * 0.0001,
        "lon": 15.8437,
        "category": "traffic",
        "time_of_day": "evening",
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_devices_agreeing_at_once_count_exactly_forty() {
    let app = Arc::new(TestApp::new().await);
    let pin = app.seed_pin(SeedPin::default()).await;
    let uri = format!("/api/pins/{pin}/agree");
    let devices: Vec<String> = (0..40).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    // Every device presses twice at the same moment (a double tap); once counts.
    let mut tasks = Vec::new();
    for (i, device) in devices.iter().chain(devices.iter()).enumerate() {
        let (app, uri, device) = (app.clone(), uri.clone(), device.clone());
        let from = [10, 0, (i / 200) as u8, (i % 200) as u8];
        tasks.push(tokio::spawn(async move {
            app.send_json("POST", &uri, &json!({ "device_id": device }), from)
                .await
        }));
    }
    let mut counts = Vec::new();
    for t in tasks {
        let res = t.await.unwrap();
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        counts.push(res.json()["agree_count"].as_u64().unwrap());
    }
    assert_eq!(counts.iter().max(), Some(&40));
    let pins = app.get("/api/pins").await.json();
    assert_eq!(pins[0]["agree_count"], 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn residents_and_staff_writing_at_once_all_succeed() {
    let app = Arc::new(TestApp::new().await);
    let planner = app.staff_cookie("petra", "planner").await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    app.add_staff("anna", "admin").await;
    let pin = app.seed_pin(SeedPin::default()).await;
    let created = app
        .send(
            "POST",
            "/api/dialogues",
            Some(&organiser),
            &json!({
                "title": "Trygghetsvandring", "description": "Vi går runt stationen.",
                "starts_at": "2027-03-02T18:00:00+01:00", "ends_at": "2027-03-02T19:30:00+01:00",
                "place_name": "Arboga station", "lat": 59.3939, "lon": 15.8372,
                "kind": "walk", "organiser": "both"
            }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let dialogue = created.json()["id"].as_str().unwrap().to_owned();

    let mut tasks: Vec<tokio::task::JoinHandle<(String, common::Response)>> = Vec::new();
    for i in 0..30 {
        let a = app.clone();
        tasks.push(tokio::spawn(async move {
            (
                "new pin".into(),
                a.send_json("POST", "/api/pins", &report(i), [10, 1, 0, i as u8])
                    .await,
            )
        }));
        let (a, uri) = (app.clone(), format!("/api/pins/{pin}/agree"));
        tasks.push(tokio::spawn(async move {
            let body = json!({ "device_id": uuid::Uuid::new_v4() });
            (
                "agree".into(),
                a.send_json("POST", &uri, &body, [10, 2, 0, i as u8]).await,
            )
        }));
        let (a, c, uri) = (
            app.clone(),
            planner.clone(),
            format!("/api/staff/pins/{pin}"),
        );
        tasks.push(tokio::spawn(async move {
            let body = json!({ "comment": format!("Redigerad {i}") });
            (
                "edit comment".into(),
                a.send("PATCH", &uri, Some(&c), &body).await,
            )
        }));
        let (a, c, uri) = (
            app.clone(),
            organiser.clone(),
            format!("/api/dialogues/{dialogue}"),
        );
        tasks.push(tokio::spawn(async move {
            let body = json!({
                "title": format!("Trygghetsvandring {i}"), "description": "Vi går runt stationen.",
                "starts_at": "2027-03-02T18:00:00+01:00", "ends_at": "2027-03-02T19:30:00+01:00",
                "place_name": "Arboga station", "lat": 59.3939, "lon": 15.8372,
                "kind": "walk", "organiser": "both"
            });
            (
                "dialogue edit".into(),
                a.send("PUT", &uri, Some(&c), &body).await,
            )
        }));
        if i % 3 == 0 {
            let a = app.clone();
            tasks.push(tokio::spawn(async move {
                (
                    "login".into(),
                    a.login("karta.arboga.se", "anna", common::STAFF_PASSWORD)
                        .await,
                )
            }));
        }
    }
    for t in tasks {
        let (what, res) = t.await.unwrap();
        assert!(
            res.status.is_success(),
            "{what}: {} {}",
            res.status,
            res.text()
        );
    }
    assert_eq!(app.db.count_pins().await.unwrap(), 31);
    let pins = app.get("/api/pins").await.json();
    let seeded = pins
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == pin.as_str())
        .unwrap();
    assert_eq!(seeded["agree_count"], 30);
    let history = app
        .get_as(&format!("/api/staff/pins/{pin}/history"), &planner)
        .await
        .json();
    assert_eq!(
        history.as_array().unwrap().len(),
        30,
        "every edit recorded once"
    );
    let ics = app
        .get(&format!("/api/dialogues/{dialogue}.ics"))
        .await
        .text();
    assert!(
        ics.contains("SEQUENCE:30\r\n"),
        "every edit bumped the calendar SEQUENCE once: {ics}"
    );
}
