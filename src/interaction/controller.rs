//! Map policy (after galileo's `MapController`): what a command does to the view, within the
//! limits of the Arboga area. Pure; the map component only hands commands in and shows the view
//! it gets back.

use crate::geo::arboga::{arboga_tatort_bounds, context_bounds, MAX_ZOOM};
use crate::geo::mercator::project;
use crate::geo::viewport::{Limits, Viewport};
use crate::geo::{Screen, World};
use crate::interaction::gesture::Command;
use crate::model::options::StartView;

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

/// The view once the container is first measured: the host page's start view (`data-view`),
/// or Arboga tätort.
pub fn opening_view(width: f64, height: f64, start: Option<StartView>) -> Viewport {
    match start {
        Some(s) => focus(initial_view(width, height), project(s.at), s.zoom),
        None => initial_view(width, height),
    }
}

/// The same view in a container of a new size, within the limits for that size.
pub fn resize(view: Viewport, width: f64, height: f64) -> Viewport {
    view.resized(width, height)
        .clamp(&limits_for(width, height))
}

/// Applies one command to a view, within the limits. Returns the new view.
pub fn apply(view: Viewport, command: Command) -> Viewport {
    let limits = limits_for(view.width, view.height);
    let centre = view.screen_centre();
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

/// How long a zoom must pause before the map's layers are laid out again for it, in ms (until
/// then they are scaled with CSS). A relayout costs a slow phone 80–120 ms, and another follows
/// at the next step; with 150 ms, wheel notches 200–250 ms apart on a 4x throttled CPU (the
/// handling of one notch takes 30 ms there) were each laid out in between, and the whole zoom ran
/// at 45–140 ms a frame (docs/PERFORMANCE.md). Leaflet's zoom animation takes 250 ms.
pub const ZOOM_PAUSE_MS: f64 = 300.0;

/// The wait for a zoom's pause ([`ZOOM_PAUSE_MS`]) with one timer for a whole series of zoom
/// steps: a step only notes its time, and a timer that fires before the pause is over is armed
/// again for the rest. Clearing and setting a browser timer on every wheel step took a tenth of
/// the step's script time (docs/PERFORMANCE.md).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ZoomPause {
    /// When the last zoom step came (ms), if the layers still wait for its pause.
    last: Option<f64>,
    /// Whether a timer is on its way.
    armed: bool,
}

/// What to do when the pause's timer fires.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PauseEnd {
    /// The zoom went on: arm the timer again for this many ms.
    Wait(f64),
    /// The zoom has paused: lay the layers out for it.
    Layout,
    /// Nothing waits any more (the layers were laid out meanwhile).
    Idle,
}

impl ZoomPause {
    /// A zoom step at `now` (ms). Returns the delay to arm a timer with, when none is on its way.
    pub fn step(&mut self, now: f64) -> Option<f64> {
        self.last = Some(now);
        if self.armed {
            None
        } else {
            self.armed = true;
            Some(ZOOM_PAUSE_MS)
        }
    }

    /// The timer fired at `now` (ms).
    pub fn fired(&mut self, now: f64) -> PauseEnd {
        self.armed = false;
        let Some(last) = self.last else {
            return PauseEnd::Idle;
        };
        // Within a millisecond is on time: timers fire late, not early, as a rule.
        let left = last + ZOOM_PAUSE_MS - now;
        if left > 1.0 {
            self.armed = true;
            PauseEnd::Wait(left)
        } else {
            self.last = None;
            PauseEnd::Layout
        }
    }

    /// The layers were laid out for another reason (a long pan, a resize): the wait ends, and a
    /// timer still on its way does nothing.
    pub fn cancel(&mut self) {
        self.last = None;
    }
}
