//! Every user-facing string, one table per language. Adding a language is one file here plus one
//! line in [`Lang::strings`].

mod en;
mod sv;

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
}

pub struct Strings {
    pub app_title: &'static str,
    pub kommun_name: &'static str,
    pub intro: &'static str,
    pub map_label: &'static str,
    pub map_roledescription: &'static str,
    pub map_keyboard_help: &'static str,
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub fullscreen_enter: &'static str,
    pub fullscreen_exit: &'static str,
    pub two_finger_hint: &'static str,
    pub basemap_loading: &'static str,
    pub basemap_failed: &'static str,
    pub dialogues_heading: &'static str,
    pub dialogues_loading: &'static str,
    pub dialogues_empty: &'static str,
    pub dialogues_failed: &'static str,
    pub cancelled: &'static str,
    pub weekdays: [&'static str; 7],
    pub months: [&'static str; 12],
    /// "kl." before a time in Swedish, "" in English.
    pub clock_prefix: &'static str,
    pub kind_meeting: &'static str,
    pub kind_walk: &'static str,
    pub kind_online: &'static str,
    pub organiser_kommun: &'static str,
    pub organiser_polis: &'static str,
    pub organiser_both: &'static str,
}
