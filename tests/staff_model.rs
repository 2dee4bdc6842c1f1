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
    let sv = Lang::Sv.strings();
    assert_eq!(hotspot_place(&spot(), sv), "Arboga station (12 m)");
    assert_eq!(
        hotspot_mix(&spot(), sv),
        "Narkotika 4, Dålig belysning 2 · mest natt"
    );
    let en = Lang::En.strings();
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
