//! The map: an SVG basemap under a gesture surface, with zoom and full-screen controls.
//! All geometry and gesture logic lives in `geo` and `interaction`; this file only wires events.

use std::sync::Arc;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use trygghetskarta_shared::TileConfig;

use crate::components::tile_layer::TileLayer;
use crate::context::use_strings;
use crate::geo::basemap::{Basemap, Layer};
use crate::geo::viewport::{Limits, Viewport};
use crate::geo::{LonLat, Screen, World, WorldBounds};
use crate::interaction::gesture::{Command, GestureRecognizer, Input, Key, Options, PointerKind};
use crate::interaction::inertia::Motion;

/// The area the map may show: Arboga kommun with about 10 km to spare (the bundled data's
/// context window, geodata/SOURCES.md).
pub fn context_bounds() -> WorldBounds {
    WorldBounds::from_lonlat(15.40, 59.18, 16.20, 59.62)
}

/// Arboga tätort (SCB 6200), which fills the view on open.
pub fn arboga_tatort_bounds() -> WorldBounds {
    WorldBounds::from_lonlat(15.8054, 59.3753, 15.9048, 59.4105)
}

pub const MAX_ZOOM: f64 = 18.0;

/// The basemap SVG's size in containers, centred on the container: translating it by up to a
/// third of the container (the most before a relayout, see [`Viewport::needs_relayout`]) never
/// shows an edge, and neither does zooming out by one level before the relayout. Not larger:
/// every relayout repaints the whole SVG (three containers, as before 2026-11-27, meant 2.25 times
/// the raster work; docs/PERFORMANCE.md).
pub const BASEMAP_SPAN: f64 = 2.0;

fn basemap_view(layout: &Viewport) -> Viewport {
    layout.resized(BASEMAP_SPAN * layout.width, BASEMAP_SPAN * layout.height)
}

/// In context for the map's layers. `layout` is the view content was last laid out for: while
/// panning at one zoom, layers are moved with a CSS translate of `view.offset_from(layout)`
/// instead of being redrawn (see [`Viewport::needs_relayout`]). `frame` is what markers are
/// placed in: it stays through pans and changes only with the zoom or the container's size (see
/// [`Viewport::marker_frame`]), so markers that stay on screen are never touched while panning.
#[derive(Clone, Copy)]
pub struct MapLayout {
    pub layout: RwSignal<Option<Viewport>>,
    pub frame: Memo<Option<Viewport>>,
}

impl MapLayout {
    fn new(layout: RwSignal<Option<Viewport>>) -> Self {
        let frame = Memo::new(move |previous: Option<&Option<Viewport>>| {
            layout
                .get()
                .map(|l| Viewport::marker_frame(previous.copied().flatten(), l))
        });
        MapLayout { layout, frame }
    }

    /// The style that moves a marker layer placed in `frame` to where `view` shows it.
    pub fn layer_style(&self, view: RwSignal<Option<Viewport>>) -> Option<String> {
        let (f, v) = (self.frame.get()?, view.get()?);
        Some(format!("transform: {}", v.css_transform_from(&f)))
    }

    /// The style that places a marker at `world` in the current frame.
    pub fn marker_style(&self, world: World) -> Option<String> {
        let p = self.frame.get()?.to_screen(world);
        Some(format!("transform: translate({:.1}px, {:.1}px)", p.x, p.y))
    }
}

/// Limits for a container size: never zoomed out beyond the whole context window.
pub fn limits_for(width: f64, height: f64) -> Limits {
    let bounds = context_bounds();
    Limits {
        bounds,
        min_zoom: Viewport::fit(bounds, width, height, 0.0).zoom,
        max_zoom: MAX_ZOOM,
    }
}

/// The view on open: Arboga tätort filling the container.
pub fn initial_view(width: f64, height: f64) -> Viewport {
    Viewport::fit(arboga_tatort_bounds(), width, height, 8.0).clamp(&limits_for(width, height))
}

/// Applies one command to a view, within the limits. Returns the new view.
pub fn apply(view: Viewport, command: Command) -> Viewport {
    let limits = limits_for(view.width, view.height);
    let centre = Screen::new(view.width / 2.0, view.height / 2.0);
    let zoom_to = |v: Viewport, zoom: f64, anchor: Screen| {
        v.zoom_about(zoom.clamp(limits.min_zoom, limits.max_zoom), anchor)
    };
    let next = match command {
        Command::Pan { dx, dy } => view.pan_by(dx, dy),
        Command::Zoom { factor, anchor } => {
            zoom_to(view, view.zoom + factor.log2(), anchor.unwrap_or(centre))
        }
        Command::DoubleTap { pos } => zoom_to(view, view.zoom + 1.0, pos),
        Command::Tap { .. } | Command::Fling { .. } | Command::TwoFingerHint => view,
    };
    next.clamp(&limits)
}

/// Centres the view on `at` at zoom `zoom`, within the limits ("Visa på kartan", a cluster,
/// "Min position").
pub fn focus(view: Viewport, at: World, zoom: f64) -> Viewport {
    Viewport {
        center: at,
        zoom,
        ..view
    }
    .clamp(&limits_for(view.width, view.height))
}

fn performance_now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

fn prefers_reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

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

#[component]
pub fn MapView(
    /// The bundled basemap, once loaded.
    #[prop(into)]
    basemap: Signal<Option<Arc<Basemap>>>,
    /// The view; `None` until the container has been measured. Owned by the caller so other
    /// parts of the widget can move the map.
    view: RwSignal<Option<Viewport>>,
    /// A tap or click on the map (not on a marker), as a map position.
    #[prop(optional)]
    on_tap: Option<Callback<LonLat>>,
    /// Enter pressed while the map has focus.
    #[prop(optional)]
    on_enter: Option<Callback<()>>,
    /// Where to open instead of Arboga tätort (the host page's `data-view`).
    #[prop(optional_no_strip)]
    start: Option<crate::model::options::StartView>,
    /// Street tiles from our server, when configured.
    #[prop(optional, into)]
    tiles: Option<Signal<Option<TileConfig>>>,
    /// Overlays drawn above the basemap (pins, crosshair); they read `view` themselves.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let strings = use_strings();
    let surface = NodeRef::<html::Div>::new();
    let down_on_marker = StoredValue::new(false);
    let layout = RwSignal::new(None::<Viewport>);
    provide_context(MapLayout::new(layout));
    // Relayout at once after a long pan or a resize; after zooming, only once the zoom has
    // paused (the layers are scaled with CSS meanwhile).
    let zoom_timer = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    Effect::new(move |_| {
        let Some(v) = view.get() else { return };
        let Some(l) = layout.get_untracked() else {
            layout.set(Some(v));
            return;
        };
        if !v.needs_relayout(&l) {
            return;
        }
        if let Some(t) = zoom_timer.get_value() {
            t.clear();
        }
        let zoom_only =
            (l.zoom - v.zoom).abs() > 1e-9 && l.width == v.width && l.height == v.height;
        if zoom_only {
            let handle = set_timeout_with_handle(
                move || layout.set(view.get_untracked()),
                std::time::Duration::from_millis(150),
            )
            .ok();
            zoom_timer.set_value(handle);
        } else {
            layout.set(Some(v));
        }
    });
    let fullscreen = RwSignal::new(false);
    let hint = RwSignal::new(false);
    let gestures = StoredValue::new(GestureRecognizer::new(Options::default()));
    let motion = StoredValue::new(Motion::Idle);

    let update = move |f: &dyn Fn(Viewport) -> Viewport| {
        view.update(|v| {
            if let Some(v) = v.as_mut() {
                *v = f(*v);
            }
        })
    };

    // Measure the container now and whenever it changes size (embedding pages resize it).
    Effect::new(move |_| {
        let Some(el) = surface.get() else { return };
        let measure = move |el: &web_sys::Element| {
            let rect = el.get_bounding_client_rect();
            let (w, h) = (rect.width(), rect.height());
            if w <= 0.0 || h <= 0.0 {
                return;
            }
            view.update(|v| {
                *v = Some(match *v {
                    None => match start {
                        Some(s) => focus(
                            initial_view(w, h),
                            crate::geo::mercator::project(s.at),
                            s.zoom,
                        ),
                        None => initial_view(w, h),
                    },
                    Some(old) => old.resized(w, h).clamp(&limits_for(w, h)),
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

    // Coasting after a fling, one step per animation frame.
    fn coast(view: RwSignal<Option<Viewport>>, motion: StoredValue<Motion>, last: f64) {
        request_animation_frame(move || {
            let now = performance_now();
            let (next, dx, dy) = motion.get_value().step(now - last);
            motion.set_value(next);
            view.update(|v| {
                if let Some(v) = v.as_mut() {
                    *v = apply(*v, Command::Pan { dx, dy });
                }
            });
            if next.is_moving() {
                coast(view, motion, now);
            }
        });
    }

    let run = move |commands: Vec<Command>| {
        for command in commands {
            match command {
                Command::Fling { vx, vy } => {
                    if !prefers_reduced_motion() {
                        motion.set_value(Motion::fling(vx, vy));
                        if motion.get_value().is_moving() {
                            coast(view, motion, performance_now());
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
                        if let (Some(cb), Some(v)) = (on_tap, view.get_untracked()) {
                            cb.run(v.to_lonlat(pos));
                        }
                    }
                }
                other => update(&|v| apply(v, other)),
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
        let height = view.get_untracked().map_or(600.0, |v| v.height);
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
    // "Min position": centre on the device's location when it is in the kommun.
    let position = RwSignal::new(None::<LonLat>);
    let position_message = RwSignal::new(None::<&'static str>);
    let locate = move |_| {
        position_message.set(None);
        let Some(geo) = window().navigator().geolocation().ok() else {
            position_message.set(Some(strings().position_failed));
            return;
        };
        let found = Closure::once_into_js(move |pos: wasm_bindgen::JsValue| {
            let coord = |name: &str| {
                js_sys::Reflect::get(&pos, &"coords".into())
                    .and_then(|c| js_sys::Reflect::get(&c, &name.into()))
                    .ok()
                    .and_then(|v| v.as_f64())
            };
            let (Some(lat), Some(lon)) = (coord("latitude"), coord("longitude")) else {
                position_message.set(Some(strings().position_failed));
                return;
            };
            let at = LonLat::lat_lon(lat, lon);
            let inside = basemap
                .get_untracked()
                .is_some_and(|b| b.in_kommun(crate::geo::mercator::project(at)));
            if !inside {
                position.set(None);
                position_message.set(Some(strings().position_outside));
                return;
            }
            position.set(Some(at));
            update(&|v| focus(v, crate::geo::mercator::project(at), v.zoom.max(16.0)));
        });
        let failed = Closure::once_into_js(move |err: wasm_bindgen::JsValue| {
            let code = js_sys::Reflect::get(&err, &"code".into())
                .ok()
                .and_then(|c| c.as_f64());
            position_message.set(Some(if code == Some(1.0) {
                strings().position_denied
            } else {
                strings().position_failed
            }));
        });
        let options = web_sys::PositionOptions::new();
        options.set_enable_high_accuracy(true);
        options.set_timeout(15_000);
        let _ = geo.get_current_position_with_error_callback_and_options(
            found.unchecked_ref(),
            Some(failed.unchecked_ref()),
            &options,
        );
    };
    let position_dot = move || {
        let (at, v) = (position.get()?, view.get()?);
        let s = v.to_screen(crate::geo::mercator::project(at));
        Some(view! {
            <div
                class="tk-position"
                aria-hidden="true"
                style=format!("transform: translate({:.1}px, {:.1}px)", s.x, s.y)
            ></div>
        })
    };

    let zoom_button = move |factor: f64| {
        move |_| {
            run(vec![Command::Zoom {
                factor,
                anchor: None,
            }])
        }
    };

    let shapes = move || {
        basemap.get().map(|b| {
            let fills = b
                .shapes
                .iter()
                .map(|s| view! { <path class=s.layer.class() d=s.path.clone()></path> })
                .collect_view();
            // The kommun outline goes on top of lakes and tätorter.
            let outline = b
                .shapes
                .iter()
                .filter(|s| s.layer == Layer::Kommun)
                .map(|s| view! { <path class="tk-kommun-outline" d=s.path.clone()></path> })
                .collect_view();
            (fills, outline)
        })
    };
    // The SVG is BASEMAP_SPAN containers wide and high, centred on the container.
    let transform = move || match (basemap.get(), layout.get()) {
        (Some(b), Some(l)) => b.transform(&basemap_view(&l)),
        _ => String::new(),
    };
    let layer_offset = move || match (layout.get(), view.get()) {
        (Some(l), Some(v)) => format!(
            "transform: {}; left: {:.0}px; top: {:.0}px",
            v.css_transform_from(&l),
            -(BASEMAP_SPAN - 1.0) / 2.0 * l.width,
            -(BASEMAP_SPAN - 1.0) / 2.0 * l.height
        ),
        _ => String::new(),
    };
    let labels = move || {
        let (b, l) = (basemap.get()?, layout.get()?);
        let v = basemap_view(&l);
        Some(
            b.visible_places(&v)
                .map(|p| {
                    let s = v.to_screen(p.world);
                    let class = format!("tk-label tk-label-r{}", p.rank);
                    view! {
                        <text class=class x=format!("{:.1}", s.x) y=format!("{:.1}", s.y)>
                            {p.name.clone()}
                        </text>
                    }
                })
                .collect_view(),
        )
    };
    let size = move || {
        layout
            .get()
            .map(|l| basemap_view(&l))
            .map_or((0.0, 0.0), |v| (v.width, v.height))
    };
    let tile_config = move || tiles.and_then(|t| t.get());

    view! {
        <div
            class="tk-map"
            class:tk-map--fullscreen=move || fullscreen.get()
            class:tk-map--tiles=move || tile_config().is_some()
            data-zoom=move || view.get().map(|v| format!("{:.3}", v.zoom))
            data-center=move || {
                view.get()
                    .map(|v| {
                        let c = v.center_lonlat();
                        format!("{:.6},{:.6}", c.lon, c.lat)
                    })
            }
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
                {move || tile_config().map(|config| view! { <TileLayer view=view config=config /> })}
                <svg
                    class="tk-basemap"
                    aria-hidden="true"
                    style=layer_offset
                    width=move || size().0
                    height=move || size().1
                >
                    <g class="tk-basemap-shapes" transform=transform>
                        {move || shapes().map(|(fills, outline)| view! { {fills} {outline} })}
                    </g>
                    <g class="tk-labels">{labels}</g>
                </svg>
                {children.map(|c| c())}
                {position_dot}
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
