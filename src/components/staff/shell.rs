//! The staff view's shell: the navigation between sections, the section's heading, and the
//! address kept in step with what is shown.
//!
//! - The address is read once at start (`provide_staff_state`) and again on the browser's back
//!   and forward (`popstate`); the rules are `model::staff_route`.
//! - A link in the navigation is a real `<a href>`; a plain click moves without loading the page
//!   (`history.pushState`), focuses the section's heading and names the section in the title.
//! - Changing the filters or the list's sort and page replaces the address
//!   (`history.replaceState`), so a copied link opens the same selection.
//!
//! A new section: see `model::staff_route` (the variant, its roles, its label) and add its view
//! to [`section_view`].

use std::sync::Arc;

use leptos::prelude::*;
use trygghetskarta_shared::{Role, SessionInfo};

use super::accounts::Accounts;
use super::actions::ActionsSection;
use super::dialogues::StaffDialogues;
use super::lagesbild::LagesbildSection;
use super::planner::PlannerView;
use super::{ActionAt, PlanAt, Selection};
use crate::context::use_staff_strings;
use crate::dom;
use crate::geo::basemap::Basemap;
use crate::model::staff::FilterForm;
use crate::model::staff_route::{
    address_of, is_plain_click, parse_address, resolve, sections_for, Route, Section, View,
};

/// The id of the section's heading, where focus goes after a move.
const HEADING_ID: &str = "tk-section-heading";

/// Where the staff view is: the route the address names. Provided by the staff root.
#[derive(Clone, Copy)]
pub struct StaffNav {
    pub route: RwSignal<Route>,
    sel: Selection,
}

impl StaffNav {
    /// Moves to a section: a new history entry (unless the address is the same), and focus on
    /// its heading when `focus` (not when something in the section takes focus itself).
    pub fn go(self, section: Section, focus: bool) {
        let url = address_of(
            section,
            &self.sel.form.get_untracked(),
            self.sel.list.get_untracked(),
        );
        dom::set_address(&url, url != dom::current_address());
        self.route.set(Route::Section(section));
        if focus {
            focus_heading();
        }
    }
}

fn focus_heading() {
    request_animation_frame(|| dom::focus_id(HEADING_ID));
}

/// Reads the address into the selection and the route, provides both (and [`StaffNav`]), and
/// follows the browser's back and forward buttons. Called once by the staff root, before
/// anyone logs in, so a link opens its selection after the login too.
pub fn provide_staff_state() -> StaffNav {
    let (path, query) = dom::location();
    let start = parse_address(&path, &query);
    let form = RwSignal::new(start.filters);
    let sel = Selection {
        form,
        query: Memo::new(move |_| form.with(FilterForm::query)),
        list: RwSignal::new(start.list),
        version: RwSignal::new(0),
    };
    let nav = StaffNav {
        route: RwSignal::new(start.route),
        sel,
    };
    provide_context(sel);
    provide_context(nav);
    let handle = window_event_listener_untyped("popstate", move |_| {
        let (path, query) = dom::location();
        let at = parse_address(&path, &query);
        // Sections without filters leave the selection as it is (one for the session).
        if let Route::Section(s) = at.route {
            if s.uses_filters() && sel.form.get_untracked() != at.filters {
                sel.form.set(at.filters);
            }
            if s.uses_list() && sel.list.get_untracked() != at.list {
                sel.list.set(at.list);
            }
        }
        nav.route.set(at.route);
        focus_heading();
    });
    on_cleanup(move || handle.remove());
    nav
}

/// What a section shows. The one place that maps a section to its view.
fn section_view(
    section: Section,
    info: &SessionInfo,
    basemap: Signal<Option<Arc<Basemap>>>,
) -> AnyView {
    let role = info.role;
    match section {
        Section::Lagesbild => view! { <LagesbildSection role=role basemap=basemap /> }.into_any(),
        Section::Markeringar => {
            let can_plan = Section::Dialoger.allowed(role);
            view! { <PlannerView basemap=basemap can_plan=can_plan /> }.into_any()
        }
        Section::Atgarder => view! { <ActionsSection role=role basemap=basemap /> }.into_any(),
        Section::Dialoger => view! { <StaffDialogues basemap=basemap /> }.into_any(),
        Section::Konton => view! { <Accounts me=info.username.clone() /> }.into_any(),
    }
}

/// The logged-in staff view: navigation, heading and the section.
#[component]
pub fn StaffShell(
    info: SessionInfo,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let nav = expect_context::<StaffNav>();
    let sel = nav.sel;
    let role: Role = info.role;
    let view = Memo::new(move |_| resolve(&nav.route.get(), role));

    // The address follows what is shown (`/personal` becomes the first section's address); a
    // section the role lacks, or a typo, keeps the address as it was typed.
    Effect::new(move |_| {
        let Some(section) = view.get().section() else {
            return;
        };
        let url = address_of(section, &sel.form.get(), sel.list.get());
        if url != dom::current_address() {
            dom::set_address(&url, false);
        }
    });
    Effect::new(move |_| {
        let s = strings();
        dom::set_title(&s.document_title(s.view_heading(view.get())));
    });
    // "Planera dialog här" (on a hotspot in another section) opens the editor in Dialoger.
    if let Some(PlanAt(plan)) = use_context::<PlanAt>() {
        Effect::new(move |_| {
            let wanted = plan.with(Option::is_some);
            if wanted
                && Section::Dialoger.allowed(role)
                && view.get_untracked() != View::Show(Section::Dialoger)
            {
                nav.go(Section::Dialoger, false);
            }
        });
    }
    // "Skapa åtgärd här" (on a hotspot) opens the action editor in Åtgärder.
    if let Some(ActionAt(at)) = use_context::<ActionAt>() {
        Effect::new(move |_| {
            let wanted = at.with(Option::is_some);
            if wanted
                && Section::Atgarder.allowed(role)
                && view.get_untracked() != View::Show(Section::Atgarder)
            {
                nav.go(Section::Atgarder, false);
            }
        });
    }

    let link = move |s: Section| {
        let href = move || address_of(s, &sel.form.get(), sel.list.get());
        view! {
            <li>
                <a href=href class="tk-staff-nav-link" data-section=s.slug()
                    aria-current=move || (view.get() == View::Show(s)).then_some("page")
                    on:click=move |ev: leptos::ev::MouseEvent| {
                        if is_plain_click(ev.button(), ev.ctrl_key(), ev.meta_key(), ev.shift_key(), ev.alt_key()) {
                            ev.prevent_default();
                            nav.go(s, true);
                        }
                    }>
                    {move || strings().section(s)}
                </a>
            </li>
        }
    };
    let info_for_view = info.clone();
    view! {
        <nav class="tk-staff-nav" aria-label=move || strings().staff_nav_label>
            <ul>{sections_for(role).into_iter().map(link).collect_view()}</ul>
        </nav>
        <div class="tk-staff-section" data-view=move || match view.get() {
            View::Show(s) => s.slug(),
            View::NotAllowed(_) => "not-allowed",
            View::NotFound => "not-found",
        }>
            <h2 id=HEADING_ID tabindex="-1">{move || strings().view_heading(view.get())}</h2>
            {move || match view.get() {
                View::Show(s) => section_view(s, &info_for_view, basemap),
                View::NotAllowed(_) => view! {
                    <p class="tk-notice">{move || strings().section_not_allowed}</p>
                }.into_any(),
                View::NotFound => view! {
                    <p class="tk-notice">{move || strings().section_not_found}</p>
                }.into_any(),
            }}
        </div>
    }
}
