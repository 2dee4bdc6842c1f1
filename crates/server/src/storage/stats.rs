//! The lägesbild's aggregates, counted by the database (`GROUP BY`), so that 100 000 pins cost a
//! few thousand groups rather than 100 000 rows through the driver.
//!
//! Pins are grouped by their **local** day (Europe/Stockholm), which is stored with each pin
//! (`local_day`, from the tz database). SQLite reads the groups in order from covering indexes
//! (`pins_stats`, `pins_cells`: migration 0009), so it neither sorts nor reads whole rows;
//! PostgreSQL hashes them. An area filter (a polygon SQLite cannot test) is sent as the set of
//! ~11 m cells whose centre lies inside it; an area too large for that is cut along its edge on
//! rows grouped by cell instead.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use sqlx::QueryBuilder;

use super::staff::{explain_for, push_filter_by_day, Binds};
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

/// Most keys an area filter is sent as (blocks and edge cells; Arboga tätort is ~6 000), and
/// most fine cells tested to find them (an area of about 20 km²).
const MAX_AREA_CELLS: usize = 50_000;
const MAX_AREA_SCAN: usize = 2_000_000;

/// Fine cells (about 2.5 km²) up to which an area's box is sent too.
const SMALL_AREA_CELLS: usize = 20_000;

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

/// A cell's row or column (whole cells from zero) as SQL, an integer on both backends.
fn index_sql(kind: Kind, column: &str, d: f64) -> String {
    match kind {
        Kind::Sqlite => whole(kind, column, d),
        Kind::Postgres => format!("CAST({} AS BIGINT)", whole(kind, column, d)),
    }
}

/// A cell's row and column for cells of `(dlat, dlon)` degrees.
fn cell_indexes(kind: Kind, (dlat, dlon): (f64, f64)) -> (String, String) {
    (index_sql(kind, "lat", dlat), index_sql(kind, "lon", dlon))
}

/// The aggregate that joins texts with a separator.
fn join_texts(kind: Kind) -> &'static str {
    match kind {
        Kind::Sqlite => "group_concat",
        Kind::Postgres => "string_agg",
    }
}

/// Fine cells per side of a block: an area goes to the database as the blocks wholly inside
/// it and the fine cells of the blocks across its edge (a few thousand keys, not 100 000).
const BLOCK: i64 = 8;

/// The fine cells whose centre lies in an area, as block and cell keys.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaCells {
    /// `block row * KEY_ROW + block column`, ascending.
    pub blocks: Vec<i64>,
    /// `row * KEY_ROW + column` of cells in blocks across the edge, ascending.
    pub cells: Vec<i64>,
}

#[cfg(test)]
impl AreaCells {
    /// Whether the fine cell `(row, col)` is in the area.
    pub fn has(&self, row: i64, col: i64) -> bool {
        self.blocks
            .binary_search(&(row / BLOCK * KEY_ROW + col / BLOCK))
            .is_ok()
            || self.cells.binary_search(&(row * KEY_ROW + col)).is_ok()
    }
}

/// The fine cells whose centre lies in `area`; `None` when they are too many to send, or the
/// area is south of the equator or west of Greenwich (where SQL's division towards zero would
/// put cells in other blocks): its rows are then grouped by cell and cut here.
pub fn area_cells(area: &AreaShape) -> Option<AreaCells> {
    let (min_lon, min_lat, max_lon, max_lat) = area.bounds();
    if min_lat < FINE.0 * 2.0 || min_lon < FINE.1 * 2.0 {
        return None;
    }
    let (dlat, dlon) = FINE;
    let first = |min: f64, d: f64| ((min / d) as i64 - 1) / BLOCK;
    let last = |max: f64, d: f64| ((max / d) as i64 + 1) / BLOCK;
    let block_rows = first(min_lat, dlat)..=last(max_lat, dlat);
    let block_cols = first(min_lon, dlon)..=last(max_lon, dlon);
    let tests = (block_rows.clone().count() * block_cols.clone().count()) as i64 * BLOCK * BLOCK;
    if tests > MAX_AREA_SCAN as i64 {
        return None;
    }
    let mut out = AreaCells {
        blocks: Vec::new(),
        cells: Vec::new(),
    };
    let mut inside = Vec::with_capacity((BLOCK * BLOCK) as usize);
    for block_row in block_rows {
        for block_col in block_cols.clone() {
            inside.clear();
            for row in block_row * BLOCK..(block_row + 1) * BLOCK {
                let lat = (row as f64 + 0.5) * dlat;
                for col in block_col * BLOCK..(block_col + 1) * BLOCK {
                    if area.contains(lat, (col as f64 + 0.5) * dlon) {
                        inside.push(row * KEY_ROW + col);
                    }
                }
            }
            if inside.len() == (BLOCK * BLOCK) as usize {
                out.blocks.push(block_row * KEY_ROW + block_col);
            } else {
                out.cells.extend_from_slice(&inside);
            }
        }
    }
    out.cells.sort_unstable();
    if out.blocks.len() + out.cells.len() > MAX_AREA_CELLS {
        return None;
    }
    Some(out)
}

/// The cells of a tätort, found once per process (they never change).
fn tatort_cells(area: &'static crate::places::Area) -> Option<Arc<SentCells>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Arc<SentCells>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok()?.get(&area.name) {
        return found.clone();
    }
    let cells = area_cells(&AreaShape::Tatort(area)).map(|c| Arc::new(SentCells::new(&c)));
    if let Ok(mut map) = cache.lock() {
        map.insert(area.name.clone(), cells.clone());
    }
    cells
}

/// An area's cells as the JSON arrays the queries bind.
#[derive(Debug)]
struct SentCells {
    blocks: String,
    cells: String,
    /// Few enough fine cells that the box around them narrows the rows better than the
    /// indexes' order helps (the position index, then the pins in the box).
    small: bool,
}

impl SentCells {
    fn new(c: &AreaCells) -> SentCells {
        SentCells {
            blocks: keys_json(&c.blocks),
            cells: keys_json(&c.cells),
            small: c.blocks.len() * (BLOCK * BLOCK) as usize + c.cells.len() <= SMALL_AREA_CELLS,
        }
    }
}

/// How a query meets the area filter.
#[derive(Clone)]
enum AreaCut {
    /// No area.
    None,
    /// Only pins in these cells.
    Cells(Arc<SentCells>),
    /// Rows grouped by fine cell, cut here.
    Rows,
}

impl AreaCut {
    /// Cells are counted ~50 m wide, or ~11 m to cut a large area along its edge.
    fn cell_size(&self) -> (f64, f64) {
        match self {
            AreaCut::Rows => FINE,
            _ => COARSE,
        }
    }

    fn of(f: &PinFilter) -> AreaCut {
        let cells = match &f.area {
            None => return AreaCut::None,
            Some(AreaShape::Tatort(a)) => tatort_cells(a),
            Some(shape) => area_cells(shape).map(|c| Arc::new(SentCells::new(&c))),
        };
        cells.map_or(AreaCut::Rows, AreaCut::Cells)
    }
}

/// `[1,2,3]`: SQLite reads it with `json_each`, PostgreSQL with `jsonb_array_elements_text`.
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

/// The conditions of `f` the database tests: a large area sent as its cells goes without the
/// box around it (the box would steer the planner to the position index and whole rows for
/// most pins); a small one keeps it (the position index then finds its few pins).
fn push_conditions<DB: Binds>(
    kind: Kind,
    q: &mut QueryBuilder<'_, DB>,
    f: &PinFilter,
    cut: &AreaCut,
) {
    if matches!(cut, AreaCut::Cells(sent) if !sent.small) {
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

/// ` AND (its block is inside OR its fine cell is)`.
fn push_cells<DB: Binds>(kind: Kind, q: &mut QueryBuilder<'_, DB>, cut: &AreaCut) {
    let AreaCut::Cells(sent) = cut else {
        return;
    };
    let (row, col) = cell_indexes(kind, FINE);
    let key_in = |q: &mut QueryBuilder<'_, DB>, key: String, json: &str| {
        q.push(format!("{key} IN ("));
        match kind {
            Kind::Sqlite => q.push("SELECT value FROM json_each("),
            Kind::Postgres => q.push("SELECT CAST(jsonb_array_elements_text(CAST("),
        };
        DB::bind_string(q, json.to_owned());
        match kind {
            Kind::Sqlite => q.push("))"),
            Kind::Postgres => q.push(" AS JSONB)) AS BIGINT))"),
        };
    };
    q.push(" AND (");
    key_in(
        q,
        format!("{row} / {BLOCK} * {KEY_ROW} + {col} / {BLOCK}"),
        &sent.blocks,
    );
    q.push(" OR ");
    key_in(q, format!("{row} * {KEY_ROW} + {col}"), &sent.cells);
    q.push(")");
}

/// The day groups as one text, `day category time status count agrees row col` joined by
/// commas (row and col of the fine cell when a large area is cut here, else 0), for the same
/// reason as [`cell_query`].
fn day_query<'a, DB: Binds>(
    kind: Kind,
    explain: &str,
    f: &PinFilter,
    cut: &AreaCut,
) -> QueryBuilder<'a, DB> {
    let by_cell = matches!(cut, AreaCut::Rows);
    let (row, col) = if by_cell {
        cell_indexes(kind, FINE)
    } else {
        ("0".to_owned(), "0".to_owned())
    };
    let join = join_texts(kind);
    let mut q = QueryBuilder::new(format!(
        "{explain}SELECT {join}(CAST(day AS TEXT) || ' ' || category || ' ' || time_of_day \
         || ' ' || status || ' ' || CAST(n AS TEXT) || ' ' || CAST(agrees AS TEXT) \
         || ' ' || CAST(a AS TEXT) || ' ' || CAST(b AS TEXT), ',') \
         FROM (SELECT local_day AS day, category, time_of_day, status, COUNT(*) AS n, \
         CAST(SUM(agree_count) AS BIGINT) AS agrees, {row} AS a, {col} AS b FROM pins WHERE 1 = 1"
    ));
    push_conditions(kind, &mut q, f, cut);
    q.push(" GROUP BY local_day, category, time_of_day, status");
    if by_cell {
        q.push(format!(", {row}, {col}"));
    }
    q.push(") AS days");
    q
}

/// Parses [`day_query`]'s text.
fn parse_days(text: &str) -> Result<Vec<DayGroup>, sqlx::Error> {
    let bad = || sqlx::Error::Decode(format!("day counts: {text:.80}").into());
    text.split(',')
        .filter(|g| !g.is_empty())
        .map(|group| {
            let p: Vec<&str> = group.split(' ').collect();
            let [day, category, time_of_day, status, count, agrees, row, col] = p[..] else {
                return Err(bad());
            };
            let int = |s: &str| s.parse::<i64>().map_err(|_| bad());
            Ok(DayGroup {
                day: int(day)?,
                category: category.to_owned(),
                time_of_day: time_of_day.to_owned(),
                status: status.to_owned(),
                count: int(count)?,
                agrees: int(agrees)?,
                cell_lat: (int(row)? as f64 + 0.5) * FINE.0,
                cell_lon: (int(col)? as f64 + 0.5) * FINE.1,
            })
        })
        .collect()
}

/// The cells as one text, `row col count` joined by commas: tens of thousands of cells as one
/// row rather than as rows through the driver (which cost more than the query itself).
fn cell_query<'a, DB: Binds>(
    kind: Kind,
    explain: &str,
    f: &PinFilter,
    cut: &AreaCut,
) -> QueryBuilder<'a, DB> {
    let (row, col) = cell_indexes(kind, cut.cell_size());
    let join = join_texts(kind);
    let mut q = QueryBuilder::new(format!(
        "{explain}SELECT {join}(CAST(a AS TEXT) || ' ' || CAST(b AS TEXT) || ' ' || CAST(n AS TEXT), ',') \
         FROM (SELECT {row} AS a, {col} AS b, COUNT(*) AS n FROM pins WHERE 1 = 1"
    ));
    push_conditions(kind, &mut q, f, cut);
    q.push(format!(" GROUP BY {row}, {col}) AS cells"));
    q
}

/// Parses [`cell_query`]'s text.
fn parse_cells(text: &str, (dlat, dlon): (f64, f64)) -> Result<Vec<CellGroup>, sqlx::Error> {
    let bad = || sqlx::Error::Decode(format!("cell counts: {text:.80}").into());
    text.split(',')
        .filter(|c| !c.is_empty())
        .map(|cell| {
            let mut parts = cell.split(' ').map(str::parse::<i64>);
            match (parts.next(), parts.next(), parts.next()) {
                (Some(Ok(row)), Some(Ok(col)), Some(Ok(count))) => Ok(CellGroup {
                    cell_lat: (row as f64 + 0.5) * dlat,
                    cell_lon: (col as f64 + 0.5) * dlon,
                    count,
                }),
                _ => Err(bad()),
            }
        })
        .collect()
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

    /// The day, cell and answer groups of one selection (its area's cells found once), read
    /// side by side.
    pub async fn stats_groups(
        &self,
        f: &PinFilter,
    ) -> Result<(Vec<DayGroup>, Vec<CellGroup>, Vec<AnswerGroup>), sqlx::Error> {
        let cut = AreaCut::of(f);
        // Three reads on three pooled connections at once.
        tokio::try_join!(
            self.days_cut(f, &cut),
            self.cells_cut(f, &cut),
            self.answers_cut(f, &cut)
        )
    }

    /// Pins per local day, category, time of day and state.
    pub async fn day_groups(&self, f: &PinFilter) -> Result<Vec<DayGroup>, sqlx::Error> {
        self.days_cut(f, &AreaCut::of(f)).await
    }

    async fn days_cut(&self, f: &PinFilter, cut: &AreaCut) -> Result<Vec<DayGroup>, sqlx::Error> {
        let kind = self.kind();
        let text: Option<String> = on!(self.pool(), |p| day_query(kind, "", f, cut)
            .build_query_scalar()
            .fetch_one(p)
            .await?);
        let by_cell = matches!(cut, AreaCut::Rows);
        Ok(parse_days(text.as_deref().unwrap_or_default())?
            .into_iter()
            .filter(|g| !by_cell || f.keeps_at(g.cell_lat, g.cell_lon))
            .collect())
    }

    /// Pins per ~50 m cell (fine when a large area is cut along its edge). With an area, the
    /// cells are those of the pins in it: a coarse cell across its edge counts only them.
    async fn cells_cut(&self, f: &PinFilter, cut: &AreaCut) -> Result<Vec<CellGroup>, sqlx::Error> {
        let kind = self.kind();
        let text: Option<String> = on!(self.pool(), |p| cell_query(kind, "", f, cut)
            .build_query_scalar()
            .fetch_one(p)
            .await?);
        Ok(
            parse_cells(text.as_deref().unwrap_or_default(), cut.cell_size())?
                .into_iter()
                .filter(|g| !matches!(cut, AreaCut::Rows) || f.keeps_at(g.cell_lat, g.cell_lon))
                .collect(),
        )
    }

    /// The database's plans for the day and cell groups of `f` (for tests of the indexes).
    pub async fn stats_plans(&self, f: &PinFilter) -> Result<[String; 2], sqlx::Error> {
        use sqlx::Row;
        let kind = self.kind();
        let cut = AreaCut::of(f);
        let (explain, detail) = explain_for(kind);
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
    async fn answers_cut(
        &self,
        f: &PinFilter,
        cut: &AreaCut,
    ) -> Result<Vec<AnswerGroup>, sqlx::Error> {
        let kind = self.kind();
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
            // Only answered pins, through their partial index (SQLite would otherwise prefer
            // the position index for an area and read every row in its box).
            q.push(match kind {
                Kind::Sqlite => " FROM pins INDEXED BY pins_answered",
                Kind::Postgres => " FROM pins",
            });
            q.push(" WHERE first_response_at IS NOT NULL");
            push_conditions(kind, &mut q, f, cut);
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
    fn an_area_is_sent_as_the_blocks_inside_it_and_the_cells_along_its_edge() {
        let areas = crate::places::areas();
        let arboga = areas.iter().find(|a| a.name == "Arboga").expect("Arboga");
        let shape = AreaShape::Tatort(arboga);
        let cells = area_cells(&shape).expect("Arboga is small enough");
        assert!(
            cells.blocks.windows(2).all(|w| w[0] < w[1]),
            "ascending, once each"
        );
        assert!(
            cells.cells.windows(2).all(|w| w[0] < w[1]),
            "ascending, once each"
        );
        assert!(
            cells.blocks.len() + cells.cells.len() < 20_000,
            "{} blocks, {} cells",
            cells.blocks.len(),
            cells.cells.len()
        );
        // Every fine cell of the area's box is in the set exactly when its centre is inside.
        let (min_lon, min_lat, max_lon, max_lat) = shape.bounds();
        let (mut inside, mut outside) = (0, 0);
        for row in (min_lat / FINE.0) as i64 - 2..(max_lat / FINE.0) as i64 + 2 {
            for col in ((min_lon / FINE.1) as i64 - 2..(max_lon / FINE.1) as i64 + 2).step_by(3) {
                let centre = ((row as f64 + 0.5) * FINE.0, (col as f64 + 0.5) * FINE.1);
                let want = shape.contains(centre.0, centre.1);
                assert_eq!(cells.has(row, col), want, "cell {row}, {col}");
                if want {
                    inside += 1;
                } else {
                    outside += 1;
                }
            }
        }
        assert!(
            inside > 1000 && outside > 1000,
            "{inside} in, {outside} out"
        );
        // A pin in the town centre is in its cell; the key SQL computes is the one tested.
        let (lat, lon) = (59.3937, 15.8397);
        assert!(shape.contains(lat, lon));
        assert!(cells.has((lat / FINE.0) as i64, (lon / FINE.1) as i64));
        assert!(!cells.has((59.20 / FINE.0) as i64, (15.60 / FINE.1) as i64));
    }

    #[test]
    fn day_counts_come_back_as_one_text() {
        let days = parse_days("20630 drugs night received 4 7 0 0,20631 traffic day done 1 0 0 0")
            .unwrap();
        assert_eq!(days.len(), 2);
        assert_eq!(
            (
                days[0].day,
                days[0].category.as_str(),
                days[0].count,
                days[0].agrees
            ),
            (20_630, "drugs", 4, 7)
        );
        assert_eq!(
            (days[1].time_of_day.as_str(), days[1].status.as_str()),
            ("day", "done")
        );
        assert!(parse_days("").unwrap().is_empty());
        assert!(parse_days("20630 drugs night").is_err());
    }

    #[test]
    fn cell_counts_come_back_as_one_text() {
        let cells = parse_cells("131985 17555 3,131986 17556 1", COARSE).unwrap();
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[0].count, 3);
        assert_eq!(cells[0].cell_lat, (131_985.0 + 0.5) * COARSE.0);
        assert_eq!(cells[1].cell_lon, (17_556.0 + 0.5) * COARSE.1);
        assert!(parse_cells("", COARSE).unwrap().is_empty());
        assert!(parse_cells("1 2", COARSE).is_err());
    }

    #[test]
    fn keys_travel_as_a_json_array() {
        assert_eq!(keys_json(&[]), "[]");
        assert_eq!(keys_json(&[1, 624_111_695]), "[1,624111695]");
    }
}
