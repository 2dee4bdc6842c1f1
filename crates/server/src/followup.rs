//! Återkoppling rules: what a state change, an action and a dialogue's outcome must look like
//! before anything is stored. Each failure names its field; nothing is written.

use jiff::civil::Date;
use trygghetskarta_shared::followup::{
    MAX_ACTION_TITLE_CHARS, MAX_BULK_PINS, MAX_RESPONSE_CHARS, MAX_SUMMARY_CHARS,
};
use trygghetskarta_shared::{
    ActionInput, ActionParty, ActionState, CloseDialogue, NoActionReason, Party, PinStatus,
    StatusChange,
};
use uuid::Uuid;

use crate::area;
use crate::error::{ApiResult, AppError};
use crate::pins::clean_text;
use crate::storage::{ActionRow, Answer, OutcomeRow, StatusWrite};

/// Longest name of another responsible party, and of free-text themes.
pub const MAX_NAME_CHARS: usize = 120;
pub const MAX_THEMES_CHARS: usize = 300;
/// Most corners of a drawn area.
pub const MAX_AREA_POINTS: usize = 500;
/// Most people a dialogue can have had.
pub const MAX_PARTICIPANTS: u32 = 100_000;

fn required(field: &str) -> AppError {
    AppError::invalid("required", field, "This field is required.")
}

/// A state change from its request: the reason goes with `no_action` only (and then is
/// required), an answer saying to whom it was passed or what "other" means is required with
/// those reasons, and the answer is at most 1000 characters.
pub fn status_write(change: StatusChange, actor: &str, now: i64) -> ApiResult<StatusWrite> {
    let reason = match (change.status, change.reason) {
        (PinStatus::NoAction, Some(r)) => Some(r),
        (PinStatus::NoAction, None) => {
            return Err(AppError::invalid(
                "required",
                "reason",
                "Say why nothing will be done.",
            ))
        }
        (_, Some(_)) => {
            return Err(AppError::validation(
                "reason",
                "A reason goes with no_action only.",
            ))
        }
        (_, None) => None,
    };
    let party = change.party.unwrap_or(Party::Kommun);
    let answer = match change.response {
        None => Answer::Keep,
        Some(text) => match clean_text("response", Some(text), MAX_RESPONSE_CHARS)? {
            Some(text) => Answer::Set {
                text,
                party: party.code().to_owned(),
            },
            None => Answer::Clear,
        },
    };
    if matches!(
        reason,
        Some(NoActionReason::NotOurs | NoActionReason::Other)
    ) && !matches!(answer, Answer::Set { .. })
    {
        return Err(AppError::invalid(
            "required",
            "response",
            "Say in the answer to whom it was passed on, or what the reason is.",
        ));
    }
    Ok(StatusWrite {
        status: change.status.code().to_owned(),
        reason: reason.map(|r| r.code().to_owned()),
        answer,
        actor: actor.to_owned(),
        now,
        via: None,
    })
}

/// At most [`MAX_BULK_PINS`] distinct ids, as stored.
pub fn pin_ids(field: &str, ids: &[Uuid]) -> ApiResult<Vec<String>> {
    if ids.len() > MAX_BULK_PINS {
        return Err(AppError::validation(
            field,
            format!("At most {MAX_BULK_PINS} pins at once."),
        ));
    }
    let mut out: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    out.sort();
    out.dedup();
    Ok(out)
}

fn one_line(field: &str, text: String, max: usize) -> ApiResult<String> {
    clean_text(field, Some(text.replace('\n', " ")), max)?.ok_or_else(|| required(field))
}

fn date(field: &str, value: Option<String>) -> ApiResult<Option<String>> {
    let Some(v) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let d: Date = v
        .parse()
        .map_err(|_| AppError::validation(field, "A date YYYY-MM-DD."))?;
    Ok(Some(d.to_string()))
}

/// A closed ring of `[lon, lat]` inside the map's area; closed here if it is not.
pub fn ring(points: Vec<[f64; 2]>) -> ApiResult<String> {
    let bad = |m: &str| AppError::validation("area", m.to_owned());
    let mut points = points;
    if points.first() != points.last() {
        if let Some(first) = points.first().copied() {
            points.push(first);
        }
    }
    if points.len() < 4 {
        return Err(bad("An area needs at least three corners."));
    }
    if points.len() > MAX_AREA_POINTS {
        return Err(bad("An area has at most 500 corners."));
    }
    if points
        .iter()
        .any(|[lon, lat]| !lon.is_finite() || !lat.is_finite() || !area::near_kommun(*lat, *lon))
    {
        return Err(AppError::invalid(
            "outside_area",
            "area",
            "The area reaches outside Arboga kommun.",
        ));
    }
    serde_json::to_string(&points).map_err(AppError::internal)
}

/// The stored action from its request (`id`, and `created_at` for a new one).
pub fn action_row(
    input: &ActionInput,
    id: &str,
    created_at: i64,
    now: i64,
) -> ApiResult<ActionRow> {
    let title = one_line("title", input.title.clone(), MAX_ACTION_TITLE_CHARS)?;
    let description = clean_text(
        "description",
        Some(input.description.clone()),
        MAX_SUMMARY_CHARS,
    )?
    .unwrap_or_default();
    let party_name = clean_text(
        "party_name",
        input.party_name.clone().map(|n| n.replace('\n', " ")),
        MAX_NAME_CHARS,
    )?;
    let party_name = match (input.party, party_name) {
        (ActionParty::Other, Some(n)) => Some(n),
        (ActionParty::Other, None) => return Err(required("party_name")),
        (_, Some(_)) => {
            return Err(AppError::validation(
                "party_name",
                "Name a party only when it is another one than kommun and police.",
            ))
        }
        (_, None) => None,
    };
    if !input.lat.is_finite() || !input.lon.is_finite() || !area::in_kommun(input.lat, input.lon) {
        return Err(AppError::invalid(
            "outside_area",
            "lat",
            "The place is outside Arboga kommun.",
        ));
    }
    let area = input.area.clone().map(ring).transpose()?;
    let starts_on = date("starts_on", input.starts_on.clone())?;
    let target_on = date("target_on", input.target_on.clone())?;
    if let (Some(s), Some(t)) = (&starts_on, &target_on) {
        if t < s {
            return Err(AppError::validation(
                "target_on",
                "The target date is before the start.",
            ));
        }
    }
    let cancel_reason = clean_text(
        "cancel_reason",
        input.cancel_reason.clone(),
        MAX_RESPONSE_CHARS,
    )?;
    let cancel_reason = match (input.state, cancel_reason) {
        (ActionState::Cancelled, Some(r)) => Some(r),
        (ActionState::Cancelled, None) => return Err(required("cancel_reason")),
        (_, Some(_)) => {
            return Err(AppError::validation(
                "cancel_reason",
                "A reason goes with a cancelled action only.",
            ))
        }
        (_, None) => None,
    };
    Ok(ActionRow {
        id: id.to_owned(),
        title,
        description,
        party: input.party.code().to_owned(),
        party_name,
        lat: input.lat,
        lon: input.lon,
        area,
        starts_on,
        target_on,
        state: input.state.code().to_owned(),
        cancel_reason,
        created_at,
        updated_at: now,
        state_changed_at: now,
    })
}

/// A progress note: 1–1000 characters.
pub fn note(text: String) -> ApiResult<String> {
    clean_text("text", Some(text), MAX_RESPONSE_CHARS)?.ok_or_else(|| required("text"))
}

/// A dialogue's outcome, which may only be written once it has ended.
pub fn outcome(input: &CloseDialogue, ends_at: i64, now: i64) -> ApiResult<OutcomeRow> {
    if now < ends_at {
        return Err(AppError::invalid(
            "not_ended",
            "closed",
            "A session can be closed with its outcome once it has ended.",
        ));
    }
    let summary = clean_text("summary", Some(input.summary.clone()), MAX_SUMMARY_CHARS)?
        .ok_or_else(|| required("summary"))?;
    if input.participants > MAX_PARTICIPANTS {
        return Err(AppError::validation(
            "participants",
            format!("At most {MAX_PARTICIPANTS}."),
        ));
    }
    let other = clean_text(
        "other_themes",
        input.other_themes.clone().map(|t| t.replace('\n', " ")),
        MAX_THEMES_CHARS,
    )?;
    let mut themes: Vec<&str> = input.themes.iter().map(|c| c.code()).collect();
    themes.sort();
    themes.dedup();
    Ok(OutcomeRow {
        closed_at: Some(now),
        outcome_summary: Some(summary),
        outcome_participants: Some(i64::from(input.participants)),
        outcome_themes: themes.join(","),
        outcome_other_themes: other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        status: PinStatus,
        reason: Option<NoActionReason>,
        response: Option<&str>,
    ) -> StatusChange {
        StatusChange {
            status,
            reason,
            response: response.map(str::to_owned),
            party: None,
        }
    }

    fn field(err: AppError) -> String {
        match err {
            AppError::Validation { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_no_action_needs_its_reason_and_sometimes_an_answer() {
        let e = status_write(change(PinStatus::NoAction, None, None), "a", 0).unwrap_err();
        assert_eq!(field(e), "reason");
        let e = status_write(
            change(PinStatus::Done, Some(NoActionReason::Cannot), None),
            "a",
            0,
        )
        .unwrap_err();
        assert_eq!(field(e), "reason");
        let e = status_write(
            change(PinStatus::NoAction, Some(NoActionReason::NotOurs), None),
            "a",
            0,
        )
        .unwrap_err();
        assert_eq!(field(e), "response");
        let ok = status_write(
            change(
                PinStatus::NoAction,
                Some(NoActionReason::NotOurs),
                Some("Till Trafikverket"),
            ),
            "a",
            0,
        )
        .unwrap();
        assert_eq!(ok.reason.as_deref(), Some("not_ours"));
        assert!(status_write(
            change(PinStatus::NoAction, Some(NoActionReason::Duplicate), None),
            "a",
            0
        )
        .is_ok());
    }

    #[test]
    fn answers_are_kept_set_or_cleared() {
        let keep = status_write(change(PinStatus::Investigating, None, None), "a", 0).unwrap();
        assert_eq!(keep.answer, Answer::Keep);
        let clear =
            status_write(change(PinStatus::Investigating, None, Some("  ")), "a", 0).unwrap();
        assert_eq!(clear.answer, Answer::Clear);
        let long = "å".repeat(MAX_RESPONSE_CHARS + 1);
        let e =
            status_write(change(PinStatus::Investigating, None, Some(&long)), "a", 0).unwrap_err();
        assert_eq!(field(e), "response");
    }

    #[test]
    fn outcomes_wait_for_the_end_of_the_session() {
        let input = CloseDialogue {
            summary: "Mörkt på Gröna gången".into(),
            participants: 14,
            themes: vec![
                trygghetskarta_shared::Category::Lighting,
                trygghetskarta_shared::Category::Lighting,
            ],
            other_themes: None,
            actions: vec![],
        };
        let e = outcome(&input, 1000, 999).unwrap_err();
        assert_eq!(e.code(), "not_ended");
        let o = outcome(&input, 1000, 1000).unwrap();
        assert_eq!(o.outcome_themes, "lighting");
        assert_eq!(o.closed_at, Some(1000));
    }
}
