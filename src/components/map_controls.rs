//! The map's buttons: zoom in and out, full screen, and "Min position" with its message.

use std::sync::Arc;

use leptos::prelude::*;

use crate::context::use_strings;
use crate::dom::{current_position, PositionError};
use crate::geo::basemap::Basemap;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::interaction::controller::{apply, focus};
use crate::interaction::gesture::Command;

#[component]
pub fn MapControls(
    viewport: RwSignal<Option<Viewport>>,
    /// Whether the map fills the screen (one finger pans then).
    fullscreen: RwSignal<bool>,
    /// The device's position once "Min position" found it in the kommun (drawn by the map).
    position: RwSignal<Option<LonLat>>,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
) -> impl IntoView {
    let strings = use_strings();
    let update = move |f: &dyn Fn(Viewport) -> Viewport| {
        viewport.update(|v| {
            if let Some(v) = v.as_mut() {
                *v = f(*v);
            }
        })
    };
    let zoom_button = move |factor: f64| {
        move |_| {
            update(&|v| {
                apply(
                    v,
                    Command::Zoom {
                        factor,
                        anchor: None,
                    },
                )
            })
        }
    };

    // "Min position": centre on the device's location when it is in the kommun.
    let position_message = RwSignal::new(None::<&'static str>);
    let locate = move |_| {
        position_message.set(None);
        current_position(move |found| match found {
            Ok(at) => {
                let inside = basemap
                    .get_untracked()
                    .is_some_and(|b| b.in_kommun(project(at)));
                if !inside {
                    position.set(None);
                    position_message.set(Some(strings().position_outside));
                    return;
                }
                position.set(Some(at));
                update(&|v| focus(v, project(at), v.zoom.max(16.0)));
            }
            Err(PositionError::Denied) => position_message.set(Some(strings().position_denied)),
            Err(PositionError::Failed) => position_message.set(Some(strings().position_failed)),
        });
    };

    view! {
        <div class="tk-controls">
            <button
                type="button"
                class="tk-btn tk-zoom-in"
                aria-label=move || strings().zoom_in
                title=move || strings().zoom_in
                on:click=zoom_button(2.0)
            >
                <span aria-hidden="true">"+"</span>
            </button>
            <button
                type="button"
                class="tk-btn tk-zoom-out"
                aria-label=move || strings().zoom_out
                title=move || strings().zoom_out
                on:click=zoom_button(0.5)
            >
                <span aria-hidden="true">"−"</span>
            </button>
            <button
                type="button"
                class="tk-btn tk-fullscreen"
                aria-pressed=move || fullscreen.get().to_string()
                aria-label=move || {
                    if fullscreen.get() {
                        strings().fullscreen_exit
                    } else {
                        strings().fullscreen_enter
                    }
                }
                on:click=move |_| fullscreen.update(|f| *f = !*f)
            >
                <svg class="tk-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M3 3h7v2H5v5H3zM14 3h7v7h-2V5h-5zM3 14h2v5h5v2H3zM19 14h2v7h-7v-2h5z"></path>
                </svg>
            </button>
            <button
                type="button"
                class="tk-btn tk-locate"
                aria-label=move || strings().my_position
                title=move || strings().my_position
                on:click=locate
            >
                <svg class="tk-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M11 1h2v3.06A8 8 0 0 1 19.94 11H23v2h-3.06A8 8 0 0 1 13 19.94V23h-2v-3.06A8 8 0 0 1 4.06 13H1v-2h3.06A8 8 0 0 1 11 4.06zm1 5a6 6 0 1 0 0 12a6 6 0 0 0 0-12zm0 3a3 3 0 1 1 0 6a3 3 0 0 1 0-6z"></path>
                </svg>
            </button>
        </div>
        <p class="tk-map-message" role="status">{move || position_message.get()}</p>
    }
}
