//! The chosen public pin: what it is, and "Jag känner likadant". The card is a part of its own
//! (its wasm is fetched the first time a resident chooses a pin), so the first screen does not
//! carry it.

use leptos::prelude::*;
use trygghetskarta_shared::{PinStatus, PublicPin};
use uuid::Uuid;

use super::state::ReportState;
use crate::api::ApiBase;
use crate::components::action_layer::{go_to_update, update_id, Actions, UpdatesSection};
use crate::components::part::{part, show_part, PartFailed};
use crate::components::pin_layer::category_icon;
use crate::context::use_strings;
use crate::i18n::{fill, lowercase};

/// The chosen public pin's card, once a pin has been chosen: loaded then, and kept.
#[component]
pub fn SelectedPin() -> impl IntoView {
    let state = expect_context::<ReportState>();
    let chosen_once = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || state.selected.with(Option::is_some)
    });
    let retry = RwSignal::new(0u32);
    move || {
        retry.track();
        chosen_once
            .get()
            .then(|| show_part(selected_pin_part(), retry))
    }
}

part! {
    selected_pin;
    /// The chosen pin's card, fetched the first time a pin is chosen.
    pub fn selected_pin_part() -> Result<AnyView, PartFailed> {
        Ok(view! { <SelectedPinCard /> }.into_any())
    }
}

/// The chosen public pin: what it is, and "Jag känner likadant".
#[component]
fn SelectedPinCard() -> impl IntoView {
    let strings = use_strings();
    let state = expect_context::<ReportState>();
    let base = expect_context::<ApiBase>();
    let agree = Action::new_local(move |pin: &Uuid| {
        let (pin, base) = (*pin, base.clone());
        async move {
            let s = state.strings();
            match state.agree(&base, pin).await {
                Ok(res) => state.selected.update(|p| {
                    if let Some(p) = p.as_mut() {
                        p.agree_count = res.agree_count;
                    }
                }),
                Err(_) => state.status.set(s.err_generic.to_owned()),
            }
        }
    });
    move || {
        state.selected.get().map(|p| {
            let s = strings();
            view! {
                <div class="tk-selected" role="region" aria-label=s.category(p.category)>
                    <p class="tk-selected-title">
                        {category_icon(p.category)}
                        {s.category(p.category)}
                    </p>
                    <p>{format!("{} · {} {}", s.time_of_day(p.time_of_day), s.reported_on, p.created_date)}</p>
                    <p>{fill(s.agree_count, p.agree_count)}</p>
                    {p.comment.clone().map(|c| view! { <p class="tk-comment">{c}</p> })}
                    <Answer pin=p.clone() />
                    <div class="tk-actions">
                        <button type="button" class="tk-button tk-button--primary" on:click=move |_| { agree.dispatch(p.id); }>
                            {s.agree}
                        </button>
                        <button type="button" class="tk-button" on:click=move |_| state.selected.set(None)>
                            {s.close}
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// A pin's state, its public answer (who answered and when, never a name) and the action it is
/// part of.
#[component]
pub fn Answer(pin: PublicPin) -> impl IntoView {
    let strings = use_strings();
    let actions = use_context::<Actions>();
    let updates = use_context::<UpdatesSection>();
    let s = strings();
    let action_id = pin.action_id;
    // The actions may still be loading: look the title up when they are there.
    let action = move || {
        let id = action_id?;
        actions?
            .get()
            .and_then(Result::ok)?
            .into_iter()
            .find(|a| a.id == id)
    };
    let state = pin.status;
    (state != PinStatus::Received || pin.response.is_some()).then(|| {
        view! {
            <div class="tk-answer">
                <p class="tk-answer-state">
                    {s.status_label} " "
                    <strong class=format!("tk-state tk-state-{}", state.code())>{s.pin_status(state)}</strong>
                </p>
                {pin.response.map(|r| view! {
                    <blockquote class="tk-answer-text">
                        <p>{r.text}</p>
                        <footer>{format!("{} {}, {}", s.answer_from, s.party(r.party), r.date)}</footer>
                    </blockquote>
                })}
                {move || action().map(|a| {
                    let id = a.id;
                    view! {
                    <p class="tk-answer-action">
                        {s.part_of_action} ": "
                        <a class="tk-answer-action-link" href=format!("#{}", update_id(&id))
                            on:click=move |ev: leptos::ev::MouseEvent| {
                                ev.prevent_default();
                                go_to_update(updates, &id);
                            }><strong>{a.title}</strong></a>
                        {format!(" ({})", lowercase(s.action_state(a.state)))}
                    </p>
                }})}
            </div>
        }
    })
}
