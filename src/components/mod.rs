//! Thin Leptos components: they wire DOM events and signals to the pure modules. They use
//! `context`, the platform glue and the pure core, never a root (`app.rs`, `staff_app.rs`).

pub mod basemap_layer;
pub mod dialogue_list;
pub mod header;
pub mod map_controls;
pub mod map_layout;
pub mod map_view;
pub mod pin_layer;
pub mod planner;
pub mod report;
pub mod staff;
pub mod tile_layer;
