//! The Lägesbild's logic as plain Rust: calendar arithmetic for the comparison presets, bucket
//! labels, the series a chart draws, the text summaries written from the numbers, and the
//! named-place form's checks.
//!
//! ## How the summaries are worded
//! - A chart's summary names its largest value and the total: "Mest kväll (12 av 40)". Ties
//!   go to the first in the API's order (categories in `Category::ALL`, Monday first). With no
//!   pins it says so and nothing else.
//! - A comparison's summary names the category whose count changed most (in pins, not per
//!   cent, so 2 → 4 does not beat 40 → 60), with "ökade"/"minskade"/"oförändrat" and both
//!   counts; the per cent follows only when the API gives it (both periods at least
//!   `min_for_percent`). Then ", runt {area}" for the place staff named that grew most, else
//!   the tätort that did (left out when none grew). No time of day: the stats beside a
//!   comparison are the earlier period's.
//! - Numbers are always counts of pins ("markeringar"); dates are `YYYY-MM-DD` as the filters.

use trygghetskarta_shared::lagesbild::{Change, Comparison, Stats};
use trygghetskarta_shared::{Category, PinStatus};

use crate::i18n::StaffStrings;

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// `YYYY-MM-DD`, or `None` for anything else (or a day that does not exist).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        // ASCII first: slicing by byte would panic inside a multi-byte character.
        if !s.is_ascii() || s.len() != 10 || &s[4..5] != "-" || &s[7..8] != "-" {
            return None;
        }
        let y = s[0..4].parse().ok()?;
        let m = s[5..7].parse().ok()?;
        let d = s[8..10].parse().ok()?;
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some(Date { y, m, d })
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let y = if self.m <= 2 { self.y - 1 } else { self.y } as i64;
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.m as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400) as i32 + i32::from(m <= 2);
        Date { y, m, d }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// The same day `n` months later (or earlier), the month's last day when it is shorter.
    pub fn add_months(self, n: i32) -> Date {
        let total = self.y * 12 + self.m as i32 - 1 + n;
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        Date {
            y,
            m,
            d: self.d.min(days_in_month(y, m)),
        }
    }

    /// 0 = Monday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        (self.days() + 3).rem_euclid(7) as u32
    }

    /// The ISO 8601 week number.
    pub fn iso_week(self) -> u32 {
        let thursday = self.add_days(3 - self.weekday() as i64);
        let jan1 = Date {
            y: thursday.y,
            m: 1,
            d: 1,
        };
        ((thursday.days() - jan1.days()) / 7 + 1) as u32
    }

    /// The first day of the date's quarter.
    pub fn quarter_start(self) -> Date {
        Date {
            y: self.y,
            m: (self.m - 1) / 3 * 3 + 1,
            d: 1,
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// Two periods, dates inclusive; `a` is the earlier one, the "before".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Periods {
    pub a: (Date, Date),
    pub b: (Date, Date),
}

/// The 3 (`months`) months before `date` and the same length from `date` on.
pub fn around(date: Date, months: i32) -> Periods {
    Periods {
        a: (date.add_months(-months), date.add_days(-1)),
        b: (date, date.add_months(months).add_days(-1)),
    }
}

/// The quarter `today` is in, up to today, against the same days of that quarter a year before
/// (a part quarter against a whole one would nearly always read as a fall).
pub fn quarter_vs_last_year(today: Date) -> Periods {
    let start = today.quarter_start();
    let end = start.add_months(3).add_days(-1).min(today);
    Periods {
        a: (start.add_months(-12), end.add_months(-12)),
        b: (start, end),
    }
}

/// "Sedan förra mötet": from `since` to `today`, against the same number of days just before.
pub fn since_and_before(since: Date, today: Date) -> Periods {
    let len = (today.days() - since.days()).max(0) + 1;
    Periods {
        a: (since.add_days(-len), since.add_days(-1)),
        b: (since, today),
    }
}

/// What the compare form holds: four date inputs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompareForm {
    pub a_from: String,
    pub a_to: String,
    pub b_from: String,
    pub b_to: String,
}

/// Why a compare form cannot be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareProblem {
    /// A date is missing or not `YYYY-MM-DD`.
    Date,
    /// A period ends before it starts.
    Order,
}

impl CompareForm {
    pub fn from_periods(p: &Periods) -> CompareForm {
        CompareForm {
            a_from: p.a.0.to_string(),
            a_to: p.a.1.to_string(),
            b_from: p.b.0.to_string(),
            b_to: p.b.1.to_string(),
        }
    }

    pub fn periods(&self) -> Result<Periods, CompareProblem> {
        let d = |s: &str| Date::parse(s).ok_or(CompareProblem::Date);
        let p = Periods {
            a: (d(&self.a_from)?, d(&self.a_to)?),
            b: (d(&self.b_from)?, d(&self.b_to)?),
        };
        if p.a.0 > p.a.1 || p.b.0 > p.b.1 {
            return Err(CompareProblem::Order);
        }
        Ok(p)
    }
}

/// The stats query for two periods: the selection's other filters, its dates replaced by
/// period `a`, and `b` as the comparison.
pub fn compare_query(selection_query: &str, p: &Periods, bucket: &str) -> String {
    let mut parts: Vec<String> = selection_query
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("from=") && !kv.starts_with("to="))
        .map(str::to_owned)
        .collect();
    parts.insert(0, format!("to={}", p.a.1));
    parts.insert(0, format!("from={}", p.a.0));
    parts.push(format!("bucket={bucket}"));
    parts.push(format!("compare_from={}", p.b.0));
    parts.push(format!("compare_to={}", p.b.1));
    parts.join("&")
}

/// Puts named values into a template: `{name}` → value.
pub fn fill_with(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// A bucket's label: "v. 37" for a week, "sep 2026" for a month.
pub fn bucket_label(start: &str, bucket: &str, s: &StaffStrings) -> String {
    let Some(d) = Date::parse(start) else {
        return start.to_owned();
    };
    if bucket == "month" {
        format!("{} {}", s.lb_months[(d.m - 1) as usize], d.y)
    } else {
        crate::i18n::fill(s.lb_week_short, d.iso_week())
    }
}

/// The per-category series of the buckets (`series[c][b]`), only the categories that have pins,
/// with their categories.
pub fn category_series(stats: &Stats) -> (Vec<Category>, Vec<Vec<u32>>) {
    let mut cats = Vec::new();
    let mut series = Vec::new();
    for (i, c) in Category::ALL.iter().enumerate() {
        let values: Vec<u32> = stats
            .buckets
            .iter()
            .map(|b| {
                b.by_category
                    .iter()
                    .find(|x| x.key == *c)
                    .or_else(|| b.by_category.get(i).filter(|x| x.key == *c))
                    .map_or(0, |x| x.count)
            })
            .collect();
        if values.iter().any(|v| *v > 0) {
            cats.push(*c);
            series.push(values);
        }
    }
    (cats, series)
}

/// The index of the largest value (the first on a tie), `None` when all are 0.
pub fn top(values: &[u32]) -> Option<usize> {
    let max = values.iter().copied().max().filter(|m| *m > 0)?;
    values.iter().position(|v| *v == max)
}

/// "Mest kväll (12 av 40)." for a distribution; "Inga markeringar i urvalet." when empty.
/// `lower` for labels that are common nouns inside a sentence (times of day, categories), not
/// for names (areas) or labels that carry their own case (weekdays).
pub fn distribution_summary(
    labels: &[String],
    values: &[u32],
    s: &StaffStrings,
    lower: bool,
) -> String {
    let total: u32 = values.iter().sum();
    match top(values) {
        None => s.lb_no_data.to_owned(),
        Some(i) => fill_with(
            s.lb_sum_most,
            &[
                (
                    "what",
                    if lower {
                        labels[i].to_lowercase()
                    } else {
                        labels[i].clone()
                    },
                ),
                ("n", values[i].to_string()),
                ("total", total.to_string()),
            ],
        ),
    }
}

/// The summary of the pins-over-time chart: total, period, the busiest bucket, the most common
/// category.
pub fn buckets_summary(stats: &Stats, s: &StaffStrings) -> String {
    if stats.total == 0 {
        return s.lb_no_data.to_owned();
    }
    let totals: Vec<u32> = stats.buckets.iter().map(|b| b.total).collect();
    let mut out = fill_with(
        s.lb_sum_total,
        &[
            ("n", stats.total.to_string()),
            ("from", stats.from.clone().unwrap_or_default()),
            ("to", stats.to.clone().unwrap_or_default()),
        ],
    );
    if let Some(i) = top(&totals) {
        out.push(' ');
        out.push_str(&fill_with(
            s.lb_sum_busiest,
            &[
                (
                    "period",
                    bucket_label(&stats.buckets[i].start, &stats.bucket, s),
                ),
                ("n", totals[i].to_string()),
            ],
        ));
    }
    let cats: Vec<u32> = stats.by_category.iter().map(|c| c.count).collect();
    if let Some(i) = top(&cats) {
        out.push(' ');
        out.push_str(&fill_with(
            s.lb_sum_category,
            &[
                ("what", s.category(stats.by_category[i].key).to_owned()),
                ("n", cats[i].to_string()),
            ],
        ));
    }
    out
}

/// "+158 %", "−20 %", "±0 %".
pub fn percent_text(p: f64) -> String {
    let r = p.round() as i64;
    match r.cmp(&0) {
        std::cmp::Ordering::Greater => format!("+{r} %"),
        std::cmp::Ordering::Less => format!("\u{2212}{} %", -r),
        std::cmp::Ordering::Equal => "±0 %".to_owned(),
    }
}

/// "ökade från 12 till 31 markeringar (+158 %)" for one change, with its subject.
pub fn change_sentence(what: &str, c: &Change, s: &StaffStrings) -> String {
    let template = match c.b.cmp(&c.a) {
        std::cmp::Ordering::Greater => s.lb_change_up,
        std::cmp::Ordering::Less => s.lb_change_down,
        std::cmp::Ordering::Equal => s.lb_change_same,
    };
    // The noun follows the number before it: the later count, or the one count if unchanged.
    let pins = if c.b == 1 {
        s.lb_pin_one
    } else {
        s.lb_pin_many
    };
    let mut out = fill_with(
        template,
        &[
            ("what", what.to_owned()),
            ("a", c.a.to_string()),
            ("b", c.b.to_string()),
            ("pins", pins.to_owned()),
        ],
    );
    if let (Some(p), true) = (c.percent, c.a != c.b) {
        out.push_str(&format!(" ({})", percent_text(p)));
    }
    out
}

/// The comparison's one-sentence summary (see the module's wording rules).
pub fn comparison_summary(stats: &Stats, cmp: &Comparison, s: &StaffStrings) -> String {
    if cmp.total.a == 0 && cmp.total.b == 0 {
        return s.lb_no_data.to_owned();
    }
    let biggest = cmp
        .by_category
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (c.a.abs_diff(c.b), std::cmp::Reverse(*i)))
        .map(|(_, c)| c);
    let mut out = match biggest {
        Some(c) if c.a != c.b => {
            let what = Category::parse(&c.key).map_or(c.key.clone(), |k| s.category(k).into());
            change_sentence(&what, c, s)
        }
        _ => change_sentence(s.lb_all_pins, &cmp.total, s),
    };
    // No "mest kväll" here: `stats` covers the earlier period (`compare_query` puts period 1
    // in the selection's dates), so its most common time of day would describe the time before
    // the change. Around: the place staff named that grew most, else the tätort (a tätort holds its named
    // places and would nearly always win); ties to the first in the API's order.
    let is_tatort = |key: &str| {
        stats
            .by_area
            .iter()
            .any(|a| a.name == key && a.kind == "tatort")
    };
    let most_growth = |named: bool| {
        cmp.by_area
            .iter()
            .enumerate()
            .filter(|(_, c)| c.b > c.a && is_tatort(&c.key) != named)
            .max_by_key(|(i, c)| (c.b - c.a, std::cmp::Reverse(*i)))
            .map(|(_, c)| c)
    };
    let grew = most_growth(true).or_else(|| most_growth(false));
    if let Some(area) = grew {
        out.push_str(&fill_with(s.lb_sum_around, &[("area", area.key.clone())]));
    }
    out.push('.');
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// What grew from the period before to the newer one: changes whose newer count is larger,
/// most growth first. `newer_is_a` when the comparison's `a` is the newer period (as for
/// "Sedan förra mötet", where the selection is the new period).
pub fn grew(changes: &[Change], newer_is_a: bool) -> Vec<(String, u32, u32)> {
    let mut out: Vec<(String, u32, u32)> = changes
        .iter()
        .map(|c| {
            let (before, after) = if newer_is_a { (c.b, c.a) } else { (c.a, c.b) };
            (c.key.clone(), before, after)
        })
        .filter(|(_, before, after)| after > before)
        .collect();
    out.sort_by_key(|(_, before, after)| std::cmp::Reverse(after - before));
    out
}

/// Pins still "Mottagen" (not answered) in the stats.
pub fn unanswered(stats: &Stats) -> u32 {
    stats
        .by_status
        .iter()
        .filter(|c| c.key == PinStatus::Received)
        .map(|c| c.count)
        .sum()
}

/// "2,5" / "2.5" days, one decimal; "–" when there is no median.
pub fn days_text(days: Option<f64>, s: &StaffStrings) -> String {
    match days {
        None => "–".to_owned(),
        Some(d) => {
            let t = format!("{d:.1}");
            if s.decimal_comma {
                t.replace('.', ",")
            } else {
                t
            }
        }
    }
}

/// A named place being created: a circle (centre + radius) or a polygon (its corners).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaceForm {
    pub name: String,
    /// `(lon, lat)`.
    pub centre: Option<(f64, f64)>,
    pub radius_m: String,
    /// `(lon, lat)` corners; a polygon when non-empty.
    pub corners: Vec<(f64, f64)>,
}

/// Why a named place cannot be saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceProblem {
    Name,
    Centre,
    Radius,
    Corners,
}

pub const MAX_PLACE_NAME_CHARS: usize = 80;

impl PlaceForm {
    /// The request body, or the first problem.
    pub fn input(&self) -> Result<trygghetskarta_shared::NamedPlaceInput, PlaceProblem> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_PLACE_NAME_CHARS {
            return Err(PlaceProblem::Name);
        }
        if !self.corners.is_empty() {
            if self.corners.len() < 3 {
                return Err(PlaceProblem::Corners);
            }
            let n = self.corners.len() as f64;
            let lon = self.corners.iter().map(|c| c.0).sum::<f64>() / n;
            let lat = self.corners.iter().map(|c| c.1).sum::<f64>() / n;
            let mut ring: Vec<[f64; 2]> = self.corners.iter().map(|c| [c.0, c.1]).collect();
            ring.push(ring[0]);
            return Ok(trygghetskarta_shared::NamedPlaceInput {
                name: name.to_owned(),
                lat,
                lon,
                radius_m: None,
                polygon: Some(ring),
            });
        }
        let (lon, lat) = self.centre.ok_or(PlaceProblem::Centre)?;
        let r: f64 = self
            .radius_m
            .trim()
            .parse()
            .map_err(|_| PlaceProblem::Radius)?;
        if !(10.0..=5000.0).contains(&r) {
            return Err(PlaceProblem::Radius);
        }
        Ok(trygghetskarta_shared::NamedPlaceInput {
            name: name.to_owned(),
            lat,
            lon,
            radius_m: Some(r),
            polygon: None,
        })
    }
}

/// The selection in words for the printed report: "Narkotika, Trafik och hastighet · Kväll ·
/// Arboga", or "alla markeringar" when nothing is chosen.
pub fn selection_text(form: &crate::model::staff::FilterForm, s: &StaffStrings) -> String {
    let mut parts = Vec::new();
    if !form.categories.is_empty() {
        let names: Vec<&str> = form.categories.iter().map(|c| s.category(*c)).collect();
        parts.push(names.join(", "));
    }
    if !form.times.is_empty() {
        let names: Vec<&str> = form.times.iter().map(|t| s.time_of_day(*t)).collect();
        parts.push(names.join(", "));
    }
    if !form.area.trim().is_empty() {
        parts.push(form.area.trim().to_owned());
    }
    if parts.is_empty() {
        s.lb_report_everything.to_owned()
    } else {
        parts.join(" · ")
    }
}

/// Fits world points (Web Mercator, y down) into a `width` × `height` drawing with a margin,
/// the same scale on both axes; returns the transform `(scale, dx, dy)` so that a point is
/// drawn at `(x * scale + dx, y * scale + dy)`. One point (or none) is centred at scale 1.
pub fn fit(points: &[(f64, f64)], width: f64, height: f64, margin: f64) -> (f64, f64, f64) {
    if points.is_empty() {
        return (1.0, width / 2.0, height / 2.0);
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in points {
        x0 = x0.min(*x);
        y0 = y0.min(*y);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    let (w, h) = (x1 - x0, y1 - y0);
    let scale = if w <= 0.0 && h <= 0.0 {
        1.0
    } else {
        ((width - 2.0 * margin) / w.max(1e-12)).min((height - 2.0 * margin) / h.max(1e-12))
    };
    let dx = width / 2.0 - (x0 + x1) / 2.0 * scale;
    let dy = height / 2.0 - (y0 + y1) / 2.0 * scale;
    (scale, dx, dy)
}
