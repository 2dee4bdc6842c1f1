//! The visible pins' positions and public codes, for the pin tiles' index (`pin_index`).
//!
//! PostgreSQL: one narrow query read as it streams. SQLite: pages of [`PAGE`] pins, each one
//! text SQLite writes (as `pin_pages` does for exports), in one read transaction: read row by
//! row through sqlx, a million pins took 6.2 s (`make bench-tiles`), about 1 µs a value.

use futures_util::TryStreamExt;
use sqlx::sqlite::SqlitePool;
use sqlx::Row;

use super::backend::{on, Either};
use super::pin_pages::{position, scaled_position};
use super::Storage;

/// Pins per page.
const PAGE: i64 = 10_000;

/// A page of visible pins after rowid `?1`, as one JSON text of
/// `[rowid, lat, lon, category, time_of_day, status]`, positions as the export pages carry them.
const SQL_PAGE: &str = concat!(
    "SELECT json_group_array(json_array(seq, ",
    scaled_position!(),
    ", category, time_of_day, status)) \
    FROM (SELECT rowid AS seq, lat, lon, category, time_of_day, status FROM pins \
          WHERE NOT hidden AND rowid > ?1 ORDER BY rowid LIMIT ?2)"
);

type Point<'a> = (i64, Option<i64>, Option<i64>, &'a str, &'a str, &'a str);

impl Storage {
    /// Calls `each(lat, lon, category, time_of_day, status)` for every visible pin (exact
    /// positions: the caller snaps them), as of one moment.
    pub async fn for_each_public_point(
        &self,
        mut each: impl FnMut(f64, f64, &str, &str, &str) + Send,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str =
            "SELECT lat, lon, category, time_of_day, status FROM pins WHERE NOT hidden";
        match self.pool() {
            Either::Sqlite(pool) => sqlite_points(pool, each).await,
            pool => on!(pool, |p| {
                let mut rows = sqlx::query(SQL).fetch(p);
                while let Some(row) = rows.try_next().await? {
                    each(
                        row.try_get(0)?,
                        row.try_get(1)?,
                        row.try_get(2)?,
                        row.try_get(3)?,
                        row.try_get(4)?,
                    );
                }
                Ok(())
            }),
        }
    }
}

async fn sqlite_points(
    pool: &SqlitePool,
    mut each: impl FnMut(f64, f64, &str, &str, &str) + Send,
) -> Result<(), sqlx::Error> {
    let mut read = pool.begin().await?;
    let mut after = 0i64;
    loop {
        let (text,): (String,) = sqlx::query_as(SQL_PAGE)
            .bind(after)
            .bind(PAGE)
            .fetch_one(&mut *read)
            .await?;
        let page: Vec<Point<'_>> =
            serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        // The page's highest rowid (not its last: SQL does not promise the aggregate's order).
        let Some(end) = page.iter().map(|p| p.0).max() else {
            break;
        };
        // Pages only go forward; one that did not would be read again and again.
        if end <= after {
            return Err(sqlx::Error::Protocol(format!(
                "a page of points ended at {end}, not after {after}"
            )));
        }
        after = end;
        for (seq, lat, lon, category, time_of_day, status) in page {
            let (lat, lon) = position(&mut read, seq, lat, lon).await?;
            each(lat, lon, category, time_of_day, status);
        }
    }
    read.commit().await
}

#[cfg(test)]
mod tests {
    use super::super::pin_pages::SCALE;
    use super::*;

    #[test]
    fn the_sql_scales_coordinates_by_the_same_power_of_two_the_reader_divides_by() {
        let literal = format!("* {}.0 AS INTEGER", SCALE as u64);
        assert_eq!(SQL_PAGE.matches(&literal).count(), 2, "{SQL_PAGE}");
    }
}
