//! The staff view's pieces (`/personal`, its own bundle; the root is `staff_app.rs`).
//!
//! The shell (`shell.rs`) gives every section its own address (`/personal/{section}`), the
//! navigation, and the selection that lives in the address; which sections exist and who has
//! them is `model::staff_route`. The sections:
//!
//! | section | address | file |
//! |---|---|---|
//! | Lägesbild | `/personal/lagesbild` | `lagesbild.rs`, `lagesbild_charts.rs`, `lagesbild_compare.rs`, `lagesbild_places.rs`, `lagesbild_print.rs` |
//! | Markeringar | `/personal/markeringar` | `planner/` (filters, map, chosen pin, answers, exports, paged list) |
//! | Åtgärder | `/personal/atgarder` | `actions.rs` (list, notes) and `action_editor.rs` |
//! | Dialoger | `/personal/dialoger` | `dialogues.rs`, `dialogue_editor.rs`, `dialogue_close.rs` |
//! | Konton | `/personal/konton` | `accounts.rs` |
//!
//! Besides: `login`, the login form; `filters` is in `planner/` and shared by the sections
//! that filter.

use leptos::prelude::*;

use crate::geo::LonLat;
use crate::model::action_form::ActionForm;
use crate::model::pin_list::ListView;
use crate::model::staff::FilterForm;

pub mod accounts;
mod action_editor;
pub mod actions;
mod dialogue_close;
mod dialogue_editor;
pub mod dialogues;
mod form_error;
pub mod lagesbild;
mod lagesbild_charts;
mod lagesbild_compare;
mod lagesbild_places;
mod lagesbild_print;
pub mod login;
pub mod planner;
pub mod shell;

/// "Planera dialog här": a place and its name for the dialogue editor to open with. Provided by
/// the staff root, set by the hotspot list, read by the dialogue sessions (the shell moves to
/// Dialoger when it is set).
#[derive(Clone, Copy)]
pub struct PlanAt(pub RwSignal<Option<(LonLat, String)>>);

/// "Skapa åtgärd här": a new action prefilled from a hotspot (its outline, its pins, its name).
/// Provided by the staff root, set by the hotspot list, read by Åtgärder (the shell moves there
/// when it is set).
#[derive(Clone, Copy)]
pub struct ActionAt(pub RwSignal<Option<ActionForm>>);

/// The selection, one for the whole session and kept in the address: the filters (used by
/// Lägesbild and Markeringar) and the pin list's sort and page. Provided by the shell
/// (`shell::provide_staff_state`).
#[derive(Clone, Copy)]
pub struct Selection {
    pub form: RwSignal<FilterForm>,
    /// `form`'s query string, for the API.
    pub query: Memo<String>,
    pub list: RwSignal<ListView>,
    /// Bumped after a change to pins, so what shows them loads again.
    pub version: RwSignal<u32>,
}

impl Selection {
    /// Changes the filters (a new selection starts on the list's first page).
    pub fn edit(&self, change: impl FnOnce(&mut FilterForm)) {
        self.form.update(change);
        self.list.update(|l| l.page = 1);
    }

    pub fn reload(&self) {
        self.version.update(|v| *v += 1);
    }
}
