//! The filters every staff pin route and export takes, from the query string:
//! `from`, `to` (local dates `YYYY-MM-DD`, both inclusive), `category` and `time_of_day`
//! (repeatable or comma-separated), `area` (a tätort name) or `bbox`, `include_hidden`.

use jiff::civil::Date;
use trygghetskarta_shared::{Category, TimeOfDay};

use crate::error::{ApiResult, AppError};
use crate::named::Named;
use crate::pins::{parse_bbox, BBox};
use crate::places::{self, Area};

/// An `area` filter: a tätort, or a place staff named.
#[derive(Clone)]
pub enum AreaShape {
    Tatort(&'static Area),
    Named(Box<Named>),
}

impl AreaShape {
    pub fn name(&self) -> &str {
        match self {
            AreaShape::Tatort(a) => &a.name,
            AreaShape::Named(n) => &n.name,
        }
    }

    /// As the lägesbild's area counts name it: `tatort` or `named`.
    pub fn kind(&self) -> &'static str {
        match self {
            AreaShape::Tatort(_) => "tatort",
            AreaShape::Named(_) => "named",
        }
    }

    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        match self {
            AreaShape::Tatort(a) => a.bounds(),
            AreaShape::Named(n) => n.bounds,
        }
    }

    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        match self {
            AreaShape::Tatort(a) => a.contains(lat, lon),
            AreaShape::Named(n) => n.contains(lat, lon),
        }
    }
}
use crate::time::local_tz;

#[derive(Clone, Default)]
pub struct PinFilter {
    /// Created at or after (Unix seconds).
    pub from: Option<i64>,
    /// Created before (Unix seconds): the start of the day after `to`.
    pub until: Option<i64>,
    /// Empty: all.
    pub categories: Vec<Category>,
    /// Empty: all.
    pub times: Vec<TimeOfDay>,
    pub area: Option<AreaShape>,
    pub bbox: Option<BBox>,
    pub include_hidden: bool,
}

impl std::fmt::Debug for PinFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinFilter")
            .field("from", &self.from)
            .field("until", &self.until)
            .field("categories", &self.categories)
            .field("times", &self.times)
            .field("area", &self.area.as_ref().map(AreaShape::name))
            .field("bbox", &self.bbox)
            .field("include_hidden", &self.include_hidden)
            .finish()
    }
}

/// The filter keys; routes may accept more (see [`parse`]).
pub const KEYS: [&str; 7] = [
    "from",
    "to",
    "category",
    "time_of_day",
    "area",
    "bbox",
    "include_hidden",
];

fn start_of_day(field: &str, value: &str, days_later: i64) -> ApiResult<i64> {
    let date: Date = value.trim().parse().map_err(|_| {
        AppError::bad_request(Some(field), format!("{field} must be a date YYYY-MM-DD."))
    })?;
    let date = date
        .checked_add(jiff::Span::new().days(days_later))
        .map_err(|_| AppError::bad_request(Some(field), "date out of range"))?;
    let zoned = date
        .to_zoned_datetime(local_tz())
        .map_err(|_| AppError::bad_request(Some(field), "date out of range"))?;
    Ok(zoned.timestamp().as_second())
}

fn parse_bool(field: &str, value: &str) -> ApiResult<bool> {
    match value.trim() {
        "true" | "1" | "yes" | "" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(AppError::bad_request(
            Some(field),
            format!("{field} must be true or false."),
        )),
    }
}

/// Adds the comma-separated codes in `value` to `list` (once each).
fn add_codes<T: PartialEq>(
    list: &mut Vec<T>,
    field: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
) -> ApiResult<()> {
    for code in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let item = parse(code).ok_or_else(|| {
            AppError::bad_request(Some(field), format!("Unknown {field} {code:?}."))
        })?;
        if !list.contains(&item) {
            list.push(item);
        }
    }
    Ok(())
}

/// Parses the query string. `extra` names further keys the route accepts; their values are
/// returned (last one wins). Unknown keys are refused, so a typo never silently exports
/// everything. `area` is a staff-named place (`named`) or a tätort.
pub fn parse(
    query: Option<&str>,
    extra: &[&str],
    named: &[Named],
) -> ApiResult<(PinFilter, Vec<(String, String)>)> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| AppError::bad_request(None, "The query string is malformed."))?;
    let mut f = PinFilter::default();
    let mut rest = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "from" => f.from = Some(start_of_day("from", &value, 0)?),
            "to" => f.until = Some(start_of_day("to", &value, 1)?),
            "category" => add_codes(&mut f.categories, "category", &value, Category::parse)?,
            "time_of_day" => add_codes(&mut f.times, "time_of_day", &value, TimeOfDay::parse)?,
            "area" if !value.trim().is_empty() => {
                let wanted = value.trim().to_lowercase();
                let staff = named.iter().find(|n| n.name.to_lowercase() == wanted);
                f.area = Some(match (staff, places::area_named(&value)) {
                    (Some(n), _) => AreaShape::Named(Box::new(n.clone())),
                    (None, Some(a)) => AreaShape::Tatort(a),
                    (None, None) => {
                        let names: Vec<_> = named
                            .iter()
                            .map(|n| n.name.as_str())
                            .chain(places::areas().iter().map(|a| a.name.as_str()))
                            .collect();
                        return Err(AppError::bad_request(
                            Some("area"),
                            format!("Unknown area {value:?}. Known: {}.", names.join(", ")),
                        ));
                    }
                });
            }
            "area" => {}
            "bbox" => f.bbox = Some(parse_bbox(&value)?),
            "include_hidden" => f.include_hidden = parse_bool("include_hidden", &value)?,
            k if extra.contains(&k) => rest.push((key, value)),
            _ => {
                return Err(AppError::bad_request(
                    Some(&key),
                    format!("Unknown query parameter {key:?}."),
                ))
            }
        }
    }
    if f.area.is_some() && f.bbox.is_some() {
        return Err(AppError::bad_request(
            Some("bbox"),
            "Give area or bbox, not both.",
        ));
    }
    if let (Some(from), Some(until)) = (f.from, f.until) {
        if from >= until {
            return Err(AppError::bad_request(
                Some("to"),
                "to must not be before from.",
            ));
        }
    }
    Ok((f, rest))
}

impl PinFilter {
    /// The box the database narrows by: the bbox, or the area's bounds.
    pub fn query_box(&self) -> Option<(f64, f64, f64, f64)> {
        self.bbox
            .map(|b| (b.min_lon, b.min_lat, b.max_lon, b.max_lat))
            .or_else(|| self.area.as_ref().map(AreaShape::bounds))
    }

    /// What the database cannot decide: whether a pin lies in the area's polygon.
    pub fn keeps_at(&self, lat: f64, lon: f64) -> bool {
        self.area.as_ref().is_none_or(|a| a.contains(lat, lon))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_whole_local_days() {
        let (f, _) = parse(Some("from=2026-07-01&to=2026-07-01"), &[], &[]).unwrap();
        // Midnight in Stockholm summer time is 22:00 UTC the day before.
        assert_eq!(f.from, Some(1_782_856_800)); // 2026-06-30T22:00:00Z
        assert_eq!(f.until, Some(1_782_856_800 + 86_400));
    }

    #[test]
    fn repeated_and_comma_separated_values_combine() {
        let (f, _) = parse(
            Some("category=traffic&category=drugs,traffic&time_of_day=night"),
            &[],
            &[],
        )
        .unwrap();
        assert_eq!(f.categories, vec![Category::Traffic, Category::Drugs]);
        assert_eq!(f.times, vec![TimeOfDay::Night]);
        assert!(!f.include_hidden);
    }

    #[test]
    fn mistakes_are_refused_with_the_field_named() {
        for (q, field) in [
            ("from=yesterday", "from"),
            ("category=noise", "category"),
            ("time_of_day=dawn", "time_of_day"),
            ("area=Köping", "area"),
            ("bbox=1,2", "bbox"),
            ("include_hidden=maybe", "include_hidden"),
            ("catgory=traffic", "catgory"),
            ("from=2026-02-01&to=2026-01-01", "to"),
            ("area=Arboga&bbox=15,59,16,60", "bbox"),
        ] {
            match parse(Some(q), &[], &[]) {
                Err(AppError::BadRequest { field: Some(f), .. }) => assert_eq!(f, field, "{q}"),
                other => panic!("{q}: {other:?}"),
            }
        }
    }

    #[test]
    fn routes_may_take_more_keys() {
        let (_, rest) = parse(Some("radius_m=150&area=arboga"), &["radius_m"], &[]).unwrap();
        assert_eq!(rest, vec![("radius_m".to_owned(), "150".to_owned())]);
    }
}
