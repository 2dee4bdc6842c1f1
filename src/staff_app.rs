//! The staff root (`/personal`, its own wasm bundle so residents never download it): the
//! widget's context and header over the staff view.

use leptos::prelude::*;

use crate::components::header::Header;
use crate::components::staff::StaffApp;
use crate::context::provide_widget;
use crate::model::options::WidgetConfig;

/// The staff page.
#[component]
pub fn StaffRoot(config: WidgetConfig) -> impl IntoView {
    let (lang, _, basemap) = provide_widget(config);
    let loaded = Signal::derive(move || basemap.get().and_then(|r| r.ok()));
    view! {
        <div class="tk-root" lang=move || lang.get().tag()>
            <Header intro=false />
            <StaffApp basemap=loaded />
        </div>
    }
}
