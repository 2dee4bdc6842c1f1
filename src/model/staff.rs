//! The planner view's state as plain data: the filter form and the query string every staff
//! route and export takes, and how a hotspot is summed up in one line.

use trygghetskarta_shared::{Category, Hotspot, TimeOfDay};

use crate::i18n::StaffStrings;

/// The filter form as its inputs hold it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterForm {
    /// `YYYY-MM-DD` or empty.
    pub from: String,
    pub to: String,
    /// Empty: all.
    pub categories: Vec<Category>,
    /// Empty: all.
    pub times: Vec<TimeOfDay>,
    /// A tätort name or empty.
    pub area: String,
    pub include_hidden: bool,
}

/// Percent-encoding for a query value (tätort names have å, ä, ö and spaces).
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The inverse of [`encode`]: `%XX` escapes (UTF-8) and `+` as a space; a broken escape is
/// kept as it is.
pub fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `key=value` pairs of a query string (with or without its `?`), values decoded.
pub fn query_pairs(query: &str) -> impl Iterator<Item = (&str, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k, decode(v)))
}

impl FilterForm {
    /// The form a query string describes: the inverse of [`FilterForm::query`], so a link a
    /// planner sends opens the same selection. Repeated and comma-separated values are taken
    /// as the API takes them; other keys (`sort`, `page`) and unknown codes are left out.
    pub fn from_query(query: &str) -> FilterForm {
        let mut f = FilterForm::default();
        for (key, value) in query_pairs(query) {
            match key {
                "from" => f.from = value,
                "to" => f.to = value,
                "area" => f.area = value,
                "include_hidden" => f.include_hidden = value == "true",
                "category" => {
                    for c in value.split(',').filter_map(Category::parse) {
                        if !f.categories.contains(&c) {
                            f.categories.push(c);
                        }
                    }
                }
                "time_of_day" => {
                    for t in value.split(',').filter_map(TimeOfDay::parse) {
                        if !f.times.contains(&t) {
                            f.times.push(t);
                        }
                    }
                }
                _ => {}
            }
        }
        f.categories
            .sort_by_key(|c| Category::ALL.iter().position(|x| x == c));
        f.times
            .sort_by_key(|t| TimeOfDay::ALL.iter().position(|x| x == t));
        f
    }

    /// The query string (without `?`), in a stable order; empty when nothing is chosen.
    pub fn query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let date = |s: &str| {
            let s = s.trim();
            (s.len() == 10).then(|| s.to_owned())
        };
        if let Some(d) = date(&self.from) {
            parts.push(format!("from={d}"));
        }
        if let Some(d) = date(&self.to) {
            parts.push(format!("to={d}"));
        }
        for c in Category::ALL.iter().filter(|c| self.categories.contains(c)) {
            parts.push(format!("category={}", c.code()));
        }
        for t in TimeOfDay::ALL.iter().filter(|t| self.times.contains(t)) {
            parts.push(format!("time_of_day={}", t.code()));
        }
        if !self.area.trim().is_empty() {
            parts.push(format!("area={}", encode(self.area.trim())));
        }
        if self.include_hidden {
            parts.push("include_hidden=true".into());
        }
        parts.join("&")
    }

    pub fn toggle_category(&mut self, c: Category) {
        toggle(&mut self.categories, c);
    }

    pub fn toggle_time(&mut self, t: TimeOfDay) {
        toggle(&mut self.times, t);
    }
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if let Some(i) = list.iter().position(|x| *x == item) {
        list.remove(i);
    } else {
        list.push(item);
    }
}

/// What a hotspot is called: the server's `place_name` (a place staff named, else the tätort
/// with a direction: "Arboga, norr om Heliga Trefaldighets kyrka"); from a server that does not
/// give one, its nearest bundled place ("Arboga station (12 m)", "2 km från Medåker").
pub fn hotspot_place(h: &Hotspot, s: &StaffStrings) -> String {
    if !h.place_name.trim().is_empty() {
        return h.place_name.clone();
    }
    match (&h.nearest_place, &h.area) {
        (Some(p), _) if p.distance_m < 1000.0 => {
            format!("{} ({} m)", p.name, p.distance_m.round())
        }
        (Some(p), area) => format!(
            "{}{} km {} {}",
            area.as_deref()
                .map(|a| format!("{a}, "))
                .unwrap_or_default(),
            (p.distance_m / 1000.0).round().max(1.0),
            s.from_place,
            p.name
        ),
        (None, Some(a)) => a.clone(),
        (None, None) => format!("{:.5}, {:.5}", h.lat, h.lon),
    }
}

/// `2026-11-26T18:05:00+01:00` → `2026-11-26 18:05` (the API's times are local already).
pub fn minutes(rfc3339: &str) -> String {
    let t = rfc3339.replace('T', " ");
    t.get(..16).unwrap_or(&t).to_owned()
}

/// "Narkotika 4, Dålig belysning 2 · mest natt": what and when, largest first.
pub fn hotspot_mix(h: &Hotspot, s: &StaffStrings) -> String {
    let mut cats = h.by_category.clone();
    cats.sort_by_key(|c| std::cmp::Reverse(c.count));
    let what = cats
        .iter()
        .map(|c| format!("{} {}", s.category(c.key), c.count))
        .collect::<Vec<_>>()
        .join(", ");
    let when = h
        .by_time_of_day
        .iter()
        .max_by_key(|t| t.count)
        .map(|t| format!(" · {} {}", s.mostly, s.time_of_day(t.key).to_lowercase()))
        .unwrap_or_default();
    format!("{what}{when}")
}
