//! The staff view's pieces (`/personal`, its own bundle; the root is `staff_app.rs`):
//!
//! - `login`: the login form;
//! - `dialogues`: the organisers' sessions — list (past ones too), create, edit, cancel with a
//!   reason — and `dialogue_editor`, the form with the place picked on the map;
//! - `planner`: the planners' pins, moderation, hotspots and exports.

use leptos::prelude::*;

use crate::geo::LonLat;

mod dialogue_editor;
pub mod dialogues;
pub mod login;
pub mod planner;

/// "Planera dialog här": a place and its name for the dialogue editor to open with. Provided by
/// the staff root, set by the hotspot list, read by the dialogue sessions.
#[derive(Clone, Copy)]
pub struct PlanAt(pub RwSignal<Option<(LonLat, String)>>);
