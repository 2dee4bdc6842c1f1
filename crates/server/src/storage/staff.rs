//! Staff queries: filtered pins (listed or streamed), moderation with its history, the export
//! log, and retention.

use futures_util::{Stream, StreamExt};
use sqlx::sqlite::SqliteConnection;
use sqlx::{QueryBuilder, Sqlite};
use trygghetskarta_shared::ModerationAction;

use super::{PinRow, Storage};
use crate::filter::PinFilter;

/// A moderation event as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ModerationRow {
    pub pin_id: String,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub reason: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// For a state change: the public answer written with it.
    pub response: Option<String>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ExportRow {
    pub at: i64,
    pub actor: String,
    pub format: String,
    pub filters: String,
    pub rows: i64,
    pub completed: bool,
}

/// A change to one pin, recorded with who made it.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Hide { reason: String },
    Restore { reason: String },
    Approve,
    Unapprove,
    EditComment { comment: Option<String> },
}

/// Oldest first, or newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Oldest,
    Newest,
}

/// What hotspots need of a pin.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PinPoint {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub category: String,
    pub time_of_day: String,
    pub agree_count: i64,
}

fn filtered<'a>(f: &PinFilter, order: Order) -> QueryBuilder<'a, Sqlite> {
    filtered_columns("*", f, order)
}

fn filtered_columns<'a>(columns: &str, f: &PinFilter, order: Order) -> QueryBuilder<'a, Sqlite> {
    let mut q = QueryBuilder::new(format!("SELECT {columns} FROM pins WHERE 1 = 1"));
    push_filter(&mut q, f);
    q.push(match order {
        // rowid breaks ties in insertion order and lets SQLite read the created_at index in
        // order instead of sorting.
        Order::Oldest => " ORDER BY created_at, rowid",
        Order::Newest => " ORDER BY created_at DESC, rowid DESC",
    });
    q
}

/// The filter's conditions (everything but the area's polygon, which is tested on the rows).
pub(super) fn push_filter(q: &mut QueryBuilder<'_, Sqlite>, f: &PinFilter) {
    if !f.include_hidden {
        q.push(" AND hidden = 0");
    }
    if let Some(from) = f.from {
        q.push(" AND created_at >= ").push_bind(from);
    }
    if let Some(until) = f.until {
        q.push(" AND created_at < ").push_bind(until);
    }
    if !f.categories.is_empty() {
        q.push(" AND category IN (");
        let mut list = q.separated(", ");
        for c in &f.categories {
            list.push_bind(c.code());
        }
        q.push(")");
    }
    if !f.times.is_empty() {
        q.push(" AND time_of_day IN (");
        let mut list = q.separated(", ");
        for t in &f.times {
            list.push_bind(t.code());
        }
        q.push(")");
    }
    if let Some((min_lon, min_lat, max_lon, max_lat)) = f.query_box() {
        q.push(" AND lon BETWEEN ")
            .push_bind(min_lon)
            .push(" AND ")
            .push_bind(max_lon)
            .push(" AND lat BETWEEN ")
            .push_bind(min_lat)
            .push(" AND ")
            .push_bind(max_lat);
    }
}

impl Storage {
    /// Every pin the filter matches.
    pub async fn staff_pins(
        &self,
        f: &PinFilter,
        order: Order,
    ) -> Result<Vec<PinRow>, sqlx::Error> {
        let rows: Vec<PinRow> = filtered(f, order)
            .build_query_as()
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .filter(|r| f.keeps_at(r.lat, r.lon))
            .collect())
    }

    /// Position, category, time and agrees of every pin the filter matches (for hotspots:
    /// a fraction of the memory of whole rows).
    pub async fn pin_points(&self, f: &PinFilter) -> Result<Vec<PinPoint>, sqlx::Error> {
        let rows: Vec<PinPoint> = filtered_columns(
            "id, lat, lon, category, time_of_day, agree_count",
            f,
            Order::Oldest,
        )
        .build_query_as()
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter(|p| f.keeps_at(p.lat, p.lon))
            .collect())
    }

    /// The pins the filter matches, oldest first, read from the database as they are consumed
    /// (at most `buffer` rows ahead), for exports of any size.
    pub fn stream_pins(
        &self,
        f: PinFilter,
        buffer: usize,
    ) -> impl Stream<Item = Result<PinRow, sqlx::Error>> + Send + 'static {
        let (tx, rx) = tokio::sync::mpsc::channel(buffer);
        let pool = self.pool().clone();
        tokio::spawn(async move {
            let mut q = filtered(&f, Order::Oldest);
            let mut rows = q.build_query_as::<PinRow>().fetch(&pool);
            while let Some(row) = rows.next().await {
                let keep = row.as_ref().map_or(true, |r| f.keeps_at(r.lat, r.lon));
                // A closed receiver means the download was dropped: stop reading.
                if keep && tx.send(row).await.is_err() {
                    break;
                }
            }
        });
        tokio_stream::wrappers::ReceiverStream::new(rx)
    }

    /// Applies a moderation change and records it, in one transaction. `None`: no such pin.
    pub async fn moderate(
        &self,
        id: &str,
        actor: &str,
        now: i64,
        change: Change,
    ) -> Result<Option<PinRow>, sqlx::Error> {
        let (id, actor) = (id.to_owned(), actor.to_owned());
        let out = self
            .write(move |c| Box::pin(moderate_in(c, id, actor, now, change)))
            .await?;
        self.public_changed();
        Ok(out)
    }

    /// A pin's moderation history, oldest first.
    pub async fn moderation_history(&self, id: &str) -> Result<Vec<ModerationRow>, sqlx::Error> {
        sqlx::query_as("SELECT * FROM moderation_log WHERE pin_id = ? ORDER BY id")
            .bind(id)
            .fetch_all(self.pool())
            .await
    }

    /// Records the start of an export; returns its log id.
    pub async fn start_export(
        &self,
        actor: &str,
        format: &str,
        filters: &str,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = self
            .write_returning(
                sqlx::query_as(
                    "INSERT INTO export_log (at, actor, format, filters) VALUES (?, ?, ?, ?)
                     RETURNING id",
                )
                .bind(now)
                .bind(actor.to_owned())
                .bind(format.to_owned())
                .bind(filters.to_owned()),
            )
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        Ok(id)
    }

    pub async fn finish_export(
        &self,
        id: i64,
        rows: u64,
        completed: bool,
    ) -> Result<(), sqlx::Error> {
        self.write_one(
            sqlx::query("UPDATE export_log SET rows = ?, completed = ? WHERE id = ?")
                .bind(i64::try_from(rows).unwrap_or(i64::MAX))
                .bind(completed)
                .bind(id),
        )
        .await?;
        Ok(())
    }

    /// The latest exports, newest first.
    pub async fn export_log(&self, limit: i64) -> Result<Vec<ExportRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT at, actor, format, filters, rows, completed FROM export_log
             ORDER BY id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }

    /// Retention: removes comments and place descriptions of pins created before `cutoff`
    /// (and the comment text in their moderation history, and in history older than that).
    /// Category, time of day and location stay. Returns how many pins lost text.
    pub async fn purge_texts_before(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE pins SET comment = NULL, place_description = NULL, comment_approved = 0
                     WHERE created_at < ? AND (comment IS NOT NULL OR place_description IS NOT NULL)",
                )
                .bind(cutoff)
                .execute(&mut *c)
                .await?;
                sqlx::query(
                    "UPDATE moderation_log SET before = NULL, after = NULL
                     WHERE action = 'edit_comment' AND (before IS NOT NULL OR after IS NOT NULL)
                       AND (at < ? OR pin_id IN (SELECT id FROM pins WHERE created_at < ?))",
                )
                .bind(cutoff)
                .bind(cutoff)
                .execute(&mut *c)
                .await?;
                Ok(done.rows_affected())
            })
        })
        .await
        .inspect(|_| self.public_changed())
    }
}

/// The moderation step as one write job: read the pin, change it, record the change.
async fn moderate_in(
    c: &mut SqliteConnection,
    id: String,
    actor: String,
    now: i64,
    change: Change,
) -> Result<Option<PinRow>, sqlx::Error> {
    let Some(pin): Option<PinRow> = sqlx::query_as("SELECT * FROM pins WHERE id = ?")
        .bind(&id)
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    let is_hide = matches!(change, Change::Hide { .. });
    let word = |w: &str| Some(w.to_owned());
    let shown = |hidden: bool| word(if hidden { "hidden" } else { "visible" });
    let approval = |a: bool| word(if a { "approved" } else { "not_approved" });
    let (action, reason, before, after) = match change {
        Change::Hide { reason } | Change::Restore { reason } => {
            let hide = is_hide;
            sqlx::query("UPDATE pins SET hidden = ?, hidden_reason = ? WHERE id = ?")
                .bind(hide)
                .bind(hide.then_some(&reason))
                .bind(&id)
                .execute(&mut *c)
                .await?;
            let action = if hide {
                ModerationAction::Hide
            } else {
                ModerationAction::Restore
            };
            (action, Some(reason), shown(pin.hidden), shown(hide))
        }
        Change::Approve | Change::Unapprove => {
            let approve = change == Change::Approve;
            sqlx::query("UPDATE pins SET comment_approved = ? WHERE id = ?")
                .bind(approve)
                .bind(&id)
                .execute(&mut *c)
                .await?;
            let action = if approve {
                ModerationAction::Approve
            } else {
                ModerationAction::Unapprove
            };
            (
                action,
                None,
                approval(pin.comment_approved),
                approval(approve),
            )
        }
        Change::EditComment { comment } => {
            sqlx::query("UPDATE pins SET comment = ? WHERE id = ?")
                .bind(&comment)
                .bind(&id)
                .execute(&mut *c)
                .await?;
            (
                ModerationAction::EditComment,
                None,
                pin.comment.clone(),
                comment,
            )
        }
    };
    sqlx::query(
        "INSERT INTO moderation_log (pin_id, at, actor, action, reason, before, after)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(now)
    .bind(&actor)
    .bind(action.code())
    .bind(reason)
    .bind(before)
    .bind(after)
    .execute(&mut *c)
    .await?;
    let updated: PinRow = sqlx::query_as("SELECT * FROM pins WHERE id = ?")
        .bind(&id)
        .fetch_one(&mut *c)
        .await?;
    Ok(Some(updated))
}
