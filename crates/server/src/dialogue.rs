//! Dialogue sessions: validation of what organisers send, and the public form.

use std::str::FromStr;

use jiff::Timestamp;
use trygghetskarta_shared::staff::MAX_REASON_CHARS;
use trygghetskarta_shared::{DialogueInput, DialogueKind};

use crate::area;
use crate::error::{ApiResult, AppError};
use crate::pins::clean_text;
use crate::storage::DialogueRow;

pub const MAX_TITLE: usize = 120;
pub const MAX_DESCRIPTION: usize = 5000;
pub const MAX_PLACE: usize = 120;
pub const MAX_URL: usize = 500;
/// Longest session: a day.
pub const MAX_DURATION_SECS: i64 = 24 * 3600;

/// One line of text: required, trimmed, no line breaks, at most `max` characters.
fn line(field: &str, text: String, max: usize) -> ApiResult<String> {
    let text = clean_text(field, Some(text.replace('\n', " ")), max)?;
    text.ok_or_else(|| AppError::invalid("required", field, "This field is required."))
}

fn time(field: &str, text: &str) -> ApiResult<i64> {
    Timestamp::from_str(text.trim())
        .map(|t| t.as_second())
        .map_err(|_| {
            AppError::validation(
                field,
                "Give the time as RFC 3339 with its offset, e.g. 2026-05-12T18:00:00+02:00.",
            )
        })
}

fn url(field: &str, text: Option<String>) -> ApiResult<Option<String>> {
    let Some(text) = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let ok = (text.starts_with("https://") || text.starts_with("http://"))
        && text.len() <= MAX_URL
        && !text.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(Some(text))
    } else {
        Err(AppError::validation(
            field,
            format!("Give a web address starting with https:// (at most {MAX_URL} characters)."),
        ))
    }
}

/// Checks an organiser's input and gives the row to store (id, timestamps and status are the
/// caller's).
pub fn validate(input: DialogueInput, id: String, now: i64) -> ApiResult<DialogueRow> {
    let title = line("title", input.title, MAX_TITLE)?;
    let description =
        clean_text("description", Some(input.description), MAX_DESCRIPTION)?.unwrap_or_default();
    let starts_at = time("starts_at", &input.starts_at)?;
    let ends_at = time("ends_at", &input.ends_at)?;
    if ends_at <= starts_at {
        return Err(AppError::validation(
            "ends_at",
            "The end must be after the start.",
        ));
    }
    if ends_at - starts_at > MAX_DURATION_SECS {
        return Err(AppError::validation(
            "ends_at",
            "A session lasts at most 24 hours.",
        ));
    }
    let place_name = line("place_name", input.place_name, MAX_PLACE)?;
    if !input.lat.is_finite() || !input.lon.is_finite() || !area::in_kommun(input.lat, input.lon) {
        return Err(AppError::invalid(
            "outside_area",
            "lat",
            "The place is outside Arboga kommun.",
        ));
    }
    let online_url = url("online_url", input.online_url)?;
    if input.kind == DialogueKind::Online && online_url.is_none() {
        return Err(AppError::invalid(
            "required",
            "online_url",
            "An online meeting needs its link.",
        ));
    }
    let registration_url = url("registration_url", input.registration_url)?;
    Ok(DialogueRow {
        id,
        title,
        description,
        starts_at,
        ends_at,
        place_name,
        lat: input.lat,
        lon: input.lon,
        kind: input.kind.code().to_owned(),
        organiser: input.organiser.code().to_owned(),
        online_url,
        registration_url,
        status: "planned".to_owned(),
        cancel_reason: None,
        sequence: 0,
        created_at: now,
        updated_at: now,
        outcome: Default::default(),
    })
}

/// The reason a session is cancelled: required, at most [`MAX_REASON_CHARS`] characters.
pub fn cancel_reason(reason: String) -> ApiResult<String> {
    clean_text("reason", Some(reason), MAX_REASON_CHARS)?
        .ok_or_else(|| AppError::invalid("required", "reason", "Say why the session is cancelled."))
}
