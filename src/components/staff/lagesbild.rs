//! Lägesbild (`/personal/lagesbild`; every role, organisers see aggregates only): for now the
//! selection, its size and its hotspots. The lägesbild over time (charts from
//! `GET /api/staff/stats`, "sedan förra mötet", two periods compared, the printable report) is
//! built here, under the same filters: the session's one [`Selection`].

use leptos::prelude::*;
use trygghetskarta_shared::Role;

use super::planner::{hotspot_resource, Filters, HotspotList};
use crate::context::use_strings;
use crate::i18n::fill;
use crate::model::staff_route::Section;

#[component]
pub fn LagesbildSection(role: Role) -> impl IntoView {
    let strings = use_strings();
    let sees_pins = Section::Markeringar.allowed(role);
    let can_plan = Section::Dialoger.allowed(role);
    let spots = hotspot_resource();
    let count = move || {
        spots
            .get()
            .flatten()
            .map(|h| fill(strings().result_count, h.pins))
    };
    view! {
        <div class="tk-lagesbild">
            <p class="tk-muted">{move || strings().lagesbild_intro}</p>
            <Filters show_hidden=sees_pins />
            <p class="tk-status" role="status" aria-live="polite">{count}</p>
            <HotspotList spots=spots can_plan=can_plan />
        </div>
    }
}
