//! Trygghetskartan: the map widget residents, organisers and planners use.
//!
//! Imports run one way (`scripts/check-imports.py` proves it):
//!
//! - roots: this file mounts [`app::App`] (residents) or [`staff_app::StaffRoot`] (`/personal`,
//!   its own bundle);
//! - `components`: thin Leptos wiring of DOM events and signals;
//! - `context`: what every view finds in context (language, strings, API base, basemap);
//! - platform glue: `api` talks to the server, `dom` to the page, `device` to localStorage and
//!   the clocks;
//! - the pure core, plain Rust tested natively: `model`, `interaction` (gestures and the map
//!   policy), `geo`, `i18n`.

pub mod api;
pub mod app;
pub mod components;
pub mod context;
pub mod device;
pub mod dom;
pub mod geo;
pub mod i18n;
pub mod interaction;
pub mod model;
pub mod staff_app;

pub use app::App;
pub use model::options::WidgetConfig;

use leptos::prelude::*;

use crate::i18n::Lang;

// Talc instead of Rust's default dlmalloc: smaller code in the first screen's wasm
// (docs/PERFORMANCE.md). Single-threaded wasm only, which is what the widget is.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Reads the widget's options from its host element.
pub fn config_from(host: &web_sys::Element) -> WidgetConfig {
    // A language the resident chose in the widget wins over the page's and the browser's.
    let lang = device::get(device::LANG_KEY)
        .or_else(|| host.get_attribute("data-lang"))
        .or_else(|| window().navigator().language())
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or_default();
    WidgetConfig {
        api_base: host.get_attribute("data-api").unwrap_or_default(),
        lang,
        start: host
            .get_attribute("data-view")
            .and_then(|v| model::options::parse_view(&v)),
        sections: model::options::parse_sections(host.get_attribute("data-sections").as_deref()),
    }
}

/// Mounts the residents' widget into every `[data-trygghetskarta]` element, or the body when
/// there is none.
pub fn mount() {
    mount_root(|config| view! { <App config=config /> }.into_any());
}

/// Mounts the staff view (`/personal`), the same way.
pub fn mount_staff() {
    mount_root(|config| view! { <staff_app::StaffRoot config=config /> }.into_any());
}

fn mount_root(root: fn(WidgetConfig) -> AnyView) {
    console_error_panic_hook::set_once();
    let hosts = dom::hosts();
    if hosts.is_empty() {
        let body = document().body().expect("a page has a body");
        let config = config_from(&body);
        leptos::mount::mount_to(body, move || root(config)).forget();
    }
    for host in hosts {
        let config = config_from(&host);
        if host.has_attribute("data-own-page") {
            dom::set_page_lang(config.lang.tag());
        }
        let at = dom::mount_point(&host);
        leptos::mount::mount_to(at, move || root(config)).forget();
    }
    dom::report_height_to_parent();
}
