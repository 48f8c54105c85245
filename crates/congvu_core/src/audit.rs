//! The tamper-evident audit chain. Each event's hash covers its own fields, the digest of the change
//! it records and the previous event's hash; sequence numbers are dense. Editing, deleting or
//! reordering any row breaks the chain at that row, which [`ChainVerifier`] names.

use chrono::{DateTime, SubsecRound, Utc};
use sha2::{Digest, Sha256};

use crate::error::{Collector, DomainError};
use crate::text;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event to append: who did what to which object, why, and the change itself (canonical JSON
/// supplied by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub reason: String,
    pub change: String,
}

impl NewAuditEvent {
    pub const REASON_MAX: usize = 2000;

    /// Every state change carries a reason; it must not be empty.
    pub fn new(
        actor: &str,
        action: &str,
        object_type: &str,
        object_id: &str,
        reason: &str,
        change: String,
    ) -> Result<Self, DomainError> {
        let mut errors = Collector::default();
        let reason = errors.take(text::required("reason", reason, Self::REASON_MAX));
        errors.finish()?;
        Ok(Self {
            actor: actor.to_owned(),
            action: action.to_owned(),
            object_type: object_type.to_owned(),
            object_id: object_id.to_owned(),
            reason: reason.unwrap_or_default(),
            change,
        })
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub reason: String,
    pub change: String,
    pub digest: String,
    pub prev_hash: String,
    pub hash: String,
}

/// SHA-256 (hex) of a change payload.
pub fn digest(change: &str) -> String {
    digest_bytes(change.as_bytes())
}

/// SHA-256 (hex) of any bytes (evidence files, documents).
pub fn digest_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Instants are stored to the microsecond (PostgreSQL's precision), so hash what is stored.
pub fn stored_instant(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// Seals `new` as event `seq` after the event whose hash is `prev_hash`.
pub fn seal(new: NewAuditEvent, seq: i64, at: DateTime<Utc>, prev_hash: &str) -> AuditEvent {
    let at = stored_instant(at);
    let digest = digest(&new.change);
    let mut event = AuditEvent {
        seq,
        at,
        actor: new.actor,
        action: new.action,
        object_type: new.object_type,
        object_id: new.object_id,
        reason: new.reason,
        change: new.change,
        digest,
        prev_hash: prev_hash.to_owned(),
        hash: String::new(),
    };
    event.hash = chain_hash(&event);
    event
}

/// The hash of an event over an unambiguous, length-prefixed encoding of its fields.
pub fn chain_hash(e: &AuditEvent) -> String {
    let mut h = Sha256::new();
    let at = e.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let seq = e.seq.to_string();
    for field in [
        "congvu.audit.v1",
        &seq,
        &at,
        &e.actor,
        &e.action,
        &e.object_type,
        &e.object_id,
        &e.reason,
        &e.digest,
        &e.prev_hash,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// How the chain is broken at a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// A sequence number is missing (a row was deleted) or out of order.
    Gap,
    /// The change payload no longer matches its digest.
    Digest,
    /// The row's fields no longer match its hash (the row was edited).
    Hash,
    /// The row does not follow its predecessor (rows were reordered or replaced).
    Link,
    /// Rows are missing after the last one (the head says more were written).
    Truncated,
    /// The row's hash is not the one anchored outside the database for its sequence number (the
    /// chain was rewritten and recomputed), or the anchored head is past the database's.
    Anchor,
}

impl BreakKind {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Gap => "gap",
            Self::Digest => "digest_mismatch",
            Self::Hash => "hash_mismatch",
            Self::Link => "link_mismatch",
            Self::Truncated => "truncated",
            Self::Anchor => "anchor_mismatch",
        }
    }
}

/// The first bad row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditBreak {
    pub seq: i64,
    pub kind: BreakKind,
}

/// Checks events in sequence order, one at a time, so a long log can be streamed.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    next_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            next_seq: 1,
            prev_hash: GENESIS.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next event.
    pub fn check(&mut self, e: &AuditEvent) -> Result<(), AuditBreak> {
        let fail = |kind| Err(AuditBreak { seq: e.seq, kind });
        if e.seq != self.next_seq {
            return Err(AuditBreak {
                seq: self.next_seq,
                kind: BreakKind::Gap,
            });
        }
        if digest(&e.change) != e.digest {
            return fail(BreakKind::Digest);
        }
        if chain_hash(e) != e.hash {
            return fail(BreakKind::Hash);
        }
        if e.prev_hash != self.prev_hash {
            return fail(BreakKind::Link);
        }
        self.next_seq += 1;
        self.prev_hash.clone_from(&e.hash);
        Ok(())
    }

    /// After the last event: the recorded head (seq and hash of the last append) must match.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<i64, AuditBreak> {
        let last = self.next_seq - 1;
        if head_seq > last {
            return Err(AuditBreak {
                seq: last + 1,
                kind: BreakKind::Truncated,
            });
        }
        if head_seq < last || head_hash != self.prev_hash {
            return Err(AuditBreak {
                seq: head_seq.max(1),
                kind: BreakKind::Link,
            });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests;
