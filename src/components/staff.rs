//! The staff view (`/personal`, under the root in `staff_app.rs`): log in, and for organisers the
//! dialogue sessions — list (past ones too), create, edit with the place picked on the map, cancel
//! with a reason.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use trygghetskarta_shared::{
    Dialogue, DialogueInput, DialogueKind, DialogueOrganiser, DialogueStatus, Role, SessionInfo,
};
use uuid::Uuid;

use crate::api::{self, ApiBase, ApiError};
use crate::components::map_view::MapView;
use crate::components::planner::{HotspotList, PlanAt, PlannerView};
use crate::context::{use_lang, use_strings};
use crate::geo::basemap::Basemap;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::Strings;
use crate::model::dialogue::{format_when, local_to_rfc3339, to_inputs};

/// `None` while checking, `Some(None)` logged out.
type Who = RwSignal<Option<Option<SessionInfo>>>;

#[component]
pub fn StaffApp(#[prop(into)] basemap: Signal<Option<Arc<Basemap>>>) -> impl IntoView {
    let strings = use_strings();
    let base = expect_context::<ApiBase>();
    let who: Who = RwSignal::new(None);
    provide_context(PlanAt(RwSignal::new(None)));
    let check = base.clone();
    spawn_local(async move {
        who.set(Some(api::session(&check).await.ok()));
    });
    let logout_base = base.clone();
    let logout = move |_| {
        let base = logout_base.clone();
        spawn_local(async move {
            let _ = api::logout(&base).await;
            who.set(Some(None));
        });
    };
    view! {
        <section class="tk-staff" aria-labelledby="tk-staff-heading">
            <h2 id="tk-staff-heading">{move || strings().staff_title}</h2>
            <p><a href="/" class="tk-subscribe">{move || strings().back_to_map}</a></p>
            {move || match who.get() {
                None => view! { <p class="tk-muted">"…"</p> }.into_any(),
                Some(None) => view! { <LoginForm who=who /> }.into_any(),
                Some(Some(info)) => {
                    let can_organise = matches!(info.role, Role::Organiser | Role::Admin);
                    let can_plan_pins = matches!(info.role, Role::Planner | Role::Admin);
                    view! {
                        <p class="tk-staff-user">
                            {format!("{} {} ({})", strings().logged_in_as, info.username, info.role.as_str())}
                            " "
                            <button type="button" class="tk-button tk-button--small tk-logout" on:click=logout.clone()>
                                {strings().logout}
                            </button>
                        </p>
                        {can_plan_pins.then(|| view! { <PlannerView basemap=basemap can_plan=can_organise /> })}
                        {(can_organise && !can_plan_pins).then(|| {
                            let everything = Memo::new(|_| String::new());
                            view! { <HotspotList query=everything version=RwSignal::new(0) can_plan=true /> }
                        })}
                        {can_organise.then(|| view! { <StaffDialogues basemap=basemap /> })}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn LoginForm(who: Who) -> impl IntoView {
    let strings = use_strings();
    let base = expect_context::<ApiBase>();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let login = Action::new_local(move |(): &()| {
        let base = base.clone();
        let (u, p) = (username.get_untracked(), password.get_untracked());
        async move {
            match api::login(&base, u.trim(), &p).await {
                Ok(info) => who.set(Some(Some(info))),
                Err(ApiError::Server { status: 429, .. }) => {
                    error.set(Some(strings().too_many_attempts))
                }
                Err(ApiError::Server { status: 401, .. }) => {
                    error.set(Some(strings().login_failed))
                }
                Err(_) => error.set(Some(strings().err_generic)),
            }
        }
    });
    view! {
        <form class="tk-sheet tk-login" on:submit=move |ev| {
            ev.prevent_default();
            error.set(None);
            login.dispatch(());
        }>
            <h3>{move || strings().login_heading}</h3>
            <div class="tk-field">
                <label for="tk-login-user">{move || strings().username}</label>
                <input id="tk-login-user" type="text" autocomplete="username" required
                    prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev)) />
            </div>
            <div class="tk-field">
                <label for="tk-login-password">{move || strings().password}</label>
                <input id="tk-login-password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
            </div>
            {move || error.get().map(|e| view! { <p class="tk-error" role="alert">{e}</p> })}
            <div class="tk-actions">
                <button type="submit" class="tk-button tk-button--primary" disabled=move || login.pending().get()>
                    {move || strings().login}
                </button>
            </div>
        </form>
    }
}

/// The editor's fields, as the inputs hold them.
#[derive(Clone, Debug, Default, PartialEq)]
struct Fields {
    title: String,
    description: String,
    date: String,
    start: String,
    end: String,
    place_name: String,
    at: Option<LonLat>,
    kind: String,
    organiser: String,
    online_url: String,
    registration_url: String,
}

impl Fields {
    fn new() -> Fields {
        Fields {
            kind: "meeting".into(),
            organiser: "kommun".into(),
            ..Fields::default()
        }
    }

    fn from(d: &Dialogue) -> Fields {
        let (date, start) = to_inputs(&d.starts_at).unwrap_or_default();
        let (_, end) = to_inputs(&d.ends_at).unwrap_or_default();
        Fields {
            title: d.title.clone(),
            description: d.description.clone(),
            date,
            start,
            end,
            place_name: d.place_name.clone(),
            at: Some(LonLat::lat_lon(d.lat, d.lon)),
            kind: d.kind.code().into(),
            organiser: d.organiser.code().into(),
            online_url: d.online_url.clone().unwrap_or_default(),
            registration_url: d.registration_url.clone().unwrap_or_default(),
        }
    }

    /// The request, or the first field to fix.
    fn to_input(&self) -> Result<DialogueInput, &'static str> {
        let kind = match self.kind.as_str() {
            "walk" => DialogueKind::Walk,
            "online" => DialogueKind::Online,
            _ => DialogueKind::Meeting,
        };
        let organiser = match self.organiser.as_str() {
            "polis" => DialogueOrganiser::Polis,
            "both" => DialogueOrganiser::Both,
            _ => DialogueOrganiser::Kommun,
        };
        let starts_at = local_to_rfc3339(&self.date, &self.start).ok_or("starts_at")?;
        let ends_at = local_to_rfc3339(&self.date, &self.end).ok_or("ends_at")?;
        let at = self.at.ok_or("place")?;
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(DialogueInput {
            title: self.title.clone(),
            description: self.description.clone(),
            starts_at,
            ends_at,
            place_name: self.place_name.clone(),
            lat: at.lat,
            lon: at.lon,
            kind,
            organiser,
            online_url: opt(&self.online_url),
            registration_url: opt(&self.registration_url),
        })
    }
}

fn field_message(s: &Strings, field: &str, code: &str) -> &'static str {
    match (field, code) {
        (_, "outside_area") => s.outside_kommun,
        ("place", _) => s.err_place_pick,
        (_, "required") => s.err_required,
        (_, "too_long") => s.err_too_long,
        ("starts_at", _) => s.err_when,
        ("ends_at", _) => s.err_end,
        ("online_url" | "registration_url", _) => s.err_url,
        _ => s.err_generic,
    }
}

#[component]
fn StaffDialogues(#[prop(into)] basemap: Signal<Option<Arc<Basemap>>>) -> impl IntoView {
    let strings = use_strings();
    let lang = use_lang();
    let base = expect_context::<ApiBase>();
    let version = RwSignal::new(0u32);
    let list_base = base.clone();
    let dialogues = LocalResource::new(move || {
        version.track();
        let base = list_base.clone();
        async move { api::all_dialogues(&base).await }
    });
    // The session being edited: None = no editor, Some(None) = a new one.
    let editing = RwSignal::new(None::<Option<Uuid>>);
    let fields = RwSignal::new(Fields::new());
    let error = RwSignal::new(None::<(String, &'static str)>);
    let status = RwSignal::new(String::new());
    let cancelling = RwSignal::new(None::<Uuid>);
    let reason = RwSignal::new(String::new());
    let viewport = RwSignal::new(None::<Viewport>);

    let save_base = base.clone();
    let save = Action::new_local(move |(): &()| {
        let base = save_base.clone();
        let id = editing.get_untracked().flatten();
        let input = fields.with_untracked(Fields::to_input);
        async move {
            let s = strings();
            let input = match input {
                Ok(i) => i,
                Err(field) => {
                    error.set(Some((
                        field.to_owned(),
                        field_message(s, field, "required"),
                    )));
                    return;
                }
            };
            match api::save_dialogue(&base, id, &input).await {
                Ok(_) => {
                    editing.set(None);
                    error.set(None);
                    status.set(s.saved.to_owned());
                    version.update(|v| *v += 1);
                }
                Err(ApiError::Server { code, field, .. }) => {
                    let field = field.unwrap_or_default();
                    let msg = field_message(s, &field, &code);
                    error.set(Some((field, msg)));
                }
                Err(_) => error.set(Some((String::new(), s.err_generic))),
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
        fields.set(d.as_ref().map_or_else(Fields::new, Fields::from));
        editing.set(Some(d.map(|d| d.id)));
    };
    // "Planera dialog här" on a hotspot: a new session at that place.
    if let Some(PlanAt(plan)) = use_context::<PlanAt>() {
        Effect::new(move |_| {
            if let Some((at, name)) = plan.get() {
                open(None);
                fields.update(|f| {
                    f.at = Some(at);
                    f.place_name = name;
                });
                plan.set(None);
                viewport.set(None);
                request_animation_frame(|| {
                    if let Some(form) = crate::dom::query(".tk-dialogue-editor") {
                        form.scroll_into_view();
                    }
                    crate::dom::focus_id("tk-d-title");
                });
            }
        });
    }

    let text_input = move |id: &'static str,
                           label: fn(&Strings) -> &'static str,
                           kind: &'static str,
                           get: fn(&Fields) -> String,
                           set: fn(&mut Fields, String)| {
        view! {
            <div class="tk-field">
                <label for=format!("tk-d-{id}")>{move || label(strings())}</label>
                <input
                    id=format!("tk-d-{id}")
                    type=kind
                    aria-invalid=move || error.with(|e| e.as_ref().is_some_and(|(f, _)| f == id)).to_string()
                    prop:value=move || fields.with(get)
                    on:input=move |ev| fields.update(|f| set(f, event_target_value(&ev)))
                />
                {move || error.get().filter(|(f, _)| f == id).map(|(_, m)| view! { <p class="tk-field-error">{m}</p> })}
            </div>
        }
    };

    let place_marker = move || {
        let (at, v) = (fields.with(|f| f.at)?, viewport.get()?);
        let p = v.to_screen(project(at));
        Some(view! {
            <div class="tk-draft-pin" aria-hidden="true"
                style=format!("transform: translate({:.1}px, {:.1}px)", p.x, p.y)></div>
        })
    };

    let editor = move || {
        editing.get()?;
        let pick = Callback::new(move |at: LonLat| fields.update(|f| f.at = Some(at)));
        Some(view! {
            <form class="tk-sheet tk-dialogue-editor" novalidate on:submit=move |ev| {
                ev.prevent_default();
                error.set(None);
                save.dispatch(());
            }>
                {text_input("title", |s| s.title_label, "text", |f| f.title.clone(), |f, v| f.title = v)}
                <div class="tk-field">
                    <label for="tk-d-description">{move || strings().description_label}</label>
                    <textarea id="tk-d-description" rows="4"
                        prop:value=move || fields.with(|f| f.description.clone())
                        on:input=move |ev| fields.update(|f| f.description = event_target_value(&ev))></textarea>
                </div>
                {text_input("starts_at", |s| s.date_label, "date", |f| f.date.clone(), |f, v| f.date = v)}
                {text_input("start", |s| s.start_label, "time", |f| f.start.clone(), |f, v| f.start = v)}
                {text_input("ends_at", |s| s.end_label, "time", |f| f.end.clone(), |f, v| f.end = v)}
                {text_input("place_name", |s| s.place_name_label, "text", |f| f.place_name.clone(), |f, v| f.place_name = v)}
                <p id="tk-d-place" class="tk-muted">
                    {move || if fields.with(|f| f.at.is_some()) { strings().place_picked } else { strings().place_pick }}
                </p>
                {move || error.get().filter(|(f, _)| f == "place" || f == "lat").map(|(_, m)| view! { <p class="tk-field-error">{m}</p> })}
                <div class="tk-editor-map">
                    <MapView basemap=basemap viewport=viewport on_tap=pick>
                        {place_marker}
                    </MapView>
                </div>
                <div class="tk-field">
                    <label for="tk-d-kind">{move || strings().kind_label}</label>
                    <select id="tk-d-kind" prop:value=move || fields.with(|f| f.kind.clone())
                        on:change=move |ev| fields.update(|f| f.kind = event_target_value(&ev))>
                        <option value="meeting">{move || strings().kind_meeting}</option>
                        <option value="walk">{move || strings().kind_walk}</option>
                        <option value="online">{move || strings().kind_online}</option>
                    </select>
                </div>
                <div class="tk-field">
                    <label for="tk-d-organiser">{move || strings().organiser_label}</label>
                    <select id="tk-d-organiser" prop:value=move || fields.with(|f| f.organiser.clone())
                        on:change=move |ev| fields.update(|f| f.organiser = event_target_value(&ev))>
                        <option value="kommun">{move || strings().organiser_kommun}</option>
                        <option value="polis">{move || strings().organiser_polis}</option>
                        <option value="both">{move || strings().organiser_both}</option>
                    </select>
                </div>
                {text_input("online_url", |s| s.online_url_label, "url", |f| f.online_url.clone(), |f, v| f.online_url = v)}
                {text_input("registration_url", |s| s.registration_url_label, "url", |f| f.registration_url.clone(), |f, v| f.registration_url = v)}
                {move || error.get().filter(|(f, _)| f.is_empty()).map(|(_, m)| view! { <p class="tk-error" role="alert">{m}</p> })}
                <div class="tk-actions">
                    <button type="submit" class="tk-button tk-button--primary tk-save">{move || strings().save}</button>
                    <button type="button" class="tk-button" on:click=move |_| editing.set(None)>{move || strings().cancel}</button>
                </div>
            </form>
        })
    };

    let row = move |d: Dialogue| {
        let s = strings();
        let when = format_when(&d.starts_at, &d.ends_at, lang.get()).unwrap_or_default();
        let cancelled = d.status == DialogueStatus::Cancelled;
        let (edit_d, id) = (d.clone(), d.id);
        view! {
            <li class="tk-dialogue" class:tk-dialogue--cancelled=cancelled>
                <h3 class="tk-dialogue-title">
                    {cancelled.then(|| view! { <span class="tk-badge">{s.cancelled}</span> " " })}
                    {d.title.clone()}
                </h3>
                <p>{format!("{when} · {}", d.place_name)}</p>
                <div class="tk-actions">
                    <button type="button" class="tk-button tk-button--small tk-edit" on:click=move |_| open(Some(edit_d.clone()))>{s.edit}</button>
                    {(!cancelled).then(|| view! {
                        <button type="button" class="tk-button tk-button--small tk-cancel-dialogue" on:click=move |_| cancelling.set(Some(id))>{s.cancel_dialogue}</button>
                    })}
                </div>
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
            <h3>{move || strings().staff_dialogues}</h3>
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
