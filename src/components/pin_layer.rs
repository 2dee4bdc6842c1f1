//! Pins and clusters above the basemap, as focusable buttons.
//!
//! Positions are laid out for a "layout view" and the whole layer is translated while panning at
//! the same zoom; the layout is redone when the zoom changes or the map moved far, so a pan frame
//! changes one CSS transform instead of every marker.

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{Category, PublicPin};

use crate::app::use_strings;
use crate::components::map_view::{focus, MapLayout};
use crate::geo::cluster::ClusterIndex;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::fill;

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

/// A small SVG glyph per category, so categories differ by shape and not by colour alone.
pub fn category_icon(c: Category) -> impl IntoView {
    let d = match c {
        // warning triangle
        Category::Traffic => "M12 3 L22 20 H2 Z M11 9 h2 v6 h-2 z M11 16.5 h2 v2 h-2 z",
        // capsule
        Category::Drugs => "M8.5 4.5 a4.95 4.95 0 0 1 7 7 l-4 4 a4.95 4.95 0 0 1 -7 -7 z M6.5 10.5 l7 7 l1.4 -1.4 l-7 -7 z",
        // light bulb
        Category::Lighting => "M12 2 a7 7 0 0 1 4 12.7 V17 H8 v-2.3 A7 7 0 0 1 12 2 z M9 18.5 h6 V21 H9 z",
        // exclamation in a circle
        Category::Disorder => "M12 2 a10 10 0 1 1 0 20 a10 10 0 1 1 0 -20 z M11 6 h2 v8 h-2 z M11 16 h2 v2 h-2 z",
        // broken square (zigzag)
        Category::Vandalism => "M3 3 h8 l-2 5 l4 3 l-3 10 H3 z M14 3 h7 v18 h-8 l3 -9 l-4 -3 z",
        // dot in a ring
        Category::Other => "M12 4 a8 8 0 1 1 0 16 a8 8 0 1 1 0 -16 z M12 9 a3 3 0 1 0 0 6 a3 3 0 1 0 0 -6 z",
    };
    view! {
        <svg class="tk-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=d fill-rule="evenodd"></path>
        </svg>
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Item {
    /// Data version, level and cell: stable while zooming within a level, so the button is kept
    /// and only moved.
    key: (usize, i32, i64, i64),
    count: u32,
    /// For a single pin: its index in the pin list.
    pin: Option<usize>,
    category: Category,
    world: crate::geo::World,
}

#[component]
pub fn PinLayer(
    view: RwSignal<Option<Viewport>>,
    #[prop(into)] pins: Signal<Arc<PinSet>>,
    /// A single pin was chosen.
    on_select: Callback<PublicPin>,
) -> impl IntoView {
    let strings = use_strings();
    let layout = expect_context::<MapLayout>().0;

    let items = Memo::new(move |_| {
        let Some(l) = layout.get() else {
            return Vec::new();
        };
        let set = pins.get();
        let version = Arc::as_ptr(&set) as usize;
        // A third of a screen of margin: the layout is redone before panning goes further.
        let margin = l.width.max(l.height) / 3.0 / l.scale();
        set.index
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
                Item {
                    key: (version, c.level, c.cell.0, c.cell.1),
                    count: c.count,
                    pin: (c.count == 1).then_some(c.first),
                    category: Category::ALL[dominant],
                    world: c.world,
                }
            })
            .collect::<Vec<_>>()
    });

    let offset = move || match (layout.get(), view.get()) {
        (Some(l), Some(v)) => format!("transform: {}", v.css_transform_from(&l)),
        _ => String::new(),
    };

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
        view.update(|v| {
            if let Some(v) = v.as_mut() {
                *v = focus(*v, world, f64::from(target).max(v.zoom + 1.0));
            }
        });
    };

    view! {
        <div class="tk-pins" style=offset>
            <For
                each=move || items.get()
                key=|item| item.key
                children=move |item| {
                    let s = strings();
                    let world = item.world;
                    let style = move || {
                        layout
                            .get()
                            .map(|l| {
                                let p = l.to_screen(world);
                                format!("transform: translate({:.1}px, {:.1}px)", p.x, p.y)
                            })
                    };
                    let class = format!("tk-marker tk-cat-{}", item.category.code());
                    match item.pin {
                        Some(index) => {
                            let pin = pins.get_untracked().pins.get(index).cloned();
                            let label = pin
                                .as_ref()
                                .map(|p| {
                                    format!(
                                        "{}, {}",
                                        s.category(p.category),
                                        s.time_of_day(p.time_of_day).to_lowercase()
                                    )
                                })
                                .unwrap_or_default();
                            view! {
                                <button
                                    type="button"
                                    class=format!("{class} tk-pin")
                                    style=style
                                    aria-label=label
                                    on:click=move |_| {
                                        if let Some(p) = pin.clone() {
                                            on_select.run(p);
                                        }
                                    }
                                >
                                    {category_icon(item.category)}
                                </button>
                            }
                                .into_any()
                        }
                        None => {
                            let label = fill(s.cluster_label, item.count);
                            let it = item.clone();
                            view! {
                                <button
                                    type="button"
                                    class=format!("{class} tk-cluster")
                                    style=style
                                    aria-label=label
                                    on:click=move |_| zoom_into(&it)
                                >
                                    <span aria-hidden="true">{item.count}</span>
                                </button>
                            }
                                .into_any()
                        }
                    }
                }
            />
        </div>
    }
}
