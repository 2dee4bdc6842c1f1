//! The staff side of återkoppling: the answer form (`model::answer::StatusForm`), the bulk
//! selection, the action editor (`model::action_form::ActionForm` → `ActionInput`) and the
//! "Vad vi hörde" form that closes a dialogue.

use trygghetskarta::geo::LonLat;
use trygghetskarta::i18n::Lang;
use trygghetskarta::model::action_form::{
    can_close, filter_actions, parse_pin_ids, unix_seconds, ActionForm, CloseForm, PlaceMode,
};
use trygghetskarta::model::answer::{BulkSelection, StatusForm};
use trygghetskarta_shared::followup::MAX_RESPONSE_CHARS;
use trygghetskarta_shared::staff::Count;
use trygghetskarta_shared::{
    Action, ActionParty, ActionState, Category, Dialogue, DialogueKind, DialogueOrganiser,
    DialogueOutcome, DialogueStatus, Hotspot, NoActionReason, Party, PinStatus, PublicResponse,
    StaffPin, TimeOfDay,
};
use uuid::Uuid;

fn pin() -> StaffPin {
    StaffPin {
        id: Uuid::new_v4(),
        lat: 59.39,
        lon: 15.84,
        category: Category::Lighting,
        time_of_day: TimeOfDay::Evening,
        comment: None,
        place_description: None,
        created_at: "2027-05-01T20:00:00+02:00".into(),
        agree_count: 0,
        hidden: false,
        hidden_reason: None,
        comment_approved: false,
        area: None,
        status: PinStatus::Received,
        status_reason: None,
        status_changed_at: None,
        response: None,
        action_id: None,
    }
}

#[test]
fn the_answer_form_starts_from_the_pin_and_sends_state_answer_and_party() {
    let mut p = pin();
    p.status = PinStatus::Investigating;
    p.response = Some(PublicResponse {
        text: "Vi tittar på det.".into(),
        party: Party::Polis,
        date: "2027-05-02".into(),
    });
    let mut f = StatusForm::from_pin(&p);
    assert_eq!(
        (f.status, f.party, f.response.as_str()),
        (PinStatus::Investigating, Party::Polis, "Vi tittar på det.")
    );
    f.status = PinStatus::Planned;
    f.response = "  Ny belysning beställd.  ".into();
    let c = f.to_change().unwrap();
    assert_eq!(c.status, PinStatus::Planned);
    assert_eq!(c.response.as_deref(), Some("Ny belysning beställd."));
    assert_eq!((c.reason, c.party), (None, Some(Party::Polis)));
    // An emptied answer is sent as empty: the server removes it.
    f.response = "   ".into();
    assert_eq!(f.to_change().unwrap().response.as_deref(), Some(""));
}

#[test]
fn no_action_needs_a_reason_and_some_reasons_need_the_answer() {
    let mut f = StatusForm {
        status: PinStatus::NoAction,
        ..StatusForm::default()
    };
    assert_eq!(f.to_change(), Err(("reason", "required")));
    f.reason = Some(NoActionReason::NotOurs);
    assert_eq!(f.to_change(), Err(("response", "required")));
    f.reason = Some(NoActionReason::Other);
    assert_eq!(f.to_change(), Err(("response", "required")));
    f.reason = Some(NoActionReason::Duplicate);
    assert_eq!(
        f.to_change().unwrap().reason,
        Some(NoActionReason::Duplicate)
    );
    f.reason = Some(NoActionReason::NotOurs);
    f.response = "Vidarebefordrad till Trafikverket.".into();
    assert!(f.to_change().is_ok());
    // A reason chosen earlier is not sent with another state.
    f.status = PinStatus::Done;
    assert_eq!(f.to_change().unwrap().reason, None);
}

#[test]
fn the_answer_counts_characters_as_the_server_does() {
    let mut f = StatusForm {
        response: "å".repeat(MAX_RESPONSE_CHARS),
        ..StatusForm::default()
    };
    assert_eq!(f.chars_left(), 0);
    assert!(f.to_change().is_ok());
    f.response.push('ä');
    assert_eq!(f.chars_left(), -1);
    assert_eq!(f.to_change(), Err(("response", "too_long")));
}

#[test]
fn a_bulk_answer_needs_pins_and_takes_the_form() {
    let f = StatusForm {
        response: "Vi har bett tekniska förvaltningen titta på det.".into(),
        ..StatusForm::default()
    };
    assert_eq!(f.to_bulk(vec![]), Err(("pins", "required")));
    let ids = vec![Uuid::new_v4(), Uuid::new_v4()];
    let b = f.to_bulk(ids.clone()).unwrap();
    assert_eq!(b.pins, ids);
    assert_eq!(b.status, PinStatus::Investigating);
    assert_eq!(b.party, Some(Party::Kommun));
}

#[test]
fn the_bulk_selection_ticks_unticks_selects_all_and_forgets_what_left_the_selection() {
    let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let mut s = BulkSelection::default();
    assert!(s.is_empty());
    s.toggle(a);
    s.toggle(b);
    s.toggle(a);
    assert_eq!(s.ids(), vec![b]);
    s.select_all([a, b, c]);
    assert_eq!(s.len(), 3);
    s.keep_only(&[a, c]);
    assert!(s.contains(&a) && s.contains(&c) && !s.contains(&b));
    s.clear();
    assert!(s.is_empty());
}

fn hotspot(outline: Vec<[f64; 2]>) -> Hotspot {
    Hotspot {
        rank: 1,
        count: 3,
        lat: 59.3935,
        lon: 15.8385,
        bbox: [15.838, 59.393, 15.839, 59.394],
        radius_m: 40.0,
        outline,
        by_category: vec![Count {
            key: Category::Lighting,
            count: 3,
        }],
        by_time_of_day: vec![],
        agree_total: 0,
        nearest_place: None,
        area: Some("Arboga".into()),
        pins: vec![Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()],
        place_name: "Gångtunneln vid stationen".into(),
    }
}

#[test]
fn an_action_from_a_hotspot_takes_its_outline_pins_and_name() {
    let ring = vec![
        [15.838, 59.393],
        [15.839, 59.393],
        [15.839, 59.394],
        [15.838, 59.393],
    ];
    let h = hotspot(ring.clone());
    let f = ActionForm::from_hotspot(&h, &h.place_name);
    assert_eq!(f.title, "Gångtunneln vid stationen");
    assert_eq!(f.pins, h.pins);
    assert_eq!(f.area.len(), 3, "the ring without its closing point");
    let input = f.to_input(true).unwrap();
    assert_eq!(input.area.as_deref(), Some(&ring[..]), "closed again");
    // The place is the area's centre.
    assert!((input.lat - (59.393 * 2.0 + 59.394) / 3.0).abs() < 1e-9);
    assert_eq!(input.state, ActionState::Planned);
    assert!(input.update_pins);
    // Organisers send no pins: the server keeps the links as they are.
    assert!(f.to_input(false).unwrap().pins.is_empty());
    // Pins on a line: no area, the hotspot's centre as the point.
    let line = hotspot(vec![[15.838, 59.393], [15.839, 59.394]]);
    let f = ActionForm::from_hotspot(&line, "Stråket");
    let input = f.to_input(true).unwrap();
    assert_eq!((input.lat, input.lon, input.area), (59.3935, 15.8385, None));
}

#[test]
fn the_action_form_names_the_first_field_to_fix() {
    let mut f = ActionForm::default();
    assert_eq!(f.to_input(true), Err(("title", "required")));
    f.title = "Klipp buskarna".into();
    assert_eq!(f.to_input(true), Err(("place", "required")));
    f.mode = PlaceMode::Draw;
    f.tap(LonLat::lat_lon(59.39, 15.83));
    f.tap(LonLat::lat_lon(59.391, 15.83));
    assert_eq!(f.to_input(true), Err(("area", "too_few")));
    f.mode = PlaceMode::Point;
    f.tap(LonLat::lat_lon(59.39, 15.84));
    assert!(f.area.is_empty(), "a point replaces the drawing");
    f.party = ActionParty::Other;
    assert_eq!(f.to_input(true), Err(("party_name", "required")));
    f.party_name = "Arboga Bostäder".into();
    f.starts_on = "2027-06-01".into();
    f.target_on = "2027-05-01".into();
    assert_eq!(f.to_input(true), Err(("target_on", "before_start")));
    f.target_on = "2027-09-30".into();
    f.state = ActionState::Cancelled;
    assert_eq!(f.to_input(true), Err(("cancel_reason", "required")));
    f.cancel_reason = "Bostadsbolaget gör det själva.".into();
    let input = f.to_input(true).unwrap();
    assert_eq!(input.party_name.as_deref(), Some("Arboga Bostäder"));
    assert_eq!(
        input.cancel_reason.as_deref(),
        Some("Bostadsbolaget gör det själva.")
    );
    assert_eq!((input.lat, input.lon, input.area), (59.39, 15.84, None));
    assert_eq!(input.starts_on.as_deref(), Some("2027-06-01"));
    // The reason and the other party's name go only with their state and party.
    f.state = ActionState::Ongoing;
    f.party = ActionParty::Both;
    let input = f.to_input(true).unwrap();
    assert_eq!((input.cancel_reason, input.party_name), (None, None));
}

fn action() -> Action {
    Action {
        id: Uuid::new_v4(),
        title: "Ny belysning".into(),
        description: "Sex armaturer.".into(),
        party: ActionParty::Kommun,
        party_name: None,
        lat: 59.39,
        lon: 15.84,
        area: None,
        starts_on: Some("2027-05-01".into()),
        target_on: None,
        state: ActionState::Ongoing,
        cancel_reason: None,
        notes: vec![],
        pins: vec![Uuid::new_v4()],
        categories: vec![Category::Lighting],
        dialogues: vec![Uuid::new_v4()],
        area_name: None,
        created_at: "2027-05-01T10:00:00+02:00".into(),
        updated_at: "2027-05-01T10:00:00+02:00".into(),
    }
}

#[test]
fn an_existing_action_comes_back_as_it_was_saved() {
    let a = action();
    let f = ActionForm::from_action(&a);
    let input = f.to_input(true).unwrap();
    assert_eq!(input.title, a.title);
    assert_eq!((input.lat, input.lon), (a.lat, a.lon));
    assert_eq!(input.pins, a.pins);
    assert_eq!(input.dialogues, a.dialogues);
    assert_eq!(input.starts_on, a.starts_on);
    assert_eq!(input.state, a.state);
    let mut f = f;
    let d = a.dialogues[0];
    f.toggle_dialogue(d);
    assert!(f.dialogues.is_empty());
    f.add_pins(a.pins.clone());
    assert_eq!(f.pins.len(), 1, "a pin is linked once");
}

#[test]
fn pasted_pin_ids_and_links_are_read_and_a_bad_piece_is_named() {
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    let text = format!("{a},\n https://karta.arboga.se/?pin={b}&x=1 ");
    assert_eq!(parse_pin_ids(&text), Ok(vec![a, b]));
    assert_eq!(parse_pin_ids(&format!("{a} nej")), Err("nej".to_owned()));
    assert_eq!(parse_pin_ids("  "), Ok(vec![]));
}

#[test]
fn the_list_filters_by_state() {
    let mut done = action();
    done.state = ActionState::Done;
    let list = vec![action(), done.clone()];
    assert_eq!(filter_actions(&list, None).len(), 2);
    assert_eq!(filter_actions(&list, Some(ActionState::Done)), vec![done]);
    assert!(filter_actions(&list, Some(ActionState::Cancelled)).is_empty());
}

fn session(ends_at: &str) -> Dialogue {
    Dialogue {
        id: Uuid::new_v4(),
        title: "Trygghetsvandring".into(),
        description: String::new(),
        starts_at: "2027-05-11T18:00:00+02:00".into(),
        ends_at: ends_at.into(),
        place_name: "Arboga station".into(),
        lat: 59.39,
        lon: 15.84,
        kind: DialogueKind::Walk,
        organiser: DialogueOrganiser::Both,
        online_url: None,
        registration_url: None,
        status: DialogueStatus::Planned,
        cancel_reason: None,
        outcome: None,
        created_at: "2027-04-01T10:00:00+02:00".into(),
        updated_at: "2027-04-01T10:00:00+02:00".into(),
    }
}

#[test]
fn times_with_offsets_become_seconds_and_a_session_closes_once_it_has_ended() {
    assert_eq!(unix_seconds("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(
        unix_seconds("2027-05-11T19:30:00+02:00"),
        Some(1_810_056_600)
    );
    assert_eq!(
        unix_seconds("2027-05-11T17:30:00.250Z"),
        unix_seconds("2027-05-11T19:30:00+02:00")
    );
    assert_eq!(unix_seconds("2027-05-11"), None);
    let end = 1_810_056_600;
    let mut d = session("2027-05-11T19:30:00+02:00");
    assert!(!can_close(&d, end - 1), "still going on");
    assert!(can_close(&d, end));
    d.status = DialogueStatus::Cancelled;
    assert!(!can_close(&d, end + 10));
    let mut d = session("2027-05-11T19:30:00+02:00");
    d.outcome = Some(DialogueOutcome {
        summary: "x".into(),
        participants: 1,
        themes: vec![],
        other_themes: None,
        actions: vec![],
        closed_at: "2027-05-12T10:00:00+02:00".into(),
    });
    assert!(!can_close(&d, end + 10), "closed already");
}

#[test]
fn the_close_form_needs_a_summary_and_a_number_and_orders_themes() {
    let mut f = CloseForm::default();
    assert_eq!(f.to_input(), Err(("summary", "required")));
    f.summary = "Många kände sig otrygga.".into();
    f.participants = "sjutton".into();
    assert_eq!(f.to_input(), Err(("participants", "number")));
    f.participants = " 17 ".into();
    f.toggle_theme(Category::Lighting);
    f.toggle_theme(Category::Drugs);
    f.toggle_theme(Category::Traffic);
    f.toggle_theme(Category::Traffic);
    let a = Uuid::new_v4();
    f.toggle_action(a);
    f.other_themes = " Buskage ".into();
    let c = f.to_input().unwrap();
    assert_eq!(c.participants, 17);
    assert_eq!(c.themes, {
        let mut t = vec![Category::Lighting, Category::Drugs];
        t.sort_by_key(|c| Category::ALL.iter().position(|x| x == c));
        t
    });
    assert_eq!(c.other_themes.as_deref(), Some("Buskage"));
    assert_eq!(c.actions, vec![a]);
}

#[test]
fn every_followup_field_error_has_words_in_both_languages() {
    for lang in [Lang::Sv, Lang::En] {
        let s = lang.staff_strings();
        let generic = s.err_generic;
        for (field, code) in [
            ("reason", "required"),
            ("response", "required"),
            ("response", "too_long"),
            ("pins", "required"),
            ("party_name", "required"),
            ("place", "required"),
            ("area", "too_few"),
            ("area", "outside_area"),
            ("target_on", "before_start"),
            ("cancel_reason", "required"),
            ("participants", "number"),
            ("closed", "not_ended"),
            ("summary", "required"),
        ] {
            let m = s.followup_field_error(field, code);
            assert!(!m.is_empty() && m != generic, "{lang:?} {field} {code}");
        }
    }
    let sv = Lang::Sv.staff_strings();
    assert_eq!(
        sv.followup_field_error("reason", "required"),
        "Välj ett skäl."
    );
}
