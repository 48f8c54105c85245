//! The mail queue for superadministrators: see what is pending, sent, failed or cancelled, and
//! put a failed message back in the queue. Recipients and texts are never shown.

use congvu_core::policy::Actor;
use congvu_db::outbox::{self, Status};
use congvu_db::{DbError, Page};
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

fn superadmin(actor: &Actor) -> Result<()> {
    if actor.superadmin {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only a superadministrator sees the mail queue",
        ))
    }
}

/// Messages by state.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: Option<&str>,
    page: Page,
) -> Result<Vec<Status>> {
    superadmin(actor)?;
    Ok(outbox::list(state.db.reader(), filter, page).await?)
}

/// Retries a failed message now.
pub async fn retry(state: &AppState, actor: &Actor, id: Uuid) -> Result<Status> {
    superadmin(actor)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    outbox::status(&txn, id).await?;
    outbox::retry(&txn, id, now).await.map_err(|e| match e {
        DbError::Conflict { .. } => Error::Conflict {
            code: "outbox.not_failed",
            detail: "only a failed message is retried".into(),
        },
        other => other.into(),
    })?;
    record(
        &txn,
        who(actor),
        "outbox.retry",
        ("outbox", id.to_string()),
        "retry a failed message",
        &serde_json::json!({}),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(outbox::status(state.db.reader(), id).await?)
}
