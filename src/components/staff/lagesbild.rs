//! Lägesbild (`/personal/lagesbild`; every role, organisers see aggregates only, which the
//! server already gives them without comments): the selection over time from
//! `GET /api/staff/stats` — pins per week or month, the distributions, areas, hotspots, answers
//! (`lagesbild_charts.rs`) — "Sedan förra mötet" and "Jämför två perioder"
//! (`lagesbild_compare.rs`), named places (`lagesbild_places.rs`) and the printable report
//! (`lagesbild_print.rs`), all under the session's one [`Selection`].

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{Role, Stats};

use super::lagesbild_charts::StatsCharts;
use super::lagesbild_compare::{compare_resource, ComparePanel, SincePanel};
use super::lagesbild_places::NamedPlaces;
use super::lagesbild_print::PrintReport;
use super::planner::{hotspot_resource, Filters, HotspotList};
use crate::api::{self, with_query, ApiBase, ApiError};
use crate::components::staff::Selection;
use crate::context::use_staff_strings;
use crate::geo::basemap::Basemap;
use crate::i18n::{fill, StaffStrings};
use crate::model::chart::Layout;
use crate::model::lagesbild::Periods;
use crate::model::staff_route::Section;

/// The stats of the selection per `bucket`, again when the selection or its pins change.
fn stats_resource(bucket: Signal<&'static str>) -> LocalResource<Result<Stats, ApiError>> {
    let base = expect_context::<ApiBase>();
    let sel = expect_context::<Selection>();
    LocalResource::new(move || {
        let (q, b, base) = (sel.query.get(), bucket.get(), base.clone());
        sel.version.track();
        async move { api::stats(&base, &with_bucket(&q, b)).await }
    })
}

fn with_bucket(query: &str, bucket: &str) -> String {
    if query.is_empty() {
        format!("bucket={bucket}")
    } else {
        format!("{query}&bucket={bucket}")
    }
}

/// A choice of a toggle: its value, its code (for the id) and its label.
type Choice<T> = (T, &'static str, fn(&StaffStrings) -> &'static str);

/// A group of two radio buttons (week/month, stacked/split) that sets `value`.
fn toggle<T: Copy + PartialEq + Send + Sync + 'static>(
    name: &'static str,
    legend: fn(&StaffStrings) -> &'static str,
    value: RwSignal<T>,
    options: [Choice<T>; 2],
) -> impl IntoView {
    let strings = use_staff_strings();
    view! {
        <fieldset class="tk-toggle">
            <legend>{move || legend(strings())}</legend>
            {options.into_iter().map(|(v, code, label)| {
                let id = format!("{name}-{code}");
                let for_id = id.clone();
                view! {
                    <label class="tk-check" for=for_id>
                        <input type="radio" id=id name=name value=code
                            prop:checked=move || value.get() == v
                            on:change=move |_| value.set(v) />
                        {move || label(strings())}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn LagesbildSection(
    role: Role,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let sees_pins = Section::Markeringar.allowed(role);
    let can_plan = Section::Dialoger.allowed(role);
    // Planners and admins name places; organisers read them.
    let can_name = role != Role::Organiser;
    let sel = expect_context::<Selection>();
    let base = expect_context::<ApiBase>();
    let spots = hotspot_resource();
    let bucket = RwSignal::new("week");
    let layout = RwSignal::new(Layout::Stacked);
    let printing = RwSignal::new(false);
    let stats = stats_resource(bucket.into());
    let periods = RwSignal::new(None::<Periods>);
    let compared = compare_resource(periods, bucket.into());
    let excel = Signal::derive(move || {
        base.url(&with_query(
            "/api/export/stats.xlsx",
            &with_bucket(&sel.query.get(), bucket.get()),
        ))
    });
    let charts = move || {
        let s = strings();
        stats.get().map(|r| match r {
            Ok(st) => view! { <StatsCharts stats=st layout=layout.get() open=false /> }.into_any(),
            Err(_) => view! { <p class="tk-error">{s.lb_failed}</p> }.into_any(),
        })
    };
    let report = move || {
        let _ = strings();
        let st = stats.get()?.ok()?;
        let cmp = compared.get().flatten().and_then(Result::ok);
        let spots = spots.get().flatten();
        Some(
            view! { <PrintReport stats=st compared=cmp spots=spots layout=layout.get_untracked() /> },
        )
    };
    let print_view = move || {
        view! {
            <div class="tk-print-bar tk-no-print">
                <button type="button" class="tk-button tk-print-back" on:click=move |_| printing.set(false)>
                    {move || strings().lb_print_back}
                </button>
                <button type="button" class="tk-button tk-button--primary tk-print-do"
                    on:click=move |_| { let _ = window().print(); }>
                    {move || strings().lb_print_do}
                </button>
            </div>
            {report}
        }
    };
    let main_view = move || {
        view! {
            <p class="tk-muted">{move || strings().lagesbild_intro}</p>
            <Filters show_hidden=sees_pins />
            <p class="tk-status" role="status" aria-live="polite">
                {move || stats.get().and_then(Result::ok).map(|st| fill(strings().result_count, st.total))}
            </p>
            <div class="tk-actions tk-lagesbild-tools">
                <button type="button" class="tk-button tk-print-open" on:click=move |_| printing.set(true)>
                    {move || strings().lb_print_button}
                </button>
                <a class="tk-button tk-excel" href=excel download="">{move || strings().lb_excel}</a>
            </div>
            <SincePanel bucket=bucket.into() />
            <div class="tk-filter-row">
                {toggle("tk-bucket", |s| s.lb_bucket_label, bucket,
                    [("week", "week", |s| s.lb_week), ("month", "month", |s| s.lb_month)])}
                {toggle("tk-layout", |s| s.lb_layout_label, layout,
                    [(Layout::Stacked, "stacked", |s| s.lb_stacked), (Layout::Split, "split", |s| s.lb_split)])}
            </div>
            <Transition fallback=move || view! { <p class="tk-muted">{strings().lb_loading}</p> }>
                {charts}
            </Transition>
            <HotspotList spots=spots can_plan=can_plan />
            <ComparePanel periods=periods result=compared />
            <NamedPlaces can_edit=can_name basemap=basemap />
        }
    };
    view! {
        <div class="tk-lagesbild">
            {move || if printing.get() { print_view().into_any() } else { main_view().into_any() }}
        </div>
    }
}
