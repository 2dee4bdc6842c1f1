//! Pins and clusters above the basemap, as focusable buttons.
//!
//! Positions are laid out for a "layout view" and the whole layer is translated while panning at
//! the same zoom; the layout is redone when the zoom changes or the map moved far, so a pan frame
//! changes one CSS transform instead of every marker. The markers come from the server's pin
//! tiles (residents: only what the view needs) or from a list clustered here (the planners'
//! view), as `geo::markers::Marker`s either way.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::tile::GridCell;
use trygghetskarta_shared::{Category, PublicPin};

use crate::api::{self, ApiBase};
use crate::components::lists::FirstScreen;
use crate::components::map_layout::MapLayout;
use crate::components::pin_tiles::load_tiles;
use crate::context::use_lang;
use crate::dom::in_a_later_frame;
use crate::geo::cluster::ClusterIndex;
use crate::geo::markers::{self, Marker, MarkerKey, What};
use crate::geo::mercator::project;
use crate::geo::pin_tiles::{level_for, MARKER_MARGIN};
use crate::geo::viewport::Viewport;
use crate::geo::{LonLat, World};
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
    // as HTML strings the browser parses in one call each, and places the ones that stay again
    // only when the frame changes (`model::marker_html`; docs/PERFORMANCE.md). After a pan, what
    // the view shows is written at once and the margin's markers over the next frames
    // (`markers::paced`).
    let layer = NodeRef::<leptos::html::Div>::new();
    let shown = Rc::new(RefCell::new(Shown::default()));
    Effect::new(move |_| {
        let Some(div) = layer.get() else { return };
        let div: web_sys::Element = div.into();
        let frame = map.frame.get();
        let lang = lang.get();
        let s = lang.strings();
        let mut st = shown.borrow_mut();
        // Steps still waiting for a frame belong to an older list: this run's diff has them.
        st.generation = st.generation.wrapping_add(1);
        // Another language names every marker again, and many batches are written again as one.
        let all_at_once = st.lang != Some(lang) || div.child_element_count() > MAX_BATCHES;
        if all_at_once {
            div.set_inner_html("");
            st.buttons.clear();
            st.lang = Some(lang);
        }
        let moved = st.frame != frame;
        st.frame = frame;
        let (Some(frame), Some(l)) = (frame, layout.get_untracked()) else {
            return;
        };
        items.with(|list| {
            let (gone, new) = marker_html::changes(&st.buttons, list);
            let write = |idx: &[usize]| {
                let mut html = String::with_capacity(idx.len() * 200 + 32);
                html.push_str(r#"<div class="tk-batch">"#);
                let mut keys = Vec::with_capacity(idx.len());
                for &i in idx {
                    let m = &list[i];
                    let pin = match m.what {
                        What::Listed(i) => listed(i),
                        _ => None,
                    };
                    let face = marker_html::face(m, s, pin.as_ref());
                    marker_html::push_button(
                        &mut html,
                        m,
                        &face,
                        &style_at(frame.to_screen(m.world)),
                    );
                    keys.push((m.key, m.world));
                }
                html.push_str("</div>");
                Step::Write { keys, html }
            };
            if moved || all_at_once {
                st.apply(&div, Step::Remove(gone));
                if moved {
                    for m in list {
                        if let Some(b) = st.buttons.get(&m.key) {
                            let _ =
                                b.el.set_attribute("style", &style_at(frame.to_screen(m.world)));
                        }
                    }
                }
                st.apply(&div, write(&new));
                return;
            }
            // What the view shows changes now; the margin follows, one step a frame, and what
            // left the margin goes last.
            let view = l.visible_bounds();
            let reach = MARKER_REACH / l.scale();
            let (seen, unseen): (Vec<_>, Vec<_>) = gone.into_iter().partition(|k| {
                st.buttons
                    .get(k)
                    .is_some_and(|b| view.grown(reach).contains(b.world))
            });
            st.apply(&div, Step::Remove(seen));
            let mut steps: VecDeque<Step> = markers::paced(list, &new, &view, reach, PACE)
                .iter()
                .map(|idx| write(idx))
                .collect();
            steps.push_back(Step::Remove(unseen));
            if let Some(first) = steps.pop_front() {
                st.apply(&div, first);
            }
            write_later(div.clone(), shown.clone(), st.generation, steps);
        });
    });

    view! { <div class="tk-pins tk-pin-layer" node_ref=layer on:click=on_click></div> }
}

/// New markers a relayout after a pan writes per frame beyond what the view shows
/// ([`markers::paced`]). At a 4x throttled CPU one marker costs the browser about 0.25 ms of
/// style, layout and paint, so a step fits beside a pan frame's own work (docs/PERFORMANCE.md).
const PACE: usize = 32;

/// How far outside the view a marker's centre can lie and the marker still show: half a button,
/// and its state badge (CSS pixels).
const MARKER_REACH: f64 = 30.0;

/// The batches the layer may hold before the next relayout writes all its buttons as one. Each
/// step writes its buttons as a batch of their own (`.tk-batch`, a paint layer): adding or
/// removing buttons then paints that batch again, not every button the layer shows (3.5–4.6 ms
/// a step at 4x throttling with the markers of 1 000 000 pins, docs/PERFORMANCE.md). Batches
/// empty out as the map moves on; every paint layer is a little more for each wheel event's hit
/// test, so there are never many.
const MAX_BATCHES: u32 = 24;

/// The buttons the layer shows, by marker, and what they were written for.
#[derive(Default)]
struct Shown {
    buttons: HashMap<MarkerKey, Button>,
    frame: Option<Viewport>,
    lang: Option<Lang>,
    /// Counts the effect's runs: a step written later belongs to the run that made it.
    generation: u64,
}

struct Button {
    el: web_sys::Element,
    world: World,
}

/// One change to the layer's buttons.
enum Step {
    /// Buttons to add, as HTML, with their markers in the order written.
    Write {
        keys: Vec<(MarkerKey, World)>,
        html: String,
    },
    Remove(Vec<MarkerKey>),
}

impl Shown {
    fn apply(&mut self, div: &web_sys::Element, step: Step) {
        match step {
            Step::Remove(keys) => {
                for k in keys {
                    if let Some(b) = self.buttons.remove(&k) {
                        let batch = b.el.parent_element();
                        b.el.remove();
                        if let Some(batch) = batch.filter(|b| b.child_element_count() == 0) {
                            batch.remove();
                        }
                    }
                }
            }
            Step::Write { keys, html } => {
                if keys.is_empty() {
                    return;
                }
                let _ = div.insert_adjacent_html("beforeend", &html);
                // The new batch is the layer's last child, its buttons in the order written.
                let mut el = div
                    .last_element_child()
                    .and_then(|b| b.first_element_child());
                for (key, world) in keys {
                    let Some(e) = el else { break };
                    el = e.next_element_sibling();
                    self.buttons.insert(key, Button { el: e, world });
                }
            }
        }
    }
}

/// The `steps` left of a relayout, one per later frame ([`in_a_later_frame`]: the effect runs
/// for a pointer move inside the relayout's own frame), as long as no newer run of the layer's
/// effect has made its own.
fn write_later(
    div: web_sys::Element,
    shown: Rc<RefCell<Shown>>,
    generation: u64,
    mut steps: VecDeque<Step>,
) {
    if steps.is_empty() {
        return;
    }
    in_a_later_frame(move || {
        {
            let mut st = shown.borrow_mut();
            if st.generation != generation {
                return;
            }
            if let Some(step) = steps.pop_front() {
                st.apply(&div, step);
            }
        }
        write_later(div, shown, generation, steps);
    });
}
