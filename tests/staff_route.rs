//! `model::staff_route`: the staff view's addresses, which sections each role has, and what a
//! typed address shows.

use trygghetskarta::i18n::Lang;
use trygghetskarta::model::pin_list::{ListView, SortOrder};
use trygghetskarta::model::staff::FilterForm;
use trygghetskarta::model::staff_route::{
    address_of, is_plain_click, parse_address, parse_path, resolve, sections_for, Route, Section,
    View,
};
use trygghetskarta_shared::{Category, Role};

#[test]
fn every_section_has_an_address_that_reads_back() {
    for s in Section::ALL {
        assert_eq!(parse_path(&s.path()), Route::Section(s));
        assert_eq!(parse_path(&format!("{}/", s.path())), Route::Section(s));
        assert_eq!(Section::from_slug(s.slug()), Some(s));
    }
    assert_eq!(Section::Markeringar.path(), "/personal/markeringar");
    assert_eq!(parse_path("/personal"), Route::Home);
    assert_eq!(parse_path("/personal/"), Route::Home);
    assert_eq!(parse_path("/personal/markeringar/extra"), Route::Unknown);
    assert_eq!(parse_path("/personal/Markeringar"), Route::Unknown);
    assert_eq!(parse_path("/personalen"), Route::Unknown);
    assert_eq!(parse_path("/"), Route::Unknown);
}

#[test]
fn the_role_decides_which_sections_exist() {
    use Section::*;
    assert_eq!(
        sections_for(Role::Organiser),
        [Lagesbild, Atgarder, Dialoger]
    );
    assert_eq!(
        sections_for(Role::Planner),
        [Lagesbild, Markeringar, Atgarder]
    );
    assert_eq!(sections_for(Role::Admin), Section::ALL);
    // Only admins manage accounts; organisers never see the pins.
    assert!(!Konton.allowed(Role::Planner) && !Konton.allowed(Role::Organiser));
    assert!(!Markeringar.allowed(Role::Organiser));
    assert!(!Dialoger.allowed(Role::Planner));
}

#[test]
fn personal_opens_the_roles_first_section_and_a_missing_one_is_refused() {
    for role in Role::ALL {
        assert_eq!(
            resolve(&Route::Home, role),
            View::Show(sections_for(role)[0])
        );
    }
    assert_eq!(
        resolve(&Route::Section(Section::Konton), Role::Planner),
        View::NotAllowed(Section::Konton)
    );
    assert_eq!(
        resolve(&Route::Section(Section::Markeringar), Role::Organiser),
        View::NotAllowed(Section::Markeringar)
    );
    assert_eq!(
        resolve(&Route::Section(Section::Konton), Role::Admin),
        View::Show(Section::Konton)
    );
    assert_eq!(resolve(&Route::Unknown, Role::Admin), View::NotFound);
    assert_eq!(View::NotAllowed(Section::Konton).section(), None);
}

#[test]
fn the_address_keeps_the_filters_where_they_apply_and_the_list_where_it_is() {
    let mut filters = FilterForm {
        from: "2026-01-01".into(),
        area: "Arboga".into(),
        ..FilterForm::default()
    };
    filters.toggle_category(Category::Drugs);
    let list = ListView {
        sort: SortOrder::MostAgreed,
        page: 3,
    };
    assert_eq!(
        address_of(Section::Markeringar, &filters, list),
        "/personal/markeringar?from=2026-01-01&category=drugs&area=Arboga&sort=agreed&page=3"
    );
    assert_eq!(
        address_of(Section::Lagesbild, &filters, list),
        "/personal/lagesbild?from=2026-01-01&category=drugs&area=Arboga"
    );
    assert_eq!(
        address_of(Section::Dialoger, &filters, list),
        "/personal/dialoger"
    );
    assert_eq!(
        address_of(
            Section::Markeringar,
            &FilterForm::default(),
            ListView::default()
        ),
        "/personal/markeringar"
    );
    // And back: what a colleague's link opens.
    let (path, query) = address_of(Section::Markeringar, &filters, list)
        .split_once('?')
        .map(|(p, q)| (p.to_owned(), q.to_owned()))
        .unwrap();
    let at = parse_address(&path, &format!("?{query}"));
    assert_eq!(at.route, Route::Section(Section::Markeringar));
    assert_eq!(at.filters, filters);
    assert_eq!(at.list, list);
}

#[test]
fn only_a_plain_primary_click_stays_in_the_page() {
    assert!(is_plain_click(0, false, false, false, false));
    assert!(
        !is_plain_click(0, true, false, false, false),
        "ctrl: new tab"
    );
    assert!(
        !is_plain_click(0, false, true, false, false),
        "cmd: new tab"
    );
    assert!(
        !is_plain_click(0, false, false, true, false),
        "shift: new window"
    );
    assert!(
        !is_plain_click(1, false, false, false, false),
        "middle button"
    );
}

#[test]
fn sections_have_names_and_the_title_names_the_section() {
    for lang in [Lang::Sv, Lang::En] {
        let s = lang.staff_strings();
        let mut names: Vec<_> = Section::ALL.map(|x| s.section(x)).into();
        assert!(names.iter().all(|n| !n.trim().is_empty()));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Section::ALL.len(), "{lang:?}");
    }
    let sv = Lang::Sv.staff_strings();
    assert_eq!(
        sv.document_title(sv.view_heading(View::Show(Section::Markeringar))),
        "Markeringar – Trygghetskartan, personal"
    );
    assert_eq!(sv.view_heading(View::NotAllowed(Section::Konton)), "Konton");
    assert_eq!(sv.view_heading(View::NotFound), "Sidan finns inte");
}
