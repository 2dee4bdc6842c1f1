//! `GET /api/updates` ("Vad händer?"): the latest public answers, actions and closed dialogues,
//! newest first, filterable by area (a tätort) and category. Also the text alternative to the
//! map's pins.

use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use trygghetskarta_shared::{Category, Update};

use crate::error::{ApiResult, AppError};
use crate::places::{self, Area};
use crate::present;
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
    let named = state.named_places().await?;
    // (sort key: Unix seconds, entry)
    let mut out: Vec<(i64, Update)> = Vec::new();
    for row in state.db.answered_pins(MAX_UPDATES as i64 * 3).await? {
        let category = Category::parse(&row.category);
        if !filter.keeps(row.lat, row.lon, category.as_slice()) {
            continue;
        }
        out.extend(present::answer_update(&row, &named)?);
    }
    for full in state.db.actions().await? {
        let at = full.row.updated_at;
        let latest_note = full.notes.last().map(|(_, t)| t.clone());
        let a = present::action(full, true, &named)?;
        if filter.keeps(a.lat, a.lon, &a.categories) {
            out.push(present::action_update(a, at, latest_note));
        }
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
        let themes = d
            .outcome
            .as_ref()
            .map(|o| o.themes.clone())
            .unwrap_or_default();
        if filter.keeps(lat, lon, &themes) {
            out.extend(present::dialogue_update(d, at, &named));
        }
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    out.truncate(MAX_UPDATES);
    Ok(Json(out.into_iter().map(|(_, u)| u).collect()))
}
