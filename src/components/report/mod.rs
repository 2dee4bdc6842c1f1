//! The resident's report flow: place a pin (crosshair or tap), fill the form, send — or keep it
//! on the device until the network is back. Also "Mina markeringar" and the chosen-pin panel.
//!
//! - `state`: [`ReportState`] in context, with the flow's steps as methods (choose the place,
//!   send, agree, close, the outbox);
//! - `form`: the start buttons, the placing bar and the form;
//! - `overlay`: the crosshair and draft pin in the map, and the map's tap and Enter;
//! - `selected_pin`, `my_pins`: the chosen public pin and this device's own.

mod form;
mod my_pins;
mod notify;
mod overlay;
mod selected_pin;
mod state;

pub use form::ReportFlow;
pub use my_pins::{my_pins_part, NewAnswers, MINE_HEADING};
pub use overlay::{map_handlers, MyPinsLayer, ReportOverlay};
pub use selected_pin::{Answer, SelectedPin};
pub use state::{outbox_part, ReportState};
