//! The mail queue for administrators: see what is pending, sent, failed or cancelled, and put a
//! failed message back in the queue. A superadministrator sees every message; a unit's
//! administrator the mail of letters issued in their units. Recipients and texts are never shown.

use congvu_core::policy::{Action, Actor, Reach};
use congvu_db::outbox::{self, Status};
use congvu_db::{DbError, Page};

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// Which messages the actor administers: all (`None`) or those of letters in reach.
fn scope(actor: &Actor) -> Result<Option<Reach>> {
    if actor.superadmin {
        Ok(None)
    } else if actor.holds_any(Action::ManageGrants) {
        Ok(Some(actor.reach(Action::ManageGrants)))
    } else {
        Err(Error::Forbidden("only administrators see the mail queue"))
    }
}

/// Messages by state.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: Option<&str>,
    page: Page,
) -> Result<Vec<Status>> {
    let reach = scope(actor)?;
    Ok(outbox::list(state.db.reader(), reach.as_ref(), filter, page).await?)
}

/// Retries a failed message now.
pub async fn retry(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::MessageId,
) -> Result<Status> {
    let id = id.as_uuid();
    let reach = scope(actor)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    outbox::status(&txn, reach.as_ref(), id).await?;
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
    Ok(outbox::status(state.db.reader(), reach.as_ref(), id).await?)
}
