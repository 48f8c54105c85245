//! Citizens' reports: insert with the first timeline entry, find by the keyed hash of a receipt,
//! the timeline filtered by tier, and the idempotency keys of public submissions.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::complaint::{Kind, Variant};
use congvu_core::ids::{PersonId, UnitId, UserId};
use congvu_core::policy::Reach;
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{
    complaint, complaint_attachment, complaint_event, complaint_violation, idempotency_key,
    identity_request,
};
use crate::violation::EvidenceRecord;
use crate::{DbError, Page, scope};

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
    /// substantiated, partly_substantiated or unsubstantiated, once concluded.
    pub outcome: Option<String>,
    /// The conclusion the citizen reads.
    pub conclusion: Option<String>,
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
        outcome: Set(record.outcome.clone()),
        conclusion: Set(record.conclusion.clone()),
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

/// The report whose receipt hashes to one of `receipt_hashes` (its hash under each key of the
/// ring: a receipt issued before a key rotation is still found).
pub async fn find_by_receipt(
    db: &impl ConnectionTrait,
    receipt_hashes: &[String],
) -> Result<ComplaintRecord, DbError> {
    let m = complaint::Entity::find()
        .filter(complaint::Column::ReceiptHash.is_in(receipt_hashes.iter().cloned()))
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
        .map(event)
        .collect())
}

fn event(e: complaint_event::Model) -> EventRecord {
    EventRecord {
        id: e.id,
        kind: e.kind,
        tier: e.tier,
        body: e.body,
        actor: e.actor_id.map(Into::into),
        at: e.at,
    }
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
        outcome: m.outcome,
        conclusion: m.conclusion,
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

/// What an officer's query may see: reports of units in reach, except reports about the officer
/// themselves (the person complained about never learns of them through congvu).
#[derive(Debug, Clone)]
pub struct Viewer<'a> {
    pub reach: &'a Reach,
    pub person: Option<PersonId>,
}

fn visible(v: &Viewer<'_>) -> Condition {
    let mut c =
        Condition::all().add(complaint::Column::UnitId.in_subquery(scope::unit_ids(v.reach)));
    if let Some(person) = v.person {
        c = c.add(
            Condition::any()
                .add(complaint::Column::SubjectPersonId.is_null())
                .add(complaint::Column::SubjectPersonId.ne(person.as_uuid())),
        );
    }
    c
}

/// Filters of a work list.
#[derive(Debug, Clone, Default)]
pub struct ComplaintFilter {
    pub unit_path: Option<String>,
    pub state: Option<String>,
}

/// Reports visible to the viewer (the caller orders them by days left).
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer<'_>,
    filter: &ComplaintFilter,
    page: Page,
) -> Result<Vec<ComplaintRecord>, DbError> {
    let mut select = complaint::Entity::find().filter(visible(viewer));
    if let Some(path) = &filter.unit_path {
        select = select.filter(complaint::Column::UnitId.in_subquery(scope::subtree_ids(path)));
    }
    if let Some(state) = &filter.state {
        select = select.filter(complaint::Column::State.eq(state.as_str()));
    }
    select
        .order_by_asc(complaint::Column::ReceivedOn)
        .order_by_asc(complaint::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// One report visible to the viewer, optionally locked for the rest of the transaction.
pub async fn find(
    db: &impl ConnectionTrait,
    viewer: &Viewer<'_>,
    id: Uuid,
    lock: bool,
) -> Result<ComplaintRecord, DbError> {
    let mut select = complaint::Entity::find_by_id(id).filter(visible(viewer));
    if lock {
        select = select.lock(LockType::Update);
    }
    record(select.one(db).await?.ok_or(DbError::NotFound)?)
}

/// Writes the handling fields of a report (state, kind, unit, acceptance, outcome).
pub async fn update(
    txn: &impl ConnectionTrait,
    r: &ComplaintRecord,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    complaint::Entity::update_many()
        .col_expr(complaint::Column::State, Expr::value(r.state.as_str()))
        .col_expr(complaint::Column::Kind, Expr::value(r.kind.code()))
        .col_expr(complaint::Column::Variant, Expr::value(r.variant.code()))
        .col_expr(complaint::Column::UnitId, Expr::value(r.unit.as_uuid()))
        .col_expr(complaint::Column::AcceptedOn, Expr::value(r.accepted_on))
        .col_expr(
            complaint::Column::Extensions,
            Expr::value(i32::try_from(r.extensions).unwrap_or(i32::MAX)),
        )
        .col_expr(complaint::Column::Outcome, Expr::value(r.outcome.clone()))
        .col_expr(
            complaint::Column::Conclusion,
            Expr::value(r.conclusion.clone()),
        )
        .col_expr(complaint::Column::UpdatedAt, Expr::value(now))
        .filter(complaint::Column::Id.eq(r.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The timeline an officer reads: citizen and internal entries, and their own personal notes.
pub async fn officer_events(
    db: &impl ConnectionTrait,
    complaint: Uuid,
    viewer: UserId,
) -> Result<Vec<EventRecord>, DbError> {
    Ok(complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(complaint))
        .filter(
            Condition::any()
                .add(complaint_event::Column::Tier.is_in(["citizen", "internal"]))
                .add(complaint_event::Column::ActorId.eq(viewer.as_uuid())),
        )
        .order_by_asc(complaint_event::Column::At)
        .order_by_asc(complaint_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(event)
        .collect())
}

/// Links violations a report proved.
pub async fn link_violations(
    txn: &impl ConnectionTrait,
    complaint: Uuid,
    violations: &[Uuid],
) -> Result<(), DbError> {
    for v in violations {
        complaint_violation::ActiveModel {
            complaint_id: Set(complaint),
            violation_id: Set(*v),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The violations linked to a report.
pub async fn linked_violations(
    db: &impl ConnectionTrait,
    complaint: Uuid,
) -> Result<Vec<Uuid>, DbError> {
    Ok(complaint_violation::Entity::find()
        .filter(complaint_violation::Column::ComplaintId.eq(complaint))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.violation_id)
        .collect())
}

/// An inspector's request to see a complainant's identity, and the custodian's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRequestRecord {
    pub id: Uuid,
    pub complaint: Uuid,
    pub requester: UserId,
    pub motivation: String,
    /// pending, approved or refused
    pub state: String,
    pub decided_by: Option<UserId>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Stores a new request.
pub async fn insert_identity_request(
    txn: &impl ConnectionTrait,
    r: &IdentityRequestRecord,
) -> Result<(), DbError> {
    identity_request::ActiveModel {
        id: Set(r.id),
        complaint_id: Set(r.complaint),
        requester_id: Set(r.requester.as_uuid()),
        motivation: Set(r.motivation.clone()),
        state: Set(r.state.clone()),
        decided_by: Set(r.decided_by.map(|u| u.as_uuid())),
        decision_reason: Set(r.decision_reason.clone()),
        decided_at: Set(r.decided_at),
        created_at: Set(r.created_at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Records the decision on a pending request; `NotFound` when it is not pending.
pub async fn decide_identity_request(
    txn: &impl ConnectionTrait,
    id: Uuid,
    approved: bool,
    by: UserId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let done = identity_request::Entity::update_many()
        .col_expr(
            identity_request::Column::State,
            Expr::value(if approved { "approved" } else { "refused" }),
        )
        .col_expr(
            identity_request::Column::DecidedBy,
            Expr::value(by.as_uuid()),
        )
        .col_expr(
            identity_request::Column::DecisionReason,
            Expr::value(reason),
        )
        .col_expr(identity_request::Column::DecidedAt, Expr::value(now))
        .filter(identity_request::Column::Id.eq(id))
        .filter(identity_request::Column::State.eq("pending"))
        .exec(txn)
        .await?;
    if done.rows_affected == 1 {
        Ok(())
    } else {
        Err(DbError::NotFound)
    }
}

/// The identity requests of a report.
pub async fn identity_requests(
    db: &impl ConnectionTrait,
    complaint: Uuid,
) -> Result<Vec<IdentityRequestRecord>, DbError> {
    Ok(identity_request::Entity::find()
        .filter(identity_request::Column::ComplaintId.eq(complaint))
        .order_by_asc(identity_request::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|m| IdentityRequestRecord {
            id: m.id,
            complaint: m.complaint_id,
            requester: m.requester_id.into(),
            motivation: m.motivation,
            state: m.state,
            decided_by: m.decided_by.map(Into::into),
            decision_reason: m.decision_reason,
            decided_at: m.decided_at,
            created_at: m.created_at,
        })
        .collect())
}

/// Stores a file a citizen attached (described like evidence; `uploaded_by` is unused: nil).
pub async fn insert_attachment(
    txn: &impl ConnectionTrait,
    complaint: Uuid,
    record: &EvidenceRecord,
    data: Vec<u8>,
) -> Result<(), DbError> {
    complaint_attachment::ActiveModel {
        id: Set(record.id),
        complaint_id: Set(complaint),
        filename: Set(record.filename.clone()),
        content_type: Set(record.content_type.clone()),
        size: Set(record.size),
        sha256: Set(record.sha256.clone()),
        data: Set(data),
        at: Set(record.at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The attachments of a report with their bytes.
pub async fn attachments(
    db: &impl ConnectionTrait,
    complaint: Uuid,
) -> Result<Vec<(EvidenceRecord, Vec<u8>)>, DbError> {
    Ok(complaint_attachment::Entity::find()
        .filter(complaint_attachment::Column::ComplaintId.eq(complaint))
        .order_by_asc(complaint_attachment::Column::At)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            (
                EvidenceRecord {
                    id: m.id,
                    filename: m.filename,
                    content_type: m.content_type,
                    size: m.size,
                    sha256: m.sha256,
                    uploaded_by: Uuid::nil().into(),
                    at: m.at,
                },
                m.data,
            )
        })
        .collect())
}

/// One sealed identity, if any is stored (to prove a key ring before it is made the
/// installation's): the report's id, which the seal is bound to, and the sealed bytes.
pub async fn a_sealed_identity(
    db: &impl ConnectionTrait,
) -> Result<Option<(uuid::Uuid, Vec<u8>)>, DbError> {
    let row = complaint::Entity::find()
        .filter(complaint::Column::IdentitySealed.is_not_null())
        .limit(1)
        .one(db)
        .await?;
    Ok(row.and_then(|r| r.identity_sealed.map(|s| (r.id, s))))
}
