//! Swedish and English dates for dialogue sessions.

use trygghetskarta::i18n::Lang;
use trygghetskarta::model::dialogue::{format_when, LocalTime};

#[test]
fn swedish_dates_read_like_the_kommun_writes_them() {
    // 2026-05-12 is a Tuesday.
    assert_eq!(
        format_when(
            "2026-05-12T18:00:00+02:00",
            "2026-05-12T19:30:00+02:00",
            Lang::Sv
        )
        .unwrap(),
        "tisdag 12 maj, kl. 18.00–19.30"
    );
    assert_eq!(
        format_when(
            "2026-05-12T18:00:00+02:00",
            "2026-05-12T19:30:00+02:00",
            Lang::En
        )
        .unwrap(),
        "Tuesday 12 May, 18:00–19:30"
    );
}

#[test]
fn sessions_over_midnight_name_both_days() {
    assert_eq!(
        format_when(
            "2026-12-31T22:00:00+01:00",
            "2027-01-01T01:00:00+01:00",
            Lang::Sv
        )
        .unwrap(),
        "torsdag 31 december, kl. 22.00 – fredag 1 januari, kl. 01.00"
    );
}

#[test]
fn weekdays_are_right_across_years_and_leap_days() {
    let wd = |s: &str| LocalTime::parse(s).unwrap().weekday();
    assert_eq!(wd("1970-01-01T00:00:00Z"), 3); // Thursday
    assert_eq!(wd("2024-02-29T12:00:00+01:00"), 3); // Thursday
    assert_eq!(wd("2026-11-26T19:00:00+01:00"), 3); // Thursday
    assert_eq!(wd("2026-03-29T03:00:00+02:00"), 6); // Sunday (DST starts)
}

#[test]
fn malformed_times_give_none() {
    assert_eq!(LocalTime::parse("yesterday"), None);
    assert_eq!(LocalTime::parse("2026-13-01T10:00:00Z"), None);
    assert_eq!(format_when("2026-05-12T18:00", "garbage", Lang::Sv), None);
}

mod local_time {
    use trygghetskarta::model::dialogue::{local_to_rfc3339, to_inputs};

    #[test]
    fn swedish_local_times_get_the_right_offset_around_daylight_saving() {
        let at = |d, t| local_to_rfc3339(d, t).unwrap();
        assert_eq!(at("2027-03-27", "10:00"), "2027-03-27T10:00:00+01:00");
        assert_eq!(at("2027-03-28", "01:59"), "2027-03-28T01:59:00+01:00");
        assert_eq!(at("2027-03-28", "03:00"), "2027-03-28T03:00:00+02:00");
        assert_eq!(at("2027-05-11", "18:00"), "2027-05-11T18:00:00+02:00");
        assert_eq!(at("2027-10-31", "01:30"), "2027-10-31T01:30:00+02:00");
        assert_eq!(at("2027-10-31", "03:00"), "2027-10-31T03:00:00+01:00");
        assert_eq!(at("2026-12-24", "15:00"), "2026-12-24T15:00:00+01:00");
        // 2026: DST from 29 March to 25 October.
        assert_eq!(at("2026-03-29", "12:00"), "2026-03-29T12:00:00+02:00");
        assert_eq!(at("2026-10-25", "12:00"), "2026-10-25T12:00:00+01:00");
        assert_eq!(local_to_rfc3339("2027-13-01", "10:00"), None);
        assert_eq!(local_to_rfc3339("", "10:00"), None);
    }

    #[test]
    fn inputs_round_trip() {
        assert_eq!(
            to_inputs("2027-05-11T18:30:00+02:00"),
            Some(("2027-05-11".into(), "18:30".into()))
        );
    }
}

#[test]
fn sessions_within_a_kilometre_of_my_pins_are_near() {
    use trygghetskarta::geo::LonLat;
    use trygghetskarta::model::dialogue::near_any;
    let torget = LonLat::lat_lon(59.3940, 15.8420);
    let station = LonLat::lat_lon(59.3968, 15.8410); // ~320 m away
    let medaker = LonLat::lat_lon(59.4554, 15.7403); // ~9 km away
    assert!(near_any(torget, &[medaker, station]));
    assert!(!near_any(torget, &[medaker]));
    assert!(!near_any(torget, &[]));
}
