//! Writes at the same moment: no resident or staff action ever fails because another request
//! was writing, and counts stay exact.

use crate::common;

use axum::http::StatusCode;
use common::{SeedPin, TestApp};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use trygghetskarta_server::config::RateLimits;
use trygghetskarta_server::ratelimit::Limit;
use trygghetskarta_server::storage::{Inserted, Kind, PinRow};
use trygghetskarta_server::AppConfig;

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
async fn agrees_on_several_pins_at_once_count_per_pin_and_never_on_a_hidden_one() {
    let app = Arc::new(TestApp::new().await);
    let planner = app.staff_cookie("pia", "planner").await;
    let seed = |lat: f64| SeedPin {
        lat,
        ..SeedPin::default()
    };
    let (a, b) = (
        app.seed_pin(seed(59.3948)).await,
        app.seed_pin(seed(59.3958)).await,
    );
    let hidden = app.seed_pin(seed(59.3968)).await;
    let res = app.hide_pin(&hidden, &planner, "Dubblett").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // 12 devices on a, 7 on b, 5 on the hidden pin, all at once, every one pressing twice:
    // the drains mix pins, and a device's second press can share a drain with its first.
    let mut tasks = Vec::new();
    for (pin, devices) in [(&a, 12), (&b, 7), (&hidden, 5)] {
        for d in 0..devices {
            let device = uuid::Uuid::new_v4().to_string();
            for _ in 0..2 {
                let (app, uri, device) = (
                    app.clone(),
                    format!("/api/pins/{pin}/agree"),
                    device.clone(),
                );
                let from = [10, 2, d as u8, (tasks.len() % 200) as u8];
                let pin = pin.clone();
                tasks.push(tokio::spawn(async move {
                    (
                        pin,
                        app.send_json("POST", &uri, &json!({ "device_id": device }), from)
                            .await,
                    )
                }));
            }
        }
    }
    let mut highest: HashMap<String, u64> = HashMap::new();
    for t in tasks {
        let (pin, res) = t.await.unwrap();
        if pin == hidden {
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.text());
            continue;
        }
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let n = res.json()["agree_count"].as_u64().unwrap();
        let h = highest.entry(pin).or_default();
        *h = (*h).max(n);
    }
    assert_eq!(
        (highest[&a], highest[&b]),
        (12, 7),
        "the counts the residents saw"
    );
    let stored = |id: &str| {
        let app = app.clone();
        let id = id.to_owned();
        async move { app.db.pin(&id).await.unwrap().unwrap().agree_count }
    };
    assert_eq!(
        (stored(&a).await, stored(&b).await, stored(&hidden).await),
        (12, 7, 0),
        "the counts stored"
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_reports_sent_twice_at_once_stores_each_once() {
    let app = Arc::new(TestApp::new().await);
    let reports: Vec<_> = (0..60).map(report).collect();
    // Every report is sent twice at the same moment (a double tap, or a retry from another
    // network): one answer is 201, the other 200 with the same pin and delete token.
    let mut tasks = Vec::new();
    for (i, r) in reports.iter().chain(reports.iter()).enumerate() {
        let (app, r) = (app.clone(), r.clone());
        let from = [10, 3, (i / 200) as u8, (i % 200) as u8];
        tasks.push(tokio::spawn(async move {
            let res = app.send_json("POST", "/api/pins", &r, from).await;
            (r["id"].as_str().unwrap().to_owned(), res)
        }));
    }
    let mut answers: HashMap<String, Vec<(u16, String)>> = HashMap::new();
    for t in tasks {
        let (id, res) = t.await.unwrap();
        assert!(res.status.is_success(), "{} {}", res.status, res.text());
        let body = res.json();
        assert_eq!(body["pin"]["id"], id.as_str());
        let token = body["delete_token"].as_str().unwrap().to_owned();
        answers
            .entry(id)
            .or_default()
            .push((res.status.as_u16(), token));
    }
    assert_eq!(answers.len(), 60);
    for (id, mut got) in answers {
        got.sort();
        assert_eq!(
            (got[0].0, got[1].0),
            (200, 201),
            "{id}: one stored it, the other is its retry"
        );
        assert_eq!(got[0].1, got[1].1, "{id}: the retry gets the same token");
    }
    assert_eq!(app.db.count_pins().await.unwrap(), 60);
    assert_eq!(
        app.get("/api/pins").await.json().as_array().unwrap().len(),
        60
    );
}

fn pin_row(i: usize) -> PinRow {
    PinRow {
        id: uuid::Uuid::new_v4().to_string(),
        lat: 59.39 + (i as f64) * 0.0001,
        lon: 15.84,
        category: "traffic".into(),
        time_of_day: "night".into(),
        comment: None,
        place_description: None,
        delete_token: "t".repeat(64),
        created_at: 1_780_000_000,
        agree_count: 0,
        hidden: false,
        comment_approved: false,
        hidden_reason: None,
        follow_up: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn new_pins_arriving_together_are_stored_together_and_a_refused_one_fails_alone() {
    let app = TestApp::new().await;
    // A row the database refuses: SQLite stores a NaN as NULL (the column is NOT NULL);
    // PostgreSQL's uuid column takes no other id.
    // Stored values differ from a new pin's defaults: the answer must be the stored row.
    let pin_row = |i| PinRow {
        agree_count: 3,
        hidden: true,
        ..pin_row(i)
    };
    let bad = match app.db.kind() {
        Kind::Sqlite => PinRow {
            lat: f64::NAN,
            ..pin_row(0)
        },
        Kind::Postgres => PinRow {
            id: "not-a-uuid".into(),
            ..pin_row(0)
        },
    };
    let before = app.db.write_stats().jobs;
    let mut tasks = Vec::new();
    for row in (1..=100).map(pin_row).chain([bad]) {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            let out = db.insert_pin(&row).await;
            (row.id, out)
        }));
    }
    let mut stored = 0;
    for t in tasks {
        match t.await.unwrap() {
            (id, Ok(Inserted::New(row))) => {
                assert_eq!(row.id, id);
                // What the insert answers is what was stored.
                assert_eq!(app.db.pin(&id).await.unwrap(), Some(row));
                stored += 1;
            }
            (id, Ok(Inserted::Existing(_))) => panic!("{id} was new"),
            (id, Ok(Inserted::Limited { .. })) => panic!("{id} was not rate limited"),
            (id, Err(e)) => assert!(
                id == "not-a-uuid" || e.to_string().contains("NOT NULL"),
                "{id}: {e}"
            ),
        }
    }
    assert_eq!(
        stored, 100,
        "the refused pin took none of the others with it"
    );
    assert_eq!(app.db.count_pins().await.unwrap(), 100);
    let jobs = app.db.write_stats().jobs - before;
    assert!(
        jobs < 50,
        "101 pins arriving at once were stored in {jobs} writes, not one each"
    );
}

/// An app with these rate limits.
async fn limited(limits: RateLimits) -> Arc<TestApp> {
    Arc::new(
        TestApp::with_config(|_| AppConfig {
            limits,
            ..AppConfig::default()
        })
        .await,
    )
}

/// Sends every `(resident, uri, body)` POST at once; the answers counted by resident and status.
/// Every 429 says when to try again, within the window.
async fn at_once(
    app: &Arc<TestApp>,
    sends: Vec<([u8; 4], String, serde_json::Value)>,
) -> HashMap<([u8; 4], u16), usize> {
    let tasks: Vec<_> = sends
        .into_iter()
        .map(|(from, uri, body)| {
            let app = app.clone();
            tokio::spawn(async move {
                let res = app.send_json("POST", &uri, &body, from).await;
                if res.status == StatusCode::TOO_MANY_REQUESTS {
                    let retry: u64 = res.headers["retry-after"]
                        .to_str()
                        .unwrap()
                        .parse()
                        .unwrap();
                    assert!((1..=600).contains(&retry), "retry after {retry}");
                }
                (from, res.status.as_u16())
            })
        })
        .collect();
    let mut answers = HashMap::new();
    for t in tasks {
        *answers.entry(t.await.unwrap()).or_default() += 1;
    }
    answers
}

/// Agrees sent all at once by two residents, on two pins: each resident gets exactly its limit,
/// the rest a 429 that says when to try again, and only the counted agrees raise the counts
/// (on PostgreSQL the rate windows are counted for a whole drain of agrees in one statement).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn agrees_at_once_from_two_residents_each_get_exactly_their_limit() {
    let app = limited(RateLimits {
        agrees: Limit::per_minutes(5, 10),
        ..RateLimits::default()
    })
    .await;
    let seed = |lat: f64| SeedPin {
        lat,
        ..SeedPin::default()
    };
    let pins = [
        app.seed_pin(seed(59.3948)).await,
        app.seed_pin(seed(59.3958)).await,
    ];
    let (a, b) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let sends = [a, b]
        .into_iter()
        .flat_map(|resident| (0..20).map(move |i| (resident, i)))
        .map(|(resident, i)| {
            let uri = format!("/api/pins/{}/agree", pins[i % 2]);
            (resident, uri, json!({ "device_id": uuid::Uuid::new_v4() }))
        })
        .collect();
    let answers = at_once(&app, sends).await;
    for resident in [a, b] {
        assert_eq!(answers.get(&(resident, 200)), Some(&5), "{answers:?}");
        assert_eq!(answers.get(&(resident, 429)), Some(&15), "{answers:?}");
    }
    let listed = app.get("/api/pins").await.json();
    let total: u64 = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["agree_count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 10);
}

/// New pins sent all at once. A resident who double-taps each of 5 reports (the same id twice)
/// gets every send answered and has then used 5 of its 10, not 10: a retry is not counted, also
/// when it shares a write with its first send. Its next 6 reports at once: exactly 5 stored; at
/// the limit, a double-tapped new report is refused both times. Another resident's 12 at once:
/// exactly 10 stored, the rest refused with a `Retry-After`. (On PostgreSQL the rate windows
/// are counted in the new pins' own write job.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn new_pins_at_once_count_each_report_once_and_stop_at_the_limit() {
    let app = limited(RateLimits {
        pins: Limit::per_minutes(10, 10),
        ..RateLimits::default()
    })
    .await;
    let (a, b) = ([10, 0, 1, 1], [10, 0, 1, 2]);
    let post = |from: [u8; 4], body: serde_json::Value| (from, "/api/pins".to_owned(), body);
    let reports: Vec<serde_json::Value> = (0..5).map(report).collect();
    let double_taps = reports.iter().chain(&reports).map(|r| post(a, r.clone()));
    let others = (10..22).map(|i| post(b, report(i)));
    let answers = at_once(&app, double_taps.chain(others).collect()).await;
    assert_eq!(answers.get(&(a, 201)), Some(&5), "{answers:?}");
    assert_eq!(answers.get(&(a, 200)), Some(&5), "{answers:?}");
    assert_eq!(answers.get(&(b, 201)), Some(&10), "{answers:?}");
    assert_eq!(answers.get(&(b, 429)), Some(&2), "{answers:?}");
    let answers = at_once(&app, (30..36).map(|i| post(a, report(i))).collect()).await;
    assert_eq!(answers.get(&(a, 201)), Some(&5), "{answers:?}");
    assert_eq!(answers.get(&(a, 429)), Some(&1), "{answers:?}");
    assert_eq!(app.db.count_pins().await.unwrap(), 20);
    // At its limit, a new report double-tapped is refused both times and not stored.
    let new = report(40);
    let answers = at_once(&app, vec![post(a, new.clone()), post(a, new)]).await;
    assert_eq!(answers.get(&(a, 429)), Some(&2), "{answers:?}");
    assert_eq!(app.db.count_pins().await.unwrap(), 20);
    // Over the limit, a retry of a stored report is still answered.
    let retry = app.send_json("POST", "/api/pins", &reports[0], a).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.text());
}
