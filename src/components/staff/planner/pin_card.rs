//! One pin in the planners' view: what it is and where, its state and public answer ("Svara",
//! `answer.rs`), moderation (hide, restore, approve, redact the comment) and its history.

use leptos::prelude::*;
use trygghetskarta_shared::pin::MAX_COMMENT_CHARS;
use trygghetskarta_shared::staff::MAX_REASON_CHARS;
use trygghetskarta_shared::{
    ModerationAction, ModerationEvent, NoActionReason, PinStatus, StaffPin,
};
use uuid::Uuid;

use super::answer::{AnswerForm, Target};
use crate::api::{self, ApiBase, Moderation};
use crate::components::pin_layer::category_icon;
use crate::context::use_staff_strings;
use crate::geo::LonLat;
use crate::i18n::fill;
use crate::model::answer::{BulkSelection, StatusForm};
use crate::model::staff::minutes;

/// What the pin card is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Idle,
    Hiding,
    Restoring,
    Editing,
    Answering,
}

#[component]
pub fn PinCard(
    pin: StaffPin,
    moderate: Action<(Uuid, Moderation), bool>,
    show: Callback<LonLat>,
    /// The list's ticks for a shared answer (in the list, not on the map's chosen pin).
    #[prop(optional)]
    picked: Option<RwSignal<BulkSelection>>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let s = strings();
    let id = pin.id;
    let mode = RwSignal::new(Mode::Idle);
    let reason = RwSignal::new(String::new());
    let comment = RwSignal::new(pin.comment.clone().unwrap_or_default());
    let history_open = RwSignal::new(false);
    let history = LocalResource::new(move || {
        let (open, base) = (history_open.get(), base.clone());
        async move {
            if open {
                api::pin_history(&base, id).await.ok()
            } else {
                None
            }
        }
    });
    let at = LonLat::lat_lon(pin.lat, pin.lon);
    let submit = move |step: Moderation| {
        moderate.dispatch((id, step));
    };
    // Close the form once the change is saved.
    Effect::new(move |_| {
        if moderate.value().get() == Some(true) {
            mode.set(Mode::Idle);
            reason.set(String::new());
        }
    });
    let when = minutes(&pin.created_at);
    let answer_initial = StatusForm::from_pin(&pin);
    let (state, state_reason, response) = (pin.status, pin.status_reason, pin.response.clone());
    let has_comment = pin.comment.is_some();
    let (hidden, approved) = (pin.hidden, pin.comment_approved);
    let reason_form = move |m: Mode| {
        let (label, step): (&'static str, fn(String) -> Moderation) = match m {
            Mode::Hiding => (strings().confirm_hide, Moderation::Hide),
            _ => (strings().confirm_restore, Moderation::Restore),
        };
        let field = format!("tk-reason-{id}");
        view! {
            <form class="tk-inline-form" on:submit=move |ev| {
                ev.prevent_default();
                submit(step(reason.get_untracked()));
            }>
                <div class="tk-field">
                    <label for=field.clone()>{strings().reason_label}</label>
                    <input id=field type="text" required maxlength=MAX_REASON_CHARS
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev)) />
                </div>
                <div class="tk-actions">
                    <button type="submit" class="tk-button tk-button--primary tk-confirm-moderation">{label}</button>
                    <button type="button" class="tk-button" on:click=move |_| mode.set(Mode::Idle)>{strings().cancel}</button>
                </div>
            </form>
        }
    };
    let edit_form = move || {
        let field = format!("tk-edit-{id}");
        view! {
            <form class="tk-inline-form" on:submit=move |ev| {
                ev.prevent_default();
                submit(Moderation::EditComment(comment.get_untracked()));
            }>
                <div class="tk-field">
                    <label for=field.clone()>{strings().edit_comment}</label>
                    <p class="tk-muted">{strings().edit_comment_hint}</p>
                    <textarea id=field rows="4" maxlength=MAX_COMMENT_CHARS
                        prop:value=move || comment.get()
                        on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <div class="tk-actions">
                    <button type="submit" class="tk-button tk-button--primary tk-save-comment">{strings().save}</button>
                    <button type="button" class="tk-button" on:click=move |_| mode.set(Mode::Idle)>{strings().cancel}</button>
                </div>
            </form>
        }
    };
    view! {
        <article class="tk-pin-card" class:tk-pin-card--hidden=hidden data-pin=id.to_string()>
            <p class="tk-selected-title">
                {category_icon(pin.category)}
                <strong>{s.category(pin.category)}</strong>
                " · " {s.time_of_day(pin.time_of_day)}
                {hidden.then(|| view! { " " <span class="tk-badge tk-badge--hidden">{s.hidden_badge}</span> })}
                {approved.then(|| view! { " " <span class="tk-badge tk-badge--ok">{s.approved_badge}</span> })}
            </p>
            <p class="tk-muted">
                {format!("{} {when}", s.marked_on)}
                {pin.area.clone().map(|a| format!(" · {a}"))}
                {format!(" · {}", fill(s.agrees, pin.agree_count))}
            </p>
            {pin.place_description.clone().map(|d| view! { <p><strong>{s.place_label} ": "</strong>{d}</p> })}
            <p class="tk-pin-comment">{pin.comment.clone().unwrap_or_else(|| s.no_comment.to_owned())}</p>
            {pin.hidden_reason.clone().map(|r| view! { <p class="tk-muted">{format!("{}: {r}", s.hidden_badge)}</p> })}
            <div class="tk-answer tk-staff-answer">
                <p class="tk-answer-state">
                    {s.status_label} " "
                    <strong class=format!("tk-state tk-state-{}", state.code())>{s.pin_status(state)}</strong>
                    {state_reason.filter(|_| state == PinStatus::NoAction).map(|r| format!(" · {}", s.no_action_reason(r)))}
                </p>
                {match response {
                    Some(r) => view! {
                        <blockquote class="tk-answer-text">
                            <p>{r.text}</p>
                            <footer>{format!("{} {}, {}", s.answer_from, s.party(r.party), r.date)}</footer>
                        </blockquote>
                    }.into_any(),
                    None => view! { <p class="tk-muted">{s.answer_none}</p> }.into_any(),
                }}
            </div>
            {picked.map(|picked| {
                let cid = format!("tk-pick-{id}");
                view! {
                    <p class="tk-pick">
                        <input type="checkbox" id=cid.clone() class="tk-pick-box"
                            prop:checked=move || picked.with(|p| p.contains(&id))
                            on:change=move |_| picked.update(|p| p.toggle(id)) />
                        <label for=cid>{s.bulk_pick}</label>
                    </p>
                }
            })}
            <div class="tk-actions">
                <button type="button" class="tk-button tk-button--small tk-answer-pin"
                    aria-expanded=move || (mode.get() == Mode::Answering).to_string()
                    on:click=move |_| mode.set(Mode::Answering)>{s.answer_button}</button>
                <button type="button" class="tk-button tk-button--small" on:click=move |_| show.run(at)>{s.show_on_map}</button>
                {if hidden {
                    view! { <button type="button" class="tk-button tk-button--small tk-restore" on:click=move |_| mode.set(Mode::Restoring)>{s.restore}</button> }.into_any()
                } else {
                    view! { <button type="button" class="tk-button tk-button--small tk-hide" on:click=move |_| mode.set(Mode::Hiding)>{s.hide}</button> }.into_any()
                }}
                {has_comment.then(|| view! {
                    <button type="button" class="tk-button tk-button--small tk-edit-comment" on:click=move |_| mode.set(Mode::Editing)>{s.edit_comment}</button>
                })}
                {(has_comment && !approved).then(|| view! {
                    <button type="button" class="tk-button tk-button--small tk-approve" on:click=move |_| submit(Moderation::Approve)>{s.approve}</button>
                })}
                {approved.then(|| view! {
                    <button type="button" class="tk-button tk-button--small tk-unapprove" on:click=move |_| submit(Moderation::Unapprove)>{s.unapprove}</button>
                })}
                <button type="button" class="tk-button tk-button--small tk-history"
                    aria-expanded=move || history_open.get().to_string()
                    on:click=move |_| history_open.update(|o| *o = !*o)>{s.history}</button>
            </div>
            {move || match mode.get() {
                Mode::Idle => None,
                Mode::Editing => Some(edit_form().into_any()),
                Mode::Answering => Some(view! {
                    <AnswerForm target=Target::One(id) initial=answer_initial.clone()
                        key=format!("tk-answer-{id}") close=Callback::new(move |()| mode.set(Mode::Idle)) />
                }.into_any()),
                m => Some(reason_form(m).into_any()),
            }}
            {move || history_open.get().then(|| history.get().flatten().map(|events| view! {
                <HistoryList events=events />
            }))}
        </article>
    }
}

#[component]
fn HistoryList(events: Vec<ModerationEvent>) -> impl IntoView {
    let s = use_staff_strings()();
    if events.is_empty() {
        return view! { <p class="tk-muted tk-history-list">{s.history_empty}</p> }.into_any();
    }
    view! {
        <ol class="tk-history-list">
            {events.into_iter().map(|e| {
                let when = minutes(&e.at);
                let change = match e.action {
                    ModerationAction::EditComment => Some(format!(
                        "«{}» → «{}»",
                        e.before.unwrap_or_default(),
                        e.after.unwrap_or_default()
                    )),
                    ModerationAction::Status => {
                        let label = |code: Option<String>| {
                            code.as_deref()
                                .and_then(PinStatus::parse)
                                .map_or("–", |st| s.pin_status(st))
                        };
                        Some(format!("{} → {}", label(e.before), label(e.after)))
                    }
                    _ => None,
                };
                let reason = match e.action {
                    ModerationAction::Status => e.reason.map(|r| {
                        NoActionReason::parse(&r).map_or(r, |x| s.no_action_reason(x).to_owned())
                    }),
                    _ => e.reason,
                };
                let answer = e.response.map(|r| format!("{}: «{r}»", s.answer_history_answer));
                view! {
                    <li>
                        <strong>{s.moderation_action(e.action)}</strong>
                        {format!(" · {when} · {}", e.actor)}
                        {reason.map(|r| view! { <br /> {format!("{}: {r}", s.reason_label)} })}
                        {change.map(|c| view! { <br /> {c} })}
                        {answer.map(|a| view! { <br /> {a} })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
