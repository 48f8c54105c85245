//! Audit: verify the whole chain (administrators and the command line).

use congvu_core::policy::{Action, Actor};
use congvu_db::audit::Verification;

use crate::error::{Error, Result};
use crate::state::AppState;

/// Recomputes the chain; administrators only.
pub async fn verify(state: &AppState, actor: &Actor) -> Result<Verification> {
    if !actor.holds_any(Action::ManageGrants) {
        return Err(Error::Forbidden("only administrators verify the audit log"));
    }
    verify_unchecked(state).await
}

/// Recomputes the chain (the command line runs with the operator's rights).
pub async fn verify_unchecked(state: &AppState) -> Result<Verification> {
    congvu_db::audit::verify(state.db.reader())
        .await
        .map_err(Error::from)
}
