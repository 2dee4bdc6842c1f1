//! The bundled basemap as one SVG: shapes drawn once in a fixed reference frame and placed with a
//! single `transform`, labels placed per layout; the SVG sits in the marker frame and moves with
//! the map's other layers (`MapView`'s `MapLayers`).

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::map_layout::MapLayout;
use crate::dom::in_a_later_frame;
use crate::geo::basemap::{Basemap, Layer};
use crate::geo::fixed;
use crate::geo::viewport::Viewport;

/// The basemap SVG's size in containers, centred on the container: translating it by up to a
/// third of the container (the most before a relayout, see [`Viewport::needs_relayout`]) never
/// shows an edge, and neither does zooming out by one level before the relayout. Not larger:
/// every relayout repaints the whole SVG (three containers, as before 2026-11-27, meant 2.25 times
/// the raster work; docs/PERFORMANCE.md).
pub const BASEMAP_SPAN: f64 = 2.0;

fn basemap_view(layout: &Viewport) -> Viewport {
    layout.resized(BASEMAP_SPAN * layout.width, BASEMAP_SPAN * layout.height)
}

/// How far (a share of the container) the view may move after a relayout before the basemap,
/// drawn a frame later, is drawn for it.
const SLACK: f64 = 1.0 / 8.0;

#[component]
pub fn BasemapLayer(#[prop(into)] basemap: Signal<Option<Arc<Basemap>>>) -> impl IntoView {
    let map = expect_context::<MapLayout>();
    // The layout the basemap is drawn for. After a pan it is drawn in a later frame than the
    // relayout's, whose work is the pin layer's (docs/PERFORMANCE.md), as long as the SVG drawn
    // for the last layout still covers the view; after a zoom, a resize or a jump, at once.
    let layout = RwSignal::new(None::<Viewport>);
    Effect::new(move |_| {
        let Some(next) = map.layout.get() else { return };
        let slack = SLACK * next.width.min(next.height);
        match layout.get_untracked() {
            Some(drawn) if next.covered_by(&drawn, BASEMAP_SPAN, slack) => {
                in_a_later_frame(move || {
                    if map.layout.get_untracked() == Some(next) {
                        layout.set(Some(next));
                    }
                });
            }
            _ => layout.set(Some(next)),
        }
    });
    let shapes = move || {
        basemap.get().map(|b| {
            let fills = b
                .shapes
                .iter()
                .map(|s| view! { <path class=s.layer.class() d=s.path.clone()></path> })
                .collect_view();
            // The kommun outline goes on top of lakes and tätorter.
            let outline = b
                .shapes
                .iter()
                .filter(|s| s.layer == Layer::Kommun)
                .map(|s| view! { <path class="tk-kommun-outline" d=s.path.clone()></path> })
                .collect_view();
            (fills, outline)
        })
    };
    // The SVG is BASEMAP_SPAN containers wide and high, centred on the container.
    let transform = move || match (basemap.get(), layout.get()) {
        (Some(b), Some(l)) => b.transform(&basemap_view(&l)),
        _ => String::new(),
    };
    // Drawn for the layout and placed in the marker frame, where `MapView` moves it with the
    // markers: it moves within the frame only when it is drawn again.
    let layer_offset = move || match (layout.get(), map.frame.get()) {
        (Some(l), Some(f)) => {
            let (dx, dy) = f.offset_from(&l);
            format!(
                "left: {}px; top: {}px",
                fixed(dx - (BASEMAP_SPAN - 1.0) / 2.0 * l.width, 2),
                fixed(dy - (BASEMAP_SPAN - 1.0) / 2.0 * l.height, 2)
            )
        }
        _ => String::new(),
    };
    let labels = move || {
        let (b, l) = (basemap.get()?, layout.get()?);
        let v = basemap_view(&l);
        Some(
            b.visible_places(&v)
                .map(|p| {
                    let s = v.to_screen(p.world);
                    let class = format!("tk-label tk-label-r{}", p.rank);
                    view! {
                        <text class=class x=fixed(s.x, 1).to_string() y=fixed(s.y, 1).to_string()>
                            {p.name.clone()}
                        </text>
                    }
                })
                .collect_view(),
        )
    };
    let size = move || {
        layout
            .get()
            .map(|l| basemap_view(&l))
            .map_or((0.0, 0.0), |v| (v.width, v.height))
    };
    view! {
        <svg
            class="tk-basemap"
            aria-hidden="true"
            style=layer_offset
            width=move || fixed(size().0, 1).to_string()
            height=move || fixed(size().1, 1).to_string()
        >
            <g class="tk-basemap-shapes" transform=transform>
                {move || shapes().map(|(fills, outline)| view! { {fills} {outline} })}
            </g>
            <g class="tk-labels">{labels}</g>
        </svg>
    }
}
