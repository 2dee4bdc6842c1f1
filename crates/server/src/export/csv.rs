//! CSV for Excel with Swedish settings, and for GDAL/QGIS.
//!
//! - UTF-8 with a byte-order mark: without it Excel reads the file as Windows-1252 and
//!   garbles å, ä, ö. GDAL and QGIS skip the mark.
//! - Semicolon as the delimiter: Swedish Excel's list separator, so a double-click opens the
//!   file with its columns separated (a comma is the Swedish decimal separator).
//! - Coordinates as decimal degrees with a point (`59.3968`), as GIS tools expect; `lat` and
//!   `lon` columns (QGIS "Delimited text", GDAL `-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat`).
//! - Times as local `YYYY-MM-DD HH:MM:SS` (Europe/Stockholm), which Swedish Excel reads as a
//!   date and time.
//! - RFC 4180 quoting and CRLF line ends. A text that starts with `=`, `+`, `-`, `@` or a tab is
//!   prefixed with `'` so Excel never runs a resident's comment as a formula.

use super::{ExportPin, COLUMNS};

pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";
pub const DELIMITER: char = ';';

/// The byte-order mark and the header row.
pub fn header() -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&COLUMNS.join(";"));
    out.push_str("\r\n");
    out
}

fn field(value: &str, out: &mut String) {
    let needs_quotes = value.contains([DELIMITER, '"', '\n', '\r'])
        || value.starts_with(' ')
        || value.ends_with(' ');
    if needs_quotes {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Free text made safe for a spreadsheet: a text that looks like a formula gets a `'`.
pub fn safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// A field as it goes into the file (quoted when it must be).
pub fn quoted(value: &str) -> String {
    let mut out = String::new();
    field(value, &mut out);
    out
}

/// Free text from residents or staff: never a formula.
fn text(value: Option<&str>, out: &mut String) {
    field(&safe(value.unwrap_or("")), out);
}

/// One row, with its line end, appended to `out`.
/// Local `YYYY-MM-DD HH:MM:SS`.
pub fn local_time(t: jiff::civil::DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub fn row(p: &ExportPin, out: &mut String) {
    let when = local_time(p.created_local);
    let changed = p.status_changed_local.map(local_time).unwrap_or_default();
    let cells: [&dyn Fn(&mut String); 20] = [
        &|o| field(&p.id, o),
        &|o| o.push_str(&when),
        &|o| o.push_str(&p.lat.to_string()),
        &|o| o.push_str(&p.lon.to_string()),
        &|o| field(p.category, o),
        &|o| field(p.category_sv, o),
        &|o| field(p.time_of_day, o),
        &|o| field(p.time_of_day_sv, o),
        &|o| field(p.area.unwrap_or(""), o),
        &|o| text(p.place_description.as_deref(), o),
        &|o| text(p.comment.as_deref(), o),
        &|o| o.push_str(if p.comment_approved { "true" } else { "false" }),
        &|o| o.push_str(&p.agree_count.to_string()),
        &|o| o.push_str(if p.hidden { "true" } else { "false" }),
        &|o| text(p.hidden_reason.as_deref(), o),
        &|o| field(p.status, o),
        &|o| field(p.status_sv, o),
        &|o| o.push_str(&changed),
        &|o| text(p.public_response.as_deref(), o),
        &|o| field(p.action_id.as_deref().unwrap_or(""), o),
    ];
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(DELIMITER);
        }
        cell(out);
    }
    out.push_str("\r\n");
}

/// A whole file (tests, small exports).
pub fn document(pins: &[ExportPin]) -> String {
    let mut out = header();
    for p in pins {
        row(p, &mut out);
    }
    out
}
