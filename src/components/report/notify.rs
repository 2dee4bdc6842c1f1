//! "Vill du få ett mejl när något händer med din markering?": the opt-in, offered only when the
//! server has a mail relay, with what the address is used for and when it is deleted.

use leptos::prelude::*;
use trygghetskarta_shared::pin::MAX_EMAIL_CHARS;

use super::state::ReportState;
use crate::context::use_strings;
use crate::model::report::Problem;

#[component]
pub fn NotifyOptIn() -> impl IntoView {
    let strings = use_strings();
    let state = expect_context::<ReportState>();
    let problems = state.problems;
    let invalid = move || problems.with(|p| p.contains(&Problem::EmailInvalid));
    let asked = move || state.draft.with(|d| d.notify);
    move || {
        state.mail_offered.get().then(|| {
            view! {
                <fieldset class="tk-fieldset tk-notify">
                    <legend class="tk-visually-hidden">{move || strings().notify_question}</legend>
                    <label class="tk-choice tk-choice--check">
                        <input type="checkbox" id="tk-field-notify"
                            prop:checked=asked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                state.draft.update(|d| d.notify = on);
                                problems.update(|p| p.retain(|x| *x != Problem::EmailInvalid));
                            } />
                        <span>{move || strings().notify_question}</span>
                    </label>
                    <Show when=asked>
                        <div class="tk-field">
                            <label for="tk-field-notify_email">{move || strings().notify_email_label}</label>
                            <input type="email" id="tk-field-notify_email" autocomplete="email"
                                inputmode="email" maxlength=MAX_EMAIL_CHARS
                                aria-describedby="tk-notify-privacy"
                                aria-invalid=move || invalid().to_string()
                                prop:value=move || state.draft.with(|d| d.email.clone())
                                on:input=move |ev| {
                                    state.draft.update(|d| d.email = event_target_value(&ev));
                                    problems.update(|p| p.retain(|x| *x != Problem::EmailInvalid));
                                } />
                            {move || invalid().then(|| view! {
                                <p class="tk-field-error" id="tk-error-notify_email">{strings().err_email}</p>
                            })}
                            <p id="tk-notify-privacy" class="tk-notice">{move || strings().notify_privacy}</p>
                        </div>
                    </Show>
                </fieldset>
            }
        })
    }
}
