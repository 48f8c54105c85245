//! Use cases: each opens one transaction, asks the domain to decide, persists the result and its
//! audit event, and commits. No HTTP types here; the routes and the command line both call these.

pub mod accounts;
pub mod audit;
pub mod cases;
pub mod classification;
pub mod codesets;
pub mod commitments;
pub mod complaint_handling;
pub mod complaints;
pub mod completion;
pub mod emulation;
pub mod evaluations;
pub mod import;
pub mod keys;
pub mod letters;
pub mod my_record;
pub mod outbox;
pub mod reports;
pub mod seed;
pub mod signatures;
pub mod staff;
pub mod units;
pub mod violations;

use chrono::{DateTime, Utc};
use congvu_core::audit::NewAuditEvent;
use congvu_core::policy::Actor;
use congvu_db::DbError;
use serde::Serialize;

use crate::error::{Error, Result};

/// Appends the audit event of a change inside its transaction.
pub(crate) async fn record(
    txn: &impl congvu_db::Connection,
    actor: &str,
    action: &str,
    object: (&str, String),
    reason: &str,
    change: &impl Serialize,
    now: DateTime<Utc>,
) -> Result<()> {
    congvu_db::audit::append(txn, event(actor, action, object, reason, change)?, now).await?;
    Ok(())
}

/// Builds the audit event of a change (for use cases that append several at once).
pub(crate) fn event(
    actor: &str,
    action: &str,
    object: (&str, String),
    reason: &str,
    change: &impl Serialize,
) -> Result<NewAuditEvent> {
    let change = serde_json::to_string(change).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(NewAuditEvent::new(
        actor, action, object.0, &object.1, reason, change,
    )?)
}

/// The audit name of an actor.
pub(crate) fn who(actor: &Actor) -> &str {
    &actor.username
}

/// Turns a unique-constraint conflict into a stable, field-level answer.
pub(crate) fn taken(
    err: DbError,
    field: &'static str,
    code: &'static str,
    message: &'static str,
) -> Error {
    match err {
        DbError::Conflict { .. } => Error::Conflict {
            code,
            detail: format!("{field}: {message}"),
        },
        other => other.into(),
    }
}

/// Checks a mandatory reason early, so a request missing it is refused before any work.
pub fn reason(reason: Option<&str>) -> Result<String> {
    congvu_core::text::required("reason", reason.unwrap_or(""), NewAuditEvent::REASON_MAX)
        .map_err(Error::from)
}

/// The unit, in the actor's reach (404 outside it), where the actor may do `action` (403
/// otherwise, with `why`).
pub(crate) async fn unit_for(
    state: &crate::state::AppState,
    actor: &Actor,
    unit: congvu_core::ids::UnitId,
    action: congvu_core::policy::Action,
    why: &'static str,
) -> Result<congvu_db::unit::UnitRecord> {
    let record = congvu_db::unit::find(
        state.db.reader(),
        &actor.reach(congvu_core::policy::Action::ViewUnit),
        unit,
    )
    .await?;
    if !actor.may(action, &record.path) {
        return Err(Error::Forbidden(why));
    }
    Ok(record)
}

/// The path of a unit filter in the caller's reach (a unit outside it is 404), or none.
pub(crate) async fn unit_filter(
    state: &crate::state::AppState,
    actor: &Actor,
    unit: Option<congvu_core::ids::UnitId>,
) -> Result<Option<String>> {
    match unit {
        Some(unit) => Ok(Some(
            congvu_db::unit::find(
                state.db.reader(),
                &actor.reach(congvu_core::policy::Action::ViewUnit),
                unit,
            )
            .await?
            .path,
        )),
        None => Ok(None),
    }
}
