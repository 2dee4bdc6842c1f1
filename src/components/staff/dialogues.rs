//! The organisers' dialogue sessions: the list (past ones too), "Ny dialog", edit, cancel with a
//! reason, and close an ended one with "Vad vi hörde" (`dialogue_close.rs`), whose outcome the
//! list then shows. The editor itself is `dialogue_editor.rs`.

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{Dialogue, DialogueStatus};
use uuid::Uuid;

use super::dialogue_close::{CloseDialogueForm, OutcomeSummary};
use super::dialogue_editor::DialogueEditor;
use super::PlanAt;
use crate::api::{self, ApiBase, Attempt};
use crate::context::{use_lang, use_staff_strings};
use crate::geo::basemap::Basemap;
use crate::geo::viewport::Viewport;
use crate::model::action_form::can_close;
use crate::model::dialogue::{format_when, DialogueForm, Editing};

#[component]
pub fn StaffDialogues(#[prop(into)] basemap: Signal<Option<Arc<Basemap>>>) -> impl IntoView {
    let strings = use_staff_strings();
    let lang = use_lang();
    let base = expect_context::<ApiBase>();
    let version = RwSignal::new(0u32);
    let list_base = base.clone();
    let dialogues = LocalResource::new(move || {
        version.track();
        let base = list_base.clone();
        async move { api::all_dialogues(&base).await }
    });
    let actions_base = base.clone();
    let actions = LocalResource::new(move || {
        let base = actions_base.clone();
        async move { api::actions(&base).await.unwrap_or_default() }
    });
    let action_list = Signal::derive(move || actions.get().unwrap_or_default());
    let closing = RwSignal::new(None::<Uuid>);
    let editing = RwSignal::new(Editing::Closed);
    let form = RwSignal::new(DialogueForm::default());
    // The field the message belongs to ("" for the whole form) and the message.
    let error = RwSignal::new(None::<(String, &'static str)>);
    let status = RwSignal::new(String::new());
    let cancelling = RwSignal::new(None::<Uuid>);
    let reason = RwSignal::new(String::new());
    let viewport = RwSignal::new(None::<Viewport>);

    let save_base = base.clone();
    let save = Action::new_local(move |(): &()| {
        let base = save_base.clone();
        let id = editing.get_untracked().id();
        let input = form.with_untracked(DialogueForm::to_input);
        async move {
            let s = strings();
            let input = match input {
                Ok(i) => i,
                Err(field) => {
                    let message = s.dialogue_field_error(field, "required");
                    error.set(Some((field.to_owned(), message)));
                    return;
                }
            };
            match api::save_dialogue(&base, id, &input).await {
                Ok(_) => {
                    editing.set(Editing::Closed);
                    error.set(None);
                    status.set(s.saved.to_owned());
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    let field = e.field().unwrap_or_default().to_owned();
                    error.set(Some((field, s.api_error(Attempt::Dialogue, &e))));
                }
            }
        }
    });
    let cancel_base = base.clone();
    let cancel = Action::new_local(move |id: &Uuid| {
        let (base, id) = (cancel_base.clone(), *id);
        let why = reason.get_untracked();
        async move {
            let s = strings();
            match api::cancel_dialogue(&base, id, &why).await {
                Ok(_) => {
                    cancelling.set(None);
                    reason.set(String::new());
                    status.set(s.cancelled_done.to_owned());
                    version.update(|v| *v += 1);
                }
                Err(_) => status.set(s.err_required.to_owned()),
            }
        }
    });

    let open = move |d: Option<Dialogue>| {
        error.set(None);
        status.set(String::new());
        form.set(
            d.as_ref()
                .map_or_else(DialogueForm::default, DialogueForm::from_dialogue),
        );
        editing.set(d.map_or(Editing::New, |d| Editing::Existing(d.id)));
    };
    // "Planera dialog här" on a hotspot: a new session at that place.
    if let Some(PlanAt(plan)) = use_context::<PlanAt>() {
        Effect::new(move |_| {
            if let Some((at, name)) = plan.get() {
                open(None);
                form.update(|f| {
                    f.at = Some(at);
                    f.place_name = name;
                });
                plan.set(None);
                viewport.set(None);
                request_animation_frame(|| {
                    if let Some(editor) = crate::dom::query(".tk-dialogue-editor") {
                        editor.scroll_into_view();
                    }
                    crate::dom::focus_id("tk-d-title");
                });
            }
        });
    }

    let editor = move || {
        editing.get().is_open().then(|| {
            view! {
                <DialogueEditor form=form editing=editing error=error save=save basemap=basemap viewport=viewport />
            }
        })
    };

    let row = move |d: Dialogue| {
        let s = strings();
        let when = format_when(&d.starts_at, &d.ends_at, lang.get()).unwrap_or_default();
        let cancelled = d.status == DialogueStatus::Cancelled;
        let closable = can_close(&d, (crate::device::now_ms() / 1000.0) as i64);
        let outcome = d.outcome.clone();
        let (edit_d, id) = (d.clone(), d.id);
        view! {
            <li class="tk-dialogue" class:tk-dialogue--cancelled=cancelled>
                <h3 class="tk-dialogue-title">
                    {cancelled.then(|| view! { <span class="tk-badge">{s.cancelled}</span> " " })}
                    {outcome.is_some().then(|| view! { <span class="tk-badge tk-badge--ok">{s.closed_badge}</span> " " })}
                    {d.title.clone()}
                </h3>
                <p>{format!("{when} · {}", d.place_name)}</p>
                {outcome.map(|o| view! { <OutcomeSummary outcome=o actions=action_list /> })}
                <div class="tk-actions">
                    <button type="button" class="tk-button tk-button--small tk-edit" on:click=move |_| open(Some(edit_d.clone()))>{s.edit}</button>
                    {(!cancelled).then(|| view! {
                        <button type="button" class="tk-button tk-button--small tk-cancel-dialogue" on:click=move |_| cancelling.set(Some(id))>{s.cancel_dialogue}</button>
                    })}
                    {closable.then(|| view! {
                        <button type="button" class="tk-button tk-button--small tk-close-dialogue"
                            aria-expanded=move || (closing.get() == Some(id)).to_string()
                            on:click=move |_| closing.set(Some(id))>{s.close_dialogue}</button>
                    })}
                </div>
                {move || (closing.get() == Some(id)).then(|| view! {
                    <CloseDialogueForm id=id actions=action_list done=Callback::new(move |closed: bool| {
                        closing.set(None);
                        if closed {
                            status.set(strings().close_done.to_owned());
                            version.update(|v| *v += 1);
                        }
                    }) />
                })}
                {move || (cancelling.get() == Some(id)).then(|| view! {
                    <div class="tk-field">
                        <label for="tk-cancel-reason">{strings().cancel_reason_label}</label>
                        <input id="tk-cancel-reason" type="text" prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev)) />
                        <div class="tk-actions">
                            <button type="button" class="tk-button tk-button--primary tk-confirm-cancel" on:click=move |_| { cancel.dispatch(id); }>
                                {strings().confirm_cancel}
                            </button>
                        </div>
                    </div>
                })}
            </li>
        }
    };

    view! {
        <div class="tk-staff-dialogues">
            <p class="tk-status" role="status">{move || status.get()}</p>
            <div class="tk-actions">
                <button type="button" class="tk-button tk-button--primary tk-new-dialogue" on:click=move |_| open(None)>
                    {move || strings().new_dialogue}
                </button>
            </div>
            {editor}
            {move || dialogues.get().and_then(Result::ok).map(|list| view! {
                <ul class="tk-dialogue-list">{list.into_iter().map(row).collect_view()}</ul>
            })}
        </div>
    }
}
