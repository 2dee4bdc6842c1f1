//! Återkoppling on the device: which answers are new since the last visit, the filters of
//! "Vad händer?", the opt-in e-mail's check, and what the markers and panels call states.

use trygghetskarta::geo::LonLat;
use trygghetskarta::i18n::Lang;
use trygghetskarta::model::followup::{encode, Seen, UpdatesFilter};
use trygghetskarta::model::report::{Draft, Problem};
use trygghetskarta_shared::{Category, PinStatus, PublicPin, TimeOfDay};
use uuid::Uuid;

fn pin(status: PinStatus, changed: Option<&str>) -> PublicPin {
    PublicPin {
        id: Uuid::new_v4(),
        category: Category::Lighting,
        time_of_day: TimeOfDay::Evening,
        created_date: "2026-11-20".into(),
        agree_count: 0,
        lat: 59.39,
        lon: 15.84,
        comment: None,
        status,
        status_changed_at: changed.map(str::to_owned),
        response: None,
        action_id: None,
    }
}

#[test]
fn an_answer_is_new_once_then_seen_until_it_changes_again() {
    let waiting = pin(PinStatus::Received, None);
    let answered = pin(PinStatus::Investigating, Some("2026-11-30T10:00:00+01:00"));
    let mut seen = Seen::default();
    let now = [waiting.clone(), answered.clone()];
    assert_eq!(
        seen.new_answers(&now),
        vec![answered.id],
        "a pin without a change is never new"
    );
    seen.saw(&now, &[waiting.id, answered.id]);
    assert!(seen.new_answers(&now).is_empty(), "the next visit: seen");
    let later = pin(PinStatus::Done, Some("2026-12-02T09:00:00+01:00"));
    let later = PublicPin {
        id: answered.id,
        ..later
    };
    assert_eq!(
        seen.new_answers(&[waiting.clone(), later.clone()]),
        vec![answered.id]
    );
    // Stored on the device and read back; pins the device no longer has are forgotten.
    let mut back = Seen::from_json(Some(&seen.to_json()));
    assert_eq!(back, seen);
    back.saw(&[later], &[waiting.id]);
    assert!(back.pins.is_empty());
    assert_eq!(Seen::from_json(Some("not json")), Seen::default());
}

#[test]
fn the_filters_of_vad_hander_become_a_query() {
    assert_eq!(UpdatesFilter::default().query(), "");
    let f = UpdatesFilter {
        area: "Medåker".into(),
        category: Some(Category::Traffic),
    };
    assert_eq!(f.query(), "area=Med%C3%A5ker&category=traffic");
    assert_eq!(encode("Arboga västra"), "Arboga%20v%C3%A4stra");
}

#[test]
fn an_e_mail_is_checked_only_when_asked_for() {
    let mut d = Draft {
        category: Some(Category::Drugs),
        time_of_day: Some(TimeOfDay::Night),
        ..Draft::default()
    };
    let at = LonLat::lat_lon(59.3948, 15.8437);
    assert_eq!(
        d.to_request(Uuid::new_v4(), at, None).unwrap().notify_email,
        None
    );
    d.notify = true;
    d.email = "anna@".into();
    assert_eq!(d.problems(), vec![Problem::EmailInvalid]);
    d.email = " anna@example.se ".into();
    let req = d.to_request(Uuid::new_v4(), at, None).unwrap();
    assert_eq!(req.notify_email.as_deref(), Some("anna@example.se"));
    d.notify = false;
    assert_eq!(
        d.to_request(Uuid::new_v4(), at, None).unwrap().notify_email,
        None,
        "unticked: no address sent"
    );
}

#[test]
fn markers_name_their_state_once_there_is_one() {
    let s = Lang::Sv.strings();
    assert_eq!(
        s.pin_label(&pin(PinStatus::Received, None)),
        "Dålig belysning, kväll"
    );
    assert_eq!(
        s.pin_label(&pin(PinStatus::Planned, Some("x"))),
        "Dålig belysning, kväll: åtgärd planerad"
    );
    assert_eq!(s.new_answers(1), "Du har 1 nytt svar på dina markeringar");
    assert_eq!(s.new_answers(3), "Du har 3 nya svar på dina markeringar");
    let en = Lang::En.strings();
    assert_eq!(en.pin_status(PinStatus::NoAction), "No action");
}
