//! Dialogue sessions as the widget shows and edits them: "tisdag 12 maj, kl. 18.00–19.30", the
//! date and time inputs, and the organisers' editor form ([`DialogueForm`]).

use trygghetskarta_shared::{Dialogue, DialogueInput, DialogueKind, DialogueOrganiser};
use uuid::Uuid;

use crate::geo::LonLat;
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

/// Day of the month of the last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> u32 {
    let last_day = if month == 3 || month == 10 { 31 } else { 30 };
    let wd = LocalTime {
        year,
        month,
        day: last_day,
        hour: 0,
        minute: 0,
    }
    .weekday(); // 0 = Monday
    last_day - ((wd as u32 + 1) % 7)
}

/// The UTC offset of Swedish local time (EU rule: summer time from the last Sunday of March,
/// 02:00, to the last Sunday of October, 03:00). In the repeated hour in October the first
/// (summer time) reading is taken; the skipped hour in March counts as summer time.
pub fn stockholm_offset(t: &LocalTime) -> &'static str {
    let key = |month: u32, day: u32, hour: u32| (month, day, hour);
    let now = key(t.month, t.day, t.hour);
    let start = key(3, last_sunday(t.year, 3), 2);
    let end = key(10, last_sunday(t.year, 10), 3);
    if now >= start && now < end {
        "+02:00"
    } else {
        "+01:00"
    }
}

/// `2027-05-11` + `18:00` (Swedish local time, as a date and a time input give them) ->
/// `2027-05-11T18:00:00+02:00`.
pub fn local_to_rfc3339(date: &str, time: &str) -> Option<String> {
    let t = LocalTime::parse(&format!("{}T{}", date.trim(), time.trim()))?;
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:00{}",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        stockholm_offset(&t)
    ))
}

/// The date and time inputs' values for an RFC 3339 time with its (Swedish) offset.
pub fn to_inputs(rfc3339: &str) -> Option<(String, String)> {
    let t = LocalTime::parse(rfc3339)?;
    Some((
        format!("{:04}-{:02}-{:02}", t.year, t.month, t.day),
        format!("{:02}:{:02}", t.hour, t.minute),
    ))
}

/// "Nära dig": within this distance of a place the device has marked.
pub const NEAR_YOU_M: f64 = 1000.0;

/// Whether a session at `at` is near any of `mine`.
pub fn near_any(at: LonLat, mine: &[LonLat]) -> bool {
    mine.iter()
        .any(|m| crate::geo::distance_m(at, *m) <= NEAR_YOU_M)
}

/// Which session the editor is open for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Editing {
    /// No editor.
    #[default]
    Closed,
    /// A session not saved yet.
    New,
    /// A session that exists.
    Existing(Uuid),
}

impl Editing {
    pub fn is_open(self) -> bool {
        self != Editing::Closed
    }

    /// The session to change; `None` creates one.
    pub fn id(self) -> Option<Uuid> {
        match self {
            Editing::Existing(id) => Some(id),
            Editing::Closed | Editing::New => None,
        }
    }
}

/// The dialogue editor's fields as its inputs hold them: text as typed, the date and times as
/// the date and time inputs give them, the place as picked on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct DialogueForm {
    pub title: String,
    pub description: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, Swedish local time.
    pub start: String,
    pub end: String,
    pub place_name: String,
    pub at: Option<LonLat>,
    pub kind: DialogueKind,
    pub organiser: DialogueOrganiser,
    pub online_url: String,
    pub registration_url: String,
}

/// A new session: a meeting held by the kommun, everything else empty.
impl Default for DialogueForm {
    fn default() -> DialogueForm {
        DialogueForm {
            title: String::new(),
            description: String::new(),
            date: String::new(),
            start: String::new(),
            end: String::new(),
            place_name: String::new(),
            at: None,
            kind: DialogueKind::Meeting,
            organiser: DialogueOrganiser::Kommun,
            online_url: String::new(),
            registration_url: String::new(),
        }
    }
}

impl DialogueForm {
    /// The form for changing a session.
    pub fn from_dialogue(d: &Dialogue) -> DialogueForm {
        let (date, start) = to_inputs(&d.starts_at).unwrap_or_default();
        let (_, end) = to_inputs(&d.ends_at).unwrap_or_default();
        DialogueForm {
            title: d.title.clone(),
            description: d.description.clone(),
            date,
            start,
            end,
            place_name: d.place_name.clone(),
            at: Some(LonLat::lat_lon(d.lat, d.lon)),
            kind: d.kind,
            organiser: d.organiser,
            online_url: d.online_url.clone().unwrap_or_default(),
            registration_url: d.registration_url.clone().unwrap_or_default(),
        }
    }

    /// The request, or the first field to fix (its API name: `starts_at`, `ends_at`, `place`).
    /// Everything else the server checks, and its answer names the field.
    pub fn to_input(&self) -> Result<DialogueInput, &'static str> {
        let starts_at = local_to_rfc3339(&self.date, &self.start).ok_or("starts_at")?;
        let ends_at = local_to_rfc3339(&self.date, &self.end).ok_or("ends_at")?;
        let at = self.at.ok_or("place")?;
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(DialogueInput {
            title: self.title.clone(),
            description: self.description.clone(),
            starts_at,
            ends_at,
            place_name: self.place_name.clone(),
            lat: at.lat,
            lon: at.lon,
            kind: self.kind,
            organiser: self.organiser,
            online_url: opt(&self.online_url),
            registration_url: opt(&self.registration_url),
        })
    }
}
