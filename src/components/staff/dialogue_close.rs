//! "Stäng med Vad vi hörde": closing an ended session with its outcome (a summary, the number
//! of participants, themes from the six categories and free text, the actions decided). The
//! data and its checks are `model::action_form::CloseForm`.

use leptos::prelude::*;
use trygghetskarta_shared::followup::MAX_SUMMARY_CHARS;
use trygghetskarta_shared::{Action as PlanAction, Category, DialogueOutcome};
use uuid::Uuid;

use super::form_error::{field_message, invalid, FormError};
use crate::api::{self, ApiBase, Attempt};
use crate::context::use_staff_strings;
use crate::i18n::fill;
use crate::model::action_form::CloseForm;

#[component]
pub fn CloseDialogueForm(
    id: Uuid,
    /// The actions that can be named as decided.
    actions: Signal<Vec<PlanAction>>,
    /// Closes the form; `true` once the session is closed.
    done: Callback<bool>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let form = RwSignal::new(CloseForm::default());
    let error: FormError = RwSignal::new(None);
    let save = Action::new_local(move |(): &()| {
        let base = base.clone();
        let input = form.with_untracked(CloseForm::to_input);
        async move {
            let s = strings();
            let input = match input {
                Ok(i) => i,
                Err((field, code)) => {
                    error.set(Some((field.into(), s.followup_field_error(field, code))));
                    return;
                }
            };
            match api::close_dialogue(&base, id, &input).await {
                Ok(_) => done.run(true),
                Err(e) => {
                    let field = e.field().unwrap_or_default().to_owned();
                    error.set(Some((field, s.api_error(Attempt::Followup, &e))));
                }
            }
        }
    });
    let fid = move |part: &str| format!("tk-close-{id}-{part}");
    let field_error = move |field: &'static str| field_message(error, field);
    let invalid = move |field: &'static str| invalid(error, field);
    let (summary_id, count_id, other_id) =
        (fid("summary"), fid("participants"), fid("other-themes"));
    let theme_box = move |c: Category| {
        let cid = fid(c.code());
        view! {
            <label class="tk-check" for=cid.clone()>
                <input type="checkbox" id=cid.clone() prop:checked=move || form.with(|f| f.themes.contains(&c))
                    on:change=move |_| form.update(|f| f.toggle_theme(c)) />
                " " {move || strings().category(c)}
            </label>
        }
    };
    let action_box = move |a: PlanAction| {
        let (aid, cid) = (a.id, fid(&a.id.to_string()));
        view! {
            <label class="tk-check" for=cid.clone()>
                <input type="checkbox" id=cid.clone() prop:checked=move || form.with(|f| f.actions.contains(&aid))
                    on:change=move |_| form.update(|f| f.toggle_action(aid)) />
                {format!(" {} ({})", a.title, strings().action_state(a.state).to_lowercase())}
            </label>
        }
    };
    view! {
        <form class="tk-inline-form tk-close-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            error.set(None);
            save.dispatch(());
        }>
            <p><strong>{move || strings().close_heading}</strong></p>
            <div class="tk-field">
                <label for=summary_id.clone()>{move || strings().close_summary_label}</label>
                <textarea id=summary_id rows="5" maxlength=MAX_SUMMARY_CHARS aria-invalid=invalid("summary")
                    prop:value=move || form.with(|f| f.summary.clone())
                    on:input=move |ev| form.update(|f| f.summary = event_target_value(&ev))></textarea>
                {field_error("summary")}
            </div>
            <div class="tk-field">
                <label for=count_id.clone()>{move || strings().close_participants_label}</label>
                <input id=count_id type="number" min="0" step="1" inputmode="numeric" aria-invalid=invalid("participants")
                    prop:value=move || form.with(|f| f.participants.clone())
                    on:input=move |ev| form.update(|f| f.participants = event_target_value(&ev)) />
                {field_error("participants")}
            </div>
            <fieldset class="tk-fieldset">
                <legend>{move || strings().themes}</legend>
                {Category::ALL.into_iter().map(theme_box).collect_view()}
                <div class="tk-field">
                    <label for=other_id.clone()>{move || strings().close_other_themes_label}</label>
                    <input id=other_id type="text" aria-invalid=invalid("other_themes")
                        prop:value=move || form.with(|f| f.other_themes.clone())
                        on:input=move |ev| form.update(|f| f.other_themes = event_target_value(&ev)) />
                    {field_error("other_themes")}
                </div>
            </fieldset>
            <fieldset class="tk-fieldset">
                <legend>{move || strings().decided_actions}</legend>
                {move || {
                    let list = actions.get();
                    if list.is_empty() {
                        view! { <p class="tk-muted">{strings().close_no_actions}</p> }.into_any()
                    } else {
                        list.into_iter().map(action_box).collect_view().into_any()
                    }
                }}
            </fieldset>
            {move || error.get().filter(|(f, _)| !["summary", "participants", "other_themes"].contains(&f.as_str())).map(|(_, m)| view! {
                <p class="tk-error" role="alert">{m}</p>
            })}
            <div class="tk-actions">
                <button type="submit" class="tk-button tk-button--primary tk-confirm-close">{move || strings().close_save}</button>
                <button type="button" class="tk-button" on:click=move |_| done.run(false)>{move || strings().cancel}</button>
            </div>
        </form>
    }
}

/// A closed session's outcome in the staff list.
#[component]
pub fn OutcomeSummary(outcome: DialogueOutcome, actions: Signal<Vec<PlanAction>>) -> impl IntoView {
    let s = use_staff_strings()();
    let mut themes: Vec<String> = outcome
        .themes
        .iter()
        .map(|c| s.category(*c).to_owned())
        .collect();
    themes.extend(outcome.other_themes.clone());
    let decided = outcome.actions.clone();
    view! {
        <div class="tk-outcome">
            <p><strong>{s.what_we_heard}</strong> {format!(" · {}", fill(s.participants, outcome.participants))}</p>
            <p class="tk-outcome-summary">{outcome.summary}</p>
            {(!themes.is_empty()).then(|| view! { <p>{format!("{}: {}", s.themes, themes.join(", "))}</p> })}
            {move || {
                let names: Vec<String> = actions.with(|l| l.iter().filter(|a| decided.contains(&a.id)).map(|a| a.title.clone()).collect());
                (!names.is_empty()).then(|| view! { <p>{format!("{}: {}", s.decided_actions, names.join(", "))}</p> })
            }}
        </div>
    }
}
