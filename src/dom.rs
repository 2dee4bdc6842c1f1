//! The page and the browser: finding the widget's own elements and mounting it (in a page or
//! in a shadow root), the frame height report, the reduced-motion preference and the device's
//! position.
//!
//! Embedded with `embed.js`, the widget lives in a shadow root of its host element, where
//! `document.getElementById` cannot see it; these helpers look in the page and then in every
//! widget shadow root.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::geo::LonLat;

/// Runs `f` among the animation callbacks of a frame after the current one. A bare
/// `request_animation_frame` asked for while a pointer move is handled runs in that same frame:
/// the move is dispatched inside the frame's own task, before its animation callbacks. So this
/// first waits for the next task.
pub fn in_a_later_frame(f: impl FnOnce() + 'static) {
    set_timeout(
        move || request_animation_frame(f),
        std::time::Duration::ZERO,
    );
}

/// The host elements (`[data-trygghetskarta]`) on the page.
pub fn hosts() -> Vec<web_sys::HtmlElement> {
    let Ok(list) = document().query_selector_all("[data-trygghetskarta]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// The element with this id, in the page or in a widget's shadow root.
pub fn by_id(id: &str) -> Option<web_sys::HtmlElement> {
    document()
        .get_element_by_id(id)
        .or_else(|| {
            hosts()
                .iter()
                .filter_map(|h| h.shadow_root())
                .find_map(|root| root.get_element_by_id(id))
        })
        .and_then(|e| e.dyn_into().ok())
}

/// The first element matching a selector, in the page or in a widget's shadow root.
pub fn query(selector: &str) -> Option<web_sys::HtmlElement> {
    document()
        .query_selector(selector)
        .ok()
        .flatten()
        .or_else(|| {
            hosts()
                .iter()
                .filter_map(|h| h.shadow_root())
                .find_map(|root| root.query_selector(selector).ok().flatten())
        })
        .and_then(|e| e.dyn_into().ok())
}

/// Focuses the element with this id, if it exists.
pub fn focus_id(id: &str) {
    if let Some(el) = by_id(id) {
        let _ = el.focus();
    }
}

/// Where to mount in `host`: the host itself, or (when the host asks for it with
/// `data-stylesheet`, as `embed.js` does) a container in an open shadow root that loads that
/// stylesheet, so the host page's CSS and ours never meet.
pub fn mount_point(host: &web_sys::HtmlElement) -> web_sys::HtmlElement {
    let Some(href) = host.get_attribute("data-stylesheet") else {
        return host.clone();
    };
    let root = match host.shadow_root() {
        Some(r) => r,
        None => {
            match host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)) {
                Ok(r) => r,
                Err(_) => return host.clone(),
            }
        }
    };
    let doc = document();
    let (Ok(link), Ok(container)) = (doc.create_element("link"), doc.create_element("div")) else {
        return host.clone();
    };
    let _ = link.set_attribute("rel", "stylesheet");
    let _ = link.set_attribute("href", &href);
    let _ = root.append_child(&link);
    let _ = root.append_child(&container);
    container.dyn_into().unwrap_or_else(|_| host.clone())
}

/// In an iframe (`/embed`), tells the parent page the widget's height whenever it changes,
/// as `{type: "trygghetskartan:height", height}`, so the host can size the frame without a
/// second scrollbar.
pub fn report_height_to_parent() {
    let win = window();
    let Ok(Some(parent)) = win.parent() else {
        return;
    };
    if parent == win {
        return; // not framed
    }
    let Some(root) = document().document_element() else {
        return;
    };
    let measured = root.clone();
    let post = move || {
        let height = measured.scroll_height();
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"trygghetskartan:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        // The height is not secret; any embedding page may read it.
        let _ = parent.post_message(&message, "*");
    };
    let on_resize = Closure::<dyn FnMut()>::new(post);
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        if let Some(body) = document().body() {
            observer.observe(&body);
        }
    }
    on_resize.forget();
}

/// On our own pages (the host element has `data-own-page`), the page's `lang` follows the
/// widget's; on a kommun page the host's `lang` is left alone (the widget root has its own).
pub fn set_page_lang(tag: &str) {
    let own = hosts().iter().any(|h| h.has_attribute("data-own-page"));
    if own {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", tag);
        }
    }
}

/// Whether the user asked for less motion (no coasting after a fling).
pub fn prefers_reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Why the device's position could not be had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PositionError {
    /// The user (or the browser's settings) said no.
    Denied,
    /// No geolocation, no fix in time, or an answer without coordinates.
    Failed,
}

/// Asks the browser once for the device's position (high accuracy, 15 s at most) and calls
/// `done` with it, or with why not.
pub fn current_position(done: impl Fn(Result<LonLat, PositionError>) + Clone + 'static) {
    let Some(geo) = window().navigator().geolocation().ok() else {
        done(Err(PositionError::Failed));
        return;
    };
    let on_found = done.clone();
    let found = Closure::once_into_js(move |pos: JsValue| {
        let coord = |name: &str| {
            js_sys::Reflect::get(&pos, &"coords".into())
                .and_then(|c| js_sys::Reflect::get(&c, &name.into()))
                .ok()
                .and_then(|v| v.as_f64())
        };
        on_found(match (coord("latitude"), coord("longitude")) {
            (Some(lat), Some(lon)) => Ok(LonLat::lat_lon(lat, lon)),
            _ => Err(PositionError::Failed),
        });
    });
    let failed = Closure::once_into_js(move |err: JsValue| {
        let code = js_sys::Reflect::get(&err, &"code".into())
            .ok()
            .and_then(|c| c.as_f64());
        done(Err(if code == Some(1.0) {
            PositionError::Denied
        } else {
            PositionError::Failed
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
}

/// A query parameter of the page's address (`?pin=…` from a mail, `?dialog=…` from a calendar).
pub fn query_param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// The page's address: its path and its query string (without `?`).
pub fn location() -> (String, String) {
    let loc = window().location();
    let path = loc.pathname().unwrap_or_default();
    let search = loc.search().unwrap_or_default();
    (path, search.trim_start_matches('?').to_owned())
}

/// `path?query` of the page's address, to compare with an address the view would write.
pub fn current_address() -> String {
    match location() {
        (path, q) if q.is_empty() => path,
        (path, q) => format!("{path}?{q}"),
    }
}

/// Moves to another address of the same page without loading it: a new history entry
/// (`push`, for a move the back button should undo) or the current one replaced.
pub fn set_address(url: &str, push: bool) {
    let Ok(history) = window().history() else {
        return;
    };
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(url))
    };
}

/// The document's title (the tab, the history list, what a screen reader says on arrival).
pub fn set_title(title: &str) {
    document().set_title(title);
}
