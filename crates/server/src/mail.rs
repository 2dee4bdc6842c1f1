//! Opt-in e-mail to residents about their pin: what the mail says (a pure function with a golden
//! test), the unsubscribe link's token, and the mailer task that sends what the database queued.
//!
//! A state change puts the mail into `mail_outbox` in the same transaction; the mailer claims it
//! (so that with several server processes only one sends it), sends it through the configured
//! SMTP relay and deletes it. A failed send is retried with backoff
//! (1 minute, doubling, at most an hour) for up to two days; it never holds up the state change.

use std::time::Duration;

use hmac::{Hmac, Mac};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use trygghetskarta_shared::{Category, NoActionReason, Party, PinStatus};

use crate::export::{category_sv, status_sv};
use crate::storage::{PinRow, Storage};
use crate::time::{local_date, now_unix};

/// The relay and the sender, from `--smtp-url` and `--mail-from`.
#[derive(Clone)]
pub struct MailConfig {
    pub transport: AsyncSmtpTransport<Tokio1Executor>,
    pub from: Mailbox,
    /// The first wait after a failed send; it doubles, up to an hour.
    pub retry_base: Duration,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl MailConfig {
    /// `smtp://host:port` (plain, a relay on the kommun's network), `smtp://…?tls=required`
    /// (STARTTLS) or `smtps://host` (TLS), with `user:password@` if the relay wants a login.
    pub fn new(url: &str, from: &str) -> Result<MailConfig, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("--smtp-url {url:?}: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("--mail-from {from:?}: {e}"))?;
        Ok(MailConfig {
            transport,
            from,
            retry_base: Duration::from_secs(60),
        })
    }
}

pub use trygghetskarta_shared::pin::{valid_email, MAX_EMAIL_CHARS};

fn token_mac(key: &[u8; 32], pin_id: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(b"tk-unsubscribe\0");
    mac.update(pin_id.as_bytes());
    mac
}

/// The unsubscribe token for a pin: nothing stored, checked by recomputing it.
pub fn unsubscribe_token(key: &[u8; 32], pin_id: &str) -> String {
    hex::encode(&token_mac(key, pin_id).finalize().into_bytes()[..16])
}

pub fn token_ok(key: &[u8; 32], pin_id: &str, token: &str) -> bool {
    bool::from(
        unsubscribe_token(key, pin_id)
            .as_bytes()
            .ct_eq(token.as_bytes()),
    )
}

fn status_en(s: PinStatus) -> &'static str {
    match s {
        PinStatus::Received => "Received",
        PinStatus::Investigating => "We are looking into it",
        PinStatus::Planned => "Action planned",
        PinStatus::Done => "Done",
        PinStatus::NoAction => "No action",
    }
}

fn reason_sv(r: NoActionReason) -> &'static str {
    match r {
        NoActionReason::NotOurs => "Inte kommunens eller polisens ansvar – vidarebefordrad",
        NoActionReason::Duplicate => "Dubblett av en annan markering",
        NoActionReason::Cannot => "Kan inte åtgärdas",
        NoActionReason::Other => "Annat",
    }
}

fn party_sv(p: Party) -> &'static str {
    match p {
        Party::Kommun => "Arboga kommun",
        Party::Polis => "Polisen",
    }
}

/// The mail about a pin's new state: subject and plain-text body (Swedish, then English).
/// `link` opens the pin in the widget; `unsubscribe` ends the mails.
pub fn compose(pin: &PinRow, link: &str, unsubscribe: &str) -> (String, String) {
    let f = &pin.follow_up;
    let status = PinStatus::parse(&f.status).unwrap_or(PinStatus::Received);
    let category = Category::parse(&pin.category).unwrap_or(Category::Other);
    let date = local_date(pin.created_at).unwrap_or_default();
    let subject = format!("Din markering: {}", status_sv(status));
    let mut body = format!(
        "Hej!\n\nDin markering i Trygghetskartan ({}, {date}) har fått en ny status: {}.\n",
        category_sv(category),
        status_sv(status),
    );
    if let Some(reason) = f.status_reason.as_deref().and_then(NoActionReason::parse) {
        body.push_str(&format!("Skäl: {}.\n", reason_sv(reason)));
    }
    if let Some(text) = &f.public_response {
        let party = f
            .response_party
            .as_deref()
            .and_then(Party::parse)
            .unwrap_or(Party::Kommun);
        let answered = f.response_at.and_then(local_date).unwrap_or_default();
        body.push_str(&format!(
            "\nSvar från {} ({answered}):\n{text}\n",
            party_sv(party)
        ));
    }
    body.push_str(&format!(
        "\nSe markeringen på kartan: {link}\n\n\
         Du får det här mejlet för att du bad om det när du markerade platsen. Vill du inte ha \
         fler mejl om den: {unsubscribe}\n\
         Din e-postadress används bara för det här och raderas 30 dagar efter att ärendet är \
         avslutat.\n\n\
         -- \nIn English: your pin in Trygghetskartan has a new status: {}. \
         Stop these e-mails: {unsubscribe}\n",
        status_en(status)
    ));
    (subject, body)
}

/// Sends what is due, now and whenever mail is queued (and every 30 s for retries).
pub fn spawn_mailer(db: Storage, config: MailConfig) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = send_due(&db, &config).await {
                tracing::warn!(error = %e, "mailer: reading the outbox failed");
            }
            // Woken by new mail; otherwise look again for retries that have come due.
            let again = config.retry_base.min(Duration::from_secs(30));
            tokio::select! {
                () = db.mail_wait() => {}
                () = tokio::time::sleep(again) => {}
            }
        }
    });
}

/// After this many failed sends (about two days of backoff) a mail is given up on.
const MAX_ATTEMPTS: i64 = 55;
/// Seconds a mailer holds the mail it is sending: other mailers (other server processes on
/// the same PostgreSQL) leave it alone; if this one dies meanwhile, it is sent after that.
const LEASE_SECS: i64 = 600;

async fn send_due(db: &Storage, config: &MailConfig) -> Result<(), sqlx::Error> {
    loop {
        let now = now_unix();
        let due = db.claim_mail(now, 50, LEASE_SECS).await?;
        if due.is_empty() {
            return Ok(());
        }
        for mail in due {
            let message = mail.to_addr.parse::<Mailbox>().map(|to| {
                Message::builder()
                    .from(config.from.clone())
                    .to(to)
                    .subject(mail.subject.clone())
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())
            });
            let sent = match message {
                Ok(Ok(m)) => config
                    .transport
                    .send(m)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Ok(Err(e)) => Err(e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match sent {
                Ok(()) => db.mail_done(mail.id).await?,
                Err(e) if mail.attempts + 1 >= MAX_ATTEMPTS => {
                    // No address in the log.
                    tracing::warn!(error = %e, attempts = mail.attempts + 1, "mailer: gave up on a mail");
                    db.mail_done(mail.id).await?;
                }
                Err(e) => {
                    let base = i64::try_from(config.retry_base.as_secs())
                        .unwrap_or(60)
                        .max(1);
                    let wait = (base << mail.attempts.clamp(0, 6)).min(3600);
                    tracing::warn!(error = %e, retry_in_secs = wait, "mailer: send failed");
                    db.mail_failed(mail.id, now + wait).await?;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_plausible_or_refused() {
        for ok in ["anna@example.se", "a.b+karta@sub.arboga.se", "ö@exempel.se"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "anna",
            "anna@",
            "@arboga.se",
            "anna@arboga",
            "a b@c.se",
            "a@b@c.se",
            "a@.se",
            "a@c.se.",
            "a@c.se,b@d.se",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
        assert!(!valid_email(&format!("{}@x.se", "a".repeat(250))));
    }

    #[test]
    fn unsubscribe_tokens_belong_to_one_pin_and_one_server() {
        let key = [3u8; 32];
        let t = unsubscribe_token(&key, "pin-1");
        assert!(token_ok(&key, "pin-1", &t));
        assert!(!token_ok(&key, "pin-2", &t));
        assert!(!token_ok(&[4u8; 32], "pin-1", &t));
        assert!(!token_ok(&key, "pin-1", ""));
    }
}
