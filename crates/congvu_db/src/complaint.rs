//! Citizens' reports: insert with the first timeline entry, find by the keyed hash of a receipt,
//! the timeline filtered by tier, and the idempotency keys of public submissions.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::complaint::{Kind, Variant};
use congvu_core::ids::{PersonId, UnitId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entity::{complaint, complaint_event, idempotency_key};

/// A stored report (the identity stays sealed; the receipt is only its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRecord {
    pub id: Uuid,
    pub unit: UnitId,
    pub subject_person: Option<PersonId>,
    pub subject_text: Option<String>,
    pub claimed: Option<Kind>,
    pub kind: Kind,
    pub variant: Variant,
    pub state: String,
    pub description: String,
    pub occurred_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub dossier_code: Option<String>,
    pub anonymous: bool,
    pub identity_sealed: Option<Vec<u8>>,
    pub notify: bool,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub extensions: u32,
    pub created_at: DateTime<Utc>,
}

/// One entry of a report's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub id: Uuid,
    pub kind: String,
    /// citizen, internal or personal
    pub tier: String,
    pub body: String,
    pub actor: Option<UserId>,
    pub at: DateTime<Utc>,
}

/// Inserts a report (with `receipt_hash`) and its first timeline entry.
pub async fn insert(
    txn: &impl ConnectionTrait,
    record: &ComplaintRecord,
    receipt_hash: &str,
    first: &EventRecord,
) -> Result<(), DbError> {
    complaint::ActiveModel {
        id: Set(record.id),
        receipt_hash: Set(receipt_hash.to_owned()),
        unit_id: Set(record.unit.as_uuid()),
        subject_person_id: Set(record.subject_person.map(|p| p.as_uuid())),
        subject_text: Set(record.subject_text.clone()),
        claimed_kind: Set(record.claimed.map(|k| k.code().to_owned())),
        kind: Set(record.kind.code().to_owned()),
        variant: Set(record.variant.code().to_owned()),
        state: Set(record.state.clone()),
        description: Set(record.description.clone()),
        occurred_on: Set(record.occurred_on),
        place: Set(record.place.clone()),
        dossier_code: Set(record.dossier_code.clone()),
        anonymous: Set(record.anonymous),
        identity_sealed: Set(record.identity_sealed.clone()),
        notify: Set(record.notify),
        received_on: Set(record.received_on),
        accepted_on: Set(record.accepted_on),
        extensions: Set(i32::try_from(record.extensions).unwrap_or(i32::MAX)),
        created_at: Set(record.created_at),
        updated_at: Set(record.created_at),
    }
    .insert(txn)
    .await?;
    insert_event(txn, record.id, first).await
}

/// Appends a timeline entry.
pub async fn insert_event(
    txn: &impl ConnectionTrait,
    complaint: Uuid,
    e: &EventRecord,
) -> Result<(), DbError> {
    complaint_event::ActiveModel {
        id: Set(e.id),
        complaint_id: Set(complaint),
        kind: Set(e.kind.clone()),
        tier: Set(e.tier.clone()),
        body: Set(e.body.clone()),
        actor_id: Set(e.actor.map(|a| a.as_uuid())),
        at: Set(e.at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The report whose receipt hashes to `receipt_hash`.
pub async fn find_by_receipt(
    db: &impl ConnectionTrait,
    receipt_hash: &str,
) -> Result<ComplaintRecord, DbError> {
    let m = complaint::Entity::find()
        .filter(complaint::Column::ReceiptHash.eq(receipt_hash))
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?;
    record(m)
}

/// The timeline entries of the given tiers, oldest first.
pub async fn events(
    db: &impl ConnectionTrait,
    complaint: Uuid,
    tiers: &[&str],
) -> Result<Vec<EventRecord>, DbError> {
    Ok(complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(complaint))
        .filter(complaint_event::Column::Tier.is_in(tiers.iter().map(|t| (*t).to_owned())))
        .order_by_asc(complaint_event::Column::At)
        .order_by_asc(complaint_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| EventRecord {
            id: e.id,
            kind: e.kind,
            tier: e.tier,
            body: e.body,
            actor: e.actor_id.map(Into::into),
            at: e.at,
        })
        .collect())
}

fn record(m: complaint::Model) -> Result<ComplaintRecord, DbError> {
    Ok(ComplaintRecord {
        id: m.id,
        unit: m.unit_id.into(),
        subject_person: m.subject_person_id.map(Into::into),
        subject_text: m.subject_text,
        claimed: m
            .claimed_kind
            .as_deref()
            .map(|k| Kind::parse(k).ok_or_else(|| DbError::corrupt("claimed kind", k)))
            .transpose()?,
        kind: Kind::parse(&m.kind).ok_or_else(|| DbError::corrupt("kind", &m.kind))?,
        variant: Variant::parse(&m.variant)
            .ok_or_else(|| DbError::corrupt("variant", &m.variant))?,
        state: m.state,
        description: m.description,
        occurred_on: m.occurred_on,
        place: m.place,
        dossier_code: m.dossier_code,
        anonymous: m.anonymous,
        identity_sealed: m.identity_sealed,
        notify: m.notify,
        received_on: m.received_on,
        accepted_on: m.accepted_on,
        extensions: u32::try_from(m.extensions).unwrap_or(0),
        created_at: m.created_at,
    })
}

/// A stored first answer to an idempotent request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentAnswer {
    pub request_hash: String,
    pub response_sealed: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

/// The answer stored for a key, if any.
pub async fn idempotent_answer(
    db: &impl ConnectionTrait,
    scope: &str,
    key_hash: &str,
) -> Result<Option<IdempotentAnswer>, DbError> {
    Ok(idempotency_key::Entity::find()
        .filter(idempotency_key::Column::Scope.eq(scope))
        .filter(idempotency_key::Column::KeyHash.eq(key_hash))
        .one(db)
        .await?
        .map(|m| IdempotentAnswer {
            request_hash: m.request_hash,
            response_sealed: m.response_sealed,
            created_at: m.created_at,
        }))
}

/// Stores the first answer for a key (a concurrent duplicate fails on the unique index).
pub async fn store_answer(
    txn: &impl ConnectionTrait,
    scope: &str,
    key_hash: &str,
    answer: &IdempotentAnswer,
) -> Result<(), DbError> {
    idempotency_key::ActiveModel {
        id: Set(Uuid::now_v7()),
        scope: Set(scope.to_owned()),
        key_hash: Set(key_hash.to_owned()),
        request_hash: Set(answer.request_hash.clone()),
        response_sealed: Set(answer.response_sealed.clone()),
        created_at: Set(answer.created_at),
    }
    .insert(txn)
    .await?;
    Ok(())
}
