//! Coasting after a fling: the content keeps moving and slows down exponentially.

/// Below this speed (px/ms) coasting stops.
const MIN_SPEED: f64 = 0.02;
/// Time constant of the decay (ms): after this long the speed is down to 37 %.
const TAU_MS: f64 = 325.0;
/// Flings are capped so a flick cannot throw the map out of the kommun in one go.
const MAX_SPEED: f64 = 4.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Motion {
    Idle,
    Coasting { vx: f64, vy: f64 },
}

impl Motion {
    /// Starts coasting with a release velocity (px/ms), unless it is too slow to matter.
    pub fn fling(vx: f64, vy: f64) -> Motion {
        let speed = vx.hypot(vy);
        if speed < MIN_SPEED * 2.0 {
            return Motion::Idle;
        }
        let k = if speed > MAX_SPEED {
            MAX_SPEED / speed
        } else {
            1.0
        };
        Motion::Coasting {
            vx: vx * k,
            vy: vy * k,
        }
    }

    /// Advances by `dt` ms: the new motion and how far (px) the content moves in that time.
    pub fn step(self, dt: f64) -> (Motion, f64, f64) {
        match self {
            Motion::Idle => (Motion::Idle, 0.0, 0.0),
            Motion::Coasting { vx, vy } => {
                let dt = dt.clamp(0.0, 100.0);
                let decay = (-dt / TAU_MS).exp();
                // Exact integral of v·e^(-t/τ) over the step.
                let travelled = TAU_MS * (1.0 - decay);
                let (dx, dy) = (vx * travelled, vy * travelled);
                let (nvx, nvy) = (vx * decay, vy * decay);
                let next = if nvx.hypot(nvy) < MIN_SPEED {
                    Motion::Idle
                } else {
                    Motion::Coasting { vx: nvx, vy: nvy }
                };
                (next, dx, dy)
            }
        }
    }

    pub fn is_moving(self) -> bool {
        matches!(self, Motion::Coasting { .. })
    }
}
