//! Conversion between stored dialogue rows and the public API type.

use trygghetskarta_shared::{Dialogue, DialogueKind, DialogueOrganiser, DialogueStatus};

use crate::error::{ApiResult, AppError};
use crate::storage::DialogueRow;
use crate::time::to_local_rfc3339;

pub fn to_api(row: DialogueRow) -> ApiResult<Dialogue> {
    let bad = |what: &str| AppError::internal(format!("dialogue {}: bad stored {what}", row.id));
    let kind = match row.kind.as_str() {
        "meeting" => DialogueKind::Meeting,
        "walk" => DialogueKind::Walk,
        "online" => DialogueKind::Online,
        _ => return Err(bad("kind")),
    };
    let organiser = match row.organiser.as_str() {
        "kommun" => DialogueOrganiser::Kommun,
        "polis" => DialogueOrganiser::Polis,
        "both" => DialogueOrganiser::Both,
        _ => return Err(bad("organiser")),
    };
    let status = match row.status.as_str() {
        "planned" => DialogueStatus::Planned,
        "cancelled" => DialogueStatus::Cancelled,
        _ => return Err(bad("status")),
    };
    let time = |t: i64| to_local_rfc3339(t).ok_or_else(|| bad("time"));
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
    })
}
