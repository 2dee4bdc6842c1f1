//! This device: its own memory (localStorage: the chosen language, pending reports, my pins,
//! the device id) and its clocks. Storage failures (private mode, storage full) degrade to "not
//! remembered", never to a crash. (Not to be confused with the server's `storage/`, its SQL.)

use leptos::prelude::window;
use uuid::Uuid;

/// Where the language a resident chose is kept.
pub const LANG_KEY: &str = "trygghetskarta.lang.v1";
pub const OUTBOX_KEY: &str = "trygghetskarta.outbox.v1";
pub const MINE_KEY: &str = "trygghetskarta.mine.v1";
pub const DEVICE_KEY: &str = "trygghetskarta.device.v1";
/// What this device last showed of its own pins' answers ("Nytt svar").
pub const SEEN_KEY: &str = "trygghetskarta.seen.v1";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Returns whether the value was stored.
pub fn set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// A random id for this device, made once (for "agree once per device").
pub fn device_id() -> Uuid {
    if let Some(id) = get(DEVICE_KEY).and_then(|s| s.parse().ok()) {
        return id;
    }
    let id = Uuid::new_v4();
    set(DEVICE_KEY, &id.to_string());
    id
}

/// Wall-clock time in milliseconds since the epoch (the outbox's backoff).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A monotonic clock in milliseconds (animation frames, the same clock as event time stamps).
pub fn performance_now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Today's local date, `YYYY-MM-DD`.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}
