//! Audit: verify the whole chain (administrators and the command line), against the heads
//! anchored outside the database when this node has an anchor log (`crate::anchor`).

use congvu_core::policy::{Action, Actor};
use congvu_db::audit::Verification;

use crate::anchor::{Anchors, LogCheck};
use crate::error::{Error, Result};
use crate::state::AppState;

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheck {
    /// The chain in the database, compared with every anchored head.
    pub chain: Verification,
    /// The anchor log.
    pub anchors: AnchorLog,
}

/// The anchor log as verification read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorLog {
    /// This node has no anchor key and no anchor log: only the chain was checked.
    Absent,
    /// An anchor log is there but no key to check it with (the key is configured for `serve`
    /// only?): nothing can be said about it.
    KeyMissing,
    /// Every line signed; this many anchored heads, the last at this sequence number.
    Checked { heads: usize, last: Option<i64> },
    /// A line whose HMAC does not verify (1-based): the log was edited.
    Forged { line: usize },
}

impl AuditCheck {
    /// Whether nothing was found wrong.
    pub fn intact(&self) -> bool {
        matches!(self.chain, Verification::Intact { .. })
            && !matches!(
                self.anchors,
                AnchorLog::Forged { .. } | AnchorLog::KeyMissing
            )
    }
}

/// Recomputes the chain; administrators only.
pub async fn verify(state: &AppState, actor: &Actor) -> Result<AuditCheck> {
    if !actor.holds_any(Action::ManageGrants) {
        return Err(Error::Forbidden("only administrators verify the audit log"));
    }
    verify_unchecked(state).await
}

/// Recomputes the chain (the command line runs with the operator's rights). The anchor log is
/// read before the chain, so every anchored head was committed before the chain's head is read.
pub async fn verify_unchecked(state: &AppState) -> Result<AuditCheck> {
    let (anchored, anchors) = match Anchors::configured(&state.config, false)? {
        None if state.config.data_dir.join(crate::anchor::LOG_FILE).exists() => {
            (Default::default(), AnchorLog::KeyMissing)
        }
        None => (Default::default(), AnchorLog::Absent),
        Some(a) => match a.read()? {
            LogCheck::Forged { line } => (Default::default(), AnchorLog::Forged { line }),
            LogCheck::Signed(map) => {
                let log = AnchorLog::Checked {
                    heads: map.len(),
                    last: map.keys().next_back().copied(),
                };
                (map, log)
            }
        },
    };
    let chain = congvu_db::audit::verify_anchored(state.db.reader(), &anchored).await?;
    Ok(AuditCheck { chain, anchors })
}
