//! XLSX: a real workbook for Excel. Sheet "Markeringar" has one typed row per pin (times as
//! Excel date-times, numbers as numbers, booleans as booleans), a bold frozen header row and
//! filters on every column; sheet "Hotspots" has the hotspot summary of the same pins.
//!
//! Rows are streamed through [`super::workbook`] (deflated on a second thread as they come), so
//! memory does not grow with the number of pins; only the positions the hotspot summary needs
//! are kept.

use std::io::{Seek, Write};

use trygghetskarta_shared::{Category, Hotspot, TimeOfDay};

use super::workbook::{Book, Sheet, Style, MAX_ROWS};
use super::{category_sv, time_of_day_sv, ExportPin, COLUMNS};
use crate::hotspots::HotPoint;

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub const PINS_SHEET: &str = "Markeringar";
pub const HOTSPOTS_SHEET: &str = "Hotspots";

/// Why an XLSX export failed.
#[derive(Debug, thiserror::Error)]
pub enum XlsxExportError {
    #[error("workbook: {0}")]
    Io(#[from] std::io::Error),
    #[error("reading pins: {0}")]
    Rows(String),
    /// More pins than a sheet holds below its header row.
    #[error("more than {0} pins, the most an Excel sheet holds")]
    TooManyRows(u32),
}

/// The most pins the pins sheet holds: Excel's rows less the header.
pub const MAX_PINS: u32 = MAX_ROWS - 1;

fn opt<W: Write + Seek + Send + 'static>(
    ws: &mut Sheet<'_, W>,
    col: u16,
    v: Option<&str>,
) -> std::io::Result<()> {
    match v {
        Some(v) => ws.string(col, v, Style::Plain),
        None => Ok(()),
    }
}

/// Column widths of the pins sheet, in characters.
const WIDTHS: [u16; 20] = [
    38, 17, 11, 11, 10, 28, 11, 12, 12, 30, 50, 10, 8, 8, 30, 13, 16, 17, 50, 38,
];

/// Writes the workbook to `out` and gives it back. `rows` yields the pins in order; `hotspots`
/// turns the collected positions into the summary. Returns the number of pins written, or
/// [`XlsxExportError::TooManyRows`] as soon as a pin past [`MAX_PINS`] arrives.
pub fn write<W: Write + Seek + Send + 'static>(
    rows: impl Iterator<Item = Result<ExportPin, String>>,
    hotspots: impl FnOnce(&[HotPoint]) -> Vec<Hotspot>,
    out: W,
) -> Result<(u64, W), XlsxExportError> {
    write_at_most(rows, hotspots, out, MAX_PINS)
}

/// [`write`] with a smaller limit than a sheet's, for the tests.
pub fn write_at_most<W: Write + Seek + Send + 'static>(
    rows: impl Iterator<Item = Result<ExportPin, String>>,
    hotspots: impl FnOnce(&[HotPoint]) -> Vec<Hotspot>,
    out: W,
    max_pins: u32,
) -> Result<(u64, W), XlsxExportError> {
    let max_pins = max_pins.min(MAX_PINS);
    let mut wb = Book::new(out, &[PINS_SHEET, HOTSPOTS_SHEET])?;
    let mut points = Vec::new();
    let mut n: u32 = 0;
    {
        let widths: Vec<(u16, f64)> = WIDTHS
            .iter()
            .enumerate()
            .map(|(c, w)| (c as u16, f64::from(*w)))
            .collect();
        let mut ws = wb.sheet(&widths, true)?;
        ws.row()?;
        for (col, name) in COLUMNS.iter().enumerate() {
            ws.string(col as u16, name, Style::Bold)?;
        }
        for pin in rows {
            let p = pin.map_err(XlsxExportError::Rows)?;
            if n == max_pins {
                return Err(XlsxExportError::TooManyRows(max_pins));
            }
            n += 1;
            ws.row()?;
            ws.string(0, &p.id, Style::Plain)?;
            ws.datetime(1, p.created_local)?;
            ws.number(2, p.lat, Style::Degrees)?;
            ws.number(3, p.lon, Style::Degrees)?;
            ws.string(4, p.category, Style::Plain)?;
            ws.string(5, p.category_sv, Style::Plain)?;
            ws.string(6, p.time_of_day, Style::Plain)?;
            ws.string(7, p.time_of_day_sv, Style::Plain)?;
            opt(&mut ws, 8, p.area)?;
            opt(&mut ws, 9, p.place_description.as_deref())?;
            opt(&mut ws, 10, p.comment.as_deref())?;
            ws.boolean(11, p.comment_approved)?;
            ws.number(12, p.agree_count as f64, Style::Plain)?;
            ws.boolean(13, p.hidden)?;
            opt(&mut ws, 14, p.hidden_reason.as_deref())?;
            ws.string(15, p.status, Style::Plain)?;
            ws.string(16, p.status_sv, Style::Plain)?;
            if let Some(t) = p.status_changed_local {
                ws.datetime(17, t)?;
            }
            opt(&mut ws, 18, p.public_response.as_deref())?;
            opt(&mut ws, 19, p.action_id.as_deref())?;
            points.push(HotPoint::from_codes(
                p.lat,
                p.lon,
                p.category,
                p.time_of_day,
                p.agree_count,
            ));
        }
        ws.finish(Some(COLUMNS.len() as u16))?;
    }
    {
        let spots = hotspots(&points);
        let mut header: Vec<String> = [
            "rank",
            "count",
            "lat",
            "lon",
            "area",
            "nearest_place",
            "nearest_place_m",
            "radius_m",
            "agree_total",
        ]
        .map(str::to_owned)
        .to_vec();
        header.extend(Category::ALL.map(|c| category_sv(c).to_owned()));
        header.extend(TimeOfDay::ALL.map(|t| time_of_day_sv(t).to_owned()));
        let mut ws = wb.sheet(&[(5, 24.0)], true)?;
        ws.row()?;
        for (col, name) in header.iter().enumerate() {
            ws.string(col as u16, name, Style::Bold)?;
        }
        for s in &spots {
            ws.row()?;
            ws.number(0, f64::from(s.rank), Style::Plain)?;
            ws.number(1, f64::from(s.count), Style::Plain)?;
            ws.number(2, s.lat, Style::Degrees)?;
            ws.number(3, s.lon, Style::Degrees)?;
            opt(&mut ws, 4, s.area.as_deref())?;
            if let Some(p) = &s.nearest_place {
                ws.string(5, &p.name, Style::Plain)?;
                ws.number(6, p.distance_m, Style::Plain)?;
            }
            ws.number(7, s.radius_m, Style::Plain)?;
            ws.number(8, f64::from(s.agree_total), Style::Plain)?;
            let mut col = 9u16;
            for c in Category::ALL {
                let count = s
                    .by_category
                    .iter()
                    .find(|x| x.key == c)
                    .map_or(0, |x| x.count);
                ws.number(col, f64::from(count), Style::Plain)?;
                col += 1;
            }
            for t in TimeOfDay::ALL {
                let count = s
                    .by_time_of_day
                    .iter()
                    .find(|x| x.key == t)
                    .map_or(0, |x| x.count);
                ws.number(col, f64::from(count), Style::Plain)?;
                col += 1;
            }
        }
        ws.finish(Some(header.len() as u16))?;
    }
    Ok((u64::from(n), wb.finish()?))
}
