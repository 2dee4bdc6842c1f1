//! Pure view-models: formatting and validation the components show.

pub mod dialogue;
