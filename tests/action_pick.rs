//! "Välj markeringar på kartan" in the action editor: which pin a tap (or Enter, at the map's
//! centre) picks, within the tolerance in screen pixels, and how a pick links or unlinks it.

use trygghetskarta::geo::mercator::project;
use trygghetskarta::geo::viewport::Viewport;
use trygghetskarta::geo::{LonLat, Screen};
use trygghetskarta::interaction::pick::{nearest_pin, nearest_to_centre, PICK_TOLERANCE_PX};
use trygghetskarta::model::action_form::{ActionForm, PinToggle};
use uuid::Uuid;

fn view() -> Viewport {
    Viewport::new(LonLat::lat_lon(59.3939, 15.8372), 15.0, 800.0, 600.0)
}

/// A pin `dx`, `dy` CSS pixels from the view's centre.
fn pin_at(v: &Viewport, dx: f64, dy: f64) -> (Uuid, LonLat) {
    let at = v.to_lonlat(Screen::new(v.width / 2.0 + dx, v.height / 2.0 + dy));
    (Uuid::new_v4(), at)
}

fn screen_of(v: &Viewport, p: LonLat) -> Screen {
    v.to_screen(project(p))
}

#[test]
fn a_tap_picks_the_nearest_pin_within_the_tolerance() {
    let v = view();
    let near = pin_at(&v, 10.0, 0.0);
    let nearer = pin_at(&v, -4.0, 3.0);
    let far = pin_at(&v, 200.0, 100.0);
    let pins = [near, nearer, far];
    let centre = Screen::new(400.0, 300.0);
    assert_eq!(
        nearest_pin(&v, centre, &pins, PICK_TOLERANCE_PX),
        Some(nearer.0)
    );
    // Right on the far pin.
    let on_far = screen_of(&v, far.1);
    assert_eq!(
        nearest_pin(&v, on_far, &pins, PICK_TOLERANCE_PX),
        Some(far.0)
    );
    // Nothing within reach.
    let empty = Screen::new(100.0, 500.0);
    assert_eq!(nearest_pin(&v, empty, &pins, PICK_TOLERANCE_PX), None);
    assert_eq!(nearest_pin(&v, centre, &[], PICK_TOLERANCE_PX), None);
}

#[test]
fn the_tolerance_is_in_screen_pixels_and_inclusive() {
    let v = view();
    let p = pin_at(&v, 0.0, 0.0);
    let centre = Screen::new(400.0, 300.0);
    let at = |dx: f64| Screen::new(centre.x + dx, centre.y);
    assert_eq!(
        nearest_pin(&v, at(PICK_TOLERANCE_PX - 0.5), &[p], PICK_TOLERANCE_PX),
        Some(p.0)
    );
    assert_eq!(
        nearest_pin(&v, at(PICK_TOLERANCE_PX + 0.5), &[p], PICK_TOLERANCE_PX),
        None
    );
    // The same places on the ground are farther apart on screen when zoomed in.
    let other = (Uuid::new_v4(), v.to_lonlat(at(20.0)));
    let zoomed = v.zoom_about(v.zoom + 1.0, centre);
    assert_eq!(
        nearest_pin(&v, centre, &[other], PICK_TOLERANCE_PX),
        Some(other.0)
    );
    assert_eq!(
        nearest_pin(&zoomed, centre, &[other], PICK_TOLERANCE_PX),
        None
    );
}

#[test]
fn ties_go_to_the_pin_listed_first() {
    let v = view();
    let a = pin_at(&v, 5.0, 0.0);
    let b = pin_at(&v, -5.0, 0.0);
    let centre = Screen::new(400.0, 300.0);
    assert_eq!(
        nearest_pin(&v, centre, &[a, b], PICK_TOLERANCE_PX),
        Some(a.0)
    );
    assert_eq!(
        nearest_pin(&v, centre, &[b, a], PICK_TOLERANCE_PX),
        Some(b.0)
    );
}

#[test]
fn enter_picks_the_pin_nearest_the_centre() {
    let v = view();
    let off = pin_at(&v, 15.0, 15.0);
    let close = pin_at(&v, 2.0, -1.0);
    assert_eq!(
        nearest_to_centre(&v, &[off, close], PICK_TOLERANCE_PX),
        Some(close.0)
    );
    assert_eq!(
        nearest_to_centre(&v, &[off], PICK_TOLERANCE_PX),
        Some(off.0)
    );
    let away = pin_at(&v, 60.0, 0.0);
    assert_eq!(nearest_to_centre(&v, &[away], PICK_TOLERANCE_PX), None);
}

#[test]
fn a_pick_links_an_unlinked_pin_and_unlinks_a_linked_one() {
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    let mut f = ActionForm::default();
    f.add_pins([a]);
    assert_eq!(f.pick_pin(Some(b)), PinToggle::Added);
    assert_eq!(f.pins, vec![a, b]);
    assert_eq!(f.pick_pin(Some(a)), PinToggle::Removed);
    assert_eq!(f.pins, vec![b]);
    assert_eq!(f.pick_pin(Some(a)), PinToggle::Added);
    assert_eq!(f.pins, vec![b, a], "added again at the end");
    assert_eq!(f.pick_pin(None), PinToggle::NoneNear);
    assert_eq!(f.pins, vec![b, a], "a miss changes nothing");
    // Picking changes neither the place nor anything else.
    assert_eq!(f.point, None);
    assert!(f.area.is_empty());
    // The picked pins are what is saved.
    f.point = Some(LonLat::lat_lon(59.39, 15.84));
    f.title = "Belysning".into();
    assert_eq!(f.to_input(true).unwrap().pins, vec![b, a]);
}

#[test]
fn toggle_pin_says_what_it_did() {
    let id = Uuid::new_v4();
    let mut f = ActionForm::default();
    assert_eq!(f.toggle_pin(id), PinToggle::Added);
    assert_eq!(f.toggle_pin(id), PinToggle::Removed);
    assert!(f.pins.is_empty());
}
