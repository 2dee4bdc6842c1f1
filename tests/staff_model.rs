//! The planner view's pure parts: the filter query string and hotspot summaries.

use trygghetskarta::i18n::Lang;
use trygghetskarta::model::staff::{hotspot_mix, hotspot_place, FilterForm};
use trygghetskarta_shared::staff::{Count, Hotspot, NearestPlace};
use trygghetskarta_shared::{Category, TimeOfDay};

#[test]
fn an_empty_form_filters_nothing() {
    assert_eq!(FilterForm::default().query(), "");
}

#[test]
fn the_query_uses_the_servers_parameters_in_a_stable_order() {
    let mut f = FilterForm {
        from: "2026-01-01".into(),
        to: "2026-06-30".into(),
        area: "Medåker".into(),
        include_hidden: true,
        ..FilterForm::default()
    };
    f.toggle_category(Category::Lighting);
    f.toggle_category(Category::Traffic);
    f.toggle_time(TimeOfDay::Night);
    assert_eq!(
        f.query(),
        "from=2026-01-01&to=2026-06-30&category=traffic&category=lighting\
         &time_of_day=night&area=Med%C3%A5ker&include_hidden=true"
    );
    // Toggling again removes; a half-typed date is left out.
    f.toggle_category(Category::Traffic);
    f.from = "2026-0".into();
    assert_eq!(
        f.query(),
        "to=2026-06-30&category=lighting&time_of_day=night&area=Med%C3%A5ker&include_hidden=true"
    );
}

fn spot() -> Hotspot {
    Hotspot {
        rank: 1,
        count: 6,
        lat: 59.3969,
        lon: 15.841,
        bbox: [15.84, 59.39, 15.85, 59.40],
        radius_m: 40.0,
        outline: vec![],
        pins: vec![],
        place_name: String::new(),
        by_category: vec![
            Count {
                key: Category::Lighting,
                count: 2,
            },
            Count {
                key: Category::Drugs,
                count: 4,
            },
        ],
        by_time_of_day: vec![
            Count {
                key: TimeOfDay::Evening,
                count: 1,
            },
            Count {
                key: TimeOfDay::Night,
                count: 5,
            },
        ],
        agree_total: 3,
        nearest_place: Some(NearestPlace {
            name: "Arboga station".into(),
            distance_m: 12.4,
        }),
        area: Some("Arboga".into()),
    }
}

#[test]
fn a_hotspot_is_named_by_its_nearest_place_and_summed_up_largest_first() {
    let sv = Lang::Sv.staff_strings();
    assert_eq!(hotspot_place(&spot(), sv), "Arboga station (12 m)");
    assert_eq!(
        hotspot_mix(&spot(), sv),
        "Narkotika 4, Dålig belysning 2 · mest natt"
    );
    let en = Lang::En.staff_strings();
    assert_eq!(
        hotspot_mix(&spot(), en),
        "Drugs 4, Poor lighting 2 · mostly night"
    );
    let far = Hotspot {
        nearest_place: Some(NearestPlace {
            name: "Medåker".into(),
            distance_m: 2400.0,
        }),
        area: None,
        ..spot()
    };
    assert_eq!(hotspot_place(&far, sv), "2 km från Medåker");
}

#[test]
fn a_query_reads_back_into_the_same_form() {
    let mut f = FilterForm {
        from: "2026-01-01".into(),
        to: "2026-06-30".into(),
        area: "Gröna gången & co".into(),
        include_hidden: true,
        ..FilterForm::default()
    };
    for c in [Category::Vandalism, Category::Traffic] {
        f.toggle_category(c);
    }
    f.toggle_time(TimeOfDay::Night);
    f.toggle_time(TimeOfDay::Day);
    let q = f.query();
    let back = FilterForm::from_query(&q);
    assert_eq!(back.query(), q);
    // The same selection, in the forms' own order.
    assert_eq!(back.categories, [Category::Traffic, Category::Vandalism]);
    assert_eq!(back.times, [TimeOfDay::Day, TimeOfDay::Night]);
    assert_eq!(back.area, "Gröna gången & co");
    assert!(back.include_hidden);
    assert_eq!(FilterForm::from_query(""), FilterForm::default());
    assert_eq!(
        FilterForm::from_query(&FilterForm::default().query()),
        FilterForm::default()
    );
}

#[test]
fn a_query_from_elsewhere_is_read_as_the_api_reads_it() {
    // Comma lists and repeats, `+` for a space, a leading `?`, keys for the list ignored,
    // unknown codes left out.
    let f = FilterForm::from_query(
        "?category=drugs,lighting&category=drugs&time_of_day=evening&area=Norra+Arboga\
         &sort=agreed&page=2&category=nonsense&include_hidden=false",
    );
    assert_eq!(f.categories, [Category::Drugs, Category::Lighting]);
    assert_eq!(f.times, [TimeOfDay::Evening]);
    assert_eq!(f.area, "Norra Arboga");
    assert!(!f.include_hidden);
    assert_eq!(
        f.query(),
        "category=drugs&category=lighting&time_of_day=evening&area=Norra%20Arboga"
    );
    // A broken escape is kept rather than dropped.
    assert_eq!(FilterForm::from_query("area=100%").area, "100%");
}

#[test]
fn a_hotspot_is_called_by_the_servers_place_name() {
    let sv = Lang::Sv.staff_strings();
    let named = Hotspot {
        place_name: "Arboga, norr om Heliga Trefaldighets kyrka".into(),
        ..spot()
    };
    assert_eq!(
        hotspot_place(&named, sv),
        "Arboga, norr om Heliga Trefaldighets kyrka"
    );
}
