//! `model::pin_list`: the planners' list, sorted and paged; its view in the address.

use trygghetskarta::i18n::Lang;
use trygghetskarta::model::pin_list::{sort_pins, ListView, Page, SortOrder, PAGE_SIZE};
use trygghetskarta_shared::{Category, PinStatus, StaffPin, TimeOfDay};
use uuid::Uuid;

fn pin(n: u128, agrees: u32, status: PinStatus) -> StaffPin {
    StaffPin {
        id: Uuid::from_u128(n),
        lat: 59.39,
        lon: 15.84,
        category: Category::Drugs,
        time_of_day: TimeOfDay::Night,
        comment: None,
        place_description: None,
        created_at: format!("2026-11-{:02}T12:00:00+01:00", 28 - n),
        agree_count: agrees,
        hidden: false,
        hidden_reason: None,
        comment_approved: false,
        area: None,
        status,
        status_reason: None,
        status_changed_at: None,
        response: None,
        action_id: None,
    }
}

fn ids(pins: &[StaffPin]) -> Vec<u128> {
    pins.iter().map(|p| p.id.as_u128()).collect()
}

#[test]
fn pages_cover_the_list_once_and_a_page_beyond_it_is_the_last() {
    assert_eq!(PAGE_SIZE, 50);
    let p = Page::of(320, 2, 50);
    assert_eq!((p.number, p.pages, p.start, p.end), (2, 7, 50, 100));
    assert!(p.has_previous() && p.has_next());
    let last = Page::of(320, 7, 50);
    assert_eq!((last.start, last.end), (300, 320));
    assert!(!last.has_next());
    assert_eq!(Page::of(320, 99, 50), last);
    assert_eq!(Page::of(320, 0, 50).number, 1);
    let empty = Page::of(0, 3, 50);
    assert_eq!(
        (empty.number, empty.pages, empty.start, empty.end),
        (1, 1, 0, 0)
    );
    assert!(!empty.has_previous() && !empty.has_next());
    // Every item on exactly one page.
    let mut seen = 0;
    for n in 1..=7 {
        let p = Page::of(320, n, 50);
        assert_eq!(p.start, seen);
        seen = p.end;
    }
    assert_eq!(seen, 320);
    assert_eq!(Page::of(50, 1, 50).pages, 1);
    assert_eq!(Page::of(51, 1, 50).pages, 2);
}

#[test]
fn sorting_keeps_newest_first_among_equals() {
    // As the API gives them: newest first.
    let pins = vec![
        pin(1, 0, PinStatus::Done),
        pin(2, 5, PinStatus::Received),
        pin(3, 2, PinStatus::Investigating),
        pin(4, 5, PinStatus::Received),
        pin(5, 0, PinStatus::NoAction),
    ];
    let mut newest = pins.clone();
    sort_pins(&mut newest, SortOrder::Newest);
    assert_eq!(ids(&newest), [1, 2, 3, 4, 5]);
    let mut agreed = pins.clone();
    sort_pins(&mut agreed, SortOrder::MostAgreed);
    assert_eq!(ids(&agreed), [2, 4, 3, 1, 5]);
    let mut state = pins;
    sort_pins(&mut state, SortOrder::State);
    // Unanswered first, then investigating, planned, done, no action.
    assert_eq!(ids(&state), [2, 4, 3, 1, 5]);
    let mut by_state = vec![
        pin(1, 0, PinStatus::NoAction),
        pin(2, 0, PinStatus::Done),
        pin(3, 0, PinStatus::Planned),
        pin(4, 0, PinStatus::Received),
    ];
    sort_pins(&mut by_state, SortOrder::State);
    assert_eq!(ids(&by_state), [4, 3, 2, 1]);
}

#[test]
fn the_list_view_round_trips_through_the_address() {
    assert_eq!(ListView::default().query(), "");
    for sort in SortOrder::ALL {
        for page in [1, 2, 17] {
            let v = ListView { sort, page };
            assert_eq!(ListView::from_query(&v.query()), v);
            assert_eq!(SortOrder::parse(sort.code()), Some(sort));
        }
    }
    assert_eq!(
        ListView::from_query("category=drugs&sort=state&page=4&area=Arboga"),
        ListView {
            sort: SortOrder::State,
            page: 4
        }
    );
    // Nonsense falls back to the default rather than failing.
    assert_eq!(
        ListView::from_query("?sort=oldest&page=0"),
        ListView::default()
    );
    assert_eq!(ListView::from_query("page=-3").page, 1);
}

#[test]
fn sort_orders_and_pages_have_labels() {
    let sv = Lang::Sv.staff_strings();
    assert_eq!(sv.sort_order(SortOrder::MostAgreed), "Flest håller med");
    assert_eq!(sv.page_of(Page::of(320, 2, 50)), "Sida 2 av 7");
    assert_eq!(
        Lang::En.staff_strings().page_of(Page::of(320, 2, 50)),
        "Page 2 of 7"
    );
}
