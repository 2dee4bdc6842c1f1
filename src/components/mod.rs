//! Thin Leptos components: they wire DOM events and signals to the pure modules.

pub mod dialogue_list;
pub mod map_view;
pub mod pin_layer;
pub mod planner;
pub mod report;
pub mod staff;
pub mod tile_layer;
