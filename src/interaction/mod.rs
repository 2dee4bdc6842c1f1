//! Pure input handling (after galileo's control pipeline): raw pointer, wheel and key input ->
//! recognised gestures -> commands -> the map policy that applies them to the viewport. The map
//! component only translates DOM events into [`gesture::Input`] and hands the
//! [`gesture::Command`]s it gets back to [`controller::apply`].

pub mod controller;
pub mod gesture;
pub mod inertia;
pub mod pick;
