//! The report draft, the outbox and "Mina markeringar".

use trygghetskarta::geo::basemap::{Basemap, Layer};
use trygghetskarta::geo::mercator::project;
use trygghetskarta::geo::LonLat;
use trygghetskarta::i18n::Lang;
use trygghetskarta::model::mine::{Mine, MyPin};
use trygghetskarta::model::outbox::{backoff_ms, Outbox};
use trygghetskarta::model::report::{nearby_bbox, nearby_same, place_choices, Draft, Problem};
use trygghetskarta_shared::{Category, PublicPin, TimeOfDay};
use uuid::Uuid;

const STATION: LonLat = LonLat::lat_lon(59.3968, 15.8410);

fn filled() -> Draft {
    Draft {
        category: Some(Category::Traffic),
        time_of_day: Some(TimeOfDay::Night),
        comment: "  Bilar kör för fort  ".into(),
        ..Draft::default()
    }
}

#[test]
fn category_and_time_are_required_and_comments_are_limited() {
    assert_eq!(
        Draft::default().problems(),
        vec![Problem::CategoryMissing, Problem::TimeMissing]
    );
    assert!(filled().problems().is_empty());
    let long = Draft {
        comment: "x".repeat(1001),
        ..filled()
    };
    assert_eq!(long.problems(), vec![Problem::CommentTooLong]);
    assert_eq!(Problem::CommentTooLong.field(), "comment");
}

#[test]
fn the_request_carries_trimmed_text_and_the_named_place() {
    let id = Uuid::new_v4();
    let req = filled().to_request(id, STATION, None).unwrap();
    assert_eq!(req.id, id);
    assert_eq!((req.lat, req.lon), (59.3968, 15.8410));
    assert_eq!(req.comment.as_deref(), Some("Bilar kör för fort"));
    assert_eq!(req.place_description, None);
    assert_eq!(req.website, None);
    let named = Draft {
        place_description: " vid kiosken ".into(),
        ..filled()
    }
    .to_request(id, STATION, Some("Arboga station"))
    .unwrap();
    assert_eq!(
        named.place_description.as_deref(),
        Some("Arboga station: vid kiosken")
    );
    assert!(Draft::default().to_request(id, STATION, None).is_err());
}

fn public(category: Category, lat: f64, lon: f64) -> PublicPin {
    PublicPin {
        id: Uuid::new_v4(),
        category,
        time_of_day: TimeOfDay::Night,
        created_date: "2026-11-20".into(),
        agree_count: 0,
        lat,
        lon,
        comment: None,
        status: trygghetskarta_shared::PinStatus::Received,
        status_changed_at: None,
        response: None,
        action_id: None,
    }
}

#[test]
fn nearby_pins_of_the_same_category_are_found() {
    let pins = vec![
        public(Category::Traffic, 59.39700, 15.84110), // ~25 m
        public(Category::Drugs, 59.39690, 15.84100),   // other category
        public(Category::Traffic, 59.39900, 15.84100), // ~245 m
    ];
    let near = nearby_same(&pins, STATION, Category::Traffic);
    assert_eq!(near.len(), 1);
    assert_eq!(near[0].id, pins[0].id);
    assert!(nearby_same(&pins, STATION, Category::Lighting).is_empty());
}

#[test]
fn the_box_asked_for_holds_every_pin_nearby_can_find() {
    let (min_lon, min_lat, max_lon, max_lat) = nearby_bbox(STATION);
    // Pins on a fine grid around the station: each one nearby finds lies in the box.
    let mut found = 0;
    for i in -40..=40 {
        for j in -40..=40 {
            let p = public(
                Category::Traffic,
                STATION.lat + f64::from(i) * 0.000_02,
                STATION.lon + f64::from(j) * 0.000_04,
            );
            if !nearby_same(std::slice::from_ref(&p), STATION, Category::Traffic).is_empty() {
                found += 1;
                assert!((min_lon..=max_lon).contains(&p.lon), "{i} {j}");
                assert!((min_lat..=max_lat).contains(&p.lat), "{i} {j}");
            }
        }
    }
    assert!(found > 1000, "{found}");
    // And it is small: about 170 m a side.
    assert!((max_lat - min_lat) * 111_000.0 < 200.0);
}

#[test]
fn the_outbox_keeps_reports_until_delivered_with_backoff() {
    let mut outbox = Outbox::default();
    let pin = filled().to_request(Uuid::new_v4(), STATION, None).unwrap();
    outbox.push(pin.clone(), 1_000.0);
    outbox.push(pin.clone(), 1_000.0);
    assert_eq!(outbox.len(), 1, "one report, however often it is saved");
    assert!(
        outbox.due(1_000.0, false).is_empty(),
        "not before the first backoff"
    );
    assert_eq!(
        outbox.due(1_000.0, true).len(),
        1,
        "coming online forces a try"
    );
    assert_eq!(outbox.due(1_000.0 + backoff_ms(0), false).len(), 1);
    outbox.failed(pin.id, 10_000.0);
    assert!(
        outbox.due(10_000.0 + backoff_ms(0), false).is_empty(),
        "waits longer"
    );
    assert_eq!(outbox.due(10_000.0 + backoff_ms(1), false).len(), 1);
    // It survives a reload.
    let restored = Outbox::from_json(Some(&outbox.to_json()));
    assert_eq!(restored, outbox);
    // The first screen sees that reports wait without reading them.
    assert!(Outbox::stored_has_pending(Some(&outbox.to_json())));
    outbox.delivered(pin.id);
    assert!(!Outbox::stored_has_pending(Some(&outbox.to_json())));
    assert!(!Outbox::stored_has_pending(None));
    assert!(outbox.is_empty());
    assert_eq!(backoff_ms(30), 600_000.0, "capped at ten minutes");
    assert!(Outbox::from_json(Some("garbage")).is_empty());
}

#[test]
fn my_pins_remember_their_delete_token() {
    let mut mine = Mine::default();
    let id = Uuid::new_v4();
    let pin = MyPin {
        id,
        lat: 59.3968,
        lon: 15.841,
        category: Category::Lighting,
        time_of_day: TimeOfDay::Evening,
        date: "2026-11-26".into(),
        delete_token: None,
    };
    mine.upsert(pin.clone());
    mine.acknowledged(id, "secret".into());
    mine.upsert(pin); // a later save without the token keeps it
    assert_eq!(mine.pins.len(), 1);
    assert_eq!(mine.pins[0].delete_token.as_deref(), Some("secret"));
    let restored = Mine::from_json(Some(&mine.to_json()));
    assert_eq!(restored, mine);
    mine.remove(id);
    assert!(mine.pins.is_empty());
}

#[test]
fn reporting_without_the_map_offers_the_kommuns_named_places_once_each() {
    let b = Basemap::from_geojson(include_str!("../public/basemap/arboga.geojson")).unwrap();
    let choices = place_choices(&b);
    let names: Vec<&str> = choices.iter().map(|(n, _)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(names, sorted, "alphabetical, each name once");
    for inside in ["Arboga", "Medåker", "Arboga station", "Sankt Nicolai kyrka"] {
        assert!(names.contains(&inside), "{inside}: {names:?}");
    }
    for outside in ["Köping", "Kungsör", "Hallstahammar"] {
        assert!(!names.contains(&outside), "{outside} is not in the kommun");
    }
    assert!(
        !names.contains(&"Hjälmaren"),
        "lakes are not places to report at"
    );
    // A tätort is offered at its area (not at its label), and every choice lies in the kommun.
    let arboga = b.area("Arboga", Layer::Tatort).unwrap();
    let (_, at) = choices.iter().find(|(n, _)| n == "Arboga").unwrap();
    assert!(arboga.bounds.contains(project(*at)));
    assert!(choices.iter().all(|(_, at)| b.in_kommun(project(*at))));
}

#[test]
fn every_problem_has_its_message_in_both_languages() {
    for lang in [Lang::Sv, Lang::En] {
        let s = lang.strings();
        assert_eq!(s.problem(Problem::CategoryMissing), s.err_category);
        assert_eq!(s.problem(Problem::TimeMissing), s.err_time);
        assert_eq!(s.problem(Problem::CommentTooLong), s.err_comment);
        assert_eq!(s.problem(Problem::PlaceMissing), s.err_place);
    }
}
