//! Pins and clusters above the basemap, as focusable buttons.
//!
//! Positions are laid out for a "layout view" and the whole layer is translated while panning at
//! the same zoom; the layout is redone when the zoom changes or the map moved far, so a pan frame
//! changes one CSS transform instead of every marker.

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{Category, PinStatus, PublicPin};

use crate::components::map_layout::MapLayout;
use crate::context::use_strings;
use crate::geo::cluster::{keep_slots, ClusterIndex};
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::fill;
use crate::interaction::controller::focus;

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

/// The category's icon: its glyph on a disc of its colour, so categories differ by shape and not
/// by colour alone. Drawn entirely by CSS (`.tk-cat-*` with `.tk-glyph` in style.css), the same
/// rules that draw a pin marker.
pub fn category_icon(c: Category) -> impl IntoView {
    view! { <span class=format!("tk-glyph tk-cat-{}", c.code()) aria-hidden="true"></span> }
}

/// The level in a single pin's key, which is (version, SINGLE, pin index, 0).
const SINGLE: i32 = -1;

#[derive(Clone, Debug, PartialEq)]
struct Item {
    /// Data version, level and cell (or [`SINGLE`] and the pin's index): stable while zooming
    /// within a level, and for a single pin across levels, so the button is kept and only moved.
    key: (usize, i32, i64, i64),
    count: u32,
    /// For a single pin: its index in the pin list.
    pin: Option<usize>,
    category: Category,
    world: crate::geo::World,
}

impl Item {
    /// The marker's `data-key` (level and cell, or the pin), which the layer's one click handler
    /// reads to find the item.
    fn dom_key(&self) -> String {
        let (_, level, a, b) = self.key;
        format!("{level}:{a}:{b}")
    }
}

#[component]
pub fn PinLayer(
    viewport: RwSignal<Option<Viewport>>,
    #[prop(into)] pins: Signal<Arc<PinSet>>,
    /// A single pin was chosen.
    on_select: Callback<PublicPin>,
) -> impl IntoView {
    let strings = use_strings();
    let map = expect_context::<MapLayout>();
    let layout = map.layout;

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

    let items = Memo::new(move |previous: Option<&Vec<Item>>| {
        let Some(l) = layout.get() else {
            return Vec::new();
        };
        let set = pins.get();
        let version = Arc::as_ptr(&set) as usize;
        // A third of a screen of margin: the layout is redone before panning goes further.
        let full = settled.with(|s| s.is_some_and(|s| s.same_scale_and_size(&l)));
        let margin = if full {
            l.width.max(l.height) / 3.0 / l.scale()
        } else {
            0.0
        };
        let shown: Vec<_> = previous
            .map(|p| p.iter().map(|i| i.key).collect())
            .unwrap_or_default();
        let next = set
            .index
            .query(l.zoom, l.visible_bounds(), margin)
            .iter()
            .filter(|c| {
                let b = l.visible_bounds();
                c.world.y >= b.min.y - margin && c.world.y <= b.max.y + margin
            })
            .map(|c| {
                let dominant = c
                    .per_kind
                    .iter()
                    .enumerate()
                    .max_by_key(|(_, n)| **n)
                    .map_or(0, |(i, _)| i);
                // A single pin keeps its key (and so its marker) across levels; a cluster is
                // its level and cell.
                let key = if c.count == 1 {
                    (version, SINGLE, c.first as i64, 0)
                } else {
                    (version, c.level, c.cell.0, c.cell.1)
                };
                Item {
                    key,
                    count: c.count,
                    pin: (c.count == 1).then_some(c.first),
                    category: Category::ALL[dominant],
                    world: c.world,
                }
            });
        // Markers that stay keep their place in the list, so a pan never moves them in the DOM.
        keep_slots(&shown, next, |i| i.key)
    });

    let offset = move || map.layer_style(viewport);

    let zoom_into = move |item: &Item| {
        let set = pins.get_untracked();
        let level = ClusterIndex::level_for(layout.get_untracked().map_or(0.0, |l| l.zoom));
        let target = set
            .index
            .level(level)
            .iter()
            .find(|c| (c.level, c.cell.0, c.cell.1) == (item.key.1, item.key.2, item.key.3))
            .map_or(level + 2, |c| set.index.expansion_zoom(c));
        let world = item.world;
        viewport.update(|v| {
            if let Some(v) = v.as_mut() {
                *v = focus(*v, world, f64::from(target).max(v.zoom + 1.0));
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
        let Some(item) =
            items.with_untracked(|list| list.iter().find(|i| i.dom_key() == id).cloned())
        else {
            return;
        };
        match item.pin {
            Some(index) => {
                if let Some(p) = pins.get_untracked().pins.get(index).cloned() {
                    on_select.run(p);
                }
            }
            None => zoom_into(&item),
        }
    };

    view! {
        <div class="tk-pins" style=offset on:click=on_click>
            <For
                each=move || items.get()
                key=|item| item.key
                children=move |item| {
                    let s = strings();
                    let style = move || map.marker_style(item.world);
                    let (kind, label) = match item.pin {
                        Some(index) => {
                            let pin = pins.get_untracked().pins.get(index).cloned();
                            let label = pin.as_ref().map(|p| s.pin_label(p)).unwrap_or_default();
                            // A state beyond "Mottagen" gets a badge whose glyph tells it (not
                            // only its colour).
                            let state = pin
                                .map(|p| p.status)
                                .filter(|st| *st != PinStatus::Received)
                                .map(|st| format!(" tk-st tk-st-{}", st.code()))
                                .unwrap_or_default();
                            (format!("tk-pin{state}"), label)
                        }
                        None => ("tk-cluster".to_owned(), fill(s.cluster_label, item.count)),
                    };
                    // A cluster shows its count; its accessible name is the label.
                    let count = item.pin.is_none().then_some(item.count);
                    view! {
                        <button
                            type="button"
                            class=format!("tk-marker tk-cat-{} {kind}", item.category.code())
                            data-key=item.dom_key()
                            style=style
                            aria-label=label
                        >
                            {count}
                        </button>
                    }
                }
            />
        </div>
    }
}
