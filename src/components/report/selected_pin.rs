//! The chosen public pin: what it is, and "Jag känner likadant".

use leptos::prelude::*;
use uuid::Uuid;

use super::state::ReportState;
use crate::api::ApiBase;
use crate::components::pin_layer::category_icon;
use crate::context::use_strings;
use crate::i18n::fill;

/// The chosen public pin: what it is, and "Jag känner likadant".
#[component]
pub fn SelectedPin() -> impl IntoView {
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
