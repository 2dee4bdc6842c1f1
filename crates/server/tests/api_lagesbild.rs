//! The lägesbild over time: weeks and months in the local calendar (across summer time and the
//! year's end), filters and staff-named places, the comparison of two periods with its
//! small-number rule, role boundaries, "since last meeting", and accounts for admins.

use crate::common;

use axum::http::StatusCode;
use common::{SeedPin, TestApp, STAFF_PASSWORD};
use serde_json::{json, Value};

/// Unix seconds of a local (Europe/Stockholm) time.
fn local(date: &str, time: &str) -> i64 {
    let dt: jiff::civil::DateTime = format!("{date}T{time}").parse().unwrap();
    dt.to_zoned_datetime(trygghetskarta_server::time::local_tz())
        .unwrap()
        .timestamp()
        .as_second()
}

fn bucket<'a>(stats: &'a Value, start: &str) -> &'a Value {
    stats["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["start"] == start)
        .unwrap_or_else(|| panic!("no bucket {start}: {stats}"))
}

fn count(list: &Value, key: &str) -> u64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key || c["name"] == key)
        .map_or(0, |c| c["count"].as_u64().unwrap())
}

/// Pins stored before the server kept each pin's local day (or by an older server during an
/// upgrade) are given theirs when the server starts, and count in the same weeks.
#[tokio::test]
async fn pins_stored_without_their_local_day_count_after_a_restart() {
    let app = TestApp::new().await;
    for (date, time) in [
        ("2026-03-29", "00:30:00"),
        ("2026-03-30", "00:30:00"),
        ("2026-10-25", "23:30:00"),
        ("2027-01-01", "00:30:00"),
    ] {
        app.seed_pin(SeedPin {
            created_at: local(date, time),
            ..SeedPin::default()
        })
        .await;
    }
    let (all, _) = trygghetskarta_server::filter::parse(None, &[], &[]).unwrap();
    let before = app.db.day_groups(&all).await.unwrap();
    assert_eq!(before.len(), 4, "{before:?}");
    let forget = "UPDATE pins SET local_day = NULL";
    if common::postgres() {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&app.url).await.unwrap();
        sqlx::query(forget).execute(&mut c).await.unwrap();
    } else {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&app.url).await.unwrap();
        sqlx::query(forget).execute(&mut c).await.unwrap();
    }
    let restarted = trygghetskarta_server::Storage::open(&app.url)
        .await
        .unwrap();
    assert_eq!(restarted.day_groups(&all).await.unwrap(), before);
}

#[tokio::test]
async fn weeks_and_months_follow_the_local_calendar_across_summer_time_and_new_year() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("petra", "planner").await;
    for (date, time, category) in [
        // Sunday night before the spring change, and Monday 00:30 summer time (22:30 UTC on
        // Sunday): different weeks, which UTC days would get wrong.
        ("2026-03-29", "00:30:00", "drugs"),
        ("2026-03-30", "00:30:00", "drugs"),
        // The autumn change: Sunday 2026-10-25, 02:30 happens twice; Monday after is a new week.
        ("2026-10-25", "23:30:00", "traffic"),
        ("2026-10-26", "00:10:00", "traffic"),
        // New year's eve and the first minutes of 2027: one week, two months.
        ("2026-12-31", "23:30:00", "lighting"),
        ("2027-01-01", "00:30:00", "lighting"),
    ] {
        app.seed_pin(SeedPin {
            created_at: local(date, time),
            category,
            ..SeedPin::default()
        })
        .await;
    }
    let weeks = app
        .get_as(
            "/api/staff/stats?from=2026-03-01&to=2027-01-31&bucket=week",
            &planner,
        )
        .await;
    assert_eq!(weeks.status, StatusCode::OK, "{}", weeks.text());
    let w = weeks.json();
    assert_eq!(w["total"], 6);
    assert_eq!(w["from"], "2026-03-01");
    assert_eq!(w["to"], "2027-01-31");
    assert_eq!(bucket(&w, "2026-03-23")["total"], 1);
    assert_eq!(bucket(&w, "2026-03-30")["total"], 1);
    assert_eq!(bucket(&w, "2026-10-19")["total"], 1);
    assert_eq!(bucket(&w, "2026-10-26")["total"], 1);
    assert_eq!(bucket(&w, "2026-12-28")["total"], 2);
    assert_eq!(
        bucket(&w, "2026-04-06")["total"],
        0,
        "empty weeks are there too"
    );
    assert_eq!(
        w["buckets"][0]["start"], "2026-02-23",
        "the week 2026-03-01 falls in"
    );
    let monday = &w["by_weekday"];
    assert_eq!(monday[0], 2, "two Mondays: {monday}");
    assert_eq!(monday[6], 2, "two Sundays");
    let months = app
        .get_as(
            "/api/staff/stats?from=2026-03-01&to=2027-01-31&bucket=month",
            &planner,
        )
        .await
        .json();
    assert_eq!(bucket(&months, "2026-12-01")["total"], 1);
    assert_eq!(bucket(&months, "2027-01-01")["total"], 1);
    assert_eq!(months["buckets"].as_array().unwrap().len(), 11);
    let cat = &bucket(&months, "2026-03-01")["by_category"];
    assert_eq!(count(cat, "drugs"), 2);
    assert_eq!(
        cat.as_array().unwrap().len(),
        6,
        "every category, zeros included"
    );
    let bad = app.get_as("/api/staff/stats?bucket=day", &planner).await;
    assert_eq!(
        (bad.status, bad.json()["error"]["field"].clone()),
        (StatusCode::BAD_REQUEST, json!("bucket"))
    );
}

#[tokio::test]
async fn a_named_place_filters_counts_and_names_hotspots() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("petra", "planner").await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    // Five pins at the station, two at Stora torget, one in Medåker.
    for i in 0..5 {
        app.seed_pin(SeedPin {
            lat: 59.3968 + i as f64 * 0.0001,
            lon: 15.841,
            category: "drugs",
            ..SeedPin::default()
        })
        .await;
    }
    for i in 0..2 {
        app.seed_pin(SeedPin {
            lat: 59.3948 + i as f64 * 0.0001,
            ..SeedPin::default()
        })
        .await;
    }
    app.seed_pin(SeedPin {
        lat: 59.4533,
        lon: 15.7491,
        ..SeedPin::default()
    })
    .await;
    let place = json!({"name": "Stationsområdet", "lat": 59.3970, "lon": 15.8410, "radius_m": 120});
    assert_eq!(
        app.send("POST", "/api/staff/places", Some(&organiser), &place)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let res = app
        .send("POST", "/api/staff/places", Some(&planner), &place)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let dup = app
        .send("POST", "/api/staff/places", Some(&planner), &place)
        .await;
    assert_eq!(
        (dup.status, dup.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("name"))
    );
    for (body, field) in [
        (
            json!({"name": "", "lat": 59.39, "lon": 15.84, "radius_m": 50}),
            "name",
        ),
        (
            json!({"name": "X", "lat": 59.39, "lon": 15.84, "radius_m": 5}),
            "radius_m",
        ),
        (json!({"name": "X", "lat": 59.39, "lon": 15.84}), "radius_m"),
        (
            json!({"name": "X", "lat": 57.0, "lon": 15.84, "radius_m": 50}),
            "lat",
        ),
        (
            json!({"name": "X", "lat": 59.39, "lon": 15.84, "polygon": [[15.84, 59.39]]}),
            "area",
        ),
    ] {
        let res = app
            .send("POST", "/api/staff/places", Some(&planner), &body)
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(res.json()["error"]["field"], field, "{body}");
    }
    let torget = json!({"name": "Stora torget", "lat": 59.3948, "lon": 15.8437,
        "polygon": [[15.8430, 59.3944], [15.8445, 59.3944], [15.8445, 59.3955], [15.8430, 59.3955]]});
    assert_eq!(
        app.send("POST", "/api/staff/places", Some(&planner), &torget)
            .await
            .status,
        StatusCode::CREATED
    );
    // Organisers read the places and the aggregates.
    let places = app.get_as("/api/staff/places", &organiser).await.json();
    assert_eq!(places.as_array().unwrap().len(), 2);
    let stats = app.get_as("/api/staff/stats", &organiser).await.json();
    assert_eq!(
        stats["by_area"][0],
        json!({"name": "Stationsområdet", "kind": "named", "count": 5})
    );
    assert_eq!(count(&stats["by_area"], "Stora torget"), 2);
    assert_eq!(count(&stats["by_area"], "Arboga"), 7);
    assert_eq!(count(&stats["by_area"], "Medåker"), 1);
    // The named place is an area filter, for stats, the pin list and exports alike.
    let only = app
        .get_as("/api/staff/stats?area=Stationsområdet", &planner)
        .await
        .json();
    assert_eq!(only["total"], 5);
    assert_eq!(count(&only["by_category"], "drugs"), 5);
    let pins = app
        .get_as("/api/staff/pins?area=stationsområdet", &planner)
        .await
        .json();
    assert_eq!(pins.as_array().unwrap().len(), 5);
    let areas = app.get_as("/api/staff/areas", &planner).await.json();
    assert_eq!(areas[0], "Stationsområdet");
    // The station hotspot is named after it, not after a church 200 m away.
    let spots = app.get_as("/api/staff/hotspots", &organiser).await.json();
    assert_eq!(spots["hotspots"][0]["place_name"], "Stationsområdet");
    // Renamed, it is called by its new name.
    let id = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Stationsområdet")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let renamed = json!({"name": "Resecentrum", "lat": 59.3970, "lon": 15.8410, "radius_m": 120});
    assert_eq!(
        app.send(
            "PUT",
            &format!("/api/staff/places/{id}"),
            Some(&planner),
            &renamed
        )
        .await
        .status,
        StatusCode::OK
    );
    let spots = app.get_as("/api/staff/hotspots", &planner).await.json();
    assert_eq!(spots["hotspots"][0]["place_name"], "Resecentrum");
    let del = app
        .send(
            "DELETE",
            &format!("/api/staff/places/{id}"),
            Some(&planner),
            &json!(null),
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
}

/// Residents read where an answer or an action is by the names staff gave places, else by the
/// tätort and a direction from a close landmark, never by a distant landmark alone.
#[tokio::test]
async fn public_answers_and_actions_are_named_after_staff_named_places() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("petra", "planner").await;
    let station = app
        .seed_pin(SeedPin {
            lat: 59.3969,
            lon: 15.8411,
            ..SeedPin::default()
        })
        .await;
    let place = json!({"name": "Stationsområdet", "lat": 59.3970, "lon": 15.8410, "radius_m": 120});
    let res = app
        .send("POST", "/api/staff/places", Some(&planner), &place)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let answer = json!({"status": "investigating", "response": "Vi ser över belysningen."});
    let res = app
        .send(
            "POST",
            &format!("/api/staff/pins/{station}/status"),
            Some(&planner),
            &answer,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let action = json!({
        "title": "Fler lampor vid stationen", "description": "Sex nya lampor.",
        "party": "kommun", "lat": 59.3971, "lon": 15.8409, "state": "planned", "pins": [],
    });
    let res = app
        .send("POST", "/api/actions", Some(&planner), &action)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["area_name"], "Stationsområdet");
    // Just outside the circle: near it.
    let near = json!({
        "title": "Cykelparkering", "description": "Ny cykelparkering.",
        "party": "kommun", "lat": 59.3970, "lon": 15.8440, "state": "planned", "pins": [],
    });
    let res = app
        .send("POST", "/api/actions", Some(&planner), &near)
        .await;
    assert_eq!(res.json()["area_name"], "vid Stationsområdet");
    let updates = app.get("/api/updates").await.json();
    let answer = updates
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["kind"] == "answer")
        .expect("the answer is news");
    assert_eq!(answer["area_name"], "Stationsområdet");
}

#[tokio::test]
async fn two_periods_compare_with_counts_and_per_cent_only_for_large_numbers() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("petra", "planner").await;
    // September: 12 drug pins, 2 traffic; October: 31 drug pins, 4 traffic.
    for (month, drugs, traffic) in [("09", 12, 2), ("10", 31, 4)] {
        for i in 0..drugs + traffic {
            let day = format!("2026-{month}-{:02}", 1 + i % 28);
            app.seed_pin(SeedPin {
                created_at: local(&day, "21:00:00"),
                category: if i < drugs { "drugs" } else { "traffic" },
                time_of_day: "evening",
                ..SeedPin::default()
            })
            .await;
        }
    }
    let res = app
        .get_as("/api/staff/stats?from=2026-09-01&to=2026-09-30&compare_from=2026-10-01&compare_to=2026-10-31", &planner)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let c = &res.json()["comparison"];
    assert_eq!(
        c["a"],
        json!({"from": "2026-09-01", "to": "2026-09-30", "total": 14})
    );
    assert_eq!(c["b"]["total"], 35);
    assert_eq!(c["total"]["percent"], 150.0);
    let drugs = c["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "drugs")
        .unwrap();
    assert_eq!(
        (
            drugs["a"].as_u64(),
            drugs["b"].as_u64(),
            drugs["percent"].as_f64()
        ),
        (Some(12), Some(31), Some(158.3))
    );
    let traffic = c["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "traffic")
        .unwrap();
    assert_eq!(
        (traffic["a"].as_u64(), traffic["b"].as_u64()),
        (Some(2), Some(4))
    );
    assert!(
        traffic.get("percent").is_none(),
        "2 → 4 is no per cent: {traffic}"
    );
    assert_eq!(c["min_for_percent"], 10);
    assert_eq!(c["by_area"][0]["key"], "Arboga");
    let half = app
        .get_as("/api/staff/stats?compare_from=2026-10-01", &planner)
        .await;
    assert_eq!(half.json()["error"]["field"], "compare_to");
    let wrong = app
        .get_as(
            "/api/staff/stats?compare_from=oktober&compare_to=2026-10-31",
            &planner,
        )
        .await;
    assert_eq!(wrong.json()["error"]["field"], "compare_from");
}

#[tokio::test]
async fn answer_times_per_party_and_states_are_counted() {
    let app = TestApp::new().await;
    let planner = app.staff_cookie("petra", "planner").await;
    let now = trygghetskarta_server::time::now_unix();
    let mut pins = Vec::new();
    for days_ago in [10, 4, 2] {
        pins.push(
            app.seed_pin(SeedPin {
                created_at: now - days_ago * 86_400,
                ..SeedPin::default()
            })
            .await,
        );
    }
    app.send(
        "POST",
        &format!("/api/staff/pins/{}/status", pins[0]),
        Some(&planner),
        &json!({"status": "done", "response": "Lagat.", "party": "kommun"}),
    )
    .await;
    app.send(
        "POST",
        &format!("/api/staff/pins/{}/status", pins[1]),
        Some(&planner),
        &json!({"status": "investigating", "response": "Vi tittar.", "party": "polis"}),
    )
    .await;
    let s = app.get_as("/api/staff/stats", &planner).await.json();
    assert_eq!(s["answered"], 2);
    assert_eq!(count(&s["by_status"], "received"), 1);
    assert_eq!(count(&s["by_status"], "done"), 1);
    let kommun = s["by_party"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["party"] == "kommun")
        .unwrap();
    assert_eq!(kommun["answered"], 1);
    assert_eq!(kommun["median_days_to_answer"], 10.0);
    assert_eq!(kommun["median_days_to_done"], 10.0);
    let polis = s["by_party"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["party"] == "polis")
        .unwrap();
    assert_eq!(polis["median_days_to_answer"], 4.0);
    assert!(polis["median_days_to_done"].is_null());
}

#[tokio::test]
async fn organisers_see_aggregates_never_comments_and_exports_need_a_planner() {
    let app = TestApp::new().await;
    let organiser = app.staff_cookie("olle", "organiser").await;
    let planner = app.staff_cookie("petra", "planner").await;
    app.seed_pin(SeedPin {
        comment: Some("Kalle på Storgatan 3"),
        ..SeedPin::default()
    })
    .await;
    assert_eq!(
        app.get("/api/staff/stats").await.status,
        StatusCode::UNAUTHORIZED
    );
    let s = app.get_as("/api/staff/stats", &organiser).await;
    assert_eq!(s.status, StatusCode::OK);
    assert!(!s.text().contains("Kalle"), "no comments in aggregates");
    assert_eq!(
        s.headers["cache-control"], "no-store",
        "staff figures stay out of caches"
    );
    let xlsx = app
        .get_as("/api/export/stats.xlsx?bucket=month", &organiser)
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.body)).unwrap();
    let sheets = wb.sheet_names().to_vec();
    assert_eq!(
        sheets,
        [
            "Per månad",
            "Kategorier",
            "Tid på dygnet",
            "Veckodag",
            "Områden",
            "Status",
            "Svarstider"
        ]
    );
    let cats = wb.worksheet_range("Kategorier").unwrap();
    let lighting: Vec<_> = cats.rows().filter(|r| r[0] == "Dålig belysning").collect();
    assert_eq!(lighting[0][1].to_string(), "1");
    assert_eq!(
        app.get_as("/api/staff/users", &planner).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn since_last_meeting_is_remembered_per_staff_member() {
    let app = TestApp::new().await;
    let a = app.staff_cookie("petra", "planner").await;
    let b = app.staff_cookie("pia", "planner").await;
    assert_eq!(
        app.get_as("/api/staff/me/since", &a).await.json(),
        json!({"date": null})
    );
    let set = app
        .send(
            "PUT",
            "/api/staff/me/since",
            Some(&a),
            &json!({"date": "2026-11-17"}),
        )
        .await;
    assert_eq!(set.json(), json!({"date": "2026-11-17"}));
    assert_eq!(
        app.get_as("/api/staff/me/since", &a).await.json()["date"],
        "2026-11-17"
    );
    assert_eq!(
        app.get_as("/api/staff/me/since", &b).await.json()["date"],
        Value::Null
    );
    let bad = app
        .send(
            "PUT",
            "/api/staff/me/since",
            Some(&a),
            &json!({"date": "förra tisdagen"}),
        )
        .await;
    assert_eq!(bad.json()["error"]["field"], "date");
}

#[tokio::test]
async fn an_admin_manages_accounts_by_the_same_rules_as_the_command_line() {
    let app = TestApp::new().await;
    let admin = app.staff_cookie("ada", "admin").await;
    let res = app
        .send(
            "POST",
            "/api/staff/users",
            Some(&admin),
            &json!({"username": "olle", "role": "organiser", "password": STAFF_PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    for (body, field) in [
        (
            json!({"username": "olle", "role": "organiser", "password": STAFF_PASSWORD}),
            "username",
        ),
        (
            json!({"username": "bo berg", "role": "planner", "password": STAFF_PASSWORD}),
            "username",
        ),
        (
            json!({"username": "bo", "role": "planner", "password": "kort"}),
            "password",
        ),
        (
            json!({"username": "bo", "role": "root", "password": STAFF_PASSWORD}),
            "role",
        ),
    ] {
        let res = app
            .send("POST", "/api/staff/users", Some(&admin), &body)
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(res.json()["error"]["field"], field, "{body}");
    }
    // The new organiser logs in; the admin sees when.
    assert_eq!(
        app.login("karta.arboga.se", "olle", STAFF_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
    let users = app.get_as("/api/staff/users", &admin).await;
    assert_eq!(users.headers["cache-control"], "no-store");
    let users = users.json();
    let olle = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "olle")
        .unwrap();
    assert_eq!(olle["role"], "organiser");
    assert!(olle["last_login_at"].is_string());
    // Disabled: no login; enabled again: login; a new password ends the old one.
    assert_eq!(
        app.send(
            "POST",
            "/api/staff/users/olle/disable",
            Some(&admin),
            &json!(null)
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.login("karta.arboga.se", "olle", STAFF_PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    app.send(
        "POST",
        "/api/staff/users/olle/enable",
        Some(&admin),
        &json!(null),
    )
    .await;
    let pw = app
        .send(
            "POST",
            "/api/staff/users/olle/password",
            Some(&admin),
            &json!({"password": "ett helt nytt lösenord"}),
        )
        .await;
    assert_eq!(pw.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.login("karta.arboga.se", "olle", "ett helt nytt lösenord")
            .await
            .status,
        StatusCode::OK
    );
    let own = app
        .send(
            "POST",
            "/api/staff/users/ada/disable",
            Some(&admin),
            &json!(null),
        )
        .await;
    assert_eq!(
        own.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "never lock yourself out"
    );
    let missing = app
        .send(
            "POST",
            "/api/staff/users/nobody/disable",
            Some(&admin),
            &json!(null),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
