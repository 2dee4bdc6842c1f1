//! Moving from SQLite to PostgreSQL: `trygghetskarta-server migrate --from sqlite://… --to
//! postgres://…`. A database filled through the API (pins, agrees, moderation, answers with mail
//! waiting, actions with notes, dialogues incl. a closed one, a named place, accounts) is copied;
//! then a server on each answers every export (GeoJSON, CSV, XLSX, the handlingsplan), the
//! calendar feeds and the staff and public lists byte for byte the same. A target that is not
//! empty is refused.
//!
//! Always SQLite into PostgreSQL, in both test runs.

use crate::common;

use common::pg;
use common::process::{cli, Server};
use serde_json::{json, Value};
use trygghetskarta_shared::{Category, TimeOfDay};

const PASSWORD: &str = "a long enough secret";

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(server: &Server) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: server.url.clone(),
        }
    }

    async fn login(&self, user: &str) -> String {
        let res = self
            .http
            .post(format!("{}/api/session", self.base))
            .header("content-type", "application/json")
            .body(json!({"username": user, "password": PASSWORD}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "login {user}");
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    }

    async fn send(&self, method: &str, path: &str, cookie: Option<&str>, body: Value) -> Value {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let res = req
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn get(&self, path: &str, cookie: &str) -> (u16, Vec<u8>) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.bytes().await.unwrap().to_vec())
    }
}

fn pin(i: usize, extra: Value) -> Value {
    let category = Category::ALL[i % 6].code();
    let time = TimeOfDay::ALL[i % 4].code();
    let mut p = json!({
        "id": uuid::Uuid::new_v4(),
        "lat": 59.3900 + i as f64 * 0.0007, "lon": 15.8400 + (i % 4) as f64 * 0.0011,
        "category": category,
        "time_of_day": time,
    });
    p.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    p
}

/// Everything staff and residents can read that the copy must give back unchanged.
fn readings(pins: &[String], dialogues: &[String], actions: &[String]) -> Vec<String> {
    let mut paths: Vec<String> = [
        "/api/export/pins.geojson",
        "/api/export/pins.csv",
        "/api/export/pins.xlsx",
        "/api/export/pins.csv?include_hidden=true",
        "/api/export/actions.geojson",
        "/api/export/actions.csv",
        "/api/export/actions.xlsx",
        "/api/export/stats.xlsx",
        "/api/dialogues.ics",
        "/api/dialogues",
        "/api/dialogues/closed",
        "/api/pins",
        "/api/updates",
        "/api/actions",
        "/api/staff/pins?include_hidden=true",
        "/api/staff/hotspots",
        "/api/staff/areas",
        "/api/staff/places",
        "/api/staff/stats",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for p in pins {
        paths.push(format!("/api/staff/pins/{p}"));
        paths.push(format!("/api/staff/pins/{p}/history"));
    }
    for d in dialogues {
        paths.push(format!("/api/dialogues/{d}.ics"));
        paths.push(format!("/api/dialogues/{d}"));
    }
    for a in actions {
        paths.push(format!("/api/actions/{a}"));
    }
    paths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_into_postgresql_answers_every_export_and_feed_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("kommun.db").display());
    for (user, role) in [
        ("petra", "planner"),
        ("olle", "organiser"),
        ("ada", "admin"),
    ] {
        let (ok, out) = cli(
            &[
                "--database-url",
                &sqlite,
                "user",
                "add",
                user,
                "--role",
                role,
            ],
            &format!("{PASSWORD}\n"),
        );
        assert!(ok, "{out}");
    }
    // Mail is on but its relay is down, so the mail about answers waits in the outbox.
    let mail = [
        "--smtp-url",
        "smtp://127.0.0.1:9",
        "--mail-from",
        "Trygghetskartan <noreply@arboga.se>",
        "--public-url",
        "https://karta.arboga.se",
        "--pins-per-10-min",
        "1000",
    ];
    let server = Server::start(dir.path(), &sqlite, &mail);
    let api = Api::new(&server);
    let planner = api.login("petra").await;
    let organiser = api.login("olle").await;

    // Residents: pins (several in the same second), with comments and an e-mail, and agrees.
    let mut pins = Vec::new();
    for i in 0..12 {
        let extra = match i % 3 {
            0 => json!({"comment": format!("Mörkt vid gångtunneln, \"farligt\"; nr {i}")}),
            1 => {
                json!({"place_description": "Vid busshållplatsen", "notify_email": "boende@example.se"})
            }
            _ => json!({}),
        };
        let created = api.send("POST", "/api/pins", None, pin(i, extra)).await;
        pins.push(created["pin"]["id"].as_str().unwrap().to_owned());
    }
    for (i, p) in pins.iter().enumerate().take(6) {
        for _ in 0..=i {
            api.send(
                "POST",
                &format!("/api/pins/{p}/agree"),
                None,
                json!({"device_id": uuid::Uuid::new_v4()}),
            )
            .await;
        }
    }
    // Staff: moderation, answers (one a bulk answer), a named place.
    let staff = |path: String| format!("/api/staff/pins/{path}");
    api.send(
        "POST",
        &staff(format!("{}/hide", pins[2])),
        Some(&planner),
        json!({"reason": "Personuppgifter"}),
    )
    .await;
    api.send(
        "POST",
        &staff(format!("{}/approve", pins[3])),
        Some(&planner),
        json!({}),
    )
    .await;
    api.send(
        "PATCH",
        &staff(pins[6].clone()),
        Some(&planner),
        json!({"comment": "Mörkt vid tunneln"}),
    )
    .await;
    api.send(
        "POST",
        &staff(format!("{}/status", pins[1])),
        Some(&planner),
        json!({"status": "investigating", "response": "Vi tittar på belysningen i veckan."}),
    )
    .await;
    api.send(
        "POST",
        "/api/staff/pins/status",
        Some(&planner),
        json!({"pins": [pins[4], pins[7]], "status": "no_action", "reason": "not_ours",
               "response": "Trafikverkets väg: vi har skickat det vidare.", "party": "kommun"}),
    )
    .await;
    api.send(
        "POST",
        "/api/staff/places",
        Some(&planner),
        json!({"name": "Stationsområdet", "lat": 59.3970, "lon": 15.8410, "radius_m": 300}),
    )
    .await;
    // Dialogues: one ahead, one held and closed with what was heard and the action decided.
    let now = trygghetskarta_server::time::now_unix();
    let at = |t: i64| trygghetskarta_server::time::to_local_rfc3339(t).unwrap();
    let dialogue = |title: &str, from: i64| {
        json!({
            "title": title, "description": "Vi går tillsammans.",
            "starts_at": at(from), "ends_at": at(from + 5400),
            "place_name": "Arboga station", "lat": 59.3939, "lon": 15.8372,
            "kind": "walk", "organiser": "both"
        })
    };
    let ahead = api
        .send(
            "POST",
            "/api/dialogues",
            Some(&organiser),
            dialogue("Trygghetsvandring", now + 20 * 86_400),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let held = api
        .send(
            "POST",
            "/api/dialogues",
            Some(&organiser),
            dialogue("Medborgardialog", now - 2 * 86_400),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // An action with pins (moving them to "planned") and a note.
    let action = api
        .send(
            "POST",
            "/api/actions",
            Some(&planner),
            json!({
                "title": "Ny belysning på Gröna gången",
                "description": "Tekniska förvaltningen sätter upp sex nya lampor.",
                "party": "kommun", "lat": 59.3948, "lon": 15.8437,
                "starts_on": "2026-12-01", "target_on": "2027-01-31", "state": "planned",
                "pins": [pins[0], pins[5]], "dialogues": [ahead],
            }),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    api.send(
        "POST",
        &format!("/api/actions/{action}/notes"),
        Some(&organiser),
        json!({"text": "Lamporna är beställda."}),
    )
    .await;
    api.send(
        "POST",
        &format!("/api/dialogues/{held}/close"),
        Some(&organiser),
        json!({"summary": "Vi hörde om mörkret vid stationen.", "participants": 14,
               "themes": ["lighting", "traffic"], "actions": [action]}),
    )
    .await;
    api.send(
        "POST",
        &format!("/api/dialogues/{ahead}/cancel"),
        Some(&organiser),
        json!({"reason": "Flyttas till våren"}),
    )
    .await;

    let paths = readings(
        &pins,
        &[ahead.clone(), held.clone()],
        std::slice::from_ref(&action),
    );
    let mut before = Vec::new();
    for p in &paths {
        let (status, body) = api.get(p, &planner).await;
        assert_eq!(
            status,
            200,
            "{p} on SQLite: {}",
            String::from_utf8_lossy(&body)
        );
        before.push(body);
    }
    drop(server); // stopped: migrate refuses a database a server is using
    let source = trygghetskarta_server::Storage::open(&sqlite).await.unwrap();
    let waiting = source.mail_waiting().await.unwrap();
    assert_eq!(
        waiting, 3,
        "one mail per answer to a subscribed pin, unsent"
    );
    source.close().await;

    let postgres = pg::cluster().new_database();
    let (ok, out) = cli(&["migrate", "--from", &sqlite, "--to", &postgres], "");
    assert!(ok, "{out}");
    for table in [
        "pins",
        "pin_agrees",
        "moderation_log",
        "mail_outbox",
        "users",
    ] {
        assert!(out.contains(table), "{table} in the report:\n{out}");
    }

    let server = Server::start(dir.path(), &postgres, &mail);
    let api = Api::new(&server);
    // Sessions stay behind: staff log in again.
    assert_eq!(api.get("/api/session", &planner).await.0, 401);
    let planner = api.login("petra").await;
    for (p, want) in paths.iter().zip(&before) {
        let (status, got) = api.get(p, &planner).await;
        assert_eq!(
            status,
            200,
            "{p} on PostgreSQL: {}",
            String::from_utf8_lossy(&got)
        );
        // Byte for byte, workbooks too: they carry no time of writing.
        assert!(
            got == *want,
            "{p} differs:\nSQLite:     {}\nPostgreSQL: {}",
            String::from_utf8_lossy(want),
            String::from_utf8_lossy(&got)
        );
    }
    // The mail that was waiting is still waiting, once.
    let stored = trygghetskarta_server::Storage::open(&postgres)
        .await
        .unwrap();
    assert_eq!(stored.mail_waiting().await.unwrap(), waiting);
    stored.close().await;

    // New ids carry on after the copied ones: the next export is logged and listed first.
    api.get("/api/export/pins.csv", &planner).await;
    let log: Value =
        serde_json::from_slice(&api.get("/api/staff/exports", &planner).await.1).unwrap();
    assert_eq!(log[0]["format"], "csv");

    // Into a database that is not empty: refused, and nothing changes.
    let (ok, out) = cli(&["migrate", "--from", &sqlite, "--to", &postgres], "");
    assert!(!ok, "a second copy into the same database must be refused");
    assert!(out.contains("not empty"), "{out}");
}
