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
    pub report_start: &'static str,
    pub report_without_map: &'static str,
    pub placing_hint: &'static str,
    pub choose_here: &'static str,
    pub cancel: &'static str,
    pub close: &'static str,
    pub outside_kommun: &'static str,
    pub form_heading: &'static str,
    pub form_heading_list: &'static str,
    pub category_legend: &'static str,
    pub cat_traffic: &'static str,
    pub cat_drugs: &'static str,
    pub cat_lighting: &'static str,
    pub cat_disorder: &'static str,
    pub cat_vandalism: &'static str,
    pub cat_other: &'static str,
    pub time_legend: &'static str,
    pub tod_day: &'static str,
    pub tod_evening: &'static str,
    pub tod_night: &'static str,
    pub tod_all_day: &'static str,
    pub comment_label: &'static str,
    pub comment_counter: &'static str,
    pub comment_notice: &'static str,
    pub place_label: &'static str,
    pub place_choose: &'static str,
    pub place_description_label: &'static str,
    pub honeypot_label: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub sent: &'static str,
    pub saved_offline: &'static str,
    pub delivered_later: &'static str,
    pub err_category: &'static str,
    pub err_time: &'static str,
    pub err_comment: &'static str,
    pub err_place: &'static str,
    pub err_rate: &'static str,
    pub err_generic: &'static str,
    pub nearby: &'static str,
    pub agree: &'static str,
    pub send_own: &'static str,
    pub agreed: &'static str,
    pub mine_heading: &'static str,
    pub mine_empty: &'static str,
    pub mine_delete: &'static str,
    pub mine_pending: &'static str,
    pub mine_show: &'static str,
    pub deleted: &'static str,
    pub delete_failed: &'static str,
    pub cluster_label: &'static str,
    pub agree_count: &'static str,
    pub reported_on: &'static str,
    pub near_you: &'static str,
    pub near_you_hint: &'static str,
    pub staff_title: &'static str,
    pub login_heading: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub login: &'static str,
    pub logout: &'static str,
    pub login_failed: &'static str,
    pub too_many_attempts: &'static str,
    pub logged_in_as: &'static str,
    pub staff_dialogues: &'static str,
    pub new_dialogue: &'static str,
    pub edit: &'static str,
    pub cancel_dialogue: &'static str,
    pub cancel_reason_label: &'static str,
    pub confirm_cancel: &'static str,
    pub save: &'static str,
    pub title_label: &'static str,
    pub description_label: &'static str,
    pub date_label: &'static str,
    pub start_label: &'static str,
    pub end_label: &'static str,
    pub place_name_label: &'static str,
    pub place_pick: &'static str,
    pub place_picked: &'static str,
    pub kind_label: &'static str,
    pub organiser_label: &'static str,
    pub online_url_label: &'static str,
    pub registration_url_label: &'static str,
    pub saved: &'static str,
    pub cancelled_done: &'static str,
    pub no_tools: &'static str,
    pub err_required: &'static str,
    pub err_too_long: &'static str,
    pub err_when: &'static str,
    pub err_end: &'static str,
    pub err_url: &'static str,
    pub err_place_pick: &'static str,
    pub past_label: &'static str,
    pub back_to_map: &'static str,
    pub add_to_calendar: &'static str,
    pub subscribe_calendar: &'static str,
    pub show_on_map: &'static str,
    pub dialogue_marker: &'static str,
    pub cancel_reason: &'static str,
    pub registration: &'static str,
    pub join_online: &'static str,
    pub my_position: &'static str,
    pub position_outside: &'static str,
    pub position_denied: &'static str,
    pub position_failed: &'static str,
    pub planner_pins: &'static str,
    pub filters: &'static str,
    pub filter_from: &'static str,
    pub filter_to: &'static str,
    pub filter_categories: &'static str,
    pub filter_times: &'static str,
    pub filter_area: &'static str,
    pub all_areas: &'static str,
    pub include_hidden: &'static str,
    pub clear_filters: &'static str,
    pub result_count: &'static str,
    pub list_truncated: &'static str,
    pub hidden_badge: &'static str,
    pub approved_badge: &'static str,
    pub no_comment: &'static str,
    pub agrees: &'static str,
    pub hide: &'static str,
    pub restore: &'static str,
    pub approve: &'static str,
    pub unapprove: &'static str,
    pub edit_comment: &'static str,
    pub edit_comment_hint: &'static str,
    pub reason_label: &'static str,
    pub confirm_hide: &'static str,
    pub confirm_restore: &'static str,
    pub history: &'static str,
    pub history_empty: &'static str,
    pub action_hide: &'static str,
    pub action_restore: &'static str,
    pub action_approve: &'static str,
    pub action_unapprove: &'static str,
    pub action_edit: &'static str,
    pub action_status: &'static str,
    pub moderation_done: &'static str,
    pub exports: &'static str,
    pub export_geojson: &'static str,
    pub export_csv: &'static str,
    pub export_xlsx: &'static str,
    pub export_note: &'static str,
    pub hotspots: &'static str,
    pub hotspots_intro: &'static str,
    pub no_hotspots: &'static str,
    pub plan_dialogue: &'static str,
    pub mostly: &'static str,
    pub from_place: &'static str,
    pub marked_on: &'static str,
    pub loading: &'static str,
    pub hotspot_count: &'static str,
    /// The name of this language, in itself, for the language switch.
    pub switch_language: &'static str,
    pub selected_pin: &'static str,
}

/// Puts a number into a string with `{n}`.
pub fn fill(template: &str, n: impl std::fmt::Display) -> String {
    template.replace("{n}", &n.to_string())
}

use trygghetskarta_shared::{Category, TimeOfDay};

impl Strings {
    pub fn category(&self, c: Category) -> &'static str {
        match c {
            Category::Traffic => self.cat_traffic,
            Category::Drugs => self.cat_drugs,
            Category::Lighting => self.cat_lighting,
            Category::Disorder => self.cat_disorder,
            Category::Vandalism => self.cat_vandalism,
            Category::Other => self.cat_other,
        }
    }

    pub fn time_of_day(&self, t: TimeOfDay) -> &'static str {
        match t {
            TimeOfDay::Day => self.tod_day,
            TimeOfDay::Evening => self.tod_evening,
            TimeOfDay::Night => self.tod_night,
            TimeOfDay::AllDay => self.tod_all_day,
        }
    }
}
