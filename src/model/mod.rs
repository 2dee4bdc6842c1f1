//! Pure view-models: formatting, validation and device-side state the components show.

pub mod accounts;
pub mod action_form;
pub mod answer;
pub mod chart;
pub mod dialogue;
pub mod followup;
pub mod lagesbild;
pub mod marker_html;
pub mod mine;
pub mod options;
pub mod outbox;
pub mod pin_list;
pub mod report;
pub mod staff;
pub mod staff_route;
