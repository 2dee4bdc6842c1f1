//! The lägesbild's aggregates, counted by the database (`GROUP BY`), so that 100 000 pins cost a
//! few thousand groups rather than 100 000 rows through the driver.
//!
//! Pins are grouped by their **local** day (Europe/Stockholm), which is stored with each pin
//! (`local_day`, from the tz database). SQLite reads the groups in order from covering indexes
//! (`pins_stats`, `pins_cells`: migration 0009), so it neither sorts nor reads whole rows;
//! PostgreSQL hashes them. An area filter (a polygon SQLite cannot test) is sent as the set of
//! ~11 m cells whose centre lies inside it; an area too large for that is cut along its edge on
//! rows grouped by cell instead.

use sqlx::QueryBuilder;

use super::staff::{push_filter, push_filter_by_day, Binds};
use super::{on, Kind, Storage};
use crate::filter::{AreaShape, PinFilter};
use crate::time::{local_day, local_day_start};

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

/// A fine cell's key: its row times this plus its column (columns stay below 2^20 for any
/// longitude up to 180°).
const KEY_ROW: i64 = 1 << 20;

/// Most fine cells an area filter is sent as (an area of about 25 km²); most tested to find
/// them.
const MAX_AREA_CELLS: usize = 200_000;
const MAX_AREA_SCAN: usize = 2_000_000;

/// A time column as Unix seconds.
fn unix(kind: Kind, column: &str) -> String {
    match kind {
        Kind::Sqlite => column.to_owned(),
        Kind::Postgres => format!("CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"),
    }
}

/// The whole cells of `column / d` (counted towards zero) as SQL: SQLite's `CAST AS INTEGER`,
/// which PostgreSQL would round, hence `trunc`. For SQLite this is the text the indexes of
/// migration 0009 were made with.
fn whole(kind: Kind, column: &str, d: f64) -> String {
    match kind {
        Kind::Sqlite => format!("CAST({column} / {d} AS INTEGER)"),
        Kind::Postgres => format!("trunc({column} / CAST({d} AS DOUBLE PRECISION))"),
    }
}

/// The cell's centre as `cell_lat`, `cell_lon`.
fn cell_centre(kind: Kind, (dlat, dlon): (f64, f64)) -> String {
    format!(
        "({} + 0.5) * {dlat} AS cell_lat, ({} + 0.5) * {dlon} AS cell_lon",
        whole(kind, "lat", dlat),
        whole(kind, "lon", dlon)
    )
}

/// `GROUP BY` terms of the cell (the indexed expressions, not the centres).
fn cell_group(kind: Kind, (dlat, dlon): (f64, f64)) -> String {
    format!("{}, {}", whole(kind, "lat", dlat), whole(kind, "lon", dlon))
}

fn no_cell() -> &'static str {
    "CAST(0 AS DOUBLE PRECISION) AS cell_lat, CAST(0 AS DOUBLE PRECISION) AS cell_lon"
}

fn key_sql(kind: Kind) -> String {
    let (lat, lon) = (whole(kind, "lat", FINE.0), whole(kind, "lon", FINE.1));
    match kind {
        Kind::Sqlite => format!("{lat} * {KEY_ROW} + {lon}"),
        Kind::Postgres => format!("CAST({lat} * {KEY_ROW} + {lon} AS BIGINT)"),
    }
}

/// The keys of the fine cells whose centre lies in `area`, ascending; `None` when there are
/// too many to send (the rows are then grouped by cell and cut here).
pub fn area_cells(area: &AreaShape) -> Option<Vec<i64>> {
    let (min_lon, min_lat, max_lon, max_lat) = area.bounds();
    let (dlat, dlon) = FINE;
    let rows = (min_lat / dlat) as i64 - 1..=(max_lat / dlat) as i64 + 1;
    let cols = (min_lon / dlon) as i64 - 1..=(max_lon / dlon) as i64 + 1;
    if rows.clone().count().saturating_mul(cols.clone().count()) > MAX_AREA_SCAN {
        return None;
    }
    let mut keys = Vec::new();
    for row in rows {
        let lat = (row as f64 + 0.5) * dlat;
        for col in cols.clone() {
            if area.contains(lat, (col as f64 + 0.5) * dlon) {
                keys.push(row * KEY_ROW + col);
                if keys.len() > MAX_AREA_CELLS {
                    return None;
                }
            }
        }
    }
    Some(keys)
}

/// How a query meets the area filter.
#[derive(Clone)]
enum AreaCut {
    /// No area.
    None,
    /// Only pins in these fine cells.
    Cells(String),
    /// Rows grouped by fine cell, cut here.
    Rows,
}

impl AreaCut {
    fn of(f: &PinFilter) -> AreaCut {
        match f.area.as_ref().map(area_cells) {
            None => AreaCut::None,
            Some(Some(keys)) => AreaCut::Cells(keys_json(&keys)),
            Some(None) => AreaCut::Rows,
        }
    }
}

/// `[1,2,3]`: SQLite reads it with `json_each`, PostgreSQL as `bigint[]` from JSON.
fn keys_json(keys: &[i64]) -> String {
    let mut out = String::with_capacity(keys.len() * 12 + 2);
    out.push('[');
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&k.to_string());
    }
    out.push(']');
    out
}

/// The conditions of `f` the database tests: an area sent as its cells needs no box around
/// it (the box would steer the planner to the position index and whole rows).
fn push_conditions<DB: Binds>(
    kind: Kind,
    q: &mut QueryBuilder<'_, DB>,
    f: &PinFilter,
    cut: &AreaCut,
) {
    if matches!(cut, AreaCut::Cells(_)) {
        let without_box = PinFilter {
            area: None,
            ..f.clone()
        };
        push_filter_by_day(q, &without_box);
    } else {
        push_filter_by_day(q, f);
    }
    push_cells(kind, q, cut);
}

/// ` AND <fine cell key> IN (the area's cells)`.
fn push_cells<DB: Binds>(kind: Kind, q: &mut QueryBuilder<'_, DB>, cut: &AreaCut) {
    let AreaCut::Cells(json) = cut else {
        return;
    };
    q.push(format!(" AND {} IN (", key_sql(kind)));
    match kind {
        Kind::Sqlite => q.push("SELECT value FROM json_each("),
        Kind::Postgres => q.push("SELECT CAST(jsonb_array_elements_text(CAST("),
    };
    DB::bind_string(q, json.clone());
    match kind {
        Kind::Sqlite => q.push("))"),
        Kind::Postgres => q.push(" AS JSONB)) AS BIGINT))"),
    };
}

fn day_query<'a, DB: Binds>(
    kind: Kind,
    explain: &str,
    f: &PinFilter,
    cut: &AreaCut,
) -> QueryBuilder<'a, DB> {
    let by_cell = matches!(cut, AreaCut::Rows);
    let mut q = QueryBuilder::new(format!(
        "{explain}SELECT local_day AS day, category, time_of_day, status, COUNT(*) AS count, \
         CAST(SUM(agree_count) AS BIGINT) AS agrees, "
    ));
    q.push(if by_cell {
        cell_centre(kind, FINE)
    } else {
        no_cell().to_owned()
    });
    q.push(" FROM pins WHERE 1 = 1");
    push_conditions(kind, &mut q, f, cut);
    q.push(" GROUP BY local_day, category, time_of_day, status");
    if by_cell {
        q.push(format!(", {}", cell_group(kind, FINE)));
    }
    q
}

fn cell_query<'a, DB: Binds>(
    kind: Kind,
    explain: &str,
    f: &PinFilter,
    cut: &AreaCut,
) -> QueryBuilder<'a, DB> {
    let size = if matches!(cut, AreaCut::Rows) {
        FINE
    } else {
        COARSE
    };
    let mut q = QueryBuilder::new(format!("{explain}SELECT "));
    q.push(cell_centre(kind, size));
    q.push(", COUNT(*) AS count FROM pins WHERE 1 = 1");
    push_conditions(kind, &mut q, f, cut);
    q.push(format!(" GROUP BY {}", cell_group(kind, size)));
    q
}

impl Storage {
    /// Stores the local day of pins that have none (stored before migration 0009, or by an
    /// older server during an upgrade): one statement per local day they span. Returns how
    /// many pins it filled.
    pub(crate) async fn fill_local_days(&self) -> Result<u64, sqlx::Error> {
        let (first, last): (Option<i64>, Option<i64>) = on!(self.pool(), |p| {
            let (a, b): (super::Maybe<super::Time>, super::Maybe<super::Time>) = sqlx::query_as(
                "SELECT MIN(created_at), MAX(created_at) FROM pins WHERE local_day IS NULL",
            )
            .fetch_one(p)
            .await?;
            (a.0.map(|t| t.0), b.0.map(|t| t.0))
        });
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(0);
        };
        let days = local_day(first)..=local_day(last);
        self.write(move |mut c| {
            Box::pin(async move {
                let mut n = 0;
                for day in days {
                    n += on!(c, |x| sqlx::query(
                        "UPDATE pins SET local_day = $1
                         WHERE local_day IS NULL AND created_at >= $2 AND created_at < $3"
                    )
                    .bind(day)
                    .bind(super::Time(local_day_start(day)))
                    .bind(super::Time(local_day_start(day + 1)))
                    .execute(x)
                    .await?
                    .rows_affected());
                }
                Ok(n)
            })
        })
        .await
    }

    /// Pins per local day, category, time of day and state.
    pub async fn day_groups(&self, f: &PinFilter) -> Result<Vec<DayGroup>, sqlx::Error> {
        let kind = self.kind();
        let cut = AreaCut::of(f);
        let rows: Vec<DayGroup> = on!(self.pool(), |p| day_query(kind, "", f, &cut)
            .build_query_as()
            .fetch_all(p)
            .await?);
        let by_cell = matches!(cut, AreaCut::Rows);
        Ok(rows
            .into_iter()
            .filter(|g| !by_cell || f.keeps_at(g.cell_lat, g.cell_lon))
            .collect())
    }

    /// Pins per ~50 m cell (fine when a large area is cut along its edge). With an area, the
    /// cells are those of the pins in it: a coarse cell across its edge counts only them.
    pub async fn cell_groups(&self, f: &PinFilter) -> Result<Vec<CellGroup>, sqlx::Error> {
        let kind = self.kind();
        let cut = AreaCut::of(f);
        let rows: Vec<CellGroup> = on!(self.pool(), |p| cell_query(kind, "", f, &cut)
            .build_query_as()
            .fetch_all(p)
            .await?);
        Ok(rows
            .into_iter()
            .filter(|g| !matches!(cut, AreaCut::Rows) || f.keeps_at(g.cell_lat, g.cell_lon))
            .collect())
    }

    /// The database's plans for the day and cell groups of `f` (for tests of the indexes).
    pub async fn stats_plans(&self, f: &PinFilter) -> Result<[String; 2], sqlx::Error> {
        use sqlx::Row;
        let kind = self.kind();
        let cut = AreaCut::of(f);
        let (explain, detail) = match kind {
            Kind::Sqlite => ("EXPLAIN QUERY PLAN ", 3),
            Kind::Postgres => ("EXPLAIN ", 0),
        };
        on!(self.pool(), |p| {
            let mut out = [String::new(), String::new()];
            for (i, mut q) in [
                day_query(kind, explain, f, &cut),
                cell_query(kind, explain, f, &cut),
            ]
            .into_iter()
            .enumerate()
            {
                let rows = q.build().fetch_all(p).await?;
                let lines: Result<Vec<String>, sqlx::Error> =
                    rows.iter().map(|r| r.try_get(detail)).collect();
                out[i] = lines?.join("\n");
            }
            Ok(out)
        })
    }

    /// Answered pins per party and hours to the first answer and to done.
    pub async fn answer_groups(&self, f: &PinFilter) -> Result<Vec<AnswerGroup>, sqlx::Error> {
        let kind = self.kind();
        let cut = AreaCut::of(f);
        let by_cell = matches!(cut, AreaCut::Rows);
        let created = unix(kind, "created_at");
        let rows: Vec<AnswerGroup> = on!(self.pool(), |p| {
            let mut q = QueryBuilder::new(format!(
                "SELECT response_party AS party,
                        ({} - {created}) / 3600 AS answer_hours,
                        ({} - {created}) / 3600 AS done_hours, COUNT(*) AS count, ",
                unix(kind, "first_response_at"),
                unix(kind, "done_at"),
            ));
            q.push(if by_cell {
                cell_centre(kind, FINE)
            } else {
                no_cell().to_owned()
            });
            q.push(" FROM pins WHERE first_response_at IS NOT NULL");
            push_filter(&mut q, f);
            push_cells(kind, &mut q, &cut);
            q.push(" GROUP BY party, answer_hours, done_hours");
            if by_cell {
                q.push(format!(", {}", cell_group(kind, FINE)));
            }
            q.build_query_as().fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .filter(|g| !by_cell || f.keeps_at(g.cell_lat, g.cell_lon))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key of the fine cell a point lies in (as [`key_sql`] computes it).
    fn fine_key(lat: f64, lon: f64) -> i64 {
        (lat / FINE.0) as i64 * KEY_ROW + (lon / FINE.1) as i64
    }

    #[test]
    fn the_indexes_hold_the_expressions_the_queries_group_by() {
        let migration = include_str!("../../migrations/sqlite/0009_stats_indexes.sql");
        assert!(
            migration.contains(&format!(
                "pins ({}, hidden",
                cell_group(Kind::Sqlite, COARSE)
            )),
            "pins_cells must index {}",
            cell_group(Kind::Sqlite, COARSE)
        );
    }

    #[test]
    fn fine_keys_match_the_cells_sent_for_an_area() {
        let areas = crate::places::areas();
        let arboga = areas.iter().find(|a| a.name == "Arboga").expect("Arboga");
        let shape = AreaShape::Tatort(arboga);
        let keys = area_cells(&shape).expect("Arboga is small enough");
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "ascending, once each");
        // A point in the town centre lies in one of the cells, one far outside does not.
        let (lat, lon) = (59.3937, 15.8397);
        assert!(shape.contains(lat, lon));
        assert!(keys.binary_search(&fine_key(lat, lon)).is_ok());
        assert!(keys.binary_search(&fine_key(59.20, 15.60)).is_err());
        // Every cell's centre is inside.
        for k in keys.iter().step_by(97) {
            let (row, col) = (k.div_euclid(KEY_ROW), k.rem_euclid(KEY_ROW));
            assert!(shape.contains((row as f64 + 0.5) * FINE.0, (col as f64 + 0.5) * FINE.1));
        }
    }

    #[test]
    fn keys_travel_as_a_json_array() {
        assert_eq!(keys_json(&[]), "[]");
        assert_eq!(keys_json(&[1, 624_111_695]), "[1,624111695]");
    }
}
