//! Trygghetskartan: the map widget residents, organisers and planners use.
//!
//! The pure modules (`geo`, `interaction`, `model`, `i18n`) are plain Rust and tested natively;
//! `components` and `app` are thin Leptos wiring; `api` talks to the server.

pub mod api;
pub mod app;
pub mod components;
pub mod geo;
pub mod i18n;
pub mod interaction;
pub mod model;
pub mod storage;

pub use app::{App, WidgetConfig};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::Lang;

/// Reads the widget's options from its host element.
pub fn config_from(host: &web_sys::Element) -> WidgetConfig {
    let lang = host
        .get_attribute("data-lang")
        .or_else(|| window().navigator().language())
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or_default();
    WidgetConfig {
        api_base: host.get_attribute("data-api").unwrap_or_default(),
        lang,
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
    let document = document();
    let hosts = document
        .query_selector_all("[data-trygghetskarta]")
        .expect("valid selector");
    if hosts.length() == 0 {
        let body = document.body().expect("a page has a body");
        let config = config_from(&body);
        leptos::mount::mount_to(body, move || root(config)).forget();
        return;
    }
    for i in 0..hosts.length() {
        let Some(host) = hosts
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let config = config_from(&host);
        leptos::mount::mount_to(host, move || root(config)).forget();
    }
}
