//! The widget's languages and how one is chosen.

use super::strings::{StaffStrings, Strings};
use super::{en, sv};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    /// A BCP 47 tag -> language; anything not English is Swedish (the kommun's language).
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Sv
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Sv => &sv::STRINGS,
            Lang::En => &en::STRINGS,
        }
    }

    /// The staff view's strings (its own table, with [`Strings`] inside).
    pub fn staff_strings(self) -> &'static StaffStrings {
        match self {
            Lang::Sv => &sv::STAFF,
            Lang::En => &en::STAFF,
        }
    }
}
