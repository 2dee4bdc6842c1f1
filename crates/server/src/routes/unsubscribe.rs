//! `/avregistrera/{pin}/{token}`: the link in every mail. Opening it shows a page with one
//! button (so a mail scanner that follows links does not unsubscribe anyone); pressing it
//! deletes the address and any unsent mail. Plain HTML, no script, Swedish and English.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::ApiResult;
use crate::extract::parse_id;
use crate::{mail, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/avregistrera/{pin}/{token}", get(page).post(confirm))
}

fn html(status: StatusCode, heading: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{heading} – Trygghetskartan</title>\
         <style>body{{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}}\
         button{{font:inherit;min-height:44px;padding:.5rem 1rem}}</style></head>\
         <body><main><h1>{heading}</h1>{body}</main></body></html>"
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

fn unknown() -> Response {
    html(
        StatusCode::NOT_FOUND,
        "Länken gäller inte",
        "<p>Länken är inte giltig, eller så är adressen redan borttagen.</p>\
         <p lang=\"en\">This link is not valid, or the address has already been removed.</p>",
    )
}

async fn valid(state: &AppState, pin: &str, token: &str) -> ApiResult<Option<String>> {
    let Ok(id) = parse_id(pin) else {
        return Ok(None);
    };
    let key = state.unsubscribe_key().await?;
    Ok(mail::token_ok(&key, &id.0, token).then_some(id.0))
}

async fn page(
    State(state): State<AppState>,
    Path((pin, token)): Path<(String, String)>,
) -> ApiResult<Response> {
    let Some(id) = valid(&state, &pin, &token).await? else {
        return Ok(unknown());
    };
    if !state.db.subscribed(&id).await? {
        return Ok(unknown());
    }
    Ok(html(
        StatusCode::OK,
        "Sluta få mejl om din markering",
        "<p>Du får mejl när något händer med en plats du markerade i Trygghetskartan.</p>\
         <form method=\"post\"><button type=\"submit\">Ta bort min e-postadress</button></form>\
         <p lang=\"en\">Stop e-mails about your pin: press the button to remove your address.</p>",
    ))
}

async fn confirm(
    State(state): State<AppState>,
    Path((pin, token)): Path<(String, String)>,
) -> ApiResult<Response> {
    let Some(id) = valid(&state, &pin, &token).await? else {
        return Ok(unknown());
    };
    state.db.unsubscribe(&id).await?;
    Ok(html(
        StatusCode::OK,
        "Din e-postadress är borttagen",
        "<p>Du får inga fler mejl om den här markeringen. Markeringen finns kvar på kartan.</p>\
         <p lang=\"en\">Your address has been removed; you will get no more e-mails about this pin.</p>",
    ))
}
