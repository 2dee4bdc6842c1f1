//! Gesture recognition and inertia.

use trygghetskarta::geo::Screen;
use trygghetskarta::interaction::gesture::{
    Command, GestureRecognizer, Input, Key, Options, PointerKind,
};
use trygghetskarta::interaction::inertia::Motion;

fn p(x: f64, y: f64) -> Screen {
    Screen::new(x, y)
}

fn down(id: i32, x: f64, y: f64, t: f64, kind: PointerKind) -> Input {
    Input::Down {
        id,
        pos: p(x, y),
        t,
        kind,
    }
}
fn mv(id: i32, x: f64, y: f64, t: f64) -> Input {
    Input::Move {
        id,
        pos: p(x, y),
        t,
    }
}
fn up(id: i32, x: f64, y: f64, t: f64) -> Input {
    Input::Up {
        id,
        pos: p(x, y),
        t,
    }
}

fn run(g: &mut GestureRecognizer, inputs: &[Input]) -> Vec<Command> {
    inputs.iter().flat_map(|&i| g.handle(i)).collect()
}

fn total_pan(cmds: &[Command]) -> (f64, f64) {
    cmds.iter().fold((0.0, 0.0), |(x, y), c| match c {
        Command::Pan { dx, dy } => (x + dx, y + dy),
        _ => (x, y),
    })
}

#[test]
fn a_small_wobble_is_a_tap_not_a_drag() {
    let mut g = GestureRecognizer::new(Options::default());
    let cmds = run(
        &mut g,
        &[
            down(1, 100.0, 100.0, 0.0, PointerKind::Touch),
            mv(1, 105.0, 103.0, 30.0),
            up(1, 105.0, 103.0, 80.0),
        ],
    );
    assert_eq!(
        cmds,
        vec![Command::Tap {
            pos: p(105.0, 103.0)
        }]
    );
}

#[test]
fn moving_past_the_slop_drags_by_the_full_distance() {
    let mut g = GestureRecognizer::new(Options::default());
    let cmds = run(
        &mut g,
        &[
            down(1, 100.0, 100.0, 0.0, PointerKind::Mouse),
            mv(1, 103.0, 100.0, 10.0),
            mv(1, 120.0, 90.0, 20.0),
            mv(1, 150.0, 80.0, 30.0),
            up(1, 150.0, 80.0, 200.0),
        ],
    );
    assert_eq!(total_pan(&cmds), (50.0, -20.0));
    assert!(!cmds.iter().any(|c| matches!(c, Command::Tap { .. })));
    // Released after a 170 ms pause: no fling.
    assert!(!cmds.iter().any(|c| matches!(c, Command::Fling { .. })));
}

#[test]
fn a_quick_release_flings_with_the_drag_velocity() {
    let mut g = GestureRecognizer::new(Options::default());
    let cmds = run(
        &mut g,
        &[
            down(1, 0.0, 0.0, 0.0, PointerKind::Mouse),
            mv(1, 20.0, 0.0, 10.0),
            mv(1, 40.0, 0.0, 20.0),
            mv(1, 60.0, 0.0, 30.0),
            up(1, 60.0, 0.0, 35.0),
        ],
    );
    let fling = cmds.iter().find_map(|c| match c {
        Command::Fling { vx, vy } => Some((*vx, *vy)),
        _ => None,
    });
    let (vx, vy) = fling.expect("fling");
    assert!((vx - 2.0).abs() < 0.3, "about 2 px/ms, got {vx}");
    assert_eq!(vy, 0.0);
}

#[test]
fn two_quick_taps_are_a_double_tap() {
    let mut g = GestureRecognizer::new(Options::default());
    let cmds = run(
        &mut g,
        &[
            down(1, 50.0, 50.0, 0.0, PointerKind::Touch),
            up(1, 50.0, 50.0, 60.0),
            down(2, 55.0, 52.0, 200.0, PointerKind::Touch),
            up(2, 55.0, 52.0, 250.0),
        ],
    );
    assert_eq!(
        cmds,
        vec![
            Command::Tap { pos: p(50.0, 50.0) },
            Command::DoubleTap { pos: p(55.0, 52.0) }
        ]
    );
    // Slow taps are two taps.
    let cmds = run(
        &mut g,
        &[
            down(3, 50.0, 50.0, 1000.0, PointerKind::Touch),
            up(3, 50.0, 50.0, 1050.0),
            down(4, 50.0, 50.0, 1600.0, PointerKind::Touch),
            up(4, 50.0, 50.0, 1650.0),
        ],
    );
    assert!(cmds.iter().all(|c| matches!(c, Command::Tap { .. })));
}

#[test]
fn pinching_zooms_by_the_finger_distance_about_their_midpoint() {
    let mut g = GestureRecognizer::new(Options::default());
    let cmds = run(
        &mut g,
        &[
            down(1, 100.0, 200.0, 0.0, PointerKind::Touch),
            down(2, 200.0, 200.0, 5.0, PointerKind::Touch),
            mv(1, 50.0, 200.0, 20.0),
            mv(2, 250.0, 200.0, 25.0),
        ],
    );
    let factor: f64 = cmds
        .iter()
        .filter_map(|c| match c {
            Command::Zoom { factor, .. } => Some(*factor),
            _ => None,
        })
        .product();
    assert!((factor - 2.0).abs() < 1e-9, "distance 100 -> 200: {factor}");
    let last_anchor = cmds.iter().rev().find_map(|c| match c {
        Command::Zoom { anchor, .. } => *anchor,
        _ => None,
    });
    assert_eq!(last_anchor, Some(p(150.0, 200.0)));
    assert_eq!(total_pan(&cmds), (0.0, 0.0), "symmetric pinch does not pan");
}

#[test]
fn a_cancelled_pointer_ends_the_gesture_without_a_tap() {
    let mut g = GestureRecognizer::new(Options::default());
    let cmds = run(
        &mut g,
        &[
            down(1, 10.0, 10.0, 0.0, PointerKind::Touch),
            Input::Cancel { id: 1 },
            up(1, 10.0, 10.0, 50.0),
        ],
    );
    assert!(cmds.is_empty());
    assert!(!g.is_active());
}

#[test]
fn one_finger_on_an_embedded_map_asks_for_two_fingers_and_does_not_pan() {
    let mut g = GestureRecognizer::new(Options {
        one_finger_pans: false,
        ..Options::default()
    });
    let cmds = run(
        &mut g,
        &[
            down(1, 10.0, 10.0, 0.0, PointerKind::Touch),
            mv(1, 10.0, 60.0, 20.0),
            mv(1, 10.0, 120.0, 40.0),
            up(1, 10.0, 120.0, 50.0),
        ],
    );
    assert_eq!(cmds, vec![Command::TwoFingerHint]);
    // A mouse still drags.
    let cmds = run(
        &mut g,
        &[
            down(2, 10.0, 10.0, 100.0, PointerKind::Mouse),
            mv(2, 40.0, 10.0, 120.0),
            up(2, 40.0, 10.0, 300.0),
        ],
    );
    assert_eq!(total_pan(&cmds), (30.0, 0.0));
}

#[test]
fn wheel_and_keys_map_to_zoom_and_pan() {
    let mut g = GestureRecognizer::new(Options::default());
    let out = g.handle(Input::Wheel {
        delta_y: -300.0,
        pos: p(20.0, 30.0),
        ctrl: false,
    });
    assert_eq!(
        out,
        vec![Command::Zoom {
            factor: 2.0,
            anchor: Some(p(20.0, 30.0))
        }]
    );
    assert_eq!(
        g.handle(Input::Key(Key::Right)),
        vec![Command::Pan { dx: -80.0, dy: 0.0 }]
    );
    assert_eq!(Key::from_dom("ArrowUp"), Some(Key::Up));
    assert_eq!(Key::from_dom("+"), Some(Key::ZoomIn));
    assert_eq!(Key::from_dom("-"), Some(Key::ZoomOut));
    assert_eq!(Key::from_dom("a"), None);
}

#[test]
fn inertia_decays_to_a_stop_and_travels_a_bounded_distance() {
    let mut m = Motion::fling(1.0, 0.0);
    assert!(m.is_moving());
    let mut travelled = 0.0;
    let mut frames = 0;
    while m.is_moving() {
        let (next, dx, _) = m.step(16.0);
        assert!(dx > 0.0);
        travelled += dx;
        m = next;
        frames += 1;
        assert!(frames < 200, "stops within a few seconds");
    }
    // v·τ is the limit of an exponential coast: 325 px for 1 px/ms.
    assert!(travelled > 250.0 && travelled < 325.0, "{travelled}");
    assert_eq!(Motion::fling(0.01, 0.0), Motion::Idle, "too slow to coast");
}
