//! The map: tiles and the SVG basemap under a gesture surface, with the layers a page puts on
//! top and the map's buttons. Geometry, gestures and the map policy live in `geo` and
//! `interaction`; this file only wires DOM events to them.

use std::sync::Arc;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use trygghetskarta_shared::TileConfig;

use crate::components::basemap_layer::BasemapLayer;
use crate::components::map_controls::MapControls;
use crate::components::map_layout::MapLayout;
use crate::components::tile_layer::TileLayer;
use crate::context::use_strings;
use crate::device::performance_now;
use crate::dom::prefers_reduced_motion;
use crate::geo::basemap::Basemap;
use crate::geo::fixed;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::{LonLat, Screen};
use crate::interaction::controller::{apply, opening_view, resize};
use crate::interaction::gesture::{Command, GestureRecognizer, Input, Key, Options, PointerKind};
use crate::interaction::inertia::Motion;
use crate::model::options::StartView;

fn pointer_kind(ev: &web_sys::PointerEvent) -> PointerKind {
    match ev.pointer_type().as_str() {
        "touch" => PointerKind::Touch,
        "pen" => PointerKind::Pen,
        _ => PointerKind::Mouse,
    }
}

/// Whether a DOM event started on a marker button (which handles its own click).
fn on_marker(ev: &web_sys::Event) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest(".tk-marker").ok().flatten())
        .is_some()
}

/// Coasting after a fling, one step per animation frame.
fn coast(viewport: RwSignal<Option<Viewport>>, motion: StoredValue<Motion>, last: f64) {
    request_animation_frame(move || {
        let now = performance_now();
        let (next, dx, dy) = motion.get_value().step(now - last);
        motion.set_value(next);
        viewport.update(|v| {
            if let Some(v) = v.as_mut() {
                *v = apply(*v, Command::Pan { dx, dy });
            }
        });
        if next.is_moving() {
            coast(viewport, motion, now);
        }
    });
}

/// Layers placed in the marker frame ([`MapLayout::frame`], with
/// [`MapLayout::marker_style`]): pins, clusters, dialogue and action markers, hotspots, this
/// device's pins. They are moved together with the basemap by one CSS transform on one element,
/// so a pan frame changes one style, not one per layer, and they are one compositor layer:
/// nothing in them may be a compositor layer of its own (see `.tk-layers` in style.css;
/// docs/PERFORMANCE.md). Layers that place their content for the view itself (the crosshair,
/// the planners' drawings) are the map's ordinary children.
#[slot]
pub struct MapLayers {
    children: Children,
}

#[component]
pub fn MapView(
    /// The bundled basemap, once loaded.
    #[prop(into)]
    basemap: Signal<Option<Arc<Basemap>>>,
    /// The view; `None` until the container has been measured. Owned by the caller so other
    /// parts of the widget can move the map.
    viewport: RwSignal<Option<Viewport>>,
    /// A tap or click on the map (not on a marker), as a map position.
    #[prop(optional)]
    on_tap: Option<Callback<LonLat>>,
    /// Enter pressed while the map has focus.
    #[prop(optional)]
    on_enter: Option<Callback<()>>,
    /// Where to open instead of Arboga tätort (the host page's `data-view`).
    #[prop(optional_no_strip)]
    start: Option<StartView>,
    /// Street tiles from our server, when configured.
    #[prop(optional, into)]
    tiles: Option<Signal<Option<TileConfig>>>,
    /// Layers in the marker frame, moved with the basemap (see [`MapLayers`]).
    #[prop(optional)]
    layers: Option<MapLayers>,
    /// Overlays drawn above the layers (crosshair, drawings); they read `viewport` themselves.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let strings = use_strings();
    let surface = NodeRef::<html::Div>::new();
    let down_on_marker = StoredValue::new(false);
    let map = MapLayout::following(viewport);
    provide_context(map);
    let fullscreen = RwSignal::new(false);
    let hint = RwSignal::new(false);
    let position = RwSignal::new(None::<LonLat>);
    let gestures = StoredValue::new(GestureRecognizer::new(Options::default()));
    let motion = StoredValue::new(Motion::Idle);

    // Measure the container now and whenever it changes size (embedding pages resize it).
    Effect::new(move |_| {
        let Some(el) = surface.get() else { return };
        let measure = move |el: &web_sys::Element| {
            let rect = el.get_bounding_client_rect();
            let (w, h) = (rect.width(), rect.height());
            if w <= 0.0 || h <= 0.0 {
                return;
            }
            viewport.update(|v| {
                *v = Some(match *v {
                    None => opening_view(w, h, start),
                    Some(old) => resize(old, w, h),
                })
            });
        };
        measure(&el);
        let target: web_sys::Element = el.clone().into();
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
            measure(&target);
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&el);
        }
        // The map lives as long as the page.
        on_resize.forget();
    });

    let run = move |commands: Vec<Command>| {
        for command in commands {
            match command {
                Command::Fling { vx, vy } => {
                    if !prefers_reduced_motion() {
                        motion.set_value(Motion::fling(vx, vy));
                        if motion.get_value().is_moving() {
                            coast(viewport, motion, performance_now());
                        }
                    }
                }
                Command::TwoFingerHint => {
                    hint.set(true);
                    set_timeout(
                        move || hint.set(false),
                        std::time::Duration::from_millis(1800),
                    );
                }
                Command::Tap { pos } => {
                    if !down_on_marker.get_value() {
                        if let (Some(cb), Some(v)) = (on_tap, viewport.get_untracked()) {
                            cb.run(v.to_lonlat(pos));
                        }
                    }
                }
                other => viewport.update(|v| {
                    if let Some(v) = v.as_mut() {
                        *v = apply(*v, other);
                    }
                }),
            }
        }
    };

    // The surface's page position, read when a pointer goes down and kept for the moves of that
    // gesture: reading it on every move would make the browser recalculate styles in the event
    // handler for what the previous move changed, instead of once per frame.
    let surface_origin = StoredValue::new(None::<(f64, f64)>);
    let measure_origin = move || {
        let origin = surface.get_untracked().map_or((0.0, 0.0), |el| {
            let r = el.get_bounding_client_rect();
            (r.left(), r.top())
        });
        surface_origin.set_value(Some(origin));
        origin
    };
    let local = move |x: f64, y: f64| {
        let (left, top) = surface_origin.get_value().unwrap_or_else(measure_origin);
        Screen::new(x - left, y - top)
    };
    let feed = move |input: Input| {
        let commands = gestures
            .try_update_value(|g| {
                g.options.one_finger_pans = fullscreen.get_untracked();
                g.handle(input)
            })
            .unwrap_or_default();
        run(commands);
    };

    let on_down = move |ev: ev::PointerEvent| {
        if ev.button() > 0 {
            return; // only the primary button drags
        }
        motion.set_value(Motion::Idle);
        measure_origin();
        let marker = on_marker(&ev);
        down_on_marker.set_value(marker);
        // Capturing would send the click to the surface instead of the marker button.
        if !marker {
            if let Some(el) = surface.get_untracked() {
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
        }
        feed(Input::Down {
            id: ev.pointer_id(),
            pos: local(f64::from(ev.client_x()), f64::from(ev.client_y())),
            t: ev.time_stamp(),
            kind: pointer_kind(&ev),
        });
    };
    let on_move = move |ev: ev::PointerEvent| {
        feed(Input::Move {
            id: ev.pointer_id(),
            pos: local(f64::from(ev.client_x()), f64::from(ev.client_y())),
            t: ev.time_stamp(),
        });
    };
    let on_up = move |ev: ev::PointerEvent| {
        feed(Input::Up {
            id: ev.pointer_id(),
            pos: local(f64::from(ev.client_x()), f64::from(ev.client_y())),
            t: ev.time_stamp(),
        });
    };
    let on_cancel = move |ev: ev::PointerEvent| {
        feed(Input::Cancel {
            id: ev.pointer_id(),
        })
    };
    let on_wheel = move |ev: ev::WheelEvent| {
        ev.prevent_default();
        let height = viewport.get_untracked().map_or(600.0, |v| v.height);
        let delta_y = match ev.delta_mode() {
            1 => ev.delta_y() * 33.0,   // lines
            2 => ev.delta_y() * height, // pages
            _ => ev.delta_y(),
        };
        measure_origin();
        feed(Input::Wheel {
            delta_y,
            pos: local(f64::from(ev.client_x()), f64::from(ev.client_y())),
            ctrl: ev.ctrl_key(),
        });
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Escape" && fullscreen.get_untracked() {
            fullscreen.set(false);
            return;
        }
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || on_marker(&ev) {
            return;
        }
        if ev.key() == "Enter" {
            if let Some(cb) = on_enter {
                ev.prevent_default();
                cb.run(());
            }
            return;
        }
        if let Some(key) = Key::from_dom(&ev.key()) {
            ev.prevent_default();
            feed(Input::Key(key));
        }
    };
    // What follows the view on every frame, written in one effect: the transform that moves the
    // layers, and the view as the map's `data-zoom` and `data-center` (for the page and the
    // tests). One effect with three writes instead of three bindings: a pan or zoom frame's
    // script time was mostly the reactive system running an effect per binding
    // (docs/PERFORMANCE.md).
    let (map_el, layers_el) = (NodeRef::<html::Div>::new(), NodeRef::<html::Div>::new());
    let written = StoredValue::new(ViewAttributes::default());
    Effect::new(move |_| {
        let (Some(root), Some(layers), Some(v)) = (map_el.get(), layers_el.get(), viewport.get())
        else {
            return;
        };
        if let Some(transform) = map.layer_transform(v) {
            let _ = web_sys::HtmlElement::style(&layers).set_property("transform", &transform);
        }
        written.update_value(|w| w.write(v, &root));
    });
    // In the marker frame, with the other layers: a pan does not draw it again.
    let position_dot = move || {
        let world = project(position.get()?);
        Some(view! {
            <div class="tk-position" aria-hidden="true" style=move || map.marker_style(world)></div>
        })
    };
    let tile_config = move || tiles.and_then(|t| t.get());

    view! {
        <div
            class="tk-map"
            class:tk-map--fullscreen=move || fullscreen.get()
            class:tk-map--tiles=move || tile_config().is_some()
            node_ref=map_el
        >
            <div
                class="tk-surface"
                node_ref=surface
                tabindex="0"
                role="region"
                aria-roledescription=move || strings().map_roledescription
                aria-label=move || strings().map_label
                aria-describedby="tk-map-help"
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_cancel
                on:wheel=on_wheel
                on:keydown=on_key
            >
                <div class="tk-grab"></div>
                {move || tile_config().map(|config| view! { <TileLayer viewport=viewport config=config /> })}
                <div class="tk-layers" node_ref=layers_el>
                    <BasemapLayer basemap=basemap />
                    {layers.map(|l| (l.children)())}
                    {position_dot}
                </div>
                {children.map(|c| c())}
                {move || {
                    basemap
                        .get()
                        .is_none()
                        .then(|| {
                            view! { <p class="tk-map-status">{strings().basemap_loading}</p> }
                        })
                }}
            </div>
            <p id="tk-map-help" class="tk-visually-hidden">
                {move || strings().map_keyboard_help}
            </p>
            <MapControls viewport=viewport fullscreen=fullscreen position=position basemap=basemap />
            <div class="tk-hint" class:tk-hint--shown=move || hint.get() aria-hidden="true">
                {move || strings().two_finger_hint}
            </div>
            <div class="tk-attribution">
                {move || {
                    let tiles = tile_config().map(|t| t.attribution).filter(|a| !a.is_empty());
                    let data = basemap.get().map(|b| b.attribution.clone());
                    [tiles, data].into_iter().flatten().collect::<Vec<_>>().join(" · ")
                }}
            </div>
        </div>
    }
}

/// The view as the map's `data-zoom` and `data-center` attributes, as last written. A value is
/// formatted only when its number changed (a pan keeps the zoom), and written only when its text
/// did.
#[derive(Default)]
struct ViewAttributes {
    view: Option<Viewport>,
    zoom: String,
    center: String,
}

impl ViewAttributes {
    fn write(&mut self, v: Viewport, el: &web_sys::Element) {
        let last = self.view.replace(v);
        if last.is_none_or(|l| l.zoom != v.zoom) {
            let zoom = fixed(v.zoom, 3).to_string();
            set_if_changed(el, "data-zoom", &mut self.zoom, zoom);
        }
        if last.is_none_or(|l| l.center != v.center) {
            let c = v.center_lonlat();
            let center = format!("{},{}", fixed(c.lon, 6), fixed(c.lat, 6));
            set_if_changed(el, "data-center", &mut self.center, center);
        }
    }
}

fn set_if_changed(el: &web_sys::Element, name: &str, written: &mut String, text: String) {
    if *written != text {
        let _ = el.set_attribute(name, &text);
        *written = text;
    }
}
