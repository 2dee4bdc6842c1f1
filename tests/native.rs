//! The widget's native tests (plain Rust logic: model, geo, interaction, formats), one binary.
//! The browser tests are `web.rs`. Run one area with `cargo test --test native geo::`.

mod accounts;
mod action_pick;
mod api_error;
mod basemap;
mod cluster;
mod controller;
mod dialogue_form;
mod dialogue_format;
mod followup_model;
mod followup_staff;
mod geo;
mod gesture;
mod i18n;
mod lagesbild;
mod options;
mod pin_list;
mod pin_tiles;
mod report;
mod staff_model;
mod staff_route;
