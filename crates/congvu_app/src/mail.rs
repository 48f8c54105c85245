//! The mail relay over the transactional outbox. A message is queued in the transaction of the
//! change it tells of; a relay claims one due message at a time (a lease: a relay that dies leaves
//! it to be taken again when the lease runs out), delivers it through congvu_mail (SMTP, or
//! `.eml` files when no server is configured), and records the outcome: sent (and a letter
//! delivered) in one transaction, or a retry with backoff, or failed for good after a 5xx or the
//! last attempt. Delivery is at least once; the stable Message-ID makes a repeat recognisable.
//! Addresses are sealed in the queue and masked in logs and stored errors.

use std::time::Duration;

use chrono::{DateTime, Utc};
use congvu_core::letter::State as LetterState;
use congvu_db::complaint::ComplaintRecord;
use congvu_db::outbox::{self, Message};
use congvu_mail::{Attachment, Outgoing, mask};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::state::AppState;

/// Messages one pass tries at most (one claim each).
const BATCH: usize = 20;

/// The audit name of the relay.
const RELAY: &str = "congvu-relay";

/// Queues the "your report changed" mail for a citizen who gave an email address. The mail holds
/// no case content: only that something changed and where to check with the receipt.
pub async fn notify_citizen(
    state: &AppState,
    txn: &congvu_db::Transaction,
    report: &ComplaintRecord,
    now: DateTime<Utc>,
) -> Result<()> {
    #[derive(Deserialize)]
    struct Contact {
        email: Option<String>,
    }
    let Some(sealed) = report.identity_sealed.as_ref().filter(|_| report.notify) else {
        return Ok(());
    };
    let contact: Contact =
        serde_json::from_slice(&state.secrets.open(sealed, report.id.as_bytes())?)
            .map_err(|e| Error::Internal(e.to_string()))?;
    let Some(email) = contact.email else {
        return Ok(());
    };
    let id = Uuid::now_v7();
    let link = format!(
        "{}/citizen/status",
        state.config.public_url.trim_end_matches('/')
    );
    outbox::enqueue(
        txn,
        &Message {
            id,
            recipient_sealed: state.secrets.seal(email.as_bytes(), id.as_bytes())?,
            subject: "Phản ánh của bạn có cập nhật / Your report was updated".into(),
            body: format!(
                "Phản ánh bạn gửi có cập nhật mới. Tra cứu bằng mã tiếp nhận tại {link}\n\n\
                 Your report has an update. Check it with your receipt code at {link}?lang=en\n"
            ),
            attempts: 0,
            letter_id: None,
        },
        now,
    )
    .await?;
    Ok(())
}

/// What one pass of the relay did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    /// Temporary failures, to be retried.
    pub deferred: usize,
    /// Permanent failures and messages out of attempts.
    pub failed: usize,
}

/// Claims due messages one by one, each under its own lease, and tries each once.
pub async fn drain(state: &AppState) -> Result<Pass> {
    let mut pass = Pass::default();
    for _ in 0..BATCH {
        let Some(m) = claim(state).await? else {
            break;
        };
        match deliver(state, &m).await {
            Ok(()) => pass.sent += 1,
            Err(Outcome::Deferred) => pass.deferred += 1,
            Err(Outcome::Failed) => pass.failed += 1,
            Err(Outcome::Store(e)) => return Err(e),
        }
    }
    Ok(pass)
}

/// Claims the next due message (committed before sending, so the lease is visible to others).
async fn claim(state: &AppState) -> Result<Option<Message>> {
    let now = state.clock.now();
    let lease = now + chrono::Duration::seconds(seconds(state.config.mail_lease_seconds));
    let txn = state.db.begin().await?;
    let claimed = outbox::claim(&txn, now, lease, state.config.mail_max_attempts).await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(claimed)
}

fn seconds(s: u64) -> i64 {
    i64::try_from(s).unwrap_or(i64::MAX / 1000)
}

enum Outcome {
    Deferred,
    Failed,
    Store(Error),
}

impl From<Error> for Outcome {
    fn from(e: Error) -> Self {
        Self::Store(e)
    }
}

/// One attempt at one message, and its record.
async fn deliver(state: &AppState, m: &Message) -> std::result::Result<(), Outcome> {
    let to = state
        .secrets
        .open(&m.recipient_sealed, m.id.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let result = match &to {
        None => Err(congvu_mail::Error::Permanent(
            "the recipient could not be opened".into(),
        )),
        Some(to) => match outgoing(state, m, to).await {
            Ok(message) => state.mail.send(&message).await,
            Err(e) => Err(e),
        },
    };
    let masked = to.as_deref().map(mask).unwrap_or_else(|| "***".into());
    let redact = |text: String| match &to {
        Some(to) => congvu_mail::redact(&text, to),
        None => text,
    };
    match result {
        Ok(()) => {
            record_sent(state, m).await?;
            tracing::info!(outbox = %m.id, to = %masked, "mail sent");
            Ok(())
        }
        Err(e) => {
            // A server's reply may quote the address (in any case): keep only the masked form.
            let why = redact(e.to_string());
            let attempts = m.attempts;
            let retry =
                (!e.is_permanent() && attempts < state.config.mail_max_attempts).then(|| {
                    let wait = congvu_mail::retry::backoff(
                        attempts,
                        Duration::from_secs(state.config.mail_retry_base_seconds),
                        rand::random::<f64>(),
                    );
                    state.clock.now()
                        + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(6))
                });
            tracing::warn!(outbox = %m.id, to = %masked, attempts, permanent = e.is_permanent(), "mail not sent: {why}");
            let txn = state.db.begin().await.map_err(Error::from)?;
            outbox::failed(&txn, m.id, m.attempts, &why, retry)
                .await
                .map_err(Error::from)?;
            txn.commit()
                .await
                .map_err(|e| Error::from(congvu_db::DbError::from(e)))?;
            Err(if retry.is_some() {
                Outcome::Deferred
            } else {
                Outcome::Failed
            })
        }
    }
}

/// The message as sent, with its letter's PDF when it carries one.
async fn outgoing(
    state: &AppState,
    m: &Message,
    to: &str,
) -> std::result::Result<Outgoing, congvu_mail::Error> {
    let mut attachments = Vec::new();
    if let Some(letter) = m.letter_id {
        let (number, pdf) = congvu_db::letter::pdf_for_mail(state.db.reader(), letter)
            .await
            .map_err(|e| congvu_mail::Error::Temporary(format!("letter not readable: {e}")))?
            .ok_or_else(|| congvu_mail::Error::Permanent("the letter has no PDF".into()))?;
        attachments.push(Attachment {
            filename: crate::service::letters::file_name(&number),
            content_type: "application/pdf".into(),
            bytes: pdf,
        });
    }
    Ok(Outgoing {
        id: m.id,
        from: state.config.mail_from.clone(),
        to: to.to_owned(),
        subject: m.subject.clone(),
        text: m.body.clone(),
        attachments,
    })
}

/// Records a delivery; a letter it carried becomes delivered in the same transaction. Rows are
/// written in the order every other writer takes them: the letter, its mail, then the audit log.
async fn record_sent(state: &AppState, m: &Message) -> Result<()> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let delivered = match m.letter_id {
        Some(letter) => {
            match congvu_db::letter::set_state(
                &txn,
                letter,
                LetterState::Issued,
                LetterState::Delivered,
                now,
            )
            .await
            {
                Ok(()) => Some(letter),
                // Printed or revoked meanwhile: the mail went out all the same; the state stays.
                Err(congvu_db::DbError::Conflict { .. }) => None,
                Err(e) => return Err(e.into()),
            }
        }
        None => None,
    };
    outbox::sent(&txn, m.id, now).await?;
    if let Some(letter) = delivered {
        crate::service::record(
            &txn,
            RELAY,
            "letter.deliver",
            ("letter", letter.to_string()),
            "accepted by the mail server",
            &serde_json::json!({"outbox_id": m.id}),
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(())
}

/// Runs the relay until `stop` resolves: a pass, then a pause of `every` when nothing was due.
pub async fn run(state: AppState, every: Duration, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        let idle = match drain(&state).await {
            Ok(pass) => pass == Pass::default(),
            Err(e) => {
                tracing::warn!("mail relay: {e}");
                true
            }
        };
        let pause = if idle { every } else { Duration::ZERO };
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(pause) => {}
        }
    }
}

/// Runs the relay inside `congvu serve` for as long as the process lives.
pub fn spawn_relay(state: AppState) {
    if state.config.smtp_host.is_none() {
        tracing::info!(
            "no smtp_host configured: mail is written as .eml files under {}",
            state.config.data_dir.join("mail").display()
        );
    }
    tokio::spawn(run(state, Duration::from_secs(2), std::future::pending()));
}
