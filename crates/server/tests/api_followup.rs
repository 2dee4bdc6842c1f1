//! Återkoppling: states and public answers on pins, actions that gather pins and dialogues,
//! dialogues closed with their outcome, "Vad händer?", and what residents can read of their own
//! pins. Every route × role, validation per field, history, and the action ↔ pin state rules.

use crate::common;

use axum::http::StatusCode;
use common::{SeedPin, TestApp};
use serde_json::{json, Value};

struct Staffed {
    app: TestApp,
    planner: String,
    organiser: String,
    admin: String,
}

async fn staffed() -> Staffed {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("petra", "planner").await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    let admin = app.staff_cookie("ada", "admin").await;
    Staffed {
        app,
        planner,
        organiser,
        admin,
    }
}

fn field(res: &common::Response) -> Value {
    res.json()["error"]["field"].clone()
}

fn public_pin(list: &Value, id: &str) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

fn action_body(pins: &[&str]) -> Value {
    json!({
        "title": "Ny belysning på Gröna gången",
        "description": "Tekniska förvaltningen sätter upp sex nya lampor.",
        "party": "kommun",
        "lat": 59.3948, "lon": 15.8437,
        "starts_on": "2026-12-01", "target_on": "2027-01-31",
        "state": "planned",
        "pins": pins,
    })
}

#[tokio::test]
async fn every_follow_up_route_knows_who_may_use_it() {
    let s = staffed().await;
    let app = &s.app;
    let pin = app.seed_pin(SeedPin::default()).await;
    let status = json!({"status": "investigating"});
    let single = format!("/api/staff/pins/{pin}/status");
    let bulk = json!({"pins": [pin], "status": "investigating"});
    for (uri, body) in [
        (single.as_str(), &status),
        ("/api/staff/pins/status", &bulk),
    ] {
        assert_eq!(
            app.send("POST", uri, None, body).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.send("POST", uri, Some(&s.organiser), body).await.status,
            StatusCode::FORBIDDEN,
            "organisers see no pins, so they answer none: {uri}"
        );
        assert_eq!(
            app.send("POST", uri, Some(&s.planner), body).await.status,
            StatusCode::OK,
            "{uri}"
        );
        assert_eq!(
            app.send("POST", uri, Some(&s.admin), body).await.status,
            StatusCode::OK,
            "{uri}"
        );
    }
    // Actions: planners, organisers and admins write; anyone reads.
    let body = action_body(&[]);
    assert_eq!(
        app.send("POST", "/api/actions", None, &body).await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut ids = Vec::new();
    for who in [&s.planner, &s.organiser, &s.admin] {
        let res = app.send("POST", "/api/actions", Some(who), &body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        ids.push(res.json()["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        app.get("/api/actions")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Changing one needs a session too, and changes nothing without it.
    let one = format!("/api/actions/{}", ids[0]);
    let mut renamed = action_body(&[]);
    renamed["title"] = json!("Ändrad utan inloggning");
    assert_eq!(
        app.send("PUT", &one, None, &renamed).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&one).await.json()["title"],
        "Ny belysning på Gröna gången"
    );
    for who in [&s.planner, &s.organiser, &s.admin] {
        assert_eq!(
            app.send("PUT", &one, Some(who), &body).await.status,
            StatusCode::OK
        );
    }
    let note = format!("/api/actions/{}/notes", ids[0]);
    assert_eq!(
        app.send("POST", &note, None, &json!({"text": "x"}))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.send(
            "POST",
            &note,
            Some(&s.organiser),
            &json!({"text": "Lamporna är beställda."})
        )
        .await
        .status,
        StatusCode::OK
    );
    // Closing a dialogue: organisers and admins.
    let d = past_dialogue(app, &s.organiser).await;
    let close = format!("/api/dialogues/{d}/close");
    let outcome = json!({"summary": "Vi hörde om mörkret.", "participants": 12});
    assert_eq!(
        app.send("POST", &close, None, &outcome).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.send("POST", &close, Some(&s.planner), &outcome)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.send("POST", &close, Some(&s.organiser), &outcome)
            .await
            .status,
        StatusCode::OK
    );
    // Cross-site requests are refused like every staff write.
    let res = app
        .request(
            axum::http::Request::post(single.as_str())
                .header("host", "karta.arboga.se")
                .header("origin", "https://evil.example")
                .header("cookie", &s.planner)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(status.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

/// A session that took place yesterday.
async fn past_dialogue(app: &TestApp, organiser: &str) -> String {
    let now = trygghetskarta_server::time::now_unix();
    let at = |t: i64| trygghetskarta_server::time::to_local_rfc3339(t).unwrap();
    let res = app
        .send(
            "POST",
            "/api/dialogues",
            Some(organiser),
            &json!({
                "title": "Trygghetsvandring vid stationen", "description": "Vi går tillsammans.",
                "starts_at": at(now - 90_000), "ends_at": at(now - 86_400),
                "place_name": "Arboga station", "lat": 59.3939, "lon": 15.8372,
                "kind": "walk", "organiser": "both"
            }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    res.json()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_state_change_is_checked_field_by_field_and_stores_nothing_when_refused() {
    let s = staffed().await;
    let app = &s.app;
    let pin = app.seed_pin(SeedPin::default()).await;
    let uri = format!("/api/staff/pins/{pin}/status");
    let long = "å".repeat(1001);
    for (body, want) in [
        (json!({"status": "no_action"}), "reason"),
        (json!({"status": "done", "reason": "cannot"}), "reason"),
        (
            json!({"status": "no_action", "reason": "not_ours"}),
            "response",
        ),
        (
            json!({"status": "no_action", "reason": "other", "response": "  "}),
            "response",
        ),
        (
            json!({"status": "investigating", "response": long}),
            "response",
        ),
        (json!({"status": "closed"}), "status"),
        (json!({"status": "done", "party": "kommunen"}), "party"),
        (json!({"status": "done", "by": "petra"}), "by"),
    ] {
        let res = app.send("POST", &uri, Some(&s.planner), &body).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text()
        );
        assert_eq!(field(&res), want, "{body}");
    }
    let shown = public_pin(&app.get("/api/pins").await.json(), &pin);
    assert_eq!(shown["status"], "received", "nothing stored");
    assert!(shown.get("response").is_none());
    let history = app
        .get_as(&format!("/api/staff/pins/{pin}/history"), &s.planner)
        .await;
    assert_eq!(history.json(), json!([]));
    // Bulk: pins required, at most 5000.
    let empty = app
        .send(
            "POST",
            "/api/staff/pins/status",
            Some(&s.planner),
            &json!({"pins": [], "status": "done"}),
        )
        .await;
    assert_eq!(field(&empty), "pins");
    let many: Vec<String> = (0..5001)
        .map(|_| uuid::Uuid::new_v4().to_string())
        .collect();
    let too_many = app
        .send(
            "POST",
            "/api/staff/pins/status",
            Some(&s.planner),
            &json!({"pins": many, "status": "done"}),
        )
        .await;
    assert_eq!(field(&too_many), "pins");
    // An unknown pin is the JSON 404.
    let missing = app
        .send(
            "POST",
            &format!("/api/staff/pins/{}/status", uuid::Uuid::new_v4()),
            Some(&s.planner),
            &json!({"status": "done"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn the_public_answer_shows_the_party_and_date_never_the_staff_member() {
    let s = staffed().await;
    let app = &s.app;
    let pin = app.seed_pin(SeedPin::default()).await;
    let uri = format!("/api/staff/pins/{pin}/status");
    let res = app
        .send(
            "POST",
            &uri,
            Some(&s.planner),
            &json!({"status": "investigating", "response": "Vi tittar på belysningen i veckan."}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["status"], "investigating");
    let res = app
        .send("POST", &uri, Some(&s.planner), &json!({"status": "no_action", "reason": "not_ours",
               "response": "Vägen är Trafikverkets: vi har skickat din markering till dem.", "party": "polis"}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let list = app.get("/api/pins").await;
    let shown = public_pin(&list.json(), &pin);
    assert_eq!(shown["status"], "no_action");
    assert_eq!(shown["response"]["party"], "polis");
    assert_eq!(
        shown["response"]["text"],
        "Vägen är Trafikverkets: vi har skickat din markering till dem."
    );
    let today =
        trygghetskarta_server::time::local_date(trygghetskarta_server::time::now_unix()).unwrap();
    assert_eq!(shown["response"]["date"], today);
    assert!(shown["status_changed_at"]
        .as_str()
        .unwrap()
        .starts_with(&today));
    assert!(
        !list.text().contains("petra"),
        "no staff names in public answers"
    );
    // Every change is in the history, with who and when, before and after.
    let history = app
        .get_as(&format!("/api/staff/pins/{pin}/history"), &s.planner)
        .await
        .json();
    let events = history.as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["action"], "status");
    assert_eq!(events[0]["actor"], "petra");
    assert_eq!(
        (events[0]["before"].as_str(), events[0]["after"].as_str()),
        (Some("received"), Some("investigating"))
    );
    assert_eq!(events[0]["response"], "Vi tittar på belysningen i veckan.");
    assert_eq!(
        (events[1]["after"].as_str(), events[1]["reason"].as_str()),
        (Some("no_action"), Some("not_ours"))
    );
    // Staff see the reason and the answer too.
    let staff = app
        .get_as(&format!("/api/staff/pins/{pin}"), &s.planner)
        .await
        .json();
    assert_eq!(staff["status_reason"], "not_ours");
    // An empty answer removes it; leaving it out keeps it.
    app.send(
        "POST",
        &uri,
        Some(&s.planner),
        &json!({"status": "investigating"}),
    )
    .await;
    let kept = public_pin(&app.get("/api/pins").await.json(), &pin);
    assert!(kept["response"].is_object());
    app.send(
        "POST",
        &uri,
        Some(&s.planner),
        &json!({"status": "investigating", "response": ""}),
    )
    .await;
    let cleared = public_pin(&app.get("/api/pins").await.json(), &pin);
    assert!(cleared.get("response").is_none());
}

#[tokio::test]
async fn thirty_pins_about_one_dark_path_get_one_answer() {
    let s = staffed().await;
    let app = &s.app;
    let mut pins = Vec::new();
    for i in 0..30 {
        pins.push(
            app.seed_pin(SeedPin {
                lat: 59.3948 + i as f64 * 0.00002,
                ..SeedPin::default()
            })
            .await,
        );
    }
    // The hotspot gives planners its pins; organisers get the aggregate only.
    let spots = app.get_as("/api/staff/hotspots", &s.planner).await.json();
    let members = spots["hotspots"][0]["pins"].as_array().unwrap().len();
    assert_eq!(members, 30);
    let organiser_view = app.get_as("/api/staff/hotspots", &s.organiser).await.json();
    assert_eq!(organiser_view["hotspots"][0]["pins"], json!([]));
    let gone = uuid::Uuid::new_v4().to_string();
    let mut ids = spots["hotspots"][0]["pins"].as_array().unwrap().clone();
    ids.push(json!(gone));
    let res = app
        .send("POST", "/api/staff/pins/status", Some(&s.planner),
              &json!({"pins": ids, "status": "planned", "response": "Gröna gången får ny belysning i januari."}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json(), json!({"changed": 30, "missing": [gone]}));
    let list = app.get("/api/pins").await.json();
    for id in &pins {
        let p = public_pin(&list, id);
        assert_eq!(p["status"], "planned");
        assert_eq!(
            p["response"]["text"],
            "Gröna gången får ny belysning i januari."
        );
    }
}

#[tokio::test]
async fn an_action_moves_its_pins_along_unless_told_not_to() {
    let s = staffed().await;
    let app = &s.app;
    let a = app.seed_pin(SeedPin::default()).await;
    let b = app
        .seed_pin(SeedPin {
            lat: 59.3950,
            ..SeedPin::default()
        })
        .await;
    let c = app
        .seed_pin(SeedPin {
            lat: 59.3952,
            ..SeedPin::default()
        })
        .await;
    // c was already answered "no action": an action does not reopen it.
    app.send(
        "POST",
        &format!("/api/staff/pins/{c}/status"),
        Some(&s.planner),
        &json!({"status": "no_action", "reason": "duplicate"}),
    )
    .await;
    let res = app
        .send(
            "POST",
            "/api/actions",
            Some(&s.planner),
            &action_body(&[&a, &b, &c]),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let action = res.json();
    let id = action["id"].as_str().unwrap().to_owned();
    assert_eq!(action["pins"].as_array().unwrap().len(), 3);
    assert_eq!(action["categories"], json!(["lighting"]));
    let list = app.get("/api/pins").await.json();
    assert_eq!(public_pin(&list, &a)["status"], "planned");
    assert_eq!(public_pin(&list, &a)["action_id"], id.as_str());
    assert_eq!(public_pin(&list, &c)["status"], "no_action");
    // Done: its pins are done.
    let mut done = action_body(&[&a, &b, &c]);
    done["state"] = json!("done");
    let res = app
        .send(
            "PUT",
            &format!("/api/actions/{id}"),
            Some(&s.planner),
            &done,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let list = app.get("/api/pins").await.json();
    assert_eq!(public_pin(&list, &a)["status"], "done");
    assert_eq!(public_pin(&list, &b)["status"], "done");
    assert_eq!(public_pin(&list, &c)["status"], "no_action");
    let history = app
        .get_as(&format!("/api/staff/pins/{a}/history"), &s.planner)
        .await
        .json();
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["reason"],
        format!("action {id}"),
        "the history says why"
    );
    // Staff may keep the pins as they are.
    let d = app
        .seed_pin(SeedPin {
            lat: 59.3954,
            ..SeedPin::default()
        })
        .await;
    let mut quiet = action_body(&[&d]);
    quiet["update_pins"] = json!(false);
    let res = app
        .send("POST", "/api/actions", Some(&s.planner), &quiet)
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(
        public_pin(&app.get("/api/pins").await.json(), &d)["status"],
        "received"
    );
    // The public action lists visible pins only.
    app.hide_pin(&b, &s.planner, "namn").await;
    let public = app.get(&format!("/api/actions/{id}")).await.json();
    assert_eq!(public["pins"].as_array().unwrap().len(), 2);
    assert_eq!(public["state"], "done");
}

#[tokio::test]
async fn an_action_is_checked_field_by_field() {
    let s = staffed().await;
    let app = &s.app;
    let pin = app.seed_pin(SeedPin::default()).await;
    let with = |patch: Value| {
        let mut b = action_body(&[]);
        for (k, v) in patch.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    for (body, want) in [
        (with(json!({"title": "  "})), "title"),
        (with(json!({"party": "other"})), "party_name"),
        (with(json!({"party_name": "Trafikverket"})), "party_name"),
        (with(json!({"lat": 59.3293, "lon": 18.0686})), "lat"),
        (with(json!({"starts_on": "första december"})), "starts_on"),
        (
            with(json!({"starts_on": "2027-02-01", "target_on": "2027-01-01"})),
            "target_on",
        ),
        (with(json!({"state": "cancelled"})), "cancel_reason"),
        (
            with(json!({"cancel_reason": "ingen budget"})),
            "cancel_reason",
        ),
        (
            with(json!({"area": [[15.84, 59.39], [15.85, 59.39]]})),
            "area",
        ),
        (
            with(json!({"area": [[15.84, 59.39], [18.0, 59.39], [15.85, 59.40]]})),
            "area",
        ),
        (with(json!({"pins": [uuid::Uuid::new_v4()]})), "pins"),
        (
            with(json!({"dialogues": [uuid::Uuid::new_v4()]})),
            "dialogues",
        ),
        (with(json!({"state": "paused"})), "state"),
    ] {
        let res = app
            .send("POST", "/api/actions", Some(&s.planner), &body)
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text()
        );
        assert_eq!(field(&res), want, "{body}");
    }
    // Organisers may not link pins (they never see them).
    let res = app
        .send(
            "POST",
            "/api/actions",
            Some(&s.organiser),
            &action_body(&[&pin]),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/actions").await.json(),
        json!([]),
        "nothing stored"
    );
    // An area taken from a hotspot, another responsible party, a cancellation with its reason.
    let res = app
        .send(
            "POST",
            "/api/actions",
            Some(&s.organiser),
            &with(json!({
                "party": "other", "party_name": "AB Arbogabostäder",
                "area": [[15.84, 59.394], [15.846, 59.394], [15.846, 59.396], [15.84, 59.396]],
                "state": "cancelled", "cancel_reason": "Fastigheten ska rivas."
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let a = res.json();
    assert_eq!(a["area"].as_array().unwrap().len(), 5, "the ring is closed");
    assert_eq!(a["party_name"], "AB Arbogabostäder");
    // Named after where it is: the tätort and the direction from a close landmark.
    assert!(
        a["area_name"].as_str().unwrap().starts_with("Arboga, "),
        "{}",
        a["area_name"]
    );
    let note = app
        .send(
            "POST",
            &format!("/api/actions/{}/notes", a["id"].as_str().unwrap()),
            Some(&s.organiser),
            &json!({"text": ""}),
        )
        .await;
    assert_eq!(field(&note), "text");
}

#[tokio::test]
async fn a_dialogue_closes_with_what_was_heard_only_after_it_has_ended() {
    let s = staffed().await;
    let app = &s.app;
    // A session next week cannot be closed yet.
    let now = trygghetskarta_server::time::now_unix();
    let at = |t: i64| trygghetskarta_server::time::to_local_rfc3339(t).unwrap();
    let future = app
        .send(
            "POST",
            "/api/dialogues",
            Some(&s.organiser),
            &json!({
                "title": "Möte om trafiken", "description": "",
                "starts_at": at(now + 604_800), "ends_at": at(now + 608_400),
                "place_name": "Medborgarhuset", "lat": 59.3948, "lon": 15.8437,
                "kind": "meeting", "organiser": "kommun"
            }),
        )
        .await;
    let future = future.json()["id"].as_str().unwrap().to_owned();
    let outcome = json!({"summary": "Många är oroliga för hastigheten på Ringvägen.", "participants": 23,
                         "themes": ["traffic", "lighting"], "other_themes": "Skolvägen"});
    let early = app
        .send(
            "POST",
            &format!("/api/dialogues/{future}/close"),
            Some(&s.organiser),
            &outcome,
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(early.json()["error"]["code"], "not_ended");
    // Yesterday's walk closes, with the action decided there.
    let d = past_dialogue(app, &s.organiser).await;
    let action = app
        .send(
            "POST",
            "/api/actions",
            Some(&s.organiser),
            &action_body(&[]),
        )
        .await
        .json();
    let aid = action["id"].as_str().unwrap();
    for (body, want) in [
        (json!({"summary": " ", "participants": 3}), "summary"),
        (
            json!({"summary": "x", "participants": 100_001}),
            "participants",
        ),
        (
            json!({"summary": "x", "participants": 3, "actions": [uuid::Uuid::new_v4()]}),
            "actions",
        ),
        (
            json!({"summary": "x", "participants": 3, "themes": ["noise"]}),
            "themes[0]",
        ),
    ] {
        let res = app
            .send(
                "POST",
                &format!("/api/dialogues/{d}/close"),
                Some(&s.organiser),
                &body,
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text()
        );
        assert_eq!(field(&res), want, "{body}");
    }
    let mut body = outcome.clone();
    body["actions"] = json!([aid]);
    let res = app
        .send(
            "POST",
            &format!("/api/dialogues/{d}/close"),
            Some(&s.organiser),
            &body,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let closed = app.get("/api/dialogues/closed").await.json();
    assert_eq!(closed.as_array().unwrap().len(), 1);
    let o = &closed[0]["outcome"];
    assert_eq!(o["participants"], 23);
    assert_eq!(o["themes"], json!(["lighting", "traffic"]));
    assert_eq!(o["actions"], json!([aid]));
    assert_eq!(o["other_themes"], "Skolvägen");
    // The calendar event links to the outcome, and says it changed.
    let ics = app.get(&format!("/api/dialogues/{d}.ics")).await.text();
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains("Vad vi hörde: http://localhost/?dialog="),
        "{ics}"
    );
    assert!(unfolded.contains("SEQUENCE:1\r\n"));
    // The action knows its dialogue.
    let a = app.get(&format!("/api/actions/{aid}")).await.json();
    assert_eq!(a["dialogues"], json!([d]));
}

#[tokio::test]
async fn vad_hander_lists_answers_actions_and_outcomes_newest_first_with_filters() {
    let s = staffed().await;
    let app = &s.app;
    let torget = app.seed_pin(SeedPin::default()).await;
    let medaker = app
        .seed_pin(SeedPin {
            lat: 59.4533,
            lon: 15.7491,
            category: "traffic",
            ..SeedPin::default()
        })
        .await;
    app.send(
        "POST",
        &format!("/api/staff/pins/{torget}/status"),
        Some(&s.planner),
        &json!({"status": "investigating", "response": "Vi har beställt en ny lampa."}),
    )
    .await;
    app.send(
        "POST",
        &format!("/api/staff/pins/{medaker}/status"),
        Some(&s.planner),
        &json!({"status": "investigating"}),
    )
    .await;
    // Times are kept to the second: make the action clearly the newer.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let action = app
        .send(
            "POST",
            "/api/actions",
            Some(&s.planner),
            &action_body(&[&torget]),
        )
        .await
        .json();
    let all = app.get("/api/updates").await.json();
    let kinds: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["action", "answer"],
        "an answer without text is no news; newest first"
    );
    assert_eq!(all[0]["id"], action["id"]);
    assert_eq!(all[1]["text"], "Vi har beställt en ny lampa.");
    assert_eq!(all[1]["party"], "kommun");
    assert!(
        all[1]["area_name"]
            .as_str()
            .unwrap()
            .starts_with("Arboga, "),
        "{}",
        all[1]["area_name"]
    );
    assert_eq!(
        app.get("/api/updates?category=traffic").await.json(),
        json!([])
    );
    assert_eq!(app.get("/api/updates?area=Medåker").await.json(), json!([]));
    assert_eq!(
        app.get("/api/updates?area=Arboga&category=lighting")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let bad = app.get("/api/updates?area=Köping").await;
    assert_eq!(
        (bad.status, field(&bad)),
        (StatusCode::BAD_REQUEST, json!("area"))
    );
    // A hidden pin's answer is not news.
    app.hide_pin(&torget, &s.planner, "namn").await;
    let kinds: Vec<String> = app
        .get("/api/updates")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["action"]);
}

#[tokio::test]
async fn a_device_reads_the_state_of_its_own_pins_by_their_ids() {
    let s = staffed().await;
    let app = &s.app;
    let mine = app.seed_pin(SeedPin::default()).await;
    let hidden = app
        .seed_pin(SeedPin {
            lat: 59.395,
            ..SeedPin::default()
        })
        .await;
    app.send(
        "POST",
        &format!("/api/staff/pins/{mine}/status"),
        Some(&s.planner),
        &json!({"status": "done", "response": "Lampan är lagad."}),
    )
    .await;
    app.hide_pin(&hidden, &s.planner, "x").await;
    let gone = uuid::Uuid::new_v4();
    let res = app
        .post_json("/api/pins/lookup", &json!({"ids": [mine, hidden, gone]}))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let list = res.json();
    assert_eq!(list.as_array().unwrap().len(), 1, "visible pins only");
    assert_eq!(list[0]["status"], "done");
    assert_eq!(list[0]["response"]["text"], "Lampan är lagad.");
    assert!(list[0].get("comment").is_none());
    let many: Vec<String> = (0..301).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let res = app
        .post_json("/api/pins/lookup", &json!({"ids": many}))
        .await;
    assert_eq!(field(&res), "ids");
}

#[tokio::test]
async fn exports_carry_states_and_the_handlingsplan_exports_with_its_areas() {
    let s = staffed().await;
    let app = &s.app;
    let pin = app.seed_pin(SeedPin::default()).await;
    let mut body = action_body(&[&pin]);
    body["area"] = json!([[15.84, 59.394], [15.846, 59.394], [15.846, 59.396]]);
    let action = app
        .send("POST", "/api/actions", Some(&s.planner), &body)
        .await
        .json();
    app.send("POST", "/api/actions", Some(&s.planner), &action_body(&[]))
        .await;
    let csv = app.get_as("/api/export/pins.csv", &s.planner).await.text();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(";status;status_sv;status_changed_at;public_response;action_id"));
    assert!(
        csv.contains(";planned;Åtgärd planerad;") && csv.contains(action["id"].as_str().unwrap())
    );
    let geo = app.get_as("/api/export/actions.geojson", &s.planner).await;
    assert_eq!(geo.status, StatusCode::OK);
    let fc = geo.json();
    let kinds: Vec<&str> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["geometry"]["type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"Polygon") && kinds.contains(&"Point"),
        "{kinds:?}"
    );
    let with_pin = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["pin_count"] == 1)
        .unwrap();
    assert_eq!(with_pin["properties"]["pin_ids"], pin.as_str());
    let csv = app
        .get_as("/api/export/actions.csv", &s.planner)
        .await
        .text();
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(reader.records().count(), 2);
    let xlsx = app.get_as("/api/export/actions.xlsx", &s.planner).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(&xlsx.body[..2], b"PK");
    assert_eq!(
        app.get_as("/api/export/actions.csv", &s.organiser)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    for format in ["geojson", "csv", "xlsx"] {
        let anonymous = app.get(&format!("/api/export/actions.{format}")).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{format}");
    }
    let log = app.get_as("/api/staff/exports", &s.planner).await.json();
    assert_eq!(log[0]["format"], "actions.xlsx");
}
