//! Time helpers. Stored times are Unix seconds (UTC); the API shows Europe/Stockholm offsets.

use jiff::tz::TimeZone;
use jiff::Timestamp;

pub const LOCAL_TZ: &str = "Europe/Stockholm";

pub fn now_unix() -> i64 {
    Timestamp::now().as_second()
}

/// The kommun's time zone, from the tz database bundled into the binary.
pub fn local_tz() -> TimeZone {
    TimeZone::get(LOCAL_TZ).expect("Europe/Stockholm is in the bundled tz database")
}

/// Unix seconds -> RFC 3339 in Europe/Stockholm, e.g. `2026-03-29T18:00:00+02:00`.
pub fn to_local_rfc3339(unix: i64) -> Option<String> {
    let ts = Timestamp::from_second(unix).ok()?;
    Some(rfc3339(&ts.to_zoned_datetime(local_tz())))
}

/// A zoned time as RFC 3339 with its offset, e.g. `2026-03-29T18:00:00+02:00`.
pub fn rfc3339(zoned: &jiff::ZonedDateTime) -> String {
    zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Current time as RFC 3339 UTC, for audit columns.
pub fn now_rfc3339_utc() -> String {
    Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Unix seconds -> the Europe/Stockholm calendar date, `YYYY-MM-DD`.
pub fn local_date(unix: i64) -> Option<String> {
    let ts = Timestamp::from_second(unix).ok()?;
    Some(
        ts.to_zoned_datetime(local_tz())
            .strftime("%Y-%m-%d")
            .to_string(),
    )
}

/// Unix seconds -> the local day: days from 1970-01-01 to the date in Europe/Stockholm (what
/// the lägesbild counts by, stored with each pin as `local_day`).
pub fn local_day(unix: i64) -> i64 {
    let epoch = jiff::civil::Date::constant(1970, 1, 1);
    Timestamp::from_second(unix)
        .ok()
        .and_then(|ts| ts.to_zoned_datetime(local_tz()).date().since(epoch).ok())
        .map_or(unix.div_euclid(86_400), |span| i64::from(span.get_days()))
}

/// The first Unix second of a local day (its local midnight).
pub fn local_day_start(day: i64) -> i64 {
    jiff::civil::Date::constant(1970, 1, 1)
        .checked_add(jiff::Span::new().days(day))
        .ok()
        .and_then(|date| date.to_zoned_datetime(local_tz()).ok())
        .map_or(day * 86_400, |z| z.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_offsets_follow_daylight_saving() {
        // 2026-03-29 01:00 UTC is the moment Sweden moves from +01:00 to +02:00.
        let before = 1_774_746_000 - 1; // 2026-03-29T00:59:59Z
        let after = 1_774_746_000;
        assert_eq!(
            to_local_rfc3339(before).unwrap(),
            "2026-03-29T01:59:59+01:00"
        );
        assert_eq!(
            to_local_rfc3339(after).unwrap(),
            "2026-03-29T03:00:00+02:00"
        );
    }

    #[test]
    fn local_days_turn_at_local_midnight() {
        // 2026-07-01 00:00 in Stockholm (summer time) is 2026-06-30T22:00:00Z.
        let midnight = 1_782_856_800;
        let day = local_day(midnight);
        assert_eq!(local_day(midnight - 1), day - 1);
        assert_eq!(local_day_start(day), midnight);
        assert_eq!(local_date(midnight).unwrap(), "2026-07-01");
        // 1970-01-01 00:00 in Stockholm (+01:00) is the first second of day 0.
        assert_eq!(local_day(-3600), 0);
        assert_eq!(local_day(-3601), -1);
        // New Year in winter time, and the autumn night with 25 hours.
        let new_year = 1_798_758_000; // 2027-01-01T00:00:00+01:00
        assert_eq!(local_day_start(local_day(new_year)), new_year);
        let autumn = 1_792_879_200; // 2026-10-25T00:00:00+02:00
        assert_eq!(local_day_start(local_day(autumn) + 1) - autumn, 25 * 3600);
    }
}
