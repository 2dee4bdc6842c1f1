//! Gesture recognition: tap vs drag, double tap, pinch, wheel and keyboard.

use crate::geo::Screen;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointerKind {
    Mouse,
    Touch,
    Pen,
}

/// Map keys the map reacts to while it has focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Left,
    Right,
    Up,
    Down,
    ZoomIn,
    ZoomOut,
}

impl Key {
    /// The DOM `KeyboardEvent.key` value -> map key.
    pub fn from_dom(key: &str) -> Option<Key> {
        Some(match key {
            "ArrowLeft" => Key::Left,
            "ArrowRight" => Key::Right,
            "ArrowUp" => Key::Up,
            "ArrowDown" => Key::Down,
            "+" | "=" | "Add" => Key::ZoomIn,
            "-" | "_" | "Subtract" => Key::ZoomOut,
            _ => return None,
        })
    }
}

/// Raw input, in container CSS pixels and milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    Down {
        id: i32,
        pos: Screen,
        t: f64,
        kind: PointerKind,
    },
    Move {
        id: i32,
        pos: Screen,
        t: f64,
    },
    Up {
        id: i32,
        pos: Screen,
        t: f64,
    },
    Cancel {
        id: i32,
    },
    /// A wheel event with its delta already in pixels. `ctrl` is set for trackpad pinches.
    Wheel {
        delta_y: f64,
        pos: Screen,
        ctrl: bool,
    },
    Key(Key),
}

/// What the viewport should do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    /// Move the content by this many pixels.
    Pan { dx: f64, dy: f64 },
    /// Multiply the scale by `factor` keeping `anchor` fixed (`None`: the container centre).
    Zoom { factor: f64, anchor: Option<Screen> },
    /// A short press without movement: select a place.
    Tap { pos: Screen },
    /// Zoom in one level about `pos`.
    DoubleTap { pos: Screen },
    /// Release of a drag with this velocity (px/ms): start coasting.
    Fling { vx: f64, vy: f64 },
    /// A one-finger touch drag on an embedded map: the page scrolls, tell the user to use two.
    TwoFingerHint,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Movement (px) under which a press is still a tap: mouse and pen.
    pub tap_slop: f64,
    /// The same for touch, where fingers wobble more.
    pub touch_tap_slop: f64,
    /// Two taps closer than this (ms and px) are a double tap.
    pub double_tap_ms: f64,
    pub double_tap_slop: f64,
    /// Whether one finger pans (full screen) or leaves the page to scroll (embedded).
    pub one_finger_pans: bool,
    /// Pixels one arrow key press moves the map.
    pub key_pan_px: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tap_slop: 4.0,
            touch_tap_slop: 10.0,
            double_tap_ms: 300.0,
            double_tap_slop: 30.0,
            one_finger_pans: true,
            key_pan_px: 80.0,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Pointer {
    id: i32,
    pos: Screen,
    kind: PointerKind,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    Idle,
    /// One pointer down, not yet moved beyond the slop.
    Pressed {
        start: Screen,
        t: f64,
    },
    Dragging,
    /// One touch finger moved on an embedded map: ignored until released.
    Ignored,
    Pinching {
        dist: f64,
        mid: Screen,
    },
}

#[derive(Clone, Debug)]
pub struct GestureRecognizer {
    pub options: Options,
    pointers: Vec<Pointer>,
    phase: Phase,
    last_tap: Option<(Screen, f64)>,
    /// Recent (position, time) samples of the dragging pointer, for the fling velocity.
    samples: Vec<(Screen, f64)>,
}

fn distance(a: Screen, b: Screen) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

fn midpoint(a: Screen, b: Screen) -> Screen {
    Screen::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0)
}

/// Velocity is measured over this window before release.
const VELOCITY_WINDOW_MS: f64 = 100.0;
/// A pause longer than this before release means "no fling".
const FLING_MAX_PAUSE_MS: f64 = 50.0;

impl GestureRecognizer {
    pub fn new(options: Options) -> Self {
        GestureRecognizer {
            options,
            pointers: Vec::new(),
            phase: Phase::Idle,
            last_tap: None,
            samples: Vec::new(),
        }
    }

    /// True while a finger or button is down (the map should not coast then).
    pub fn is_active(&self) -> bool {
        !self.pointers.is_empty()
    }

    pub fn handle(&mut self, input: Input) -> Vec<Command> {
        match input {
            Input::Down { id, pos, t, kind } => self.down(id, pos, t, kind),
            Input::Move { id, pos, t } => self.moved(id, pos, t),
            Input::Up { id, pos, t } => self.up(id, pos, t),
            Input::Cancel { id } => {
                self.pointers.retain(|p| p.id != id);
                self.restart_phase();
                vec![]
            }
            Input::Wheel { delta_y, pos, ctrl } => {
                // A mouse wheel notch is about 100 px: a third of a zoom level. Trackpad pinches
                // arrive as ctrl+wheel with small deltas and need more gain.
                let per_level = if ctrl { 100.0 } else { 300.0 };
                vec![Command::Zoom {
                    factor: (-delta_y / per_level).exp2(),
                    anchor: Some(pos),
                }]
            }
            Input::Key(key) => {
                let d = self.options.key_pan_px;
                vec![match key {
                    // The arrow shows more of that direction: the content moves the other way.
                    Key::Left => Command::Pan { dx: d, dy: 0.0 },
                    Key::Right => Command::Pan { dx: -d, dy: 0.0 },
                    Key::Up => Command::Pan { dx: 0.0, dy: d },
                    Key::Down => Command::Pan { dx: 0.0, dy: -d },
                    Key::ZoomIn => Command::Zoom {
                        factor: 2.0,
                        anchor: None,
                    },
                    Key::ZoomOut => Command::Zoom {
                        factor: 0.5,
                        anchor: None,
                    },
                }]
            }
        }
    }

    fn down(&mut self, id: i32, pos: Screen, t: f64, kind: PointerKind) -> Vec<Command> {
        self.pointers.retain(|p| p.id != id);
        self.pointers.push(Pointer { id, pos, kind });
        match self.pointers.len() {
            1 => {
                self.phase = Phase::Pressed { start: pos, t };
                self.samples.clear();
                self.samples.push((pos, t));
            }
            _ => self.start_pinch(),
        }
        vec![]
    }

    fn start_pinch(&mut self) {
        let (a, b) = (self.pointers[0].pos, self.pointers[1].pos);
        self.phase = Phase::Pinching {
            dist: distance(a, b).max(1.0),
            mid: midpoint(a, b),
        };
    }

    /// After a pointer leaves mid-gesture, continue with what is left.
    fn restart_phase(&mut self) {
        self.samples.clear();
        self.phase = match self.pointers.len() {
            0 => Phase::Idle,
            1 if self.pointers[0].kind == PointerKind::Touch && !self.options.one_finger_pans => {
                Phase::Ignored
            }
            1 => Phase::Dragging,
            _ => {
                self.start_pinch();
                self.phase
            }
        };
    }

    fn moved(&mut self, id: i32, pos: Screen, t: f64) -> Vec<Command> {
        let Some(index) = self.pointers.iter().position(|p| p.id == id) else {
            return vec![]; // hover, or a pointer that went down elsewhere
        };
        let previous = self.pointers[index].pos;
        self.pointers[index].pos = pos;
        let kind = self.pointers[index].kind;
        match self.phase {
            Phase::Idle | Phase::Ignored => vec![],
            Phase::Pressed { start, .. } => {
                let slop = if kind == PointerKind::Touch {
                    self.options.touch_tap_slop
                } else {
                    self.options.tap_slop
                };
                if distance(start, pos) <= slop {
                    return vec![];
                }
                if kind == PointerKind::Touch && !self.options.one_finger_pans {
                    self.phase = Phase::Ignored;
                    return vec![Command::TwoFingerHint];
                }
                self.phase = Phase::Dragging;
                self.sample(pos, t);
                vec![Command::Pan {
                    dx: pos.x - start.x,
                    dy: pos.y - start.y,
                }]
            }
            Phase::Dragging => {
                self.sample(pos, t);
                vec![Command::Pan {
                    dx: pos.x - previous.x,
                    dy: pos.y - previous.y,
                }]
            }
            Phase::Pinching { dist, mid } => {
                let (a, b) = (self.pointers[0].pos, self.pointers[1].pos);
                let new_dist = distance(a, b).max(1.0);
                let new_mid = midpoint(a, b);
                self.phase = Phase::Pinching {
                    dist: new_dist,
                    mid: new_mid,
                };
                vec![
                    Command::Pan {
                        dx: new_mid.x - mid.x,
                        dy: new_mid.y - mid.y,
                    },
                    Command::Zoom {
                        factor: new_dist / dist,
                        anchor: Some(new_mid),
                    },
                ]
            }
        }
    }

    fn sample(&mut self, pos: Screen, t: f64) {
        self.samples.push((pos, t));
        self.samples.retain(|&(_, st)| t - st <= VELOCITY_WINDOW_MS);
    }

    fn up(&mut self, id: i32, pos: Screen, t: f64) -> Vec<Command> {
        if !self.pointers.iter().any(|p| p.id == id) {
            return vec![];
        }
        self.pointers.retain(|p| p.id != id);
        let out = match self.phase {
            Phase::Pressed { .. } => {
                let double = self.last_tap.is_some_and(|(p, lt)| {
                    t - lt <= self.options.double_tap_ms
                        && distance(p, pos) <= self.options.double_tap_slop
                });
                if double {
                    self.last_tap = None;
                    vec![Command::DoubleTap { pos }]
                } else {
                    self.last_tap = Some((pos, t));
                    vec![Command::Tap { pos }]
                }
            }
            Phase::Dragging if self.pointers.is_empty() => self.fling(pos, t),
            _ => vec![],
        };
        self.restart_phase();
        out
    }

    fn fling(&self, pos: Screen, t: f64) -> Vec<Command> {
        let Some(&(first, t0)) = self.samples.first() else {
            return vec![];
        };
        let last_t = self.samples.last().map_or(t0, |s| s.1);
        let dt = t - t0;
        if t - last_t > FLING_MAX_PAUSE_MS || dt <= 0.0 {
            return vec![];
        }
        vec![Command::Fling {
            vx: (pos.x - first.x) / dt,
            vy: (pos.y - first.y) / dt,
        }]
    }
}
