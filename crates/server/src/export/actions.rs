//! The handlingsplan for the lägesbild: every action as a GeoJSON feature (its drawn area as a
//! Polygon, else its Point), a CSV row (the same conventions as the pins' CSV), or a row of the
//! XLSX sheet "Åtgärder". Pure functions over `Action`s, with golden tests.

use super::workbook::{Book, Style};
use serde::Serialize;
use serde_json::json;
use trygghetskarta_shared::{Action, ActionParty, ActionState};

pub const SHEET: &str = "Åtgärder";

/// Column names, in order.
pub const COLUMNS: [&str; 16] = [
    "id",
    "title",
    "description",
    "party",
    "party_name",
    "state",
    "state_sv",
    "starts_on",
    "target_on",
    "cancel_reason",
    "lat",
    "lon",
    "area",
    "pin_count",
    "pin_ids",
    "updated_at",
];

pub fn state_sv(s: ActionState) -> &'static str {
    match s {
        ActionState::Planned => "Planerad",
        ActionState::Ongoing => "Pågår",
        ActionState::Done => "Genomförd",
        ActionState::Cancelled => "Avbruten",
    }
}

pub fn party_sv(p: ActionParty) -> &'static str {
    match p {
        ActionParty::Kommun => "Arboga kommun",
        ActionParty::Polis => "Polisen",
        ActionParty::Both => "Arboga kommun och polisen",
        ActionParty::Other => "Annan",
    }
}

/// One action's attributes, in column order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub description: String,
    pub party: &'static str,
    pub party_name: Option<String>,
    pub state: &'static str,
    pub state_sv: &'static str,
    pub starts_on: Option<String>,
    pub target_on: Option<String>,
    pub cancel_reason: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub area: Option<String>,
    pub pin_count: usize,
    /// Space-separated.
    pub pin_ids: String,
    pub updated_at: String,
}

pub fn row(a: &Action) -> Row {
    Row {
        id: a.id.to_string(),
        title: a.title.clone(),
        description: a.description.clone(),
        party: a.party.code(),
        party_name: a.party_name.clone(),
        state: a.state.code(),
        state_sv: state_sv(a.state),
        starts_on: a.starts_on.clone(),
        target_on: a.target_on.clone(),
        cancel_reason: a.cancel_reason.clone(),
        lat: a.lat,
        lon: a.lon,
        area: a.area_name.clone(),
        pin_count: a.pins.len(),
        pin_ids: a
            .pins
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        updated_at: a.updated_at.clone(),
    }
}

pub fn geojson(actions: &[Action]) -> Vec<u8> {
    let features: Vec<serde_json::Value> = actions
        .iter()
        .map(|a| {
            let geometry = match &a.area {
                Some(ring) => json!({"type": "Polygon", "coordinates": [ring]}),
                None => json!({"type": "Point", "coordinates": [a.lon, a.lat]}),
            };
            json!({"type": "Feature", "id": a.id, "geometry": geometry, "properties": row(a)})
        })
        .collect();
    let mut out = serde_json::to_vec(&json!({"type": "FeatureCollection", "features": features}))
        .expect("actions serialise");
    out.push(b'\n');
    out
}

pub fn csv(actions: &[Action]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&COLUMNS.join(";"));
    out.push_str("\r\n");
    for a in actions {
        let r = row(a);
        let cells: Vec<String> = vec![
            r.id,
            super::csv::safe(&r.title),
            super::csv::safe(&r.description),
            r.party.to_owned(),
            super::csv::safe(r.party_name.as_deref().unwrap_or("")),
            r.state.to_owned(),
            r.state_sv.to_owned(),
            r.starts_on.unwrap_or_default(),
            r.target_on.unwrap_or_default(),
            super::csv::safe(r.cancel_reason.as_deref().unwrap_or("")),
            r.lat.to_string(),
            r.lon.to_string(),
            super::csv::safe(r.area.as_deref().unwrap_or("")),
            r.pin_count.to_string(),
            r.pin_ids,
            r.updated_at
                .get(..19)
                .unwrap_or(&r.updated_at)
                .replace('T', " "),
        ];
        let line: Vec<String> = cells.iter().map(|c| super::csv::quoted(c)).collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    out
}

/// The actions sheet as a workbook of its own.
pub fn xlsx(actions: &[Action]) -> std::io::Result<Vec<u8>> {
    let mut wb = Book::new(std::io::Cursor::new(Vec::new()), &[SHEET])?;
    let mut ws = wb.sheet(&[], true)?;
    ws.row()?;
    for (col, name) in COLUMNS.iter().enumerate() {
        ws.string(col as u16, name, Style::Bold)?;
    }
    for a in actions {
        let r = row(a);
        ws.row()?;
        let texts = [
            Some(r.id),
            Some(r.title),
            Some(r.description),
            Some(r.party.to_owned()),
            r.party_name,
            Some(r.state.to_owned()),
            Some(r.state_sv.to_owned()),
            r.starts_on,
            r.target_on,
            r.cancel_reason,
        ];
        for (col, t) in texts.into_iter().enumerate() {
            if let Some(t) = t {
                ws.string(col as u16, &t, Style::Plain)?;
            }
        }
        ws.number(10, r.lat, Style::Plain)?;
        ws.number(11, r.lon, Style::Plain)?;
        if let Some(area) = r.area {
            ws.string(12, &area, Style::Plain)?;
        }
        ws.number(13, r.pin_count as f64, Style::Plain)?;
        ws.string(14, &r.pin_ids, Style::Plain)?;
        ws.string(15, &r.updated_at, Style::Plain)?;
    }
    ws.finish(Some(COLUMNS.len() as u16))?;
    Ok(wb.finish()?.into_inner())
}
