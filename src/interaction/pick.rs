//! Choosing a pin on a map by tapping near it (the action editor's "Välj markeringar på
//! kartan"): the pin nearest the tap on screen, when it lies within a tolerance in CSS pixels.
//! Keyboard users pick the pin nearest the map's centre the same way.

use uuid::Uuid;

use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::{LonLat, Screen};

/// How far from a pin (CSS pixels) a tap or click still picks it: about a fingertip.
pub const PICK_TOLERANCE_PX: f64 = 24.0;

/// The pin nearest `at` on screen within `tolerance` CSS pixels (inclusive), or `None`. Ties go
/// to the pin listed first.
pub fn nearest_pin(
    view: &Viewport,
    at: Screen,
    pins: &[(Uuid, LonLat)],
    tolerance: f64,
) -> Option<Uuid> {
    let mut best: Option<(Uuid, f64)> = None;
    for (id, p) in pins {
        let s = view.to_screen(project(*p));
        let d = (s.x - at.x).hypot(s.y - at.y);
        if d <= tolerance && best.is_none_or(|(_, b)| d < b) {
            best = Some((*id, d));
        }
    }
    best.map(|(id, _)| id)
}

/// The pin nearest the centre of the view within `tolerance` (Enter on the focused map).
pub fn nearest_to_centre(view: &Viewport, pins: &[(Uuid, LonLat)], tolerance: f64) -> Option<Uuid> {
    nearest_pin(view, view.screen_centre(), pins, tolerance)
}
