//! Åtgärder (`/personal/atgarder`; organisers, planners, admins): the handlingsplan. The list
//! (state, party, dates, linked pins and dialogues, the latest note) filtered by state, "Ny
//! åtgärd" and "Ändra" with the editor (`action_editor.rs`), and the dated public progress
//! notes of an action. "Skapa åtgärd här" on a hotspot opens the editor prefilled
//! ([`ActionAt`]).

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{Action as PlanAction, ActionState, Role};
use uuid::Uuid;

use super::action_editor::ActionEditor;
use super::form_error::FormError;
use super::planner::hotspot_resource;
use super::{ActionAt, Selection};
use crate::api::{self, ApiBase, Attempt};
use crate::context::use_staff_strings;
use crate::geo::basemap::Basemap;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::fill_count;
use crate::model::action_form::{filter_actions, ActionForm};
use crate::model::dialogue::Editing;

#[component]
pub fn ActionsSection(
    role: Role,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let sel = expect_context::<Selection>();
    let can_link = role != Role::Organiser;
    let version = RwSignal::new(0u32);
    let list_base = base.clone();
    let actions = LocalResource::new(move || {
        version.track();
        let base = list_base.clone();
        async move { api::actions(&base).await }
    });
    let dialogue_base = base.clone();
    let dialogues = LocalResource::new(move || {
        let base = dialogue_base.clone();
        async move { api::all_dialogues(&base).await.unwrap_or_default() }
    });
    let dialogue_list = Signal::derive(move || dialogues.get().unwrap_or_default());
    let spots = hotspot_resource();
    // The selection's pins with where they are (planners), for "Lägg till urvalets
    // markeringar" and for choosing pins on the editor's map.
    let pins_base = base.clone();
    let selection = LocalResource::new(move || {
        let (q, base) = (sel.query.get(), pins_base.clone());
        async move {
            if can_link {
                api::staff_pins(&base, &q)
                    .await
                    .map(|l| {
                        l.into_iter()
                            .map(|p| (p.id, LonLat::lat_lon(p.lat, p.lon)))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                Vec::new()
            }
        }
    });
    let selection_places = Signal::derive(move || selection.get().unwrap_or_default());
    let selection_pins = Signal::derive(move || {
        selection_places.with(|l| l.iter().map(|(id, _)| *id).collect::<Vec<Uuid>>())
    });

    let shown_state = RwSignal::new(None::<ActionState>);
    let editing = RwSignal::new(Editing::Closed);
    let form = RwSignal::new(ActionForm::default());
    let error: FormError = RwSignal::new(None);
    let status = RwSignal::new(String::new());
    let viewport = RwSignal::new(None::<Viewport>);

    let save_base = base.clone();
    let save = Action::new_local(move |(): &()| {
        let base = save_base.clone();
        let id = editing.get_untracked().id();
        let input = form.with_untracked(|f| f.to_input(can_link));
        async move {
            let s = strings();
            let input = match input {
                Ok(i) => i,
                Err((field, code)) => {
                    error.set(Some((
                        field.to_owned(),
                        s.followup_field_error(field, code),
                    )));
                    return;
                }
            };
            match api::save_action(&base, id, &input).await {
                Ok(_) => {
                    editing.set(Editing::Closed);
                    error.set(None);
                    status.set(s.action_saved.to_owned());
                    version.update(|v| *v += 1);
                    sel.reload();
                }
                Err(e) => {
                    let field = e.field().unwrap_or_default().to_owned();
                    error.set(Some((field, s.api_error(Attempt::Followup, &e))));
                }
            }
        }
    });

    let open = move |f: ActionForm, how: Editing| {
        error.set(None);
        status.set(String::new());
        form.set(f);
        editing.set(how);
        viewport.set(None);
        request_animation_frame(|| {
            if let Some(editor) = crate::dom::query(".tk-action-editor") {
                editor.scroll_into_view();
            }
            crate::dom::focus_id("tk-a-title");
        });
    };
    // "Skapa åtgärd här" on a hotspot: a new action over it.
    if let Some(ActionAt(at)) = use_context::<ActionAt>() {
        Effect::new(move |_| {
            if let Some(f) = at.get() {
                at.set(None);
                open(f, Editing::New);
            }
        });
    }

    let row = move |a: PlanAction| {
        let s = strings();
        let edit_form = ActionForm::from_action(&a);
        let id = a.id;
        let dates = match (&a.starts_on, &a.target_on) {
            (None, None) => s.action_no_dates.to_owned(),
            (st, t) => s
                .action_dates
                .replace("{start}", st.as_deref().unwrap_or("–"))
                .replace("{target}", t.as_deref().unwrap_or("–")),
        };
        let latest = a.notes.last().cloned();
        view! {
            <li class=format!("tk-action tk-action--{}", a.state.code()) data-action=id.to_string()>
                <h3 class="tk-action-title">
                    <span class=format!("tk-badge tk-state tk-action-state-{}", a.state.code())>{s.action_state(a.state)}</span>
                    " " {a.title.clone()}
                </h3>
                <p class="tk-muted">
                    {s.action_party(a.party, a.party_name.as_deref())}
                    {format!(" · {dates} · {} · {}", fill_count(s.action_pins_one, s.action_pins, a.pins.len()), fill_count(s.action_dialogues_count_one, s.action_dialogues_count, a.dialogues.len()))}
                </p>
                {a.cancel_reason.clone().map(|r| view! { <p>{format!("{}: {r}", s.action_cancelled)}</p> })}
                {latest.map(|n| view! { <p class="tk-action-latest">{format!("{} ({}): {}", s.notes_latest, n.date, n.text)}</p> })}
                <div class="tk-actions">
                    <button type="button" class="tk-button tk-button--small tk-edit-action"
                        on:click=move |_| open(edit_form.clone(), Editing::Existing(id))>{s.edit}</button>
                </div>
            </li>
        }
    };

    view! {
        <div class="tk-actions-section">
            <p class="tk-muted">{move || strings().atgarder_intro}</p>
            <p class="tk-status" role="status" aria-live="polite">{move || status.get()}</p>
            <div class="tk-actions">
                <button type="button" class="tk-button tk-button--primary tk-new-action"
                    on:click=move |_| open(ActionForm::default(), Editing::New)>{move || strings().new_action}</button>
            </div>
            {move || editing.get().is_open().then(|| view! {
                <ActionEditor form=form editing=editing error=error save=save can_link=can_link
                    dialogues=dialogue_list spots=spots selection_pins=selection_pins
                    selection_places=selection_places
                    basemap=basemap viewport=viewport />
                {editing.get().id().map(|id| view! { <Notes id=id status=status version=version /> })}
            })}
            <div class="tk-field tk-field--inline">
                <label for="tk-actions-state">{move || strings().actions_filter_label}</label>
                <select id="tk-actions-state"
                    on:change=move |ev| shown_state.set(ActionState::parse(&event_target_value(&ev)))>
                    <option value="">{move || strings().actions_filter_all}</option>
                    {ActionState::ALL.iter().copied().map(|st| view! {
                        <option value=st.code()>{move || strings().action_state(st)}</option>
                    }).collect_view()}
                </select>
            </div>
            {move || actions.get().map(|r| match r {
                Ok(list) => {
                    let shown = filter_actions(&list, shown_state.get());
                    if shown.is_empty() {
                        view! { <p class="tk-muted tk-actions-empty">{strings().actions_empty}</p> }.into_any()
                    } else {
                        view! { <ul class="tk-action-list">{shown.into_iter().map(row).collect_view()}</ul> }.into_any()
                    }
                }
                Err(_) => view! { <p class="tk-error" role="alert">{strings().actions_failed}</p> }.into_any(),
            })}
        </div>
    }
}

/// An action's progress notes (dated, public) and the form for a new one.
#[component]
fn Notes(id: Uuid, status: RwSignal<String>, version: RwSignal<u32>) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let load_base = base.clone();
    let notes = LocalResource::new(move || {
        version.track();
        let base = load_base.clone();
        async move {
            api::actions(&base)
                .await
                .ok()
                .and_then(|l| l.into_iter().find(|a| a.id == id))
                .map(|a| a.notes)
                .unwrap_or_default()
        }
    });
    let add = Action::new_local(move |(): &()| {
        let (base, body) = (base.clone(), text.get_untracked());
        async move {
            let s = strings();
            if body.trim().is_empty() {
                error.set(Some(s.followup_field_error("text", "required")));
                return;
            }
            match api::add_action_note(&base, id, &body).await {
                Ok(_) => {
                    text.set(String::new());
                    error.set(None);
                    status.set(s.note_added.to_owned());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(s.api_error(Attempt::Followup, &e))),
            }
        }
    });
    view! {
        <section class="tk-sheet tk-action-notes" aria-labelledby="tk-notes-heading">
            <h3 id="tk-notes-heading">{move || strings().notes_legend}</h3>
            {move || notes.get().map(|list| if list.is_empty() {
                view! { <p class="tk-muted">{strings().notes_none}</p> }.into_any()
            } else {
                view! { <ol class="tk-note-list">{list.into_iter().map(|n| view! { <li><strong>{n.date}</strong> " " {n.text}</li> }).collect_view()}</ol> }.into_any()
            })}
            <form class="tk-inline-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(());
            }>
                <div class="tk-field">
                    <label for="tk-note-text">{move || strings().note_label}</label>
                    <textarea id="tk-note-text" rows="2" maxlength=trygghetskarta_shared::followup::MAX_RESPONSE_CHARS
                        aria-invalid=move || error.get().is_some().to_string()
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    {move || error.get().map(|m| view! { <p class="tk-field-error" role="alert">{m}</p> })}
                </div>
                <button type="submit" class="tk-button tk-button--small tk-add-note">{move || strings().note_add}</button>
            </form>
        </section>
    }
}
