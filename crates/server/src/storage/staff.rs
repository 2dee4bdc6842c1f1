//! Staff queries: filtered pins (listed or streamed), moderation with its history, the export
//! log, and retention.

use futures_util::{Stream, StreamExt};
use sqlx::{Database, QueryBuilder};
use trygghetskarta_shared::ModerationAction;

use super::{on, pin_pages, Conn, Either, Id, Kind, PinRow, Storage, Time};
use crate::filter::PinFilter;
use crate::time::local_day;

/// A moderation event as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ModerationRow {
    #[sqlx(try_from = "Id")]
    pub pin_id: String,
    #[sqlx(try_from = "Time")]
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
    #[sqlx(try_from = "Time")]
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
    #[sqlx(try_from = "Id")]
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub category: String,
    pub time_of_day: String,
    pub agree_count: i64,
}

fn filtered<'a, DB: Binds>(kind: Kind, f: &PinFilter, order: Order) -> QueryBuilder<'a, DB> {
    filtered_columns(kind, "SELECT *", f, order)
}

/// `select` (e.g. `SELECT *`) of the pins `f` matches, in `order`.
fn filtered_columns<'a, DB: Binds>(
    kind: Kind,
    select: &str,
    f: &PinFilter,
    order: Order,
) -> QueryBuilder<'a, DB> {
    let mut q = QueryBuilder::new(format!("{select} FROM pins WHERE 1 = 1"));
    push_filter(&mut q, f);
    // Ties in time go in insertion order: SQLite's rowid (which also lets it read the
    // created_at index in order instead of sorting), PostgreSQL's `seq` (index (created_at,
    // seq)), which `migrate` copies from the rowid.
    q.push(match (order, kind) {
        (Order::Oldest, Kind::Sqlite) => " ORDER BY created_at, rowid",
        (Order::Newest, Kind::Sqlite) => " ORDER BY created_at DESC, rowid DESC",
        (Order::Oldest, Kind::Postgres) => " ORDER BY created_at, seq",
        (Order::Newest, Kind::Postgres) => " ORDER BY created_at DESC, seq DESC",
    });
    q
}

/// What the filter queries bind, for query builders of either backend.
pub(super) trait Binds: Database {
    fn bind_time(q: &mut QueryBuilder<'_, Self>, v: Time);
    fn bind_text(q: &mut QueryBuilder<'_, Self>, v: &'static str);
    fn bind_f64(q: &mut QueryBuilder<'_, Self>, v: f64);
    fn bind_i64(q: &mut QueryBuilder<'_, Self>, v: i64);
    fn bind_string(q: &mut QueryBuilder<'_, Self>, v: String);
}

macro_rules! binds {
    ($($db:ty),*) => {$(
        impl Binds for $db {
            fn bind_time(q: &mut QueryBuilder<'_, Self>, v: Time) {
                q.push_bind(v);
            }
            fn bind_text(q: &mut QueryBuilder<'_, Self>, v: &'static str) {
                q.push_bind(v);
            }
            fn bind_f64(q: &mut QueryBuilder<'_, Self>, v: f64) {
                q.push_bind(v);
            }
            fn bind_i64(q: &mut QueryBuilder<'_, Self>, v: i64) {
                q.push_bind(v);
            }
            fn bind_string(q: &mut QueryBuilder<'_, Self>, v: String) {
                q.push_bind(v);
            }
        }
    )*};
}
binds!(sqlx::Sqlite, sqlx::Postgres);

/// ` AND column IN ($n, …)`.
fn push_in<DB: Binds>(q: &mut QueryBuilder<'_, DB>, column: &str, values: &[&'static str]) {
    q.push(format!(" AND {column} IN ("));
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        DB::bind_text(q, v);
    }
    q.push(")");
}

/// The prefix that asks `kind` for a query's plan, and the column of its lines.
pub(super) fn explain_for(kind: Kind) -> (&'static str, usize) {
    match kind {
        Kind::Sqlite => ("EXPLAIN QUERY PLAN ", 3),
        Kind::Postgres => ("EXPLAIN ", 0),
    }
}

/// The filter's conditions (everything but the area's polygon, which is tested on the rows).
pub(super) fn push_filter<DB: Binds>(q: &mut QueryBuilder<'_, DB>, f: &PinFilter) {
    push_conditions(q, f, false);
}

/// [`push_filter`] with the dates tested on the stored local day (which the stats indexes
/// hold) rather than the time: the same pins, as `from` and `until` are local midnights.
pub(super) fn push_filter_by_day<DB: Binds>(q: &mut QueryBuilder<'_, DB>, f: &PinFilter) {
    push_conditions(q, f, true);
}

fn push_conditions<DB: Binds>(q: &mut QueryBuilder<'_, DB>, f: &PinFilter, by_day: bool) {
    if !f.include_hidden {
        q.push(" AND NOT hidden");
    }
    let mut date = |op: &str, t: i64| {
        if by_day {
            q.push(format!(" AND local_day {op} "));
            DB::bind_i64(q, local_day(t));
        } else {
            q.push(format!(" AND created_at {op} "));
            DB::bind_time(q, Time(t));
        }
    };
    if let Some(from) = f.from {
        date(">=", from);
    }
    if let Some(until) = f.until {
        date("<", until);
    }
    if !f.categories.is_empty() {
        let codes: Vec<_> = f.categories.iter().map(|c| c.code()).collect();
        push_in(q, "category", &codes);
    }
    if !f.times.is_empty() {
        let codes: Vec<_> = f.times.iter().map(|t| t.code()).collect();
        push_in(q, "time_of_day", &codes);
    }
    if let Some((min_lon, min_lat, max_lon, max_lat)) = f.query_box() {
        q.push(" AND lon BETWEEN ");
        DB::bind_f64(q, min_lon);
        q.push(" AND ");
        DB::bind_f64(q, max_lon);
        q.push(" AND lat BETWEEN ");
        DB::bind_f64(q, min_lat);
        q.push(" AND ");
        DB::bind_f64(q, max_lat);
    }
}

impl Storage {
    /// Every pin the filter matches.
    pub async fn staff_pins(
        &self,
        f: &PinFilter,
        order: Order,
    ) -> Result<Vec<PinRow>, sqlx::Error> {
        let kind = self.kind();
        let rows: Vec<PinRow> = on!(self.pool(), |p| filtered(kind, f, order)
            .build_query_as()
            .fetch_all(p)
            .await)?;
        Ok(rows
            .into_iter()
            .filter(|r| f.keeps_at(r.lat, r.lon))
            .collect())
    }

    /// Position, category, time and agrees of every pin the filter matches (for hotspots:
    /// a fraction of the memory of whole rows).
    pub async fn pin_points(&self, f: &PinFilter) -> Result<Vec<PinPoint>, sqlx::Error> {
        if let Either::Sqlite(pool) = self.pool() {
            return pin_pages::all(
                pool,
                |q| push_filter(q, f),
                |r| {
                    f.keeps_at(r.lat, r.lon).then_some(PinPoint {
                        id: r.id,
                        lat: r.lat,
                        lon: r.lon,
                        category: r.category,
                        time_of_day: r.time_of_day,
                        agree_count: r.agree_count,
                    })
                },
            )
            .await;
        }
        let kind = self.kind();
        let columns = "SELECT id, lat, lon, category, time_of_day, agree_count";
        let rows: Vec<PinPoint> = on!(self.pool(), |p| filtered_columns(
            kind,
            columns,
            f,
            Order::Oldest
        )
        .build_query_as()
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .filter(|p| f.keeps_at(p.lat, p.lon))
            .collect())
    }

    /// The pins the filter matches, oldest first, read from the database as they are consumed
    /// (at most `buffer` rows ahead), for exports of any size. Both drivers stream the rows off
    /// the socket as they are taken (PostgreSQL's server waits while the consumer does), so
    /// memory stays flat.
    pub fn stream_pins(
        &self,
        f: PinFilter,
        buffer: usize,
    ) -> impl Stream<Item = Result<PinRow, sqlx::Error>> + Send + 'static {
        let (tx, rx) = tokio::sync::mpsc::channel(buffer);
        let db = self.clone();
        tokio::spawn(async move {
            let kind = db.kind();
            if let Either::Sqlite(pool) = db.pool() {
                // A page per value (see `pin_pages`), all in one read transaction.
                let pages = async {
                    let mut pages = pin_pages::Pages::open(pool, |q| push_filter(q, &f)).await?;
                    while let Some(rows) = pages.next().await? {
                        for row in rows.into_iter().filter(|r| f.keeps_at(r.lat, r.lon)) {
                            if tx.send(Ok(row)).await.is_err() {
                                return Ok(()); // the download was dropped
                            }
                        }
                    }
                    Ok(())
                };
                if let Err(e) = pages.await {
                    let _ = tx.send(Err(e)).await;
                }
                return;
            }
            on!(db.pool(), |p| {
                let mut q = filtered(kind, &f, Order::Oldest);
                let mut rows = q.build_query_as::<PinRow>().fetch(p);
                while let Some(row) = rows.next().await {
                    let keep = row.as_ref().map_or(true, |r| f.keeps_at(r.lat, r.lon));
                    // A closed receiver means the download was dropped: stop reading.
                    if keep && tx.send(row).await.is_err() {
                        break;
                    }
                }
            })
        });
        tokio_stream::wrappers::ReceiverStream::new(rx)
    }

    /// How the database reads the pins `f` matches (staff lists, hotspots and exports), and the
    /// public list: its `EXPLAIN` (PostgreSQL, after `ANALYZE`) or `EXPLAIN QUERY PLAN` (SQLite)
    /// lines, for docs/OPERATIONS.md and the index test.
    pub async fn query_plans(&self, f: &PinFilter) -> Result<[String; 2], sqlx::Error> {
        let kind = self.kind();
        let (explain, detail) = explain_for(kind);
        if kind == Kind::Postgres {
            on!(self.pool(), |p| sqlx::query("ANALYZE pins")
                .execute(p)
                .await
                .map(|_| ()))?;
        }
        let public = format!(
            "{explain}SELECT * FROM pins WHERE NOT hidden AND lon BETWEEN -180 AND 180
             AND lat BETWEEN -90 AND 90 ORDER BY created_at, id"
        );
        let staff = format!("{explain}SELECT *");
        let lines = |rows: Vec<String>| rows.join("\n");
        on!(self.pool(), |p| {
            use sqlx::Row;
            let mut q = filtered_columns(kind, &staff, f, Order::Oldest);
            let staff = q.build().fetch_all(p).await?;
            let public = sqlx::query(&public).fetch_all(p).await?;
            let text = |rows: &[_]| -> Result<Vec<String>, sqlx::Error> {
                rows.iter().map(|r: &_| Row::try_get(r, detail)).collect()
            };
            Ok([lines(text(&staff)?), lines(text(&public)?)])
        })
    }

    /// How an export (and the hotspots) read the pins `f` matches: on SQLite the plan of a page
    /// (see `pin_pages`), on PostgreSQL the same as the staff lists'.
    pub async fn export_plan(&self, f: &PinFilter) -> Result<String, sqlx::Error> {
        match self.pool() {
            Either::Sqlite(pool) => pin_pages::plan(pool, |q| push_filter(q, f)).await,
            Either::Postgres(_) => Ok(self.query_plans(f).await?[0].clone()),
        }
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
            .write(move |mut c| {
                Box::pin(async move { moderate_in(&mut c, id, actor, now, change).await })
            })
            .await?;
        self.public_changed().await;
        Ok(out)
    }

    /// A pin's moderation history, oldest first.
    pub async fn moderation_history(&self, id: &str) -> Result<Vec<ModerationRow>, sqlx::Error> {
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT * FROM moderation_log WHERE pin_id = $1 ORDER BY id"
        )
        .bind(Id::of(id))
        .fetch_all(p)
        .await)
    }

    /// Records the start of an export; returns its log id.
    pub async fn start_export(
        &self,
        actor: &str,
        format: &str,
        filters: &str,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let (actor, format, filters) = (actor.to_owned(), format.to_owned(), filters.to_owned());
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query_as(
                    "INSERT INTO export_log (at, actor, format, filters) VALUES ($1, $2, $3, $4)
                     RETURNING id",
                )
                .bind(Time(now))
                .bind(&actor)
                .bind(&format)
                .bind(&filters)
                .fetch_one(x)
                .await
                .map(|(id,): (i64,)| id))
            })
        })
        .await
    }

    pub async fn finish_export(
        &self,
        id: i64,
        rows: u64,
        completed: bool,
    ) -> Result<(), sqlx::Error> {
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "UPDATE export_log SET rows = $1, completed = $2 WHERE id = $3"
                )
                .bind(rows)
                .bind(completed)
                .bind(id)
                .execute(x)
                .await
                .map(|_| ()))
            })
        })
        .await
    }

    /// The latest exports, newest first.
    pub async fn export_log(&self, limit: i64) -> Result<Vec<ExportRow>, sqlx::Error> {
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT at, actor, format, filters, rows, completed FROM export_log
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(p)
        .await)
    }

    /// Retention: removes comments and place descriptions of pins created before `cutoff`
    /// (and the comment text in their moderation history, and in history older than that).
    /// Category, time of day and location stay. Returns how many pins lost text.
    pub async fn purge_texts_before(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        let n = self
            .write(move |mut c| {
                Box::pin(async move {
                    let done = on!(c, |x| sqlx::query(
                        "UPDATE pins SET comment = NULL, place_description = NULL,
                            comment_approved = FALSE
                         WHERE created_at < $1
                           AND (comment IS NOT NULL OR place_description IS NOT NULL)",
                    )
                    .bind(Time(cutoff))
                    .execute(x)
                    .await?
                    .rows_affected());
                    on!(c, |x| sqlx::query(
                        "UPDATE moderation_log SET before = NULL, after = NULL
                         WHERE action = 'edit_comment' AND (before IS NOT NULL OR after IS NOT NULL)
                           AND (at < $1 OR pin_id IN (SELECT id FROM pins WHERE created_at < $1))",
                    )
                    .bind(Time(cutoff))
                    .execute(x)
                    .await
                    .map(|_| ()))?;
                    Ok(done)
                })
            })
            .await?;
        self.public_changed().await;
        Ok(n)
    }
}

/// The moderation step as one write job: read the pin (holding it), change it, record the
/// change.
async fn moderate_in(
    c: &mut Conn<'_>,
    id: String,
    actor: String,
    now: i64,
    change: Change,
) -> Result<Option<PinRow>, sqlx::Error> {
    let select = c.kind().locking("SELECT * FROM pins WHERE id = $1");
    let Some(pin): Option<PinRow> = on!(c, |x| sqlx::query_as(&select)
        .bind(Id::of(&id))
        .fetch_optional(x)
        .await)?
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
            on!(c, |x| sqlx::query(
                "UPDATE pins SET hidden = $1, hidden_reason = $2 WHERE id = $3"
            )
            .bind(hide)
            .bind(hide.then_some(&reason))
            .bind(Id::of(&id))
            .execute(x)
            .await
            .map(|_| ()))?;
            let action = if hide {
                ModerationAction::Hide
            } else {
                ModerationAction::Restore
            };
            (action, Some(reason), shown(pin.hidden), shown(hide))
        }
        Change::Approve | Change::Unapprove => {
            let approve = change == Change::Approve;
            on!(c, |x| sqlx::query(
                "UPDATE pins SET comment_approved = $1 WHERE id = $2"
            )
            .bind(approve)
            .bind(Id::of(&id))
            .execute(x)
            .await
            .map(|_| ()))?;
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
            on!(c, |x| sqlx::query(
                "UPDATE pins SET comment = $1 WHERE id = $2"
            )
            .bind(&comment)
            .bind(Id::of(&id))
            .execute(x)
            .await
            .map(|_| ()))?;
            (
                ModerationAction::EditComment,
                None,
                pin.comment.clone(),
                comment,
            )
        }
    };
    on!(c, |x| sqlx::query(
        "INSERT INTO moderation_log (pin_id, at, actor, action, reason, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Id::of(&id))
    .bind(Time(now))
    .bind(&actor)
    .bind(action.code())
    .bind(&reason)
    .bind(&before)
    .bind(&after)
    .execute(x)
    .await
    .map(|_| ()))?;
    let updated: PinRow = on!(c, |x| sqlx::query_as("SELECT * FROM pins WHERE id = $1")
        .bind(Id::of(&id))
        .fetch_one(x)
        .await)?;
    Ok(Some(updated))
}
