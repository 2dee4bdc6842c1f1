//! The visible pins' positions and public codes, for the pin tiles' index (`pin_index`). One
//! narrow query read as it streams, so a million pins cost no more than their five columns.

use futures_util::TryStreamExt;
use sqlx::Row;

use super::backend::on;
use super::Storage;

impl Storage {
    /// Calls `each(lat, lon, category, time_of_day, status)` for every visible pin (exact
    /// positions: the caller snaps them).
    pub async fn for_each_public_point(
        &self,
        mut each: impl FnMut(f64, f64, &str, &str, &str) + Send,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str =
            "SELECT lat, lon, category, time_of_day, status FROM pins WHERE NOT hidden";
        on!(self.pool(), |p| {
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
        })
    }
}
