//! Behind the kommun's TLS proxy: each resident is their own client, a forged X-Forwarded-For
//! from anyone else changes nothing, staff logins are no lockout weapon, and cookies and links
//! know they are behind TLS.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{TestApp, STAFF_PASSWORD};
use serde_json::json;
use trygghetskarta_server::config::RateLimits;
use trygghetskarta_server::proxy::TrustedProxies;
use trygghetskarta_server::ratelimit::Limit;
use trygghetskarta_server::AppConfig;

const PROXY: [u8; 4] = [127, 0, 0, 1];

async fn behind_proxy(limits: RateLimits) -> TestApp {
    TestApp::with_config(|_| AppConfig {
        trusted_proxies: TrustedProxies::parse(&["127.0.0.1", "::1"]).unwrap(),
        limits,
        ..AppConfig::default()
    })
    .await
}

fn report() -> serde_json::Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "lat": 59.3948, "lon": 15.8437,
        "category": "lighting", "time_of_day": "night",
    })
}

/// A request as it arrives from `peer`, with the headers a proxy (or a forger) adds.
fn request(
    method: &str,
    uri: &str,
    peer: impl Into<std::net::IpAddr>,
    headers: &[(&str, &str)],
    body: &serde_json::Value,
) -> Request<Body> {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "127.0.0.1:8443")
        .header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req.body(Body::from(body.to_string())).unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(
            peer.into(),
            40000,
        )));
    req
}

fn pins_per_10_min(n: u32) -> RateLimits {
    RateLimits {
        pins: Limit::per_minutes(n, 10),
        ..RateLimits::default()
    }
}

/// A new pin arriving from `peer` with `X-Forwarded-For: xff`: the status it gets.
async fn pin_from(app: &TestApp, peer: impl Into<std::net::IpAddr>, xff: &str) -> StatusCode {
    let headers = [("x-forwarded-for", xff)];
    let res = app
        .request(request("POST", "/api/pins", peer, &headers, &report()))
        .await;
    res.status
}

const CREATED: StatusCode = StatusCode::CREATED;
const LIMITED: StatusCode = StatusCode::TOO_MANY_REQUESTS;

#[tokio::test]
async fn residents_behind_the_proxy_each_get_their_own_limit() {
    let app = behind_proxy(pins_per_10_min(2)).await;
    // 40 residents, one pin each, all through the proxy.
    for i in 0..40u8 {
        let xff = format!("203.0.113.{i}");
        assert_eq!(pin_from(&app, PROXY, &xff).await, CREATED, "resident {i}");
    }
    // One resident sending a third pin is limited, and only they are.
    assert_eq!(pin_from(&app, PROXY, "203.0.113.5").await, CREATED);
    assert_eq!(pin_from(&app, PROXY, "203.0.113.5").await, LIMITED);
    assert_eq!(pin_from(&app, PROXY, "203.0.113.77").await, CREATED);
}

#[tokio::test]
async fn a_client_that_is_no_proxy_cannot_choose_its_address() {
    let app = behind_proxy(pins_per_10_min(2)).await;
    let direct = [198, 51, 100, 9];
    for (i, want) in [CREATED, CREATED, LIMITED, LIMITED].into_iter().enumerate() {
        let forged = format!("192.0.2.{i}");
        assert_eq!(
            pin_from(&app, direct, &forged).await,
            want,
            "forged attempt {i}"
        );
    }
    // Through the proxy, a resident prepending a made-up address is still themselves.
    let app = behind_proxy(pins_per_10_min(1)).await;
    for (xff, want) in [
        ("1.1.1.1, 203.0.113.8", CREATED),
        ("2.2.2.2, 203.0.113.8", LIMITED),
    ] {
        assert_eq!(pin_from(&app, PROXY, xff).await, want, "{xff}");
    }
}

/// The same over IPv6: a proxy network given as a CIDR, a chain of two proxies, and a direct
/// IPv6 client that forges the header. IPv6 clients are counted per /64.
#[tokio::test]
async fn ipv6_proxies_and_forgers_are_told_apart() {
    let app = TestApp::with_config(|_| AppConfig {
        trusted_proxies: TrustedProxies::parse(&["::1", "fd00::/8"]).unwrap(),
        limits: pins_per_10_min(1),
        ..AppConfig::default()
    })
    .await;
    let edge: std::net::IpAddr = "fd00::10".parse().unwrap();
    // Residents behind a chain (edge proxy fd00::10, inner proxy fd00::7): each is the
    // right-most address that is not a proxy, and a /64 is one resident.
    for (xff, want) in [
        ("2001:db8:1::5, fd00::7", CREATED),
        ("2001:db8:2::5, fd00::7", CREATED),
        ("9.9.9.9, 2001:db8:1::6, fd00::7", LIMITED),
    ] {
        assert_eq!(pin_from(&app, edge, xff).await, want, "{xff}");
    }
    // A direct IPv6 client (not a proxy) forging the header is still itself.
    let direct: std::net::IpAddr = "2001:db8:9::1".parse().unwrap();
    for (forged, want) in [("2001:db8:3::1", CREATED), ("2001:db8:4::1", LIMITED)] {
        assert_eq!(
            pin_from(&app, direct, forged).await,
            want,
            "forged {forged}"
        );
    }
}

/// "Jag känner likadant" is limited per resident behind the proxy as well.
#[tokio::test]
async fn agrees_are_limited_per_resident_behind_the_proxy() {
    let app = behind_proxy(RateLimits {
        agrees: Limit::per_minutes(2, 10),
        ..RateLimits::default()
    })
    .await;
    let pin = app.seed_pin(common::SeedPin::default()).await;
    let url = format!("/api/pins/{pin}/agree");
    let agree = |xff: &'static str| {
        let device = json!({"device_id": uuid::Uuid::new_v4()});
        request("POST", &url, PROXY, &[("x-forwarded-for", xff)], &device)
    };
    for _ in 0..2 {
        let res = app.request(agree("203.0.113.20")).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    let limited = app.request(agree("203.0.113.20")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let neighbour = app.request(agree("203.0.113.21")).await;
    assert_eq!(neighbour.status, StatusCode::OK);
    assert_eq!(neighbour.json()["agree_count"], 3, "{}", neighbour.text());
}

async fn login_from(
    app: &TestApp,
    client: &str,
    user: &str,
    password: &str,
    cookie: Option<&str>,
) -> common::Response {
    let mut headers = vec![("x-forwarded-for", client), ("x-forwarded-proto", "https")];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    app.request(request(
        "POST",
        "/api/session",
        PROXY,
        &headers,
        &json!({"username": user, "password": password}),
    ))
    .await
}

#[tokio::test]
async fn an_attackers_wrong_passwords_slow_only_the_attacker() {
    let app = behind_proxy(RateLimits::default()).await;
    app.add_staff("anna", "planner").await;
    app.add_staff("bo", "organiser").await;
    for _ in 0..10 {
        let res = login_from(&app, "198.51.100.66", "anna", "wrong wrong wrong", None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let attacker = login_from(&app, "198.51.100.66", "anna", STAFF_PASSWORD, None).await;
    assert_eq!(attacker.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(attacker.headers.contains_key("retry-after"));
    // Staff elsewhere (another address behind the same proxy) log in at once, anna included.
    for user in ["anna", "bo"] {
        let res = login_from(&app, "203.0.113.20", user, STAFF_PASSWORD, None).await;
        assert_eq!(res.status, StatusCode::OK, "{user}: {}", res.text());
    }
}

#[tokio::test]
async fn guessing_one_account_from_many_addresses_is_stopped_but_its_owner_gets_in() {
    let app = behind_proxy(RateLimits {
        account_logins: Limit::per_minutes(20, 60),
        ..RateLimits::default()
    })
    .await;
    app.add_staff("anna", "planner").await;
    // Anna logged in from her office browser last week: it holds a known-device cookie.
    let office = login_from(&app, "203.0.113.20", "anna", STAFF_PASSWORD, None).await;
    assert_eq!(office.status, StatusCode::OK);
    let device = office
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("tk_device="))
        .expect("a known-device cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    // A botnet: one guess from each of 20 addresses.
    for i in 0..20 {
        let res = login_from(
            &app,
            &format!("198.51.100.{i}"),
            "anna",
            "guess guess",
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    // Further guesses are refused without even checking the password, from any new address...
    let more = login_from(&app, "198.51.100.200", "anna", STAFF_PASSWORD, None).await;
    assert_eq!(more.status, StatusCode::TOO_MANY_REQUESTS);
    // ...while Anna's own browser still gets in, and other accounts are untouched.
    let own = login_from(&app, "203.0.113.20", "anna", STAFF_PASSWORD, Some(&device)).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text());
    app.add_staff("bo", "organiser").await;
    let bo = login_from(&app, "198.51.100.200", "bo", STAFF_PASSWORD, None).await;
    assert_eq!(bo.status, StatusCode::OK);
    // A device cookie for another account does not help.
    let other = login_from(
        &app,
        "198.51.100.201",
        "anna",
        STAFF_PASSWORD,
        Some("tk_device=1.2.3"),
    )
    .await;
    assert_eq!(other.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_and_browsers_are_told_to_stay_on_https() {
    let app = behind_proxy(RateLimits::default()).await;
    app.add_staff("anna", "planner").await;
    // The proxy listens on https://127.0.0.1:8443: a "localhost" address, but TLS.
    let res = login_from(&app, "203.0.113.20", "anna", STAFF_PASSWORD, None).await;
    assert_eq!(res.status, StatusCode::OK);
    for cookie in res.headers.get_all("set-cookie") {
        let c = cookie.to_str().unwrap();
        assert!(c.contains("; Secure") && c.contains("HttpOnly"), "{c}");
    }
    assert_eq!(res.headers["strict-transport-security"], "max-age=31536000");
    // The same address over plain http (no proxy): development, not Secure, no HSTS.
    let plain = app
        .request(request(
            "POST",
            "/api/session",
            [127, 0, 0, 9],
            &[("x-forwarded-proto", "https")],
            &json!({"username": "anna", "password": STAFF_PASSWORD}),
        ))
        .await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(!plain.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
    assert!(plain.headers.get("strict-transport-security").is_none());
}

#[tokio::test]
async fn public_url_https_means_tls_whatever_the_request_says() {
    let app = TestApp::with_config(|_| AppConfig {
        public_url: Some("https://trygghet.arboga.se".into()),
        ..AppConfig::default()
    })
    .await;
    app.add_staff("anna", "planner").await;
    let res = app.login("127.0.0.1:8080", "anna", STAFF_PASSWORD).await;
    assert!(res.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("; Secure"));
    assert!(app
        .get("/api/health")
        .await
        .headers
        .contains_key("strict-transport-security"));
}

#[tokio::test]
async fn calendar_links_behind_tls_are_https() {
    let app = behind_proxy(RateLimits::default()).await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    let created = app
        .send(
            "POST",
            "/api/dialogues",
            Some(&organiser),
            &json!({
                "title": "Trygghetsvandring", "description": "Runt stationen.",
                "starts_at": "2027-03-02T18:00:00+01:00", "ends_at": "2027-03-02T19:30:00+01:00",
                "place_name": "Arboga station", "lat": 59.3939, "lon": 15.8372,
                "kind": "walk", "organiser": "both"
            }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let ics = app
        .request(request(
            "GET",
            "/api/dialogues.ics",
            PROXY,
            &[
                ("x-forwarded-proto", "https"),
                ("x-forwarded-for", "203.0.113.4"),
            ],
            &json!(null),
        ))
        .await
        .text();
    assert!(ics.contains("URL:https://127.0.0.1:8443/?dialog="), "{ics}");
}

/// Log lines, captured.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_log_says_an_account_is_being_guessed_without_any_address() {
    // A process-wide subscriber: a thread-local one misses events whose callsites other tests'
    // threads have already registered. Other tests log too, so look at this test's account.
    let logs = Captured::default();
    let writer = logs.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .finish(),
    )
    .expect("the only global subscriber in this test binary");
    let app = behind_proxy(RateLimits {
        account_logins: Limit::per_minutes(5, 60),
        ..RateLimits::default()
    })
    .await;
    app.add_staff("linnea", "planner").await;
    for i in 0..6 {
        login_from(
            &app,
            &format!("198.51.100.{}", 130 + i),
            "linnea",
            "guess guess",
            None,
        )
        .await;
    }
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("many failed logins") && l.contains("linnea"))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "said once, when the threshold is reached:\n{text}"
    );
    assert!(
        lines[0].contains("account=\"linnea\"") && lines[0].contains("failures=5"),
        "{text}"
    );
    assert!(
        !text.contains("198.51.100.13"),
        "no addresses in the log:\n{text}"
    );
}
