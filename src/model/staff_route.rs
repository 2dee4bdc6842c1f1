//! The staff view's addresses, as plain data: which sections exist, which a role has, and the
//! path and query string ↔ what is shown (section, filters, the pin list's sort and page).
//!
//! `/personal/{section}?{filters}&sort=…&page=…`. The staff root keeps the address and the
//! state in step (`components/staff/shell.rs`); everything that decides is here, natively tested
//! in `tests/staff_route.rs`.
//!
//! Adding a section: a variant in [`Section`] (with its place in [`Section::ALL`], its `slug`,
//! its roles in [`Section::allowed`]), its label in `Strings::section`, and its view in
//! `components/staff/shell.rs` (`section_view`).

use trygghetskarta_shared::Role;

use crate::model::pin_list::ListView;
use crate::model::staff::FilterForm;

/// Where the staff view lives.
pub const BASE: &str = "/personal";

/// A part of the staff view with its own address, in the navigation's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// The lägesbild: aggregates and hotspots of the selection (charts come here).
    Lagesbild,
    /// The planners' pins: filters, map, the chosen pin, exports, the paged list.
    Markeringar,
    /// The handlingsplan's actions.
    Atgarder,
    /// The organisers' dialogue sessions.
    Dialoger,
    /// Staff accounts (admins).
    Konton,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Lagesbild,
        Section::Markeringar,
        Section::Atgarder,
        Section::Dialoger,
        Section::Konton,
    ];

    /// The last part of its path.
    pub fn slug(self) -> &'static str {
        match self {
            Section::Lagesbild => "lagesbild",
            Section::Markeringar => "markeringar",
            Section::Atgarder => "atgarder",
            Section::Dialoger => "dialoger",
            Section::Konton => "konton",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// `/personal/markeringar`.
    pub fn path(self) -> String {
        format!("{BASE}/{}", self.slug())
    }

    /// Whether a role has this section. Organisers: the lägesbild's aggregates and hotspots,
    /// actions and dialogues; planners: the lägesbild, the pins and actions; admins: all.
    pub fn allowed(self, role: Role) -> bool {
        matches!(
            (self, role),
            (_, Role::Admin)
                | (Section::Lagesbild | Section::Atgarder, _)
                | (Section::Markeringar, Role::Planner)
                | (Section::Dialoger, Role::Organiser)
        )
    }

    /// The filter selection applies here (and so is kept in its address).
    pub fn uses_filters(self) -> bool {
        matches!(self, Section::Lagesbild | Section::Markeringar)
    }

    /// The paged pin list is here (its sort and page are kept in the address).
    pub fn uses_list(self) -> bool {
        self == Section::Markeringar
    }
}

/// The sections a role has, in the navigation's order.
pub fn sections_for(role: Role) -> Vec<Section> {
    Section::ALL
        .into_iter()
        .filter(|s| s.allowed(role))
        .collect()
}

/// What a path under `/personal` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/personal` itself: the role's first section.
    Home,
    Section(Section),
    /// Something else under `/personal` (a typo, an old link).
    Unknown,
}

/// `/personal`, `/personal/`, `/personal/dialoger`, `/personal/dialoger/` → the route.
pub fn parse_path(path: &str) -> Route {
    let rest = path.strip_prefix(BASE).unwrap_or("/unknown");
    match rest.trim_end_matches('/') {
        "" => Route::Home,
        r => r
            .strip_prefix('/')
            .and_then(Section::from_slug)
            .map_or(Route::Unknown, Route::Section),
    }
}

/// What to show for a route and a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Show(Section),
    /// The role lacks the section: say so politely (it is not linked).
    NotAllowed(Section),
    NotFound,
}

impl View {
    /// The section shown, if any.
    pub fn section(self) -> Option<Section> {
        match self {
            View::Show(s) => Some(s),
            _ => None,
        }
    }
}

pub fn resolve(route: &Route, role: Role) -> View {
    match route {
        Route::Home => sections_for(role)
            .first()
            .map_or(View::NotFound, |s| View::Show(*s)),
        Route::Section(s) if s.allowed(role) => View::Show(*s),
        Route::Section(s) => View::NotAllowed(*s),
        Route::Unknown => View::NotFound,
    }
}

/// Everything the address holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Address {
    pub route: Route,
    pub filters: FilterForm,
    pub list: ListView,
}

/// Reads the address (`location.pathname`, `location.search` with or without `?`).
pub fn parse_address(path: &str, query: &str) -> Address {
    let query = query.trim_start_matches('?');
    Address {
        route: parse_path(path),
        filters: FilterForm::from_query(query),
        list: ListView::from_query(query),
    }
}

/// The address of a section with the current selection: the filters where they apply, the
/// list's sort and page where the list is.
pub fn address_of(section: Section, filters: &FilterForm, list: ListView) -> String {
    let mut parts = Vec::new();
    if section.uses_filters() {
        parts.push(filters.query());
    }
    if section.uses_list() {
        parts.push(list.query());
    }
    let query = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("&");
    if query.is_empty() {
        section.path()
    } else {
        format!("{}?{query}", section.path())
    }
}

/// A click the page handles itself (a plain primary click); with a modifier the browser opens
/// the link in a new tab or window, as with any link.
pub fn is_plain_click(button: i16, ctrl: bool, meta: bool, shift: bool, alt: bool) -> bool {
    button == 0 && !(ctrl || meta || shift || alt)
}

// The labels, beside their types so that i18n depends on nothing in the widget.
impl crate::i18n::StaffStrings {
    /// The section's name in the navigation, its heading and the document's title.
    pub fn section(&self, s: Section) -> &'static str {
        match s {
            Section::Lagesbild => self.section_lagesbild,
            Section::Markeringar => self.section_markeringar,
            Section::Atgarder => self.section_atgarder,
            Section::Dialoger => self.section_dialoger,
            Section::Konton => self.section_konton,
        }
    }

    /// The heading of what is shown: the section, or that it is not there.
    pub fn view_heading(&self, view: View) -> &'static str {
        match view {
            View::Show(s) | View::NotAllowed(s) => self.section(s),
            View::NotFound => self.section_not_found_heading,
        }
    }

    /// The document's title: "Markeringar – Trygghetskartan, personal".
    pub fn document_title(&self, heading: &str) -> String {
        self.staff_document_title.replace("{section}", heading)
    }
}
