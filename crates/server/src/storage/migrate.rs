//! `trygghetskarta-server migrate --from sqlite://… --to postgres://…`: copies an SQLite
//! database into an empty PostgreSQL one, ids and all, in one transaction.
//!
//! Everything is copied but staff sessions (staff log in again) and the rate limiter's
//! counters (which live in memory with SQLite). Pins keep their SQLite insertion order as `seq`,
//! so lists and exports order ties in time exactly as before.

use futures_util::TryStreamExt;
use sqlx::postgres::Postgres;
use sqlx::sqlite::SqliteRow;
use sqlx::{Connection, QueryBuilder, Row};

use super::{Backend, Storage};

/// How a column is read from SQLite and written to PostgreSQL.
#[derive(Debug, Clone, Copy)]
enum Col {
    Text,
    Int,
    Real,
    Bool,
    Blob,
    Id,
    Time,
    Date,
    Stamp,
}

/// One column of one row, on its way.
enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
    Bool(Option<bool>),
    Blob(Option<Vec<u8>>),
    Id(Option<super::Id>),
    Time(Option<super::Time>),
    Date(Option<super::Date>),
    Stamp(Option<super::Stamp>),
}

struct Table {
    name: &'static str,
    /// `(SQLite expression, PostgreSQL column, type)`.
    columns: &'static [(&'static str, &'static str, Col)],
    order: &'static str,
    /// Identity columns whose sequence must continue after the copied ids.
    identity: Option<&'static str>,
}

use Col::*;

/// Parents before children (foreign keys are checked as rows arrive).
const TABLES: &[Table] = &[
    Table {
        name: "users",
        columns: &[
            ("id", "id", Int),
            ("username", "username", Text),
            ("password_hash", "password_hash", Text),
            ("role", "role", Text),
            ("disabled", "disabled", Bool),
            ("created_at", "created_at", Stamp),
            ("last_login_at", "last_login_at", Time),
            ("since_date", "since_date", Date),
        ],
        order: "id",
        identity: Some("id"),
    },
    Table {
        name: "dialogues",
        columns: &[
            ("id", "id", Id),
            ("title", "title", Text),
            ("description", "description", Text),
            ("starts_at", "starts_at", Time),
            ("ends_at", "ends_at", Time),
            ("place_name", "place_name", Text),
            ("lat", "lat", Real),
            ("lon", "lon", Real),
            ("kind", "kind", Text),
            ("organiser", "organiser", Text),
            ("online_url", "online_url", Text),
            ("registration_url", "registration_url", Text),
            ("status", "status", Text),
            ("cancel_reason", "cancel_reason", Text),
            ("sequence", "sequence", Int),
            ("created_at", "created_at", Time),
            ("updated_at", "updated_at", Time),
            ("closed_at", "closed_at", Time),
            ("outcome_summary", "outcome_summary", Text),
            ("outcome_participants", "outcome_participants", Int),
            ("outcome_themes", "outcome_themes", Text),
            ("outcome_other_themes", "outcome_other_themes", Text),
        ],
        order: "rowid",
        identity: None,
    },
    Table {
        name: "actions",
        columns: &[
            ("id", "id", Id),
            ("title", "title", Text),
            ("description", "description", Text),
            ("party", "party", Text),
            ("party_name", "party_name", Text),
            ("lat", "lat", Real),
            ("lon", "lon", Real),
            ("area", "area", Text),
            ("starts_on", "starts_on", Date),
            ("target_on", "target_on", Date),
            ("state", "state", Text),
            ("cancel_reason", "cancel_reason", Text),
            ("created_at", "created_at", Time),
            ("updated_at", "updated_at", Time),
            ("state_changed_at", "state_changed_at", Time),
        ],
        order: "rowid",
        identity: None,
    },
    Table {
        name: "action_notes",
        columns: &[
            ("id", "id", Int),
            ("action_id", "action_id", Id),
            ("at", "at", Time),
            ("actor", "actor", Text),
            ("text", "text", Text),
        ],
        order: "id",
        identity: Some("id"),
    },
    Table {
        name: "action_dialogues",
        columns: &[
            ("action_id", "action_id", Id),
            ("dialogue_id", "dialogue_id", Id),
        ],
        order: "rowid",
        identity: None,
    },
    Table {
        name: "pins",
        columns: &[
            ("id", "id", Id),
            ("rowid", "seq", Int),
            ("lat", "lat", Real),
            ("lon", "lon", Real),
            ("category", "category", Text),
            ("time_of_day", "time_of_day", Text),
            ("comment", "comment", Text),
            ("place_description", "place_description", Text),
            ("delete_token", "delete_token", Text),
            ("created_at", "created_at", Time),
            ("agree_count", "agree_count", Int),
            ("hidden", "hidden", Bool),
            ("comment_approved", "comment_approved", Bool),
            ("hidden_reason", "hidden_reason", Text),
            ("status", "status", Text),
            ("status_reason", "status_reason", Text),
            ("status_changed_at", "status_changed_at", Time),
            ("public_response", "public_response", Text),
            ("response_party", "response_party", Text),
            ("response_at", "response_at", Time),
            ("action_id", "action_id", Id),
            ("first_response_at", "first_response_at", Time),
            ("done_at", "done_at", Time),
            ("local_day", "local_day", Int),
        ],
        order: "rowid",
        identity: Some("seq"),
    },
    Table {
        name: "pin_agrees",
        columns: &[
            ("pin_id", "pin_id", Id),
            ("device_hash", "device_hash", Text),
            ("created_at", "created_at", Time),
        ],
        order: "rowid",
        identity: None,
    },
    Table {
        name: "moderation_log",
        columns: &[
            ("id", "id", Int),
            ("pin_id", "pin_id", Id),
            ("at", "at", Time),
            ("actor", "actor", Text),
            ("action", "action", Text),
            ("reason", "reason", Text),
            ("before", "before", Text),
            ("after", "after", Text),
            ("response", "response", Text),
        ],
        order: "id",
        identity: Some("id"),
    },
    Table {
        name: "export_log",
        columns: &[
            ("id", "id", Int),
            ("at", "at", Time),
            ("actor", "actor", Text),
            ("format", "format", Text),
            ("filters", "filters", Text),
            ("rows", "rows", Int),
            ("completed", "completed", Bool),
        ],
        order: "id",
        identity: Some("id"),
    },
    Table {
        name: "secrets",
        columns: &[("name", "name", Text), ("value", "value", Blob)],
        order: "name",
        identity: None,
    },
    Table {
        name: "pin_subscriptions",
        columns: &[
            ("pin_id", "pin_id", Id),
            ("email", "email", Text),
            ("created_at", "created_at", Time),
            ("delete_after", "delete_after", Time),
        ],
        order: "rowid",
        identity: None,
    },
    Table {
        name: "mail_outbox",
        columns: &[
            ("id", "id", Int),
            ("pin_id", "pin_id", Id),
            ("to_addr", "to_addr", Text),
            ("subject", "subject", Text),
            ("body", "body", Text),
            ("created_at", "created_at", Time),
            ("attempts", "attempts", Int),
            ("next_at", "next_at", Time),
        ],
        order: "id",
        identity: Some("id"),
    },
    Table {
        name: "named_places",
        columns: &[
            ("id", "id", Id),
            ("name", "name", Text),
            ("lat", "lat", Real),
            ("lon", "lon", Real),
            ("radius_m", "radius_m", Real),
            ("polygon", "polygon", Text),
            ("created_at", "created_at", Time),
            ("updated_at", "updated_at", Time),
        ],
        order: "rowid",
        identity: None,
    },
    Table {
        name: "daily_runs",
        columns: &[("task", "task", Text), ("day", "day", Int)],
        order: "task",
        identity: None,
    },
];

/// Tables that must be empty in the target (every copied one, and sessions).
const MUST_BE_EMPTY: &[&str] = &["sessions"];

/// Rows per INSERT (at most 23 columns: well under PostgreSQL's 65 535 parameters).
const BATCH: usize = 1000;

fn read(row: &SqliteRow, i: usize, col: Col) -> Result<Value, sqlx::Error> {
    Ok(match col {
        Text => Value::Text(row.try_get(i)?),
        Int => Value::Int(row.try_get(i)?),
        Real => Value::Real(row.try_get(i)?),
        Bool => Value::Bool(row.try_get(i)?),
        Blob => Value::Blob(row.try_get(i)?),
        Col::Id => Value::Id(row.try_get::<Option<String>, _>(i)?.map(super::Id)),
        Col::Time => Value::Time(row.try_get::<Option<i64>, _>(i)?.map(super::Time)),
        Col::Date => Value::Date(row.try_get::<Option<String>, _>(i)?.map(super::Date)),
        Col::Stamp => Value::Stamp(row.try_get::<Option<String>, _>(i)?.map(super::Stamp)),
    })
}

fn bind<Sep: std::fmt::Display>(
    b: &mut sqlx::query_builder::Separated<'_, '_, Postgres, Sep>,
    v: Value,
) {
    match v {
        Value::Text(v) => b.push_bind(v),
        Value::Int(v) => b.push_bind(v),
        Value::Real(v) => b.push_bind(v),
        Value::Bool(v) => b.push_bind(v),
        Value::Blob(v) => b.push_bind(v),
        Value::Id(v) => b.push_bind(v),
        Value::Time(v) => b.push_bind(v),
        Value::Date(v) => b.push_bind(v),
        Value::Stamp(v) => b.push_bind(v),
    };
}

/// What a migration copied: rows per table.
#[derive(Debug, Default)]
pub struct Copied {
    pub tables: Vec<(&'static str, u64)>,
}

/// Copies the SQLite database `from` into the empty PostgreSQL database `to`. Refuses a target
/// that holds any row; on any error nothing is left in the target.
pub async fn migrate(from: &Storage, to: &Storage) -> Result<Copied, String> {
    let (Backend::Sqlite { pool: source, .. }, Backend::Postgres { pool: target, .. }) =
        (&from.backend, &to.backend)
    else {
        return Err(
            "migrate copies an SQLite database (--from sqlite://…) into a PostgreSQL \
                    one (--to postgres://…)"
                .into(),
        );
    };
    let db_error = |what: &str, e: sqlx::Error| format!("{what}: {e}");
    for table in TABLES
        .iter()
        .map(|t| t.name)
        .chain(MUST_BE_EMPTY.iter().copied())
    {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(target)
            .await
            .map_err(|e| db_error("reading the target", e))?;
        if n > 0 {
            return Err(format!(
                "the target database is not empty ({table} has {n} rows): migrate only into a \
                 new, empty database"
            ));
        }
    }
    let mut source = source
        .acquire()
        .await
        .map_err(|e| db_error("opening the source", e))?;
    let mut target = target
        .acquire()
        .await
        .map_err(|e| db_error("opening the target", e))?;
    let mut tx = target
        .begin()
        .await
        .map_err(|e| db_error("starting the copy", e))?;
    let mut copied = Copied::default();
    for table in TABLES {
        let n = copy_table(&mut source, &mut tx, table)
            .await
            .map_err(|e| db_error(&format!("copying {}", table.name), e))?;
        copied.tables.push((table.name, n));
        if let Some(column) = table.identity {
            // The next generated id follows the copied ones.
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{0}', '{column}'),
                    COALESCE((SELECT MAX({column}) FROM {0}), 0) + 1, false)",
                table.name
            ))
            .execute(&mut *tx)
            .await
            .map_err(|e| db_error("continuing the ids", e))?;
        }
    }
    tx.commit()
        .await
        .map_err(|e| db_error("committing the copy", e))?;
    to.public_changed().await;
    Ok(copied)
}

async fn copy_table(
    source: &mut sqlx::SqliteConnection,
    target: &mut sqlx::PgConnection,
    table: &Table,
) -> Result<u64, sqlx::Error> {
    let select = format!(
        "SELECT {} FROM {} ORDER BY {}",
        table
            .columns
            .iter()
            .map(|c| c.0)
            .collect::<Vec<_>>()
            .join(", "),
        table.name,
        table.order
    );
    let insert = format!(
        "INSERT INTO {} ({}) ",
        table.name,
        table
            .columns
            .iter()
            .map(|c| c.1)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut rows = sqlx::query(&select).fetch(&mut *source);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(BATCH);
    let mut n = 0;
    loop {
        let row = rows.try_next().await?;
        if let Some(row) = &row {
            let values = table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| read(row, i, c.2))
                .collect::<Result<Vec<_>, _>>()?;
            batch.push(values);
        }
        if batch.len() == BATCH || (row.is_none() && !batch.is_empty()) {
            let mut q = QueryBuilder::<Postgres>::new(&insert);
            q.push_values(batch.drain(..), |mut b, values| {
                for v in values {
                    bind(&mut b, v);
                }
            });
            n += q.build().execute(&mut *target).await?.rows_affected();
        }
        if row.is_none() {
            return Ok(n);
        }
    }
}
