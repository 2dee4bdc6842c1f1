//! Browser tests (wasm-bindgen-test in headless Chromium): the map component with real DOM events.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta::api::ApiBase;
use trygghetskarta::components::map_view::MapView;
use trygghetskarta::components::report::{ReportState, SelectedPin};
use trygghetskarta::geo::basemap::Basemap;
use trygghetskarta::i18n::Lang;
use trygghetskarta_shared::{Category, PublicPin, TimeOfDay};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, KeyboardEventInit, PointerEventInit, WheelEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const BASEMAP: &str = include_str!("../public/basemap/arboga.geojson");

/// Lets Leptos effects, the ResizeObserver and a frame run.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

fn host() -> HtmlElement {
    // The widget's real stylesheet, once.
    if document().get_element_by_id("tk-test-css").is_none() {
        let style = document().create_element("style").unwrap();
        style.set_id("tk-test-css");
        style.set_text_content(Some(include_str!("../public/style.css")));
        document().head().unwrap().append_child(&style).unwrap();
    }
    let el: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    el.style().set_property("width", "400px").unwrap();
    el.style().set_property("height", "300px").unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

fn mount_map(el: &HtmlElement) -> HtmlElement {
    let basemap = Arc::new(Basemap::from_geojson(BASEMAP).unwrap());
    let handle = leptos::mount::mount_to(el.clone(), move || {
        provide_context(RwSignal::new(Lang::Sv));
        let b = basemap.clone();
        let viewport = RwSignal::new(None);
        view! { <MapView basemap=Signal::derive(move || Some(b.clone())) viewport=viewport /> }
    });
    handle.forget();
    el.clone()
}

struct MapProbe(HtmlElement);

impl MapProbe {
    fn map(&self) -> web_sys::Element {
        self.0.query_selector(".tk-map").unwrap().unwrap()
    }
    fn surface(&self) -> web_sys::Element {
        self.0.query_selector(".tk-surface").unwrap().unwrap()
    }
    fn zoom(&self) -> f64 {
        self.map()
            .get_attribute("data-zoom")
            .unwrap()
            .parse()
            .unwrap()
    }
    fn center(&self) -> (f64, f64) {
        let c = self.map().get_attribute("data-center").unwrap();
        let (lon, lat) = c.split_once(',').unwrap();
        (lon.parse().unwrap(), lat.parse().unwrap())
    }
    fn origin(&self) -> (f64, f64) {
        let r = self.surface().get_bounding_client_rect();
        (r.left(), r.top())
    }
    fn pointer(&self, kind: &str, id: i32, ptype: &str, x: f64, y: f64) {
        let (ox, oy) = self.origin();
        let init = PointerEventInit::new();
        init.set_bubbles(true);
        init.set_pointer_id(id);
        init.set_pointer_type(ptype);
        init.set_is_primary(id == 1);
        init.set_client_x((ox + x) as i32);
        init.set_client_y((oy + y) as i32);
        let ev = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
        self.surface().dispatch_event(&ev).unwrap();
    }
    fn key(&self, key: &str) {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let ev =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        self.surface().dispatch_event(&ev).unwrap();
    }
    fn wheel(&self, delta_y: f64, x: f64, y: f64) {
        let (ox, oy) = self.origin();
        let init = WheelEventInit::new();
        init.set_delta_y(delta_y);
        init.set_bubbles(true);
        init.set_cancelable(true);
        init.set_client_x((ox + x) as i32);
        init.set_client_y((oy + y) as i32);
        let ev = web_sys::WheelEvent::new_with_event_init_dict("wheel", &init).unwrap();
        self.surface().dispatch_event(&ev).unwrap();
    }
}

async fn mounted() -> MapProbe {
    let probe = MapProbe(mount_map(&host()));
    settle().await;
    probe
}

#[wasm_bindgen_test]
async fn the_map_draws_the_arboga_basemap() {
    let m = mounted().await;
    let kommun = m.0.query_selector_all("path.tk-kommun").unwrap().length();
    assert_eq!(kommun, 1, "the kommun area");
    assert!(m.0.query_selector_all("path.tk-tatort").unwrap().length() >= 4);
    assert!(m.0.query_selector_all("path.tk-rail").unwrap().length() >= 1);
    let labels =
        m.0.query_selector(".tk-labels")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap();
    assert!(labels.contains("Arboga"), "{labels}");
    let transform =
        m.0.query_selector(".tk-basemap-shapes")
            .unwrap()
            .unwrap()
            .get_attribute("transform")
            .unwrap();
    assert!(transform.starts_with("translate("), "{transform}");
    // The initial view is Arboga tätort.
    let (lon, lat) = m.center();
    assert!((15.80..15.91).contains(&lon) && (59.37..59.42).contains(&lat));
    let attribution =
        m.0.query_selector(".tk-attribution")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap();
    assert!(attribution.contains("Lantmäteriet"));
}

#[wasm_bindgen_test]
async fn arrow_keys_pan_and_plus_minus_zoom() {
    let m = mounted().await;
    let (lon0, lat0) = m.center();
    m.key("ArrowRight");
    settle().await;
    let (lon1, lat1) = m.center();
    assert!(lon1 > lon0, "east: {lon0} -> {lon1}");
    assert!((lat1 - lat0).abs() < 1e-6);
    m.key("ArrowUp");
    settle().await;
    assert!(m.center().1 > lat1, "north");
    let z0 = m.zoom();
    m.key("+");
    settle().await;
    assert!((m.zoom() - (z0 + 1.0)).abs() < 1e-3);
    m.key("-");
    settle().await;
    assert!((m.zoom() - z0).abs() < 1e-3);
}

#[wasm_bindgen_test]
async fn a_mouse_drag_pans_the_map() {
    let m = mounted().await;
    let (lon0, lat0) = m.center();
    m.pointer("pointerdown", 1, "mouse", 200.0, 150.0);
    m.pointer("pointermove", 1, "mouse", 150.0, 150.0);
    m.pointer("pointermove", 1, "mouse", 100.0, 110.0);
    settle().await;
    m.pointer("pointerup", 1, "mouse", 100.0, 110.0);
    settle().await;
    let (lon1, lat1) = m.center();
    assert!(lon1 > lon0, "dragging left shows the east");
    assert!(lat1 < lat0, "dragging up brings the south into view");
}

#[wasm_bindgen_test]
async fn the_wheel_zooms_about_the_cursor() {
    let m = mounted().await;
    let z0 = m.zoom();
    m.wheel(-300.0, 200.0, 150.0);
    settle().await;
    assert!((m.zoom() - (z0 + 1.0)).abs() < 1e-3, "{z0} -> {}", m.zoom());
    m.wheel(300.0, 200.0, 150.0);
    settle().await;
    assert!((m.zoom() - z0).abs() < 1e-3);
}

#[wasm_bindgen_test]
async fn a_two_finger_pinch_zooms_in() {
    let m = mounted().await;
    let z0 = m.zoom();
    m.pointer("pointerdown", 1, "touch", 150.0, 150.0);
    m.pointer("pointerdown", 2, "touch", 250.0, 150.0);
    m.pointer("pointermove", 1, "touch", 100.0, 150.0);
    m.pointer("pointermove", 2, "touch", 300.0, 150.0);
    m.pointer("pointerup", 1, "touch", 100.0, 150.0);
    m.pointer("pointerup", 2, "touch", 300.0, 150.0);
    settle().await;
    assert!(
        (m.zoom() - (z0 + 1.0)).abs() < 0.02,
        "distance doubled: {z0} -> {}",
        m.zoom()
    );
}

#[wasm_bindgen_test]
async fn the_zoom_buttons_work() {
    let m = mounted().await;
    let z0 = m.zoom();
    let button: HtmlElement =
        m.0.query_selector(".tk-zoom-in")
            .unwrap()
            .unwrap()
            .unchecked_into();
    assert_eq!(
        button.get_attribute("aria-label").as_deref(),
        Some("Zooma in")
    );
    button.click();
    settle().await;
    assert!((m.zoom() - (z0 + 1.0)).abs() < 1e-3);
}

#[wasm_bindgen_test]
async fn comments_with_html_are_shown_as_plain_text() {
    let el = host();
    let comment = "<script>window.__tk_xss = 1</script><b>fet</b> & <img src=x onerror=alert(1)>";
    let pin = PublicPin {
        id: uuid::Uuid::new_v4(),
        category: Category::Drugs,
        time_of_day: TimeOfDay::Night,
        created_date: "2026-11-26".into(),
        agree_count: 3,
        lat: 59.3968,
        lon: 15.841,
        comment: Some(comment.into()),
        status: trygghetskarta_shared::PinStatus::Received,
        status_changed_at: None,
        response: None,
        action_id: None,
    };
    leptos::mount::mount_to(el.clone(), move || {
        let lang = RwSignal::new(Lang::Sv);
        provide_context(lang);
        provide_context(ApiBase::default());
        let state = ReportState::load(lang);
        state.selected.set(Some(pin.clone()));
        provide_context(state);
        view! { <SelectedPin /> }
    })
    .forget();
    settle().await;
    let shown = el.query_selector(".tk-comment").unwrap().unwrap();
    assert_eq!(shown.text_content().unwrap(), comment);
    assert_eq!(
        shown.children().length(),
        0,
        "no elements were created from the comment"
    );
    assert!(el.query_selector("script, b, img").unwrap().is_none());
    assert!(js_sys::Reflect::get(&window(), &"__tk_xss".into())
        .unwrap()
        .is_undefined());
    assert!(el.text_content().unwrap().contains("Narkotika"));
    assert!(el.text_content().unwrap().contains("3 känner likadant"));
}
