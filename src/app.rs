//! The residents' root: the widget's context, the map with its layers, the report flow, my
//! reports and the dialogue list.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api;
use crate::components::dialogue_list::{DialogueList, DialogueMarkers};
use crate::components::header::Header;
use crate::components::map_view::MapView;
use crate::components::pin_layer::{PinLayer, PinSet};
use crate::components::report::{
    map_handlers, MyPins, ReportFlow, ReportOverlay, ReportState, SelectedPin,
};
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

    let pins_base = base.clone();
    let pins = LocalResource::new(move || {
        report.pins_version.track();
        let base = pins_base.clone();
        async move { api::pins(&base).await }
    });
    // Keep showing the last pins while a refresh loads.
    let pin_set = RwSignal::new(Arc::new(PinSet::default()));
    Effect::new(move |_| {
        if let Some(Ok(list)) = pins.get() {
            pin_set.set(Arc::new(PinSet::new(list)));
        }
    });

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

    let dialogues_base = base.clone();
    let dialogues = LocalResource::new(move || {
        let base = dialogues_base.clone();
        async move { api::dialogues(&base).await }
    });

    report.start_outbox(base);

    let viewport = RwSignal::new(None::<Viewport>);
    let (on_tap, on_enter) = if sections.report {
        map_handlers(viewport, loaded)
    } else {
        (Callback::new(|_| {}), Callback::new(|_| {}))
    };
    let select = Callback::new(move |pin| report.selected.set(Some(pin)));

    view! {
        <div class="tk-root" lang=move || lang.get().tag()>
            <Header intro=true />
            <div class="tk-body">
                <div class="tk-map-column">
                    <MapView basemap=loaded viewport=viewport tiles=tiles on_tap=on_tap on_enter=on_enter start=start>
                        <PinLayer viewport=viewport pins=pin_set on_select=select />
                        {sections.dialogues.then(|| view! { <DialogueMarkers dialogues=dialogues viewport=viewport /> })}
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
                {sections.report.then(|| view! { <ReportFlow viewport=viewport basemap=loaded pins=pin_set /> })}
            </div>
            <p class="tk-status" role="status" aria-live="polite">{move || report.status.get()}</p>
            {sections.mine.then(|| view! { <MyPins viewport=viewport /> })}
            {sections.dialogues.then(|| view! { <DialogueList dialogues=dialogues viewport=viewport /> })}
        </div>
    }
}
