//! The lägesbild's aggregates as a workbook, a sheet per table, for those who build their own
//! charts: the same numbers `GET /api/staff/stats` gives.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use trygghetskarta_shared::{Category, Stats};

use super::{category_sv, status_sv, time_of_day_sv};

const WEEKDAYS: [&str; 7] = [
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
];

fn header(ws: &mut Worksheet, names: &[&str], bold: &Format) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, 0)?;
    for (col, name) in names.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *name, bold)?;
        ws.set_column_width(col as u16, 16)?;
    }
    Ok(())
}

fn pairs(
    wb: &mut Workbook,
    name: &str,
    columns: [&str; 2],
    rows: impl IntoIterator<Item = (String, f64)>,
    bold: &Format,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    header(ws, &columns, bold)?;
    for (i, (label, value)) in rows.into_iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, label)?;
        ws.write_number(i as u32 + 1, 1, value)?;
    }
    Ok(())
}

pub fn workbook(s: &Stats) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    {
        let ws = wb.add_worksheet();
        ws.set_name(if s.bucket == "month" {
            "Per månad"
        } else {
            "Per vecka"
        })?;
        let mut cols = vec!["start", "totalt"];
        cols.extend(Category::ALL.map(category_sv));
        header(ws, &cols, &bold)?;
        for (i, b) in s.buckets.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, &b.start)?;
            ws.write_number(r, 1, b.total)?;
            for (j, c) in b.by_category.iter().enumerate() {
                ws.write_number(r, 2 + j as u16, c.count)?;
            }
        }
    }
    pairs(
        &mut wb,
        "Kategorier",
        ["kategori", "markeringar"],
        s.by_category
            .iter()
            .map(|c| (category_sv(c.key).to_owned(), f64::from(c.count))),
        &bold,
    )?;
    pairs(
        &mut wb,
        "Tid på dygnet",
        ["tid", "markeringar"],
        s.by_time_of_day
            .iter()
            .map(|c| (time_of_day_sv(c.key).to_owned(), f64::from(c.count))),
        &bold,
    )?;
    pairs(
        &mut wb,
        "Veckodag",
        ["veckodag", "markeringar"],
        WEEKDAYS
            .iter()
            .zip(&s.by_weekday)
            .map(|(d, n)| ((*d).to_owned(), f64::from(*n))),
        &bold,
    )?;
    pairs(
        &mut wb,
        "Områden",
        ["område", "markeringar"],
        s.by_area
            .iter()
            .map(|a| (a.name.clone(), f64::from(a.count))),
        &bold,
    )?;
    pairs(
        &mut wb,
        "Status",
        ["status", "markeringar"],
        s.by_status
            .iter()
            .map(|c| (status_sv(c.key).to_owned(), f64::from(c.count))),
        &bold,
    )?;
    {
        let ws = wb.add_worksheet();
        ws.set_name("Svarstider")?;
        header(
            ws,
            &[
                "ansvarig",
                "besvarade",
                "median dagar till svar",
                "median dagar till åtgärdad",
            ],
            &bold,
        )?;
        for (i, p) in s.by_party.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(
                r,
                0,
                if p.party.code() == "polis" {
                    "Polisen"
                } else {
                    "Arboga kommun"
                },
            )?;
            ws.write_number(r, 1, p.answered)?;
            if let Some(d) = p.median_days_to_answer {
                ws.write_number(r, 2, d)?;
            }
            if let Some(d) = p.median_days_to_done {
                ws.write_number(r, 3, d)?;
            }
        }
    }
    if let Some(c) = &s.comparison {
        let ws = wb.add_worksheet();
        ws.set_name("Jämförelse")?;
        let a = format!("{} – {}", c.a.from, c.a.to);
        let b = format!("{} – {}", c.b.from, c.b.to);
        header(ws, &["", &a, &b, "förändring %"], &bold)?;
        let rows = std::iter::once(&c.total)
            .chain(&c.by_category)
            .chain(&c.by_area);
        for (i, ch) in rows.enumerate() {
            let r = i as u32 + 1;
            let label = Category::parse(&ch.key)
                .map(category_sv)
                .unwrap_or(if ch.key == "total" { "Totalt" } else { &ch.key });
            ws.write_string(r, 0, label)?;
            ws.write_number(r, 1, ch.a)?;
            ws.write_number(r, 2, ch.b)?;
            if let Some(p) = ch.percent {
                ws.write_number(r, 3, p)?;
            }
        }
    }
    wb.save_to_buffer()
}
