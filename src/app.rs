//! The widget's root: configuration and language in context, the map, the dialogue list.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::{self, ApiBase};
use crate::components::dialogue_list::DialogueList;
use crate::components::map_view::MapView;
use crate::i18n::{Lang, Strings};

/// Options read from the host element's data attributes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WidgetConfig {
    /// `data-api`: where the API and the basemap are served; "" is the page's own origin.
    pub api_base: String,
    pub lang: Lang,
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

#[component]
pub fn App(config: WidgetConfig) -> impl IntoView {
    let lang = RwSignal::new(config.lang);
    provide_context(lang);
    let base = ApiBase(config.api_base);
    provide_context(base.clone());
    let strings = use_strings();

    let basemap = LocalResource::new(move || {
        let base = base.clone();
        async move { api::basemap(&base).await.map(Arc::new) }
    });
    let loaded = Signal::derive(move || basemap.get().and_then(|r| r.ok()));
    let failed = move || matches!(basemap.get(), Some(Err(_)));

    view! {
        <div class="tk-root" lang=move || lang.get().tag()>
            <header class="tk-header">
                <h1 class="tk-title">{move || strings().app_title}</h1>
                <p class="tk-subtitle">{move || strings().kommun_name}</p>
                <p class="tk-intro">{move || strings().intro}</p>
            </header>
            <MapView basemap=loaded />
            {move || {
                failed()
                    .then(|| view! { <p class="tk-error" role="alert">{strings().basemap_failed}</p> })
            }}
            <DialogueList />
        </div>
    }
}
