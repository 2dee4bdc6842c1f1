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
