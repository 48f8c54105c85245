//! The outbox: enqueue a message inside the transaction of its change; a relay claims what is due
//! (several relays on PostgreSQL share the queue with `FOR UPDATE SKIP LOCKED`), and records each
//! attempt. A claim is a lease: the claimed rows' next attempt moves past the lease, so a relay
//! that dies mid-delivery leaves them to be claimed again when it runs out.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entity::outbox;

/// A message waiting or sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: Uuid,
    /// The recipient's address, sealed by the caller (bound to `id`).
    pub recipient_sealed: Vec<u8>,
    pub subject: String,
    pub body: String,
    pub attempts: u32,
    /// The letter whose PDF the message carries.
    pub letter_id: Option<Uuid>,
}

/// Enqueues a message.
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    m: &Message,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    outbox::ActiveModel {
        id: Set(m.id),
        recipient_sealed: Set(m.recipient_sealed.clone()),
        subject: Set(m.subject.clone()),
        body: Set(m.body.clone()),
        state: Set("pending".into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        letter_id: Set(m.letter_id),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Records a delivery.
pub async fn sent(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value("sent"))
        .col_expr(outbox::Column::SentAt, Expr::value(now))
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).add(1),
        )
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or failed for good when `None`. The error is
/// the server's reply, never the address.
pub async fn failed(
    db: &impl ConnectionTrait,
    id: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::LastError, Expr::value(error))
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).add(1),
        );
    update = match retry_at {
        Some(at) => update.col_expr(outbox::Column::NextAttemptAt, Expr::value(at)),
        None => update.col_expr(outbox::Column::State, Expr::value("failed")),
    };
    update
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::State.eq("pending"))
        .exec(db)
        .await?;
    Ok(())
}

/// Claims up to `limit` due messages for one relay: locks them (skipping rows another relay
/// holds), moves their next attempt to `lease_until` and answers them. The caller commits.
pub async fn claim(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Message>, DbError> {
    let due: Vec<Message> = outbox::Entity::find()
        .filter(outbox::Column::State.eq("pending"))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(txn)
        .await?
        .into_iter()
        .map(|m| Message {
            id: m.id,
            recipient_sealed: m.recipient_sealed,
            subject: m.subject,
            body: m.body,
            attempts: u32::try_from(m.attempts).unwrap_or(0),
            letter_id: m.letter_id,
        })
        .collect();
    if !due.is_empty() {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(lease_until))
            .filter(outbox::Column::Id.is_in(due.iter().map(|m| m.id)))
            .exec(txn)
            .await?;
    }
    Ok(due)
}

/// A message as administrators see it: no recipient, no body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub id: Uuid,
    pub subject: String,
    pub state: String,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub letter_id: Option<Uuid>,
}

impl From<outbox::Model> for Status {
    fn from(m: outbox::Model) -> Self {
        Self {
            id: m.id,
            subject: m.subject,
            state: m.state,
            attempts: u32::try_from(m.attempts).unwrap_or(0),
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
            letter_id: m.letter_id,
        }
    }
}

/// Messages by state (all when `None`), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    state: Option<&str>,
    page: crate::Page,
) -> Result<Vec<Status>, DbError> {
    let mut select = outbox::Entity::find();
    if let Some(state) = state {
        select = select.filter(outbox::Column::State.eq(state));
    }
    Ok(select
        .order_by_desc(outbox::Column::CreatedAt)
        .order_by_desc(outbox::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?
        .into_iter()
        .map(Status::from)
        .collect())
}

/// One message's status.
pub async fn status(db: &impl ConnectionTrait, id: Uuid) -> Result<Status, DbError> {
    outbox::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Status::from)
        .ok_or(DbError::NotFound)
}

/// Puts a failed message back in the queue, due now; anything else is a conflict.
pub async fn retry(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
    let done = outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value("pending"))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::State.eq("failed"))
        .exec(db)
        .await?;
    if done.rows_affected == 1 {
        Ok(())
    } else {
        Err(DbError::Conflict {
            constraint: "only a failed message is retried".into(),
        })
    }
}

/// Cancels a letter's messages not yet sent (the letter was revoked); answers how many.
pub async fn cancel_for_letter(db: &impl ConnectionTrait, letter: Uuid) -> Result<u64, DbError> {
    Ok(outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value("cancelled"))
        .filter(outbox::Column::LetterId.eq(letter))
        .filter(outbox::Column::State.is_in(["pending", "failed"]))
        .exec(db)
        .await?
        .rows_affected)
}
