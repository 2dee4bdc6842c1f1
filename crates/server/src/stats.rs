//! The lägesbild from grouped counts: weeks or months (local calendar, empty ones included),
//! time of day, weekday, areas (staff-named places, then tätorter), states, answer times per
//! party, and the comparison of two periods. Pure: groups in, `Stats` out.

use jiff::civil::Date;
use trygghetskarta_shared::lagesbild::MIN_FOR_PERCENT;
use trygghetskarta_shared::staff::Count;
use trygghetskarta_shared::{
    AreaCount, Bucket, Category, Change, Comparison, Party, PartyTimes, Period, PinStatus, Stats,
    TimeOfDay,
};

use crate::named::Named;
use crate::places;
use crate::storage::{AnswerGroup, CellGroup, DayGroup};

/// Weeks (Monday first) or calendar months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketSize {
    Week,
    Month,
}

impl BucketSize {
    pub fn parse(s: &str) -> Option<BucketSize> {
        match s {
            "week" => Some(BucketSize::Week),
            "month" => Some(BucketSize::Month),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            BucketSize::Week => "week",
            BucketSize::Month => "month",
        }
    }
}

/// Most buckets in one answer (ten years of months, two of weeks).
pub const MAX_BUCKETS: usize = 120;

fn epoch() -> Date {
    Date::constant(1970, 1, 1)
}

/// The local date of a day number.
pub fn date_of(day: i64) -> Date {
    epoch()
        .checked_add(jiff::Span::new().days(day))
        .unwrap_or(epoch())
}

/// The day number of a local date.
pub fn day_of(date: Date) -> i64 {
    i64::from(date.since(epoch()).map_or(0, |s| s.get_days()))
}

/// Monday = 0.
pub fn weekday(day: i64) -> usize {
    ((day + 3).rem_euclid(7)) as usize
}

/// The first day of the bucket `day` falls in.
pub fn bucket_start(day: i64, size: BucketSize) -> i64 {
    match size {
        BucketSize::Week => day - weekday(day) as i64,
        BucketSize::Month => {
            let d = date_of(day);
            day_of(Date::new(d.year(), d.month(), 1).unwrap_or(d))
        }
    }
}

fn next_bucket(start: i64, size: BucketSize) -> i64 {
    match size {
        BucketSize::Week => start + 7,
        BucketSize::Month => {
            let d = date_of(start);
            let next = if d.month() == 12 {
                Date::new(d.year() + 1, 1, 1)
            } else {
                Date::new(d.year(), d.month() + 1, 1)
            };
            next.map_or(start + 31, day_of)
        }
    }
}

fn median(values: &mut [(f64, u32)]) -> Option<f64> {
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n: u32 = values.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let half = (n - 1) / 2;
    let mut seen = 0;
    for (v, c) in values.iter() {
        seen += c;
        if seen > half {
            return Some((v * 10.0).round() / 10.0);
        }
    }
    None
}

/// Counts per area: staff-named places first, then tätorter, most pins first.
pub fn by_area(cells: &[CellGroup], named: &[Named]) -> Vec<AreaCount> {
    let mut named_counts: Vec<(String, u32)> = named.iter().map(|n| (n.name.clone(), 0)).collect();
    let mut tatort_counts: Vec<(String, u32)> = places::areas()
        .iter()
        .map(|a| (a.name.clone(), 0))
        .collect();
    for c in cells {
        let n = c.count as u32;
        for (i, place) in named.iter().enumerate() {
            if place.contains(c.cell_lat, c.cell_lon) {
                named_counts[i].1 += n;
            }
        }
        if let Some(t) = places::area_at(c.cell_lat, c.cell_lon) {
            if let Some(e) = tatort_counts.iter_mut().find(|(name, _)| name == t) {
                e.1 += n;
            }
        }
    }
    let sorted = |mut v: Vec<(String, u32)>, kind: &str| {
        v.retain(|(_, n)| *n > 0);
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter()
            .map(|(name, count)| AreaCount {
                name,
                kind: kind.to_owned(),
                count,
            })
            .collect::<Vec<_>>()
    };
    let mut out = sorted(named_counts, "named");
    out.extend(sorted(tatort_counts, "tatort"));
    out
}

/// Sets the filter area's own count to the selection's total (every pin of the selection lies
/// in it; the cells [`by_area`] counts by are centred on either side of its edge).
pub fn with_area_total(by_area: &mut Vec<AreaCount>, name: &str, kind: &str, total: u32) {
    by_area.retain(|a| !(a.name == name && a.kind == kind));
    if total > 0 {
        let at = by_area
            .iter()
            .position(|a| {
                (a.kind == kind && (a.count, name) < (total, a.name.as_str()))
                    || (kind == "named" && a.kind != kind)
            })
            .unwrap_or(by_area.len());
        by_area.insert(
            at,
            AreaCount {
                name: name.to_owned(),
                kind: kind.to_owned(),
                count: total,
            },
        );
    }
}

/// The change from `a` to `b`, with a per cent only when both are at least the threshold.
pub fn change(key: String, a: u32, b: u32) -> Change {
    let percent = (a >= MIN_FOR_PERCENT && b >= MIN_FOR_PERCENT)
        .then(|| ((f64::from(b) - f64::from(a)) / f64::from(a) * 1000.0).round() / 10.0);
    Change { key, a, b, percent }
}

/// Everything but the comparison. `range`: the filter's first and last local day, if it has
/// dates.
pub fn stats(
    days: &[DayGroup],
    cells: &[CellGroup],
    answers: &[AnswerGroup],
    named: &[Named],
    size: BucketSize,
    range: (Option<i64>, Option<i64>),
) -> Stats {
    let total: u32 = days.iter().map(|g| g.count as u32).sum();
    let first = range.0.or_else(|| days.iter().map(|g| g.day).min());
    let last = range.1.or_else(|| days.iter().map(|g| g.day).max());
    // One pass over the groups: each falls in the bucket whose start is the last at or before
    // its day.
    let mut starts = Vec::new();
    let mut end = i64::MIN;
    if let (Some(first), Some(last)) = (first, last) {
        let mut start = bucket_start(first, size);
        while start <= last && starts.len() < MAX_BUCKETS {
            starts.push(start);
            start = next_bucket(start, size);
        }
        end = start;
    }
    let mut per_bucket = vec![[0u32; Category::ALL.len()]; starts.len()];
    for g in days {
        if starts.first().is_none_or(|&s| g.day < s) || g.day >= end {
            continue;
        }
        let i = starts.partition_point(|&s| s <= g.day) - 1;
        if let Some(c) = Category::ALL.iter().position(|c| c.code() == g.category) {
            per_bucket[i][c] += g.count as u32;
        }
    }
    let buckets: Vec<Bucket> = starts
        .iter()
        .zip(&per_bucket)
        .map(|(start, counts)| {
            let by_category: Vec<Count<Category>> = Category::ALL
                .into_iter()
                .zip(counts)
                .map(|(key, &count)| Count { key, count })
                .collect();
            Bucket {
                start: date_of(*start).to_string(),
                total: counts.iter().sum(),
                by_category,
            }
        })
        .collect();
    let count_where = |pred: &dyn Fn(&DayGroup) -> bool| -> u32 {
        days.iter()
            .filter(|g| pred(g))
            .map(|g| g.count as u32)
            .sum()
    };
    let mut by_weekday = vec![0u32; 7];
    for g in days {
        by_weekday[weekday(g.day)] += g.count as u32;
    }
    let mut all_answer: Vec<(f64, u32)> = Vec::new();
    let mut all_done: Vec<(f64, u32)> = Vec::new();
    let mut by_party = Vec::new();
    for party in Party::ALL {
        let mine: Vec<&AnswerGroup> = answers
            .iter()
            .filter(|a| a.party.as_deref() == Some(party.code()))
            .collect();
        let answered: u32 = mine.iter().map(|a| a.count as u32).sum();
        if answered == 0 {
            continue;
        }
        let mut to_answer: Vec<(f64, u32)> = mine
            .iter()
            .map(|a| (a.answer_hours as f64 / 24.0, a.count as u32))
            .collect();
        let mut to_done: Vec<(f64, u32)> = mine
            .iter()
            .filter_map(|a| a.done_hours.map(|h| (h as f64 / 24.0, a.count as u32)))
            .collect();
        by_party.push(PartyTimes {
            party: *party,
            answered,
            median_days_to_answer: median(&mut to_answer),
            median_days_to_done: median(&mut to_done),
        });
    }
    for a in answers {
        all_answer.push((a.answer_hours as f64 / 24.0, a.count as u32));
        if let Some(h) = a.done_hours {
            all_done.push((h as f64 / 24.0, a.count as u32));
        }
    }
    Stats {
        total,
        from: first.map(|d| date_of(d).to_string()),
        to: last.map(|d| date_of(d).to_string()),
        bucket: size.code().to_owned(),
        buckets,
        by_category: Category::ALL
            .into_iter()
            .map(|c| Count {
                key: c,
                count: count_where(&|g| g.category == c.code()),
            })
            .collect(),
        by_time_of_day: TimeOfDay::ALL
            .into_iter()
            .map(|t| Count {
                key: t,
                count: count_where(&|g| g.time_of_day == t.code()),
            })
            .collect(),
        by_weekday,
        by_area: by_area(cells, named),
        agree_total: days.iter().map(|g| g.agrees as u32).sum(),
        by_status: PinStatus::ALL
            .iter()
            .map(|s| Count {
                key: *s,
                count: count_where(&|g| g.status == s.code()),
            })
            .collect(),
        answered: answers.iter().map(|a| a.count as u32).sum(),
        median_days_to_answer: median(&mut all_answer),
        median_days_to_done: median(&mut all_done),
        by_party,
        comparison: None,
    }
}

/// Two periods' stats side by side.
pub fn compare(
    a: &Stats,
    b: &Stats,
    a_range: (String, String),
    b_range: (String, String),
) -> Comparison {
    let by_category = Category::ALL
        .into_iter()
        .map(|c| {
            let of = |s: &Stats| {
                s.by_category
                    .iter()
                    .find(|x| x.key == c)
                    .map_or(0, |x| x.count)
            };
            change(c.code().to_owned(), of(a), of(b))
        })
        .collect();
    let mut names: Vec<&str> = a
        .by_area
        .iter()
        .chain(&b.by_area)
        .map(|x| x.name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut by_area: Vec<Change> = names
        .into_iter()
        .map(|name| {
            let of = |s: &Stats| {
                s.by_area
                    .iter()
                    .find(|x| x.name == name)
                    .map_or(0, |x| x.count)
            };
            change(name.to_owned(), of(a), of(b))
        })
        .collect();
    by_area.sort_by(|x, y| (y.a + y.b).cmp(&(x.a + x.b)).then(x.key.cmp(&y.key)));
    Comparison {
        a: Period {
            from: a_range.0,
            to: a_range.1,
            total: a.total,
        },
        b: Period {
            from: b_range.0,
            to: b_range.1,
            total: b.total,
        },
        total: change("total".to_owned(), a.total, b.total),
        by_category,
        by_area,
        min_for_percent: MIN_FOR_PERCENT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_area_counts_the_whole_selection_in_its_place_in_the_order() {
        let count = |name: &str, kind: &str, count| AreaCount {
            name: name.into(),
            kind: kind.into(),
            count,
        };
        let mut areas = vec![
            count("Gröna gången", "named", 3),
            count("Arboga", "tatort", 9),
            count("Kolsva", "tatort", 1),
        ];
        with_area_total(&mut areas, "Stationsområdet", "named", 5);
        with_area_total(&mut areas, "Arboga", "tatort", 5);
        assert_eq!(
            areas,
            vec![
                count("Stationsområdet", "named", 5),
                count("Gröna gången", "named", 3),
                count("Arboga", "tatort", 5),
                count("Kolsva", "tatort", 1),
            ]
        );
        with_area_total(&mut areas, "Kolsva", "tatort", 0);
        assert_eq!(areas.len(), 3);
    }

    fn d(y: i16, m: i8, day: i8) -> i64 {
        day_of(Date::new(y, m, day).unwrap())
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2026-12-31 is a Thursday; its week starts Monday 2026-12-28 and crosses the year.
        assert_eq!(weekday(d(2026, 12, 31)), 3);
        assert_eq!(
            date_of(bucket_start(d(2026, 12, 31), BucketSize::Week)).to_string(),
            "2026-12-28"
        );
        assert_eq!(
            date_of(next_bucket(d(2026, 12, 28), BucketSize::Week)).to_string(),
            "2027-01-04"
        );
        assert_eq!(
            date_of(bucket_start(d(2027, 2, 28), BucketSize::Month)).to_string(),
            "2027-02-01"
        );
        assert_eq!(
            date_of(next_bucket(d(2026, 12, 1), BucketSize::Month)).to_string(),
            "2027-01-01"
        );
    }

    #[test]
    fn per_cent_only_when_both_counts_are_large_enough() {
        assert_eq!(change("x".into(), 12, 31).percent, Some(158.3));
        assert_eq!(change("x".into(), 2, 4).percent, None);
        assert_eq!(change("x".into(), 10, 0).percent, None);
        assert_eq!(change("x".into(), 20, 10).percent, Some(-50.0));
    }

    #[test]
    fn medians_weigh_their_counts() {
        assert_eq!(median(&mut [(1.0, 1), (2.0, 1), (9.0, 1)]), Some(2.0));
        assert_eq!(median(&mut [(1.0, 5), (9.0, 1)]), Some(1.0));
        assert_eq!(median(&mut []), None);
    }
}
