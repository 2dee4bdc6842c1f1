//! Many pins from SQLite, a page per value.
//!
//! Read row by row through sqlx, SQLite cost ~20 µs a pin at 100 000 pins (an export took
//! 2.2 s): each of a pin's 23 values is copied into its own allocation on the database thread
//! and freed on another (`perf`: half the time in `malloc`/`free` and their locks). Here SQLite
//! itself writes each page of [`PAGE`] pins as one JSON text (`json_group_array`), which is
//! parsed in one go: the same 100 000 pins in ~0.3 s.
//!
//! JSON numbers would not carry a coordinate exactly (SQLite prints 15 significant digits), so
//! coordinates travel as whole numbers of 2⁻⁵⁶ degrees: scaling by a power of two is exact,
//! and so is the result for every |value| from 1/16 to 128 degrees (all of Sweden). A pin with
//! a coordinate outside that range is read by itself, the usual way.

use serde::Deserialize;
use sqlx::sqlite::{Sqlite, SqliteConnection, SqlitePool};
use sqlx::{QueryBuilder, Transaction};

use super::staff::explain_for;
use super::{FollowUp, Kind, PinRow};

/// Pins per page.
pub(super) const PAGE: i64 = 2000;

/// 2⁵⁶: coordinates travel as whole multiples of its inverse.
pub(super) const SCALE: f64 = 72_057_594_037_927_936.0;

/// `lat, lon` as a page carries them: whole multiples of 2⁻⁵⁶ ([`SCALE`]), or null where that
/// would not be exact (read by themselves with [`position`]). A literal, for `concat!`.
macro_rules! scaled_position {
    () => {
        "CASE WHEN abs(lat) >= 0.0625 AND abs(lat) < 128 \
              THEN CAST(lat * 72057594037927936.0 AS INTEGER) END, \
         CASE WHEN abs(lon) >= 0.0625 AND abs(lon) < 128 \
              THEN CAST(lon * 72057594037927936.0 AS INTEGER) END"
    };
}
pub(super) use scaled_position;

/// A page's position of the pin with rowid `seq`: the scaled values, or the stored ones where
/// the page could not carry them exactly.
pub(super) async fn position(
    conn: &mut SqliteConnection,
    seq: i64,
    lat: Option<i64>,
    lon: Option<i64>,
) -> Result<(f64, f64), sqlx::Error> {
    match (lat, lon) {
        (Some(lat), Some(lon)) => Ok((lat as f64 / SCALE, lon as f64 / SCALE)),
        _ => {
            sqlx::query_as("SELECT lat, lon FROM pins WHERE rowid = $1")
                .bind(seq)
                .fetch_one(conn)
                .await
        }
    }
}

/// The columns of a page's rows, in [`Json`]'s order; `seq` is the rowid, for the next page.
const COLUMNS: &str = concat!(
    "json_group_array(json_array(seq, id, ",
    scaled_position!(),
    ", category, time_of_day, comment, place_description, delete_token, created_at, agree_count, \
    hidden, comment_approved, hidden_reason, status, status_reason, status_changed_at, \
    public_response, response_party, response_at, action_id, first_response_at, done_at))"
);

/// One pin as a page carries it.
#[derive(Deserialize)]
struct Json {
    seq: i64,
    id: String,
    lat: Option<i64>,
    lon: Option<i64>,
    category: String,
    time_of_day: String,
    comment: Option<String>,
    place_description: Option<String>,
    delete_token: String,
    created_at: i64,
    agree_count: i64,
    hidden: i64,
    comment_approved: i64,
    hidden_reason: Option<String>,
    status: String,
    status_reason: Option<String>,
    status_changed_at: Option<i64>,
    public_response: Option<String>,
    response_party: Option<String>,
    response_at: Option<i64>,
    action_id: Option<String>,
    first_response_at: Option<i64>,
    done_at: Option<i64>,
}

/// Where the previous page ended: its last pin's time and rowid.
type After = (i64, i64);

/// The statement for the page after `after` (see [`page`]). Pages read the time index in
/// order (`INDEXED BY`): each page goes on where the last one ended, so all pages together
/// read each row once, whatever the conditions. A box read through the position index instead
/// would be sorted again for every page.
fn page_query<'a>(
    prefix: &str,
    conditions: impl Fn(&mut QueryBuilder<'a, Sqlite>),
    after: Option<After>,
) -> QueryBuilder<'a, Sqlite> {
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "{prefix}SELECT {COLUMNS} FROM (SELECT rowid AS seq, * FROM pins INDEXED BY pins_created_at \
         WHERE 1 = 1"
    ));
    conditions(&mut q);
    if let Some((time, seq)) = after {
        q.push(" AND (created_at, rowid) > (");
        q.push_bind(time);
        q.push(", ");
        q.push_bind(seq);
        q.push(")");
    }
    q.push(" ORDER BY created_at, rowid LIMIT ");
    q.push_bind(PAGE);
    q.push(")");
    q
}

/// How SQLite reads a page after the first (`EXPLAIN QUERY PLAN`, one line per step).
pub(super) async fn plan(
    pool: &SqlitePool,
    conditions: impl Fn(&mut QueryBuilder<'_, Sqlite>),
) -> Result<String, sqlx::Error> {
    use sqlx::Row;
    let (explain, detail) = explain_for(Kind::Sqlite);
    let mut q = page_query(explain, conditions, Some((0, 0)));
    let rows = q.build().fetch_all(pool).await?;
    let lines: Result<Vec<String>, _> = rows.iter().map(|r| r.try_get(detail)).collect();
    Ok(lines?.join("\n"))
}

/// The next page of the pins `conditions` selects (pushed after `WHERE 1 = 1`), oldest first,
/// after `after`; and where it ended (`None` when it is empty).
async fn page(
    conn: &mut SqliteConnection,
    conditions: impl Fn(&mut QueryBuilder<'_, Sqlite>),
    after: Option<After>,
) -> Result<(Vec<PinRow>, Option<After>), sqlx::Error> {
    let mut q = page_query("", conditions, after);
    let (text,): (String,) = q.build_query_as().fetch_one(&mut *conn).await?;
    let page: Vec<Json> =
        serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    // The page's highest key (not its last: SQL does not promise the aggregate's order).
    let end = page.iter().map(|p| (p.created_at, p.seq)).max();
    if let (Some(end), Some(after)) = (end, after) {
        // Pages only go forward; one that did not would be read again and again.
        if end <= after {
            return Err(sqlx::Error::Protocol(format!(
                "a page of pins ended at {end:?}, not after {after:?}"
            )));
        }
    }
    let mut rows = Vec::with_capacity(page.len());
    for p in page {
        let (lat, lon) = position(&mut *conn, p.seq, p.lat, p.lon).await?;
        rows.push(PinRow {
            id: p.id,
            lat,
            lon,
            category: p.category,
            time_of_day: p.time_of_day,
            comment: p.comment,
            place_description: p.place_description,
            delete_token: p.delete_token,
            created_at: p.created_at,
            agree_count: p.agree_count,
            hidden: p.hidden != 0,
            comment_approved: p.comment_approved != 0,
            hidden_reason: p.hidden_reason,
            follow_up: FollowUp {
                status: p.status,
                status_reason: p.status_reason,
                status_changed_at: p.status_changed_at,
                public_response: p.public_response,
                response_party: p.response_party,
                response_at: p.response_at,
                action_id: p.action_id,
                first_response_at: p.first_response_at,
                done_at: p.done_at,
            },
        });
    }
    Ok((rows, end))
}

/// The pins `conditions` selects (pushed after `WHERE 1 = 1`), oldest first, a page at a time,
/// all in one read transaction: one snapshot, as one statement would read. Dropped before the
/// end (a download given up), the transaction is rolled back, so the connection goes back to
/// the pool without an old snapshot.
pub(super) struct Pages<C> {
    read: Option<Transaction<'static, Sqlite>>,
    conditions: C,
    after: Option<After>,
}

impl<C: Fn(&mut QueryBuilder<'_, Sqlite>)> Pages<C> {
    pub(super) async fn open(pool: &SqlitePool, conditions: C) -> Result<Pages<C>, sqlx::Error> {
        Ok(Pages {
            read: Some(pool.begin().await?),
            conditions,
            after: None,
        })
    }

    /// The next page; `None` once all are read.
    pub(super) async fn next(&mut self) -> Result<Option<Vec<PinRow>>, sqlx::Error> {
        let Some(read) = self.read.as_mut() else {
            return Ok(None);
        };
        let (rows, end) = page(read, &self.conditions, self.after).await?;
        match end {
            Some(end) => {
                self.after = Some(end);
                Ok(Some(rows))
            }
            None => {
                if let Some(read) = self.read.take() {
                    read.commit().await?;
                }
                Ok(None)
            }
        }
    }
}

/// Every pin `conditions` selects, oldest first (see [`Pages`]); `keep` turns each into what
/// the caller keeps, or drops it.
pub(super) async fn all<T>(
    pool: &SqlitePool,
    conditions: impl Fn(&mut QueryBuilder<'_, Sqlite>),
    mut keep: impl FnMut(PinRow) -> Option<T>,
) -> Result<Vec<T>, sqlx::Error> {
    let mut pages = Pages::open(pool, conditions).await?;
    let mut out = Vec::new();
    while let Some(rows) = pages.next().await? {
        out.extend(rows.into_iter().filter_map(&mut keep));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_scales_coordinates_by_the_same_power_of_two_the_reader_divides_by() {
        assert_eq!(SCALE, 2f64.powi(56));
        let literal = format!("* {}.0 AS INTEGER", SCALE as u64);
        assert_eq!(COLUMNS.matches(&literal).count(), 2, "{COLUMNS}");
    }
}
