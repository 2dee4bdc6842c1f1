//! "Namngivna platser": the places staff name (a circle: a centre clicked on the map and a
//! radius; an area: corners clicked on the map). Planners and admins create, rename and delete;
//! organisers read. After a change the selection reloads, so hotspots and area counts take the
//! new name. The form's checks are `model::lagesbild::PlaceForm`.

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{NamedPlace, NamedPlaceInput};

use crate::api::{self, ApiBase};
use crate::components::map_view::MapView;
use crate::components::staff::Selection;
use crate::context::use_staff_strings;
use crate::geo::basemap::Basemap;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::{fill, StaffStrings};
use crate::model::lagesbild::{PlaceForm, PlaceProblem};

fn problem_text(p: PlaceProblem, s: &StaffStrings) -> &'static str {
    match p {
        PlaceProblem::Name => s.lb_err_place_name,
        PlaceProblem::Centre => s.lb_err_place_centre,
        PlaceProblem::Radius => s.lb_err_place_radius,
        PlaceProblem::Corners => s.lb_err_place_corners,
    }
}

fn describe(p: &NamedPlace, s: &StaffStrings) -> String {
    match (&p.radius_m, &p.polygon) {
        (Some(r), _) => format!("{} · {} m", s.lb_place_circle, r.round()),
        (_, Some(ring)) => format!(
            "{} · {}",
            s.lb_place_polygon,
            fill(s.lb_place_corners, ring.len().saturating_sub(1))
        ),
        _ => String::new(),
    }
}

#[component]
pub fn NamedPlaces(
    can_edit: bool,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let sel = expect_context::<Selection>();
    let version = RwSignal::new(0u32);
    let status = RwSignal::new(String::new());
    let places = {
        let base = base.clone();
        LocalResource::new(move || {
            version.track();
            let base = base.clone();
            async move { api::named_places(&base).await.unwrap_or_default() }
        })
    };
    let changed = move |msg: &'static str| {
        status.set(msg.to_owned());
        version.update(|v| *v += 1);
        sel.reload();
    };
    let item = {
        let base = base.clone();
        move |p: NamedPlace| {
            let s = strings();
            let name = RwSignal::new(p.name.clone());
            let input_id = format!("tk-place-{}", p.id);
            let (b1, b2) = (base.clone(), base.clone());
            let place = p.clone();
            let rename = move |_| {
                let body = NamedPlaceInput {
                    name: name.get_untracked(),
                    lat: place.lat,
                    lon: place.lon,
                    radius_m: place.radius_m,
                    polygon: place.polygon.clone(),
                };
                let (base, id) = (b1.clone(), place.id);
                leptos::task::spawn_local(async move {
                    match api::save_named_place(&base, Some(id), &body).await {
                        Ok(_) => changed(strings().lb_place_saved),
                        Err(_) => status.set(strings().lb_err_place_save.to_owned()),
                    }
                });
            };
            let id = p.id;
            let delete = move |_| {
                let base = b2.clone();
                leptos::task::spawn_local(async move {
                    if api::delete_named_place(&base, id).await.is_ok() {
                        changed(strings().lb_place_deleted);
                    }
                });
            };
            view! {
                <li class="tk-place">
                    <strong>{p.name.clone()}</strong>" · "{describe(&p, s)}
                    {can_edit.then(|| view! {
                        <div class="tk-actions">
                            <label for=input_id.clone() class="tk-visually-hidden">{format!("{} {}", s.lb_place_rename, p.name)}</label>
                            <input id=input_id type="text" maxlength="80" prop:value=move || name.get()
                                on:input=move |ev| name.set(event_target_value(&ev)) />
                            <button type="button" class="tk-button tk-button--small tk-place-rename" on:click=rename
                                aria-label=format!("{} {}", s.lb_place_rename, p.name)>{s.lb_place_rename}</button>
                            <button type="button" class="tk-button tk-button--small tk-place-delete" on:click=delete
                                aria-label=format!("{} {}", s.lb_place_delete, p.name)>{s.lb_place_delete}</button>
                        </div>
                    })}
                </li>
            }
        }
    };
    view! {
        <section class="tk-places" aria-labelledby="tk-places-heading">
            <h3 id="tk-places-heading">{move || strings().lb_places_heading}</h3>
            <p class="tk-status" role="status" aria-live="polite">{move || status.get()}</p>
            {move || places.get().map(|list| {
                if list.is_empty() {
                    view! { <p class="tk-muted">{strings().lb_places_none}</p> }.into_any()
                } else {
                    view! { <ul class="tk-place-list">{list.into_iter().map(item.clone()).collect_view()}</ul> }.into_any()
                }
            })}
            {can_edit.then(|| view! { <PlaceEditor basemap=basemap saved=Callback::new(move |()| changed(strings().lb_place_saved)) /> })}
        </section>
    }
}

/// The new place: a circle or an area drawn on a map.
#[component]
fn PlaceEditor(basemap: Signal<Option<Arc<Basemap>>>, saved: Callback<()>) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let form = RwSignal::new(PlaceForm {
        radius_m: "150".into(),
        ..PlaceForm::default()
    });
    let polygon = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let viewport = RwSignal::new(None::<Viewport>);
    let put = move |at: LonLat| {
        form.update(|f| {
            if polygon.get_untracked() {
                f.corners.push((at.lon, at.lat));
            } else {
                f.centre = Some((at.lon, at.lat));
            }
        })
    };
    let tap = Callback::new(put);
    let enter = Callback::new(move |()| {
        if let Some(v) = viewport.get_untracked() {
            put(v.center_lonlat());
        }
    });
    let drawing = move || {
        let v = viewport.get()?;
        let f = form.get();
        let at = |lon: f64, lat: f64| v.to_screen(project(LonLat::lat_lon(lat, lon)));
        let points = f
            .corners
            .iter()
            .map(|(lon, lat)| {
                let p = at(*lon, *lat);
                format!("{:.1},{:.1}", p.x, p.y)
            })
            .collect::<Vec<_>>()
            .join(" ");
        let circle = f.centre.filter(|_| f.corners.is_empty()).map(|(lon, lat)| {
            let c = at(lon, lat);
            // The radius in screen pixels: a point that far north.
            let r: f64 = f.radius_m.trim().parse().unwrap_or(0.0);
            let north = at(lon, lat + r / 111_320.0);
            view! { <circle class="tk-place-circle" cx=format!("{:.1}", c.x) cy=format!("{:.1}", c.y) r=format!("{:.1}", (c.y - north.y).abs()) /> }
        });
        Some(view! {
            <svg class="tk-action-draw" aria-hidden="true" focusable="false" width=v.width height=v.height>
                <polygon points=points />
                {circle}
            </svg>
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = match form.with(PlaceForm::input) {
            Ok(b) => b,
            Err(p) => {
                problem.set(Some(problem_text(p, strings())));
                return;
            }
        };
        problem.set(None);
        let base = base.clone();
        leptos::task::spawn_local(async move {
            match api::save_named_place(&base, None, &body).await {
                Ok(_) => {
                    form.set(PlaceForm {
                        radius_m: "150".into(),
                        ..PlaceForm::default()
                    });
                    saved.run(());
                }
                Err(e) => problem.set(Some(match e.field() {
                    Some("name") => strings().lb_err_place_name,
                    Some("radius_m") => strings().lb_err_place_radius,
                    _ => strings().lb_err_place_save,
                })),
            }
        });
    };
    let state = move || {
        let s = strings();
        form.with(|f| {
            if polygon.get() {
                fill(s.lb_place_corners, f.corners.len())
            } else if f.centre.is_some() {
                s.action_point_set.to_owned()
            } else {
                s.action_no_place.to_owned()
            }
        })
    };
    let mode = move |poly: bool, id: &'static str, label: fn(&StaffStrings) -> &'static str| {
        view! {
            <label class="tk-radio" for=id>
                <input type="radio" id=id name="tk-place-mode" prop:checked=move || polygon.get() == poly
                    on:change=move |_| { polygon.set(poly); form.update(|f| { f.corners.clear(); f.centre = None; }); } />
                " " {move || label(strings())}
            </label>
        }
    };
    view! {
        <form class="tk-place-form" on:submit=submit novalidate>
            <div class="tk-field">
                <label for="tk-place-name">{move || strings().lb_place_name}</label>
                <input id="tk-place-name" type="text" maxlength="80" prop:value=move || form.with(|f| f.name.clone())
                    on:input=move |ev| form.update(|f| f.name = event_target_value(&ev)) />
            </div>
            <fieldset class="tk-fieldset">
                <legend>{move || strings().action_where}</legend>
                {mode(false, "tk-place-mode-circle", |s| s.lb_place_circle)}
                {mode(true, "tk-place-mode-polygon", |s| s.lb_place_polygon)}
                <p class="tk-muted">{move || if polygon.get() { strings().lb_place_hint_polygon } else { strings().lb_place_hint_circle }}</p>
                <p class="tk-place-state" aria-live="polite">{state}</p>
                {move || (!polygon.get()).then(|| view! {
                    <div class="tk-field tk-field--inline">
                        <label for="tk-place-radius">{move || strings().lb_place_radius}</label>
                        <input id="tk-place-radius" type="number" min="10" max="5000" inputmode="numeric"
                            prop:value=move || form.with(|f| f.radius_m.clone())
                            on:input=move |ev| form.update(|f| f.radius_m = event_target_value(&ev)) />
                    </div>
                })}
                <div class="tk-editor-map">
                    <MapView basemap=basemap viewport=viewport on_tap=tap on_enter=enter>
                        {drawing}
                    </MapView>
                </div>
                <button type="button" class="tk-button tk-button--small"
                    on:click=move |_| form.update(|f| { f.corners.clear(); f.centre = None; })>
                    {move || strings().action_clear_place}
                </button>
            </fieldset>
            <p class="tk-error" role="alert">{move || problem.get()}</p>
            <button type="submit" class="tk-button tk-button--primary tk-place-save">{move || strings().lb_place_save}</button>
        </form>
    }
}
