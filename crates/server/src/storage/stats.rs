//! The lägesbild's aggregates, counted by the database (`GROUP BY`), so that 100 000 pins cost a
//! few thousand groups rather than 100 000 rows through the driver.
//!
//! Pins are grouped by their **local** day: the Unix time plus Stockholm's offset, which the
//! query computes from the EU summer-time rule (last Sunday of March to last Sunday of October,
//! 01:00 UTC) for the years around the data. With an area filter (whose polygon SQLite cannot
//! test) the groups are also split by an 11 m cell, and cells outside the area are dropped.
//! The same rule on both backends (rather than PostgreSQL's own time zones), so both count the
//! same days.

use std::ops::RangeInclusive;

use sqlx::QueryBuilder;

use super::staff::{push_filter, Binds};
use super::{on, Kind, Maybe, Storage, Time};
use crate::filter::PinFilter;

/// Pins of one local day, category, time of day and state (in one fine cell when asked).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DayGroup {
    /// Local days since 1970-01-01.
    pub day: i64,
    pub category: String,
    pub time_of_day: String,
    pub status: String,
    pub count: i64,
    pub agrees: i64,
    pub cell_lat: f64,
    pub cell_lon: f64,
}

/// Pins in one cell (its centre), for counts per area.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CellGroup {
    pub cell_lat: f64,
    pub cell_lon: f64,
    pub count: i64,
}

/// Answered pins of one party, by whole hours to the first answer and to "done".
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AnswerGroup {
    pub party: Option<String>,
    pub answer_hours: i64,
    pub done_hours: Option<i64>,
    pub count: i64,
    pub cell_lat: f64,
    pub cell_lon: f64,
}

/// Cell sizes in degrees: the public ~50 m grid for area counts, ~11 m to cut along an area.
pub const COARSE: (f64, f64) = (0.000_45, 0.000_9);
pub const FINE: (f64, f64) = (0.000_1, 0.000_2);

/// Summer time in Stockholm for `year`: `[start, end)` in Unix seconds.
pub fn summer_time(year: i16) -> (i64, i64) {
    let last_sunday = |month: i8| {
        let last = jiff::civil::Date::new(year, month, 31).expect("March and October have 31 days");
        let back = i64::from(last.weekday().to_monday_zero_offset() + 1) % 7;
        let day = last
            .checked_sub(jiff::Span::new().days(back))
            .expect("in range");
        day.at(1, 0, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .expect("a UTC time")
            .timestamp()
            .as_second()
    };
    (last_sunday(3), last_sunday(10))
}

/// Years whose summer time the query knows; pins outside them count as winter time.
const YEARS: std::ops::RangeInclusive<i16> = 2015..=2045;

/// A time column as Unix seconds.
fn unix(kind: Kind, column: &str) -> String {
    match kind {
        Kind::Sqlite => column.to_owned(),
        Kind::Postgres => format!("CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"),
    }
}

/// The years of `YEARS` from the first stored pin's to the last one's (`None` without pins).
pub fn years_between(first: Option<i64>, last: Option<i64>) -> Option<RangeInclusive<i16>> {
    let year = |t: i64| {
        jiff::Timestamp::from_second(t)
            .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).year())
            .unwrap_or(*YEARS.start())
            .clamp(*YEARS.start(), *YEARS.end())
    };
    Some(year(first?)..=year(last?))
}

/// `(created_at + offset) / 86400` as SQL, with its binds pushed: one summer-time test per
/// year in `years` (the years the pins span: testing all of `YEARS` on every row made the
/// query three times as slow).
fn push_local_day<DB: Binds>(
    kind: Kind,
    q: &mut QueryBuilder<'_, DB>,
    years: Option<RangeInclusive<i16>>,
) {
    q.push(format!("(({} + 3600 + ", unix(kind, "created_at")));
    let Some(years) = years else {
        q.push("0) / 86400)");
        return;
    };
    q.push("CASE");
    for y in years {
        let (start, end) = summer_time(y);
        q.push(" WHEN created_at >= ");
        DB::bind_time(q, Time(start));
        q.push(" AND created_at < ");
        DB::bind_time(q, Time(end));
        q.push(" THEN 3600");
    }
    q.push(" ELSE 0 END) / 86400)");
}

/// The cell's centre: whole cells counted towards zero (SQLite's `CAST AS INTEGER`, which
/// PostgreSQL would round, hence `trunc`).
fn push_cell<DB: Binds>(kind: Kind, q: &mut QueryBuilder<'_, DB>, (dlat, dlon): (f64, f64)) {
    let whole = |column: &str, d: f64| match kind {
        Kind::Sqlite => format!("CAST({column} / {d} AS INTEGER)"),
        Kind::Postgres => format!("trunc({column} / CAST({d} AS DOUBLE PRECISION))"),
    };
    q.push(format!(
        "({} + 0.5) * {dlat} AS cell_lat, ({} + 0.5) * {dlon} AS cell_lon",
        whole("lat", dlat),
        whole("lon", dlon)
    ));
}

fn no_cell() -> &'static str {
    "CAST(0 AS DOUBLE PRECISION) AS cell_lat, CAST(0 AS DOUBLE PRECISION) AS cell_lon"
}

impl Storage {
    /// Pins per local day, category, time of day and state.
    pub async fn day_groups(&self, f: &PinFilter) -> Result<Vec<DayGroup>, sqlx::Error> {
        let cells = f.area.is_some();
        let kind = self.kind();
        // Two index lookups (`pins_created_at`).
        let (first, last): (Maybe<Time>, Maybe<Time>) = on!(self.pool(), |p| {
            sqlx::query_as("SELECT MIN(created_at), MAX(created_at) FROM pins")
                .fetch_one(p)
                .await?
        });
        let years = years_between(first.0.map(i64::from), last.0.map(i64::from));
        let rows: Vec<DayGroup> = on!(self.pool(), |p| {
            let mut q = QueryBuilder::new("SELECT ");
            push_local_day(kind, &mut q, years.clone());
            q.push(
                " AS day, category, time_of_day, status, COUNT(*) AS count, \
                 CAST(SUM(agree_count) AS BIGINT) AS agrees, ",
            );
            if cells {
                push_cell(kind, &mut q, FINE);
            } else {
                q.push(no_cell());
            }
            q.push(" FROM pins WHERE 1 = 1");
            push_filter(&mut q, f);
            q.push(" GROUP BY day, category, time_of_day, status");
            if cells {
                q.push(", cell_lat, cell_lon");
            }
            q.build_query_as().fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .filter(|g| !cells || f.keeps_at(g.cell_lat, g.cell_lon))
            .collect())
    }

    /// Pins per cell (coarse; fine when an area filter cuts along its edge).
    pub async fn cell_groups(&self, f: &PinFilter) -> Result<Vec<CellGroup>, sqlx::Error> {
        let kind = self.kind();
        let rows: Vec<CellGroup> = on!(self.pool(), |p| {
            let mut q = QueryBuilder::new("SELECT ");
            push_cell(kind, &mut q, if f.area.is_some() { FINE } else { COARSE });
            q.push(", COUNT(*) AS count FROM pins WHERE 1 = 1");
            push_filter(&mut q, f);
            q.push(" GROUP BY cell_lat, cell_lon");
            q.build_query_as().fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .filter(|g| f.keeps_at(g.cell_lat, g.cell_lon))
            .collect())
    }

    /// Answered pins per party and hours to the first answer and to done.
    pub async fn answer_groups(&self, f: &PinFilter) -> Result<Vec<AnswerGroup>, sqlx::Error> {
        let cells = f.area.is_some();
        let kind = self.kind();
        let created = unix(kind, "created_at");
        let rows: Vec<AnswerGroup> = on!(self.pool(), |p| {
            let mut q = QueryBuilder::new(format!(
                "SELECT response_party AS party,
                        ({} - {created}) / 3600 AS answer_hours,
                        ({} - {created}) / 3600 AS done_hours, COUNT(*) AS count, ",
                unix(kind, "first_response_at"),
                unix(kind, "done_at"),
            ));
            if cells {
                push_cell(kind, &mut q, FINE);
            } else {
                q.push(no_cell());
            }
            q.push(" FROM pins WHERE first_response_at IS NOT NULL");
            push_filter(&mut q, f);
            q.push(" GROUP BY party, answer_hours, done_hours");
            if cells {
                q.push(", cell_lat, cell_lon");
            }
            q.build_query_as().fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .filter(|g| !cells || f.keeps_at(g.cell_lat, g.cell_lon))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_years_tested_are_those_the_pins_span() {
        let at = |y: i16| {
            jiff::civil::date(y, 6, 1)
                .at(12, 0, 0, 0)
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .expect("a UTC time")
                .timestamp()
                .as_second()
        };
        assert_eq!(
            years_between(Some(at(2025)), Some(at(2027))),
            Some(2025..=2027)
        );
        assert_eq!(
            years_between(Some(at(2026)), Some(at(2026))),
            Some(2026..=2026)
        );
        assert_eq!(years_between(Some(at(1990)), Some(at(2100))), Some(YEARS));
        assert_eq!(years_between(None, None), None);
    }

    #[test]
    fn summer_time_matches_the_tz_database() {
        let tz = crate::time::local_tz();
        for year in YEARS {
            let (start, end) = summer_time(year);
            let offset = |t: i64| {
                tz.to_offset(jiff::Timestamp::from_second(t).unwrap())
                    .seconds()
            };
            assert_eq!(offset(start - 1), 3600, "{year} before start");
            assert_eq!(offset(start), 7200, "{year} start");
            assert_eq!(offset(end - 1), 7200, "{year} before end");
            assert_eq!(offset(end), 3600, "{year} end");
        }
    }
}
