//! Planners' routes over real HTTP handling and a real SQLite file: role boundaries, filters,
//! moderation and its history, what the public then sees, hotspots, the export log, retention.

use crate::common;

use axum::http::StatusCode;
use common::{SeedPin, TestApp};
use serde_json::{json, Value};
use trygghetskarta_server::retention;

const STATION: (f64, f64) = (59.3968, 15.8410);
/// Inside Medåker's tätort polygon.
const MEDAKER: (f64, f64) = (59.4533, 15.7491);

fn ids(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

async fn public_pins(app: &TestApp) -> Value {
    app.get("/api/pins").await.json()
}

fn sorted(mut v: Vec<&String>) -> Vec<String> {
    v.sort();
    v.into_iter().cloned().collect()
}

#[tokio::test]
async fn every_staff_route_checks_the_session_and_the_role() {
    let app = TestApp::new().await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    let planner = app.staff_cookie("pia", "planner").await;
    let admin = app.staff_cookie("ada", "admin").await;
    let id = app
        .seed_pin(SeedPin {
            comment: Some("Mörkt"),
            ..SeedPin::default()
        })
        .await;
    let reason = json!({"reason": "test"});
    let routes: Vec<(&str, String, Value)> = vec![
        ("GET", "/api/staff/pins".into(), Value::Null),
        ("GET", format!("/api/staff/pins/{id}"), Value::Null),
        ("GET", format!("/api/staff/pins/{id}/history"), Value::Null),
        ("POST", format!("/api/staff/pins/{id}/hide"), reason.clone()),
        ("POST", format!("/api/staff/pins/{id}/restore"), reason),
        ("POST", format!("/api/staff/pins/{id}/approve"), Value::Null),
        (
            "POST",
            format!("/api/staff/pins/{id}/unapprove"),
            Value::Null,
        ),
        (
            "PATCH",
            format!("/api/staff/pins/{id}"),
            json!({"comment": "Mörkt."}),
        ),
        ("GET", "/api/staff/exports".into(), Value::Null),
        ("GET", "/api/export/pins.geojson".into(), Value::Null),
        ("GET", "/api/export/pins.csv".into(), Value::Null),
        ("GET", "/api/export/pins.xlsx".into(), Value::Null),
    ];
    for (method, uri, body) in &routes {
        let res = app.send(method, uri, None, body).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        assert_eq!(res.json()["error"]["code"], "unauthorized");
        let res = app.send(method, uri, Some(&organiser), body).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "organiser {method} {uri}"
        );
        for who in [&planner, &admin] {
            let res = app.send(method, uri, Some(who), body).await;
            assert_eq!(res.status, StatusCode::OK, "{method} {uri}: {}", res.text());
        }
    }
    // Hotspots and area names are aggregates: organisers plan dialogues from them.
    for uri in ["/api/staff/hotspots", "/api/staff/areas"] {
        assert_eq!(
            app.send("GET", uri, None, &Value::Null).await.status,
            StatusCode::UNAUTHORIZED
        );
        for who in [&organiser, &planner, &admin] {
            assert_eq!(app.get_as(uri, who).await.status, StatusCode::OK, "{uri}");
        }
    }
    // A state change from another site is refused even with a valid session.
    let req = axum::http::Request::post(format!("/api/staff/pins/{id}/hide"))
        .header("host", "karta.arboga.se")
        .header("origin", "https://evil.example")
        .header("cookie", &planner)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"reason":"x"}"#))
        .unwrap();
    assert_eq!(app.request(req).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn planners_see_exact_pins_and_every_filter_narrows_them() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("pia", "planner").await;
    let day = 86_400;
    let base = SeedPin::default(); // 2026-11-26 18:00, Stora torget
    let lamp = app
        .seed_pin(SeedPin {
            comment: Some("Lampan är trasig sedan i augusti."),
            place_description: Some("Gångtunneln"),
            ..base
        })
        .await;
    let speeding = app
        .seed_pin(SeedPin {
            lat: STATION.0,
            lon: STATION.1,
            category: "traffic",
            time_of_day: "night",
            created_at: base.created_at - 30 * day,
            ..base
        })
        .await;
    let village = app
        .seed_pin(SeedPin {
            lat: MEDAKER.0,
            lon: MEDAKER.1,
            category: "disorder",
            time_of_day: "night",
            created_at: base.created_at - 60 * day,
            ..base
        })
        .await;

    let all = app.get_as("/api/staff/pins", &planner).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.headers["cache-control"], "no-store");
    let list = all.json();
    assert_eq!(list.as_array().unwrap().len(), 3);
    // Newest first, exact position, the comment and where.
    assert_eq!(list[0]["id"], lamp.as_str());
    assert_eq!(list[0]["lat"], 59.3948);
    assert_eq!(list[0]["lon"], 15.8437);
    assert_eq!(list[0]["comment"], "Lampan är trasig sedan i augusti.");
    assert_eq!(list[0]["place_description"], "Gångtunneln");
    assert_eq!(list[0]["created_at"], "2026-11-26T18:00:00+01:00");
    assert_eq!(list[0]["area"], "Arboga");
    assert_eq!(list[2]["area"], "Medåker");

    let cases: Vec<(&str, Vec<&String>)> = vec![
        ("category=traffic", vec![&speeding]),
        (
            "category=traffic&category=disorder",
            vec![&speeding, &village],
        ),
        ("category=lighting,disorder", vec![&lamp, &village]),
        ("time_of_day=night", vec![&speeding, &village]),
        ("from=2026-11-26", vec![&lamp]),
        ("to=2026-10-27", vec![&speeding, &village]),
        ("from=2026-10-27&to=2026-10-27", vec![&speeding]),
        ("area=Medåker", vec![&village]),
        ("area=arboga", vec![&lamp, &speeding]),
        ("bbox=15.84,59.39,15.842,59.40", vec![&speeding]),
    ];
    for (q, want) in cases {
        let res = app.get_as(&format!("/api/staff/pins?{q}"), &planner).await;
        assert_eq!(res.status, StatusCode::OK, "{q}: {}", res.text());
        assert_eq!(ids(&res.json()), sorted(want), "{q}");
    }
    let res = app.get_as("/api/staff/pins?area=Stockholm", &planner).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json()["error"]["field"], "area");
    assert!(res.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Arboga"));
}

#[tokio::test]
async fn moderation_changes_the_public_map_and_is_recorded() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("pia", "planner").await;
    let admin = app.staff_cookie("ada", "admin").await;
    let id = app
        .seed_pin(SeedPin {
            comment: Some("Anna Svensson på Nygatan 3 säljer knark"),
            category: "drugs",
            ..SeedPin::default()
        })
        .await;
    assert_eq!(public_pins(&app).await.as_array().unwrap().len(), 1);
    assert!(
        public_pins(&app).await[0].get("comment").is_none(),
        "comments are not public until approved"
    );

    // A reason is required to hide.
    let uri = |what: &str| format!("/api/staff/pins/{id}/{what}");
    let res = app
        .send(
            "POST",
            &uri("hide"),
            Some(&planner),
            &json!({"reason": "  "}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["error"]["field"], "reason");
    assert!(app.db.moderation_history(&id).await.unwrap().is_empty());

    // Redact the personal data, approve, and the public sees the redacted comment.
    let res = app
        .send(
            "PATCH",
            &format!("/api/staff/pins/{id}"),
            Some(&planner),
            &json!({"comment": "[namn borttaget] säljer knark"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["comment"], "[namn borttaget] säljer knark");
    let res = app
        .send("POST", &uri("approve"), Some(&planner), &Value::Null)
        .await;
    assert_eq!(res.json()["comment_approved"], true);
    assert_eq!(
        public_pins(&app).await[0]["comment"],
        "[namn borttaget] säljer knark"
    );

    // Hidden: gone from the public map and the default staff list, kept with its reason.
    let res = app
        .send(
            "POST",
            &uri("hide"),
            Some(&admin),
            &json!({"reason": "Uppgifter om en enskild person"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["hidden"], true);
    assert!(public_pins(&app).await.as_array().unwrap().is_empty());
    assert!(app
        .get_as("/api/staff/pins", &planner)
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());
    let with_hidden = app
        .get_as("/api/staff/pins?include_hidden=true", &planner)
        .await
        .json();
    assert_eq!(
        with_hidden[0]["hidden_reason"],
        "Uppgifter om en enskild person"
    );
    // Nobody can agree with a hidden pin either.
    let res = app
        .post_json(
            &format!("/api/pins/{id}/agree"),
            &json!({"device_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    let res = app
        .send(
            "POST",
            &uri("restore"),
            Some(&planner),
            &json!({"reason": "Omprövad"}),
        )
        .await;
    assert_eq!(res.json()["hidden"], false);
    assert!(res.json()["hidden_reason"].is_null());
    assert_eq!(public_pins(&app).await.as_array().unwrap().len(), 1);

    let history = app.get_as(&uri("history"), &planner).await.json();
    let events: Vec<(&str, &str, Option<&str>, Option<&str>)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["actor"].as_str().unwrap(),
                e["before"].as_str(),
                e["after"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        events,
        vec![
            (
                "edit_comment",
                "pia",
                Some("Anna Svensson på Nygatan 3 säljer knark"),
                Some("[namn borttaget] säljer knark")
            ),
            ("approve", "pia", Some("not_approved"), Some("approved")),
            ("hide", "ada", Some("visible"), Some("hidden")),
            ("restore", "pia", Some("hidden"), Some("visible")),
        ]
    );
    assert_eq!(history[2]["reason"], "Uppgifter om en enskild person");
    assert!(history[0]["at"].as_str().unwrap().contains('T'));

    // Unknown pins and comment-less approvals are refused.
    let missing = uuid::Uuid::new_v4();
    let res = app.hide_pin(&missing, &planner, "x").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let bare = app.seed_pin(SeedPin::default()).await;
    let res = app
        .send(
            "POST",
            &format!("/api/staff/pins/{bare}/approve"),
            Some(&planner),
            &Value::Null,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.db.moderation_history(&bare).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_residents_delete_removes_their_text_from_the_history() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("pia", "planner").await;
    let res = app
        .post_json(
            "/api/pins",
            &json!({
                "id": uuid::Uuid::new_v4(), "lat": STATION.0, "lon": STATION.1,
                "category": "other", "time_of_day": "day", "comment": "Mitt namn är Bo"
            }),
        )
        .await;
    let id = res.json()["pin"]["id"].as_str().unwrap().to_owned();
    let token = res.json()["delete_token"].as_str().unwrap().to_owned();
    app.send(
        "PATCH",
        &format!("/api/staff/pins/{id}"),
        Some(&planner),
        &json!({"comment": "Mitt namn är [borttaget]"}),
    )
    .await;
    let req = axum::http::Request::delete(format!("/api/pins/{id}"))
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.request(req).await.status, StatusCode::NO_CONTENT);
    let history = app.db.moderation_history(&id).await.unwrap();
    assert_eq!(history.len(), 1, "who did what stays on record");
    assert_eq!(
        (history[0].before.as_deref(), history[0].after.as_deref()),
        (None, None)
    );
}

#[tokio::test]
async fn hotspots_rank_where_pins_concentrate() {
    let app = TestApp::new().await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    // 6 pins within ~30 m of the station, 3 by the Heliga Trefaldighets kyrka, 1 alone.
    for i in 0..6 {
        let d = f64::from(i) * 0.00005;
        app.seed_pin(SeedPin {
            lat: STATION.0 + d,
            lon: STATION.1 - d,
            category: if i < 4 { "drugs" } else { "lighting" },
            time_of_day: "night",
            agree_count: 1,
            ..SeedPin::default()
        })
        .await;
    }
    for i in 0..3 {
        app.seed_pin(SeedPin {
            lat: 59.39417 + f64::from(i) * 0.0001,
            lon: 15.84167,
            ..SeedPin::default()
        })
        .await;
    }
    app.seed_pin(SeedPin {
        lat: MEDAKER.0,
        lon: MEDAKER.1,
        ..SeedPin::default()
    })
    .await;
    let res = app.get_as("/api/staff/hotspots", &organiser).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let h = res.json();
    assert_eq!(h["pins"], 10);
    assert_eq!(h["radius_m"], 100.0);
    let spots = h["hotspots"].as_array().unwrap();
    assert_eq!(spots.len(), 2, "the lone pin is no hotspot: {h}");
    assert_eq!(spots[0]["rank"], 1);
    assert_eq!(spots[0]["count"], 6);
    assert_eq!(spots[0]["agree_total"], 6);
    assert_eq!(spots[0]["nearest_place"]["name"], "Arboga station");
    assert_eq!(spots[0]["area"], "Arboga");
    assert_eq!(
        spots[0]["by_category"],
        json!([{"key": "drugs", "count": 4}, {"key": "lighting", "count": 2}])
    );
    assert_eq!(
        spots[0]["by_time_of_day"],
        json!([{"key": "night", "count": 6}])
    );
    assert_eq!(spots[1]["count"], 3);
    assert_eq!(
        spots[1]["nearest_place"]["name"],
        "Heliga Trefaldighets kyrka"
    );
    // The same filters apply, and the parameters can be tuned.
    let res = app
        .get_as("/api/staff/hotspots?category=drugs&min_pins=4", &organiser)
        .await
        .json();
    assert_eq!(res["hotspots"].as_array().unwrap().len(), 1);
    assert_eq!(res["hotspots"][0]["count"], 4);
    let res = app
        .get_as("/api/staff/hotspots?radius_m=5", &organiser)
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json()["error"]["field"], "radius_m");
}

#[tokio::test]
async fn every_export_is_logged_with_its_filters_and_rows() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("pia", "planner").await;
    for _ in 0..3 {
        app.seed_pin(SeedPin::default()).await;
    }
    app.seed_pin(SeedPin {
        category: "traffic",
        ..SeedPin::default()
    })
    .await;
    let res = app
        .get_as("/api/export/pins.csv?category=lighting", &planner)
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["cache-control"], "no-store");
    assert_eq!(res.headers["content-type"], "text/csv; charset=utf-8");
    let disposition = res.headers["content-disposition"].to_str().unwrap();
    let today =
        trygghetskarta_server::time::local_date(trygghetskarta_server::time::now_unix()).unwrap();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"trygghetskartan-{today}.csv\"")
    );
    assert_eq!(res.text().lines().count(), 1 + 3);
    let res = app.get_as("/api/export/pins.xlsx", &planner).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.starts_with(b"PK"), "a zip container");
    let res = app.get_as("/api/export/pins.shp", &planner).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app
        .get_as("/api/export/pins.geojson?categroy=x", &planner)
        .await;
    assert_eq!(
        res.status,
        StatusCode::BAD_REQUEST,
        "a typo never exports everything"
    );

    let log = app.get_as("/api/staff/exports", &planner).await.json();
    let entries: Vec<(&str, &str, &str, u64, bool)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap(),
                e["format"].as_str().unwrap(),
                e["filters"].as_str().unwrap(),
                e["rows"].as_u64().unwrap(),
                e["completed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            ("pia", "xlsx", "", 4, true),
            ("pia", "csv", "category=lighting", 3, true),
        ]
    );
}

#[tokio::test]
async fn retention_deletes_old_text_and_keeps_the_pin() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("pia", "planner").await;
    let now = 1_795_690_800; // 2026-11-26 12:00 local
    let month = 31 * 86_400;
    let old = app
        .seed_pin(SeedPin {
            comment: Some("Gammal kommentar"),
            place_description: Some("Vid kiosken"),
            created_at: now - 25 * month,
            ..SeedPin::default()
        })
        .await;
    let recent = app
        .seed_pin(SeedPin {
            comment: Some("Ny kommentar"),
            created_at: now - 23 * month,
            ..SeedPin::default()
        })
        .await;
    app.send(
        "PATCH",
        &format!("/api/staff/pins/{old}"),
        Some(&planner),
        &json!({"comment": "Gammal [redigerad]"}),
    )
    .await;
    app.send(
        "POST",
        &format!("/api/staff/pins/{old}/approve"),
        Some(&planner),
        &Value::Null,
    )
    .await;

    assert_eq!(retention::run(&app.db, now, 24).await.unwrap(), 1);
    let old_pin = app.db.pin(&old).await.unwrap().unwrap();
    assert_eq!(old_pin.comment, None);
    assert_eq!(old_pin.place_description, None);
    assert!(!old_pin.comment_approved);
    assert_eq!(
        (old_pin.category.as_str(), old_pin.lat),
        ("lighting", 59.3948)
    );
    let history = app.db.moderation_history(&old).await.unwrap();
    assert_eq!(history.len(), 2);
    assert!(history
        .iter()
        .all(|e| e.action != "edit_comment" || (e.before.is_none() && e.after.is_none())));
    let recent_pin = app.db.pin(&recent).await.unwrap().unwrap();
    assert_eq!(recent_pin.comment.as_deref(), Some("Ny kommentar"));
    // A second run finds nothing more.
    assert_eq!(retention::run(&app.db, now, 24).await.unwrap(), 0);
}

#[tokio::test]
async fn an_export_larger_than_a_page_has_every_pin_once_in_time_order_with_exact_coordinates() {
    use trygghetskarta_server::storage::PinRow;
    let app = TestApp::new().await;
    let planner = app.staff_cookie("petra", "planner").await;
    // 4 500 pins (over two of the SQLite reader's pages), many sharing a second (ties at page
    // edges), with coordinates of full precision, two of them outside the range that travels
    // scaled (read by themselves). A fixed pseudo-random sequence: the same every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let rows: Vec<PinRow> = (0..4500)
        .map(|i| PinRow {
            id: uuid::Uuid::new_v4().to_string(),
            lat: match i {
                7 => 0.012_345_678_901_234_567,
                _ => 59.36 + next() * 0.06,
            },
            lon: match i {
                11 => 130.123_456_789_012_34,
                _ => 15.80 + next() * 0.12,
            },
            category: "traffic".into(),
            time_of_day: "night".into(),
            comment: None,
            place_description: None,
            delete_token: "t".repeat(64),
            created_at: 1_780_000_000 + (i / 7) as i64,
            agree_count: 0,
            hidden: false,
            comment_approved: false,
            hidden_reason: None,
            follow_up: Default::default(),
        })
        .collect();
    app.db.import_pins(&rows).await.unwrap();
    let csv = app.get_as("/api/export/pins.csv", &planner).await.text();
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let got: Vec<(String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[2].to_owned(), r[3].to_owned())
        })
        .collect();
    // Oldest first, ties in the order they were stored: the order of `rows`.
    let expected: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r.id.clone(), r.lat.to_string(), r.lon.to_string()))
        .collect();
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e);
    }
}
