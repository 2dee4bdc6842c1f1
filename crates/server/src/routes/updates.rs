//! `GET /api/updates` ("Vad händer?"): the latest public answers, actions and closed dialogues,
//! newest first, filterable by area (a tätort) and category. Also the text alternative to the
//! map's pins.

use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use trygghetskarta_shared::pin::public_location;
use trygghetskarta_shared::{Category, Update, UpdateKind};

use crate::error::{ApiResult, AppError};
use crate::places::{self, Area};
use crate::present;
use crate::time::local_date;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/updates", get(updates))
}

/// Most entries in one answer.
pub const MAX_UPDATES: usize = 100;

struct Filter {
    area: Option<&'static Area>,
    categories: Vec<Category>,
}

fn parse(query: Option<&str>) -> ApiResult<Filter> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| AppError::bad_request(None, "The query string is malformed."))?;
    let mut f = Filter {
        area: None,
        categories: Vec::new(),
    };
    for (key, value) in pairs {
        match key.as_str() {
            "area" if value.trim().is_empty() => {}
            "area" => {
                f.area = Some(places::area_named(&value).ok_or_else(|| {
                    AppError::bad_request(Some("area"), format!("Unknown area {value:?}."))
                })?)
            }
            "category" => {
                for code in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    f.categories.push(Category::parse(code).ok_or_else(|| {
                        AppError::bad_request(
                            Some("category"),
                            format!("Unknown category {code:?}."),
                        )
                    })?);
                }
            }
            other => {
                return Err(AppError::bad_request(
                    Some(other),
                    format!("Unknown query parameter {other:?}."),
                ))
            }
        }
    }
    Ok(f)
}

impl Filter {
    fn keeps(&self, lat: f64, lon: f64, categories: &[Category]) -> bool {
        self.area.is_none_or(|a| a.contains(lat, lon))
            && (self.categories.is_empty()
                || categories.iter().any(|c| self.categories.contains(c)))
    }
}

async fn updates(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<Update>>> {
    let filter = parse(query.as_deref())?;
    // (sort key: Unix seconds, entry)
    let mut out: Vec<(i64, Update)> = Vec::new();
    for row in state.db.answered_pins(MAX_UPDATES as i64 * 3).await? {
        let Some(at) = row.follow_up.response_at else {
            continue;
        };
        let pin = present::public_pin(&row)?;
        if !filter.keeps(row.lat, row.lon, &[pin.category]) {
            continue;
        }
        let (lat, lon) = public_location(row.lat, row.lon);
        let response = pin.response.clone();
        out.push((
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
                area_name: places::area_at(lat, lon).map(str::to_owned),
            },
        ));
    }
    for full in state.db.actions().await? {
        let at = full.row.updated_at;
        let latest_note = full.notes.last().map(|(_, t)| t.clone());
        let a = present::action(full, true)?;
        if !filter.keeps(a.lat, a.lon, &a.categories) {
            continue;
        }
        out.push((
            at,
            Update {
                kind: UpdateKind::Action,
                date: local_date(at).unwrap_or_default(),
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
        ));
    }
    for id in state.db.closed_dialogue_ids(MAX_UPDATES as i64).await? {
        let Some(row) = state.db.dialogue(&id).await? else {
            continue;
        };
        let Some(at) = row.outcome.closed_at else {
            continue;
        };
        let (lat, lon) = (row.lat, row.lon);
        let d = present::dialogue(row, &[])?;
        let Some(outcome) = d.outcome else { continue };
        if !filter.keeps(lat, lon, &outcome.themes) {
            continue;
        }
        out.push((
            at,
            Update {
                kind: UpdateKind::Dialogue,
                date: local_date(at).unwrap_or_default(),
                id: d.id,
                title: d.title,
                text: outcome.summary,
                status: None,
                action_state: None,
                party: Some(d.organiser.code().to_owned()),
                party_name: None,
                category: outcome.themes.first().copied(),
                lat,
                lon,
                area_name: places::area_at(lat, lon).map(str::to_owned),
            },
        ));
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    out.truncate(MAX_UPDATES);
    Ok(Json(out.into_iter().map(|(_, u)| u).collect()))
}
