//! Återkoppling in the database: pin states and answers (with their history and the mail they
//! cause), actions with their pins, dialogues and notes, closed dialogues, e-mail subscriptions
//! and the mail outbox.

use sqlx::sqlite::SqliteConnection;

use super::{PinRow, Storage};

/// The follow-up columns of a pin (flattened into [`PinRow`]); a new pin's by default.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FollowUp {
    /// `received`, `investigating`, `planned`, `done`, `no_action`.
    pub status: String,
    pub status_reason: Option<String>,
    pub status_changed_at: Option<i64>,
    pub public_response: Option<String>,
    pub response_party: Option<String>,
    pub response_at: Option<i64>,
    pub action_id: Option<String>,
    pub first_response_at: Option<i64>,
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
async fn status_in(
    c: &mut SqliteConnection,
    id: &str,
    w: &StatusWrite,
    mail: Option<&MailMaker>,
) -> Result<Option<PinRow>, sqlx::Error> {
    let Some(before): Option<PinRow> = sqlx::query_as("SELECT * FROM pins WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
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
    sqlx::query(
        "UPDATE pins SET status = ?, status_reason = ?, status_changed_at = ?,
            first_response_at = COALESCE(first_response_at, ?),
            done_at = CASE WHEN ? = 'done' THEN COALESCE(done_at, ?) ELSE NULL END
         WHERE id = ?",
    )
    .bind(&w.status)
    .bind(&w.reason)
    .bind(w.now)
    .bind(w.now)
    .bind(&w.status)
    .bind(w.now)
    .bind(id)
    .execute(&mut *c)
    .await?;
    match &w.answer {
        Answer::Keep => {}
        Answer::Set { text, party } => {
            sqlx::query(
                "UPDATE pins SET public_response = ?, response_party = ?, response_at = ?
                 WHERE id = ?",
            )
            .bind(text)
            .bind(party)
            .bind(w.now)
            .bind(id)
            .execute(&mut *c)
            .await?;
        }
        Answer::Clear => {
            sqlx::query(
                "UPDATE pins SET public_response = NULL, response_party = NULL, response_at = NULL
                 WHERE id = ?",
            )
            .bind(id)
            .execute(&mut *c)
            .await?;
        }
    }
    let response = match &w.answer {
        Answer::Set { text, .. } => Some(text.clone()),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO moderation_log (pin_id, at, actor, action, reason, before, after, response)
         VALUES (?, ?, ?, 'status', ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(w.now)
    .bind(&w.actor)
    .bind(w.via.clone().or_else(|| w.reason.clone()))
    .bind(&before.follow_up.status)
    .bind(&w.status)
    .bind(response)
    .execute(&mut *c)
    .await?;
    // A closed pin's subscription ends 30 days later; reopened, it stays.
    let delete_after = closed(&w.status).then_some(w.now + KEEP_AFTER_CLOSED_SECS);
    sqlx::query("UPDATE pin_subscriptions SET delete_after = ? WHERE pin_id = ?")
        .bind(delete_after)
        .bind(id)
        .execute(&mut *c)
        .await?;
    let after: PinRow = sqlx::query_as("SELECT * FROM pins WHERE id = ?")
        .bind(id)
        .fetch_one(&mut *c)
        .await?;
    if let Some(make) = mail {
        let to: Option<(String,)> =
            sqlx::query_as("SELECT email FROM pin_subscriptions WHERE pin_id = ?")
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
        if let Some((to,)) = to {
            let (subject, body) = make(&after);
            sqlx::query(
                "INSERT INTO mail_outbox (pin_id, to_addr, subject, body, created_at, next_at)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(to)
            .bind(subject)
            .bind(body)
            .bind(w.now)
            .bind(w.now)
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(Some(after))
}

/// An action as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ActionRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub party: String,
    pub party_name: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// JSON ring.
    pub area: Option<String>,
    pub starts_on: Option<String>,
    pub target_on: Option<String>,
    pub state: String,
    pub cancel_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
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

async fn action_full(c: &mut SqliteConnection, row: ActionRow) -> Result<ActionFull, sqlx::Error> {
    let pins: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT id, category, hidden FROM pins WHERE action_id = ? ORDER BY created_at, id",
    )
    .bind(&row.id)
    .fetch_all(&mut *c)
    .await?;
    let dialogues: Vec<(String,)> = sqlx::query_as(
        "SELECT dialogue_id FROM action_dialogues WHERE action_id = ? ORDER BY dialogue_id",
    )
    .bind(&row.id)
    .fetch_all(&mut *c)
    .await?;
    let notes: Vec<(i64, String)> =
        sqlx::query_as("SELECT at, text FROM action_notes WHERE action_id = ? ORDER BY id")
            .bind(&row.id)
            .fetch_all(&mut *c)
            .await?;
    Ok(ActionFull {
        row,
        pins,
        dialogues: dialogues.into_iter().map(|(d,)| d).collect(),
        notes,
    })
}

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
            .write(move |c| {
                Box::pin(async move {
                    let mut out = Vec::with_capacity(ids.len());
                    for id in ids {
                        let row = status_in(c, &id, &write, mail.as_ref()).await?;
                        out.push((id, row));
                    }
                    Ok(out)
                })
            })
            .await?;
        self.public_changed();
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
            .write(move |c| {
                Box::pin(async move {
                    let r = &w.row;
                    let previous: Option<(String,)> =
                        sqlx::query_as("SELECT state FROM actions WHERE id = ?")
                            .bind(&r.id)
                            .fetch_optional(&mut *c)
                            .await?;
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
                    sqlx::query(
                        "INSERT INTO actions (id, title, description, party, party_name, lat, lon,
                            area, starts_on, target_on, state, cancel_reason, created_at,
                            updated_at, state_changed_at)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                         ON CONFLICT (id) DO UPDATE SET title = excluded.title,
                            description = excluded.description, party = excluded.party,
                            party_name = excluded.party_name, lat = excluded.lat,
                            lon = excluded.lon, area = excluded.area,
                            starts_on = excluded.starts_on, target_on = excluded.target_on,
                            state = excluded.state, cancel_reason = excluded.cancel_reason,
                            updated_at = excluded.updated_at,
                            state_changed_at = COALESCE(?, actions.state_changed_at)",
                    )
                    .bind(&r.id)
                    .bind(&r.title)
                    .bind(&r.description)
                    .bind(&r.party)
                    .bind(&r.party_name)
                    .bind(r.lat)
                    .bind(r.lon)
                    .bind(&r.area)
                    .bind(&r.starts_on)
                    .bind(&r.target_on)
                    .bind(&r.state)
                    .bind(&r.cancel_reason)
                    .bind(r.created_at)
                    .bind(r.updated_at)
                    .bind(state_changed_at.unwrap_or(r.updated_at))
                    .bind(state_changed_at)
                    .execute(&mut *c)
                    .await?;
                    if let Some(pins) = &w.pins {
                        sqlx::query("UPDATE pins SET action_id = NULL WHERE action_id = ?")
                            .bind(&r.id)
                            .execute(&mut *c)
                            .await?;
                        for pin in pins {
                            sqlx::query("UPDATE pins SET action_id = ? WHERE id = ?")
                                .bind(&r.id)
                                .bind(pin)
                                .execute(&mut *c)
                                .await?;
                        }
                    }
                    sqlx::query("DELETE FROM action_dialogues WHERE action_id = ?")
                        .bind(&r.id)
                        .execute(&mut *c)
                        .await?;
                    for d in &w.dialogues {
                        sqlx::query(
                            "INSERT INTO action_dialogues (action_id, dialogue_id) VALUES (?, ?)
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(&r.id)
                        .bind(d)
                        .execute(&mut *c)
                        .await?;
                    }
                    if w.update_pins {
                        if let Some((to, from)) = pin_state_for(&r.state) {
                            let linked: Vec<(String, String)> =
                                sqlx::query_as("SELECT id, status FROM pins WHERE action_id = ?")
                                    .bind(&r.id)
                                    .fetch_all(&mut *c)
                                    .await?;
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
                                    status_in(c, &pin, &write, mail.as_ref()).await?;
                                }
                            }
                        }
                    }
                    let row: ActionRow = sqlx::query_as("SELECT * FROM actions WHERE id = ?")
                        .bind(&r.id)
                        .fetch_one(&mut *c)
                        .await?;
                    action_full(c, row).await.map(Some)
                })
            })
            .await?;
        self.public_changed();
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
        self.write(move |c| {
            Box::pin(async move {
                let Some(row): Option<ActionRow> =
                    sqlx::query_as("UPDATE actions SET updated_at = ? WHERE id = ? RETURNING *")
                        .bind(now)
                        .bind(&id)
                        .fetch_optional(&mut *c)
                        .await?
                else {
                    return Ok(None);
                };
                sqlx::query(
                    "INSERT INTO action_notes (action_id, at, actor, text) VALUES (?, ?, ?, ?)",
                )
                .bind(&id)
                .bind(now)
                .bind(&actor)
                .bind(&text)
                .execute(&mut *c)
                .await?;
                action_full(c, row).await.map(Some)
            })
        })
        .await
    }

    pub async fn action(&self, id: &str) -> Result<Option<ActionFull>, sqlx::Error> {
        let mut c = self.pool().acquire().await?;
        let row: Option<ActionRow> = sqlx::query_as("SELECT * FROM actions WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?;
        match row {
            Some(row) => action_full(&mut c, row).await.map(Some),
            None => Ok(None),
        }
    }

    /// Every action, most recently changed first.
    pub async fn actions(&self) -> Result<Vec<ActionFull>, sqlx::Error> {
        let mut c = self.pool().acquire().await?;
        let rows: Vec<ActionRow> =
            sqlx::query_as("SELECT * FROM actions ORDER BY updated_at DESC, id")
                .fetch_all(&mut *c)
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(action_full(&mut c, row).await?);
        }
        Ok(out)
    }

    /// Which of `ids` are existing dialogues.
    pub async fn existing_dialogues(&self, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
        let mut found = Vec::new();
        for id in ids {
            if self.dialogue(id).await?.is_some() {
                found.push(id.clone());
            }
        }
        Ok(found)
    }

    /// Which of `ids` are existing actions.
    pub async fn existing_actions(&self, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
        let mut found = Vec::new();
        for id in ids {
            let hit: Option<(String,)> = sqlx::query_as("SELECT id FROM actions WHERE id = ?")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
            found.extend(hit.map(|(i,)| i));
        }
        Ok(found)
    }

    /// Which of `ids` are existing pins.
    pub async fn existing_pins(&self, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
        let mut found = Vec::new();
        for id in ids {
            let hit: Option<(String,)> = sqlx::query_as("SELECT id FROM pins WHERE id = ?")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
            found.extend(hit.map(|(i,)| i));
        }
        Ok(found)
    }

    /// Visible pins among `ids` (a device asking after its own pins).
    pub async fn visible_pins(&self, ids: &[String]) -> Result<Vec<PinRow>, sqlx::Error> {
        let mut out = Vec::new();
        for id in ids {
            let row: Option<PinRow> =
                sqlx::query_as("SELECT * FROM pins WHERE id = ? AND hidden = 0")
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?;
            out.extend(row);
        }
        Ok(out)
    }

    /// Visible pins with a public answer, newest answer first.
    pub async fn answered_pins(&self, limit: i64) -> Result<Vec<PinRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT * FROM pins WHERE public_response IS NOT NULL AND hidden = 0
             ORDER BY response_at DESC, id LIMIT ?",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }

    /// Which actions each dialogue is linked to: `(dialogue, action)` pairs.
    pub async fn dialogue_actions(&self) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT dialogue_id, action_id FROM action_dialogues ORDER BY dialogue_id, action_id",
        )
        .fetch_all(self.pool())
        .await
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
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE dialogues SET closed_at = ?, outcome_summary = ?,
                        outcome_participants = ?, outcome_themes = ?, outcome_other_themes = ?,
                        sequence = sequence + 1, updated_at = ?
                     WHERE id = ?",
                )
                .bind(outcome.closed_at)
                .bind(&outcome.outcome_summary)
                .bind(outcome.outcome_participants)
                .bind(&outcome.outcome_themes)
                .bind(&outcome.outcome_other_themes)
                .bind(now)
                .bind(&id)
                .execute(&mut *c)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                sqlx::query("DELETE FROM action_dialogues WHERE dialogue_id = ?")
                    .bind(&id)
                    .execute(&mut *c)
                    .await?;
                for a in &actions {
                    sqlx::query(
                        "INSERT INTO action_dialogues (action_id, dialogue_id) VALUES (?, ?)
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(a)
                    .bind(&id)
                    .execute(&mut *c)
                    .await?;
                }
                Ok(true)
            })
        })
        .await
    }

    /// Closed dialogues, most recently held first.
    pub async fn closed_dialogue_ids(&self, limit: i64) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM dialogues WHERE closed_at IS NOT NULL ORDER BY starts_at DESC, id
             LIMIT ?",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(i,)| i).collect())
    }

    /// Whether someone asked to be mailed about the pin.
    pub async fn subscribed(&self, pin_id: &str) -> Result<bool, sqlx::Error> {
        let hit: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM pin_subscriptions WHERE pin_id = ?")
                .bind(pin_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(hit.is_some())
    }

    /// Ends a pin's subscription and drops its unsent mail. `false`: there was none.
    pub async fn unsubscribe(&self, pin_id: &str) -> Result<bool, sqlx::Error> {
        let pin_id = pin_id.to_owned();
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query("DELETE FROM pin_subscriptions WHERE pin_id = ?")
                    .bind(&pin_id)
                    .execute(&mut *c)
                    .await?;
                sqlx::query("DELETE FROM mail_outbox WHERE pin_id = ?")
                    .bind(&pin_id)
                    .execute(&mut *c)
                    .await?;
                Ok(done.rows_affected() > 0)
            })
        })
        .await
    }

    /// Retention of addresses: subscriptions past their deletion date (closed pins + 30 days)
    /// and those of pins made before `cutoff` (the text retention), with their unsent mail.
    pub async fn purge_subscriptions(&self, now: i64, cutoff: i64) -> Result<u64, sqlx::Error> {
        self.write(move |c| {
            Box::pin(async move {
                let gone = "SELECT pin_id FROM pin_subscriptions
                     WHERE delete_after <= ?
                        OR pin_id IN (SELECT id FROM pins WHERE created_at < ?)";
                sqlx::query(&format!("DELETE FROM mail_outbox WHERE pin_id IN ({gone})"))
                    .bind(now)
                    .bind(cutoff)
                    .execute(&mut *c)
                    .await?;
                let done = sqlx::query(&format!(
                    "DELETE FROM pin_subscriptions WHERE pin_id IN ({gone})"
                ))
                .bind(now)
                .bind(cutoff)
                .execute(&mut *c)
                .await?;
                Ok(done.rows_affected())
            })
        })
        .await
    }

    /// Mail due at `now`, oldest first.
    pub async fn due_mail(&self, now: i64, limit: i64) -> Result<Vec<MailRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, to_addr, subject, body, attempts FROM mail_outbox WHERE next_at <= ?
             ORDER BY id LIMIT ?",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }

    /// A mail went out (or is given up on): it is deleted, address and all.
    pub async fn mail_done(&self, id: i64) -> Result<(), sqlx::Error> {
        self.write_one(sqlx::query("DELETE FROM mail_outbox WHERE id = ?").bind(id))
            .await?;
        Ok(())
    }

    /// A send failed: try again at `next_at`.
    pub async fn mail_failed(&self, id: i64, next_at: i64) -> Result<(), sqlx::Error> {
        self.write_one(
            sqlx::query("UPDATE mail_outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?")
                .bind(next_at)
                .bind(id),
        )
        .await?;
        Ok(())
    }

    /// Mail waiting (for tests and metrics).
    pub async fn mail_waiting(&self) -> Result<i64, sqlx::Error> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}
