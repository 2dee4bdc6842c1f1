//! "Jämför två perioder" and "Sedan förra mötet": both ask the stats route with a comparison
//! (`compare_from`/`compare_to`) under the selection's other filters, and show the change per
//! category and per area with counts, and per cent only where the API gives it.

use leptos::prelude::*;
use trygghetskarta_shared::{Category, Change, Comparison, Stats};

use crate::api::{self, ApiBase};
use crate::components::staff::Selection;
use crate::context::use_staff_strings;
use crate::device;
use crate::i18n::{fill, StaffStrings};
use crate::model::lagesbild::{
    around, compare_query, comparison_summary, fill_with, grew, percent_text, quarter_vs_last_year,
    since_and_before, unanswered, CompareForm, CompareProblem, Date, Periods,
};

fn category_name(key: &str, s: &StaffStrings) -> String {
    Category::parse(key).map_or_else(|| key.to_owned(), |c| s.category(c).to_owned())
}

/// A table of changes: what, period 1, period 2, the change, per cent.
fn change_table(
    caption: &'static str,
    rows: Vec<(String, Change)>,
    s: &'static StaffStrings,
) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|(name, c)| {
            let diff = c.b as i64 - c.a as i64;
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{c.a}</td>
                    <td>{c.b}</td>
                    <td>{if diff > 0 { format!("+{diff}") } else if diff < 0 { format!("\u{2212}{}", -diff) } else { "0".into() }}</td>
                    <td>{c.percent.map_or_else(|| "–".to_owned(), percent_text)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="tk-table tk-compare-table">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{s.lb_col_what}</th>
                <th scope="col">{s.lb_period_a}</th>
                <th scope="col">{s.lb_period_b}</th>
                <th scope="col">{s.lb_col_change}</th>
                <th scope="col">{s.lb_col_percent}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The result of a comparison: its summary and the tables (also used by the printed report).
#[component]
pub fn ComparisonView(stats: Stats, cmp: Comparison) -> impl IntoView {
    let s = use_staff_strings()();
    let summary = comparison_summary(&stats, &cmp, s);
    let mut cats = vec![(s.lb_col_total.to_owned(), cmp.total.clone())];
    cats.extend(
        cmp.by_category
            .iter()
            .map(|c| (category_name(&c.key, s), c.clone())),
    );
    let areas = cmp
        .by_area
        .iter()
        .map(|c| (c.key.clone(), c.clone()))
        .collect();
    view! {
        <div class="tk-comparison">
            <p class="tk-periods">
                {format!("{}: {} – {} ({}). {}: {} – {} ({}).",
                    s.lb_period_a, cmp.a.from, cmp.a.to, cmp.a.total,
                    s.lb_period_b, cmp.b.from, cmp.b.to, cmp.b.total)}
            </p>
            <p class="tk-chart-summary tk-compare-summary">{summary}</p>
            {change_table(s.lb_category_heading, cats, s)}
            {change_table(s.lb_area_heading, areas, s)}
            <p class="tk-muted">{fill(s.lb_percent_note, cmp.min_for_percent)}</p>
        </div>
    }
}

/// Stats of the selection under two periods (`None` before a comparison is asked for).
pub fn compare_resource(
    periods: RwSignal<Option<Periods>>,
    bucket: Signal<&'static str>,
) -> LocalResource<Option<Result<Stats, api::ApiError>>> {
    let base = expect_context::<ApiBase>();
    let sel = expect_context::<Selection>();
    LocalResource::new(move || {
        let (p, q, b, base) = (periods.get(), sel.query.get(), bucket.get(), base.clone());
        sel.version.track();
        async move {
            let p = p?;
            Some(api::stats(&base, &compare_query(&q, &p, b)).await)
        }
    })
}

/// "Jämför två perioder": four dates (or a preset) and the change between them.
#[component]
pub fn ComparePanel(
    /// The periods compared last (the printed report shows them too).
    periods: RwSignal<Option<Periods>>,
    result: LocalResource<Option<Result<Stats, api::ApiError>>>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let today = Date::parse(&device::today());
    let form = RwSignal::new(CompareForm::default());
    // Three months back, so that "3 months before and after" compares two periods that have
    // both happened (today would make the second lie in the future).
    let preset_date =
        RwSignal::new(today.map_or_else(device::today, |t| t.add_months(-3).to_string()));
    let problem = RwSignal::new(None::<CompareProblem>);
    let date_input = move |id: &'static str,
                           label: fn(&StaffStrings) -> &'static str,
                           get: fn(&CompareForm) -> String,
                           set: fn(&mut CompareForm, String)| {
        view! {
            <div class="tk-field tk-field--inline">
                <label for=id>{move || label(strings())}</label>
                <input id=id type="date" prop:value=move || form.with(get)
                    aria-invalid=move || problem.get().is_some().to_string()
                    aria-describedby="tk-compare-error"
                    on:change=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            </div>
        }
    };
    let preset = move |p: Option<Periods>| {
        if let Some(p) = p {
            form.set(CompareForm::from_periods(&p));
            problem.set(None);
            periods.set(Some(p));
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.with(CompareForm::periods) {
            Ok(p) => {
                problem.set(None);
                periods.set(Some(p));
            }
            Err(e) => problem.set(Some(e)),
        }
    };
    view! {
        <section class="tk-compare" aria-labelledby="tk-compare-heading">
            <h3 id="tk-compare-heading">{move || strings().lb_compare_heading}</h3>
            <div class="tk-filter-row">
                <div class="tk-field tk-field--inline">
                    <label for="tk-c-preset">{move || strings().lb_preset_date}</label>
                    <input id="tk-c-preset" type="date" prop:value=move || preset_date.get()
                        on:change=move |ev| preset_date.set(event_target_value(&ev)) />
                </div>
                <button type="button" class="tk-button tk-button--small tk-preset-around"
                    on:click=move |_| preset(Date::parse(&preset_date.get()).map(|d| around(d, 3)))>
                    {move || strings().lb_preset_around}
                </button>
                <button type="button" class="tk-button tk-button--small tk-preset-quarter"
                    on:click=move |_| preset(today.map(quarter_vs_last_year))>
                    {move || strings().lb_preset_quarter}
                </button>
            </div>
            <form class="tk-compare-form" on:submit=submit novalidate>
                <fieldset>
                    <legend>{move || strings().lb_period_a}</legend>
                    {date_input("tk-c-a-from", |s| s.lb_from, |f| f.a_from.clone(), |f, v| f.a_from = v)}
                    {date_input("tk-c-a-to", |s| s.lb_to, |f| f.a_to.clone(), |f, v| f.a_to = v)}
                </fieldset>
                <fieldset>
                    <legend>{move || strings().lb_period_b}</legend>
                    {date_input("tk-c-b-from", |s| s.lb_from, |f| f.b_from.clone(), |f, v| f.b_from = v)}
                    {date_input("tk-c-b-to", |s| s.lb_to, |f| f.b_to.clone(), |f, v| f.b_to = v)}
                </fieldset>
                <p id="tk-compare-error" class="tk-error" role="alert">
                    {move || problem.get().map(|p| match p {
                        CompareProblem::Date => strings().lb_err_dates,
                        CompareProblem::Order => strings().lb_err_order,
                    })}
                </p>
                <button type="submit" class="tk-button tk-compare-submit">{move || strings().lb_compare_button}</button>
            </form>
            <div aria-live="polite">
                {move || {
                    let s = strings();
                    result.get().flatten().map(|r| match r {
                        Ok(st) => match st.comparison.clone() {
                            Some(cmp) => view! { <ComparisonView stats=st cmp=cmp /> }.into_any(),
                            None => view! { <p>{s.lb_no_data}</p> }.into_any(),
                        },
                        Err(_) => view! { <p class="tk-error">{s.lb_failed}</p> }.into_any(),
                    })
                }}
            </div>
        </section>
    }
}

/// "Sedan förra mötet": a date (remembered per staff member on the server) and one button that
/// selects the pins since then, then what is new, what grew and what is unanswered.
#[component]
pub fn SincePanel(bucket: Signal<&'static str>) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let sel = expect_context::<Selection>();
    let date = RwSignal::new(String::new());
    let remembered = {
        let base = base.clone();
        LocalResource::new(move || {
            let base = base.clone();
            async move { api::since(&base).await.ok().and_then(|s| s.date) }
        })
    };
    Effect::new(move || {
        if let Some(Some(d)) = remembered.get() {
            if date.get_untracked().is_empty() {
                date.set(d);
            }
        }
    });
    let periods = RwSignal::new(None::<Periods>);
    let result = {
        let base = base.clone();
        LocalResource::new(move || {
            let (p, q, b, base) = (periods.get(), sel.query.get(), bucket.get(), base.clone());
            sel.version.track();
            async move {
                let p = p?;
                // The selection is the new period (a), the period before is compared (b).
                let swapped = Periods { a: p.b, b: p.a };
                Some(api::stats(&base, &compare_query(&q, &swapped, b)).await)
            }
        })
    };
    let show = move |_| {
        let d = date.get_untracked();
        let (Some(since), Some(today)) = (Date::parse(&d), Date::parse(&device::today())) else {
            return;
        };
        let p = since_and_before(since, today);
        sel.edit(|f| {
            f.from = p.b.0.to_string();
            f.to = p.b.1.to_string();
        });
        periods.set(Some(p));
        let base = base.clone();
        leptos::task::spawn_local(async move {
            let _ = api::set_since(&base, &d).await;
        });
    };
    view! {
        <section class="tk-since" aria-labelledby="tk-since-heading">
            <h3 id="tk-since-heading">{move || strings().lb_since_heading}</h3>
            <div class="tk-filter-row">
                <div class="tk-field tk-field--inline">
                    <label for="tk-since-date">{move || strings().lb_since_date}</label>
                    <input id="tk-since-date" type="date" prop:value=move || date.get()
                        on:change=move |ev| date.set(event_target_value(&ev)) />
                </div>
                <button type="button" class="tk-button tk-since-button" on:click=show
                    disabled=move || Date::parse(&date.get()).is_none()>
                    {move || strings().lb_since_button}
                </button>
            </div>
            <div aria-live="polite" class="tk-since-result">
                {move || {
                    let s = strings();
                    result.get().flatten().map(|r| match r {
                        Ok(st) => since_view(&st, &date.get_untracked(), s).into_any(),
                        Err(_) => view! { <p class="tk-error">{s.lb_failed}</p> }.into_any(),
                    })
                }}
            </div>
        </section>
    }
}

fn since_view(st: &Stats, date: &str, s: &'static StaffStrings) -> impl IntoView {
    let new_by_cat = st
        .by_category
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| view! { <li>{format!("{}: {}", s.category(c.key), c.count)}</li> })
        .collect_view();
    let grown: Vec<(String, u32, u32)> = st
        .comparison
        .as_ref()
        .map(|c| {
            let mut g: Vec<_> = grew(&c.by_category, true)
                .into_iter()
                .map(|(k, a, b)| (category_name(&k, s), a, b))
                .collect();
            g.extend(grew(&c.by_area, true));
            g
        })
        .unwrap_or_default();
    let grown_view = if grown.is_empty() {
        view! { <p>{s.lb_since_none_grew}</p> }.into_any()
    } else {
        let items = grown
            .into_iter()
            .map(|(name, before, after)| {
                let text = fill_with(
                    s.lb_change_up,
                    &[
                        ("what", name),
                        ("a", before.to_string()),
                        ("b", after.to_string()),
                    ],
                );
                view! { <li>{text}</li> }
            })
            .collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    view! {
        <p class="tk-since-new"><strong>{fill_with(s.lb_since_new, &[("n", st.total.to_string()), ("date", date.to_owned())])}</strong></p>
        <ul class="tk-since-categories">{new_by_cat}</ul>
        <h4>{s.lb_since_grew}</h4>
        {grown_view}
        <p class="tk-since-unanswered">{fill(s.lb_since_unanswered, unanswered(st))}</p>
    }
}
