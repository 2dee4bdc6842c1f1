//! Every user-facing string, one table per language ([`Strings`], in `strings.rs`), and the
//! staff view's own table ([`StaffStrings`]), which the residents' widget does not carry. Adding a
//! language is one file here, its `mod` line below, and its [`Lang`] variant, tag and table in
//! `lang.rs`.
//!
//! Labels of typed values are methods on [`Strings`] (`s.category(c)`, `s.dialogue_kind(k)`, …).
//! The two that label the widget's own types are defined beside those types, so that i18n
//! depends on nothing else in the widget: `Strings::problem` in `model::report` and
//! `Strings::api_error` (the one function from a failed request to a message) in `api::error`.

mod en;
mod lang;
mod strings;
mod sv;

pub use lang::Lang;
pub use strings::{fill, fill_count, lowercase, StaffStrings, Strings};
