use std::collections::{HashMap, HashSet};

use sqlx::QueryBuilder;

use super::batch::Batch;
use super::new_pins::{bind_new_pin, new_pin_columns};
use futures_util::future::BoxFuture;

use super::shared::{limit_drain, RateTicket};
use super::{new_pins, on, pin_pages, Conn, Either, Id, Kind, Storage, Time};
use crate::time::local_day;

/// A pin as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PinRow {
    #[sqlx(try_from = "Id")]
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub category: String,
    pub time_of_day: String,
    pub comment: Option<String>,
    pub place_description: Option<String>,
    pub delete_token: String,
    #[sqlx(try_from = "Time")]
    pub created_at: i64,
    pub agree_count: i64,
    pub hidden: bool,
    pub comment_approved: bool,
    /// Why staff hid it (the latest hide).
    pub hidden_reason: Option<String>,
    /// State, public answer, action.
    #[sqlx(flatten)]
    pub follow_up: super::FollowUp,
}

/// The outcome of an insert keyed by the widget's id.
#[derive(Debug)]
pub enum Inserted {
    New(PinRow),
    /// A pin with this id already existed (a retry, or a clash).
    Existing(PinRow),
    /// Not stored: its shared rate window (the [`RateTicket`]) was full; it began at `started`.
    Limited {
        started: i64,
    },
}

/// One device's "Jag känner likadant" waiting to be counted.
#[derive(Debug)]
pub(super) struct Agree {
    pin_id: String,
    device_hash: String,
    at: i64,
    /// The shared rate window to count it in first (PostgreSQL), if any.
    rate: Option<RateTicket>,
}

/// Agrees waiting to be counted.
pub(super) type AgreeQueue = Batch<Agree, Agreed>;

/// Agree rows per statement on SQLite (3 values each; PostgreSQL takes them as arrays).
const AGREE_CHUNK: usize = 300;

/// Counts a batch of agrees, pin by pin (in id order, so that two server processes lock the same
/// pins in the same order; see [`store_agrees`]). Each agree gets what it would have got
/// alone in its turn: the count after it (`Counted`), or the count then (`AlreadyCounted`: this
/// device had agreed, also earlier in the batch).
async fn count_agrees(c: &mut Conn<'_>, agrees: Vec<Agree>) -> Result<Vec<Agreed>, sqlx::Error> {
    let mut pins: Vec<&str> = agrees.iter().map(|a| a.pin_id.as_str()).collect();
    pins.sort_unstable();
    pins.dedup();
    // Per pin, the devices this batch stored: the first agree of each is the one counted.
    let mut counted: HashMap<&str, HashSet<String>> = HashMap::new();
    // Per pin, its count before the batch (`None`: no such visible pin).
    let mut counts: HashMap<&str, Option<i64>> = HashMap::new();
    for pin in pins {
        if !c.kind().holds_id(pin) {
            counts.insert(pin, None);
            continue;
        }
        let devices: Vec<&Agree> = agrees.iter().filter(|a| a.pin_id == pin).collect();
        let stored = store_agrees(c, pin, &devices).await?;
        counts.insert(pin, stored.as_ref().map(|(before, _)| *before));
        if let Some((_, new)) = stored {
            counted.entry(pin).or_default().extend(new);
        }
    }
    // In arrival order: each new device raises its pin's count by one.
    Ok(agrees
        .iter()
        .map(|a| {
            let Some(Some(count)) = counts.get_mut(a.pin_id.as_str()) else {
                return Agreed::NoSuchPin;
            };
            let first = counted
                .get_mut(a.pin_id.as_str())
                .is_some_and(|devices| devices.remove(a.device_hash.as_str()));
            if first {
                *count += 1;
                Agreed::Counted(*count)
            } else {
                Agreed::AlreadyCounted(*count)
            }
        })
        .collect())
}

fn count_job(
    mut c: Conn<'_>,
    agrees: Vec<Agree>,
) -> BoxFuture<'_, Result<Vec<Agreed>, sqlx::Error>> {
    Box::pin(async move {
        let tickets: Vec<Option<RateTicket>> = agrees.iter().map(|a| a.rate).collect();
        let now = agrees.iter().map(|a| a.at).max().unwrap_or_default();
        let refused = limit_drain(&mut c, &tickets, now).await?;
        let allowed: Vec<Agree> = agrees
            .into_iter()
            .zip(&refused)
            .filter(|(_, r)| r.is_none())
            .map(|(a, _)| a)
            .collect();
        let mut counted = count_agrees(&mut c, allowed).await?.into_iter();
        refused
            .into_iter()
            .map(|r| match r {
                Some(started) => Ok(Agreed::Limited { started }),
                None => counted
                    .next()
                    .ok_or_else(|| sqlx::Error::Protocol("an agree was not counted".into())),
            })
            .collect()
    })
}

/// PostgreSQL: [`store_agrees`] as one statement. The pin's row is locked first (`pin`), the
/// devices not yet stored are inserted (`added`) and the count raised by their number; it
/// answers the count before and the devices that were new, or no row for no visible pin.
const STORE_AGREES_PG: &str = "
    WITH pin AS (
        SELECT id, agree_count FROM pins WHERE id = $1 AND NOT hidden FOR NO KEY UPDATE
    ), added AS (
        INSERT INTO pin_agrees (pin_id, device_hash, created_at)
        SELECT pin.id, d.device_hash, to_timestamp(d.at)
        FROM pin, unnest($2::text[], $3::bigint[]) AS d (device_hash, at)
        ON CONFLICT DO NOTHING
        RETURNING device_hash
    ), raised AS (
        UPDATE pins SET agree_count = pins.agree_count + (SELECT count(*) FROM added)
        FROM pin WHERE pins.id = pin.id AND EXISTS (SELECT 1 FROM added)
    )
    SELECT pin.agree_count, ARRAY(SELECT device_hash FROM added) FROM pin";

/// Stores one pin's agrees (`devices`, in arrival order) and raises its count by those that were
/// new. Returns the visible pin's count before them and the devices stored now, or `None` when
/// there is no such visible pin. PostgreSQL does it in one statement and round trip
/// ([`STORE_AGREES_PG`]); SQLite, whose statements cost no round trip, in three.
async fn store_agrees(
    c: &mut Conn<'_>,
    pin: &str,
    devices: &[&Agree],
) -> Result<Option<(i64, Vec<String>)>, sqlx::Error> {
    if let Either::Postgres(x) = c.re() {
        let hashes: Vec<String> = devices.iter().map(|a| a.device_hash.clone()).collect();
        let at: Vec<i64> = devices.iter().map(|a| a.at).collect();
        return sqlx::query_as(STORE_AGREES_PG)
            .bind(Id::of(pin))
            .bind(hashes)
            .bind(at)
            .fetch_optional(x)
            .await;
    }
    let count: Option<(i64,)> = on!(c, |x| sqlx::query_as(
        "SELECT agree_count FROM pins WHERE id = $1 AND NOT hidden"
    )
    .bind(Id::of(pin))
    .fetch_optional(x)
    .await)?;
    let Some((before,)) = count else {
        return Ok(None);
    };
    let mut new = Vec::new();
    for chunk in devices.chunks(AGREE_CHUNK) {
        let inserted: Vec<(String,)> = on!(c, |x| {
            let mut q =
                QueryBuilder::new("INSERT INTO pin_agrees (pin_id, device_hash, created_at) ");
            q.push_values(chunk, |mut b, a| {
                b.push_bind(Id::of(pin))
                    .push_bind(a.device_hash.clone())
                    .push_bind(Time(a.at));
            });
            q.push(" ON CONFLICT DO NOTHING RETURNING device_hash");
            q.build_query_as().fetch_all(x).await
        })?;
        new.extend(inserted.into_iter().map(|(device,)| device));
    }
    if !new.is_empty() {
        on!(c, |x| sqlx::query(
            "UPDATE pins SET agree_count = agree_count + $2 WHERE id = $1"
        )
        .bind(Id::of(pin))
        .bind(new.len() as i64)
        .execute(x)
        .await
        .map(|_| ()))?;
    }
    Ok(Some((before, new)))
}

/// What `agree` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Agreed {
    Counted(i64),
    AlreadyCounted(i64),
    NoSuchPin,
    /// Its shared rate window (the [`RateTicket`]) was full; it began at `started`.
    Limited {
        started: i64,
    },
}

/// Pins per statement when importing (14 values each, well under PostgreSQL's 65 535).
const IMPORT_CHUNK: usize = 1000;

impl Storage {
    /// Inserts the pin unless its id exists; either way returns the stored row. The row is
    /// committed (and on disk) before this returns.
    pub async fn insert_pin(&self, row: &PinRow) -> Result<Inserted, sqlx::Error> {
        self.insert_pin_subscribed(row, None).await
    }

    /// [`Storage::insert_pin`], first counted in its client's shared rate window (`rate`,
    /// PostgreSQL's rate limiter) in the same write job as the other new pins waiting:
    /// `Limited` when the window is full; a retry (`Existing`) gives its count back.
    pub async fn insert_pin_counted(
        &self,
        row: &PinRow,
        rate: Option<RateTicket>,
    ) -> Result<Inserted, sqlx::Error> {
        self.insert_queued(row.clone(), rate).await
    }

    /// [`Storage::insert_pin`], and for a new pin the resident's opt-in e-mail address (kept in
    /// its own table, see `docs/PRIVACY.md`), in the same transaction.
    pub async fn insert_pin_subscribed(
        &self,
        row: &PinRow,
        email: Option<String>,
    ) -> Result<Inserted, sqlx::Error> {
        let row = row.clone();
        let Some(email) = email else {
            // Without an address: with the other new pins waiting (see `new_pins`).
            return self.insert_queued(row, None).await;
        };
        let out = self
            .write(move |mut c| {
                Box::pin(async move {
                    let inserted = new_pins::insert_one(&mut c, &row).await?;
                    if let Some(stored) = inserted {
                        on!(c, |x| sqlx::query(
                            "INSERT INTO pin_subscriptions (pin_id, email, created_at)
                             VALUES ($1, $2, $3)",
                        )
                        .bind(Id::of(&row.id))
                        .bind(&email)
                        .bind(Time(row.created_at))
                        .execute(x)
                        .await
                        .map(|_| ()))?;
                        return Ok(Inserted::New(stored));
                    }
                    let stored: PinRow =
                        on!(c, |x| sqlx::query_as("SELECT * FROM pins WHERE id = $1")
                            .bind(Id::of(&row.id))
                            .fetch_one(x)
                            .await)?;
                    Ok(Inserted::Existing(stored))
                })
            })
            .await?;
        if matches!(out, Inserted::New(_)) {
            self.public_changed().await;
        }
        Ok(out)
    }

    /// Stores many pins in one transaction (imports and benchmarks); existing ids are kept.
    pub async fn import_pins(&self, rows: &[PinRow]) -> Result<u64, sqlx::Error> {
        let rows = rows.to_vec();
        let n = self
            .write(move |mut c| {
                Box::pin(async move {
                    let mut n = 0;
                    for chunk in rows.chunks(IMPORT_CHUNK) {
                        n += on!(c, |x| {
                            let mut q = QueryBuilder::new(concat!(
                                "INSERT INTO pins (",
                                new_pin_columns!(),
                                ", agree_count, hidden, comment_approved, hidden_reason, \
                                 local_day) "
                            ));
                            q.push_values(chunk, |mut b, row| {
                                bind_new_pin!(b, push_bind, row)
                                    .push_bind(row.agree_count)
                                    .push_bind(row.hidden)
                                    .push_bind(row.comment_approved)
                                    .push_bind(row.hidden_reason.clone())
                                    .push_bind(local_day(row.created_at));
                            });
                            q.push(" ON CONFLICT (id) DO NOTHING");
                            q.build().execute(x).await?.rows_affected()
                        });
                    }
                    Ok(n)
                })
            })
            .await?;
        self.public_changed().await;
        Ok(n)
    }

    pub async fn pin(&self, id: &str) -> Result<Option<PinRow>, sqlx::Error> {
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT * FROM pins WHERE id = $1"
        )
        .bind(Id::of(id))
        .fetch_optional(p)
        .await)
    }

    /// Visible pins whose exact position lies in the box, oldest first.
    pub async fn public_pins(
        &self,
        bbox: Option<(f64, f64, f64, f64)>,
    ) -> Result<Vec<PinRow>, sqlx::Error> {
        let (min_lon, min_lat, max_lon, max_lat) = bbox.unwrap_or((-180.0, -90.0, 180.0, 90.0));
        if let (None, Either::Sqlite(pool)) = (bbox, self.pool()) {
            // The whole list page by page (see `pin_pages`: 100 000 pins took 2.8 s row by
            // row), oldest first with ties in insertion order; then ties by id, as below. (A box
            // stays one statement: it reads the position index, which pages would sort again
            // for every page.)
            let mut rows = pin_pages::all(
                pool,
                |q| {
                    q.push(" AND NOT hidden");
                },
                Some,
            )
            .await?;
            rows.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
            return Ok(rows);
        }
        on!(self.pool(), |p| {
            sqlx::query_as(
            "SELECT * FROM pins WHERE NOT hidden AND lon BETWEEN $1 AND $2 AND lat BETWEEN $3 AND $4
             ORDER BY created_at, id",
        )
        .bind(min_lon)
        .bind(max_lon)
        .bind(min_lat)
        .bind(max_lat)
        .fetch_all(p)
        .await
        })
    }

    /// Deletes the pin, and the sender's text from its moderation history.
    pub async fn delete_pin(&self, id: &str) -> Result<bool, sqlx::Error> {
        let id = id.to_owned();
        let deleted = self
            .write(move |mut c| {
                Box::pin(async move {
                    let done = on!(c, |x| sqlx::query("DELETE FROM pins WHERE id = $1")
                        .bind(Id::of(&id))
                        .execute(x)
                        .await?
                        .rows_affected());
                    on!(c, |x| sqlx::query(
                        "UPDATE moderation_log SET before = NULL, after = NULL
                         WHERE pin_id = $1 AND action = 'edit_comment'",
                    )
                    .bind(Id::of(&id))
                    .execute(x)
                    .await
                    .map(|_| ()))?;
                    Ok(done == 1)
                })
            })
            .await?;
        self.public_changed().await;
        Ok(deleted)
    }

    /// Counts `device_hash`'s agree with the visible pin `pin_id`, once per device, together
    /// with the other agrees waiting (see [`super::batch`] and `count_agrees`: one write job
    /// that holds the pins' rows on PostgreSQL, so N devices agreeing at once count exactly N,
    /// also across server processes). With `rate` (PostgreSQL's shared rate limiter) the agree
    /// is first counted in its client's rate window in that same job, and `Limited` if full.
    pub async fn agree(
        &self,
        pin_id: &str,
        device_hash: &str,
        now: i64,
        rate: Option<RateTicket>,
    ) -> Result<Agreed, sqlx::Error> {
        let me = self.clone();
        let agree = Agree {
            pin_id: pin_id.to_owned(),
            device_hash: device_hash.to_owned(),
            at: now,
            rate,
        };
        self.agrees
            .submit(agree, move |agrees| {
                let me = me.clone();
                async move {
                    // One pin on PostgreSQL is one statement, complete by itself (after the
                    // drain's rate statement, which is too): no transaction around them (two
                    // round trips instead of four). Several pins are one transaction, as on
                    // SQLite, with the rate windows counted in it.
                    let one_statement = me.kind() == Kind::Postgres
                        && agrees.iter().all(|a| a.pin_id == agrees[0].pin_id);
                    let outcomes = if one_statement {
                        me.write1(move |c| count_job(c, agrees)).await?
                    } else {
                        me.write(move |c| count_job(c, agrees)).await?
                    };
                    if outcomes.iter().any(|o| matches!(o, Agreed::Counted(_))) {
                        me.counts_changed().await;
                    }
                    Ok(outcomes.into_iter().map(Ok).collect())
                }
            })
            .await
    }

    pub async fn count_pins(&self) -> Result<i64, sqlx::Error> {
        let (n,): (i64,) = on!(self.pool(), |p| sqlx::query_as("SELECT COUNT(*) FROM pins")
            .fetch_one(p)
            .await)?;
        Ok(n)
    }
}
