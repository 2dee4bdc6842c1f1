//! "Vad händer?": the kommun's and the police's answers on pins, actions and what was heard at
//! dialogues, newest first, filterable by tätort and category, each with "Visa på kartan". Also
//! the text alternative to the map's pins for people who do not use the map. A part of its own,
//! loaded when the section is opened (`components::part`).

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{Category, Update as Entry, UpdateKind};

use crate::api::{self, ApiBase};
use crate::components::action_layer::update_id;
use crate::components::part::{part, PartFailed, Section};
use crate::context::use_strings;
use crate::geo::basemap::{Basemap, Layer};
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::interaction::controller::focus;
use crate::model::followup::UpdatesFilter;

part! {
    updates;
    /// "Vad händer?", fetched the first time the section opens.
    pub fn updates_part(
        viewport: RwSignal<Option<Viewport>>,
        map: NodeRef<leptos::html::Div>,
        basemap: Signal<Option<Arc<Basemap>>>,
        version: Signal<u32>,
        section: Section,
    ) -> Result<AnyView, PartFailed> {
        Ok(view! { <Updates viewport=viewport map=map basemap=basemap version=version section=section /> }.into_any())
    }
}

#[component]
fn Updates(
    viewport: RwSignal<Option<Viewport>>,
    /// This widget's map, scrolled into view by "Visa på kartan" (a page may embed two widgets).
    map: NodeRef<leptos::html::Div>,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
    /// Bumped when something the list shows may have changed.
    #[prop(into)]
    version: Signal<u32>,
    section: Section,
) -> impl IntoView {
    let strings = use_strings();
    let base = expect_context::<ApiBase>();
    let filter = RwSignal::new(UpdatesFilter::default());
    let list = LocalResource::new(move || {
        version.track();
        let (base, query) = (base.clone(), filter.with(UpdatesFilter::query));
        async move { api::updates(&base, &query).await }
    });
    // An action chosen on the map: focused once the list is drawn.
    section.focus_when(move || list.with(|l| l.is_some()));
    let areas = move || {
        let mut names: Vec<String> = basemap
            .get()
            .map(|b| {
                b.areas
                    .iter()
                    .filter(|a| a.layer == Layer::Tatort && a.in_kommun)
                    .map(|a| a.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names.dedup();
        names
    };
    let item = move |u: Entry| {
        let s = strings();
        let at = project(LonLat::lat_lon(u.lat, u.lon));
        let show = move |_| {
            viewport.update(|v| {
                if let Some(v) = v.as_mut() {
                    *v = focus(*v, at, v.zoom.max(16.0));
                }
            });
            if let Some(map) = map.get_untracked() {
                map.scroll_into_view();
            }
        };
        let state = match (u.kind, u.status, u.action_state) {
            (UpdateKind::Answer, Some(st), _) => Some(s.pin_status(st)),
            (UpdateKind::Action, _, Some(st)) => Some(s.action_state(st)),
            _ => None,
        };
        let heading = format!("{}-title", update_id(&u.id));
        let labelled_by = heading.clone();
        view! {
            <li class=format!("tk-update tk-update--{}", u.kind.code()) id=update_id(&u.id) tabindex="-1"
                aria-labelledby=labelled_by>
                <p class="tk-update-meta">
                    <span class="tk-badge tk-badge--kind">{s.update_kind(u.kind)}</span>
                    " " {u.date.clone()}
                    {u.area_name.clone().map(|a| format!(" · {a}"))}
                </p>
                <h3 class="tk-update-title" id=heading>{s.update_title(&u)}</h3>
                {state.filter(|_| u.kind == UpdateKind::Action).map(|st| view! {
                    <p class="tk-update-state">{s.status_label} " " <strong>{st}</strong></p>
                })}
                <p class="tk-update-text">{u.text.clone()}</p>
                {s.update_party(&u).map(|p| view! { <p class="tk-muted">{p}</p> })}
                <button type="button" class="tk-button tk-button--small" on:click=show>{s.show_on_map}</button>
            </li>
        }
    };
    view! {
            <p class="tk-muted">{move || strings().updates_intro}</p>
            <div class="tk-filter-row">
                <div class="tk-field tk-field--inline">
                    <label for="tk-updates-area">{move || strings().updates_area}</label>
                    <select id="tk-updates-area"
                        on:change=move |ev| filter.update(|f| f.area = event_target_value(&ev))>
                        <option value="">{move || strings().updates_all_areas}</option>
                        {move || areas().into_iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="tk-field tk-field--inline">
                    <label for="tk-updates-category">{move || strings().updates_category}</label>
                    <select id="tk-updates-category"
                        on:change=move |ev| filter.update(|f| f.category = Category::parse(&event_target_value(&ev)))>
                        <option value="">{move || strings().updates_all_categories}</option>
                        {Category::ALL.into_iter().map(|c| view! {
                            <option value=c.code()>{move || strings().category(c)}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {move || match list.get() {
                None => view! { <p class="tk-muted">{strings().loading}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="tk-error" role="status">{strings().updates_failed}</p> }.into_any(),
                Some(Ok(items)) if items.is_empty() => {
                    view! { <p class="tk-muted tk-updates-empty">{strings().updates_empty}</p> }.into_any()
                }
                Some(Ok(items)) => view! {
                    <ul class="tk-update-list">{items.into_iter().map(item).collect_view()}</ul>
                }
                .into_any(),
            }}
    }
}
