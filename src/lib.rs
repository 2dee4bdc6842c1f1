//! Trygghetskartan: the map widget residents, organisers and planners use.
//!
//! The pure modules (`geo`, `interaction`, `model`, `i18n`) are plain Rust and tested natively;
//! `components` and `app` are thin Leptos wiring; `api` talks to the server.

pub mod api;
pub mod app;
pub mod components;
pub mod device;
pub mod dom;
pub mod geo;
pub mod i18n;
pub mod interaction;
pub mod model;

pub use app::{App, WidgetConfig};

use leptos::prelude::*;

use crate::i18n::Lang;

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
    mount_root(|config| view! { <components::staff::StaffRoot config=config /> }.into_any());
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
