//! What every view finds in context: the language (and its strings), the API base, and the
//! bundled basemap while it loads. A root calls [`provide_widget`] once; components read the rest
//! with [`use_lang`], [`use_strings`] and `expect_context::<ApiBase>()`.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::{self, ApiBase, ApiError};
use crate::geo::basemap::Basemap;
use crate::i18n::{Lang, StaffStrings, Strings};
use crate::model::options::WidgetConfig;

/// The current language, from context.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// A closure giving the current language's strings, for views.
pub fn use_strings() -> impl Fn() -> &'static Strings + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().strings()
}

/// [`use_strings`] for the staff view: its own table, with the common one inside.
pub fn use_staff_strings() -> impl Fn() -> &'static StaffStrings + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().staff_strings()
}

/// The bundled basemap, loading (`None`), loaded, or failed.
pub type BasemapResource = LocalResource<Result<Arc<Basemap>, ApiError>>;

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
