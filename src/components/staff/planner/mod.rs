//! The planners' view at `/personal`: filters, every pin at its exact place with its comment,
//! moderation with history, hotspots (shaded on the map and ranked in a list) and exports.
//! Organisers see the hotspot list too, with "Planera dialog här".
//!
//! - this file: the view, its map and the pin list;
//! - `filters`: the filter form; `pin_card`: one pin with moderation and history;
//!   `hotspots`: the ranked list and the map layer; `exports`: the download links.

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{PublicPin, StaffPin};
use uuid::Uuid;

use crate::api::{self, ApiBase, Attempt, Moderation};
use crate::components::map_view::MapView;
use crate::components::pin_layer::{PinLayer, PinSet, PinSource};
use crate::context::use_strings;
use crate::geo::basemap::Basemap;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::fill;
use crate::interaction::controller::focus;
use crate::model::staff::FilterForm;

mod exports;
mod filters;
mod hotspots;
mod pin_card;

pub use hotspots::HotspotList;

use exports::Exports;
use filters::Filters;
use hotspots::HotspotLayer;
use pin_card::PinCard;

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
        status: p.status,
        status_changed_at: p.status_changed_at.clone(),
        response: p.response.clone(),
        action_id: p.action_id,
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
                    status.set(s.api_error(Attempt::Planner, &e).to_owned());
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
                    <PinLayer viewport=viewport source=PinSource::Listed(pin_set.into()) on_select=select />
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
                Err(e) => view! { <p class="tk-error" role="alert">{strings().api_error(Attempt::Planner, &e)}</p> }.into_any(),
            })}
        </div>
    }
}
