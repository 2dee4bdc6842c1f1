//! The planners' view at `/personal`: filters, every pin at its exact place with its comment,
//! moderation with history, hotspots (shaded on the map and ranked in a list) and exports.
//! Organisers see the hotspot list too, with "Planera dialog här".
//!
//! - this file: the view (the section Markeringar) and its map;
//! - `filters`: the filter form (also in Lägesbild); `pin_list`: the sorted, paged list;
//!   `pin_card`: one pin with moderation and history; `hotspots`: the ranked list and the map
//!   layer; `exports`: the download links.

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{PublicPin, StaffPin};
use uuid::Uuid;

use crate::api::{self, ApiBase, Attempt, Moderation};
use crate::components::map_view::{MapLayers, MapView};
use crate::components::pin_layer::{PinLayer, PinSet, PinSource};
use crate::components::staff::Selection;
use crate::context::use_staff_strings;
use crate::geo::basemap::Basemap;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::fill;
use crate::interaction::controller::focus;
use crate::model::answer::BulkSelection;

mod answer;
mod exports;
mod filters;
mod hotspots;
mod pin_card;
mod pin_list;

pub use answer::Notice;
pub use filters::Filters;
pub use hotspots::{hotspot_resource, HotspotList};

use exports::Exports;
use hotspots::HotspotLayer;
use pin_card::PinCard;
use pin_list::PinList;

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
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let sel = expect_context::<Selection>();
    let status = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<Uuid>);
    let viewport = RwSignal::new(None::<Viewport>);
    // Saved answers (one pin, a hotspot, the ticked pins) are told on their own status line
    // (the list's count, which follows the reload, would replace them on this one).
    let answered = RwSignal::new(String::new());
    provide_context(Notice(answered));
    let picked = RwSignal::new(BulkSelection::default());

    // The whole selection: the map and the exports take it all, the list a page of it.
    let pins_base = base.clone();
    let pins = LocalResource::new(move || {
        let (q, base) = (sel.query.get(), pins_base.clone());
        sel.version.track();
        async move { api::staff_pins(&base, &q).await }
    });
    let spots = hotspot_resource();
    let pin_set = RwSignal::new(Arc::new(PinSet::default()));
    Effect::new(move |_| {
        if let Some(Ok(list)) = pins.get() {
            pin_set.set(Arc::new(PinSet::new(list.iter().map(as_public).collect())));
            let ids: Vec<Uuid> = list.iter().map(|p| p.id).collect();
            picked.update(|p| p.keep_only(&ids));
            status.set(fill(strings().result_count, list.len()));
        }
    });

    let moderate_base = base.clone();
    let moderate = Action::new_local(move |(id, step): &(Uuid, Moderation)| {
        let (base, id, step) = (moderate_base.clone(), *id, step.clone());
        async move {
            let s = strings();
            match api::moderate(&base, id, step).await {
                Ok(_) => {
                    status.set(s.moderation_done.to_owned());
                    sel.reload();
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
            <Filters show_hidden=true />
            <p class="tk-status" role="status" aria-live="polite">{move || status.get()}</p>
            <p class="tk-status tk-answer-status" role="status" aria-live="polite">{move || answered.get()}</p>
            <div class="tk-editor-map tk-planner-map" node_ref=map_box>
                <MapView basemap=basemap viewport=viewport>
                    <MapLayers slot:layers>
                        <HotspotLayer spots=spots />
                        <PinLayer viewport=viewport source=PinSource::Listed(pin_set.into()) on_select=select />
                    </MapLayers>
                </MapView>
            </div>
            {move || selected.get().and_then(find).map(|p| view! {
                <div class="tk-selected-staff" role="region" aria-label=strings().selected_pin>
                    <PinCard pin=p moderate=moderate show=show />
                </div>
            })}
            <Exports query=sel.query />
            <HotspotList spots=spots show=show can_plan=can_plan />
            {move || pins.get().map(|r| match r {
                Ok(list) => view! { <PinList pins=list moderate=moderate show=show picked=picked /> }.into_any(),
                Err(e) => view! { <p class="tk-error" role="alert">{strings().api_error(Attempt::Planner, &e)}</p> }.into_any(),
            })}
        </div>
    }
}
