//! Pins and clusters above the basemap, as focusable buttons.
//!
//! Positions are laid out for a "layout view" and the whole layer is translated while panning at
//! the same zoom; the layout is redone when the zoom changes or the map moved far, so a pan frame
//! changes one CSS transform instead of every marker. The markers come from the server's pin
//! tiles (residents: only what the view needs) or from a list clustered here (the planners'
//! view), as `geo::markers::Marker`s either way.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::tile::GridCell;
use trygghetskarta_shared::{Category, PublicPin};

use crate::api::{self, ApiBase};
use crate::components::lists::FirstScreen;
use crate::components::map_layout::MapLayout;
use crate::components::pin_tiles::load_tiles;
use crate::context::use_lang;
use crate::geo::cluster::ClusterIndex;
use crate::geo::markers::{self, Marker, MarkerKey, What};
use crate::geo::mercator::project;
use crate::geo::pin_tiles::{level_for, MARKER_MARGIN};
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::Lang;
use crate::interaction::controller::focus;
use crate::model::marker_html::{self, style_at};

/// Public pins with their cluster index.
#[derive(Clone, Debug, Default)]
pub struct PinSet {
    pub pins: Vec<PublicPin>,
    pub index: ClusterIndex,
}

pub fn category_index(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

impl PinSet {
    pub fn new(pins: Vec<PublicPin>) -> PinSet {
        let points: Vec<_> = pins
            .iter()
            .map(|p| {
                (
                    project(LonLat::lat_lon(p.lat, p.lon)),
                    category_index(p.category),
                )
            })
            .collect();
        let index = ClusterIndex::new(&points, Category::ALL.len());
        PinSet { pins, index }
    }
}

/// Where the layer's pins come from.
#[derive(Clone, Copy)]
pub enum PinSource {
    /// A list clustered on the device (the planners' view).
    Listed(Signal<Arc<PinSet>>),
    /// The server's pin tiles, as the view needs them (residents); loaded again whenever the
    /// version changes.
    Tiles(Signal<u32>),
}

/// The category's icon: its glyph on a disc of its colour, so categories differ by shape and not
/// by colour alone. Drawn entirely by CSS (`.tk-cat-*` with `.tk-glyph` in style.css), the same
/// rules that draw a pin marker.
pub fn category_icon(c: Category) -> impl IntoView {
    view! { <span class=format!("tk-glyph tk-cat-{}", c.code()) aria-hidden="true"></span> }
}

#[component]
pub fn PinLayer(
    viewport: RwSignal<Option<Viewport>>,
    source: PinSource,
    /// A single pin was chosen.
    on_select: Callback<PublicPin>,
) -> impl IntoView {
    let lang = use_lang();
    let map = expect_context::<MapLayout>();
    let layout = map.layout;
    let tiles = match source {
        PinSource::Tiles(version) => Some(load_tiles(layout, version)),
        PinSource::Listed(_) => None,
    };
    // Every tile the view shows answered (or failed): once the frame with their markers is
    // painted, the first screen is drawn and the lists may load (`lists::FirstScreen`, which
    // the residents' root provides).
    if let (Some(tiles), Some(first)) = (tiles, use_context::<FirstScreen>()) {
        // Once drawn it reads no signal, so it never runs again.
        Effect::new(move |_| {
            if first.is_drawn() {
                return;
            }
            let Some(l) = layout.get() else {
                return;
            };
            if tiles.with(|t| t.shows(level_for(l.zoom), l.visible_bounds())) {
                // The task after the next animation frame: that frame, with the markers, is painted.
                request_animation_frame(move || {
                    set_timeout(move || first.set_drawn(), std::time::Duration::ZERO)
                });
            }
        });
    }
    let base = use_context::<ApiBase>();
    let listed = move |i: usize| match source {
        PinSource::Listed(set) => set.get_untracked().pins.get(i).cloned(),
        PinSource::Tiles(_) => None,
    };

    // The layout as of the last painted frame. After a zoom the markers the container shows are
    // made first and those in the margin one frame later, so the frame that shows the new zoom
    // creates a third as many buttons; panning at one zoom gets the margin at once.
    let settled = RwSignal::new(None::<Viewport>);
    Effect::new(move |_| {
        let l = layout.get();
        request_animation_frame(move || {
            set_timeout(move || settled.set(l), std::time::Duration::ZERO);
        });
    });

    let items = Memo::new(move |previous: Option<&Vec<Marker>>| {
        let Some(l) = layout.get() else {
            return Vec::new();
        };
        // A third of a screen of margin (`MARKER_MARGIN`): the layout is redone before panning
        // goes further.
        let full = settled.with(|s| s.is_some_and(|s| s.same_scale_and_size(&l)));
        let margin = if full {
            l.width.max(l.height) * MARKER_MARGIN / l.scale()
        } else {
            0.0
        };
        let bounds = l.visible_bounds();
        let next = match (source, tiles) {
            (PinSource::Listed(set), _) => {
                let set = set.get();
                let version = Arc::as_ptr(&set) as u64;
                Some(markers::listed(&set.index, version, l.zoom, bounds, margin))
            }
            (PinSource::Tiles(_), Some(t)) => {
                t.with(|t| t.markers(level_for(l.zoom), bounds, margin))
            }
            (PinSource::Tiles(_), None) => None,
        };
        // Tiles the view shows are still on their way: keep what is shown.
        let Some(next) = next else {
            return previous.cloned().unwrap_or_default();
        };
        next
    });

    let zoom_into = move |m: &Marker, split_zoom: Option<i32>| {
        let level = ClusterIndex::level_for(layout.get_untracked().map_or(0.0, |l| l.zoom));
        let target = split_zoom.unwrap_or_else(|| match source {
            PinSource::Listed(set) => {
                let set = set.get_untracked();
                set.index
                    .level(level)
                    .iter()
                    .find(|c| (c.level, c.cell.0, c.cell.1) == (m.key.level, m.key.a, m.key.b))
                    .map_or(level + 2, |c| set.index.expansion_zoom(c))
            }
            PinSource::Tiles(_) => level + 2,
        });
        let world = m.world;
        viewport.update(|v| {
            if let Some(v) = v.as_mut() {
                *v = focus(*v, world, f64::from(target).max(v.zoom + 1.0));
            }
        });
    };
    // A tile's pin is known by its grid cell: its card asks the server for the pins there.
    let open = move |cell: GridCell| {
        let Some(base) = base.clone() else { return };
        leptos::task::spawn_local(async move {
            if let Some(p) = api::pins_in(&base, cell.bbox())
                .await
                .ok()
                .and_then(|pins| pins.into_iter().next())
            {
                on_select.run(p);
            }
        });
    };

    // One click handler for the layer instead of one per marker: markers are created by the
    // hundred on every zoom, and each handler would be a closure of its own.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(id) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| el.closest(".tk-marker").ok().flatten())
            .and_then(|el| el.get_attribute("data-key"))
        else {
            return;
        };
        let Some(m) = items.with_untracked(|list| list.iter().find(|m| m.dom_key() == id).cloned())
        else {
            return;
        };
        match m.what {
            What::Listed(i) => {
                if let Some(p) = listed(i) {
                    on_select.run(p);
                }
            }
            What::Pin { cell, .. } | What::Place { cell } => open(cell),
            What::Cluster { split_zoom } => zoom_into(&m, split_zoom),
        }
    };

    // The buttons are written by one effect, not a keyed list: a relayout adds its new markers
    // as one HTML string the browser parses in one call, and places the ones that stay again
    // only when the frame changes (`model::marker_html`; docs/PERFORMANCE.md).
    let layer = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |previous: Option<Shown>| {
        let mut shown = previous.unwrap_or_default();
        let Some(div) = layer.get() else {
            return shown;
        };
        let frame = map.frame.get();
        let lang = lang.get();
        let s = lang.strings();
        // Another language names every marker again.
        if shown.lang != Some(lang) {
            for el in shown.buttons.drain().map(|(_, el)| el) {
                el.remove();
            }
            shown.lang = Some(lang);
        }
        let moved = shown.frame != frame;
        shown.frame = frame;
        let Some(frame) = frame else {
            return shown;
        };
        items.with(|list| {
            let (gone, new) = marker_html::changes(&shown.buttons, list);
            for k in gone {
                if let Some(el) = shown.buttons.remove(&k) {
                    el.remove();
                }
            }
            if moved {
                for m in list {
                    if let Some(el) = shown.buttons.get(&m.key) {
                        let _ = el.set_attribute("style", &style_at(frame.to_screen(m.world)));
                    }
                }
            }
            if new.is_empty() {
                return;
            }
            let mut html = String::with_capacity(new.len() * 200);
            for &i in &new {
                let m = &list[i];
                let pin = match m.what {
                    What::Listed(i) => listed(i),
                    _ => None,
                };
                let face = marker_html::face(m, s, pin.as_ref());
                marker_html::push_button(&mut html, m, &face, &style_at(frame.to_screen(m.world)));
            }
            let _ = div.insert_adjacent_html("beforeend", &html);
            // The new buttons are the layer's last children, in the order written.
            let mut el = div.last_element_child();
            for &i in new.iter().rev() {
                let Some(e) = el else { break };
                el = e.previous_element_sibling();
                shown.buttons.insert(list[i].key, e);
            }
        });
        shown
    });

    view! { <div class="tk-pins" node_ref=layer on:click=on_click></div> }
}

/// The buttons the layer shows, by marker, and what they were written for.
#[derive(Default)]
struct Shown {
    buttons: HashMap<MarkerKey, web_sys::Element>,
    frame: Option<Viewport>,
    lang: Option<Lang>,
}
