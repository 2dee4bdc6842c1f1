//! The widget's root: configuration and language in context, the map with its layers, the
//! report flow, my reports and the dialogue list.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::{self, ApiBase};
use crate::components::dialogue_list::{DialogueList, DialogueMarkers};
use crate::components::map_view::MapView;
use crate::components::pin_layer::{PinLayer, PinSet};
use crate::components::report::{
    map_handlers, start_outbox, MyPins, ReportFlow, ReportOverlay, ReportState, SelectedPin,
};
use crate::geo::basemap::Basemap;
use crate::geo::viewport::Viewport;
use crate::i18n::{Lang, Strings};
use crate::model::options::{Sections, StartView};

/// Options read from the host element's data attributes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WidgetConfig {
    /// `data-api`: where the API and the basemap are served; "" is the page's own origin.
    pub api_base: String,
    pub lang: Lang,
    /// `data-view`: where the map opens.
    pub start: Option<StartView>,
    /// `data-sections`: what is shown besides the map.
    pub sections: Sections,
}

/// The current language, from context.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// A closure giving the current language's strings, for views.
pub fn use_strings() -> impl Fn() -> &'static Strings + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().strings()
}

/// "In English" / "På svenska": switches the widget's language (written in the language it
/// switches to, with its `lang`), and remembers the choice on this device.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let other = move || match lang.get() {
        Lang::Sv => Lang::En,
        Lang::En => Lang::Sv,
    };
    view! {
        <button type="button" class="tk-button tk-button--small tk-lang"
            lang=move || other().tag()
            on:click=move |_| {
                let next = other();
                lang.set(next);
                crate::device::set(crate::device::LANG_KEY, next.tag());
                crate::dom::set_page_lang(next.tag());
            }>
            {move || other().strings().switch_language}
        </button>
    }
}

/// The widget's title, the kommun, the language switch and (for residents) the introduction.
#[component]
pub fn Header(intro: bool) -> impl IntoView {
    let strings = use_strings();
    view! {
        <header class="tk-header">
            <LanguageSwitch />
            <h1 class="tk-title">{move || strings().app_title}</h1>
            <p class="tk-subtitle">{move || strings().kommun_name}</p>
            {intro.then(|| view! { <p class="tk-intro">{move || strings().intro}</p> })}
        </header>
    }
}

/// The bundled basemap, loading (`None`), loaded, or failed.
pub type BasemapResource = LocalResource<Result<Arc<Basemap>, api::ApiError>>;

/// Provides the language and API base every view needs, and starts loading the basemap.
pub fn provide_widget(config: WidgetConfig) -> (RwSignal<Lang>, ApiBase, BasemapResource) {
    let lang = RwSignal::new(config.lang);
    provide_context(lang);
    let base = ApiBase(config.api_base);
    provide_context(base.clone());
    let basemap_base = base.clone();
    let basemap = LocalResource::new(move || {
        let base = basemap_base.clone();
        async move { api::basemap(&base).await.map(Arc::new) }
    });
    (lang, base, basemap)
}

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

    start_outbox(report, base);

    let view = RwSignal::new(None::<Viewport>);
    let (on_tap, on_enter) = if sections.report {
        map_handlers(view)
    } else {
        (Callback::new(|_| {}), Callback::new(|_| {}))
    };
    let select = Callback::new(move |pin| report.selected.set(Some(pin)));

    view! {
        <div class="tk-root" lang=move || lang.get().tag()>
            <Header intro=true />
            <div class="tk-body">
                <div class="tk-map-column">
                    <MapView basemap=loaded view=view tiles=tiles on_tap=on_tap on_enter=on_enter start=start>
                        <PinLayer view=view pins=pin_set on_select=select />
                        {sections.dialogues.then(|| view! { <DialogueMarkers dialogues=dialogues view=view /> })}
                        {sections.report.then(|| view! { <ReportOverlay view=view /> })}
                    </MapView>
                    <SelectedPin />
                    {move || {
                        failed()
                            .then(|| {
                                view! { <p class="tk-error" role="alert">{strings().basemap_failed}</p> }
                            })
                    }}
                </div>
                {sections.report.then(|| view! { <ReportFlow view=view basemap=loaded pins=pin_set /> })}
            </div>
            <p class="tk-status" role="status" aria-live="polite">{move || report.status.get()}</p>
            {sections.mine.then(|| view! { <MyPins view=view /> })}
            {sections.dialogues.then(|| view! { <DialogueList dialogues=dialogues view=view /> })}
        </div>
    }
}
