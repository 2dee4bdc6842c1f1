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
}
