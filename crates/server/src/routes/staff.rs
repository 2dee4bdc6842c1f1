//! `/api/staff/*`: what planners (and admins) see and do with pins: the exact pin list with
//! filters, moderation with its history, hotspots and the export log.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::set_header::SetResponseHeaderLayer;
use trygghetskarta_shared::{
    Category, EditComment, ExportLogEntry, Hotspots, ModerationAction, ModerationEvent,
    ModerationReason, Role, StaffPin, TimeOfDay,
};
use uuid::Uuid;

use crate::auth::Staff;
use crate::error::{ApiResult, AppError};
use crate::extract::JsonBody;
use crate::filter;
use crate::hotspots::{self, HotPoint, Params};
use crate::pins::clean_text;
use crate::places;
use crate::storage::{Change, Order, PinRow};
use crate::time::{now_unix, to_local_rfc3339};
use crate::AppState;

/// Who sees exact pins, comments, and exports.
pub const PIN_READERS: &[Role] = &[Role::Planner];
/// Hotspots are aggregates without comments: organisers plan dialogues from them too.
const HOTSPOT_READERS: &[Role] = &[Role::Planner, Role::Organiser];

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
        .route("/staff/hotspots", get(hotspots))
        .route("/staff/areas", get(areas))
        .route("/staff/exports", get(export_log))
        // Personal data: never kept in a browser or proxy cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

pub fn to_staff(row: PinRow) -> ApiResult<StaffPin> {
    let bad = |what: &str| AppError::internal(format!("pin {}: bad stored {what}", row.id));
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
    })
}

fn pin_id(id: &str) -> ApiResult<String> {
    id.parse::<Uuid>()
        .map(|u| u.to_string())
        .map_err(|_| AppError::NotFound)
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<StaffPin>>> {
    staff.require(PIN_READERS)?;
    let (filter, _) = filter::parse(query.as_deref(), &[])?;
    let rows = state.db.staff_pins(&filter, Order::Newest).await?;
    rows.into_iter()
        .map(to_staff)
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
        .pin(&pin_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    to_staff(row).map(Json)
}

async fn moderate(
    state: &AppState,
    staff: &Staff,
    id: &str,
    change: Change,
) -> ApiResult<Json<StaffPin>> {
    staff.require(PIN_READERS)?;
    let id = pin_id(id)?;
    let row = state
        .db
        .moderate(&id, &staff.username, now_unix(), change)
        .await?
        .ok_or(AppError::NotFound)?;
    to_staff(row).map(Json)
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
        .pin(&pin_id(&id)?)
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

async fn history(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ModerationEvent>>> {
    staff.require(PIN_READERS)?;
    let id = pin_id(&id)?;
    let events = state.db.moderation_history(&id).await?;
    if events.is_empty() && state.db.pin(&id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    events
        .into_iter()
        .map(|e| {
            Ok(ModerationEvent {
                at: to_local_rfc3339(e.at).unwrap_or_default(),
                actor: e.actor,
                action: ModerationAction::parse(&e.action)
                    .ok_or_else(|| AppError::internal("bad stored moderation action"))?,
                reason: e.reason,
                before: e.before,
                after: e.after,
            })
        })
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
    let (filter, extra) = filter::parse(query.as_deref(), &["radius_m", "min_pins", "limit"])?;
    let params = hotspot_params(&extra)?;
    let points: Vec<HotPoint> = state
        .db
        .pin_points(&filter)
        .await?
        .into_iter()
        .map(|p| HotPoint::from_codes(p.lat, p.lon, &p.category, &p.time_of_day, p.agree_count))
        .collect();
    let n = points.len() as u32;
    let spots = tokio::task::spawn_blocking(move || hotspots::find(&points, params))
        .await
        .map_err(AppError::internal)?;
    Ok(Json(Hotspots {
        pins: n,
        radius_m: params.radius_m,
        min_pins: params.min_pins as u32,
        hotspots: spots,
    }))
}

async fn areas(staff: Staff) -> ApiResult<Json<Vec<String>>> {
    staff.require(HOTSPOT_READERS)?;
    Ok(Json(
        places::areas().iter().map(|a| a.name.clone()).collect(),
    ))
}

async fn export_log(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<Vec<ExportLogEntry>>> {
    staff.require(PIN_READERS)?;
    let rows = state.db.export_log(200).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ExportLogEntry {
                at: to_local_rfc3339(r.at).unwrap_or_default(),
                actor: r.actor,
                format: r.format,
                filters: r.filters,
                rows: u64::try_from(r.rows).unwrap_or(0),
                completed: r.completed,
            })
            .collect(),
    ))
}
