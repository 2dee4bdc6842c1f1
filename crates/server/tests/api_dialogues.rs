//! Dialogue sessions: role boundaries, validation, listing, edits and cancellation, and the
//! calendar files read back by a real iCalendar parser (including the daylight-saving case).

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use icalendar::{Calendar, CalendarComponent, Component};
use serde_json::{json, Value};

/// A walk in the town centre in the spring of 2027 (after the DST change on 28 March).
fn walk() -> Value {
    json!({
        "title": "Trygghetsvandring i centrum",
        "description": "Vi går från Stora torget.\nTa med varma kläder.",
        "starts_at": "2027-04-13T18:00:00+02:00",
        "ends_at": "2027-04-13T19:30:00+02:00",
        "place_name": "Stora torget",
        "lat": 59.3940,
        "lon": 15.8420,
        "kind": "walk",
        "organiser": "both"
    })
}

fn with(mut v: Value, k: &str, x: Value) -> Value {
    v[k] = x;
    v
}

#[tokio::test]
async fn only_organisers_and_admins_announce_sessions() {
    let app = TestApp::new().await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    let planner = app.staff_cookie("pia", "planner").await;
    let admin = app.staff_cookie("ada", "admin").await;
    assert_eq!(
        app.send("POST", "/api/dialogues", None, &walk())
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let res = app
        .send("POST", "/api/dialogues", Some(&planner), &walk())
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.json()["error"]["code"], "forbidden");
    let res = app
        .send("POST", "/api/dialogues", Some(&organiser), &walk())
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let d = res.json();
    assert_eq!(d["status"], "planned");
    assert_eq!(d["starts_at"], "2027-04-13T18:00:00+02:00");
    assert_eq!(
        d["description"],
        "Vi går från Stora torget.\nTa med varma kläder."
    );
    assert_eq!(
        app.send("POST", "/api/dialogues", Some(&admin), &walk())
            .await
            .status,
        StatusCode::CREATED
    );
    // Anyone reads.
    let list = app.get("/api/dialogues").await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let app = TestApp::new().await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    let req = Request::post("/api/dialogues")
        .header("host", "karta.arboga.se")
        .header("origin", "https://evil.example")
        .header("cookie", &organiser)
        .header("content-type", "application/json")
        .body(Body::from(walk().to_string()))
        .unwrap();
    assert_eq!(app.request(req).await.status, StatusCode::FORBIDDEN);
    assert!(app
        .get("/api/dialogues")
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn invalid_sessions_are_explained_field_by_field_and_not_stored() {
    let app = TestApp::new().await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    let cases = [
        (with(walk(), "title", json!("  ")), "title"),
        (with(walk(), "title", json!("x".repeat(121))), "title"),
        (
            with(walk(), "starts_at", json!("13 april 18.00")),
            "starts_at",
        ),
        (
            with(walk(), "starts_at", json!("2027-04-13T18:00:00")),
            "starts_at",
        ),
        (
            with(walk(), "ends_at", json!("2027-04-13T17:00:00+02:00")),
            "ends_at",
        ),
        (
            with(walk(), "ends_at", json!("2027-04-15T17:00:00+02:00")),
            "ends_at",
        ),
        (with(walk(), "place_name", json!("")), "place_name"),
        (
            with(with(walk(), "lat", json!(59.5055)), "lon", json!(15.9303)),
            "lat",
        ),
        (with(walk(), "kind", json!("online")), "online_url"),
        (
            with(walk(), "registration_url", json!("javascript:alert(1)")),
            "registration_url",
        ),
        (with(walk(), "organiser", json!("nato")), "organiser"),
        (with(walk(), "room", json!("B12")), "room"),
    ];
    for (body, field) in cases {
        let res = app
            .send("POST", "/api/dialogues", Some(&organiser), &body)
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            res.text()
        );
        assert_eq!(res.json()["error"]["field"], field);
    }
    let all = app
        .send(
            "GET",
            "/api/dialogues?include_past=true",
            Some(&organiser),
            &json!({}),
        )
        .await;
    assert!(all.json().as_array().unwrap().is_empty());
}

#[tokio::test]
async fn past_sessions_are_for_staff_only() {
    let app = TestApp::new().await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    let past = with(
        with(walk(), "starts_at", json!("2025-04-13T18:00:00+02:00")),
        "ends_at",
        json!("2025-04-13T19:00:00+02:00"),
    );
    app.send("POST", "/api/dialogues", Some(&organiser), &past)
        .await;
    app.send("POST", "/api/dialogues", Some(&organiser), &walk())
        .await;
    assert_eq!(
        app.get("/api/dialogues")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get("/api/dialogues?include_past=true").await.status,
        StatusCode::UNAUTHORIZED
    );
    let all = app
        .send(
            "GET",
            "/api/dialogues?include_past=true",
            Some(&organiser),
            &json!({}),
        )
        .await;
    let all = all.json();
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(
        all[0]["starts_at"], "2025-04-13T18:00:00+02:00",
        "soonest first"
    );
}

fn parse_event(text: &str) -> icalendar::Event {
    let cal: Calendar = text.parse().expect("valid iCalendar");
    cal.components
        .into_iter()
        .find_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .expect("one event")
}

#[tokio::test]
async fn edits_and_cancellation_bump_the_calendar_sequence() {
    let app = TestApp::new().await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    let created = app
        .send("POST", "/api/dialogues", Some(&organiser), &walk())
        .await
        .json();
    let id = created["id"].as_str().unwrap().to_owned();

    let ics = app.get(&format!("/api/dialogues/{id}.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let event = parse_event(&ics.text());
    assert_eq!(
        event.get_uid(),
        Some(format!("{id}@trygghetskartan").as_str())
    );
    assert_eq!(event.property_value("SEQUENCE"), Some("0"));
    assert_eq!(event.property_value("STATUS"), Some("CONFIRMED"));
    assert_eq!(event.get_summary(), Some("Trygghetsvandring i centrum"));
    assert_eq!(event.property_value("LOCATION"), Some("Stora torget"));
    assert_eq!(event.property_value("GEO"), Some("59.394000;15.842000"));
    assert!(event
        .property_value("URL")
        .unwrap()
        .ends_with(&format!("?dialog={id}")));

    let moved = with(walk(), "starts_at", json!("2027-04-13T18:30:00+02:00"));
    let res = app
        .send(
            "PUT",
            &format!("/api/dialogues/{id}"),
            Some(&organiser),
            &moved,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["starts_at"], "2027-04-13T18:30:00+02:00");
    let event = parse_event(&app.get(&format!("/api/dialogues/{id}.ics")).await.text());
    assert_eq!(event.property_value("SEQUENCE"), Some("1"));
    assert_eq!(event.property_value("DTSTART"), Some("20270413T163000Z"));

    let no_reason = app
        .send(
            "POST",
            &format!("/api/dialogues/{id}/cancel"),
            Some(&organiser),
            &json!({"reason": " "}),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .send(
            "POST",
            &format!("/api/dialogues/{id}/cancel"),
            Some(&organiser),
            &json!({"reason": "Sjukdom"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["status"], "cancelled");
    assert_eq!(res.json()["cancel_reason"], "Sjukdom");
    // Still listed, marked cancelled, until it has passed.
    let list = app.get("/api/dialogues").await.json();
    assert_eq!(list[0]["status"], "cancelled");
    let event = parse_event(&app.get("/api/dialogues.ics").await.text());
    assert_eq!(event.property_value("STATUS"), Some("CANCELLED"));
    assert_eq!(event.property_value("SEQUENCE"), Some("2"));
    assert!(event
        .get_description()
        .unwrap()
        .contains("INSTÄLLD: Sjukdom"));

    let planner = app.staff_cookie("pia", "planner").await;
    let res = app
        .send(
            "PUT",
            &format!("/api/dialogues/{id}"),
            Some(&planner),
            &moved,
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let missing = uuid::Uuid::new_v4();
    let res = app
        .send(
            "PUT",
            &format!("/api/dialogues/{missing}"),
            Some(&organiser),
            &moved,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn times_are_right_on_both_sides_of_daylight_saving_changes() {
    let app = TestApp::new().await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    // Winter time (+01:00) before 2027-03-28, summer time (+02:00) after; back on 2027-10-31.
    let cases = [
        ("2027-03-27T10:00:00+01:00", "20270327T090000Z"),
        ("2027-03-28T10:00:00+02:00", "20270328T080000Z"),
        ("2027-10-30T10:00:00+02:00", "20271030T080000Z"),
        ("2027-10-31T10:00:00+01:00", "20271031T090000Z"),
    ];
    for (start, utc) in cases {
        // The organiser's browser may send UTC; the API answers in Swedish local time.
        let as_utc = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &utc[0..4],
            &utc[4..6],
            &utc[6..8],
            &utc[9..11],
            &utc[11..13],
            &utc[13..15]
        );
        let body = with(
            with(walk(), "starts_at", json!(as_utc)),
            "ends_at",
            json!(format!("{}T23:00:00Z", &as_utc[..10])),
        );
        let res = app
            .send("POST", "/api/dialogues", Some(&organiser), &body)
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        let d = res.json();
        assert_eq!(d["starts_at"], start, "local time with the right offset");
        let id = d["id"].as_str().unwrap();
        let event = parse_event(&app.get(&format!("/api/dialogues/{id}.ics")).await.text());
        assert_eq!(event.property_value("DTSTART"), Some(utc));
    }
}
