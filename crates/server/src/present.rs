//! What the API shows of stored rows: one conversion per type, in one place. A stored value the
//! API cannot read (a code no version ever wrote) is an internal error naming the row.

use trygghetskarta_shared::pin::public_location;
use trygghetskarta_shared::{
    Action, ActionNote, ActionParty, ActionState, Category, Dialogue, DialogueKind,
    DialogueOrganiser, DialogueOutcome, DialogueStatus, ExportLogEntry, ModerationAction,
    ModerationEvent, NoActionReason, Party, PinStatus, PublicPin, PublicResponse, Role, StaffPin,
    StaffUser, TimeOfDay, Update, UpdateKind,
};
use uuid::Uuid;

use crate::error::{ApiResult, AppError};
use crate::named::{self, Named};
use crate::places;
use crate::storage::{
    ActionFull, DialogueRow, ExportRow, FollowUp, ModerationRow, PinRow, UserSummary,
};
use crate::time::{local_date, to_local_rfc3339};

/// The error for a stored value that cannot be shown.
fn bad(kind: &str, id: &str, what: &str) -> AppError {
    AppError::internal(format!("{kind} {id}: bad stored {what}"))
}

/// A pin's state, public answer and action, as stored.
struct Followed {
    status: PinStatus,
    reason: Option<NoActionReason>,
    changed_at: Option<String>,
    response: Option<PublicResponse>,
    action_id: Option<Uuid>,
}

fn followed(id: &str, f: &FollowUp) -> ApiResult<Followed> {
    let bad = |what: &str| bad("pin", id, what);
    let response = match (&f.public_response, f.response_at) {
        (Some(text), Some(at)) => Some(PublicResponse {
            text: text.clone(),
            party: f
                .response_party
                .as_deref()
                .and_then(Party::parse)
                .ok_or_else(|| bad("response_party"))?,
            date: local_date(at).ok_or_else(|| bad("response_at"))?,
        }),
        _ => None,
    };
    Ok(Followed {
        status: PinStatus::parse(&f.status).ok_or_else(|| bad("status"))?,
        reason: f
            .status_reason
            .as_deref()
            .map(|r| NoActionReason::parse(r).ok_or_else(|| bad("status_reason")))
            .transpose()?,
        changed_at: f.status_changed_at.and_then(to_local_rfc3339),
        response,
        action_id: f
            .action_id
            .as_deref()
            .map(|a| a.parse().map_err(|_| bad("action_id")))
            .transpose()?,
    })
}

/// What everyone sees of a pin: its grid cell, no comment unless approved, its state and
/// public answer.
pub fn public_pin(row: &PinRow) -> ApiResult<PublicPin> {
    let bad = |what: &str| bad("pin", &row.id, what);
    let f = followed(&row.id, &row.follow_up)?;
    let (lat, lon) = public_location(row.lat, row.lon);
    Ok(PublicPin {
        id: row.id.parse().map_err(|_| bad("id"))?,
        category: Category::parse(&row.category).ok_or_else(|| bad("category"))?,
        time_of_day: TimeOfDay::parse(&row.time_of_day).ok_or_else(|| bad("time_of_day"))?,
        created_date: local_date(row.created_at).ok_or_else(|| bad("created_at"))?,
        agree_count: u32::try_from(row.agree_count).unwrap_or(0),
        lat,
        lon,
        comment: if row.comment_approved {
            row.comment.clone()
        } else {
            None
        },
        status: f.status,
        status_changed_at: f.changed_at,
        response: f.response,
        action_id: f.action_id,
    })
}

/// What planners see of a pin: everything, at its exact place.
pub fn staff_pin(row: PinRow) -> ApiResult<StaffPin> {
    let bad = |what: &str| bad("pin", &row.id, what);
    let f = followed(&row.id, &row.follow_up)?;
    Ok(StaffPin {
        id: row.id.parse().map_err(|_| bad("id"))?,
        category: Category::parse(&row.category).ok_or_else(|| bad("category"))?,
        time_of_day: TimeOfDay::parse(&row.time_of_day).ok_or_else(|| bad("time_of_day"))?,
        created_at: to_local_rfc3339(row.created_at).ok_or_else(|| bad("created_at"))?,
        agree_count: u32::try_from(row.agree_count).unwrap_or(0),
        area: places::area_at(row.lat, row.lon).map(str::to_owned),
        lat: row.lat,
        lon: row.lon,
        comment: row.comment,
        place_description: row.place_description,
        hidden: row.hidden,
        hidden_reason: row.hidden_reason,
        comment_approved: row.comment_approved,
        status: f.status,
        status_reason: f.reason,
        status_changed_at: f.changed_at,
        response: f.response,
        action_id: f.action_id,
    })
}

/// A dialogue session, times in Europe/Stockholm; `actions`: the actions linked to it.
pub fn dialogue(row: DialogueRow, actions: &[String]) -> ApiResult<Dialogue> {
    let bad = |what: &str| bad("dialogue", &row.id, what);
    let kind = DialogueKind::parse(&row.kind).ok_or_else(|| bad("kind"))?;
    let organiser = DialogueOrganiser::parse(&row.organiser).ok_or_else(|| bad("organiser"))?;
    let status = match row.status.as_str() {
        "planned" => DialogueStatus::Planned,
        "cancelled" => DialogueStatus::Cancelled,
        _ => return Err(bad("status")),
    };
    let time = |t: i64| to_local_rfc3339(t).ok_or_else(|| bad("time"));
    let o = &row.outcome;
    let outcome = match o.closed_at {
        Some(closed) => Some(DialogueOutcome {
            summary: o.outcome_summary.clone().unwrap_or_default(),
            participants: o
                .outcome_participants
                .and_then(|p| u32::try_from(p).ok())
                .unwrap_or(0),
            themes: o
                .outcome_themes
                .split(',')
                .filter(|t| !t.is_empty())
                .map(|t| Category::parse(t).ok_or_else(|| bad("outcome_themes")))
                .collect::<ApiResult<_>>()?,
            other_themes: o.outcome_other_themes.clone(),
            actions: uuids(actions).map_err(|_| bad("action link"))?,
            closed_at: time(closed)?,
        }),
        None => None,
    };
    Ok(Dialogue {
        id: row.id.parse().map_err(|_| bad("id"))?,
        starts_at: time(row.starts_at)?,
        ends_at: time(row.ends_at)?,
        created_at: time(row.created_at)?,
        updated_at: time(row.updated_at)?,
        title: row.title,
        description: row.description,
        place_name: row.place_name,
        lat: row.lat,
        lon: row.lon,
        kind,
        organiser,
        online_url: row.online_url,
        registration_url: row.registration_url,
        status,
        cancel_reason: row.cancel_reason,
        outcome,
    })
}

fn uuids(ids: &[String]) -> Result<Vec<Uuid>, uuid::Error> {
    ids.iter().map(|i| i.parse()).collect()
}

/// An action. `public`: only visible pins are listed.
/// An action; `named` names where it is (see [`named::describe`]).
pub fn action(a: ActionFull, public: bool, named: &[Named]) -> ApiResult<Action> {
    let r = a.row;
    let bad = |what: &str| bad("action", &r.id, what);
    let time = |t: i64| to_local_rfc3339(t).ok_or_else(|| bad("time"));
    let pins: Vec<&(String, String, bool)> = a
        .pins
        .iter()
        .filter(|(_, _, hidden)| !public || !hidden)
        .collect();
    // Categories of its pins, most common first.
    let mut counts: Vec<(Category, usize)> = Category::ALL
        .into_iter()
        .map(|c| {
            (
                c,
                pins.iter().filter(|(_, code, _)| *code == c.code()).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let area: Option<Vec<[f64; 2]>> = r
        .area
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|_| bad("area"))?;
    Ok(Action {
        id: r.id.parse().map_err(|_| bad("id"))?,
        party: ActionParty::parse(&r.party).ok_or_else(|| bad("party"))?,
        state: ActionState::parse(&r.state).ok_or_else(|| bad("state"))?,
        area_name: Some(named::describe(r.lat, r.lon, named)),
        notes: a
            .notes
            .iter()
            .map(|(at, text)| {
                Ok(ActionNote {
                    date: local_date(*at).ok_or_else(|| bad("note"))?,
                    text: text.clone(),
                })
            })
            .collect::<ApiResult<_>>()?,
        pins: pins
            .iter()
            .map(|(id, _, _)| id.parse().map_err(|_| bad("pin link")))
            .collect::<ApiResult<_>>()?,
        categories: counts.into_iter().map(|(c, _)| c).collect(),
        dialogues: uuids(&a.dialogues).map_err(|_| bad("dialogue link"))?,
        created_at: time(r.created_at)?,
        updated_at: time(r.updated_at)?,
        title: r.title,
        description: r.description,
        party_name: r.party_name,
        lat: r.lat,
        lon: r.lon,
        area,
        starts_on: r.starts_on,
        target_on: r.target_on,
        cancel_reason: r.cancel_reason,
    })
}

/// One step in a pin's moderation history.
pub fn moderation_event(e: ModerationRow) -> ApiResult<ModerationEvent> {
    Ok(ModerationEvent {
        at: to_local_rfc3339(e.at).unwrap_or_default(),
        action: ModerationAction::parse(&e.action)
            .ok_or_else(|| bad("moderation of pin", &e.pin_id, "action"))?,
        actor: e.actor,
        reason: e.reason,
        before: e.before,
        after: e.after,
        response: e.response,
    })
}

/// One line of the export log.
pub fn export_entry(r: ExportRow) -> ExportLogEntry {
    ExportLogEntry {
        at: to_local_rfc3339(r.at).unwrap_or_default(),
        actor: r.actor,
        format: r.format,
        filters: r.filters,
        rows: u64::try_from(r.rows).unwrap_or(0),
        completed: r.completed,
    }
}

/// "Vad händer?": a public answer on a pin (at its grid cell), named after where it is.
pub fn answer_update(row: &PinRow, named: &[Named]) -> ApiResult<Option<(i64, Update)>> {
    let Some(at) = row.follow_up.response_at else {
        return Ok(None);
    };
    let pin = public_pin(row)?;
    let (lat, lon) = public_location(row.lat, row.lon);
    let response = pin.response;
    Ok(Some((
        at,
        Update {
            kind: UpdateKind::Answer,
            date: local_date(at).unwrap_or_default(),
            id: pin.id,
            title: String::new(),
            text: response
                .as_ref()
                .map(|r| r.text.clone())
                .unwrap_or_default(),
            status: Some(pin.status),
            action_state: None,
            party: response.map(|r| r.party.code().to_owned()),
            party_name: None,
            category: Some(pin.category),
            lat,
            lon,
            area_name: Some(named::describe(lat, lon, named)),
        },
    )))
}

/// "Vad händer?": an action, with its latest progress note (else its description).
pub fn action_update(a: Action, changed_at: i64, latest_note: Option<String>) -> (i64, Update) {
    (
        changed_at,
        Update {
            kind: UpdateKind::Action,
            date: local_date(changed_at).unwrap_or_default(),
            id: a.id,
            title: a.title,
            text: latest_note.unwrap_or(a.description),
            status: None,
            action_state: Some(a.state),
            party: Some(a.party.code().to_owned()),
            party_name: a.party_name,
            category: a.categories.first().copied(),
            lat: a.lat,
            lon: a.lon,
            area_name: a.area_name,
        },
    )
}

/// "Vad händer?": what was heard at a dialogue closed at `at` (`None` while it is not closed).
pub fn dialogue_update(d: Dialogue, at: i64, named: &[Named]) -> Option<(i64, Update)> {
    let outcome = d.outcome?;
    Some((
        at,
        Update {
            kind: UpdateKind::Dialogue,
            date: local_date(at).unwrap_or_default(),
            id: d.id,
            title: d.title,
            category: outcome.themes.first().copied(),
            text: outcome.summary,
            status: None,
            action_state: None,
            party: Some(d.organiser.code().to_owned()),
            party_name: None,
            lat: d.lat,
            lon: d.lon,
            area_name: Some(named::describe(d.lat, d.lon, named)),
        },
    ))
}

/// A staff account as admins see it in "Konton".
pub fn staff_user(u: UserSummary) -> ApiResult<StaffUser> {
    Ok(StaffUser {
        role: Role::parse(&u.role).ok_or_else(|| bad("user", &u.username, "role"))?,
        last_login_at: u.last_login_at.and_then(to_local_rfc3339),
        username: u.username,
        disabled: u.disabled,
        created_at: u.created_at,
    })
}
