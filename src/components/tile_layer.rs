//! Street-level raster tiles from our own server, under the vector basemap. Tiles fade in when
//! loaded; until then their nearest loaded ancestor is drawn scaled in their place; a failed tile
//! just stays empty.

use std::collections::HashSet;

use leptos::prelude::*;
use trygghetskarta_shared::TileConfig;

use crate::api::ApiBase;
use crate::geo::fixed;
use crate::geo::mercator::TileId;
use crate::geo::tiles::{covering, place, stand_ins, tile_zoom};
use crate::geo::viewport::Viewport;

#[component]
pub fn TileLayer(viewport: RwSignal<Option<Viewport>>, config: TileConfig) -> impl IntoView {
    let base = expect_context::<ApiBase>();
    let loaded = RwSignal::new(HashSet::<TileId>::new());
    let max_zoom = config.max_zoom;
    let wanted = Memo::new(move |_| {
        viewport
            .get()
            .map(|v| covering(&v, tile_zoom(v.zoom, max_zoom)))
            .unwrap_or_default()
    });
    // Stand-ins first (below), then the wanted tiles.
    let tiles = move || {
        let w = wanted.get();
        let mut all = loaded.with(|l| stand_ins(&w, l, 4));
        all.extend(w);
        all
    };
    view! {
        <div class="tk-tiles" aria-hidden="true">
            <For
                each=tiles
                key=|t| *t
                children=move |t| {
                    let src = base.url(&format!("/tiles/{}/{}/{}.png", t.z, t.x, t.y));
                    let style = move || {
                        viewport
                            .get()
                            .map(|v| {
                                let p = place(&v, t);
                                format!(
                                    "transform: translate({}px, {}px); width: {}px; height: {}px",
                                    fixed(p.x, 1),
                                    fixed(p.y, 1),
                                    fixed(p.size, 2),
                                    fixed(p.size, 2),
                                )
                            })
                    };
                    view! {
                        <img
                            class="tk-tile"
                            class:tk-tile--loaded=move || loaded.with(|l| l.contains(&t))
                            src=src
                            alt=""
                            draggable="false"
                            style=style
                            on:load=move |_| loaded.update(|l| {
                                l.insert(t);
                            })
                            on:error=move |ev| {
                                if let Some(img) = ev
                                    .target()
                                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                                {
                                    let _ = img.set_attribute("data-failed", "true");
                                }
                            }
                        />
                    }
                }
            />
        </div>
    }
}
