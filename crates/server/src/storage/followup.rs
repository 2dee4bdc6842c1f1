//! Återkoppling in the database: pin states and answers (with their history and the mail they
//! cause), actions with their pins, dialogues and notes, closed dialogues, e-mail subscriptions
//! and the mail outbox.

use super::{on, Conn, Date, Either, Id, Maybe, PinRow, Sql, Storage, Time};

/// The follow-up columns of a pin (flattened into [`PinRow`]); a new pin's by default.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FollowUp {
    /// `received`, `investigating`, `planned`, `done`, `no_action`.
    pub status: String,
    pub status_reason: Option<String>,
    #[sqlx(try_from = "Maybe<Time>")]
    pub status_changed_at: Option<i64>,
    pub public_response: Option<String>,
    pub response_party: Option<String>,
    #[sqlx(try_from = "Maybe<Time>")]
    pub response_at: Option<i64>,
    #[sqlx(try_from = "Maybe<Id>")]
    pub action_id: Option<String>,
    #[sqlx(try_from = "Maybe<Time>")]
    pub first_response_at: Option<i64>,
    #[sqlx(try_from = "Maybe<Time>")]
    pub done_at: Option<i64>,
}

impl Default for FollowUp {
    fn default() -> Self {
        FollowUp {
            status: "received".to_owned(),
            status_reason: None,
            status_changed_at: None,
            public_response: None,
            response_party: None,
            response_at: None,
            action_id: None,
            first_response_at: None,
            done_at: None,
        }
    }
}

/// What to do with a pin's public answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Keep,
    Set { text: String, party: String },
    Clear,
}

/// A state change, as validated by the route.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusWrite {
    pub status: String,
    pub reason: Option<String>,
    pub answer: Answer,
    pub actor: String,
    pub now: i64,
    /// Recorded in the history's reason when the change comes from an action.
    pub via: Option<String>,
}

/// Makes the mail to a subscriber about a pin's new state; `None` when mail is off.
pub type MailMaker = std::sync::Arc<dyn Fn(&PinRow) -> (String, String) + Send + Sync>;

/// How long a subscription outlives its pin's closing.
pub const KEEP_AFTER_CLOSED_SECS: i64 = 30 * 86_400;

fn closed(status: &str) -> bool {
    matches!(status, "done" | "no_action")
}

/// Applies a state change to one pin inside a write job: the row, its history, the
/// subscription's deletion date, and (if subscribed and mail is on) the mail. `None`: no pin.
/// On PostgreSQL the pin's row stays locked until the job ends.
async fn status_in(
    c: &mut Conn<'_>,
    id: &str,
    w: &StatusWrite,
    mail: Option<&MailMaker>,
) -> Result<Option<PinRow>, sqlx::Error> {
    let select = c.kind().locking("SELECT * FROM pins WHERE id = $1");
    let Some(before): Option<PinRow> = on!(c, |x| sqlx::query_as(&select)
        .bind(Id::of(id))
        .fetch_optional(x)
        .await)?
    else {
        return Ok(None);
    };
    let answer_changes = match &w.answer {
        Answer::Keep => false,
        Answer::Set { text, party } => {
            before.follow_up.public_response.as_deref() != Some(text.as_str())
                || before.follow_up.response_party.as_deref() != Some(party.as_str())
        }
        Answer::Clear => before.follow_up.public_response.is_some(),
    };
    let state_changes =
        before.follow_up.status != w.status || before.follow_up.status_reason != w.reason;
    if !answer_changes && !state_changes {
        return Ok(Some(before));
    }
    on!(c, |x| sqlx::query(
        "UPDATE pins SET status = $1, status_reason = $2, status_changed_at = $3,
            first_response_at = COALESCE(first_response_at, $3),
            done_at = CASE WHEN $1 = 'done' THEN COALESCE(done_at, $3) ELSE NULL END
         WHERE id = $4",
    )
    .bind(&w.status)
    .bind(&w.reason)
    .bind(Time(w.now))
    .bind(Id::of(id))
    .execute(x)
    .await
    .map(|_| ()))?;
    match &w.answer {
        Answer::Keep => {}
        Answer::Set { text, party } => {
            on!(c, |x| sqlx::query(
                "UPDATE pins SET public_response = $1, response_party = $2, response_at = $3
                 WHERE id = $4",
            )
            .bind(text)
            .bind(party)
            .bind(Time(w.now))
            .bind(Id::of(id))
            .execute(x)
            .await
            .map(|_| ()))?;
        }
        Answer::Clear => {
            on!(c, |x| sqlx::query(
                "UPDATE pins SET public_response = NULL, response_party = NULL,
                    response_at = NULL
                 WHERE id = $1",
            )
            .bind(Id::of(id))
            .execute(x)
            .await
            .map(|_| ()))?;
        }
    }
    let response = match &w.answer {
        Answer::Set { text, .. } => Some(text.clone()),
        _ => None,
    };
    let reason = w.via.clone().or_else(|| w.reason.clone());
    on!(c, |x| sqlx::query(
        "INSERT INTO moderation_log (pin_id, at, actor, action, reason, before, after, response)
         VALUES ($1, $2, $3, 'status', $4, $5, $6, $7)",
    )
    .bind(Id::of(id))
    .bind(Time(w.now))
    .bind(&w.actor)
    .bind(&reason)
    .bind(&before.follow_up.status)
    .bind(&w.status)
    .bind(&response)
    .execute(x)
    .await
    .map(|_| ()))?;
    // A closed pin's subscription ends 30 days later; reopened, it stays.
    let delete_after = closed(&w.status).then_some(Time(w.now + KEEP_AFTER_CLOSED_SECS));
    on!(c, |x| sqlx::query(
        "UPDATE pin_subscriptions SET delete_after = $1 WHERE pin_id = $2"
    )
    .bind(delete_after)
    .bind(Id::of(id))
    .execute(x)
    .await
    .map(|_| ()))?;
    let after: PinRow = on!(c, |x| sqlx::query_as("SELECT * FROM pins WHERE id = $1")
        .bind(Id::of(id))
        .fetch_one(x)
        .await)?;
    if let Some(make) = mail {
        let to: Option<(String,)> = on!(c, |x| sqlx::query_as(
            "SELECT email FROM pin_subscriptions WHERE pin_id = $1"
        )
        .bind(Id::of(id))
        .fetch_optional(x)
        .await)?;
        if let Some((to,)) = to {
            let (subject, body) = make(&after);
            on!(c, |x| sqlx::query(
                "INSERT INTO mail_outbox (pin_id, to_addr, subject, body, created_at, next_at)
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(Id::of(id))
            .bind(&to)
            .bind(&subject)
            .bind(&body)
            .bind(Time(w.now))
            .execute(x)
            .await
            .map(|_| ()))?;
        }
    }
    Ok(Some(after))
}

/// Locks the pins `ids` (PostgreSQL), in id order, before a job that changes several of them:
/// two jobs locking overlapping pins then wait for each other instead of deadlocking.
async fn lock_pins(c: &mut Conn<'_>, ids: &[String]) -> Result<(), sqlx::Error> {
    let Either::Postgres(x) = c.re() else {
        return Ok(()); // SQLite's one writer runs one job at a time
    };
    let uuids: Vec<uuid::Uuid> = ids.iter().filter_map(|i| i.parse().ok()).collect();
    sqlx::query("SELECT 1 FROM pins WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
        .bind(uuids)
        .execute(x)
        .await
        .map(|_| ())
}

/// An action as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ActionRow {
    #[sqlx(try_from = "Id")]
    pub id: String,
    pub title: String,
    pub description: String,
    pub party: String,
    pub party_name: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// JSON ring.
    pub area: Option<String>,
    #[sqlx(try_from = "Maybe<Date>")]
    pub starts_on: Option<String>,
    #[sqlx(try_from = "Maybe<Date>")]
    pub target_on: Option<String>,
    pub state: String,
    pub cancel_reason: Option<String>,
    #[sqlx(try_from = "Time")]
    pub created_at: i64,
    #[sqlx(try_from = "Time")]
    pub updated_at: i64,
    #[sqlx(try_from = "Time")]
    pub state_changed_at: i64,
}

/// An action with what hangs on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFull {
    pub row: ActionRow,
    /// (id, category, hidden) of linked pins.
    pub pins: Vec<(String, String, bool)>,
    pub dialogues: Vec<String>,
    /// (at, text), oldest first.
    pub notes: Vec<(i64, String)>,
}

/// What to write for an action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionWrite {
    pub row: ActionRow,
    /// `Some`: replace the linked pins with these (planners); `None`: leave them.
    pub pins: Option<Vec<String>>,
    pub dialogues: Vec<String>,
    /// Move linked pins along with the action's state.
    pub update_pins: bool,
    pub actor: String,
}

/// The pin state an action in `state` gives its pins, and which states it moves them from.
fn pin_state_for(state: &str) -> Option<(&'static str, &'static [&'static str])> {
    match state {
        "planned" | "ongoing" => Some(("planned", &["received", "investigating"])),
        "done" => Some(("done", &["received", "investigating", "planned"])),
        _ => None,
    }
}

/// The dialogue columns the outcome needs (flattened into `DialogueRow`).
#[derive(Debug, Clone, Default, PartialEq, sqlx::FromRow)]
pub struct OutcomeRow {
    #[sqlx(try_from = "Maybe<Time>")]
    pub closed_at: Option<i64>,
    pub outcome_summary: Option<String>,
    pub outcome_participants: Option<i64>,
    pub outcome_themes: String,
    pub outcome_other_themes: Option<String>,
}

/// A mail waiting to go out.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MailRow {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

async fn action_full(c: &mut Conn<'_>, row: ActionRow) -> Result<ActionFull, sqlx::Error> {
    let pins: Vec<(Id, String, bool)> = on!(c, |x| sqlx::query_as(
        "SELECT id, category, hidden FROM pins WHERE action_id = $1 ORDER BY created_at, id",
    )
    .bind(Id::of(&row.id))
    .fetch_all(x)
    .await)?;
    let dialogues: Vec<(Id,)> = on!(c, |x| sqlx::query_as(
        "SELECT dialogue_id FROM action_dialogues WHERE action_id = $1 ORDER BY dialogue_id",
    )
    .bind(Id::of(&row.id))
    .fetch_all(x)
    .await)?;
    let notes: Vec<(Time, String)> = on!(c, |x| sqlx::query_as(
        "SELECT at, text FROM action_notes WHERE action_id = $1 ORDER BY id"
    )
    .bind(Id::of(&row.id))
    .fetch_all(x)
    .await)?;
    Ok(ActionFull {
        row,
        pins: pins.into_iter().map(|(id, c, h)| (id.0, c, h)).collect(),
        dialogues: dialogues.into_iter().map(|(d,)| d.0).collect(),
        notes: notes.into_iter().map(|(at, text)| (at.0, text)).collect(),
    })
}

/// Moves the pins linked to an action along with its state, in a write job.
async fn move_linked_pins(
    c: &mut Conn<'_>,
    w: &ActionWrite,
    mail: Option<&MailMaker>,
) -> Result<(), sqlx::Error> {
    let r = &w.row;
    let Some((to, from)) = pin_state_for(&r.state) else {
        return Ok(());
    };
    let linked: Vec<(Id, String)> = on!(c, |x| sqlx::query_as(
        "SELECT id, status FROM pins WHERE action_id = $1 ORDER BY created_at, id"
    )
    .bind(Id::of(&r.id))
    .fetch_all(x)
    .await)?;
    let write = StatusWrite {
        status: to.to_owned(),
        reason: None,
        answer: Answer::Keep,
        actor: w.actor.clone(),
        now: r.updated_at,
        via: Some(format!("action {}", r.id)),
    };
    for (pin, status) in linked {
        if from.contains(&status.as_str()) {
            status_in(c, &pin.0, &write, mail).await?;
        }
    }
    Ok(())
}

/// Replaces the action's links to dialogues.
async fn link_dialogues(
    c: &mut Conn<'_>,
    action: &str,
    dialogues: &[String],
) -> Result<(), sqlx::Error> {
    on!(c, |x| sqlx::query(
        "DELETE FROM action_dialogues WHERE action_id = $1"
    )
    .bind(Id::of(action))
    .execute(x)
    .await
    .map(|_| ()))?;
    for d in dialogues {
        insert_link(c, action, d).await?;
    }
    Ok(())
}

async fn insert_link(c: &mut Conn<'_>, action: &str, dialogue: &str) -> Result<(), sqlx::Error> {
    on!(c, |x| sqlx::query(
        "INSERT INTO action_dialogues (action_id, dialogue_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING",
    )
    .bind(Id::of(action))
    .bind(Id::of(dialogue))
    .execute(x)
    .await
    .map(|_| ()))
}

/// Writes the action's row (insert or replace); `state_changed_at` is kept unless given.
async fn upsert_action(
    c: &mut Conn<'_>,
    r: &ActionRow,
    state_changed_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    on!(c, |x| sqlx::query(
        "INSERT INTO actions (id, title, description, party, party_name, lat, lon,
            area, starts_on, target_on, state, cancel_reason, created_at,
            updated_at, state_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
            COALESCE($15, $14))
         ON CONFLICT (id) DO UPDATE SET title = excluded.title,
            description = excluded.description, party = excluded.party,
            party_name = excluded.party_name, lat = excluded.lat,
            lon = excluded.lon, area = excluded.area,
            starts_on = excluded.starts_on, target_on = excluded.target_on,
            state = excluded.state, cancel_reason = excluded.cancel_reason,
            updated_at = excluded.updated_at,
            state_changed_at = COALESCE($15, actions.state_changed_at)",
    )
    .bind(Id::of(&r.id))
    .bind(&r.title)
    .bind(&r.description)
    .bind(&r.party)
    .bind(&r.party_name)
    .bind(r.lat)
    .bind(r.lon)
    .bind(&r.area)
    .bind(r.starts_on.clone().map(Date))
    .bind(r.target_on.clone().map(Date))
    .bind(&r.state)
    .bind(&r.cancel_reason)
    .bind(Time(r.created_at))
    .bind(Time(r.updated_at))
    .bind(state_changed_at.map(Time))
    .execute(x)
    .await
    .map(|_| ()))
}

/// Locks the action's row (PostgreSQL) while its write job reads and changes it.
const ACTION_STATE: &str = "SELECT state FROM actions WHERE id = $1";

impl Storage {
    /// One state (and answer) for each of `ids`, in one transaction; `None` for ids that are
    /// no pin. Every change is in the pin's history and, for subscribers, in the mail outbox.
    pub async fn set_status(
        &self,
        ids: Vec<String>,
        write: StatusWrite,
        mail: Option<MailMaker>,
    ) -> Result<Vec<(String, Option<PinRow>)>, sqlx::Error> {
        let out = self
            .write(move |mut c| {
                Box::pin(async move {
                    lock_pins(&mut c, &ids).await?;
                    let mut out = Vec::with_capacity(ids.len());
                    for id in ids {
                        let row = status_in(&mut c, &id, &write, mail.as_ref()).await?;
                        out.push((id, row));
                    }
                    Ok(out)
                })
            })
            .await?;
        self.public_changed().await;
        self.mail_queued();
        Ok(out)
    }

    /// Creates (`insert`) or replaces an action, its links, and (if asked) its pins' states.
    /// `None`: no such action to replace.
    pub async fn save_action(
        &self,
        w: ActionWrite,
        insert: bool,
        mail: Option<MailMaker>,
    ) -> Result<Option<ActionFull>, sqlx::Error> {
        let out = self
            .write(move |mut c| {
                Box::pin(async move {
                    let r = &w.row;
                    let select = c.kind().locking(ACTION_STATE);
                    let previous: Option<(String,)> = on!(c, |x| sqlx::query_as(&select)
                        .bind(Id::of(&r.id))
                        .fetch_optional(x)
                        .await)?;
                    match (&previous, insert) {
                        (None, false) => return Ok(None),
                        (Some(_), true) => {
                            return Err(sqlx::Error::Protocol("action id exists".into()))
                        }
                        _ => {}
                    }
                    let state_changed_at = match &previous {
                        Some((s,)) if *s == r.state => None,
                        _ => Some(r.updated_at),
                    };
                    if let Some(pins) = &w.pins {
                        // Every pin whose link changes, locked in id order first.
                        let mut touched: Vec<String> = on!(c, |x| sqlx::query_as(
                            "SELECT id FROM pins WHERE action_id = $1"
                        )
                        .bind(Id::of(&r.id))
                        .fetch_all(x)
                        .await)?
                        .into_iter()
                        .map(|(id,): (Id,)| id.0)
                        .collect();
                        touched.extend(pins.iter().cloned());
                        lock_pins(&mut c, &touched).await?;
                    }
                    upsert_action(&mut c, r, state_changed_at).await?;
                    if let Some(pins) = &w.pins {
                        on!(c, |x| sqlx::query(
                            "UPDATE pins SET action_id = NULL WHERE action_id = $1"
                        )
                        .bind(Id::of(&r.id))
                        .execute(x)
                        .await
                        .map(|_| ()))?;
                        for pin in pins {
                            on!(c, |x| sqlx::query(
                                "UPDATE pins SET action_id = $1 WHERE id = $2"
                            )
                            .bind(Id::of(&r.id))
                            .bind(Id::of(pin))
                            .execute(x)
                            .await
                            .map(|_| ()))?;
                        }
                    }
                    link_dialogues(&mut c, &r.id, &w.dialogues).await?;
                    if w.update_pins {
                        if w.pins.is_none() {
                            let linked: Vec<String> = on!(c, |x| sqlx::query_as(
                                "SELECT id FROM pins WHERE action_id = $1"
                            )
                            .bind(Id::of(&r.id))
                            .fetch_all(x)
                            .await)?
                            .into_iter()
                            .map(|(id,): (Id,)| id.0)
                            .collect();
                            lock_pins(&mut c, &linked).await?;
                        }
                        move_linked_pins(&mut c, &w, mail.as_ref()).await?;
                    }
                    let row: ActionRow =
                        on!(c, |x| sqlx::query_as("SELECT * FROM actions WHERE id = $1")
                            .bind(Id::of(&r.id))
                            .fetch_one(x)
                            .await)?;
                    action_full(&mut c, row).await.map(Some)
                })
            })
            .await?;
        self.public_changed().await;
        self.mail_queued();
        Ok(out)
    }

    /// Adds a progress note; `None`: no such action.
    pub async fn add_action_note(
        &self,
        id: &str,
        actor: &str,
        text: &str,
        now: i64,
    ) -> Result<Option<ActionFull>, sqlx::Error> {
        let (id, actor, text) = (id.to_owned(), actor.to_owned(), text.to_owned());
        self.write(move |mut c| {
            Box::pin(async move {
                let Some(row): Option<ActionRow> = on!(c, |x| sqlx::query_as(
                    "UPDATE actions SET updated_at = $1 WHERE id = $2 RETURNING *"
                )
                .bind(Time(now))
                .bind(Id::of(&id))
                .fetch_optional(x)
                .await)?
                else {
                    return Ok(None);
                };
                on!(c, |x| sqlx::query(
                    "INSERT INTO action_notes (action_id, at, actor, text)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(Id::of(&id))
                .bind(Time(now))
                .bind(&actor)
                .bind(&text)
                .execute(x)
                .await
                .map(|_| ()))?;
                action_full(&mut c, row).await.map(Some)
            })
        })
        .await
    }

    pub async fn action(&self, id: &str) -> Result<Option<ActionFull>, sqlx::Error> {
        on!(self.pool(), |p| {
            let mut pooled = p.acquire().await?;
            let mut c = Conn::from(&mut *pooled);
            let row: Option<ActionRow> =
                on!(c, |x| sqlx::query_as("SELECT * FROM actions WHERE id = $1")
                    .bind(Id::of(id))
                    .fetch_optional(x)
                    .await)?;
            match row {
                Some(row) => action_full(&mut c, row).await.map(Some),
                None => Ok(None),
            }
        })
    }

    /// Every action, most recently changed first.
    pub async fn actions(&self) -> Result<Vec<ActionFull>, sqlx::Error> {
        on!(self.pool(), |p| {
            let mut pooled = p.acquire().await?;
            let mut c = Conn::from(&mut *pooled);
            let rows: Vec<ActionRow> = on!(c, |x| sqlx::query_as(
                "SELECT * FROM actions ORDER BY updated_at DESC, id"
            )
            .fetch_all(x)
            .await)?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                out.push(action_full(&mut c, row).await?);
            }
            Ok(out)
        })
    }

    /// Which of `ids` are existing dialogues.
    pub async fn existing_dialogues(&self, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
        self.existing("SELECT id FROM dialogues WHERE id = $1", ids)
            .await
    }

    /// Which of `ids` are existing actions.
    pub async fn existing_actions(&self, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
        self.existing("SELECT id FROM actions WHERE id = $1", ids)
            .await
    }

    /// Which of `ids` are existing pins.
    pub async fn existing_pins(&self, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
        self.existing("SELECT id FROM pins WHERE id = $1", ids)
            .await
    }

    /// Which of `ids` the query (`SELECT id … WHERE id = $1`) finds.
    async fn existing(&self, select: &str, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
        let mut found = Vec::new();
        for id in ids {
            let hit: Option<(Id,)> = on!(self.pool(), |p| sqlx::query_as(select)
                .bind(Id::of(id))
                .fetch_optional(p)
                .await)?;
            found.extend(hit.map(|(i,)| i.0));
        }
        Ok(found)
    }

    /// Visible pins among `ids` (a device asking after its own pins).
    pub async fn visible_pins(&self, ids: &[String]) -> Result<Vec<PinRow>, sqlx::Error> {
        let mut out = Vec::new();
        for id in ids {
            let row: Option<PinRow> = on!(self.pool(), |p| sqlx::query_as(
                "SELECT * FROM pins WHERE id = $1 AND NOT hidden"
            )
            .bind(Id::of(id))
            .fetch_optional(p)
            .await)?;
            out.extend(row);
        }
        Ok(out)
    }

    /// Visible pins with a public answer, newest answer first.
    pub async fn answered_pins(&self, limit: i64) -> Result<Vec<PinRow>, sqlx::Error> {
        on!(self.pool(), |p| sqlx::query_as(
            "SELECT * FROM pins WHERE public_response IS NOT NULL AND NOT hidden
             ORDER BY response_at DESC, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(p)
        .await)
    }

    /// Which actions each dialogue is linked to: `(dialogue, action)` pairs.
    pub async fn dialogue_actions(&self) -> Result<Vec<(String, String)>, sqlx::Error> {
        let pairs: Vec<(Id, Id)> = on!(self.pool(), |p| {
            sqlx::query_as(
            "SELECT dialogue_id, action_id FROM action_dialogues ORDER BY dialogue_id, action_id",
        )
        .fetch_all(p)
        .await
        })?;
        Ok(pairs.into_iter().map(|(d, a)| (d.0, a.0)).collect())
    }

    /// Closes a dialogue with its outcome and links the actions decided there; the calendar
    /// SEQUENCE goes up (the event now links to the outcome). `false`: no such dialogue.
    pub async fn close_dialogue(
        &self,
        id: &str,
        outcome: OutcomeRow,
        actions: Vec<String>,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let id = id.to_owned();
        self.write(move |mut c| {
            Box::pin(async move {
                let done = on!(c, |x| sqlx::query(
                    "UPDATE dialogues SET closed_at = $1, outcome_summary = $2,
                        outcome_participants = $3, outcome_themes = $4,
                        outcome_other_themes = $5, sequence = sequence + 1, updated_at = $6
                     WHERE id = $7",
                )
                .bind(outcome.closed_at.map(Time))
                .bind(&outcome.outcome_summary)
                .bind(outcome.outcome_participants)
                .bind(&outcome.outcome_themes)
                .bind(&outcome.outcome_other_themes)
                .bind(Time(now))
                .bind(Id::of(&id))
                .execute(x)
                .await?
                .rows_affected());
                if done == 0 {
                    return Ok(false);
                }
                on!(c, |x| sqlx::query(
                    "DELETE FROM action_dialogues WHERE dialogue_id = $1"
                )
                .bind(Id::of(&id))
                .execute(x)
                .await
                .map(|_| ()))?;
                for a in &actions {
                    insert_link(&mut c, a, &id).await?;
                }
                Ok(true)
            })
        })
        .await
    }

    /// Closed dialogues, most recently held first.
    pub async fn closed_dialogue_ids(&self, limit: i64) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(Id,)> = on!(self.pool(), |p| sqlx::query_as(
            "SELECT id FROM dialogues WHERE closed_at IS NOT NULL ORDER BY starts_at DESC, id
             LIMIT $1",
        )
        .bind(limit)
        .fetch_all(p)
        .await)?;
        Ok(rows.into_iter().map(|(i,)| i.0).collect())
    }

    /// Whether someone asked to be mailed about the pin.
    pub async fn subscribed(&self, pin_id: &str) -> Result<bool, sqlx::Error> {
        let hit: Option<(i32,)> = on!(self.pool(), |p| sqlx::query_as(
            "SELECT CAST(1 AS INTEGER) FROM pin_subscriptions WHERE pin_id = $1"
        )
        .bind(Id::of(pin_id))
        .fetch_optional(p)
        .await)?;
        Ok(hit.is_some())
    }

    /// Ends a pin's subscription and drops its unsent mail. `false`: there was none.
    pub async fn unsubscribe(&self, pin_id: &str) -> Result<bool, sqlx::Error> {
        let pin_id = pin_id.to_owned();
        self.write(move |mut c| {
            Box::pin(async move {
                let done = on!(c, |x| sqlx::query(
                    "DELETE FROM pin_subscriptions WHERE pin_id = $1"
                )
                .bind(Id::of(&pin_id))
                .execute(x)
                .await?
                .rows_affected());
                on!(c, |x| sqlx::query(
                    "DELETE FROM mail_outbox WHERE pin_id = $1"
                )
                .bind(Id::of(&pin_id))
                .execute(x)
                .await
                .map(|_| ()))?;
                Ok(done > 0)
            })
        })
        .await
    }

    /// Retention of addresses: subscriptions past their deletion date (closed pins + 30 days)
    /// and those of pins made before `cutoff` (the text retention), with their unsent mail.
    pub async fn purge_subscriptions(&self, now: i64, cutoff: i64) -> Result<u64, sqlx::Error> {
        self.write(move |mut c| {
            Box::pin(async move {
                let gone = "SELECT pin_id FROM pin_subscriptions
                     WHERE delete_after <= $1
                        OR pin_id IN (SELECT id FROM pins WHERE created_at < $2)";
                let mail = format!("DELETE FROM mail_outbox WHERE pin_id IN ({gone})");
                let subscriptions =
                    format!("DELETE FROM pin_subscriptions WHERE pin_id IN ({gone})");
                on!(c, |x| sqlx::query(&mail)
                    .bind(Time(now))
                    .bind(Time(cutoff))
                    .execute(x)
                    .await
                    .map(|_| ()))?;
                on!(c, |x| sqlx::query(&subscriptions)
                    .bind(Time(now))
                    .bind(Time(cutoff))
                    .execute(x)
                    .await
                    .map(|r| r.rows_affected()))
            })
        })
        .await
    }

    /// Claims the mail due at `now`, oldest first, for `lease` seconds: another mailer (in
    /// this or another server process) does not see it until the lease ends, so a mail goes
    /// out once. A mailer that dies while sending leaves it to be sent after the lease.
    pub async fn claim_mail(
        &self,
        now: i64,
        limit: i64,
        lease: i64,
    ) -> Result<Vec<MailRow>, sqlx::Error> {
        let sql = CLAIM_MAIL.of(self.kind());
        let mut rows: Vec<MailRow> = self
            .write1(move |mut c| {
                Box::pin(async move {
                    on!(c, |x| sqlx::query_as(sql)
                        .bind(Time(now))
                        .bind(limit)
                        .bind(Time(now + lease))
                        .fetch_all(x)
                        .await)
                })
            })
            .await?;
        rows.sort_by_key(|m| m.id);
        Ok(rows)
    }

    /// A mail went out (or is given up on): it is deleted, address and all.
    pub async fn mail_done(&self, id: i64) -> Result<(), sqlx::Error> {
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query("DELETE FROM mail_outbox WHERE id = $1")
                    .bind(id)
                    .execute(x)
                    .await
                    .map(|_| ()))
            })
        })
        .await
    }

    /// A send failed: try again at `next_at`.
    pub async fn mail_failed(&self, id: i64, next_at: i64) -> Result<(), sqlx::Error> {
        self.write1(move |mut c| {
            Box::pin(async move {
                on!(c, |x| sqlx::query(
                    "UPDATE mail_outbox SET attempts = attempts + 1, next_at = $1 WHERE id = $2"
                )
                .bind(Time(next_at))
                .bind(id)
                .execute(x)
                .await
                .map(|_| ()))
            })
        })
        .await
    }

    /// Mail waiting (for tests and metrics).
    pub async fn mail_waiting(&self) -> Result<i64, sqlx::Error> {
        let (n,): (i64,) = on!(self.pool(), |p| sqlx::query_as(
            "SELECT COUNT(*) FROM mail_outbox"
        )
        .fetch_one(p)
        .await)?;
        Ok(n)
    }
}

/// Due mail, claimed by moving its `next_at` to the end of the lease. PostgreSQL skips rows
/// another mailer is claiming at this moment; SQLite's one writer claims one batch at a time.
const CLAIM_MAIL: Sql = Sql {
    sqlite: "UPDATE mail_outbox SET next_at = $3 WHERE id IN (
                 SELECT id FROM mail_outbox WHERE next_at <= $1 ORDER BY id LIMIT $2)
             RETURNING id, to_addr, subject, body, attempts",
    postgres: "UPDATE mail_outbox SET next_at = $3 WHERE id IN (
                   SELECT id FROM mail_outbox WHERE next_at <= $1 ORDER BY id LIMIT $2
                   FOR UPDATE SKIP LOCKED)
               RETURNING id, to_addr, subject, body, attempts",
};
