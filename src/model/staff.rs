//! The planner view's state as plain data: the filter form and the query string every staff
//! route and export takes, and how a hotspot is summed up in one line.

use trygghetskarta_shared::{Category, Hotspot, TimeOfDay};

use crate::i18n::Strings;

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

impl FilterForm {
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

/// "Arboga station (12 m)", or "2 km från Medåker": where a hotspot is, by its nearest
/// named place.
pub fn hotspot_place(h: &Hotspot, s: &Strings) -> String {
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

/// "Narkotika 4, Dålig belysning 2 · mest natt": what and when, largest first.
pub fn hotspot_mix(h: &Hotspot, s: &Strings) -> String {
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
