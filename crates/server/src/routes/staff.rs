//! `/api/staff/*`: what planners (and admins) see and do with pins: the exact pin list with
//! filters, moderation with its history, hotspots and the export log.

use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use trygghetskarta_shared::{
    BulkStatusChange, BulkStatusResult, EditComment, ExportLogEntry, Hotspots, ModerationEvent,
    ModerationReason, Role, StaffPin, StatusChange,
};

use crate::auth::Staff;
use crate::error::{ApiResult, AppError};
use crate::extract::{parse_id, JsonBody, PathId};
use crate::filter;
use crate::followup;
use crate::hotspots::{self, HotPoint, Params};
use crate::named;
use crate::pins::clean_text;
use crate::places;
use crate::present;
use crate::storage::{Change, Order};
use crate::time::now_unix;
use crate::AppState;

/// Who sees exact pins, comments, and exports.
pub const PIN_READERS: &[Role] = &[Role::Planner];
/// Hotspots are aggregates without comments: organisers plan dialogues from them too.
pub const HOTSPOT_READERS: &[Role] = &[Role::Planner, Role::Organiser];

/// Longest moderation reason.
pub use trygghetskarta_shared::staff::MAX_REASON_CHARS;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/pins", get(list))
        .route("/staff/pins/{id}", get(one).patch(edit_comment))
        .route("/staff/pins/{id}/hide", post(hide))
        .route("/staff/pins/{id}/restore", post(restore))
        .route("/staff/pins/{id}/approve", post(approve))
        .route("/staff/pins/{id}/unapprove", post(unapprove))
        .route("/staff/pins/{id}/history", get(history))
        .route("/staff/pins/{id}/status", post(set_status))
        .route("/staff/pins/status", post(bulk_status))
        .route("/staff/hotspots", get(hotspots))
        .route("/staff/areas", get(areas))
        .route("/staff/exports", get(export_log))
        .layer(super::no_store())
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<StaffPin>>> {
    staff.require(PIN_READERS)?;
    let (filter, _) = filter::parse(query.as_deref(), &[], &state.named_places().await?)?;
    let rows = state.db.staff_pins(&filter, Order::Newest).await?;
    rows.into_iter()
        .map(present::staff_pin)
        .collect::<ApiResult<Vec<_>>>()
        .map(Json)
}

async fn one(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffPin>> {
    staff.require(PIN_READERS)?;
    let row = state
        .db
        .pin(&parse_id(&id)?.0)
        .await?
        .ok_or(AppError::NotFound)?;
    present::staff_pin(row).map(Json)
}

async fn moderate(
    state: &AppState,
    staff: &Staff,
    id: &str,
    change: Change,
) -> ApiResult<Json<StaffPin>> {
    staff.require(PIN_READERS)?;
    let PathId(id) = parse_id(id)?;
    let row = state
        .db
        .moderate(&id, &staff.username, now_unix(), change)
        .await?
        .ok_or(AppError::NotFound)?;
    present::staff_pin(row).map(Json)
}

fn reason(r: ModerationReason) -> ApiResult<String> {
    clean_text("reason", Some(r.reason), MAX_REASON_CHARS)?
        .ok_or_else(|| AppError::validation("reason", "Give a reason."))
}

async fn hide(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ModerationReason>,
) -> ApiResult<Json<StaffPin>> {
    with_reason(&state, &staff, &id, body, |reason| Change::Hide { reason }).await
}

async fn restore(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ModerationReason>,
) -> ApiResult<Json<StaffPin>> {
    with_reason(&state, &staff, &id, body, |reason| Change::Restore {
        reason,
    })
    .await
}

/// Hide and restore: the role first, then the reason, then the change.
async fn with_reason(
    state: &AppState,
    staff: &Staff,
    id: &str,
    body: ModerationReason,
    change: fn(String) -> Change,
) -> ApiResult<Json<StaffPin>> {
    staff.require(PIN_READERS)?;
    let reason = reason(body)?;
    moderate(state, staff, id, change(reason)).await
}

async fn approve(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffPin>> {
    staff.require(PIN_READERS)?;
    let row = state
        .db
        .pin(&parse_id(&id)?.0)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.comment.is_none() {
        return Err(AppError::validation(
            "comment",
            "The pin has no comment to approve.",
        ));
    }
    moderate(&state, &staff, &id, Change::Approve).await
}

async fn unapprove(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffPin>> {
    moderate(&state, &staff, &id, Change::Unapprove).await
}

async fn edit_comment(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<EditComment>,
) -> ApiResult<Json<StaffPin>> {
    staff.require(PIN_READERS)?;
    let comment = clean_text(
        "comment",
        body.comment,
        trygghetskarta_shared::pin::MAX_COMMENT_CHARS,
    )?;
    moderate(&state, &staff, &id, Change::EditComment { comment }).await
}

/// A state and public answer for one pin.
async fn set_status(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<StatusChange>,
) -> ApiResult<Json<StaffPin>> {
    staff.require(PIN_READERS)?;
    let PathId(id) = parse_id(&id)?;
    let write = followup::status_write(body, &staff.username, now_unix())?;
    let mail = state.mail_maker().await?;
    let (_, row) = state
        .db
        .set_status(vec![id], write, mail)
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("set_status returned nothing"))?;
    present::staff_pin(row.ok_or(AppError::NotFound)?).map(Json)
}

/// One state and answer for many pins (a hotspot, a selection), in one transaction.
async fn bulk_status(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(body): JsonBody<BulkStatusChange>,
) -> ApiResult<Json<BulkStatusResult>> {
    staff.require(PIN_READERS)?;
    let ids = followup::pin_ids("pins", &body.pins)?;
    if ids.is_empty() {
        return Err(AppError::invalid("required", "pins", "Choose the pins."));
    }
    let change = StatusChange {
        status: body.status,
        response: body.response,
        reason: body.reason,
        party: body.party,
    };
    let write = followup::status_write(change, &staff.username, now_unix())?;
    let mail = state.mail_maker().await?;
    let done = state.db.set_status(ids, write, mail).await?;
    let missing = done
        .iter()
        .filter(|(_, row)| row.is_none())
        .filter_map(|(id, _)| id.parse().ok())
        .collect();
    Ok(Json(BulkStatusResult {
        changed: done.iter().filter(|(_, row)| row.is_some()).count() as u32,
        missing,
    }))
}

async fn history(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ModerationEvent>>> {
    staff.require(PIN_READERS)?;
    let PathId(id) = parse_id(&id)?;
    let events = state.db.moderation_history(&id).await?;
    if events.is_empty() && state.db.pin(&id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    events
        .into_iter()
        .map(present::moderation_event)
        .collect::<ApiResult<Vec<_>>>()
        .map(Json)
}

/// `value` as a number within `range`, or a `400` naming `key`.
fn number_in<T>(key: &str, value: &str, range: &std::ops::RangeInclusive<T>) -> ApiResult<T>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Debug,
{
    value
        .parse::<T>()
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            AppError::bad_request(Some(key), format!("{key} must be a number in {range:?}."))
        })
}

/// `radius_m`, `min_pins` and `limit` from the extra query parameters.
pub fn hotspot_params(extra: &[(String, String)]) -> ApiResult<Params> {
    let mut p = Params::default();
    for (key, value) in extra {
        match key.as_str() {
            "radius_m" => p.radius_m = number_in(key, value, &hotspots::RADIUS_RANGE)?,
            "min_pins" => p.min_pins = number_in(key, value, &hotspots::MIN_PINS_RANGE)?,
            "limit" => p.limit = number_in(key, value, &hotspots::LIMIT_RANGE)?,
            _ => {}
        }
    }
    Ok(p)
}

async fn hotspots(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Hotspots>> {
    staff.require(HOTSPOT_READERS)?;
    let named = state.named_places().await?;
    let (filter, extra) =
        filter::parse(query.as_deref(), &["radius_m", "min_pins", "limit"], &named)?;
    let params = hotspot_params(&extra)?;
    let rows = state.db.pin_points(&filter).await?;
    let points: Vec<HotPoint> = rows
        .iter()
        .map(|p| HotPoint::from_codes(p.lat, p.lon, &p.category, &p.time_of_day, p.agree_count))
        .collect();
    let n = points.len() as u32;
    let found = tokio::task::spawn_blocking(move || hotspots::find_with_members(&points, params))
        .await
        .map_err(AppError::internal)?;
    // Planners get each hotspot's pins (to answer them all, or link them to an action).
    let with_pins = staff.require(PIN_READERS).is_ok();
    let spots = found
        .into_iter()
        .map(|(mut spot, members)| {
            spot.place_name = named::describe(spot.lat, spot.lon, &named);
            if with_pins {
                spot.pins = members
                    .iter()
                    .filter_map(|&i| rows[i].id.parse().ok())
                    .collect();
            }
            spot
        })
        .collect();
    Ok(Json(Hotspots {
        pins: n,
        radius_m: params.radius_m,
        min_pins: params.min_pins as u32,
        hotspots: spots,
    }))
}

/// What the `area` filter takes: places staff named, then the tätorter.
async fn areas(State(state): State<AppState>, staff: Staff) -> ApiResult<Json<Vec<String>>> {
    staff.require(HOTSPOT_READERS)?;
    let named = state.named_places().await?;
    Ok(Json(
        named
            .iter()
            .map(|n| n.name.clone())
            .chain(places::areas().iter().map(|a| a.name.clone()))
            .collect(),
    ))
}

async fn export_log(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<Vec<ExportLogEntry>>> {
    staff.require(PIN_READERS)?;
    let rows = state.db.export_log(200).await?;
    Ok(Json(rows.into_iter().map(present::export_entry).collect()))
}
