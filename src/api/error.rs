//! A failed request, and the one place that turns it into what the resident or staff member
//! reads.

use crate::i18n::{StaffStrings, Strings};

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, DNS, connection refused. (The browser's message is not kept: no one
    /// reads it, and gloo's error printer would bring serde_json's into the first screen.)
    Network,
    /// The server answered with its error body.
    Server {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
    /// The answer (or the request) could not be read or made: what it was. Not the parser's
    /// message: that would put serde_json's error printer in the residents' first screen, and
    /// no one reads it (the widget shows the Swedish message of `Strings::api_error`).
    Decode(&'static str),
}

impl ApiError {
    /// Worth trying again later: no network, or the server failed (5xx) or asked us to wait (429).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network => true,
            ApiError::Server { status, .. } => *status >= 500 || *status == 429,
            ApiError::Decode(_) => false,
        }
    }

    /// The request field the server's answer is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Server { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

/// What the widget asked for when the request failed: the same answer reads differently in each
/// form (a 429 is "wait a moment" for a report and "too many attempts" for a login).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Sending a report (failures that are not kept in the outbox to retry).
    Report,
    /// "Jag känner likadant" from the report form's nearby prompt.
    Agree,
    /// Saving a dialogue session: the message belongs beside the field the server names.
    Dialogue,
    /// A moderation step, or loading the pins, in the planners' view.
    Planner,
    /// Logging in to the staff view.
    Login,
    /// Creating or changing a staff account (Konton); the message belongs beside the field the
    /// server names.
    Account,
    /// Återkoppling: answering pins (one or many), saving an action or its note, closing a
    /// dialogue with "Vad vi hörde"; the message belongs beside the field the server names.
    Followup,
}

impl Strings {
    /// The message for a failed request of the residents' widget (a report, an agree). The
    /// staff view's attempts are worded by [`StaffStrings::api_error`], from the staff table
    /// the residents' widget does not carry; here they get the generic message.
    pub fn api_error(&self, attempt: Attempt, e: &ApiError) -> &'static str {
        let Some((status, code, field)) = server_error(e) else {
            return self.err_generic;
        };
        match attempt {
            Attempt::Report => match (status, code, field) {
                (429, _, _) => self.err_rate,
                (_, "outside_area", _) => self.outside_kommun,
                (_, _, Some("comment")) => self.err_comment,
                (_, _, Some("category")) => self.err_category,
                (_, _, Some("time_of_day")) => self.err_time,
                (_, _, Some("notify_email")) => self.err_email,
                _ => self.err_generic,
            },
            Attempt::Agree => match status {
                429 => self.err_rate,
                _ => self.err_generic,
            },
            _ => self.err_generic,
        }
    }
}

/// The status, code and field of the server's error answer; `None` when there was none.
fn server_error(e: &ApiError) -> Option<(u16, &str, Option<&str>)> {
    match e {
        ApiError::Server {
            status,
            code,
            field,
            ..
        } => Some((*status, code.as_str(), field.as_deref())),
        _ => None,
    }
}

impl StaffStrings {
    /// The message for a failed request: every form's table in one place, so a new error code
    /// is handled once.
    pub fn api_error(&self, attempt: Attempt, e: &ApiError) -> &'static str {
        let Some((status, code, field)) = server_error(e) else {
            return self.err_generic;
        };
        match attempt {
            Attempt::Report | Attempt::Agree => self.common.api_error(attempt, e),
            Attempt::Dialogue => self.dialogue_field_error(field.unwrap_or_default(), code),
            Attempt::Planner => match (code, field) {
                (_, Some("reason")) => self.err_required,
                ("too_long", _) => self.err_too_long,
                _ => self.err_generic,
            },
            Attempt::Account => match (code, field) {
                ("taken", _) => self.err_username_taken,
                (_, Some("username")) => self.err_username,
                (_, Some("password")) => self.err_password_short,
                _ => self.err_account,
            },
            Attempt::Followup => match status {
                403 => self.err_forbidden,
                _ => self.followup_field_error(field.unwrap_or_default(), code),
            },
            Attempt::Login => match status {
                429 => self.too_many_attempts,
                401 => self.login_failed,
                _ => self.err_generic,
            },
        }
    }

    /// The dialogue editor's message for a field and an error code: the server's answer, or the
    /// editor's own check before sending (code `required`).
    pub fn dialogue_field_error(&self, field: &str, code: &str) -> &'static str {
        match (field, code) {
            (_, "outside_area") => self.outside_kommun,
            ("place", _) => self.err_place_pick,
            (_, "required") => self.err_required,
            (_, "too_long") => self.err_too_long,
            ("starts_at", _) => self.err_when,
            ("ends_at", _) => self.err_end,
            ("online_url" | "registration_url", _) => self.err_url,
            _ => self.err_generic,
        }
    }

    /// The återkoppling forms' message for a field and an error code: the server's answer, or
    /// the form's own check before sending (`model::answer`, `model::action_form`).
    pub fn followup_field_error(&self, field: &str, code: &str) -> &'static str {
        match (field, code) {
            ("area", _) => self.err_area,
            (_, "outside_area") => self.outside_kommun,
            (_, "too_long") => self.err_too_long,
            ("reason", _) => self.err_reason_choose,
            ("response", "required") => self.err_response_required,
            ("pins", "required") => self.err_pins_choose,
            ("pins", _) => self.err_pins_missing,
            ("pin_ids", _) => self.err_pin_ids,
            ("party_name", _) => self.err_party_name,
            ("place" | "lat" | "lon", _) => self.err_action_place,
            ("target_on", "before_start") => self.err_target_before,
            ("starts_on" | "target_on", _) => self.err_date,
            ("cancel_reason", _) => self.err_cancel_reason,
            ("dialogues", _) => self.err_dialogues_missing,
            ("participants", _) => self.err_participants,
            (_, "not_ended") => self.err_not_ended,
            ("title" | "summary" | "text", _) => self.err_required,
            (_, "required") => self.err_required,
            _ => self.err_generic,
        }
    }
}
