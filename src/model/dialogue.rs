//! Dialogue formatting: "tisdag 12 maj, kl. 18.00–19.30".

use crate::i18n::{Lang, Strings};

/// The local date and time parts of an RFC 3339 timestamp, as written (its own offset).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl LocalTime {
    /// Reads `YYYY-MM-DDTHH:MM...` from an RFC 3339 string. The server sends Europe/Stockholm
    /// offsets, so the digits are already local time.
    pub fn parse(s: &str) -> Option<LocalTime> {
        let b = s.as_bytes();
        if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
        let t = LocalTime {
            year: s.get(0..4)?.parse().ok()?,
            month: num(5..7)?,
            day: num(8..10)?,
            hour: num(11..13)?,
            minute: num(14..16)?,
        };
        ((1..=12).contains(&t.month) && (1..=31).contains(&t.day) && t.hour < 24 && t.minute < 60)
            .then_some(t)
    }

    /// 0 = Monday .. 6 = Sunday (proleptic Gregorian).
    pub fn weekday(&self) -> usize {
        // Days since 1970-01-01 (a Thursday), after Howard Hinnant's days_from_civil.
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        (days + 3).rem_euclid(7) as usize
    }

    fn clock(&self, lang: Lang) -> String {
        match lang {
            Lang::Sv => format!("{:02}.{:02}", self.hour, self.minute),
            Lang::En => format!("{:02}:{:02}", self.hour, self.minute),
        }
    }

    fn date(&self, s: &Strings, lang: Lang) -> String {
        let weekday = s.weekdays[self.weekday()];
        let month = s.months[self.month as usize - 1];
        match lang {
            Lang::Sv => format!("{weekday} {} {month}", self.day),
            Lang::En => format!("{weekday} {} {month}", self.day),
        }
    }
}

/// "tisdag 12 maj, kl. 18.00–19.30"; a session over midnight names both days.
pub fn format_when(starts_at: &str, ends_at: &str, lang: Lang) -> Option<String> {
    let (a, b) = (LocalTime::parse(starts_at)?, LocalTime::parse(ends_at)?);
    let s = lang.strings();
    let same_day = (a.year, a.month, a.day) == (b.year, b.month, b.day);
    Some(if same_day {
        format!(
            "{}, {}{}–{}",
            a.date(s, lang),
            s.clock_prefix,
            a.clock(lang),
            b.clock(lang)
        )
    } else {
        format!(
            "{}, {}{} – {}, {}{}",
            a.date(s, lang),
            s.clock_prefix,
            a.clock(lang),
            b.date(s, lang),
            s.clock_prefix,
            b.clock(lang)
        )
    })
}
