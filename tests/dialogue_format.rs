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
