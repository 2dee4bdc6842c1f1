//! The lägesbild's aggregates as a workbook, a sheet per table, for those who build their own
//! charts: the same numbers `GET /api/staff/stats` gives.

use std::io::Cursor;

use trygghetskarta_shared::{Category, Stats};

use super::workbook::{Book, Sheet, Style};

use super::{category_sv, status_sv, time_of_day_sv};

const WEEKDAYS: [&str; 7] = [
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
];

type Out = Cursor<Vec<u8>>;

/// A sheet with a frozen bold header row, every column 16 characters wide.
fn sheet<'b>(wb: &'b mut Book<Out>, names: &[&str]) -> std::io::Result<Sheet<'b, Out>> {
    let widths: Vec<(u16, f64)> = (0..names.len()).map(|c| (c as u16, 16.0)).collect();
    let mut ws = wb.sheet(&widths, true)?;
    ws.row()?;
    for (col, name) in names.iter().enumerate() {
        ws.string(col as u16, name, Style::Bold)?;
    }
    Ok(ws)
}

fn pairs(
    wb: &mut Book<Out>,
    columns: [&str; 2],
    rows: impl IntoIterator<Item = (String, f64)>,
) -> std::io::Result<()> {
    let mut ws = sheet(wb, &columns)?;
    for (label, value) in rows {
        ws.row()?;
        ws.string(0, &label, Style::Plain)?;
        ws.number(1, value, Style::Plain)?;
    }
    ws.finish(None)?;
    Ok(())
}

pub fn workbook(s: &Stats) -> std::io::Result<Vec<u8>> {
    let mut names = vec![
        if s.bucket == "month" {
            "Per månad"
        } else {
            "Per vecka"
        },
        "Kategorier",
        "Tid på dygnet",
        "Veckodag",
        "Områden",
        "Status",
        "Svarstider",
    ];
    if s.comparison.is_some() {
        names.push("Jämförelse");
    }
    let mut wb = Book::new(Cursor::new(Vec::new()), &names)?;
    {
        let mut cols = vec!["start", "totalt"];
        cols.extend(Category::ALL.map(category_sv));
        let mut ws = sheet(&mut wb, &cols)?;
        for b in &s.buckets {
            ws.row()?;
            ws.string(0, &b.start, Style::Plain)?;
            ws.number(1, f64::from(b.total), Style::Plain)?;
            for (j, c) in b.by_category.iter().enumerate() {
                ws.number(2 + j as u16, f64::from(c.count), Style::Plain)?;
            }
        }
        ws.finish(None)?;
    }
    pairs(
        &mut wb,
        ["kategori", "markeringar"],
        s.by_category
            .iter()
            .map(|c| (category_sv(c.key).to_owned(), f64::from(c.count))),
    )?;
    pairs(
        &mut wb,
        ["tid", "markeringar"],
        s.by_time_of_day
            .iter()
            .map(|c| (time_of_day_sv(c.key).to_owned(), f64::from(c.count))),
    )?;
    pairs(
        &mut wb,
        ["veckodag", "markeringar"],
        WEEKDAYS
            .iter()
            .zip(&s.by_weekday)
            .map(|(d, n)| ((*d).to_owned(), f64::from(*n))),
    )?;
    pairs(
        &mut wb,
        ["område", "markeringar"],
        s.by_area
            .iter()
            .map(|a| (a.name.clone(), f64::from(a.count))),
    )?;
    pairs(
        &mut wb,
        ["status", "markeringar"],
        s.by_status
            .iter()
            .map(|c| (status_sv(c.key).to_owned(), f64::from(c.count))),
    )?;
    {
        let mut ws = sheet(
            &mut wb,
            &[
                "ansvarig",
                "besvarade",
                "median dagar till svar",
                "median dagar till åtgärdad",
            ],
        )?;
        for p in &s.by_party {
            ws.row()?;
            let party = if p.party.code() == "polis" {
                "Polisen"
            } else {
                "Arboga kommun"
            };
            ws.string(0, party, Style::Plain)?;
            ws.number(1, f64::from(p.answered), Style::Plain)?;
            if let Some(d) = p.median_days_to_answer {
                ws.number(2, d, Style::Plain)?;
            }
            if let Some(d) = p.median_days_to_done {
                ws.number(3, d, Style::Plain)?;
            }
        }
        ws.finish(None)?;
    }
    if let Some(c) = &s.comparison {
        let a = format!("{} – {}", c.a.from, c.a.to);
        let b = format!("{} – {}", c.b.from, c.b.to);
        let mut ws = sheet(&mut wb, &["", &a, &b, "förändring %"])?;
        let rows = std::iter::once(&c.total)
            .chain(&c.by_category)
            .chain(&c.by_area);
        for ch in rows {
            ws.row()?;
            let label = Category::parse(&ch.key)
                .map(category_sv)
                .unwrap_or(if ch.key == "total" { "Totalt" } else { &ch.key });
            ws.string(0, label, Style::Plain)?;
            ws.number(1, f64::from(ch.a), Style::Plain)?;
            ws.number(2, f64::from(ch.b), Style::Plain)?;
            if let Some(p) = ch.percent {
                ws.number(3, p, Style::Plain)?;
            }
        }
        ws.finish(None)?;
    }
    Ok(wb.finish()?.into_inner())
}
