//! Mail through the transactional outbox: a message is queued in the transaction of the change it
//! tells of, and the relay sends what is due over SMTP (at least once; a stable Message-ID lets a
//! mail client drop a duplicate), retrying temporary failures with backoff and giving up on
//! permanent ones. Addresses are sealed in the queue and never logged.

use std::time::Duration;

use chrono::{DateTime, Utc};
use congvu_db::complaint::ComplaintRecord;
use congvu_db::outbox::{self, Message};
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::state::AppState;

/// Attempts before a message is given up.
const MAX_ATTEMPTS: u32 = 10;

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
        },
        now,
    )
    .await?;
    Ok(())
}

fn transport(state: &AppState) -> Result<Option<AsyncSmtpTransport<Tokio1Executor>>> {
    let Some(host) = state.config.smtp_host.as_deref() else {
        return Ok(None);
    };
    let builder = if state.config.smtp_starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
            .map_err(|e| Error::Internal(format!("smtp: {e}")))?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
    };
    Ok(Some(
        builder
            .port(state.config.smtp_port)
            .timeout(Some(Duration::from_secs(10)))
            .build(),
    ))
}

/// Sends what is due; answers (sent, failed attempts).
pub async fn drain(state: &AppState) -> Result<(usize, usize)> {
    let Some(smtp) = transport(state)? else {
        return Ok((0, 0));
    };
    let now = state.clock.now();
    let due = outbox::due(state.db.reader(), now, 50).await?;
    let (mut sent, mut failed) = (0, 0);
    for m in due {
        match send(state, &smtp, &m).await {
            Ok(()) => {
                let txn = state.db.begin().await?;
                outbox::sent(&txn, m.id, state.clock.now()).await?;
                txn.commit().await.map_err(congvu_db::DbError::from)?;
                sent += 1;
            }
            Err((permanent, why)) => {
                let attempts = m.attempts + 1;
                let retry = (!permanent && attempts < MAX_ATTEMPTS)
                    .then(|| now + chrono::Duration::seconds(30 * 2i64.pow(attempts.min(10))));
                tracing::warn!(outbox = %m.id, attempts, permanent, "mail not sent: {why}");
                let txn = state.db.begin().await?;
                outbox::failed(&txn, m.id, &why, retry).await?;
                txn.commit().await.map_err(congvu_db::DbError::from)?;
                failed += 1;
            }
        }
    }
    Ok((sent, failed))
}

/// One delivery; the error says whether it is permanent and why (without the address).
async fn send(
    state: &AppState,
    smtp: &AsyncSmtpTransport<Tokio1Executor>,
    m: &Message,
) -> std::result::Result<(), (bool, String)> {
    let to = state
        .secrets
        .open(&m.recipient_sealed, m.id.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or((true, "the recipient could not be opened".to_owned()))?;
    let email = lettre::Message::builder()
        .from(
            state
                .config
                .mail_from
                .parse()
                .map_err(|_| (true, "mail_from is not an address".to_owned()))?,
        )
        .to(to
            .parse()
            .map_err(|_| (true, "not an address".to_owned()))?)
        .subject(m.subject.clone())
        .message_id(Some(format!("<{}@congvu>", m.id)))
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| (true, e.to_string()))?;
    smtp.send(email)
        .await
        .map(|_| ())
        .map_err(|e| (e.is_permanent(), e.to_string()))
}

/// Runs the relay every two seconds until the process ends (when an SMTP server is configured).
pub fn spawn_relay(state: AppState) {
    if state.config.smtp_host.is_none() {
        tracing::info!("no smtp_host configured: mail stays queued in the outbox");
        return;
    }
    tokio::spawn(async move {
        loop {
            if let Err(e) = drain(&state).await {
                tracing::warn!("mail relay: {e}");
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}
