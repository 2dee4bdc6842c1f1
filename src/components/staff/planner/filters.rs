//! The planners' filter form: dates, categories, times of day, tätort, hidden pins.

use leptos::prelude::*;
use trygghetskarta_shared::{Category, TimeOfDay};

use crate::components::pin_layer::category_icon;
use crate::context::use_strings;
use crate::i18n::Strings;
use crate::model::staff::FilterForm;

#[component]
pub fn Filters(
    form: RwSignal<FilterForm>,
    #[prop(into)] areas: Signal<Vec<String>>,
) -> impl IntoView {
    let strings = use_strings();
    let date = move |id: &'static str,
                     label: fn(&Strings) -> &'static str,
                     get: fn(&FilterForm) -> String,
                     set: fn(&mut FilterForm, String)| {
        view! {
            <div class="tk-field tk-field--inline">
                <label for=id>{move || label(strings())}</label>
                <input id=id type="date" prop:value=move || form.with(get)
                    on:change=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            </div>
        }
    };
    view! {
        <form class="tk-filters" on:submit=|ev| ev.prevent_default()>
            <h4>{move || strings().filters}</h4>
            <div class="tk-filter-row">
                {date("tk-f-from", |s| s.filter_from, |f| f.from.clone(), |f, v| f.from = v)}
                {date("tk-f-to", |s| s.filter_to, |f| f.to.clone(), |f, v| f.to = v)}
                <div class="tk-field tk-field--inline">
                    <label for="tk-f-area">{move || strings().filter_area}</label>
                    <select id="tk-f-area" prop:value=move || form.with(|f| f.area.clone())
                        on:change=move |ev| form.update(|f| f.area = event_target_value(&ev))>
                        <option value="">{move || strings().all_areas}</option>
                        {move || areas.get().into_iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <fieldset class="tk-checks">
                <legend>{move || strings().filter_categories}</legend>
                {Category::ALL.into_iter().map(|c| view! {
                    <label class="tk-check">
                        <input type="checkbox" name="category" value=c.code()
                            prop:checked=move || form.with(|f| f.categories.contains(&c))
                            on:change=move |_| form.update(|f| f.toggle_category(c)) />
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
                            on:change=move |_| form.update(|f| f.toggle_time(t)) />
                        {move || strings().time_of_day(t)}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="tk-filter-row">
                <label class="tk-check">
                    <input type="checkbox" id="tk-f-hidden"
                        prop:checked=move || form.with(|f| f.include_hidden)
                        on:change=move |ev| form.update(|f| f.include_hidden = event_target_checked(&ev)) />
                    {move || strings().include_hidden}
                </label>
                <button type="button" class="tk-button tk-button--small" on:click=move |_| form.set(FilterForm::default())>
                    {move || strings().clear_filters}
                </button>
            </div>
        </form>
    }
}
