//! Hotspots: the ranked list (with "Visa på kartan" and "Planera dialog här") and the shaded
//! areas on the planners' map.

use leptos::prelude::*;
use trygghetskarta_shared::Hotspot;

use crate::api::{self, ApiBase};
use crate::components::staff::PlanAt;
use crate::context::use_strings;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::fill;
use crate::model::staff::{hotspot_mix, hotspot_place};

/// Loads the hotspots for a filter query.
fn hotspot_resource(query: Memo<String>, version: RwSignal<u32>) -> LocalResource<Vec<Hotspot>> {
    let base = expect_context::<ApiBase>();
    LocalResource::new(move || {
        let (q, base) = (query.get(), base.clone());
        version.track();
        async move {
            api::hotspots(&base, &q)
                .await
                .map(|h| h.hotspots)
                .unwrap_or_default()
        }
    })
}

/// The ranked hotspot list. `show` moves a map (when there is one) to the hotspot.
#[component]
pub fn HotspotList(
    query: Memo<String>,
    version: RwSignal<u32>,
    #[prop(optional)] show: Option<Callback<LonLat>>,
    can_plan: bool,
) -> impl IntoView {
    let strings = use_strings();
    let spots = hotspot_resource(query, version);
    let plan = use_context::<PlanAt>();
    let item = move |h: Hotspot| {
        let s = strings();
        let at = LonLat::lat_lon(h.lat, h.lon);
        let place = hotspot_place(&h, s);
        let name = h
            .nearest_place
            .as_ref()
            .map_or_else(|| place.clone(), |p| p.name.clone());
        view! {
            <li class="tk-hotspot">
                <p>
                    <strong>{place}</strong>
                    {format!(" · {}", fill(s.hotspot_count, h.count))}
                </p>
                <p class="tk-muted">{hotspot_mix(&h, s)}</p>
                <div class="tk-actions">
                    {show.map(|show| view! {
                        <button type="button" class="tk-button tk-button--small" on:click=move |_| show.run(at)>{s.show_on_map}</button>
                    })}
                    {(can_plan && plan.is_some()).then(|| {
                        let name = name.clone();
                        view! {
                            <button type="button" class="tk-button tk-button--small tk-plan-dialogue"
                                on:click=move |_| {
                                    if let Some(PlanAt(p)) = plan {
                                        p.set(Some((at, name.clone())));
                                    }
                                }>{s.plan_dialogue}</button>
                        }
                    })}
                </div>
            </li>
        }
    };
    view! {
        <section class="tk-hotspots" aria-labelledby="tk-hotspots-heading">
            <h3 id="tk-hotspots-heading">{move || strings().hotspots}</h3>
            <p class="tk-muted">{move || strings().hotspots_intro}</p>
            {move || spots.get().map(|list| {
                if list.is_empty() {
                    view! { <p class="tk-muted">{strings().no_hotspots}</p> }.into_any()
                } else {
                    view! { <ol class="tk-hotspot-list">{list.into_iter().map(item).collect_view()}</ol> }.into_any()
                }
            })}
        </section>
    }
}

/// Hotspots shaded on the map with their rank. The ranked list is the accessible equivalent,
/// so the drawing is hidden from assistive technology.
#[component]
pub fn HotspotLayer(
    viewport: RwSignal<Option<Viewport>>,
    query: Memo<String>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let spots = hotspot_resource(query, version);
    move || {
        let v = viewport.get()?;
        let list = spots.get()?;
        let shapes = list
            .into_iter()
            .map(|h| {
                let at = |lon: f64, lat: f64| v.to_screen(project(LonLat::lat_lon(lat, lon)));
                let c = at(h.lon, h.lat);
                let points = h
                    .outline
                    .iter()
                    .map(|[lon, lat]| {
                        let p = at(*lon, *lat);
                        format!("{:.1},{:.1}", p.x, p.y)
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                // The outline's stroke pads the area around the outermost pins.
                view! {
                    <g class="tk-hotspot-shape">
                        <polygon points=points />
                        <circle cx=format!("{:.1}", c.x) cy=format!("{:.1}", c.y) r="11" />
                        <text x=format!("{:.1}", c.x) y=format!("{:.1}", c.y + 4.0) text-anchor="middle">{h.rank}</text>
                    </g>
                }
            })
            .collect_view();
        Some(view! {
            <svg class="tk-hotspot-layer" aria-hidden="true" focusable="false"
                width=v.width height=v.height>{shapes}</svg>
        })
    }
}
