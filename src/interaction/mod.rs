//! Pure input handling (after galileo's control pipeline): raw pointer, wheel and key input ->
//! recognised gestures -> commands on the viewport. The map component only translates DOM events
//! into [`gesture::Input`] and applies the [`gesture::Command`]s it gets back.

pub mod gesture;
pub mod inertia;
