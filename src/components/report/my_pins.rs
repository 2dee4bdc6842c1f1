//! "Mina markeringar": reports from this device, with "Visa" and delete (a part of its own,
//! loaded when the section is opened: `components::part`), and "Du har N nya svar".

use leptos::prelude::*;

use super::selected_pin::Answer;
use super::state::ReportState;
use crate::api::{self, ApiBase};
use crate::components::part::{open_and_focus, part, PartFailed};
use crate::components::pin_layer::category_icon;
use crate::context::use_strings;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::lowercase;
use crate::interaction::controller::focus;
use crate::model::mine::MyPin;

/// The heading of "Mina markeringar" (its section is opened and focused from "Du har N nya svar").
pub const MINE_HEADING: &str = "tk-mine-heading";

part! {
    my_pins preload preload_my_pins;
    /// The list of "Mina markeringar", fetched the first time the section opens.
    pub fn my_pins_part(viewport: RwSignal<Option<Viewport>>) -> Result<AnyView, PartFailed> {
        Ok(view! { <MyPins viewport=viewport /> }.into_any())
    }
}

/// "Mina markeringar": reports from this device, with delete.
#[component]
fn MyPins(viewport: RwSignal<Option<Viewport>>) -> impl IntoView {
    let strings = use_strings();
    let state = expect_context::<ReportState>();
    let base = expect_context::<ApiBase>();
    let remove = Action::new_local(move |pin: &MyPin| {
        let pin = pin.clone();
        let base = base.clone();
        async move {
            let s = state.strings();
            let result = match &pin.delete_token {
                Some(token) => api::delete_pin(&base, pin.id, token).await,
                None => Ok(()),
            };
            match result {
                Ok(()) => {
                    state.forget(pin.id);
                    state.status.set(s.deleted.to_owned());
                    state.pins_version.update(|v| *v += 1);
                }
                Err(_) => state.status.set(s.delete_failed.to_owned()),
            }
        }
    });
    let show = move |p: &MyPin| {
        let at = project(LonLat::lat_lon(p.lat, p.lon));
        viewport.update(|v| {
            if let Some(v) = v.as_mut() {
                *v = focus(*v, at, v.zoom.max(16.0));
            }
        });
    };
    view! {
            {move || {
                let pins = state.mine.get().pins;
                if pins.is_empty() {
                    return view! { <p class="tk-muted">{strings().mine_empty}</p> }.into_any();
                }
                view! {
                    <ul class="tk-mine-list">
                        {pins
                            .into_iter()
                            .map(|p| {
                                let s = strings();
                                let pending = p.delete_token.is_none();
                                let (to_show, to_remove) = (p.clone(), p.clone());
                                let answer = state.answers.with(|a| a.iter().find(|x| x.id == p.id).cloned());
                                let is_new = state.new_answers.with(|n| n.contains(&p.id));
                                view! {
                                    <li class="tk-mine-item">
                                        {category_icon(p.category)}
                                        <span class="tk-mine-text">
                                            {format!("{}, {} · {}", s.category(p.category), lowercase(s.time_of_day(p.time_of_day)), p.date)}
                                            {pending.then(|| view! { <span class="tk-badge tk-badge--pending">{s.mine_pending}</span> })}
                                            {is_new.then(|| view! { <span class="tk-badge tk-badge--new">{s.new_answer}</span> })}
                                        </span>
                                        <button type="button" class="tk-button tk-button--small" on:click=move |_| show(&to_show)>{s.mine_show}</button>
                                        <button type="button" class="tk-button tk-button--small tk-delete" on:click=move |_| { remove.dispatch(to_remove.clone()); }>{s.mine_delete}</button>
                                        {answer.map(|a| view! { <div class="tk-mine-answer"><Answer pin=a /></div> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
    }
}

/// "Du har N nya svar" at the start of the widget, with a way to the answers.
#[component]
pub fn NewAnswers() -> impl IntoView {
    let strings = use_strings();
    let state = expect_context::<ReportState>();
    move || {
        let n = state.new_answers.with(Vec::len);
        (n > 0).then(|| {
            let s = strings();
            view! {
                <p class="tk-new-answers" role="status">
                    <span>{s.new_answers(n)}</span> " "
                    <button type="button" class="tk-button tk-button--small"
                        on:click=move |_| open_and_focus(state.mine_section.open, MINE_HEADING)>
                        {s.show_my_pins}
                    </button>
                </p>
            }
        })
    }
}
