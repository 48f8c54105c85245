//! The audit chain in the database: append inside the caller's transaction (serialised by locking
//! the single head row), and verify the whole chain in pages.

use chrono::{DateTime, Utc};
use congvu_core::audit::{self, AuditBreak, AuditEvent, ChainVerifier, NewAuditEvent};
use sea_orm::ColumnTrait;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::LockType,
};

use crate::DbError;
use crate::entity::{audit_event, audit_head};

const HEAD_ID: i32 = 1;

/// Appends an event after the current head. Call inside the transaction that makes the change:
/// the head row's lock serialises concurrent appends on PostgreSQL; SQLite has one writer.
pub async fn append(
    txn: &impl ConnectionTrait,
    new: NewAuditEvent,
    at: DateTime<Utc>,
) -> Result<AuditEvent, DbError> {
    let head = audit_head::Entity::find_by_id(HEAD_ID)
        .lock(LockType::Update)
        .one(txn)
        .await?
        .ok_or_else(|| DbError::Corrupt("audit_head row is missing".into()))?;
    let event = audit::seal(new, head.seq + 1, at, &head.hash);
    audit_event::ActiveModel {
        seq: Set(event.seq),
        at: Set(event.at),
        actor: Set(event.actor.clone()),
        action: Set(event.action.clone()),
        object_type: Set(event.object_type.clone()),
        object_id: Set(event.object_id.clone()),
        reason: Set(event.reason.clone()),
        change: Set(event.change.clone()),
        digest: Set(event.digest.clone()),
        prev_hash: Set(event.prev_hash.clone()),
        hash: Set(event.hash.clone()),
    }
    .insert(txn)
    .await?;
    let mut head = head.into_active_model();
    head.seq = Set(event.seq);
    head.hash = Set(event.hash.clone());
    head.update(txn).await?;
    Ok(event)
}

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every event checked; this many.
    Intact { events: i64 },
    /// The first bad row.
    Broken(AuditBreak),
}

/// Recomputes the whole chain in pages of 1,000 rows and names the first bad sequence number.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verification, DbError> {
    const PAGE: u64 = 1000;
    let mut verifier = ChainVerifier::default();
    let mut after = 0i64;
    loop {
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gt(after))
            .order_by_asc(audit_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last().map(|r| r.seq) else {
            break;
        };
        for row in rows {
            if let Err(broken) = verifier.check(&to_domain(row)) {
                return Ok(Verification::Broken(broken));
            }
        }
        after = last;
    }
    let head = audit_head::Entity::find_by_id(HEAD_ID)
        .one(db)
        .await?
        .ok_or_else(|| DbError::Corrupt("audit_head row is missing".into()))?;
    Ok(match verifier.finish(head.seq, &head.hash) {
        Ok(events) => Verification::Intact { events },
        Err(broken) => Verification::Broken(broken),
    })
}

/// Events about one object, oldest first.
pub async fn for_object(
    db: &impl ConnectionTrait,
    object_type: &str,
    object_id: &str,
) -> Result<Vec<AuditEvent>, DbError> {
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq(object_type))
        .filter(audit_event::Column::ObjectId.eq(object_id))
        .order_by_asc(audit_event::Column::Seq)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(to_domain).collect())
}

fn to_domain(m: audit_event::Model) -> AuditEvent {
    AuditEvent {
        seq: m.seq,
        at: m.at,
        actor: m.actor,
        action: m.action,
        object_type: m.object_type,
        object_id: m.object_id,
        reason: m.reason,
        change: m.change,
        digest: m.digest,
        prev_hash: m.prev_hash,
        hash: m.hash,
    }
}
