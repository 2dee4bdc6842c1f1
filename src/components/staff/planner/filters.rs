//! The filter form (dates, categories, times of day, area, hidden pins) over the session's one
//! selection ([`Selection`]), shared by Lägesbild and Markeringar and kept in the address.

use leptos::prelude::*;
use trygghetskarta_shared::{Category, TimeOfDay};

use crate::api::{self, ApiBase};
use crate::components::pin_layer::category_icon;
use crate::components::staff::Selection;
use crate::context::use_staff_strings;
use crate::i18n::StaffStrings;
use crate::model::staff::FilterForm;

#[component]
pub fn Filters(
    /// Offer "Visa dolda markeringar" (planners and admins).
    show_hidden: bool,
) -> impl IntoView {
    let strings = use_staff_strings();
    let sel = expect_context::<Selection>();
    let form = sel.form;
    let base = expect_context::<ApiBase>();
    // Loaded again when a place is named, renamed or deleted (the selection's version).
    let areas = LocalResource::new(move || {
        sel.version.track();
        let base = base.clone();
        async move { api::areas(&base).await.unwrap_or_default() }
    });
    let areas = Signal::derive(move || areas.get().unwrap_or_default());
    let date = move |id: &'static str,
                     label: fn(&StaffStrings) -> &'static str,
                     get: fn(&FilterForm) -> String,
                     set: fn(&mut FilterForm, String)| {
        view! {
            <div class="tk-field tk-field--inline">
                <label for=id>{move || label(strings())}</label>
                <input id=id type="date" prop:value=move || form.with(get)
                    on:change=move |ev| sel.edit(|f| set(f, event_target_value(&ev))) />
            </div>
        }
    };
    view! {
        <form class="tk-filters" on:submit=|ev| ev.prevent_default()>
            <h3>{move || strings().filters}</h3>
            <div class="tk-filter-row">
                {date("tk-f-from", |s| s.filter_from, |f| f.from.clone(), |f, v| f.from = v)}
                {date("tk-f-to", |s| s.filter_to, |f| f.to.clone(), |f, v| f.to = v)}
                <div class="tk-field tk-field--inline">
                    <label for="tk-f-area">{move || strings().filter_area}</label>
                    <select id="tk-f-area" prop:value=move || form.with(|f| f.area.clone())
                        on:change=move |ev| sel.edit(|f| f.area = event_target_value(&ev))>
                        <option value="">{move || strings().all_areas}</option>
                        {move || areas.get().into_iter().map(|a| {
                            // Selected by the option itself: the list arrives after the form
                            // (a shared link with an area).
                            let chosen = form.with_untracked(|f| f.area == a);
                            view! { <option value=a.clone() selected=chosen>{a.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <fieldset class="tk-checks">
                <legend>{move || strings().filter_categories}</legend>
                {Category::ALL.into_iter().map(|c| view! {
                    <label class="tk-check">
                        <input type="checkbox" name="category" value=c.code()
                            prop:checked=move || form.with(|f| f.categories.contains(&c))
                            on:change=move |_| sel.edit(|f| f.toggle_category(c)) />
                        {category_icon(c)}
                        {move || strings().category(c)}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="tk-checks">
                <legend>{move || strings().filter_times}</legend>
                {TimeOfDay::ALL.into_iter().map(|t| view! {
                    <label class="tk-check">
                        <input type="checkbox" name="time_of_day" value=t.code()
                            prop:checked=move || form.with(|f| f.times.contains(&t))
                            on:change=move |_| sel.edit(|f| f.toggle_time(t)) />
                        {move || strings().time_of_day(t)}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="tk-filter-row">
                {show_hidden.then(|| view! {
                    <label class="tk-check">
                        <input type="checkbox" id="tk-f-hidden"
                            prop:checked=move || form.with(|f| f.include_hidden)
                            on:change=move |ev| sel.edit(|f| f.include_hidden = event_target_checked(&ev)) />
                        {move || strings().include_hidden}
                    </label>
                })}
                <button type="button" class="tk-button tk-button--small" on:click=move |_| sel.edit(|f| *f = FilterForm::default())>
                    {move || strings().clear_filters}
                </button>
            </div>
        </form>
    }
}
