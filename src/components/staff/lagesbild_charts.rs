//! The Lägesbild's charts, drawn as SVG from `model::chart` geometry: pins per week or month
//! (stacked or split by category), and distributions as labelled bars. Every chart has a text
//! summary (`model::lagesbild`) and a data table behind a disclosure. Bars are told apart by
//! patterns drawn in `currentColor` and by direct labels, never by colour alone, so they stay
//! readable in forced-colours mode.

use leptos::prelude::*;
use trygghetskarta_shared::Stats;

use crate::context::use_staff_strings;
use crate::i18n::fill;
use crate::model::chart::{bar_chart, share_of_max, Frame, Layout};
use crate::model::lagesbild::{
    bucket_label, buckets_summary, category_series, days_text, distribution_summary,
};

/// The pattern of series `i`: lines or dots in `currentColor` over a light tint.
fn pattern(prefix: &str, i: usize) -> impl IntoView {
    let marks = match i % 6 {
        0 => "M0,6 L6,0",
        1 => "M1,1 h1 M4,4 h1",
        2 => "M0,3 H6",
        3 => "M0,6 L6,0 M0,0 L6,6",
        4 => "M3,0 V6",
        _ => "M0,0 L6,6",
    };
    view! {
        <pattern id=format!("{prefix}-p{i}") patternUnits="userSpaceOnUse" width="6" height="6">
            <rect class=format!("tk-series-bg tk-series-{}", i % 6) width="6" height="6" />
            <path d=marks stroke="currentColor" stroke-width="1.2" />
        </pattern>
    }
}

/// A small square of a series' pattern, for legends and tables.
fn swatch(prefix: &str, i: usize) -> impl IntoView {
    view! {
        <svg class="tk-swatch" width="14" height="14" aria-hidden="true" focusable="false">
            <rect width="14" height="14" fill=format!("url(#{prefix}-p{i})") stroke="currentColor" />
        </svg>
    }
}

/// Pins per week or month, one bar per bucket split or stacked by category.
#[component]
pub fn TimeChart(stats: Stats, layout: Layout, open: bool) -> impl IntoView {
    let s = use_staff_strings()();
    let prefix = "tk-time";
    let (cats, series) = category_series(&stats);
    let labels: Vec<String> = stats
        .buckets
        .iter()
        .map(|b| bucket_label(&b.start, &stats.bucket, s))
        .collect();
    let chart = bar_chart(&labels, &series, layout, Frame::DEFAULT);
    let f = chart.frame;
    let top = chart.scale.top;
    let baseline = f.y(0.0, top);
    let heading = if stats.bucket == "month" {
        s.lb_per_month
    } else {
        s.lb_per_week
    };
    let summary = buckets_summary(&stats, s);
    let ticks = chart
        .ticks
        .iter()
        .map(|t| {
            view! {
                <line class="tk-grid" x1=f.left x2=f.width - f.right y1=t.y y2=t.y />
                <text class="tk-tick" x=f.left - 4.0 y=t.y + 4.0 text-anchor="end">{t.value}</text>
            }
        })
        .collect_view();
    let bars = chart
        .rects
        .iter()
        .map(|r| {
            let title = format!(
                "{}: {} {}",
                labels[r.bucket],
                s.category(cats[r.series]),
                r.value
            );
            view! {
                <rect class="tk-bar" x=format!("{:.2}", r.x) y=format!("{:.2}", r.y)
                    width=format!("{:.2}", r.w) height=format!("{:.2}", r.h)
                    fill=format!("url(#{prefix}-p{})", r.series) stroke="currentColor" stroke-width="0.8"
                    data-value=r.value data-bucket=r.bucket data-category=cats[r.series].code()>
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    // Direct labels (when there is room): the total over each stacked bar, or each split bar's
    // own number.
    let numbers: Vec<(u32, f64, f64)> = match layout {
        Layout::Stacked if labels.len() <= 16 => chart.totals.clone(),
        Layout::Split if chart.rects.len() <= 24 => chart
            .rects
            .iter()
            .map(|r| (r.value, r.x + r.w / 2.0, r.y - 3.0))
            .collect(),
        _ => Vec::new(),
    };
    let totals = numbers
        .into_iter()
        .filter(|(t, _, _)| *t > 0)
        .map(|(t, x, y)| {
            view! { <text class="tk-bar-total" x=format!("{x:.1}") y=format!("{y:.1}") text-anchor="middle">{t}</text> }
        })
        .collect_view();
    let xlabels = chart
        .labels
        .iter()
        .filter(|l| l.shown)
        .map(|l| {
            view! { <text class="tk-tick" x=format!("{:.1}", l.x) y=f.height - 8.0 text-anchor="middle">{l.text.clone()}</text> }
        })
        .collect_view();
    let legend = cats
        .iter()
        .enumerate()
        .map(|(i, c)| view! { <li>{swatch(prefix, i)}" "{s.category(*c)}</li> })
        .collect_view();
    let head = cats
        .iter()
        .enumerate()
        .map(|(i, c)| view! { <th scope="col">{swatch(prefix, i)}" "{s.category(*c)}</th> })
        .collect_view();
    let rows = stats
        .buckets
        .iter()
        .enumerate()
        .map(|(b, bucket)| {
            let cells = series
                .iter()
                .map(|v| view! { <td>{v[b]}</td> })
                .collect_view();
            view! {
                <tr><th scope="row">{labels[b].clone()}" ("{bucket.start.clone()}")"</th>{cells}<td>{bucket.total}</td></tr>
            }
        })
        .collect_view();
    let patterns = (0..cats.len()).map(|i| pattern(prefix, i)).collect_view();
    view! {
        <figure class="tk-chart tk-time-chart" aria-labelledby="tk-time-heading">
            <h3 id="tk-time-heading">{heading}</h3>
            <p class="tk-chart-summary">{summary.clone()}</p>
            <div class="tk-chart-scroll" tabindex="0" role="region" aria-label=heading>
                <svg class="tk-chart-svg" viewBox=format!("0 0 {} {}", f.width, f.height)
                    role="img" aria-label=summary>
                    <defs>{patterns}</defs>
                    {ticks}
                    <line class="tk-axis" x1=f.left x2=f.width - f.right y1=baseline y2=baseline />
                    {bars}
                    {totals}
                    {xlabels}
                </svg>
            </div>
            <ul class="tk-legend">{legend}</ul>
            <details class="tk-chart-table" open=open>
                <summary>{s.lb_show_table}</summary>
                <table class="tk-table">
                    <caption>{heading}</caption>
                    <thead><tr><th scope="col">{s.lb_col_period}</th>{head}<th scope="col">{s.lb_col_total}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// A distribution (time of day, weekday, category, area): a labelled SVG bar per value with its
/// count beside it, a summary and a table. `open` shows the table without a disclosure.
#[component]
pub fn Distribution(
    id: &'static str,
    heading: &'static str,
    labels: Vec<String>,
    values: Vec<u32>,
    open: bool,
    /// Lower-case the label inside the summary sentence (see `distribution_summary`).
    #[prop(optional)]
    lower: bool,
) -> impl IntoView {
    let s = use_staff_strings()();
    let summary = distribution_summary(&labels, &values, s, lower);
    let shares = share_of_max(&values);
    let total: u32 = values.iter().sum();
    let bars = labels
        .iter()
        .zip(&values)
        .zip(&shares)
        .map(|((l, v), share)| {
            view! {
                <li class="tk-dist-row">
                    <span class="tk-dist-label">{l.clone()}</span>
                    <svg class="tk-dist-bar" viewBox="0 0 100 10" preserveAspectRatio="none"
                        aria-hidden="true" focusable="false">
                        <rect class="tk-bar" width=format!("{share:.2}") height="10"
                            fill=format!("url(#{id}-d-p0)") stroke="currentColor" stroke-width="0.5"
                            vector-effect="non-scaling-stroke" data-value=*v />
                    </svg>
                    <span class="tk-dist-value">{*v}</span>
                </li>
            }
        })
        .collect_view();
    let rows = labels
        .iter()
        .zip(&values)
        .map(|(l, v)| view! { <tr><th scope="row">{l.clone()}</th><td>{*v}</td></tr> })
        .collect_view();
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <figure class="tk-chart tk-dist" id=id aria-labelledby=labelled_by>
            <h3 id=heading_id>{heading}</h3>
            <p class="tk-chart-summary">{summary}</p>
            // The pattern the bars use, in case the time chart is not drawn.
            <svg class="tk-defs" width="0" height="0" aria-hidden="true" focusable="false">
                <defs>{pattern(&format!("{id}-d"), 0)}</defs>
            </svg>
            <ul class="tk-dist-list" aria-hidden="true">{bars}</ul>
            <details class="tk-chart-table" open=open>
                <summary>{s.lb_show_table}</summary>
                <table class="tk-table">
                    <caption>{heading}</caption>
                    <thead><tr><th scope="col">{s.lb_col_what}</th><th scope="col">{s.lb_col_count}</th></tr></thead>
                    <tbody>{rows}<tr><th scope="row">{s.lb_col_total}</th><td>{total}</td></tr></tbody>
                </table>
            </details>
        </figure>
    }
}

/// Every chart of the stats, for the section and the printed report.
#[component]
pub fn StatsCharts(stats: Stats, layout: Layout, open: bool) -> impl IntoView {
    let s = use_staff_strings()();
    let times = stats.by_time_of_day.iter();
    let time_labels = times.clone().map(|t| s.time_of_day(t.key).into()).collect();
    let time_values = times.map(|t| t.count).collect();
    let day_labels = s.lb_weekdays.iter().map(|d| d.to_string()).collect();
    let cat_labels = stats
        .by_category
        .iter()
        .map(|c| s.category(c.key).into())
        .collect();
    let cat_values = stats.by_category.iter().map(|c| c.count).collect();
    let area_labels = stats
        .by_area
        .iter()
        .map(|a| {
            let kind = if a.kind == "named" {
                s.lb_kind_named
            } else {
                s.lb_kind_tatort
            };
            format!("{}, {kind}", a.name)
        })
        .collect();
    let area_values = stats.by_area.iter().map(|a| a.count).collect();
    view! {
        <TimeChart stats=stats.clone() layout=layout open=open />
        <div class="tk-chart-grid">
            <Distribution id="tk-dist-category" heading=s.lb_category_heading labels=cat_labels values=cat_values open=open lower=true />
            <Distribution id="tk-dist-time" heading=s.lb_time_heading labels=time_labels values=time_values open=open lower=true />
            <Distribution id="tk-dist-weekday" heading=s.lb_weekday_heading labels=day_labels values=stats.by_weekday.clone() open=open />
            <Distribution id="tk-dist-area" heading=s.lb_area_heading labels=area_labels values=area_values open=open />
        </div>
        <AnswerStats stats=stats />
    }
}

/// Agree totals, answers and the times to answer, per party.
#[component]
pub fn AnswerStats(stats: Stats) -> impl IntoView {
    let s = use_staff_strings()();
    let parties = stats
        .by_party
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{s.party(p.party)}</th>
                    <td>{p.answered}</td>
                    <td>{days_text(p.median_days_to_answer, s)}</td>
                    <td>{days_text(p.median_days_to_done, s)}</td>
                </tr>
            }
        })
        .collect_view();
    let states = stats
        .by_status
        .iter()
        .map(|c| view! { <tr><th scope="row">{s.pin_status(c.key)}</th><td>{c.count}</td></tr> })
        .collect_view();
    view! {
        <section class="tk-answer-stats" aria-labelledby="tk-answer-stats-heading">
            <h3 id="tk-answer-stats-heading">{s.lb_answers_heading}</h3>
            <ul class="tk-figures">
                <li>{fill(s.lb_agree_total, stats.agree_total)}</li>
                <li>{fill(s.lb_answered, stats.answered)}</li>
                <li>{fill(s.lb_median_answer, days_text(stats.median_days_to_answer, s))}</li>
                <li>{fill(s.lb_median_done, days_text(stats.median_days_to_done, s))}</li>
            </ul>
            <table class="tk-table">
                <caption>{s.status_label}</caption>
                <thead><tr><th scope="col">{s.lb_col_what}</th><th scope="col">{s.lb_col_count}</th></tr></thead>
                <tbody>{states}</tbody>
            </table>
            {(!stats.by_party.is_empty()).then(|| view! {
                <table class="tk-table">
                    <caption>{s.lb_col_party}</caption>
                    <thead><tr>
                        <th scope="col">{s.lb_col_party}</th><th scope="col">{s.lb_col_answered}</th>
                        <th scope="col">{s.lb_col_median_answer}</th><th scope="col">{s.lb_col_median_done}</th>
                    </tr></thead>
                    <tbody>{parties}</tbody>
                </table>
            })}
        </section>
    }
}
