//! "Skriv ut lägesbild": the report of the selection and its period for A4 (print CSS in
//! `public/staff.css`, block "Lägesbild"), which a browser saves as PDF. It holds aggregates,
//! hotspots, actions and dialogues only: no comments and no personal data.

use leptos::prelude::*;
use trygghetskarta_shared::{ActionState, DialogueStatus, Hotspot, Hotspots, Stats};

use super::lagesbild_charts::StatsCharts;
use super::lagesbild_compare::ComparisonView;
use crate::api::{self, ApiBase};
use crate::components::staff::Selection;
use crate::context::use_staff_strings;
use crate::geo::mercator::project;
use crate::geo::LonLat;
use crate::i18n::{fill, StaffStrings};
use crate::model::chart::Layout;
use crate::model::lagesbild::{fill_with, fit, selection_text};
use crate::model::staff::hotspot_place;

const MAP_W: f64 = 480.0;
const MAP_H: f64 = 300.0;

/// The hotspots' outlines and ranks on a plain frame (north up), fitted to the drawing.
fn static_map(spots: &[Hotspot], s: &'static StaffStrings) -> impl IntoView {
    let world = |lon: f64, lat: f64| {
        let w = project(LonLat::lat_lon(lat, lon));
        (w.x, w.y)
    };
    let points: Vec<(f64, f64)> = spots
        .iter()
        .flat_map(|h| {
            let mut p: Vec<_> = h
                .outline
                .iter()
                .map(|[lon, lat]| world(*lon, *lat))
                .collect();
            p.push(world(h.lon, h.lat));
            p
        })
        .collect();
    let (k, dx, dy) = fit(&points, MAP_W, MAP_H, 24.0);
    let at = move |lon: f64, lat: f64| {
        let (x, y) = world(lon, lat);
        (x * k + dx, y * k + dy)
    };
    let shapes = spots
        .iter()
        .map(|h| {
            let outline = h
                .outline
                .iter()
                .map(|[lon, lat]| {
                    let (x, y) = at(*lon, *lat);
                    format!("{x:.1},{y:.1}")
                })
                .collect::<Vec<_>>()
                .join(" ");
            let (cx, cy) = at(h.lon, h.lat);
            view! {
                <g class="tk-hotspot-shape">
                    <polygon points=outline />
                    <circle cx=format!("{cx:.1}") cy=format!("{cy:.1}") r="10" />
                    <text x=format!("{cx:.1}") y=format!("{:.1}", cy + 4.0) text-anchor="middle">{h.rank}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="tk-report-map">
            <svg viewBox=format!("0 0 {MAP_W} {MAP_H}") role="img" aria-label=s.lb_report_map>
                <rect class="tk-report-map-frame" x="0.5" y="0.5" width=MAP_W - 1.0 height=MAP_H - 1.0 />
                <text x="12" y="20" class="tk-tick">"N ↑"</text>
                {shapes}
            </svg>
            <figcaption>{s.lb_report_map}</figcaption>
        </figure>
    }
}

/// The report. `stats` is the selection's; `compared` the last comparison asked for, if any.
#[component]
pub fn PrintReport(
    stats: Stats,
    compared: Option<Stats>,
    spots: Option<Hotspots>,
    layout: Layout,
) -> impl IntoView {
    let s = use_staff_strings()();
    let sel = expect_context::<Selection>();
    let base = expect_context::<ApiBase>();
    let lists = LocalResource::new(move || {
        let base = base.clone();
        async move {
            // `None` when a list could not be fetched: the report says so rather than "Inga."
            let actions = api::actions(&base).await.ok();
            let upcoming = api::dialogues(&base).await.ok();
            let closed = api::closed_dialogues(&base).await.ok();
            (actions, upcoming, closed)
        }
    });
    let filters = sel.form.with_untracked(|f| selection_text(f, s));
    let period = fill_with(
        s.lb_report_period,
        &[
            ("from", stats.from.clone().unwrap_or_default()),
            ("to", stats.to.clone().unwrap_or_default()),
        ],
    );
    let spots = spots.map(|h| h.hotspots).unwrap_or_default();
    let ranked = spots
        .iter()
        .map(|h| view! { <li>{format!("{} · {}", hotspot_place(h, s), fill(s.hotspot_count, h.count))}</li> })
        .collect_view();
    let lists_view = move || {
        lists.get().map(|(actions, upcoming, closed)| {
            let actions = actions.map(|actions| {
                actions
                    .into_iter()
                    .filter(|a| a.state != ActionState::Cancelled)
                    .map(|a| {
                        view! { <li>{format!("{} – {}", a.title, s.action_state(a.state))}</li> }
                    })
                    .collect::<Vec<_>>()
            });
            let dialogue = |d: trygghetskarta_shared::Dialogue| {
                let day = d.starts_at.get(..10).unwrap_or(&d.starts_at).to_owned();
                view! { <li>{format!("{day} · {} · {}", d.title, d.place_name)}</li> }
            };
            let upcoming = upcoming.map(|upcoming| {
                upcoming
                    .into_iter()
                    .filter(|d| d.status != DialogueStatus::Cancelled)
                    .map(dialogue)
                    .collect::<Vec<_>>()
            });
            let closed = closed.map(|closed| closed.into_iter().map(dialogue).collect::<Vec<_>>());
            let list = |items: Option<Vec<_>>| match items {
                None => view! { <p role="alert">{s.lb_failed}</p> }.into_any(),
                Some(items) if items.is_empty() => view! { <p>{s.lb_report_none}</p> }.into_any(),
                Some(items) => view! { <ul>{items}</ul> }.into_any(),
            };
            view! {
                <section class="tk-report-part">
                    <h3>{s.lb_report_actions}</h3>
                    {list(actions)}
                </section>
                <section class="tk-report-part">
                    <h3>{s.lb_report_upcoming}</h3>
                    {list(upcoming)}
                    <h3>{s.lb_report_closed}</h3>
                    {list(closed)}
                </section>
            }
        })
    };
    let comparison = compared.and_then(|c| {
        let cmp = c.comparison.clone()?;
        Some(view! {
            <section class="tk-report-part">
                <h3>{s.lb_compare_heading}</h3>
                <ComparisonView stats=c cmp=cmp />
            </section>
        })
    });
    view! {
        <article class="tk-report" aria-labelledby="tk-report-title">
            <header class="tk-report-head">
                <h2 id="tk-report-title">{s.lb_report_title}</h2>
                <p>{period}</p>
                <p>{fill(s.lb_report_filters, filters)}</p>
                <p>{fill(s.result_count, stats.total)}</p>
            </header>
            <section class="tk-report-part">
                {static_map(&spots, s)}
                <h3>{s.hotspots}</h3>
                <ol class="tk-report-ranked">{ranked}</ol>
            </section>
            <StatsCharts stats=stats layout=layout open=true />
            {comparison}
            {lists_view}
        </article>
    }
}
