//! The answer form (planners, admins): a state from the five, the reason when nothing will be
//! done, who answers, and the public answer with its counter and the note that it is public.
//! One form for one pin (on its card) and for many (a hotspot's pins, the ticked pins of the
//! list); its data and checks are `model::answer::StatusForm`.

use leptos::prelude::*;
use trygghetskarta_shared::followup::MAX_RESPONSE_CHARS;
use trygghetskarta_shared::{NoActionReason, Party, PinStatus};
use uuid::Uuid;

use crate::api::{self, ApiBase, Attempt};
use crate::components::staff::form_error::{field_message, invalid, FormError};
use crate::components::staff::Selection;
use crate::context::use_staff_strings;
use crate::i18n::fill;
use crate::model::answer::StatusForm;

/// Who the answer goes to.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    One(Uuid),
    Many(Vec<Uuid>),
}

/// The planners' status line (Markeringar's `role="status"`), where a saved answer is told.
#[derive(Clone, Copy)]
pub struct Notice(pub RwSignal<String>);

#[component]
pub fn AnswerForm(
    target: Target,
    initial: StatusForm,
    /// Prefix of the form's element ids (one form per pin, hotspot or list).
    key: String,
    /// Closes the form (after saving too).
    close: Callback<()>,
    /// Runs once the answer is saved.
    #[prop(optional)]
    saved: Option<Callback<()>>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let sel = use_context::<Selection>();
    let notice = use_context::<Notice>();
    let form = RwSignal::new(initial);
    // The field a message belongs to ("" for the whole form) and the message.
    let error: FormError = RwSignal::new(None);
    let many = match &target {
        Target::One(_) => None,
        Target::Many(ids) => Some(ids.len()),
    };
    let save = Action::new_local(move |(): &()| {
        let (base, target) = (base.clone(), target.clone());
        let f = form.get_untracked();
        async move {
            let s = strings();
            let sent = match &target {
                Target::One(id) => match f.to_change() {
                    Ok(c) => api::set_status(&base, *id, &c)
                        .await
                        .map(|_| s.answer_saved.to_owned()),
                    Err((field, code)) => {
                        error.set(Some((field.into(), s.followup_field_error(field, code))));
                        return;
                    }
                },
                Target::Many(ids) => match f.to_bulk(ids.clone()) {
                    Ok(c) => api::set_status_bulk(&base, &c)
                        .await
                        .map(|r| fill(s.bulk_answered, r.changed)),
                    Err((field, code)) => {
                        error.set(Some((field.into(), s.followup_field_error(field, code))));
                        return;
                    }
                },
            };
            match sent {
                Ok(message) => {
                    error.set(None);
                    if let Some(Notice(n)) = notice {
                        n.set(message);
                    }
                    close.run(());
                    if let Some(saved) = saved {
                        saved.run(());
                    }
                    if let Some(sel) = sel {
                        sel.reload();
                    }
                }
                Err(e) => {
                    let field = e.field().unwrap_or_default().to_owned();
                    error.set(Some((field, s.api_error(Attempt::Followup, &e))));
                }
            }
        }
    });
    let id = move |part: &str| format!("{key}-{part}");
    let field_error = move |field: &'static str| field_message(error, field);
    let invalid = move |field: &'static str| invalid(error, field);
    let (status_name, reason_id, party_id, text_id) =
        (id("status"), id("reason"), id("party"), id("response"));
    let (note_id, count_id) = (id("note"), id("count"));
    let described = format!("{note_id} {count_id}");
    let heading = move || match many {
        Some(n) => fill(strings().answer_many_heading, n),
        None => strings().answer_heading.to_owned(),
    };
    let state_radio = {
        let status_name = status_name.clone();
        move |st: PinStatus| {
            let rid = format!("{status_name}-{}", st.code());
            view! {
                <label class="tk-radio" for=rid.clone()>
                    <input type="radio" id=rid.clone() name=status_name.clone() value=st.code()
                        prop:checked=move || form.with(|f| f.status == st)
                        on:change=move |_| form.update(|f| f.status = st) />
                    " " {move || strings().pin_status(st)}
                </label>
            }
        }
    };
    view! {
        <form class="tk-inline-form tk-answer-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            error.set(None);
            save.dispatch(());
        }>
            <p class="tk-answer-form-heading"><strong>{heading}</strong></p>
            <fieldset class="tk-fieldset">
                <legend>{move || strings().answer_state_label}</legend>
                {PinStatus::ALL.iter().copied().map(state_radio).collect_view()}
            </fieldset>
            {move || (form.with(|f| f.status) == PinStatus::NoAction).then(|| {
                let rid = reason_id.clone();
                view! {
                    <div class="tk-field">
                        <label for=rid.clone()>{move || strings().answer_reason_label}</label>
                        <select id=rid required aria-invalid=invalid("reason")
                            prop:value=move || form.with(|f| f.reason.map_or("", |r| r.code()))
                            on:change=move |ev| form.update(|f| f.reason = NoActionReason::parse(&event_target_value(&ev)))>
                            <option value="">{move || strings().answer_reason_choose}</option>
                            {NoActionReason::ALL.iter().copied().map(|r| view! {
                                <option value=r.code() selected=move || form.with(|f| f.reason == Some(r))>
                                    {move || strings().no_action_reason(r)}
                                </option>
                            }).collect_view()}
                        </select>
                        {field_error("reason")}
                    </div>
                }
            })}
            <div class="tk-field">
                <label for=party_id.clone()>{move || strings().answer_party_label}</label>
                <select id=party_id
                    prop:value=move || form.with(|f| f.party.code())
                    on:change=move |ev| {
                        if let Some(p) = Party::parse(&event_target_value(&ev)) {
                            form.update(|f| f.party = p);
                        }
                    }>
                    {Party::ALL.iter().copied().map(|p| view! {
                        <option value=p.code() selected=move || form.with(|f| f.party == p)>{move || strings().party(p)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="tk-field">
                <label for=text_id.clone()>{move || strings().answer_text_label}</label>
                <p class="tk-notice" id=note_id>{move || strings().answer_public_note}</p>
                <textarea id=text_id.clone() rows="4" maxlength=MAX_RESPONSE_CHARS
                    aria-describedby=described aria-invalid=invalid("response")
                    prop:value=move || form.with(|f| f.response.clone())
                    on:input=move |ev| form.update(|f| f.response = event_target_value(&ev))></textarea>
                <p class="tk-muted tk-char-count" id=count_id>
                    {move || fill(strings().answer_chars_left, form.with(StatusForm::chars_left))}
                </p>
                {field_error("response")}
            </div>
            {field_error("pins")}
            {move || error.get().filter(|(f, _)| !["reason", "response", "pins"].contains(&f.as_str())).map(|(_, m)| view! {
                <p class="tk-error" role="alert">{m}</p>
            })}
            <div class="tk-actions">
                <button type="submit" class="tk-button tk-button--primary tk-save-answer">{move || strings().answer_save}</button>
                <button type="button" class="tk-button" on:click=move |_| close.run(())>{move || strings().cancel}</button>
            </div>
        </form>
    }
}
