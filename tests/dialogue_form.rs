//! The dialogue editor's form (`model::dialogue::DialogueForm`) and which session it edits.

use trygghetskarta::geo::LonLat;
use trygghetskarta::model::dialogue::{DialogueForm, Editing};
use trygghetskarta_shared::{Dialogue, DialogueKind, DialogueOrganiser, DialogueStatus};
use uuid::Uuid;

fn walk() -> Dialogue {
    Dialogue {
        id: Uuid::new_v4(),
        title: "Trygghetsvandring i centrum".into(),
        description: "Vi går från stationen.".into(),
        starts_at: "2027-05-11T18:00:00+02:00".into(),
        ends_at: "2027-05-11T19:30:00+02:00".into(),
        place_name: "Arboga station".into(),
        lat: 59.3968,
        lon: 15.841,
        kind: DialogueKind::Walk,
        organiser: DialogueOrganiser::Both,
        online_url: None,
        registration_url: Some("https://arboga.se/anmalan".into()),
        status: DialogueStatus::Planned,
        cancel_reason: None,
        outcome: None,
        created_at: "2027-04-01T10:00:00+02:00".into(),
        updated_at: "2027-04-01T10:00:00+02:00".into(),
    }
}

#[test]
fn a_new_session_is_a_kommun_meeting_with_nothing_filled_in() {
    let f = DialogueForm::default();
    assert_eq!(f.kind, DialogueKind::Meeting);
    assert_eq!(f.organiser, DialogueOrganiser::Kommun);
    assert_eq!((f.title.as_str(), f.date.as_str(), f.at), ("", "", None));
    // Nothing to send yet: the time is the first thing to fix.
    assert_eq!(f.to_input(), Err("starts_at"));
}

#[test]
fn an_existing_session_comes_back_as_it_was_saved() {
    let d = walk();
    let f = DialogueForm::from_dialogue(&d);
    assert_eq!(
        (f.date.as_str(), f.start.as_str(), f.end.as_str()),
        ("2027-05-11", "18:00", "19:30")
    );
    assert_eq!(f.at, Some(LonLat::lat_lon(59.3968, 15.841)));
    assert_eq!(
        (f.kind, f.organiser),
        (DialogueKind::Walk, DialogueOrganiser::Both)
    );
    assert_eq!(f.online_url, "");
    let input = f.to_input().unwrap();
    assert_eq!(input.starts_at, d.starts_at);
    assert_eq!(input.ends_at, d.ends_at);
    assert_eq!((input.lat, input.lon), (d.lat, d.lon));
    assert_eq!((input.kind, input.organiser), (d.kind, d.organiser));
    assert_eq!(input.title, d.title);
    assert_eq!(input.description, d.description);
    assert_eq!(input.place_name, d.place_name);
    assert_eq!(input.online_url, None);
    assert_eq!(input.registration_url, d.registration_url);
}

#[test]
fn the_first_field_to_fix_is_named_as_the_api_names_it() {
    let ok = DialogueForm::from_dialogue(&walk());
    let bad_end = DialogueForm {
        end: "".into(),
        ..ok.clone()
    };
    assert_eq!(bad_end.to_input(), Err("ends_at"));
    let no_place = DialogueForm {
        at: None,
        ..ok.clone()
    };
    assert_eq!(no_place.to_input(), Err("place"));
    let bad_date = DialogueForm {
        date: "11/5".into(),
        at: None,
        ..ok.clone()
    };
    assert_eq!(bad_date.to_input(), Err("starts_at"), "in form order");
}

#[test]
fn links_are_trimmed_and_empty_ones_left_out() {
    let f = DialogueForm {
        online_url: "  https://meet.example/arboga  ".into(),
        registration_url: "   ".into(),
        ..DialogueForm::from_dialogue(&walk())
    };
    let input = f.to_input().unwrap();
    assert_eq!(
        input.online_url.as_deref(),
        Some("https://meet.example/arboga")
    );
    assert_eq!(input.registration_url, None);
}

#[test]
fn a_winter_session_gets_the_winter_offset() {
    let f = DialogueForm {
        date: "2027-01-12".into(),
        ..DialogueForm::from_dialogue(&walk())
    };
    assert_eq!(f.to_input().unwrap().starts_at, "2027-01-12T18:00:00+01:00");
}

#[test]
fn the_editor_knows_which_session_it_changes() {
    let id = Uuid::new_v4();
    assert!(!Editing::Closed.is_open());
    assert!(Editing::New.is_open() && Editing::Existing(id).is_open());
    assert_eq!(Editing::New.id(), None, "a new session is created");
    assert_eq!(Editing::Existing(id).id(), Some(id));
    assert_eq!(Editing::default(), Editing::Closed);
}
