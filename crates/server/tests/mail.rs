//! Opt-in e-mail about a pin, through a real SMTP server (aiosmtpd): one mail per state change
//! with a working unsubscribe link, the address never shown or exported, deleted 30 days after
//! the pin is closed or by retention, and a relay that is down holds nothing up.

use crate::common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::smtp::{decode, SmtpSink};
use common::TestApp;
use serde_json::json;
use trygghetskarta_server::mail::{self, MailConfig};
use trygghetskarta_server::{retention, time, AppConfig};

const ADDRESS: &str = "anna.andersson@example.se";
const PUBLIC: &str = "https://trygghet.example";

async fn with_mail(smtp_url: &str) -> TestApp {
    let mut config = MailConfig::new(smtp_url, "Trygghetskartan <noreply@arboga.example>").unwrap();
    config.retry_base = Duration::from_secs(1);
    let app = TestApp::with_config(|_| AppConfig {
        public_url: Some(PUBLIC.into()),
        mail: Some(config.clone()),
        ..AppConfig::default()
    })
    .await;
    mail::spawn_mailer(app.db.clone(), config);
    app
}

fn report(email: Option<&str>) -> serde_json::Value {
    let mut r = json!({
        "id": uuid::Uuid::new_v4(), "lat": 59.3948, "lon": 15.8437,
        "category": "lighting", "time_of_day": "evening", "comment": "Mörkt här"
    });
    if let Some(e) = email {
        r["notify_email"] = json!(e);
    }
    r
}

#[tokio::test]
async fn without_a_relay_the_option_is_not_offered() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/api/config").await.json()["mail"], false);
    let res = app.post_json("/api/pins", &report(Some(ADDRESS))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["error"]["field"], "notify_email");
    assert_eq!(app.db.count_pins().await.unwrap(), 0, "nothing stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_gets_one_mail_per_change_and_can_stop_them() {
    let sink = SmtpSink::start();
    let app = with_mail(&sink.url()).await;
    assert_eq!(app.get("/api/config").await.json()["mail"], true);
    let bad = app
        .post_json("/api/pins", &report(Some("anna at example")))
        .await;
    assert_eq!(bad.json()["error"]["field"], "notify_email");
    let created = app.post_json("/api/pins", &report(Some(ADDRESS))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let pin = created.json()["pin"]["id"].as_str().unwrap().to_owned();
    assert!(!created.text().contains(ADDRESS));
    let planner = app.staff_cookie("petra", "planner").await;
    let status = format!("/api/staff/pins/{pin}/status");
    let res = app
        .send(
            "POST",
            &status,
            Some(&planner),
            &json!({"status": "investigating", "response": "Vi tittar på lampan."}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let mails = sink.wait_for(1).await;
    assert_eq!(mails.len(), 1);
    let (head, body) = decode(&mails[0]);
    assert!(head.contains(ADDRESS), "{head}");
    assert!(head.contains("noreply@arboga.example"));
    assert!(
        body.contains("Vi undersöker") && body.contains("Vi tittar på lampan."),
        "{body}"
    );
    assert!(body.contains("Svar från Arboga kommun"), "{body}");
    assert!(!body.contains("petra"), "never the staff member's name");
    assert!(body.contains(&format!("{PUBLIC}/?pin={pin}")), "{body}");
    // The same state and answer again is no news: no mail.
    app.send(
        "POST",
        &status,
        Some(&planner),
        &json!({"status": "investigating"}),
    )
    .await;
    app.send(
        "POST",
        &status,
        Some(&planner),
        &json!({"status": "planned"}),
    )
    .await;
    let mails = sink.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 2, "one mail per change");
    assert!(
        mails
            .iter()
            .any(|m| decode(m).1.contains("Åtgärd planerad")),
        "the second mail tells the new state"
    );

    // The unsubscribe link: a page with a button, then the address is gone.
    let link = body
        .split_whitespace()
        .find(|w| w.starts_with(&format!("{PUBLIC}/avregistrera/")))
        .expect("an unsubscribe link")
        .trim_end_matches('.')
        .to_owned();
    let path = link.trim_start_matches(PUBLIC).to_owned();
    let page = app.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("<form method=\"post\">"));
    assert!(
        app.db.subscribed(&pin).await.unwrap(),
        "opening the page alone removes nothing"
    );
    let forged = app
        .get(&format!("/avregistrera/{pin}/{}", "0".repeat(32)))
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    let done = app
        .request(Request::post(path.as_str()).body(Body::empty()).unwrap())
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.text().contains("borttagen"));
    assert!(!app.db.subscribed(&pin).await.unwrap());
    app.send(
        "POST",
        &status,
        Some(&planner),
        &json!({"status": "done", "response": "Lampan är lagad."}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 2, "no mail after unsubscribing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_is_never_shown_exported_or_kept_longer_than_promised() {
    let sink = SmtpSink::start();
    let app = with_mail(&sink.url()).await;
    let planner = app.staff_cookie("petra", "planner").await;
    let closed = app
        .post_json("/api/pins", &report(Some(ADDRESS)))
        .await
        .json()["pin"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let open = app
        .post_json("/api/pins", &report(Some("bo@example.se")))
        .await
        .json()["pin"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.send(
        "POST",
        &format!("/api/staff/pins/{closed}/status"),
        Some(&planner),
        &json!({"status": "done", "response": "Åtgärdat."}),
    )
    .await;
    sink.wait_for(1).await;
    for (uri, who) in [
        ("/api/pins", None),
        ("/api/updates", None),
        ("/api/staff/pins", Some(&planner)),
        (&*format!("/api/staff/pins/{closed}"), Some(&planner)),
        (
            &*format!("/api/staff/pins/{closed}/history"),
            Some(&planner),
        ),
        ("/api/export/pins.csv", Some(&planner)),
        ("/api/export/pins.geojson", Some(&planner)),
    ] {
        let res = match who {
            Some(c) => app.get_as(uri, c).await,
            None => app.get(uri).await,
        };
        assert_eq!(res.status, StatusCode::OK, "{uri}");
        assert!(!res.text().contains("example.se"), "the address in {uri}");
    }
    let xlsx = app.get_as("/api/export/pins.xlsx", &planner).await;
    assert!(!String::from_utf8_lossy(&xlsx.body).contains("example.se"));
    // Closed + 30 days: the address goes; the open pin's stays.
    let now = time::now_unix();
    retention::run(&app.db, now + 29 * 86_400, 24)
        .await
        .unwrap();
    assert!(app.db.subscribed(&closed).await.unwrap());
    retention::run(&app.db, now + 31 * 86_400, 24)
        .await
        .unwrap();
    assert!(!app.db.subscribed(&closed).await.unwrap());
    assert!(app.db.subscribed(&open).await.unwrap());
    // And retention takes the addresses of pins older than the retention period.
    retention::run(&app.db, now + 25 * 31 * 86_400, 24)
        .await
        .unwrap();
    assert!(!app.db.subscribed(&open).await.unwrap());
    // A deleted pin takes its address with it.
    let third = app
        .post_json("/api/pins", &report(Some("c@example.se")))
        .await
        .json();
    let id = third["pin"]["id"].as_str().unwrap();
    let token = third["delete_token"].as_str().unwrap();
    let del = app
        .request(
            Request::delete(format!("/api/pins/{id}"))
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert!(!app.db.subscribed(id).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_is_down_delays_the_mail_never_the_answer() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = with_mail(&format!("smtp://127.0.0.1:{port}")).await;
    let planner = app.staff_cookie("petra", "planner").await;
    let pin = app
        .post_json("/api/pins", &report(Some(ADDRESS)))
        .await
        .json()["pin"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let started = Instant::now();
    let res = app
        .send(
            "POST",
            &format!("/api/staff/pins/{pin}/status"),
            Some(&planner),
            &json!({"status": "investigating"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the change does not wait for the relay"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.db.mail_waiting().await.unwrap(), 1, "kept for a retry");
    // The relay comes back: the mail goes out and leaves the outbox.
    let sink = SmtpSink::on(port);
    let mails = sink.wait_for(1).await;
    assert_eq!(mails.len(), 1);
    let until = Instant::now() + Duration::from_secs(5);
    while app.db.mail_waiting().await.unwrap() > 0 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.db.mail_waiting().await.unwrap(), 0);
}
