//! The report on the page: the buttons that start it, the placing bar, and the form (category,
//! time, place, comment, the nearby prompt). The form is a part of its own (`components::part`),
//! fetched when a report starts.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;
use trygghetskarta_shared::pin::{MAX_COMMENT_CHARS, MAX_PLACE_DESCRIPTION_CHARS};
use trygghetskarta_shared::{Category, NewPin, TimeOfDay};
use uuid::Uuid;

use super::my_pins::preload_my_pins;
use super::notify::NotifyOptIn;
use super::state::ReportState;
use crate::api::{self, ApiBase, Attempt};
use crate::components::part::{part, show_part, PartFailed};
use crate::components::pin_layer::category_icon;
use crate::context::use_strings;
use crate::geo::basemap::Basemap;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::fill;
use crate::model::report::{
    comment_chars, nearby_bbox, nearby_same, place_choices, Draft, Problem, Step,
};

/// The buttons that start a report, the placing bar, the form and the nearby prompt.
#[component]
pub fn ReportFlow(
    viewport: RwSignal<Option<Viewport>>,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
) -> impl IntoView {
    let strings = use_strings();
    let state = expect_context::<ReportState>();

    let start = move |_| {
        state.selected.set(None);
        state.step.set(Step::Placing { draft: None });
        preload_parts();
    };
    let without_map = move |_| {
        preload_parts();
        state.selected.set(None);
        state.step.set(Step::Form {
            at: None,
            place_name: None,
        });
    };
    let choose_place =
        move || state.choose_place(viewport.get_untracked(), basemap.get_untracked().as_deref());

    let retry = RwSignal::new(0u32);
    let form = move || {
        let Step::Form { place_name, at } = state.step.get() else {
            return None;
        };
        // Reporting without the map: the named places to choose from.
        let places = (place_name.is_some() || at.is_none())
            .then(|| basemap.get().map(|b| place_choices(&b)).unwrap_or_default());
        retry.track();
        Some(show_part(report_form_part(places), retry))
    };

    view! {
        <div class="tk-report">
            <Show
                when=move || matches!(state.step.get(), Step::Placing { .. })
                fallback=move || view! {
                    <div class="tk-actions tk-report-start">
                        <button
                            type="button"
                            class="tk-button tk-button--primary tk-start-report"
                            node_ref=state.start_button
                            on:click=start
                            disabled=move || matches!(state.step.get(), Step::Form { .. })
                        >
                            {move || strings().report_start}
                        </button>
                        <button type="button" class="tk-button tk-link-button tk-report-list" on:click=without_map>
                            {move || strings().report_without_map}
                        </button>
                    </div>
                }
            >
                <div class="tk-placing" role="group" aria-labelledby="tk-placing-hint">
                    <p id="tk-placing-hint">{move || strings().placing_hint}</p>
                    {move || state.placing_error.get().then(|| view! { <p class="tk-field-error" role="alert">{strings().outside_kommun}</p> })}
                    <div class="tk-actions">
                        <button type="button" class="tk-button tk-button--primary tk-choose-here" on:click=move |_| choose_place()>
                            {move || strings().choose_here}
                        </button>
                        <button type="button" class="tk-button" on:click=move |_| state.close()>
                            {move || strings().cancel}
                        </button>
                    </div>
                </div>
            </Show>
            {form}
        </div>
    }
}

/// Fetches the form's part while the place is chosen, and "Mina markeringar"'s, so a report
/// kept offline can be seen there without a network.
fn preload_parts() {
    leptos::task::spawn_local(async {
        let _ = preload_report_form().await;
        let _ = preload_my_pins().await;
    });
}

part! {
    report_form preload preload_report_form;
    /// The form, its sending and "Jag känner likadant" instead; fetched when a report starts.
    pub fn report_form_part(
        places: Option<Vec<(String, LonLat)>>,
    ) -> Result<AnyView, PartFailed> {
        Ok(view! { <ReportFormPart places=places /> }.into_any())
    }
}

#[component]
fn ReportFormPart(places: Option<Vec<(String, LonLat)>>) -> impl IntoView {
    let state = expect_context::<ReportState>();
    let base = expect_context::<ApiBase>();
    let heading = NodeRef::<html::H2>::new();
    // Focus the form when it opens.
    request_animation_frame(move || {
        if let Some(h) = heading.get_untracked() {
            let _ = h.focus();
        }
    });
    let send_base = base.clone();
    let send = Action::new_local(move |req: &NewPin| state.send(send_base.clone(), req.clone()));
    let agree = Action::new_local(move |pin: &Uuid| {
        let (pin, base) = (*pin, base.clone());
        async move {
            let s = state.strings();
            match state.agree(&base, pin).await {
                Ok(_) => state.close(),
                Err(e) => state
                    .server_error
                    .set(Some(s.api_error(Attempt::Agree, &e))),
            }
        }
    });
    view! { <ReportForm places=places heading=heading send=send agree=agree /> }
}

/// The form itself. `places` is the list of named places when reporting without the map.
#[component]
fn ReportForm(
    places: Option<Vec<(String, LonLat)>>,
    heading: NodeRef<html::H2>,
    send: Action<NewPin, ()>,
    agree: Action<Uuid, ()>,
) -> impl IntoView {
    let strings = use_strings();
    let state = expect_context::<ReportState>();
    let base = expect_context::<ApiBase>();
    let problems = state.problems;
    let sending = send.pending();
    let via_list = places.is_some();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.server_error.set(None);
        let Step::Form { at, place_name } = state.step.get_untracked() else {
            return;
        };
        let mut found = state.draft.with_untracked(Draft::problems);
        if at.is_none() {
            found.insert(0, Problem::PlaceMissing);
        }
        if let Some(first) = found.first() {
            problems.set(found.clone());
            let id = format!("tk-field-{}", first.field());
            request_animation_frame(move || crate::dom::focus_id(&id));
            return;
        }
        problems.set(Vec::new());
        let at = at.expect("checked above");
        let Ok(req) = state
            .draft
            .with_untracked(|d| d.to_request(Uuid::new_v4(), at, place_name.as_deref()))
        else {
            return;
        };
        if state.nearby.get_untracked().is_some() {
            send.dispatch(req);
            return;
        }
        // Pins of the same kind close by: the resident may agree instead. If the server cannot
        // be asked (offline), the report goes its way.
        let base = base.clone();
        leptos::task::spawn_local(async move {
            let around = api::pins_in(&base, nearby_bbox(at))
                .await
                .unwrap_or_default();
            let near = nearby_same(&around, at, req.category);
            match near.first() {
                Some(first) => state.nearby.set(Some((near.len(), first.id, req))),
                None => {
                    send.dispatch(req);
                }
            }
        });
    };

    let has = move |p: Problem| problems.with(|ps| ps.contains(&p));
    let error_for = move |p: Problem| {
        move || {
            has(p).then(|| {
                view! {
                    <p class="tk-field-error" id=format!("tk-error-{}", p.field())>
                        {strings().problem(p)}
                    </p>
                }
            })
        }
    };

    let category_choices = move || {
        Category::ALL
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let id = if i == 0 {
                    "tk-field-category".to_owned()
                } else {
                    format!("tk-cat-{}", c.code())
                };
                view! {
                    <label class=format!("tk-choice tk-cat-{}", c.code())>
                        <input
                            type="radio"
                            name="tk-category"
                            id=id
                            value=c.code()
                            prop:checked=move || state.draft.with(|d| d.category == Some(c))
                            on:change=move |_| {
                                state.draft.update(|d| d.category = Some(c));
                                problems.update(|p| p.retain(|x| *x != Problem::CategoryMissing));
                            }
                        />
                        {category_icon(c)}
                        <span>{move || strings().category(c)}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let time_choices = move || {
        TimeOfDay::ALL
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                let id = if i == 0 {
                    "tk-field-time_of_day".to_owned()
                } else {
                    format!("tk-tod-{}", t.code())
                };
                view! {
                    <label class="tk-choice">
                        <input
                            type="radio"
                            name="tk-time"
                            id=id
                            value=t.code()
                            prop:checked=move || state.draft.with(|d| d.time_of_day == Some(t))
                            on:change=move |_| {
                                state.draft.update(|d| d.time_of_day = Some(t));
                                problems.update(|p| p.retain(|x| *x != Problem::TimeMissing));
                            }
                        />
                        <span>{move || strings().time_of_day(t)}</span>
                    </label>
                }
            })
            .collect_view()
    };

    let place_select = move |choices: Vec<(String, LonLat)>| {
        let options = choices.clone();
        view! {
            <div class="tk-field">
                <label for="tk-field-place">{move || strings().place_label}</label>
                <select
                    id="tk-field-place"
                    aria-invalid=move || has(Problem::PlaceMissing).to_string()
                    on:change=move |ev| {
                        let i: Option<usize> = event_target_value(&ev).parse().ok();
                        if let Some((name, at)) = i.and_then(|i| choices.get(i)).cloned() {
                            state.step.set(Step::Form { at: Some(at), place_name: Some(name) });
                            problems.update(|p| p.retain(|x| *x != Problem::PlaceMissing));
                        }
                    }
                >
                    <option value="">{move || strings().place_choose}</option>
                    {options
                        .into_iter()
                        .enumerate()
                        .map(|(i, (name, _))| view! { <option value=i.to_string()>{name}</option> })
                        .collect_view()}
                </select>
                {move || has(Problem::PlaceMissing).then(|| view! { <p class="tk-field-error">{strings().err_place}</p> })}
            </div>
        }
    };

    view! {
        <form class="tk-sheet" novalidate on:submit=submit on:keydown=move |ev| {
            if ev.key() == "Escape" {
                state.close();
            }
        }>
            <h2 class="tk-sheet-title" tabindex="-1" node_ref=heading>
                {move || if via_list { strings().form_heading_list } else { strings().form_heading }}
            </h2>
            {places.map(place_select)}
            <fieldset class="tk-fieldset" aria-describedby="tk-error-category">
                <legend>{move || strings().category_legend}</legend>
                <div class="tk-choices">{category_choices()}</div>
                {error_for(Problem::CategoryMissing)}
            </fieldset>
            <fieldset class="tk-fieldset" aria-describedby="tk-error-time_of_day">
                <legend>{move || strings().time_legend}</legend>
                <div class="tk-choices tk-choices--row">{time_choices()}</div>
                {error_for(Problem::TimeMissing)}
            </fieldset>
            {via_list.then(|| view! {
                <div class="tk-field">
                    <label for="tk-field-place_description">{move || strings().place_description_label}</label>
                    <input
                        type="text"
                        id="tk-field-place_description"
                        maxlength=MAX_PLACE_DESCRIPTION_CHARS
                        prop:value=move || state.draft.with(|d| d.place_description.clone())
                        on:input=move |ev| state.draft.update(|d| d.place_description = event_target_value(&ev))
                    />
                </div>
            })}
            <div class="tk-field">
                <label for="tk-field-comment">{move || strings().comment_label}</label>
                <textarea
                    id="tk-field-comment"
                    rows="4"
                    aria-describedby="tk-comment-count tk-comment-notice"
                    aria-invalid=move || has(Problem::CommentTooLong).to_string()
                    prop:value=move || state.draft.with(|d| d.comment.clone())
                    on:input=move |ev| {
                        state.draft.update(|d| d.comment = event_target_value(&ev));
                        problems.update(|p| p.retain(|x| *x != Problem::CommentTooLong));
                    }
                ></textarea>
                <p id="tk-comment-count" class="tk-counter" class:tk-counter--over=move || state.draft.with(|d| comment_chars(&d.comment) > MAX_COMMENT_CHARS)>
                    {move || fill(strings().comment_counter, state.draft.with(|d| comment_chars(&d.comment)))}
                </p>
                {error_for(Problem::CommentTooLong)}
                <p id="tk-comment-notice" class="tk-notice">{move || strings().comment_notice}</p>
            </div>
            <NotifyOptIn />
            <div class="tk-honeypot" aria-hidden="true">
                <label for="tk-website">{move || strings().honeypot_label}</label>
                <input
                    type="text"
                    id="tk-website"
                    name="website"
                    tabindex="-1"
                    autocomplete="off"
                    prop:value=move || state.draft.with(|d| d.website.clone())
                    on:input=move |ev| state.draft.update(|d| d.website = event_target_value(&ev))
                />
            </div>
            {move || state.server_error.get().map(|m| view! { <p class="tk-error" role="alert">{m}</p> })}
            {move || state.nearby.get().map(|(n, first, req)| {
                let own = req.clone();
                view! {
                    <div class="tk-nearby" role="group" aria-labelledby="tk-nearby-text">
                        <p id="tk-nearby-text">{fill(strings().nearby, n)}</p>
                        <div class="tk-actions">
                            <button type="button" class="tk-button tk-button--primary" on:click=move |_| { agree.dispatch(first); }>
                                {strings().agree}
                            </button>
                            <button type="button" class="tk-button" on:click=move |_| { send.dispatch(own.clone()); }>
                                {strings().send_own}
                            </button>
                        </div>
                    </div>
                }
            })}
            <div class="tk-actions">
                <button type="submit" class="tk-button tk-button--primary tk-send" disabled=move || sending.get()>
                    {move || if sending.get() { strings().sending } else { strings().send }}
                </button>
                <button type="button" class="tk-button tk-cancel" on:click=move |_| state.close()>
                    {move || strings().cancel}
                </button>
            </div>
        </form>
    }
}
