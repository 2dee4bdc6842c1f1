//! The Lägesbild's pure parts: chart geometry (`model::chart`), calendar presets, text summaries
//! and the named-place form (`model::lagesbild`).

use trygghetskarta::i18n::Lang;
use trygghetskarta::model::chart::{bar_chart, share_of_max, Frame, Layout, Scale};
use trygghetskarta::model::lagesbild::{
    around, bucket_label, buckets_summary, category_series, compare_query, comparison_summary,
    distribution_summary, grew, percent_text, quarter_vs_last_year, since_and_before, unanswered,
    CompareForm, CompareProblem, Date, PlaceForm, PlaceProblem,
};
use trygghetskarta_shared::followup::PinStatus;
use trygghetskarta_shared::lagesbild::{AreaCount, Bucket, Change, Comparison, Period, Stats};
use trygghetskarta_shared::staff::Count;
use trygghetskarta_shared::{Category, TimeOfDay};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

// --- chart geometry ---------------------------------------------------------------------------

#[test]
fn scales_end_on_a_round_number_above_the_largest_value() {
    assert_eq!(Scale::for_max(0), Scale { top: 1, step: 1 });
    assert_eq!(Scale::for_max(1), Scale { top: 1, step: 1 });
    assert_eq!(Scale::for_max(3), Scale { top: 3, step: 1 });
    assert_eq!(Scale::for_max(7), Scale { top: 8, step: 2 });
    assert_eq!(Scale::for_max(31), Scale { top: 40, step: 10 });
    assert_eq!(Scale::for_max(100), Scale { top: 100, step: 50 });
    assert_eq!(
        Scale::for_max(1234),
        Scale {
            top: 1500,
            step: 500
        }
    );
    assert_eq!(Scale::for_max(31).ticks(), vec![0, 10, 20, 30, 40]);
    for max in 1..500 {
        let s = Scale::for_max(max);
        assert!(s.top >= max, "{max}");
        assert!(s.ticks().len() <= 6, "{max}: {:?}", s.ticks());
        assert_eq!(s.top % s.step, 0);
    }
}

fn labels(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("b{i}")).collect()
}

#[test]
fn stacked_bars_sum_to_the_bucket_total_and_sit_on_the_baseline() {
    let series = vec![vec![3, 0, 5], vec![4, 2, 0], vec![1, 1, 1]];
    let c = bar_chart(&labels(3), &series, Layout::Stacked, Frame::DEFAULT);
    let base = Frame::DEFAULT.y(0.0, c.scale.top);
    assert_eq!(c.scale.top, 8);
    for b in 0..3 {
        let segs: Vec<_> = c.rects.iter().filter(|r| r.bucket == b).collect();
        let sum: u32 = segs.iter().map(|r| r.value).sum();
        assert_eq!(sum, series.iter().map(|s| s[b]).sum::<u32>());
        // The heights add up to the total's height, the lowest segment starts at the baseline.
        let h: f64 = segs.iter().map(|r| r.h).sum();
        let want = base - Frame::DEFAULT.y(sum as f64, c.scale.top);
        assert!((h - want).abs() < 1e-9);
        let lowest = segs.iter().map(|r| r.y + r.h).fold(0.0, f64::max);
        assert!((lowest - base).abs() < 1e-9);
        // All segments of one bucket share x and width.
        assert!(segs.iter().all(|r| r.x == segs[0].x && r.w == segs[0].w));
    }
    // Zero values draw nothing.
    assert_eq!(c.rects.len(), 7);
    assert_eq!(
        c.totals.iter().map(|t| t.0).collect::<Vec<_>>(),
        vec![8, 3, 6]
    );
}

#[test]
fn split_bars_stand_side_by_side_within_their_bucket() {
    let series = vec![vec![3, 6], vec![4, 2]];
    let c = bar_chart(&labels(2), &series, Layout::Split, Frame::DEFAULT);
    assert_eq!(c.scale.top, 6);
    let b0: Vec<_> = c.rects.iter().filter(|r| r.bucket == 0).collect();
    assert_eq!(b0.len(), 2);
    assert!(b0[0].x + b0[0].w <= b0[1].x + 1e-9);
    let slot = Frame::DEFAULT.plot_width() / 2.0;
    assert!(c.rects.iter().all(|r| r.x >= Frame::DEFAULT.left
        && r.x + r.w <= Frame::DEFAULT.left + slot * (r.bucket as f64 + 1.0) + 1e-9));
    // The tallest bar reaches the top of the scale.
    let tallest = c.rects.iter().find(|r| r.value == 6).unwrap();
    assert!((tallest.y - Frame::DEFAULT.top).abs() < 1e-9);
}

#[test]
fn empty_and_one_bucket_charts_are_drawn_without_dividing_by_zero() {
    let none = bar_chart(&[], &[], Layout::Stacked, Frame::DEFAULT);
    assert!(none.rects.is_empty() && none.labels.is_empty());
    assert_eq!(none.scale, Scale { top: 1, step: 1 });
    let zeros = bar_chart(&labels(3), &[vec![0, 0, 0]], Layout::Split, Frame::DEFAULT);
    assert!(zeros.rects.is_empty());
    assert!(zeros.ticks.iter().all(|t| t.y.is_finite()));
    let one = bar_chart(&labels(1), &[vec![5]], Layout::Stacked, Frame::DEFAULT);
    assert_eq!(one.rects.len(), 1);
    let r = &one.rects[0];
    assert!(r.w > 0.0 && r.w <= Frame::DEFAULT.plot_width());
    assert!(one.labels[0].shown);
    assert_eq!(share_of_max(&[0, 0]), vec![0.0, 0.0]);
    assert_eq!(share_of_max(&[2, 4]), vec![50.0, 100.0]);
}

#[test]
fn many_buckets_label_only_some() {
    let c = bar_chart(&labels(53), &[vec![1; 53]], Layout::Stacked, Frame::DEFAULT);
    let shown = c.labels.iter().filter(|l| l.shown).count();
    assert!(shown > 5 && shown < 20, "{shown}");
    assert!(c.labels[0].shown);
}

// --- calendar ---------------------------------------------------------------------------------

#[test]
fn dates_parse_and_count_days() {
    assert_eq!(Date::parse("2026-02-29"), None);
    assert_eq!(
        Date::parse("2024-02-29"),
        Some(Date {
            y: 2024,
            m: 2,
            d: 29
        })
    );
    assert_eq!(Date::parse("2026-13-01"), None);
    assert_eq!(Date::parse("1 jan"), None);
    // Ten bytes with a multi-byte character where a dash belongs: refused, never a panic.
    assert_eq!(Date::parse("2026-0é-1"), None);
    assert_eq!(Date::parse("2026é01-0"), None);
    assert_eq!(d("1970-01-01").days(), 0);
    assert_eq!(Date::from_days(d("2026-12-31").days() + 1), d("2027-01-01"));
    assert_eq!(d("2026-12-05").weekday(), 5); // a Saturday
    assert_eq!(d("2026-01-01").iso_week(), 1);
    assert_eq!(d("2027-01-01").iso_week(), 53); // 2026 has 53 ISO weeks
    assert_eq!(d("2026-09-07").iso_week(), 37);
}

#[test]
fn month_arithmetic_keeps_the_day_or_takes_the_months_last() {
    assert_eq!(d("2026-01-31").add_months(1), d("2026-02-28"));
    assert_eq!(d("2026-11-15").add_months(3), d("2027-02-15"));
    assert_eq!(d("2026-02-15").add_months(-3), d("2025-11-15"));
    assert_eq!(d("2024-02-29").add_months(12), d("2025-02-28"));
}

#[test]
fn three_months_around_a_date_cross_the_year_end() {
    let p = around(d("2027-01-15"), 3);
    assert_eq!(p.a, (d("2026-10-15"), d("2027-01-14")));
    assert_eq!(p.b, (d("2027-01-15"), d("2027-04-14")));
}

#[test]
fn this_quarter_against_the_same_quarter_last_year() {
    // Up to today, against the same days a year before: a part quarter is never compared with
    // a whole one.
    let p = quarter_vs_last_year(d("2026-12-05"));
    assert_eq!(p.b, (d("2026-10-01"), d("2026-12-05")));
    assert_eq!(p.a, (d("2025-10-01"), d("2025-12-05")));
    let q1 = quarter_vs_last_year(d("2028-02-29"));
    assert_eq!(q1.b, (d("2028-01-01"), d("2028-02-29")));
    assert_eq!(q1.a, (d("2027-01-01"), d("2027-02-28")));
}

#[test]
fn since_last_meeting_is_compared_with_as_many_days_before() {
    let p = since_and_before(d("2026-12-01"), d("2026-12-14"));
    assert_eq!(p.b, (d("2026-12-01"), d("2026-12-14")));
    assert_eq!(p.a, (d("2026-11-17"), d("2026-11-30")));
    let jan = since_and_before(d("2027-01-02"), d("2027-01-03"));
    assert_eq!(jan.a, (d("2026-12-31"), d("2027-01-01")));
}

#[test]
fn the_compare_form_checks_its_dates_and_builds_the_query() {
    let mut f = CompareForm::from_periods(&around(d("2026-10-01"), 3));
    assert_eq!(f.a_from, "2026-07-01");
    let p = f.periods().unwrap();
    assert_eq!(
        compare_query(
            "from=2020-01-01&category=drugs&to=2020-02-01&area=Arboga",
            &p,
            "month"
        ),
        "from=2026-07-01&to=2026-09-30&category=drugs&area=Arboga&bucket=month\
         &compare_from=2026-10-01&compare_to=2026-12-31"
    );
    f.b_to = "2026-09-01".into();
    assert_eq!(f.periods(), Err(CompareProblem::Order));
    f.b_to = "31/12".into();
    assert_eq!(f.periods(), Err(CompareProblem::Date));
}

// --- summaries --------------------------------------------------------------------------------

fn counts<K: Copy>(keys: &[K], values: &[u32]) -> Vec<Count<K>> {
    keys.iter()
        .zip(values)
        .map(|(k, v)| Count { key: *k, count: *v })
        .collect()
}

fn stats(buckets: &[(&str, [u32; 6])]) -> Stats {
    let mut by_cat = [0u32; 6];
    let buckets: Vec<Bucket> = buckets
        .iter()
        .map(|(start, v)| {
            for i in 0..6 {
                by_cat[i] += v[i];
            }
            Bucket {
                start: start.to_string(),
                total: v.iter().sum(),
                by_category: counts(&Category::ALL, v),
            }
        })
        .collect();
    Stats {
        total: by_cat.iter().sum(),
        from: buckets.first().map(|b| b.start.clone()),
        to: Some("2026-11-30".into()),
        bucket: "month".into(),
        buckets,
        by_category: counts(&Category::ALL, &by_cat),
        by_time_of_day: counts(&TimeOfDay::ALL, &[2, 9, 1, 0]),
        by_weekday: vec![1, 0, 0, 0, 5, 6, 0],
        by_area: vec![],
        agree_total: 4,
        by_status: counts(&[PinStatus::Received, PinStatus::Done], &[7, 2]),
        answered: 2,
        median_days_to_answer: Some(2.5),
        median_days_to_done: None,
        by_party: vec![],
        comparison: None,
    }
}

fn change(key: &str, a: u32, b: u32) -> Change {
    let percent = (a >= 10 && b >= 10).then(|| (b as f64 - a as f64) * 100.0 / a as f64);
    Change {
        key: key.into(),
        a,
        b,
        percent,
    }
}

fn comparison(cats: &[(&str, u32, u32)], areas: &[(&str, u32, u32)]) -> Comparison {
    let by_category: Vec<Change> = cats.iter().map(|(k, a, b)| change(k, *a, *b)).collect();
    let (a, b) = by_category
        .iter()
        .fold((0, 0), |(a, b), c| (a + c.a, b + c.b));
    Comparison {
        a: Period {
            from: "2026-07-01".into(),
            to: "2026-09-30".into(),
            total: a,
        },
        b: Period {
            from: "2026-10-01".into(),
            to: "2026-12-31".into(),
            total: b,
        },
        total: change("total", a, b),
        by_category,
        by_area: areas.iter().map(|(k, a, b)| change(k, *a, *b)).collect(),
        min_for_percent: 10,
    }
}

#[test]
fn a_rise_is_told_with_counts_per_cent_and_place_in_swedish_and_english() {
    let mut s = stats(&[
        ("2026-09-01", [1, 5, 0, 0, 0, 0]),
        ("2026-10-01", [0, 7, 0, 0, 0, 0]),
    ]);
    let area = |name: &str, kind: &str, count| AreaCount {
        name: name.into(),
        kind: kind.into(),
        count,
    };
    s.by_area = vec![
        area("Arboga", "tatort", 13),
        area("Stationsområdet", "named", 2),
    ];
    let c = comparison(
        &[("traffic", 3, 4), ("drugs", 12, 31)],
        &[("Stationsområdet", 2, 9), ("Arboga", 13, 26)],
    );
    // The named place is told, though the tätort around it grew more.
    assert_eq!(
        comparison_summary(&s, &c, Lang::Sv.staff_strings()),
        "Narkotika ökade från 12 till 31 markeringar (+158 %), runt Stationsområdet."
    );
    assert_eq!(
        comparison_summary(&s, &c, Lang::En.staff_strings()),
        "Drugs rose from 12 to 31 pins (+158 %), around Stationsområdet."
    );
    // With no named place growing, the tätort is.
    let only_tatort = comparison(
        &[("drugs", 12, 31)],
        &[("Stationsområdet", 2, 2), ("Arboga", 13, 26)],
    );
    assert_eq!(
        comparison_summary(&s, &only_tatort, Lang::Sv.staff_strings()),
        "Narkotika ökade från 12 till 31 markeringar (+158 %), runt Arboga."
    );
}

#[test]
fn a_fall_and_small_numbers_have_no_per_cent_and_no_place_when_nothing_grew() {
    let s = stats(&[("2026-09-01", [4, 0, 0, 0, 0, 0])]);
    let c = comparison(&[("traffic", 4, 1), ("drugs", 2, 2)], &[("Arboga", 6, 3)]);
    let sv = comparison_summary(&s, &c, Lang::Sv.staff_strings());
    assert_eq!(sv, "Trafik och hastighet minskade från 4 till 1 markering.");
    assert!(!sv.contains('%'));
}

#[test]
fn unchanged_and_empty_comparisons() {
    let s = stats(&[("2026-09-01", [2, 0, 0, 0, 0, 0])]);
    let same = comparison(&[("traffic", 2, 2)], &[]);
    assert_eq!(
        comparison_summary(&s, &same, Lang::Sv.staff_strings()),
        "Markeringarna: oförändrat, 2 markeringar."
    );
    let empty = comparison(&[("traffic", 0, 0)], &[]);
    assert_eq!(
        comparison_summary(&s, &empty, Lang::En.staff_strings()),
        "No pins in the selection."
    );
    assert_eq!(percent_text(-20.4), "\u{2212}20 %");
    assert_eq!(percent_text(0.2), "±0 %");
}

#[test]
fn chart_summaries_name_the_largest_value_and_the_total() {
    let s = stats(&[
        ("2026-09-01", [1, 5, 0, 0, 0, 0]),
        ("2026-10-01", [0, 7, 0, 0, 0, 0]),
    ]);
    let sv = Lang::Sv.staff_strings();
    assert_eq!(
        buckets_summary(&s, sv),
        "13 markeringar 2026-09-01–2026-11-30. Flest under okt 2026 (7). Vanligast: Narkotika (12)."
    );
    let days: Vec<String> = sv.lb_weekdays.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        distribution_summary(&days, &s.by_weekday, sv, false),
        "Mest lördag (6 av 12)."
    );
    assert_eq!(
        distribution_summary(&days, &[0; 7], Lang::En.staff_strings(), false),
        "No pins in the selection."
    );
    let mut empty = stats(&[]);
    empty.total = 0;
    assert_eq!(buckets_summary(&empty, sv), "Inga markeringar i urvalet.");
    assert_eq!(bucket_label("2026-09-07", "week", sv), "v. 37");
    assert_eq!(
        bucket_label("2026-09-01", "month", Lang::En.staff_strings()),
        "Sep 2026"
    );
}

#[test]
fn series_keep_only_categories_with_pins() {
    let s = stats(&[
        ("2026-09-01", [1, 5, 0, 0, 0, 0]),
        ("2026-10-01", [0, 7, 0, 0, 0, 0]),
    ]);
    let (cats, series) = category_series(&s);
    assert_eq!(cats, vec![Category::Traffic, Category::Drugs]);
    assert_eq!(series, vec![vec![1, 0], vec![5, 7]]);
}

#[test]
fn since_last_meeting_tells_what_grew_and_what_waits() {
    // The selection (a) is the new period, b the one before.
    let c = comparison(
        &[("traffic", 5, 2), ("drugs", 1, 1), ("lighting", 4, 0)],
        &[],
    );
    assert_eq!(
        grew(&c.by_category, true),
        vec![("lighting".to_owned(), 0, 4), ("traffic".to_owned(), 2, 5)]
    );
    assert!(grew(&c.by_category, false).is_empty());
    assert_eq!(unanswered(&stats(&[])), 7);
}

// --- named places -----------------------------------------------------------------------------

#[test]
fn the_place_form_needs_a_name_and_a_circle_or_three_corners() {
    let mut f = PlaceForm::default();
    assert_eq!(f.input(), Err(PlaceProblem::Name));
    f.name = "  Stationsområdet ".into();
    assert_eq!(f.input(), Err(PlaceProblem::Centre));
    f.centre = Some((15.9, 59.38));
    f.radius_m = "5".into();
    assert_eq!(f.input(), Err(PlaceProblem::Radius));
    f.radius_m = "femtio".into();
    assert_eq!(f.input(), Err(PlaceProblem::Radius));
    f.radius_m = "150".into();
    let circle = f.input().unwrap();
    assert_eq!(circle.name, "Stationsområdet");
    assert_eq!(circle.radius_m, Some(150.0));
    assert_eq!(circle.polygon, None);
    f.corners = vec![(15.0, 59.0), (15.1, 59.0)];
    assert_eq!(f.input(), Err(PlaceProblem::Corners));
    f.corners.push((15.1, 59.1));
    let poly = f.input().unwrap();
    let ring = poly.polygon.unwrap();
    assert_eq!(ring.len(), 4);
    assert_eq!(ring[0], ring[3]);
    assert_eq!(poly.radius_m, None);
    f.name = "x".repeat(81);
    assert_eq!(f.input(), Err(PlaceProblem::Name));
}

#[test]
fn the_report_names_the_selection_and_fits_its_map() {
    use trygghetskarta::model::lagesbild::{fit, selection_text};
    use trygghetskarta::model::staff::FilterForm;
    let sv = Lang::Sv.staff_strings();
    assert_eq!(
        selection_text(&FilterForm::default(), sv),
        "alla markeringar"
    );
    let f = FilterForm {
        categories: vec![Category::Drugs],
        times: vec![TimeOfDay::Evening],
        area: "Arboga".into(),
        ..FilterForm::default()
    };
    assert_eq!(selection_text(&f, sv), "Narkotika · Kväll · Arboga");
    let (k, dx, dy) = fit(&[(10.0, 20.0), (30.0, 30.0)], 200.0, 100.0, 10.0);
    let at = |x: f64, y: f64| (x * k + dx, y * k + dy);
    // The height binds here (10 units into 80): the same scale on both axes, centred.
    let (a, b) = (at(10.0, 20.0), at(30.0, 30.0));
    assert!((a.1 - 10.0).abs() < 1e-9 && (b.1 - 90.0).abs() < 1e-9);
    assert!(((a.0 + b.0) / 2.0 - 100.0).abs() < 1e-9);
    assert!((b.0 - a.0 - 160.0).abs() < 1e-9);
    assert_eq!(fit(&[], 200.0, 100.0, 10.0), (1.0, 100.0, 50.0));
}
