//! The map view as an immutable value (after galileo's `view.rs`): every operation returns a new
//! viewport, so gestures, inertia and tests all speak the same small language.

use super::mercator::{project, scale, unproject};
use super::{fixed, LonLat, Screen, World, WorldBounds};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// The world point at the centre of the map container.
    pub center: World,
    /// Fractional zoom level (0 = whole world in 256 px).
    pub zoom: f64,
    /// Container size in CSS pixels.
    pub width: f64,
    pub height: f64,
}

/// Where the view may go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// The centre stays inside this box.
    pub bounds: WorldBounds,
    pub min_zoom: f64,
    pub max_zoom: f64,
}

impl Viewport {
    pub fn new(center: LonLat, zoom: f64, width: f64, height: f64) -> Self {
        Viewport {
            center: project(center),
            zoom,
            width,
            height,
        }
    }

    /// The view that shows `bounds` whole, with `padding` CSS pixels around it.
    pub fn fit(bounds: WorldBounds, width: f64, height: f64, padding: f64) -> Self {
        let w = (width - 2.0 * padding).max(1.0);
        let h = (height - 2.0 * padding).max(1.0);
        let zoom = (w / bounds.width()).min(h / bounds.height()).log2();
        Viewport {
            center: bounds.center(),
            zoom,
            width,
            height,
        }
    }

    pub fn scale(&self) -> f64 {
        scale(self.zoom)
    }

    pub fn to_screen(&self, w: World) -> Screen {
        let s = self.scale();
        Screen {
            x: (w.x - self.center.x) * s + self.width / 2.0,
            y: (w.y - self.center.y) * s + self.height / 2.0,
        }
    }

    pub fn to_world(&self, p: Screen) -> World {
        let s = self.scale();
        World {
            x: self.center.x + (p.x - self.width / 2.0) / s,
            y: self.center.y + (p.y - self.height / 2.0) / s,
        }
    }

    pub fn to_lonlat(&self, p: Screen) -> LonLat {
        unproject(self.to_world(p))
    }

    pub fn center_lonlat(&self) -> LonLat {
        unproject(self.center)
    }

    /// The middle of the map on screen (where the crosshair is).
    pub fn screen_centre(&self) -> Screen {
        Screen {
            x: self.width / 2.0,
            y: self.height / 2.0,
        }
    }

    /// Moves the map content by (dx, dy) screen pixels, as a drag does.
    pub fn pan_by(self, dx: f64, dy: f64) -> Self {
        let s = self.scale();
        Viewport {
            center: World {
                x: self.center.x - dx / s,
                y: self.center.y - dy / s,
            },
            ..self
        }
    }

    /// Changes the zoom to `zoom`, keeping the world point under `anchor` where it is on screen.
    pub fn zoom_about(self, zoom: f64, anchor: Screen) -> Self {
        let fixed = self.to_world(anchor);
        let s = scale(zoom);
        Viewport {
            center: World {
                x: fixed.x - (anchor.x - self.width / 2.0) / s,
                y: fixed.y - (anchor.y - self.height / 2.0) / s,
            },
            zoom,
            ..self
        }
    }

    /// Multiplies the scale by `factor` about `anchor` (a pinch or a wheel step).
    pub fn scale_about(self, factor: f64, anchor: Screen) -> Self {
        self.zoom_about(self.zoom + factor.log2(), anchor)
    }

    /// The same view on a container of a new size; the centre stays the centre.
    pub fn resized(self, width: f64, height: f64) -> Self {
        Viewport {
            width,
            height,
            ..self
        }
    }

    /// The world box the container shows.
    pub fn visible_bounds(&self) -> WorldBounds {
        WorldBounds {
            min: self.to_world(Screen::new(0.0, 0.0)),
            max: self.to_world(Screen::new(self.width, self.height)),
        }
    }

    /// Whether content laid out for `layout` can no longer be shown by translating it: the zoom
    /// or size changed, or the view moved more than a third of the container away.
    pub fn needs_relayout(&self, layout: &Viewport) -> bool {
        if (layout.zoom - self.zoom).abs() > 1e-9
            || layout.width != self.width
            || layout.height != self.height
        {
            return true;
        }
        let c = self.to_screen(layout.center);
        (c.x - self.width / 2.0).abs() > self.width / 3.0
            || (c.y - self.height / 2.0).abs() > self.height / 3.0
    }

    /// The frame map markers are placed in for a new `layout`: the previous frame as long as only
    /// the centre moved, so laying out again after a pan only adds and removes markers and never
    /// touches the ones that stay (each touched marker costs the browser a style recalculation);
    /// `layout` itself once the zoom or the container size changed.
    pub fn marker_frame(previous: Option<Viewport>, layout: Viewport) -> Viewport {
        match previous {
            Some(p) if p.same_scale_and_size(&layout) => p,
            _ => layout,
        }
    }

    /// Whether `other` differs from this view by its centre at most: what was laid out for one is
    /// the other's, moved.
    pub fn same_scale_and_size(&self, other: &Viewport) -> bool {
        self.zoom == other.zoom && self.width == other.width && self.height == other.height
    }

    /// Whether content drawn for `drawn` over `span` containers each way (centred on it, as the
    /// basemap is) still covers this view with `slack` CSS px to spare on every side, so drawing
    /// it for this view can wait for a later frame.
    pub fn covered_by(&self, drawn: &Viewport, span: f64, slack: f64) -> bool {
        if !self.same_scale_and_size(drawn) {
            return false;
        }
        let (dx, dy) = self.offset_from(drawn);
        let reach = (span - 1.0) / 2.0;
        dx.abs() <= reach * self.width - slack && dy.abs() <= reach * self.height - slack
    }

    /// How far (CSS px) content laid out for `layout` must be moved to show this view.
    pub fn offset_from(&self, layout: &Viewport) -> (f64, f64) {
        let c = self.to_screen(layout.center);
        (c.x - self.width / 2.0, c.y - self.height / 2.0)
    }

    /// The CSS transform (`translate(dx, dy) scale(k)` about the container's centre) that shows
    /// content laid out for `layout` as this view would draw it. Used while a zoom gesture runs,
    /// so layers are redrawn once when it pauses instead of on every wheel step.
    pub fn css_transform_from(&self, layout: &Viewport) -> String {
        let (dx, dy) = self.offset_from(layout);
        let k = (self.zoom - layout.zoom).exp2();
        format!(
            "translate3d({}px, {}px, 0) scale({})",
            fixed(dx, 2),
            fixed(dy, 2),
            fixed(k, 5)
        )
    }

    /// Zoom clamped to the limits, centre kept inside the bounds. When zoom is clamped, the
    /// anchor point of the gesture is not honoured any more, which is what a user expects at a
    /// limit: the map stops.
    pub fn clamp(self, limits: &Limits) -> Self {
        let zoom = self.zoom.clamp(limits.min_zoom, limits.max_zoom);
        let b = limits.bounds;
        Viewport {
            center: World {
                x: self.center.x.clamp(b.min.x, b.max.x),
                y: self.center.y.clamp(b.min.y, b.max.y),
            },
            zoom,
            ..self
        }
    }
}
