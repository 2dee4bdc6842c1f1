//! The handlingsplan on the residents' map: each action as a flag-shaped marker (distinct from
//! pins and dialogues) and, when it has one, its area's outline. Choosing a marker moves focus
//! to the action in "Vad händer?".

use leptos::prelude::*;
use trygghetskarta_shared::{Action, ActionState};

use crate::api::ApiError;
use crate::components::map_layout::MapLayout;
use crate::components::part::Section;
use crate::context::use_strings;
use crate::geo::fixed;
use crate::geo::mercator::project;
use crate::geo::LonLat;
use crate::i18n::lowercase;

/// The actions, loaded once by the app and shared by the map, the pin panel and the list.
pub type Actions = LocalResource<Result<Vec<Action>, ApiError>>;

/// The element id of an action's entry in "Vad händer?".
pub fn update_id(id: &uuid::Uuid) -> String {
    format!("tk-update-{id}")
}

/// The "Vad händer?" section, in context for links to its entries from elsewhere (the pin
/// card's "Ingår i åtgärden").
#[derive(Clone, Copy)]
pub struct UpdatesSection(pub Section);

/// Opens "Vad händer?" at an action's entry and focuses it (the pin card's "Ingår i åtgärden"
/// link leads there). The lookup also searches the widget's shadow root, where a plain
/// `#fragment` link would not reach. Without the section on the page, only the focus.
pub fn go_to_update(updates: Option<UpdatesSection>, id: &uuid::Uuid) {
    match updates {
        Some(UpdatesSection(section)) => section.show(update_id(id)),
        None => {
            if let Some(el) = crate::dom::by_id(&update_id(id)) {
                el.scroll_into_view();
                let _ = el.focus();
            }
        }
    }
}

#[component]
pub fn ActionLayer(
    actions: Actions,
    /// "Vad händer?", opened at the action when its marker is chosen.
    updates: Section,
) -> impl IntoView {
    let strings = use_strings();
    let map = expect_context::<MapLayout>();
    let shown = move || {
        actions
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.state != ActionState::Cancelled)
            .collect::<Vec<_>>()
    };
    // Outlines in the markers' frame, so they move with the layer.
    let outlines = move || {
        let frame = map.frame.get()?;
        Some(
            shown()
                .into_iter()
                .filter_map(|a| {
                    let ring = a.area?;
                    let points = ring
                        .iter()
                        .map(|[lon, lat]| {
                            let p = frame.to_screen(project(LonLat::lat_lon(*lat, *lon)));
                            format!("{},{}", fixed(p.x, 1), fixed(p.y, 1))
                        })
                        .collect::<Vec<_>>()
                        .join(" ");
                    Some(view! { <polygon class="tk-action-area" points=points></polygon> })
                })
                .collect_view(),
        )
    };
    let markers = move || {
        shown()
            .into_iter()
            .map(|a| {
                let world = project(LonLat::lat_lon(a.lat, a.lon));
                let style = move || map.marker_style(world);
                let s = strings();
                let label = format!(
                    "{}: {} ({})",
                    s.action_label,
                    a.title,
                    lowercase(s.action_state(a.state))
                );
                let target = update_id(&a.id);
                view! {
                    <button
                        type="button"
                        class=format!("tk-marker tk-action-marker tk-action-marker--{}", a.state.code())
                        style=style
                        aria-label=label
                        on:click=move |_| updates.show(target.clone())
                    >
                        <svg class="tk-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                            <path d="M5 2h2v1h11l-2 4 2 4H7v11H5z"></path>
                        </svg>
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <div class="tk-pins tk-action-layer">
            <svg class="tk-action-areas" width="1" height="1" aria-hidden="true">{outlines}</svg>
            {markers}
        </div>
    }
}
