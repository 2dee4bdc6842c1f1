//! The HTTP client: one function per endpoint. Errors carry the server's JSON error body when
//! there is one, so the widget can show a Swedish message per code and field (`error.rs`).

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use trygghetskarta_shared::tile::{decode, PinTile};
use trygghetskarta_shared::{Action, PinLookup, Update};
use trygghetskarta_shared::{
    AgreeRequest, AgreeResponse, ApiErrorBody, CancelDialogue, ClientConfig, CreatedPin, Dialogue,
    DialogueInput, EditComment, Hotspots, ModerationEvent, ModerationReason, NewPassword, NewPin,
    NewStaffUser, PublicPin, SessionInfo, StaffPin, StaffUser,
};
use uuid::Uuid;

use crate::geo::basemap::Basemap;
use crate::geo::mercator::TileId;

mod error;

pub use error::{ApiError, Attempt};

/// Where the API lives: "" for the page's own origin, or `https://host` when embedded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiBase(pub String);

impl ApiBase {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.0.trim_end_matches('/'), path)
    }
}

/// Sends a request and reads a JSON answer, or the server's error body.
async fn fetch_json<T: DeserializeOwned>(req: gloo_net::http::Request) -> Result<T, ApiError> {
    let res = req.send().await.map_err(|_| ApiError::Network)?;
    if !res.ok() {
        return Err(read_error(res).await);
    }
    res.json::<T>()
        .await
        .map_err(|_| ApiError::Decode("JSON answer"))
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let req = Request::get(url)
        .build()
        .map_err(|_| ApiError::Decode("request"))?;
    fetch_json(req).await
}

pub async fn dialogues(base: &ApiBase) -> Result<Vec<Dialogue>, ApiError> {
    get_json(&base.url("/api/dialogues")).await
}

/// A GET that succeeded, or the server's error.
async fn get_ok(url: &str) -> Result<gloo_net::http::Response, ApiError> {
    let res = Request::get(url)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if !res.ok() {
        return Err(read_error(res).await);
    }
    Ok(res)
}

/// The bundled basemap, served with the widget's static files as the compact file made from
/// `arboga.geojson` (`geo::basemap`).
pub async fn basemap(asset_base: &ApiBase) -> Result<Basemap, ApiError> {
    let res = get_ok(&asset_base.url("/basemap/arboga.tkb")).await?;
    let bytes = res
        .binary()
        .await
        .map_err(|_| ApiError::Decode("basemap"))?;
    Basemap::from_compact(&bytes).map_err(|_| ApiError::Decode("basemap"))
}

async fn read_error(res: gloo_net::http::Response) -> ApiError {
    let status = res.status();
    match res.json::<ApiErrorBody>().await {
        Ok(body) => ApiError::Server {
            status,
            code: body.error.code,
            message: body.error.message,
            field: body.error.field,
        },
        Err(_) => ApiError::Server {
            status,
            code: "http".into(),
            message: res.status_text(),
            field: None,
        },
    }
}

async fn send_json<T: DeserializeOwned>(
    req: gloo_net::http::RequestBuilder,
    body: &impl serde::Serialize,
) -> Result<T, ApiError> {
    let req = req
        .json(body)
        .map_err(|_| ApiError::Decode("request body"))?;
    fetch_json(req).await
}

/// Creates (`POST collection`, no id) or changes (`PUT collection/{id}`) a resource.
async fn create_or_update<T: DeserializeOwned>(
    base: &ApiBase,
    collection: &str,
    id: Option<Uuid>,
    body: &impl serde::Serialize,
) -> Result<T, ApiError> {
    match id {
        None => send_json(Request::post(&base.url(collection)), body).await,
        Some(id) => send_json(Request::put(&base.url(&format!("{collection}/{id}"))), body).await,
    }
}

/// One pin tile (`geo::pin_tiles`): the public pins of a map tile, clustered.
pub async fn pin_tile(base: &ApiBase, id: TileId) -> Result<PinTile, ApiError> {
    let url = base.url(&format!("/api/pins/tiles/{}/{}/{}", id.z, id.x, id.y));
    let bytes = get_ok(&url)
        .await?
        .binary()
        .await
        .map_err(|_| ApiError::Decode("pin tile"))?;
    decode(&bytes).map_err(|_| ApiError::Decode("pin tile"))
}

/// The public pins whose (grid-snapped) position lies in a box: `(min_lon, min_lat, max_lon,
/// max_lat)`, e.g. `GridCell::bbox` for the pins of a marker.
pub async fn pins_in(
    base: &ApiBase,
    (min_lon, min_lat, max_lon, max_lat): (f64, f64, f64, f64),
) -> Result<Vec<PublicPin>, ApiError> {
    let [a, b, c, d] = [min_lon, min_lat, max_lon, max_lat].map(degrees);
    get_json(&base.url(&format!("/api/pins?bbox={a},{b},{c},{d}"))).await
}

/// Degrees with seven decimals (1 cm), written with integers: the float printer stays out of the
/// residents' bundle.
pub fn degrees(v: f64) -> String {
    let units = (v * 1e7).round() as i64;
    let sign = if units < 0 { "-" } else { "" };
    let a = units.unsigned_abs();
    format!("{sign}{}.{:07}", a / 10_000_000, a % 10_000_000)
}

pub async fn create_pin(base: &ApiBase, pin: &NewPin) -> Result<CreatedPin, ApiError> {
    send_json(Request::post(&base.url("/api/pins")), pin).await
}

pub async fn agree(base: &ApiBase, pin: Uuid, device_id: Uuid) -> Result<AgreeResponse, ApiError> {
    let url = base.url(&format!("/api/pins/{pin}/agree"));
    send_json(Request::post(&url), &AgreeRequest { device_id }).await
}

pub async fn delete_pin(base: &ApiBase, pin: Uuid, token: &str) -> Result<(), ApiError> {
    let res = Request::delete(&base.url(&format!("/api/pins/{pin}")))
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if res.ok() || res.status() == 404 {
        Ok(())
    } else {
        Err(read_error(res).await)
    }
}

// --- Residents: återkoppling ------------------------------------------------------------------

/// The state and answer of this device's own pins (visible ones among `ids`).
pub async fn lookup_pins(base: &ApiBase, ids: Vec<Uuid>) -> Result<Vec<PublicPin>, ApiError> {
    send_json(
        Request::post(&base.url("/api/pins/lookup")),
        &PinLookup { ids },
    )
    .await
}

/// "Vad händer?", with the filters' query string.
pub async fn updates(base: &ApiBase, query: &str) -> Result<Vec<Update>, ApiError> {
    get_json(&base.url(&with_query("/api/updates", query))).await
}

/// The handlingsplan, public view.
pub async fn actions(base: &ApiBase) -> Result<Vec<Action>, ApiError> {
    get_json(&base.url("/api/actions")).await
}

/// "Genomförda dialoger", with what was heard.
pub async fn closed_dialogues(base: &ApiBase) -> Result<Vec<Dialogue>, ApiError> {
    get_json(&base.url("/api/dialogues/closed")).await
}

pub async fn config(base: &ApiBase) -> Result<ClientConfig, ApiError> {
    get_json(&base.url("/api/config")).await
}

pub async fn session(base: &ApiBase) -> Result<SessionInfo, ApiError> {
    get_json(&base.url("/api/session")).await
}

#[derive(serde::Serialize)]
struct Login<'a> {
    username: &'a str,
    password: &'a str,
}

pub async fn login(
    base: &ApiBase,
    username: &str,
    password: &str,
) -> Result<SessionInfo, ApiError> {
    send_json(
        Request::post(&base.url("/api/session")),
        &Login { username, password },
    )
    .await
}

pub async fn logout(base: &ApiBase) -> Result<(), ApiError> {
    Request::delete(&base.url("/api/session"))
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    Ok(())
}

pub async fn all_dialogues(base: &ApiBase) -> Result<Vec<Dialogue>, ApiError> {
    get_json(&base.url("/api/dialogues?include_past=true")).await
}

/// Creates (no id) or changes a session.
pub async fn save_dialogue(
    base: &ApiBase,
    id: Option<Uuid>,
    input: &DialogueInput,
) -> Result<Dialogue, ApiError> {
    create_or_update(base, "/api/dialogues", id, input).await
}

pub async fn cancel_dialogue(base: &ApiBase, id: Uuid, reason: &str) -> Result<Dialogue, ApiError> {
    let body = CancelDialogue {
        reason: reason.to_owned(),
    };
    send_json(
        Request::post(&base.url(&format!("/api/dialogues/{id}/cancel"))),
        &body,
    )
    .await
}

// --- Planners ------------------------------------------------------------------------------

/// Pins matching the filter query string (`FilterForm::query`), newest first.
pub async fn staff_pins(base: &ApiBase, query: &str) -> Result<Vec<StaffPin>, ApiError> {
    get_json(&base.url(&with_query("/api/staff/pins", query))).await
}

pub async fn hotspots(base: &ApiBase, query: &str) -> Result<Hotspots, ApiError> {
    get_json(&base.url(&with_query("/api/staff/hotspots", query))).await
}

/// The tätort names the area filter accepts.
pub async fn areas(base: &ApiBase) -> Result<Vec<String>, ApiError> {
    get_json(&base.url("/api/staff/areas")).await
}

pub async fn pin_history(base: &ApiBase, id: Uuid) -> Result<Vec<ModerationEvent>, ApiError> {
    get_json(&base.url(&format!("/api/staff/pins/{id}/history"))).await
}

/// A moderation step on one pin.
#[derive(Clone, Debug, PartialEq)]
pub enum Moderation {
    Hide(String),
    Restore(String),
    Approve,
    Unapprove,
    EditComment(String),
}

pub async fn moderate(base: &ApiBase, id: Uuid, step: Moderation) -> Result<StaffPin, ApiError> {
    let url = |action: &str| base.url(&format!("/api/staff/pins/{id}/{action}"));
    match step {
        Moderation::Hide(reason) => {
            send_json(Request::post(&url("hide")), &ModerationReason { reason }).await
        }
        Moderation::Restore(reason) => {
            send_json(Request::post(&url("restore")), &ModerationReason { reason }).await
        }
        Moderation::Approve => fetch_json(build(Request::post(&url("approve")))?).await,
        Moderation::Unapprove => fetch_json(build(Request::post(&url("unapprove")))?).await,
        Moderation::EditComment(comment) => {
            let comment = Some(comment).filter(|c| !c.trim().is_empty());
            send_json(
                Request::patch(&base.url(&format!("/api/staff/pins/{id}"))),
                &EditComment { comment },
            )
            .await
        }
    }
}

// --- Återkoppling (staff): answers, actions, closing dialogues ----------------------------------

/// A state and public answer for one pin; the pin as it is now.
pub async fn set_status(
    base: &ApiBase,
    id: Uuid,
    change: &trygghetskarta_shared::StatusChange,
) -> Result<StaffPin, ApiError> {
    let url = base.url(&format!("/api/staff/pins/{id}/status"));
    send_json(Request::post(&url), change).await
}

/// One state and answer for many pins (a hotspot, the ticked pins of the list).
pub async fn set_status_bulk(
    base: &ApiBase,
    change: &trygghetskarta_shared::BulkStatusChange,
) -> Result<trygghetskarta_shared::BulkStatusResult, ApiError> {
    send_json(Request::post(&base.url("/api/staff/pins/status")), change).await
}

/// Creates (no id) or changes an action.
pub async fn save_action(
    base: &ApiBase,
    id: Option<Uuid>,
    input: &trygghetskarta_shared::ActionInput,
) -> Result<Action, ApiError> {
    match id {
        None => send_json(Request::post(&base.url("/api/actions")), input).await,
        Some(id) => {
            send_json(
                Request::put(&base.url(&format!("/api/actions/{id}"))),
                input,
            )
            .await
        }
    }
}

/// A dated, public progress note on an action.
pub async fn add_action_note(base: &ApiBase, id: Uuid, text: &str) -> Result<Action, ApiError> {
    let body = trygghetskarta_shared::NoteInput {
        text: text.to_owned(),
    };
    let url = base.url(&format!("/api/actions/{id}/notes"));
    send_json(Request::post(&url), &body).await
}

/// Closes an ended session with "Vad vi hörde".
pub async fn close_dialogue(
    base: &ApiBase,
    id: Uuid,
    body: &trygghetskarta_shared::CloseDialogue,
) -> Result<Dialogue, ApiError> {
    let url = base.url(&format!("/api/dialogues/{id}/close"));
    send_json(Request::post(&url), body).await
}

// --- end of Återkoppling (staff) ---------------------------------------------------------------

// --- Lägesbild: stats, "sedan förra mötet", named places ----------------------------------------

/// The lägesbild of a query (`FilterForm::query` and `bucket=`, `compare_from=`, `compare_to=`).
pub async fn stats(base: &ApiBase, query: &str) -> Result<trygghetskarta_shared::Stats, ApiError> {
    get_json(&base.url(&with_query("/api/staff/stats", query))).await
}

/// The "since last meeting" date this staff member chose last.
pub async fn since(base: &ApiBase) -> Result<trygghetskarta_shared::Since, ApiError> {
    get_json(&base.url("/api/staff/me/since")).await
}

pub async fn set_since(
    base: &ApiBase,
    date: &str,
) -> Result<trygghetskarta_shared::Since, ApiError> {
    let body = trygghetskarta_shared::Since {
        date: Some(date.to_owned()),
    };
    send_json(Request::put(&base.url("/api/staff/me/since")), &body).await
}

pub async fn named_places(
    base: &ApiBase,
) -> Result<Vec<trygghetskarta_shared::NamedPlace>, ApiError> {
    get_json(&base.url("/api/staff/places")).await
}

/// Creates (no id) or changes a named place.
pub async fn save_named_place(
    base: &ApiBase,
    id: Option<Uuid>,
    place: &trygghetskarta_shared::NamedPlaceInput,
) -> Result<trygghetskarta_shared::NamedPlace, ApiError> {
    create_or_update(base, "/api/staff/places", id, place).await
}

pub async fn delete_named_place(base: &ApiBase, id: Uuid) -> Result<(), ApiError> {
    let url = base.url(&format!("/api/staff/places/{id}"));
    send_no_content(build(Request::delete(&url))?).await
}

// --- end of Lägesbild --------------------------------------------------------------------------

// --- Admins: Konton ------------------------------------------------------------------------

/// Staff accounts with their role, state and last login.
pub async fn staff_users(base: &ApiBase) -> Result<Vec<StaffUser>, ApiError> {
    get_json(&base.url("/api/staff/users")).await
}

pub async fn create_staff_user(base: &ApiBase, user: &NewStaffUser) -> Result<StaffUser, ApiError> {
    send_json(Request::post(&base.url("/api/staff/users")), user).await
}

/// What an admin does to an account.
#[derive(Clone, Debug, PartialEq)]
pub enum AccountChange {
    Disable,
    Enable,
    /// A new password (the account's sessions end).
    Password(String),
}

/// A change to an account; the server answers `204`.
pub async fn change_staff_user(
    base: &ApiBase,
    username: &str,
    change: AccountChange,
) -> Result<(), ApiError> {
    let url = |what: &str| {
        base.url(&format!(
            "/api/staff/users/{}/{what}",
            crate::model::staff::encode(username)
        ))
    };
    let req = match change {
        AccountChange::Disable => build(Request::post(&url("disable")))?,
        AccountChange::Enable => build(Request::post(&url("enable")))?,
        AccountChange::Password(password) => Request::post(&url("password"))
            .json(&NewPassword { password })
            .map_err(|_| ApiError::Decode("request body"))?,
    };
    send_no_content(req).await
}

/// Sends a request whose success has no body (`204`).
async fn send_no_content(req: Request) -> Result<(), ApiError> {
    let res = req.send().await.map_err(|_| ApiError::Network)?;
    if res.ok() {
        Ok(())
    } else {
        Err(read_error(res).await)
    }
}

fn build(req: gloo_net::http::RequestBuilder) -> Result<Request, ApiError> {
    req.build().map_err(|_| ApiError::Decode("request"))
}

/// `path?query`, or `path` when the query is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}
