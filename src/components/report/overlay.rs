//! The report flow on the map: the crosshair, the draft pin and this device's own pins, and what
//! a tap or Enter on the map does while reporting.

use std::sync::Arc;

use leptos::prelude::*;

use super::state::ReportState;
use crate::components::map_layout::MapLayout;
use crate::geo::basemap::Basemap;
use crate::geo::fixed;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::model::report::Step;

/// This device's own pins as dots, in the marker frame: it belongs in `MapView`'s `MapLayers`,
/// which move it, so a pan does not draw the dots again.
#[component]
pub fn MyPinsLayer() -> impl IntoView {
    let state = expect_context::<ReportState>();
    let map = expect_context::<MapLayout>();
    let dots = move || {
        state
            .mine
            .get()
            .pins
            .into_iter()
            .map(|p| {
                let world = project(LonLat::lat_lon(p.lat, p.lon));
                view! { <div class="tk-mine-dot" style=move || map.marker_style(world)></div> }
            })
            .collect_view()
    };
    view! { <div class="tk-overlay" aria-hidden="true">{dots}</div> }
}

/// Crosshair and draft pin, drawn inside the map for the view.
#[component]
pub fn ReportOverlay(viewport: RwSignal<Option<Viewport>>) -> impl IntoView {
    let state = expect_context::<ReportState>();
    let placing = move || matches!(state.step.get(), Step::Placing { .. });
    // Reads the view only while a draft pin shows: otherwise a pan frame does not run this.
    let draft_style = move || match state.step.get() {
        Step::Placing { draft: Some(at) } => {
            let s = viewport.get()?.to_screen(project(at));
            Some(format!(
                "transform: translate({}px, {}px)",
                fixed(s.x, 1),
                fixed(s.y, 1)
            ))
        }
        _ => None,
    };
    view! {
        <div class="tk-overlay" aria-hidden="true">
            <Show when=placing>
                <div class="tk-crosshair"></div>
            </Show>
            {move || draft_style().map(|style| view! { <div class="tk-draft-pin" style=style></div> })}
        </div>
    }
}

/// Handles taps and Enter on the map for the report flow. Returns (on_tap, on_enter).
pub fn map_handlers(
    viewport: RwSignal<Option<Viewport>>,
    basemap: Signal<Option<Arc<Basemap>>>,
) -> (Callback<LonLat>, Callback<()>) {
    let state = expect_context::<ReportState>();
    let on_tap = Callback::new(move |at: LonLat| {
        if matches!(state.step.get_untracked(), Step::Placing { .. }) {
            state.step.set(Step::Placing { draft: Some(at) });
        } else {
            state.selected.set(None);
        }
    });
    let on_enter = Callback::new(move |()| match state.step.get_untracked() {
        Step::Idle => state.step.set(Step::Placing { draft: None }),
        Step::Placing { .. } => {
            // Enter chooses the crosshair: the centre of the view.
            if let Some(v) = viewport.get_untracked() {
                let centre = v.center_lonlat();
                state.step.set(Step::Placing {
                    draft: Some(centre),
                });
                state.choose_place(Some(v), basemap.get_untracked().as_deref());
            }
        }
        Step::Form { .. } => {}
    });
    (on_tap, on_enter)
}
