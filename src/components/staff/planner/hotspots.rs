//! Hotspots: the ranked list (with "Visa på kartan", "Planera dialog här", "Skapa åtgärd här"
//! and, in Markeringar, "Svara alla") and the shaded areas on the planners' map.

use leptos::prelude::*;
use trygghetskarta_shared::{Hotspot, Hotspots};

use super::answer::{AnswerForm, Notice, Target};
use crate::api::{self, ApiBase};
use crate::components::map_layout::MapLayout;
use crate::components::staff::{ActionAt, PlanAt, Selection};
use crate::context::use_staff_strings;
use crate::geo::mercator::project;
use crate::geo::LonLat;
use crate::i18n::fill;
use crate::model::action_form::ActionForm;
use crate::model::answer::StatusForm;
use crate::model::staff::{hotspot_mix, hotspot_place};

/// The hotspots of the selection (`None` when they could not be loaded), loaded once for the
/// list and the map layer, and again when the selection or its pins change.
pub fn hotspot_resource() -> LocalResource<Option<Hotspots>> {
    let base = expect_context::<ApiBase>();
    let sel = expect_context::<Selection>();
    LocalResource::new(move || {
        let (q, base) = (sel.query.get(), base.clone());
        sel.version.track();
        async move { api::hotspots(&base, &q).await.ok() }
    })
}

/// The ranked hotspot list. `show` moves a map (when there is one) to the hotspot.
#[component]
pub fn HotspotList(
    spots: LocalResource<Option<Hotspots>>,
    #[prop(optional)] show: Option<Callback<LonLat>>,
    can_plan: bool,
) -> impl IntoView {
    let strings = use_staff_strings();
    let plan = use_context::<PlanAt>();
    let act = use_context::<ActionAt>();
    // "Svara alla" where answers are told (Markeringar), for planners (who get the pins).
    let can_answer = use_context::<Notice>().is_some();
    // The hotspot whose pins are being answered (by rank).
    let answering = RwSignal::new(None::<u32>);
    let item = move |h: Hotspot| {
        let s = strings();
        let rank = h.rank;
        let pins = h.pins.clone();
        let for_action = h.clone();
        let at = LonLat::lat_lon(h.lat, h.lon);
        let place = hotspot_place(&h, s);
        let name = place.clone();
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
                    {act.map(|ActionAt(a)| {
                        let (h, name) = (for_action.clone(), name.clone());
                        view! {
                            <button type="button" class="tk-button tk-button--small tk-create-action"
                                on:click=move |_| a.set(Some(ActionForm::from_hotspot(&h, &name)))>
                                {s.create_action_here}
                            </button>
                        }
                    })}
                    {(can_answer && !pins.is_empty()).then(|| view! {
                        <button type="button" class="tk-button tk-button--small tk-answer-hotspot"
                            aria-expanded=move || (answering.get() == Some(rank)).to_string()
                            on:click=move |_| answering.set(Some(rank))>{s.answer_all}</button>
                    })}
                </div>
                {move || (answering.get() == Some(rank)).then(|| view! {
                    <AnswerForm target=Target::Many(pins.clone()) initial=StatusForm::default()
                        key=format!("tk-answer-hotspot-{rank}")
                        close=Callback::new(move |()| answering.set(None)) />
                })}
            </li>
        }
    };
    view! {
        <section class="tk-hotspots" aria-labelledby="tk-hotspots-heading">
            <h3 id="tk-hotspots-heading">{move || strings().hotspots}</h3>
            <p class="tk-muted">{move || strings().hotspots_intro}</p>
            {move || spots.get().map(|found| {
                let list = found.map(|f| f.hotspots).unwrap_or_default();
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
/// so the drawing is hidden from assistive technology. Drawn in the marker frame: it belongs in
/// `MapView`'s `MapLayers`, which move it, so it is redrawn only after a zoom.
#[component]
pub fn HotspotLayer(spots: LocalResource<Option<Hotspots>>) -> impl IntoView {
    let frame = expect_context::<MapLayout>().frame;
    move || {
        let v = frame.get()?;
        let list = spots.get()??.hotspots;
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
