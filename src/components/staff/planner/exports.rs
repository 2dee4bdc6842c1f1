//! The export links (GeoJSON, CSV, XLSX) for the current filter.

use leptos::prelude::*;

use crate::api::{self, ApiBase};
use crate::context::use_staff_strings;
use crate::i18n::StaffStrings;

#[component]
pub fn Exports(query: Memo<String>) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let link = move |ext: &'static str, label: fn(&StaffStrings) -> &'static str| {
        let base = base.clone();
        view! {
            <a class="tk-button tk-button--small tk-export" download
                href=move || base.url(&api::with_query(&format!("/api/export/pins.{ext}"), &query.get()))>
                {move || label(strings())}
            </a>
        }
    };
    view! {
        <section class="tk-exports" aria-labelledby="tk-exports-heading">
            <h3 id="tk-exports-heading">{move || strings().exports}</h3>
            <p class="tk-muted">{move || strings().export_note}</p>
            <div class="tk-actions">
                {link("geojson", |s| s.export_geojson)}
                {link("csv", |s| s.export_csv)}
                {link("xlsx", |s| s.export_xlsx)}
            </div>
        </section>
    }
}
