//! The lägesbild's routes: aggregates of a selection over time (and two periods compared), the
//! places staff name, "since last meeting", and staff accounts for admins.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use trygghetskarta_shared::{
    NamedPlace, NamedPlaceInput, NewPassword, NewStaffUser, Role, Since, StaffUser, Stats,
};
use uuid::Uuid;

use crate::auth::Staff;
use crate::error::{ApiResult, AppError};
use crate::extract::{parse_id, JsonBody, PathId};
use crate::filter::{self, PinFilter};
use crate::named::{self, Named};
use crate::present;
use crate::routes::staff::{HOTSPOT_READERS, PIN_READERS};
use crate::stats::{self, BucketSize};
use crate::storage::{CreateUserError, NamedPlaceRow, NewUser, SavePlaceError};
use crate::time::{local_date, now_rfc3339_utc, now_unix};
use crate::{password, AppState};

/// Only admins (no other role passes `require(ADMINS)`).
const ADMINS: &[Role] = &[];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/stats", get(stats_route))
        .route("/staff/places", get(list_places).post(create_place))
        .route("/staff/places/{id}", put(update_place).delete(delete_place))
        .route("/staff/me/since", get(get_since).put(set_since))
        .route("/staff/users", get(list_users).post(create_user))
        .route("/staff/users/{name}/disable", post(disable_user))
        .route("/staff/users/{name}/enable", post(enable_user))
        .route("/staff/users/{name}/password", post(set_password))
        .layer(super::no_store())
}

/// The selection's first and last local day (from its dates).
fn day_range(f: &PinFilter) -> (Option<i64>, Option<i64>) {
    let day = |unix: i64| {
        local_date(unix)
            .and_then(|d| d.parse().ok())
            .map(stats::day_of)
    };
    (f.from.and_then(day), f.until.and_then(|u| day(u - 1)))
}

/// The stats of one selection.
pub async fn stats_of(
    state: &AppState,
    f: &PinFilter,
    named: &[Named],
    size: BucketSize,
) -> ApiResult<Stats> {
    let (days, cells, answers) = state.db.stats_groups(f).await?;
    let mut out = stats::stats(&days, &cells, &answers, named, size, day_range(f));
    if let Some(area) = &f.area {
        stats::with_area_total(&mut out.by_area, area.name(), area.kind(), out.total);
    }
    Ok(out)
}

/// `GET /api/staff/stats?FILTERS&bucket=week|month&compare_from=&compare_to=`, and the same
/// parsing for the XLSX export of the aggregates.
pub async fn stats_for_query(state: &AppState, query: Option<&str>) -> ApiResult<Stats> {
    let named = state.named_places().await?;
    let (f, extra) = filter::parse(query, &["bucket", "compare_from", "compare_to"], &named)?;
    let mut size = BucketSize::Week;
    let mut compare = (None, None);
    for (key, value) in &extra {
        match key.as_str() {
            "bucket" => {
                size = BucketSize::parse(value).ok_or_else(|| {
                    AppError::bad_request(Some("bucket"), "bucket is week or month.")
                })?
            }
            "compare_from" => compare.0 = Some(value.clone()),
            "compare_to" => compare.1 = Some(value.clone()),
            _ => {}
        }
    }
    let mut out = stats_of(state, &f, &named, size).await?;
    match compare {
        (None, None) => {}
        (Some(from), Some(to)) => {
            let q = format!("from={from}&to={to}");
            let (dates, _) = filter::parse(Some(&q), &[], &[]).map_err(|e| match e {
                AppError::BadRequest { message, .. } => {
                    AppError::bad_request(Some("compare_from"), message)
                }
                other => other,
            })?;
            let b_filter = PinFilter {
                from: dates.from,
                until: dates.until,
                ..f.clone()
            };
            let b = stats_of(state, &b_filter, &named, size).await?;
            let a_range = (
                out.from.clone().unwrap_or_default(),
                out.to.clone().unwrap_or_default(),
            );
            out.comparison = Some(stats::compare(&out, &b, a_range, (from, to)));
        }
        _ => {
            return Err(AppError::bad_request(
                Some("compare_to"),
                "Give both compare_from and compare_to.",
            ))
        }
    }
    Ok(out)
}

async fn stats_route(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Stats>> {
    staff.require(HOTSPOT_READERS)?;
    stats_for_query(&state, query.as_deref()).await.map(Json)
}

async fn list_places(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<Vec<NamedPlace>>> {
    staff.require(HOTSPOT_READERS)?;
    let rows = state.db.named_places().await?;
    Ok(Json(
        rows.iter()
            .filter_map(|r| Named::from_row(r).map(|n| n.api(&r.id)))
            .collect(),
    ))
}

async fn save_place(
    state: &AppState,
    input: &NamedPlaceInput,
    id: String,
    insert: bool,
) -> ApiResult<NamedPlace> {
    let (name, radius_m, polygon) = named::validate(input)?;
    let now = now_unix();
    let row = NamedPlaceRow {
        id: id.clone(),
        name,
        lat: input.lat,
        lon: input.lon,
        radius_m,
        polygon,
        created_at: now,
        updated_at: now,
    };
    match state.db.save_named_place(&row, insert).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound),
        Err(SavePlaceError::NameTaken(n)) => {
            return Err(AppError::invalid(
                "taken",
                "name",
                format!("A place is already called {n:?}."),
            ))
        }
        Err(SavePlaceError::Db(e)) => return Err(e.into()),
    }
    Named::from_row(&row)
        .map(|n| n.api(&id))
        .ok_or_else(|| AppError::internal("a saved place does not read back"))
}

async fn create_place(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(input): JsonBody<NamedPlaceInput>,
) -> ApiResult<(StatusCode, Json<NamedPlace>)> {
    staff.require(PIN_READERS)?;
    let place = save_place(&state, &input, Uuid::new_v4().to_string(), true).await?;
    Ok((StatusCode::CREATED, Json(place)))
}

async fn update_place(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<NamedPlaceInput>,
) -> ApiResult<Json<NamedPlace>> {
    staff.require(PIN_READERS)?;
    let PathId(id) = parse_id(&id)?;
    save_place(&state, &input, id, false).await.map(Json)
}

async fn delete_place(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    staff.require(PIN_READERS)?;
    let PathId(id) = parse_id(&id)?;
    if state.db.delete_named_place(&id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

async fn get_since(State(state): State<AppState>, staff: Staff) -> ApiResult<Json<Since>> {
    Ok(Json(Since {
        date: state.db.since_date(staff.user_id).await?,
    }))
}

async fn set_since(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(body): JsonBody<Since>,
) -> ApiResult<Json<Since>> {
    let date = match body
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(d) => Some(
            d.parse::<jiff::civil::Date>()
                .map_err(|_| AppError::validation("date", "A date YYYY-MM-DD."))?
                .to_string(),
        ),
        None => None,
    };
    state.db.set_since_date(staff.user_id, date.clone()).await?;
    Ok(Json(Since { date }))
}

async fn list_users(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<Vec<StaffUser>>> {
    staff.require(ADMINS)?;
    let users = state.db.list_users().await?;
    users
        .into_iter()
        .map(present::staff_user)
        .collect::<ApiResult<Vec<_>>>()
        .map(Json)
}

/// The same rules as `user add`: 1–64 characters without spaces, a password of at least 10.
fn check_password(pw: &str) -> ApiResult<String> {
    if pw.chars().count() < password::MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "too_short",
            "password",
            format!(
                "The password needs at least {} characters.",
                password::MIN_PASSWORD_CHARS
            ),
        ));
    }
    password::hash(pw).map_err(|e| AppError::internal(e.to_string()))
}

async fn create_user(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(body): JsonBody<NewStaffUser>,
) -> ApiResult<(StatusCode, Json<StaffUser>)> {
    staff.require(ADMINS)?;
    let name = body.username.trim().to_owned();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_whitespace) {
        return Err(AppError::validation(
            "username",
            "1–64 characters without spaces.",
        ));
    }
    let pw = body.password;
    let hash = tokio::task::spawn_blocking(move || check_password(&pw))
        .await
        .map_err(AppError::internal)??;
    let created_at = now_rfc3339_utc();
    match state
        .db
        .create_user(&NewUser {
            username: &name,
            password_hash: &hash,
            role: body.role.as_str(),
            created_at: &created_at,
        })
        .await
    {
        Ok(_) => {}
        Err(CreateUserError::Exists(_)) => {
            return Err(AppError::invalid(
                "taken",
                "username",
                "There is an account with this name.",
            ))
        }
        Err(CreateUserError::Db(e)) => return Err(e.into()),
    }
    tracing::info!(by = %staff.username, account = %name, role = body.role.as_str(), "account created");
    Ok((
        StatusCode::CREATED,
        Json(StaffUser {
            username: name,
            role: body.role,
            disabled: false,
            created_at,
            last_login_at: None,
        }),
    ))
}

async fn set_disabled(
    state: &AppState,
    staff: &Staff,
    name: &str,
    disabled: bool,
) -> ApiResult<StatusCode> {
    staff.require(ADMINS)?;
    if disabled && name.eq_ignore_ascii_case(&staff.username) {
        return Err(AppError::validation(
            "username",
            "You cannot disable your own account.",
        ));
    }
    if state.db.set_user_disabled(name, disabled).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

async fn disable_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    set_disabled(&state, &staff, &name, true).await
}

async fn enable_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    set_disabled(&state, &staff, &name, false).await
}

async fn set_password(
    State(state): State<AppState>,
    staff: Staff,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<NewPassword>,
) -> ApiResult<StatusCode> {
    staff.require(ADMINS)?;
    let pw = body.password;
    let hash = tokio::task::spawn_blocking(move || check_password(&pw))
        .await
        .map_err(AppError::internal)??;
    if state.db.set_password(&name, &hash).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}
