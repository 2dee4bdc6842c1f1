//! Thin Leptos components: they wire DOM events and signals to the pure modules. They use
//! `context`, the platform glue and the pure core, never a root (`app.rs`, `staff_app.rs`).
//!
//! - the map: `map_view` (gestures and wiring), `map_layout` (what layers find in context),
//!   `basemap_layer`, `tile_layer`, `pin_layer`, `map_controls`;
//! - residents: `header`, `report/`, `dialogue_list`, `updates` ("Vad händer?"), `action_layer`,
//!   `lists` (what they show, loaded after the first screen);
//! - staff (`/personal`): `staff/`.

pub mod action_layer;
pub mod basemap_layer;
pub mod dialogue_list;
pub mod header;
pub mod lists;
pub mod map_controls;
pub mod map_layout;
pub mod map_view;
pub mod part;
pub mod pin_layer;
pub mod pin_tiles;
pub mod report;
pub mod staff;
pub mod tile_layer;
pub mod updates;
