//! The residents' root: the widget's context, the map with its layers, the report flow, my
//! reports and the dialogue list. What is not on the first screen is a part of its own, fetched
//! when first opened (`components::part`).

use std::time::Duration;

use leptos::prelude::*;

use crate::api;
use crate::components::action_layer::{ActionLayer, UpdatesSection};
use crate::components::dialogue_list::{dialogues_part, DialogueMarkers, DIALOGUES_HEADING};
use crate::components::header::Header;
use crate::components::lists::{
    actions_request, closed_request, dialogues_request, linked_request, list, FirstScreen,
};
use crate::components::map_view::{MapLayers, MapView};
use crate::components::part::{PartSection, Section};
use crate::components::pin_layer::{PinLayer, PinSource};
use crate::components::report::{
    map_handlers, my_pins_part, MyPinsLayer, NewAnswers, ReportFlow, ReportOverlay, ReportState,
    SelectedPin, MINE_HEADING,
};
use crate::components::updates::updates_part;
use crate::context::{provide_widget, use_strings};
use crate::geo::viewport::Viewport;
use crate::model::options::WidgetConfig;

/// The residents' widget: the map, reporting, my pins and the dialogue sessions.
#[component]
pub fn App(config: WidgetConfig) -> impl IntoView {
    let (start, sections) = (config.start, config.sections);
    let (lang, base, basemap) = provide_widget(config);
    let strings = use_strings();
    let loaded = Signal::derive(move || basemap.get().and_then(|r| r.ok()));
    let failed = move || matches!(basemap.get(), Some(Err(_)));

    let report = ReportState::load(lang);
    provide_context(report);

    let viewport = RwSignal::new(None::<Viewport>);

    let config_base = base.clone();
    let server_config = LocalResource::new(move || {
        let base = config_base.clone();
        async move { api::config(&base).await }
    });
    let tiles = Signal::derive(move || {
        server_config
            .get()
            .and_then(|c| c.ok())
            .and_then(|c| c.tiles)
    });
    Effect::new(move |_| {
        let mail = server_config
            .get()
            .and_then(|c| c.ok())
            .is_some_and(|c| c.mail);
        report.mail_offered.set(mail);
    });

    // The lists come after the first screen, in a part of their own (components::lists).
    let first_screen = FirstScreen::new(Duration::from_secs(5));
    provide_context(first_screen);
    let actions = list(
        first_screen,
        base.clone(),
        move || report.pins_version.track(),
        actions_request,
    );
    provide_context(actions);
    let closed = list(first_screen, base.clone(), || (), closed_request);
    // This device's pins: their state and answer, now and after every change it makes.
    let answers_base = base.clone();
    Effect::new(move |_| {
        report.pins_version.track();
        report.follow_up(answers_base.clone());
    });
    // A link from a mail (`?pin=ID`): that pin asked for, chosen and shown once the map is there.
    let linked_id = crate::dom::query_param("pin").and_then(|p| p.parse::<uuid::Uuid>().ok());
    let linked_base = base.clone();
    let linked = LocalResource::new(move || {
        let base = linked_base.clone();
        async move { linked_request(base, linked_id?).await.ok()?.await }
    });
    let linked_done = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(Some(pin)) = linked.get() else {
            return;
        };
        if linked_done.get_value() || viewport.with(Option::is_none) {
            return;
        }
        linked_done.set_value(true);
        let at = crate::geo::mercator::project(crate::geo::LonLat::lat_lon(pin.lat, pin.lon));
        viewport.update(|v| {
            if let Some(v) = v.as_mut() {
                *v = crate::interaction::controller::focus(*v, at, v.zoom.max(16.0));
            }
        });
        report.selected.set(Some(pin));
    });

    let dialogues = list(first_screen, base.clone(), || (), dialogues_request);
    // A link from a calendar event (`?dialog=ID`): the section opened at the session.
    let dialogue_section = Section::new();
    if let Some(id) = crate::dom::query_param("dialog").filter(|_| sections.dialogues) {
        dialogue_section.show(format!("tk-dialog-{id}"));
    }
    // The dialogues are what the medborgarlöfte offers residents, and what was heard at them is
    // its återkoppling: the section opens by itself once there are upcoming or closed sessions
    // (its part is fetched when the lists arrive, after the map's own files).
    let dialogues_shown = StoredValue::new(false);
    Effect::new(move |_| {
        let upcoming = dialogues.with(|d| {
            d.as_ref()
                .is_some_and(|r| r.as_ref().is_ok_and(|v| !v.is_empty()))
        });
        let heard = closed.with(|d| {
            d.as_ref()
                .is_some_and(|r| r.as_ref().is_ok_and(|v| !v.is_empty()))
        });
        if (upcoming || heard) && !dialogues_shown.get_value() {
            dialogues_shown.set_value(true);
            dialogue_section.open.set(true);
        }
    });
    let updates_section = Section::new();
    provide_context(UpdatesSection(updates_section));

    report.start(base);

    let (on_tap, on_enter) = if sections.report {
        map_handlers(viewport, loaded)
    } else {
        (Callback::new(|_| {}), Callback::new(|_| {}))
    };
    let select = Callback::new(move |pin| report.selected.set(Some(pin)));
    let map_column = NodeRef::<leptos::html::Div>::new();

    view! {
        <div class="tk-root" lang=move || lang.get().tag()>
            <Header intro=true />
            {sections.mine.then(|| view! { <NewAnswers /> })}
            <div class="tk-body">
                <div class="tk-map-column" node_ref=map_column>
                    <MapView basemap=loaded viewport=viewport tiles=tiles on_tap=on_tap on_enter=on_enter start=start>
                        <MapLayers slot:layers>
                            {sections.updates.then(|| view! { <ActionLayer actions=actions updates=updates_section /> })}
                            <PinLayer
                                viewport=viewport
                                source=PinSource::Tiles(Signal::derive(move || report.pins_version.get()))
                                on_select=select
                            />
                            {sections.dialogues.then(|| view! { <DialogueMarkers dialogues=dialogues section=dialogue_section /> })}
                            {sections.report.then(|| view! { <MyPinsLayer /> })}
                        </MapLayers>
                        {sections.report.then(|| view! { <ReportOverlay viewport=viewport /> })}
                    </MapView>
                    <SelectedPin />
                    {move || {
                        failed()
                            .then(|| {
                                view! { <p class="tk-error" role="alert">{strings().basemap_failed}</p> }
                            })
                    }}
                </div>
                {sections.report.then(|| view! { <ReportFlow viewport=viewport basemap=loaded /> })}
            </div>
            <p class="tk-status" role="status" aria-live="polite">{move || report.status.get()}</p>
            {sections.mine.then(|| view! {
                <PartSection class="tk-mine" heading_id=MINE_HEADING title=|s| s.mine_heading
                    section=report.mine_section content=move || my_pins_part(viewport) />
            })}
            {sections.updates.then(|| view! {
                <PartSection class="tk-updates" heading_id="tk-updates-heading" title=|s| s.updates_heading
                    section=updates_section
                    content=move || updates_part(viewport, map_column, loaded, Signal::derive(move || report.pins_version.get()), updates_section) />
            })}
            {sections.dialogues.then(|| view! {
                <PartSection class="tk-dialogues" heading_id=DIALOGUES_HEADING title=|s| s.dialogues_heading
                    section=dialogue_section
                    content=move || dialogues_part(dialogues, closed, actions, viewport, dialogue_section) />
            })}
        </div>
    }
}
