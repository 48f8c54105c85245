//! The audit chain in the database: append inside the caller's transaction (serialised by locking
//! the single head row), and verify the whole chain in pages.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use congvu_core::audit::{self, AuditBreak, AuditEvent, BreakKind, ChainVerifier, NewAuditEvent};
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
    append_all(txn, vec![new], at)
        .await?
        .pop()
        .ok_or_else(|| DbError::Corrupt("no audit event appended".into()))
}

/// Appends several events in order, with one read and one update of the head (bulk use cases).
pub async fn append_all(
    txn: &impl ConnectionTrait,
    news: Vec<NewAuditEvent>,
    at: DateTime<Utc>,
) -> Result<Vec<AuditEvent>, DbError> {
    /// Rows per INSERT: 11 columns each stays far below both backends' bound-parameter limits.
    const CHUNK: usize = 500;
    if news.is_empty() {
        return Ok(Vec::new());
    }
    let head = audit_head::Entity::find_by_id(HEAD_ID)
        .lock(LockType::Update)
        .one(txn)
        .await?
        .ok_or_else(|| DbError::Corrupt("audit_head row is missing".into()))?;
    let mut prev_hash = head.hash.clone();
    let mut seq = head.seq;
    let mut events = Vec::with_capacity(news.len());
    for new in news {
        seq += 1;
        let event = audit::seal(new, seq, at, &prev_hash);
        prev_hash.clone_from(&event.hash);
        events.push(event);
    }
    let mut rows = events.iter().map(|e| {
        Ok(audit_event::ActiveModel {
            seq: Set(e.seq),
            at: Set(e.at),
            actor: Set(e.actor.clone()),
            action: Set(e.action.clone()),
            object_type: Set(e.object_type.clone()),
            object_id: Set(e.object_id.clone()),
            reason: Set(e.reason.clone()),
            change: Set(e.change.clone()),
            digest: Set(e.digest.clone()),
            prev_hash: Set(e.prev_hash.clone()),
            hash: Set(e.hash.clone()),
        })
    });
    crate::bulk::insert(txn, CHUNK, &mut rows).await?;
    let mut head = head.into_active_model();
    head.seq = Set(seq);
    head.hash = Set(prev_hash);
    head.update(txn).await?;
    Ok(events)
}

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every event checked; this many.
    Intact { events: i64 },
    /// The first bad row.
    Broken(AuditBreak),
}

/// The head of the chain: the last sequence number and its hash.
pub async fn head(db: &impl ConnectionTrait) -> Result<(i64, String), DbError> {
    let head = audit_head::Entity::find_by_id(HEAD_ID)
        .one(db)
        .await?
        .ok_or_else(|| DbError::Corrupt("audit_head row is missing".into()))?;
    Ok((head.seq, head.hash))
}

/// Recomputes the whole chain in pages of 1,000 rows and names the first bad sequence number.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verification, DbError> {
    verify_anchored(db, &BTreeMap::new()).await
}

/// [`verify`], and also compares each row whose sequence number was anchored outside the
/// database (`anchors`: sequence number → hash) with its anchor. Read the anchors before calling:
/// an anchor past the database's head then means rows were removed.
pub async fn verify_anchored(
    db: &impl ConnectionTrait,
    anchors: &BTreeMap<i64, String>,
) -> Result<Verification, DbError> {
    const PAGE: u64 = 1000;
    // The head is read first, and only events up to it are checked: appends committed while the
    // verification runs are not mistaken for a broken tail.
    let head = audit_head::Entity::find_by_id(HEAD_ID)
        .one(db)
        .await?
        .ok_or_else(|| DbError::Corrupt("audit_head row is missing".into()))?;
    let mut verifier = ChainVerifier::default();
    let mut after = 0i64;
    loop {
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gt(after))
            .filter(audit_event::Column::Seq.lte(head.seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last().map(|r| r.seq) else {
            break;
        };
        for row in rows {
            let event = to_domain(row);
            if let Err(broken) = verifier.check(&event) {
                return Ok(Verification::Broken(broken));
            }
            if anchors.get(&event.seq).is_some_and(|h| *h != event.hash) {
                return Ok(Verification::Broken(AuditBreak {
                    seq: event.seq,
                    kind: BreakKind::Anchor,
                }));
            }
        }
        after = last;
    }
    if let Some((&seq, _)) = anchors.range(head.seq + 1..).next() {
        return Ok(Verification::Broken(AuditBreak {
            seq,
            kind: BreakKind::Anchor,
        }));
    }
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
