//! The action editor (Åtgärder): title, description, the responsible party, where (a point or
//! a drawn area on the map, or a hotspot's outline), linked pins (planners and admins: chosen on
//! the map with "Välj markeringar på kartan", a hotspot's, the selection's, or pasted ids),
//! linked dialogues, dates, the state with its reason, and whether the linked pins' states
//! follow. The data and its checks are `model::action_form::ActionForm`; which pin a tap picks
//! is `interaction::pick`.

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{ActionParty, ActionState, Dialogue, Hotspots};
use uuid::Uuid;

use super::form_error::{field_message, invalid, FormError};
use crate::components::map_view::MapView;
use crate::context::use_staff_strings;
use crate::geo::basemap::Basemap;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::{fill, fill_count, StaffStrings};
use crate::interaction::pick::{nearest_pin, nearest_to_centre, PICK_TOLERANCE_PX};
use crate::model::action_form::{parse_pin_ids, ActionForm, PinToggle, PlaceMode};
use crate::model::dialogue::Editing;
use crate::model::staff::hotspot_place;

#[component]
pub fn ActionEditor(
    form: RwSignal<ActionForm>,
    editing: RwSignal<Editing>,
    error: FormError,
    save: Action<(), ()>,
    /// Planners and admins link pins; organisers do not.
    can_link: bool,
    /// The sessions that can be linked.
    dialogues: Signal<Vec<Dialogue>>,
    /// The selection's hotspots (their outlines and pins).
    spots: LocalResource<Option<Hotspots>>,
    /// The selection's pins, for "Lägg till urvalets markeringar".
    selection_pins: Signal<Vec<Uuid>>,
    /// The selection's pins with where they are: the pins that can be chosen on the map.
    selection_places: Signal<Vec<(Uuid, LonLat)>>,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
    viewport: RwSignal<Option<Viewport>>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let field_error = move |field: &'static str| field_message(error, field);
    let invalid = move |field: &'static str| invalid(error, field);
    let text_input = move |id: &'static str,
                           label: fn(&StaffStrings) -> &'static str,
                           kind: &'static str,
                           get: fn(&ActionForm) -> String,
                           set: fn(&mut ActionForm, String)| {
        view! {
            <div class="tk-field">
                <label for=format!("tk-a-{id}")>{move || label(strings())}</label>
                <input id=format!("tk-a-{id}") type=kind aria-invalid=invalid(id)
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
                {field_error(id)}
            </div>
        }
    };

    // "Välj markeringar på kartan": while on, taps (and Enter) link or unlink the pin nearest.
    let picking = RwSignal::new(false);
    let pick_note = RwSignal::new(None::<PinToggle>);
    let set_picking = move |on: bool| {
        picking.set(on);
        pick_note.set(None);
    };
    // The pins on the map while choosing (each linked one drawn with a ring and a tick, not by
    // colour alone); the linked ones also when not choosing.
    let pin_marks = move || {
        if !can_link {
            return None;
        }
        let v = viewport.get()?;
        let all = picking.get();
        let linked = form.with(|f| f.pins.clone());
        let marks = selection_places.with(|l| {
            l.iter()
                .filter(|(id, _)| all || linked.contains(id))
                .map(|(id, p)| (*id, v.to_screen(project(*p)), linked.contains(id)))
                .collect::<Vec<_>>()
        });
        Some(view! {
            <svg class="tk-action-draw tk-pick-layer" aria-hidden="true" focusable="false" width=v.width height=v.height>
                {marks.into_iter().map(|(id, s, on)| {
                    let at = format!("translate({:.1} {:.1})", s.x, s.y);
                    if on {
                        view! {
                            <g class="tk-pick-pin tk-pick-pin--linked" data-pin=id.to_string() transform=at>
                                <circle r="10" />
                                <path d="M -5 0 L -1.5 4 L 5.5 -4.5" />
                            </g>
                        }.into_any()
                    } else {
                        view! {
                            <g class="tk-pick-pin" data-pin=id.to_string() transform=at>
                                <circle r="5" />
                            </g>
                        }.into_any()
                    }
                }).collect_view()}
            </svg>
        })
    };
    let pick = move |found: Option<Uuid>| {
        let done = form.try_update(|f| f.pick_pin(found));
        pick_note.set(done);
    };

    // The place on the map: the point, or the area's corners joined.
    let drawing = move || {
        let v = viewport.get()?;
        let f = form.get();
        let at = |p: LonLat| v.to_screen(project(p));
        let points = f
            .area
            .iter()
            .map(|p| {
                let s = at(*p);
                format!("{:.1},{:.1}", s.x, s.y)
            })
            .collect::<Vec<_>>()
            .join(" ");
        let point = f.point.map(at);
        Some(view! {
            <svg class="tk-action-draw" aria-hidden="true" focusable="false" width=v.width height=v.height>
                <polygon points=points />
                {f.area.iter().map(|p| {
                    let s = at(*p);
                    view! { <circle cx=format!("{:.1}", s.x) cy=format!("{:.1}", s.y) r="5" /> }
                }).collect_view()}
            </svg>
            {point.map(|p| view! {
                <div class="tk-draft-pin" style=format!("transform: translate({:.1}px, {:.1}px)", p.x, p.y)></div>
            })}
        })
    };
    let tap = Callback::new(move |at: LonLat| {
        if picking.get_untracked() {
            if let Some(v) = viewport.get_untracked() {
                let found = selection_places.with_untracked(|l| {
                    nearest_pin(&v, v.to_screen(project(at)), l, PICK_TOLERANCE_PX)
                });
                pick(found);
            }
        } else {
            form.update(|f| f.tap(at));
        }
    });
    // Enter on the focused map chooses its centre (keyboard users move the map with arrows),
    // or, while choosing pins, the pin nearest the centre.
    let enter = Callback::new(move |()| {
        let Some(v) = viewport.get_untracked() else {
            return;
        };
        if picking.get_untracked() {
            pick(selection_places.with_untracked(|l| nearest_to_centre(&v, l, PICK_TOLERANCE_PX)));
        } else {
            form.update(|f| f.tap(v.center_lonlat()));
        }
    });
    let place_text = move || {
        let s = strings();
        form.with(|f| {
            if f.point.is_some() {
                s.action_point_set.to_owned()
            } else if !f.area.is_empty() {
                fill(s.action_corners, f.area.len())
            } else {
                s.action_no_place.to_owned()
            }
        })
    };
    let mode_radio =
        move |mode: PlaceMode, label: fn(&StaffStrings) -> &'static str, id: &'static str| {
            view! {
                <label class="tk-radio" for=id>
                    <input type="radio" id=id name="tk-a-mode"
                        prop:checked=move || form.with(|f| f.mode == mode)
                        on:change=move |_| {
                            set_picking(false);
                            form.update(|f| f.mode = mode);
                        } />
                    " " {move || label(strings())}
                </label>
            }
        };

    let chosen_spot = RwSignal::new(String::new());
    let use_spot = move |_| {
        let rank: u32 = chosen_spot.get_untracked().parse().unwrap_or(0);
        let spot = spots
            .get_untracked()
            .flatten()
            .and_then(|h| h.hotspots.into_iter().find(|h| h.rank == rank));
        if let Some(h) = spot {
            form.update(|f| {
                f.use_hotspot(&h);
                if !can_link {
                    f.pins.clear();
                }
            });
        }
    };
    let paste = RwSignal::new(String::new());
    let add_pasted = move |_| match parse_pin_ids(&paste.get_untracked()) {
        Ok(ids) => {
            pick_note.set(None);
            form.update(|f| f.add_pins(ids));
            paste.set(String::new());
            error.set(None);
        }
        Err(_) => error.set(Some((
            "pin_ids".into(),
            strings().followup_field_error("pin_ids", "invalid"),
        ))),
    };

    let pins_part = move || {
        if !can_link {
            return view! { <p class="tk-muted">{strings().action_pins_organiser}</p> }.into_any();
        }
        view! {
            <fieldset class="tk-fieldset">
                <legend>{move || strings().action_pins_legend}</legend>
                <p class="tk-action-pin-count" aria-live="polite">{move || {
                    let s = strings();
                    let note = match pick_note.get() {
                        Some(PinToggle::Added) => format!("{} ", s.action_pin_added),
                        Some(PinToggle::Removed) => format!("{} ", s.action_pin_removed),
                        Some(PinToggle::NoneNear) => format!("{} ", s.action_pin_none_near),
                        None => String::new(),
                    };
                    format!("{note}{}", fill_count(s.action_pins_count_one, s.action_pins_count, form.with(|f| f.pins.len())))
                }}</p>
                {field_error("pins")}
                <div class="tk-actions">
                    <button type="button" class="tk-button tk-button--small tk-add-selection"
                        on:click=move |_| { pick_note.set(None); form.update(|f| f.add_pins(selection_pins.get_untracked())); }>
                        {move || fill(strings().action_add_selection, selection_pins.with(Vec::len))}
                    </button>
                    <button type="button" class="tk-button tk-button--small tk-clear-pins"
                        on:click=move |_| { pick_note.set(None); form.update(|f| f.pins.clear()); }>{move || strings().action_clear_pins}</button>
                </div>
                <div class="tk-field">
                    <label for="tk-a-paste">{move || strings().action_paste_label}</label>
                    <textarea id="tk-a-paste" rows="2" aria-invalid=invalid("pin_ids")
                        prop:value=move || paste.get()
                        on:input=move |ev| paste.set(event_target_value(&ev))></textarea>
                    {field_error("pin_ids")}
                    <button type="button" class="tk-button tk-button--small tk-paste-add" on:click=add_pasted>
                        {move || strings().action_paste_add}
                    </button>
                </div>
                <label class="tk-check" for="tk-a-update-pins">
                    <input type="checkbox" id="tk-a-update-pins"
                        prop:checked=move || form.with(|f| f.update_pins)
                        on:change=move |ev| form.update(|f| f.update_pins = event_target_checked(&ev)) />
                    " " {move || strings().action_update_pins}
                </label>
            </fieldset>
        }
        .into_any()
    };

    let dialogue_box = move |d: Dialogue| {
        let (id, cid) = (d.id, format!("tk-a-dialogue-{}", d.id));
        let date = d.starts_at.get(..10).unwrap_or_default().to_owned();
        view! {
            <label class="tk-check" for=cid.clone()>
                <input type="checkbox" id=cid.clone() prop:checked=move || form.with(|f| f.dialogues.contains(&id))
                    on:change=move |_| form.update(|f| f.toggle_dialogue(id)) />
                {format!(" {} ({date})", d.title)}
            </label>
        }
    };

    view! {
        <form class="tk-sheet tk-action-editor" novalidate on:submit=move |ev| {
            ev.prevent_default();
            error.set(None);
            save.dispatch(());
        }>
            <h3 id="tk-action-editor-heading" tabindex="-1">
                {move || if editing.get() == Editing::New { strings().action_editor_new } else { strings().action_editor_edit }}
            </h3>
            {text_input("title", |s| s.action_title_label, "text", |f| f.title.clone(), |f, v| f.title = v)}
            <div class="tk-field">
                <label for="tk-a-description">{move || strings().action_description_label}</label>
                <textarea id="tk-a-description" rows="4" aria-invalid=invalid("description")
                    prop:value=move || form.with(|f| f.description.clone())
                    on:input=move |ev| form.update(|f| f.description = event_target_value(&ev))></textarea>
                {field_error("description")}
            </div>
            <div class="tk-field">
                <label for="tk-a-party">{move || strings().action_party_label}</label>
                <select id="tk-a-party" prop:value=move || form.with(|f| f.party.code())
                    on:change=move |ev| {
                        if let Some(p) = ActionParty::parse(&event_target_value(&ev)) {
                            form.update(|f| f.party = p);
                        }
                    }>
                    {ActionParty::ALL.iter().copied().map(|p| view! {
                        <option value=p.code() selected=move || form.with(|f| f.party == p)>{move || strings().action_party(p, None)}</option>
                    }).collect_view()}
                </select>
            </div>
            {move || (form.with(|f| f.party) == ActionParty::Other).then(|| {
                text_input("party_name", |s| s.action_party_name_label, "text", |f| f.party_name.clone(), |f, v| f.party_name = v)
            })}
            <fieldset class="tk-fieldset tk-action-place">
                <legend>{move || strings().action_where}</legend>
                {mode_radio(PlaceMode::Point, |s| s.action_mode_point, "tk-a-mode-point")}
                {mode_radio(PlaceMode::Draw, |s| s.action_mode_draw, "tk-a-mode-draw")}
                <p class="tk-muted">{move || if picking.get() {
                    strings().action_hint_pick
                } else if form.with(|f| f.mode == PlaceMode::Draw) {
                    strings().action_hint_draw
                } else {
                    strings().action_hint_point
                }}</p>
                <p class="tk-action-place-state" aria-live="polite">{place_text}</p>
                {field_error("place")}
                {field_error("lat")}
                {field_error("area")}
                <div class="tk-editor-map">
                    <MapView basemap=basemap viewport=viewport on_tap=tap on_enter=enter>
                        {drawing}
                        {pin_marks}
                    </MapView>
                </div>
                <div class="tk-actions">
                    {can_link.then(|| view! {
                        <button type="button" class="tk-button tk-button--small tk-pick-pins"
                            aria-pressed=move || picking.get().to_string()
                            on:click=move |_| set_picking(!picking.get_untracked())>
                            {move || strings().action_pick_pins}
                        </button>
                    })}
                    <button type="button" class="tk-button tk-button--small tk-clear-place"
                        on:click=move |_| form.update(|f| { f.point = None; f.area.clear(); })>
                        {move || strings().action_clear_place}
                    </button>
                </div>
                <div class="tk-field tk-field--inline">
                    <label for="tk-a-hotspot">{move || strings().action_hotspot_label}</label>
                    <select id="tk-a-hotspot" prop:value=move || chosen_spot.get()
                        on:change=move |ev| chosen_spot.set(event_target_value(&ev))>
                        <option value="">{move || strings().action_hotspot_none}</option>
                        {move || spots.get().flatten().map(|h| h.hotspots.into_iter().map(|h| {
                            let label = format!("{}. {}", h.rank, hotspot_place(&h, strings()));
                            view! { <option value=h.rank.to_string()>{label}</option> }
                        }).collect_view())}
                    </select>
                    <button type="button" class="tk-button tk-button--small tk-use-hotspot" on:click=use_spot>
                        {move || strings().action_use_hotspot}
                    </button>
                </div>
            </fieldset>
            {pins_part}
            <fieldset class="tk-fieldset">
                <legend>{move || strings().action_dialogues_legend}</legend>
                {move || {
                    let list = dialogues.get();
                    if list.is_empty() {
                        view! { <p class="tk-muted">{strings().action_no_dialogues}</p> }.into_any()
                    } else {
                        list.into_iter().map(dialogue_box).collect_view().into_any()
                    }
                }}
                {field_error("dialogues")}
            </fieldset>
            {text_input("starts_on", |s| s.action_starts_label, "date", |f| f.starts_on.clone(), |f, v| f.starts_on = v)}
            {text_input("target_on", |s| s.action_target_label, "date", |f| f.target_on.clone(), |f, v| f.target_on = v)}
            <div class="tk-field">
                <label for="tk-a-state">{move || strings().action_state_label}</label>
                <select id="tk-a-state" prop:value=move || form.with(|f| f.state.code())
                    on:change=move |ev| {
                        if let Some(st) = ActionState::parse(&event_target_value(&ev)) {
                            form.update(|f| f.state = st);
                        }
                    }>
                    {ActionState::ALL.iter().copied().map(|st| view! {
                        <option value=st.code() selected=move || form.with(|f| f.state == st)>{move || strings().action_state(st)}</option>
                    }).collect_view()}
                </select>
            </div>
            {move || (form.with(|f| f.state) == ActionState::Cancelled).then(|| {
                text_input("cancel_reason", |s| s.action_cancel_reason_label, "text", |f| f.cancel_reason.clone(), |f, v| f.cancel_reason = v)
            })}
            {move || error.get().filter(|(f, _)| f.is_empty()).map(|(_, m)| view! { <p class="tk-error" role="alert">{m}</p> })}
            <div class="tk-actions">
                <button type="submit" class="tk-button tk-button--primary tk-save-action">{move || strings().save}</button>
                <button type="button" class="tk-button" on:click=move |_| editing.set(Editing::Closed)>{move || strings().cancel}</button>
            </div>
        </form>
    }
}
