//! The planners' pin list: its sort order and pages, as plain data. The map and the exports
//! take the whole selection; only the list is sorted and paged.

use trygghetskarta_shared::StaffPin;

/// Pins on one page of the list.
pub const PAGE_SIZE: usize = 50;

/// How the list is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Newest first (the API's order).
    #[default]
    Newest,
    /// Most "Jag känner likadant" first; newest first among equals.
    MostAgreed,
    /// By state, the unanswered (*Mottagen*) first; newest first within a state.
    State,
}

impl SortOrder {
    pub const ALL: [SortOrder; 3] = [SortOrder::Newest, SortOrder::MostAgreed, SortOrder::State];

    /// Its value in the address (`sort=`).
    pub fn code(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest",
            SortOrder::MostAgreed => "agreed",
            SortOrder::State => "state",
        }
    }

    pub fn parse(code: &str) -> Option<SortOrder> {
        SortOrder::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The list's sort order and page (1-based) as the address keeps them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListView {
    pub sort: SortOrder,
    pub page: usize,
}

impl Default for ListView {
    fn default() -> Self {
        ListView {
            sort: SortOrder::Newest,
            page: 1,
        }
    }
}

impl ListView {
    /// `sort=agreed&page=2`, leaving out what is the default; empty for the default view.
    pub fn query(self) -> String {
        let mut parts = Vec::new();
        if self.sort != SortOrder::Newest {
            parts.push(format!("sort={}", self.sort.code()));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }

    /// From a query string (other keys ignored; an unknown sort or a bad page is the default).
    pub fn from_query(query: &str) -> ListView {
        let mut view = ListView::default();
        for (key, value) in crate::model::staff::query_pairs(query) {
            match key {
                "sort" => view.sort = SortOrder::parse(&value).unwrap_or_default(),
                "page" => view.page = value.parse().ok().filter(|p| *p >= 1).unwrap_or(1),
                _ => {}
            }
        }
        view
    }
}

/// One page of a list of `total` items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// 1-based, within `1..=pages`.
    pub number: usize,
    /// At least 1 (an empty list has one, empty, page).
    pub pages: usize,
    /// The items on it: `start..end`.
    pub start: usize,
    pub end: usize,
}

impl Page {
    /// The page `requested` (clamped into the list) of `total` items, `size` a page.
    pub fn of(total: usize, requested: usize, size: usize) -> Page {
        let size = size.max(1);
        let pages = total.div_ceil(size).max(1);
        let number = requested.clamp(1, pages);
        let start = (number - 1) * size;
        Page {
            number,
            pages,
            start,
            end: (start + size).min(total),
        }
    }

    pub fn has_previous(self) -> bool {
        self.number > 1
    }

    pub fn has_next(self) -> bool {
        self.number < self.pages
    }
}

/// Sorts pins that came newest first (as `GET /api/staff/pins` gives them); the sort is
/// stable, so equals stay newest first.
pub fn sort_pins(pins: &mut [StaffPin], order: SortOrder) {
    match order {
        SortOrder::Newest => {}
        SortOrder::MostAgreed => pins.sort_by_key(|p| std::cmp::Reverse(p.agree_count)),
        SortOrder::State => pins.sort_by_key(|p| p.status),
    }
}

impl crate::i18n::StaffStrings {
    /// "Nyast först", "Flest håller med", "Status, obesvarade först".
    pub fn sort_order(&self, o: SortOrder) -> &'static str {
        match o {
            SortOrder::Newest => self.sort_newest,
            SortOrder::MostAgreed => self.sort_agreed,
            SortOrder::State => self.sort_state,
        }
    }

    /// "Sida 2 av 7".
    pub fn page_of(&self, p: Page) -> String {
        self.page_of
            .replace("{page}", &p.number.to_string())
            .replace("{pages}", &p.pages.to_string())
    }
}
