//! New pins, stored together (see [`super::batch`]).
//!
//! One drain stores every waiting pin with one multi-row
//! `INSERT … ON CONFLICT (id) DO NOTHING RETURNING id` per [`CHUNK`] pins, as one write job
//! without a transaction of its own (each statement is atomic). Each pin is told what a lone
//! insert would say: `New` for the one that stored it, `Existing` (the stored row) for a retry,
//! also of a pin earlier in the same batch. If a chunk's statement fails, its pins are inserted
//! one by one, so a pin the database refuses fails alone.

use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::batch::{Batch, Outcome};
use super::shared::{give_back, limit_drain, RateTicket};
use super::{on, AddedPin, Conn, FollowUp, Id, Inserted, Kind, PinRow, Storage, Time};
use crate::time::local_day;

/// The columns every insert of a pin writes first, in the order [`bind_new_pin!`] binds them.
/// A literal, for `concat!`.
macro_rules! new_pin_columns {
    () => {
        "id, lat, lon, category, time_of_day, comment, place_description, delete_token, created_at"
    };
}
pub(super) use new_pin_columns;

/// Binds a pin's values for [`new_pin_columns!`] with `$bind` (`bind` on a query, `push_bind`
/// on a builder's row), so the columns and their values are listed in one place.
macro_rules! bind_new_pin {
    ($q:expr, $bind:ident, $row:expr) => {
        $q.$bind(Id::of(&$row.id))
            .$bind($row.lat)
            .$bind($row.lon)
            .$bind($row.category.clone())
            .$bind($row.time_of_day.clone())
            .$bind($row.comment.clone())
            .$bind($row.place_description.clone())
            .$bind($row.delete_token.clone())
            .$bind(Time($row.created_at))
    };
}
pub(super) use bind_new_pin;

/// A resident's new pin: [`new_pin_columns!`] and the day it counts for.
const INSERT_NEW: &str = concat!(
    "INSERT INTO pins (",
    new_pin_columns!(),
    ", local_day) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (id) DO NOTHING RETURNING *"
);

/// Pins per statement (10 values each: well under both backends' limits on parameters).
const CHUNK: usize = 100;

/// A new pin waiting to be stored, with the shared rate window to count it in first
/// (PostgreSQL), if any.
#[derive(Debug)]
pub(super) struct NewPin {
    row: PinRow,
    rate: Option<RateTicket>,
}

/// New pins waiting to be stored.
pub(super) type PinQueue = Batch<NewPin, Inserted>;

impl Storage {
    /// Inserts a new pin together with the others waiting. With `rate` it is first counted in
    /// its client's shared rate window in the same write job ([`limit_drain`]): `Limited` if
    /// the window is full; a retry (`Existing`) gives its count back.
    pub(super) async fn insert_queued(
        &self,
        row: PinRow,
        rate: Option<RateTicket>,
    ) -> Result<Inserted, sqlx::Error> {
        let me = self.clone();
        self.new_pins
            .submit(NewPin { row, rate }, move |pins| {
                let me = me.clone();
                async move {
                    let _finished = me.insert_started();
                    let outcomes = me
                        .write1(move |mut c| {
                            Box::pin(async move { limit_and_insert(&mut c, pins).await })
                        })
                        .await?;
                    let added: Vec<AddedPin> = outcomes
                        .iter()
                        .filter_map(|o| match o {
                            Ok(Inserted::New(row)) => Some(row),
                            _ => None,
                        })
                        .filter(|row| !row.hidden)
                        .map(|row| AddedPin {
                            lat: row.lat,
                            lon: row.lon,
                            category: row.category.clone(),
                            time_of_day: row.time_of_day.clone(),
                            status: row.follow_up.status.clone(),
                        })
                        .collect();
                    if outcomes.iter().any(|o| matches!(o, Ok(Inserted::New(_)))) {
                        me.pins_added(added).await;
                    }
                    Ok(outcomes)
                }
            })
            .await
    }
}

/// How ids are matched with what the database hands back: PostgreSQL spells a uuid its own
/// way (lower case), SQLite as stored.
fn id_key(kind: Kind, id: &str) -> String {
    match kind {
        Kind::Sqlite => id.to_owned(),
        Kind::Postgres => id.to_ascii_lowercase(),
    }
}

/// Counts `pins`' rate tickets, inserts those their windows allow ([`insert_all`]) and gives
/// back the count of each that was a retry; says for each pin what it would have got alone.
async fn limit_and_insert(
    c: &mut Conn<'_>,
    pins: Vec<NewPin>,
) -> Result<Vec<Outcome<Inserted>>, sqlx::Error> {
    // A second send of an id earlier in this drain (a double tap) is a retry: not counted, so
    // it cannot take a new report's place in its client's window, and it shares its first
    // send's fate (refused with it, stored or found with it). A retry of a pin stored earlier
    // is only known after the insert: it is counted and given back below.
    let kind = c.kind();
    let mut first: HashMap<String, usize> = HashMap::new();
    let repeat_of: Vec<Option<usize>> = pins
        .iter()
        .enumerate()
        .map(|(i, p)| match first.entry(id_key(kind, &p.row.id)) {
            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
                None
            }
        })
        .collect();
    let tickets: Vec<Option<RateTicket>> = pins
        .iter()
        .zip(&repeat_of)
        .map(|(p, repeat)| p.rate.filter(|_| repeat.is_none()))
        .collect();
    let now = pins
        .iter()
        .map(|p| p.row.created_at)
        .max()
        .unwrap_or_default();
    let mut refused = limit_drain(c, &tickets, now).await?;
    for (i, repeat) in repeat_of.iter().enumerate() {
        if let Some(j) = *repeat {
            refused[i] = refused[j];
        }
    }
    let mut allowed = Vec::new();
    let mut allowed_tickets = Vec::new();
    for ((pin, ticket), refused) in pins.into_iter().zip(tickets).zip(&refused) {
        if refused.is_none() {
            allowed_tickets.push(ticket);
            allowed.push(pin.row);
        }
    }
    let inserted = insert_all(c, allowed).await;
    let retries: Vec<RateTicket> = inserted
        .iter()
        .zip(&allowed_tickets)
        .filter(|(o, _)| matches!(o, Ok(Inserted::Existing(_))))
        .filter_map(|(_, t)| *t)
        .collect();
    if !retries.is_empty() {
        // The answers stand either way; a count not given back costs the client one request.
        if let Err(e) = give_back(c, &retries, now).await {
            tracing::warn!(error = %e, "could not give back the rate count of retried pins");
        }
    }
    let mut inserted = inserted.into_iter();
    Ok(refused
        .into_iter()
        .map(|r| match r {
            Some(started) => Ok(Inserted::Limited { started }),
            None => inserted
                .next()
                .unwrap_or_else(|| Err("a pin was not inserted".into())),
        })
        .collect())
}

/// Inserts `rows` (ids may repeat) and says for each what a lone insert would have said.
async fn insert_all(c: &mut Conn<'_>, rows: Vec<PinRow>) -> Vec<Outcome<Inserted>> {
    let kind = c.kind();
    let key = |id: &str| id_key(kind, id);
    let mut stored: HashMap<String, PinRow> = HashMap::new();
    let mut failed: HashMap<String, String> = HashMap::new();
    for chunk in rows.chunks(CHUNK) {
        // An id the backend cannot hold goes by itself (and fails alone).
        let together = if chunk.iter().all(|r| kind.holds_id(&r.id)) {
            insert_chunk(c, chunk).await.ok()
        } else {
            None
        };
        match together {
            Some(new) => stored.extend(new.into_iter().map(|r| (key(&r.id), r))),
            None => {
                // One pin the database refuses must not fail the others: one by one.
                for row in chunk {
                    match insert_one(c, row).await {
                        Ok(Some(new)) => {
                            stored.insert(key(&new.id), new);
                        }
                        Ok(None) => {}
                        Err(e) => {
                            failed.insert(key(&row.id), e.to_string());
                        }
                    }
                }
            }
        }
    }
    let others: Vec<&str> = rows
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !stored.contains_key(&key(id)) && !failed.contains_key(&key(id)))
        .collect();
    let existing: HashMap<String, PinRow> = match existing(c, &others).await {
        Ok(rows) => rows.into_iter().map(|r| (key(&r.id), r)).collect(),
        Err(e) => {
            let why = e.to_string();
            for id in &others {
                failed.insert(key(id), why.clone());
            }
            HashMap::new()
        }
    };
    let mut claimed = std::collections::HashSet::new();
    rows.iter()
        .map(|row| {
            let id = key(&row.id);
            if let Some(why) = failed.get(&id) {
                return Err(why.clone());
            }
            if let Some(new) = stored.get(&id) {
                // The first of the batch with this id stored it; a repeat is its retry.
                return Ok(if claimed.insert(id.clone()) {
                    Inserted::New(new.clone())
                } else {
                    Inserted::Existing(new.clone())
                });
            }
            existing
                .get(&id)
                .map(|r| Inserted::Existing(r.clone()))
                .ok_or_else(|| format!("pin {} was neither stored nor found", row.id))
        })
        .collect()
}

/// Inserts `chunk`; returns the rows it stored, as stored. Only their ids come back from the
/// database (`RETURNING *` made the driver copy every column of every row back, ~15 % of a
/// group's time at 5 000 pins/s): the rest is what was written plus the table's defaults.
async fn insert_chunk(c: &mut Conn<'_>, chunk: &[PinRow]) -> Result<Vec<PinRow>, sqlx::Error> {
    let ids: Vec<(Id,)> = on!(c, |x| {
        let mut q = QueryBuilder::new(concat!(
            "INSERT INTO pins (",
            new_pin_columns!(),
            ", local_day) "
        ));
        q.push_values(chunk, |mut b, row| {
            bind_new_pin!(b, push_bind, row).push_bind(local_day(row.created_at));
        });
        q.push(" ON CONFLICT (id) DO NOTHING RETURNING id");
        q.build_query_as().fetch_all(x).await
    })?;
    let kind = c.kind();
    let written: HashMap<String, &PinRow> =
        chunk.iter().map(|r| (id_key(kind, &r.id), r)).collect();
    ids.into_iter()
        .map(|(Id(id),)| {
            written
                .get(&id_key(kind, &id))
                .map(|row| as_stored(row, id.clone()))
                .ok_or_else(|| sqlx::Error::Protocol(format!("the insert returned {id}")))
        })
        .collect()
}

/// A new pin as the insert above stores it: the columns it writes (`id` as the database
/// spells it), the table's defaults for the others.
fn as_stored(row: &PinRow, id: String) -> PinRow {
    PinRow {
        id,
        agree_count: 0,
        hidden: false,
        comment_approved: false,
        hidden_reason: None,
        follow_up: FollowUp::default(),
        ..row.clone()
    }
}

/// Inserts one new pin; the stored row, or `None` if the id was taken.
pub(super) async fn insert_one(
    c: &mut Conn<'_>,
    row: &PinRow,
) -> Result<Option<PinRow>, sqlx::Error> {
    on!(c, |x| bind_new_pin!(sqlx::query_as(INSERT_NEW), bind, row)
        .bind(local_day(row.created_at))
        .fetch_optional(x)
        .await)
}

async fn existing(c: &mut Conn<'_>, ids: &[&str]) -> Result<Vec<PinRow>, sqlx::Error> {
    let mut found = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<PinRow> = on!(c, |x| {
            let mut q = QueryBuilder::new("SELECT * FROM pins WHERE id IN (");
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(Id::of(id));
            }
            q.push(")");
            q.build_query_as::<PinRow>().fetch_all(x).await
        })?;
        found.extend(rows);
    }
    Ok(found)
}
