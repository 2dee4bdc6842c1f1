//! The dialogue editor: the session's fields, with the place picked on a map. The form's data
//! and its check before sending are `model::dialogue::DialogueForm`.

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{DialogueKind, DialogueOrganiser};

use crate::components::map_view::MapView;
use crate::context::use_staff_strings;
use crate::geo::basemap::Basemap;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::StaffStrings;
use crate::model::dialogue::{DialogueForm, Editing};

#[component]
pub fn DialogueEditor(
    form: RwSignal<DialogueForm>,
    editing: RwSignal<Editing>,
    /// The field a message belongs to ("" for the whole form) and the message.
    error: RwSignal<Option<(String, &'static str)>>,
    save: Action<(), ()>,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
    viewport: RwSignal<Option<Viewport>>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let text_input = move |id: &'static str,
                           label: fn(&StaffStrings) -> &'static str,
                           kind: &'static str,
                           get: fn(&DialogueForm) -> String,
                           set: fn(&mut DialogueForm, String)| {
        view! {
            <div class="tk-field">
                <label for=format!("tk-d-{id}")>{move || label(strings())}</label>
                <input
                    id=format!("tk-d-{id}")
                    type=kind
                    aria-invalid=move || error.with(|e| e.as_ref().is_some_and(|(f, _)| f == id)).to_string()
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                />
                {move || error.get().filter(|(f, _)| f == id).map(|(_, m)| view! { <p class="tk-field-error">{m}</p> })}
            </div>
        }
    };

    let place_marker = move || {
        let (at, v) = (form.with(|f| f.at)?, viewport.get()?);
        let p = v.to_screen(project(at));
        Some(view! {
            <div class="tk-draft-pin" aria-hidden="true"
                style=format!("transform: translate({:.1}px, {:.1}px)", p.x, p.y)></div>
        })
    };
    let pick = Callback::new(move |at: LonLat| form.update(|f| f.at = Some(at)));

    view! {
        <form class="tk-sheet tk-dialogue-editor" novalidate on:submit=move |ev| {
            ev.prevent_default();
            error.set(None);
            save.dispatch(());
        }>
            {text_input("title", |s| s.title_label, "text", |f| f.title.clone(), |f, v| f.title = v)}
            <div class="tk-field">
                <label for="tk-d-description">{move || strings().description_label}</label>
                <textarea id="tk-d-description" rows="4"
                    prop:value=move || form.with(|f| f.description.clone())
                    on:input=move |ev| form.update(|f| f.description = event_target_value(&ev))></textarea>
            </div>
            {text_input("starts_at", |s| s.date_label, "date", |f| f.date.clone(), |f, v| f.date = v)}
            {text_input("start", |s| s.start_label, "time", |f| f.start.clone(), |f, v| f.start = v)}
            {text_input("ends_at", |s| s.end_label, "time", |f| f.end.clone(), |f, v| f.end = v)}
            {text_input("place_name", |s| s.place_name_label, "text", |f| f.place_name.clone(), |f, v| f.place_name = v)}
            <p id="tk-d-place" class="tk-muted">
                {move || if form.with(|f| f.at.is_some()) { strings().place_picked } else { strings().place_pick }}
            </p>
            {move || error.get().filter(|(f, _)| f == "place" || f == "lat").map(|(_, m)| view! { <p class="tk-field-error">{m}</p> })}
            <div class="tk-editor-map">
                <MapView basemap=basemap viewport=viewport on_tap=pick>
                    {place_marker}
                </MapView>
            </div>
            <div class="tk-field">
                <label for="tk-d-kind">{move || strings().kind_label}</label>
                <select id="tk-d-kind" prop:value=move || form.with(|f| f.kind.code())
                    on:change=move |ev| {
                        if let Some(kind) = DialogueKind::parse(&event_target_value(&ev)) {
                            form.update(|f| f.kind = kind);
                        }
                    }>
                    {DialogueKind::ALL.into_iter().map(|k| view! {
                        <option value=k.code()>{move || strings().dialogue_kind(k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="tk-field">
                <label for="tk-d-organiser">{move || strings().organiser_label}</label>
                <select id="tk-d-organiser" prop:value=move || form.with(|f| f.organiser.code())
                    on:change=move |ev| {
                        if let Some(organiser) = DialogueOrganiser::parse(&event_target_value(&ev)) {
                            form.update(|f| f.organiser = organiser);
                        }
                    }>
                    {DialogueOrganiser::ALL.into_iter().map(|o| view! {
                        <option value=o.code()>{move || strings().organiser(o)}</option>
                    }).collect_view()}
                </select>
            </div>
            {text_input("online_url", |s| s.online_url_label, "url", |f| f.online_url.clone(), |f, v| f.online_url = v)}
            {text_input("registration_url", |s| s.registration_url_label, "url", |f| f.registration_url.clone(), |f, v| f.registration_url = v)}
            {move || error.get().filter(|(f, _)| f.is_empty()).map(|(_, m)| view! { <p class="tk-error" role="alert">{m}</p> })}
            <div class="tk-actions">
                <button type="submit" class="tk-button tk-button--primary tk-save">{move || strings().save}</button>
                <button type="button" class="tk-button" on:click=move |_| editing.set(Editing::Closed)>{move || strings().cancel}</button>
            </div>
        </form>
    }
}
