//! The planners' view at `/personal`: filters, every pin at its exact place with its comment,
//! moderation with history, hotspots (shaded on the map and ranked in a list) and exports.
//! Organisers see the hotspot list too, with "Planera dialog här".

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{
    Category, Hotspot, ModerationAction, ModerationEvent, PublicPin, StaffPin, TimeOfDay,
};
use uuid::Uuid;

use crate::api::{self, ApiBase, ApiError, Moderation};
use crate::components::map_view::MapView;
use crate::components::pin_layer::{category_icon, PinLayer, PinSet};
use crate::context::use_strings;
use crate::geo::basemap::Basemap;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::{fill, Strings};
use crate::interaction::controller::focus;
use crate::model::staff::{hotspot_mix, hotspot_place, FilterForm};

/// "Planera dialog här": a place and its name for the dialogue editor to open with.
#[derive(Clone, Copy)]
pub struct PlanAt(pub RwSignal<Option<(LonLat, String)>>);

/// Most pins the list shows; the map and the exports have them all.
const LIST_MAX: usize = 200;

/// Zoom a "Visa på kartan" goes to.
const FOCUS_ZOOM: f64 = 16.0;

/// The map shows staff pins with the public pin layer, at their exact position.
fn as_public(p: &StaffPin) -> PublicPin {
    PublicPin {
        id: p.id,
        category: p.category,
        time_of_day: p.time_of_day,
        created_date: p.created_at.get(..10).unwrap_or_default().to_owned(),
        agree_count: p.agree_count,
        lat: p.lat,
        lon: p.lon,
        comment: p.comment.clone(),
    }
}

/// `2026-11-26T18:05:00+01:00` → `2026-11-26 18:05` (the API's times are local already).
fn minutes(rfc3339: &str) -> String {
    let t = rfc3339.replace('T', " ");
    t.get(..16).unwrap_or(&t).to_owned()
}

fn error_text(s: &Strings, e: &ApiError) -> String {
    match e {
        ApiError::Server { field: Some(f), .. } if f == "reason" => s.err_required.to_owned(),
        ApiError::Server { code, .. } if code == "too_long" => s.err_too_long.to_owned(),
        _ => s.err_generic.to_owned(),
    }
}

#[component]
pub fn PlannerView(
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
    /// Show "Planera dialog här" (the user may also write dialogues).
    can_plan: bool,
) -> impl IntoView {
    let strings = use_strings();
    let base = expect_context::<ApiBase>();
    let form = RwSignal::new(FilterForm::default());
    let query = Memo::new(move |_| form.with(FilterForm::query));
    let version = RwSignal::new(0u32);
    let status = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<Uuid>);
    let viewport = RwSignal::new(None::<Viewport>);

    let pins_base = base.clone();
    let pins = LocalResource::new(move || {
        let (q, base) = (query.get(), pins_base.clone());
        version.track();
        async move { api::staff_pins(&base, &q).await }
    });
    let pin_set = RwSignal::new(Arc::new(PinSet::default()));
    Effect::new(move |_| {
        if let Some(Ok(list)) = pins.get() {
            pin_set.set(Arc::new(PinSet::new(list.iter().map(as_public).collect())));
            status.set(fill(strings().result_count, list.len()));
        }
    });
    let areas_base = base.clone();
    let areas = LocalResource::new(move || {
        let base = areas_base.clone();
        async move { api::areas(&base).await.unwrap_or_default() }
    });

    let moderate_base = base.clone();
    let moderate = Action::new_local(move |(id, step): &(Uuid, Moderation)| {
        let (base, id, step) = (moderate_base.clone(), *id, step.clone());
        async move {
            let s = strings();
            match api::moderate(&base, id, step).await {
                Ok(_) => {
                    status.set(s.moderation_done.to_owned());
                    version.update(|v| *v += 1);
                    true
                }
                Err(e) => {
                    status.set(error_text(s, &e));
                    false
                }
            }
        }
    });

    let select = Callback::new(move |p: PublicPin| selected.set(Some(p.id)));
    let map_box = NodeRef::<leptos::html::Div>::new();
    let show = Callback::new(move |at: LonLat| {
        if let Some(v) = viewport.get_untracked() {
            viewport.set(Some(focus(v, project(at), FOCUS_ZOOM.max(v.zoom))));
        }
        if let Some(el) = map_box.get_untracked() {
            el.scroll_into_view();
        }
    });

    let find = move |id: Uuid| {
        pins.get()
            .and_then(Result::ok)
            .and_then(|l| l.into_iter().find(|p| p.id == id))
    };

    view! {
        <div class="tk-planner">
            <h3>{move || strings().planner_pins}</h3>
            <Filters form=form areas=Signal::derive(move || areas.get().unwrap_or_default()) />
            <p class="tk-status" role="status" aria-live="polite">{move || status.get()}</p>
            <div class="tk-editor-map tk-planner-map" node_ref=map_box>
                <MapView basemap=basemap viewport=viewport>
                    <HotspotLayer viewport=viewport query=query version=version />
                    <PinLayer viewport=viewport pins=pin_set on_select=select />
                </MapView>
            </div>
            {move || selected.get().and_then(find).map(|p| view! {
                <div class="tk-selected-staff" role="region" aria-label=strings().selected_pin>
                    <PinCard pin=p moderate=moderate show=show />
                </div>
            })}
            <Exports query=query />
            <HotspotList query=query version=version show=show can_plan=can_plan />
            <h3>{move || strings().planner_pins}</h3>
            {move || pins.get().map(|r| match r {
                Ok(list) => {
                    let total = list.len();
                    view! {
                        {(total > LIST_MAX).then(|| view! {
                            <p class="tk-muted">{fill(strings().list_truncated, LIST_MAX)}</p>
                        })}
                        <ul class="tk-pin-list">
                            {list.into_iter().take(LIST_MAX).map(|p| view! {
                                <li><PinCard pin=p moderate=moderate show=show /></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
                Err(e) => view! { <p class="tk-error" role="alert">{error_text(strings(), &e)}</p> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn Filters(form: RwSignal<FilterForm>, #[prop(into)] areas: Signal<Vec<String>>) -> impl IntoView {
    let strings = use_strings();
    let date = move |id: &'static str,
                     label: fn(&Strings) -> &'static str,
                     get: fn(&FilterForm) -> String,
                     set: fn(&mut FilterForm, String)| {
        view! {
            <div class="tk-field tk-field--inline">
                <label for=id>{move || label(strings())}</label>
                <input id=id type="date" prop:value=move || form.with(get)
                    on:change=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            </div>
        }
    };
    view! {
        <form class="tk-filters" on:submit=|ev| ev.prevent_default()>
            <h4>{move || strings().filters}</h4>
            <div class="tk-filter-row">
                {date("tk-f-from", |s| s.filter_from, |f| f.from.clone(), |f, v| f.from = v)}
                {date("tk-f-to", |s| s.filter_to, |f| f.to.clone(), |f, v| f.to = v)}
                <div class="tk-field tk-field--inline">
                    <label for="tk-f-area">{move || strings().filter_area}</label>
                    <select id="tk-f-area" prop:value=move || form.with(|f| f.area.clone())
                        on:change=move |ev| form.update(|f| f.area = event_target_value(&ev))>
                        <option value="">{move || strings().all_areas}</option>
                        {move || areas.get().into_iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <fieldset class="tk-checks">
                <legend>{move || strings().filter_categories}</legend>
                {Category::ALL.into_iter().map(|c| view! {
                    <label class="tk-check">
                        <input type="checkbox" name="category" value=c.code()
                            prop:checked=move || form.with(|f| f.categories.contains(&c))
                            on:change=move |_| form.update(|f| f.toggle_category(c)) />
                        {category_icon(c)}
                        {move || strings().category(c)}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="tk-checks">
                <legend>{move || strings().filter_times}</legend>
                {TimeOfDay::ALL.into_iter().map(|t| view! {
                    <label class="tk-check">
                        <input type="checkbox" name="time_of_day" value=t.code()
                            prop:checked=move || form.with(|f| f.times.contains(&t))
                            on:change=move |_| form.update(|f| f.toggle_time(t)) />
                        {move || strings().time_of_day(t)}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="tk-filter-row">
                <label class="tk-check">
                    <input type="checkbox" id="tk-f-hidden"
                        prop:checked=move || form.with(|f| f.include_hidden)
                        on:change=move |ev| form.update(|f| f.include_hidden = event_target_checked(&ev)) />
                    {move || strings().include_hidden}
                </label>
                <button type="button" class="tk-button tk-button--small" on:click=move |_| form.set(FilterForm::default())>
                    {move || strings().clear_filters}
                </button>
            </div>
        </form>
    }
}

/// What the pin card is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Idle,
    Hiding,
    Restoring,
    Editing,
}

#[component]
fn PinCard(
    pin: StaffPin,
    moderate: Action<(Uuid, Moderation), bool>,
    show: Callback<LonLat>,
) -> impl IntoView {
    let strings = use_strings();
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
                    <input id=field type="text" required maxlength="500"
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
                    <textarea id=field rows="4" maxlength="1000"
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
            <div class="tk-actions">
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
                m => Some(reason_form(m).into_any()),
            }}
            {move || history_open.get().then(|| history.get().flatten().map(|events| view! {
                <HistoryList events=events />
            }))}
        </article>
    }
}

fn action_label(s: &Strings, a: ModerationAction) -> &'static str {
    match a {
        ModerationAction::Hide => s.action_hide,
        ModerationAction::Restore => s.action_restore,
        ModerationAction::Approve => s.action_approve,
        ModerationAction::Unapprove => s.action_unapprove,
        ModerationAction::EditComment => s.action_edit,
    }
}

#[component]
fn HistoryList(events: Vec<ModerationEvent>) -> impl IntoView {
    let s = use_strings()();
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
                    _ => None,
                };
                view! {
                    <li>
                        <strong>{action_label(s, e.action)}</strong>
                        {format!(" · {when} · {}", e.actor)}
                        {e.reason.map(|r| view! { <br /> {format!("{}: {r}", s.reason_label)} })}
                        {change.map(|c| view! { <br /> {c} })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn Exports(query: Memo<String>) -> impl IntoView {
    let strings = use_strings();
    let base = expect_context::<ApiBase>();
    let link = move |ext: &'static str, label: fn(&Strings) -> &'static str| {
        let base = base.clone();
        view! {
            <a class="tk-button tk-button--small tk-export" download
                href=move || base.url(&api::with_query(&format!("/api/export/pins.{ext}"), &query.get()))>
                {move || label(strings())}
            </a>
        }
    };
    view! {
        <section class="tk-exports" aria-labelledby="tk-exports-heading">
            <h3 id="tk-exports-heading">{move || strings().exports}</h3>
            <p class="tk-muted">{move || strings().export_note}</p>
            <div class="tk-actions">
                {link("geojson", |s| s.export_geojson)}
                {link("csv", |s| s.export_csv)}
                {link("xlsx", |s| s.export_xlsx)}
            </div>
        </section>
    }
}

/// Loads the hotspots for a filter query.
fn hotspot_resource(query: Memo<String>, version: RwSignal<u32>) -> LocalResource<Vec<Hotspot>> {
    let base = expect_context::<ApiBase>();
    LocalResource::new(move || {
        let (q, base) = (query.get(), base.clone());
        version.track();
        async move {
            api::hotspots(&base, &q)
                .await
                .map(|h| h.hotspots)
                .unwrap_or_default()
        }
    })
}

/// The ranked hotspot list. `show` moves a map (when there is one) to the hotspot.
#[component]
pub fn HotspotList(
    query: Memo<String>,
    version: RwSignal<u32>,
    #[prop(optional)] show: Option<Callback<LonLat>>,
    can_plan: bool,
) -> impl IntoView {
    let strings = use_strings();
    let spots = hotspot_resource(query, version);
    let plan = use_context::<PlanAt>();
    let item = move |h: Hotspot| {
        let s = strings();
        let at = LonLat::lat_lon(h.lat, h.lon);
        let place = hotspot_place(&h, s);
        let name = h
            .nearest_place
            .as_ref()
            .map_or_else(|| place.clone(), |p| p.name.clone());
        view! {
            <li class="tk-hotspot">
                <p>
                    <strong>{place}</strong>
                    {format!(" · {}", fill(s.hotspot_count, h.count))}
                </p>
                <p class="tk-muted">{hotspot_mix(&h, s)}</p>
                <div class="tk-actions">
                    {show.map(|show| view! {
                        <button type="button" class="tk-button tk-button--small" on:click=move |_| show.run(at)>{s.show_on_map}</button>
                    })}
                    {(can_plan && plan.is_some()).then(|| {
                        let name = name.clone();
                        view! {
                            <button type="button" class="tk-button tk-button--small tk-plan-dialogue"
                                on:click=move |_| {
                                    if let Some(PlanAt(p)) = plan {
                                        p.set(Some((at, name.clone())));
                                    }
                                }>{s.plan_dialogue}</button>
                        }
                    })}
                </div>
            </li>
        }
    };
    view! {
        <section class="tk-hotspots" aria-labelledby="tk-hotspots-heading">
            <h3 id="tk-hotspots-heading">{move || strings().hotspots}</h3>
            <p class="tk-muted">{move || strings().hotspots_intro}</p>
            {move || spots.get().map(|list| {
                if list.is_empty() {
                    view! { <p class="tk-muted">{strings().no_hotspots}</p> }.into_any()
                } else {
                    view! { <ol class="tk-hotspot-list">{list.into_iter().map(item).collect_view()}</ol> }.into_any()
                }
            })}
        </section>
    }
}

/// Hotspots shaded on the map with their rank. The ranked list is the accessible equivalent,
/// so the drawing is hidden from assistive technology.
#[component]
fn HotspotLayer(
    viewport: RwSignal<Option<Viewport>>,
    query: Memo<String>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let spots = hotspot_resource(query, version);
    move || {
        let v = viewport.get()?;
        let list = spots.get()?;
        let shapes = list
            .into_iter()
            .map(|h| {
                let at = |lon: f64, lat: f64| v.to_screen(project(LonLat::lat_lon(lat, lon)));
                let c = at(h.lon, h.lat);
                let points = h
                    .outline
                    .iter()
                    .map(|[lon, lat]| {
                        let p = at(*lon, *lat);
                        format!("{:.1},{:.1}", p.x, p.y)
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                // The outline's stroke pads the area around the outermost pins.
                view! {
                    <g class="tk-hotspot-shape">
                        <polygon points=points />
                        <circle cx=format!("{:.1}", c.x) cy=format!("{:.1}", c.y) r="11" />
                        <text x=format!("{:.1}", c.x) y=format!("{:.1}", c.y + 4.0) text-anchor="middle">{h.rank}</text>
                    </g>
                }
            })
            .collect_view();
        Some(view! {
            <svg class="tk-hotspot-layer" aria-hidden="true" focusable="false"
                width=v.width height=v.height>{shapes}</svg>
        })
    }
}
