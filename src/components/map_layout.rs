//! What the map's layers find in context: the view their content was last laid out for, and the
//! frame markers are placed in.

use leptos::prelude::*;

use crate::device::performance_now;
use crate::geo::fixed;
use crate::geo::viewport::Viewport;
use crate::geo::World;
use crate::interaction::controller::{PauseEnd, ZoomPause};

/// In context for the map's layers. `layout` is the view content was last laid out for: while
/// panning at one zoom, layers are moved with a CSS translate of `viewport.offset_from(layout)`
/// instead of being redrawn (see [`Viewport::needs_relayout`]). `frame` is what markers are
/// placed in: it stays through pans and changes only with the zoom or the container's size (see
/// [`Viewport::marker_frame`]), so markers that stay on screen are never touched while panning.
#[derive(Clone, Copy)]
pub struct MapLayout {
    pub layout: RwSignal<Option<Viewport>>,
    pub frame: Memo<Option<Viewport>>,
}

impl MapLayout {
    /// A layout that follows `viewport`: at once after a long pan or a resize; after zooming,
    /// only once the zoom has paused (`controller::ZOOM_PAUSE_MS`; the layers are scaled with
    /// CSS meanwhile).
    pub fn following(viewport: RwSignal<Option<Viewport>>) -> Self {
        let layout = RwSignal::new(None::<Viewport>);
        let pause = StoredValue::new(ZoomPause::default());
        Effect::new(move |_| {
            let Some(v) = viewport.get() else { return };
            let Some(l) = layout.get_untracked() else {
                layout.set(Some(v));
                return;
            };
            if !v.needs_relayout(&l) {
                return;
            }
            let zoom_only =
                (l.zoom - v.zoom).abs() > 1e-9 && l.width == v.width && l.height == v.height;
            if zoom_only {
                if let Some(delay) = pause
                    .try_update_value(|p| p.step(performance_now()))
                    .flatten()
                {
                    settle_after(delay, pause, layout, viewport);
                }
            } else {
                pause.update_value(ZoomPause::cancel);
                layout.set(Some(v));
            }
        });
        let frame = Memo::new(move |previous: Option<&Option<Viewport>>| {
            layout
                .get()
                .map(|l| Viewport::marker_frame(previous.copied().flatten(), l))
        });
        MapLayout { layout, frame }
    }

    /// The transform that moves what is placed in `frame` (the map's layers, `MapView`'s
    /// `.tk-layers`) to where `viewport` shows it. `MapView` sets it as the one CSS property it
    /// is, not as a style attribute the browser would parse again on every frame.
    pub fn layer_transform(&self, viewport: Viewport) -> Option<String> {
        Some(viewport.css_transform_from(&self.frame.get()?))
    }

    /// The style that places a marker at `world` in the current frame: `left`/`top`, not a
    /// transform. A transform gives every marker a paint property node of its own, and the
    /// browser then lays out the compositor's layers again at a cost that grows with the markers
    /// on every pan frame (2.6 ms against 0.6 at 4x throttling; docs/PERFORMANCE.md). A marker
    /// is only moved when the frame changes (after a zoom), when it is redrawn anyway.
    pub fn marker_style(&self, world: World) -> Option<String> {
        let p = self.frame.get()?.to_screen(world);
        Some(format!(
            "left: {}px; top: {}px",
            fixed(p.x, 1),
            fixed(p.y, 1)
        ))
    }
}

/// Lays the layers out for the view once the zoom has paused ([`ZoomPause`]), in `delay` ms or
/// later.
fn settle_after(
    delay: f64,
    pause: StoredValue<ZoomPause>,
    layout: RwSignal<Option<Viewport>>,
    viewport: RwSignal<Option<Viewport>>,
) {
    set_timeout(
        move || match pause.try_update_value(|p| p.fired(performance_now())) {
            Some(PauseEnd::Wait(left)) => settle_after(left, pause, layout, viewport),
            Some(PauseEnd::Layout) => layout.set(viewport.get_untracked()),
            Some(PauseEnd::Idle) | None => {}
        },
        std::time::Duration::from_micros((delay * 1000.0) as u64),
    );
}
