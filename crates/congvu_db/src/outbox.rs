//! The outbox: enqueue a message inside the transaction of its change; a relay claims one due
//! message at a time (several relays on PostgreSQL share the queue with `FOR UPDATE SKIP LOCKED`)
//! and records the outcome. A claim counts the attempt and is a lease (`claimed_until`): a relay
//! that dies mid-delivery leaves the message to be claimed again when the lease runs out.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use congvu_core::policy::Reach;
use sea_orm::PaginatorTrait;
use sea_orm::sea_query::Query;

use crate::entity::{letter, outbox};
use crate::{DbError, scope};

/// A message waiting or sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: Uuid,
    /// The recipient's address, sealed by the caller (bound to `id`).
    pub recipient_sealed: Vec<u8>,
    pub subject: String,
    pub body: String,
    /// Attempts so far, this one included once claimed.
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
        claimed_until: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Messages carrying no letter, or a letter not revoked: a revoked letter is never mailed.
fn letter_stands() -> Condition {
    Condition::any()
        .add(outbox::Column::LetterId.is_null())
        .add(
            outbox::Column::LetterId.not_in_subquery(
                Query::select()
                    .column(letter::Column::Id)
                    .from(letter::Entity)
                    .and_where(letter::Column::State.eq("revoked"))
                    .to_owned(),
            ),
        )
}

/// Not held by a relay at `now`.
fn unclaimed(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(outbox::Column::ClaimedUntil.is_null())
        .add(outbox::Column::ClaimedUntil.lte(now))
}

impl From<outbox::Model> for Message {
    fn from(m: outbox::Model) -> Self {
        Self {
            id: m.id,
            recipient_sealed: m.recipient_sealed,
            subject: m.subject,
            body: m.body,
            attempts: u32::try_from(m.attempts).unwrap_or(0),
            letter_id: m.letter_id,
        }
    }
}

/// Claims the oldest due message for one relay: locks it (skipping a row another relay holds),
/// counts the attempt and leases it until `lease_until`. The caller commits before sending.
/// First, messages whose relay died `max_attempts` times while holding them are marked failed
/// (they would otherwise be taken again forever), and messages of revoked letters cancelled.
pub async fn claim(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    max_attempts: u32,
) -> Result<Option<Message>, DbError> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value("failed"))
        .col_expr(
            outbox::Column::LastError,
            Expr::value("the relay stopped while sending, on every attempt"),
        )
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox::Column::State.eq("pending"))
        .filter(outbox::Column::Attempts.gte(i64::from(max_attempts)))
        .filter(outbox::Column::ClaimedUntil.lte(now))
        .exec(txn)
        .await?;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value("cancelled"))
        .filter(outbox::Column::State.is_in(["pending", "failed"]))
        .filter(unclaimed(now))
        .filter(Condition::all().not().add(letter_stands()))
        .exec(txn)
        .await?;
    let Some(model) = outbox::Entity::find()
        .filter(outbox::Column::State.eq("pending"))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(unclaimed(now))
        .filter(letter_stands())
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    outbox::Entity::update_many()
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(lease_until))
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).add(1),
        )
        .filter(outbox::Column::Id.eq(model.id))
        .exec(txn)
        .await?;
    let mut message = Message::from(model);
    message.attempts += 1;
    Ok(Some(message))
}

/// Records a delivery (whatever happened to the row meanwhile: the mail did go out).
pub async fn sent(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value("sent"))
        .col_expr(outbox::Column::SentAt, Expr::value(now))
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt of the claim that counted `attempts`: retried at `retry_at`, or
/// failed for good when `None`. The error is the server's reply with the address masked. Nothing
/// changes when the claim is stale (another relay has claimed the message since, so the attempt
/// count moved on) or the message was sent or cancelled meanwhile; a message of a letter revoked
/// meanwhile is cancelled instead of retried.
pub async fn failed(
    db: &impl ConnectionTrait,
    id: Uuid,
    attempts: u32,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::LastError, Expr::value(error))
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    update = match retry_at {
        Some(at) => update.col_expr(outbox::Column::NextAttemptAt, Expr::value(at)),
        None => update.col_expr(outbox::Column::State, Expr::value("failed")),
    };
    update
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::State.eq("pending"))
        .filter(outbox::Column::Attempts.eq(i64::from(attempts)))
        .exec(db)
        .await?;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value("cancelled"))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::State.is_in(["pending", "failed"]))
        .filter(Condition::all().not().add(letter_stands()))
        .exec(db)
        .await?;
    Ok(())
}

/// A message as administrators see it: no recipient, no body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub id: Uuid,
    pub subject: String,
    pub state: String,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    /// Set while a relay is sending it.
    pub claimed_until: Option<DateTime<Utc>>,
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
            claimed_until: m.claimed_until,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
            letter_id: m.letter_id,
        }
    }
}

/// Messages of letters issued in reach (`None`: every message, for superadministrators).
fn visible(reach: Option<&Reach>) -> Condition {
    match reach {
        None => Condition::all(),
        Some(reach) => Condition::all().add(
            outbox::Column::LetterId.in_subquery(
                Query::select()
                    .column(letter::Column::Id)
                    .from(letter::Entity)
                    .and_where(letter::Column::UnitId.in_subquery(scope::unit_ids(reach)))
                    .to_owned(),
            ),
        ),
    }
}

/// Messages by state (all when `None`), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: Option<&Reach>,
    state: Option<&str>,
    page: crate::Page,
) -> Result<Vec<Status>, DbError> {
    let mut select = outbox::Entity::find().filter(visible(reach));
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

/// One message's status, in reach.
pub async fn status(
    db: &impl ConnectionTrait,
    reach: Option<&Reach>,
    id: Uuid,
) -> Result<Status, DbError> {
    outbox::Entity::find_by_id(id)
        .filter(visible(reach))
        .one(db)
        .await?
        .map(Status::from)
        .ok_or(DbError::NotFound)
}

/// The newest message of a letter.
pub async fn for_letter(
    db: &impl ConnectionTrait,
    letter: Uuid,
) -> Result<Option<Status>, DbError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::LetterId.eq(letter))
        .order_by_desc(outbox::Column::CreatedAt)
        .one(db)
        .await?
        .map(Status::from))
}

/// Puts a failed message back in the queue, due now, with its attempts counted afresh; anything
/// else (or a message of a revoked letter) is a conflict.
pub async fn retry(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
    let done = outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value("pending"))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::State.eq("failed"))
        .filter(letter_stands())
        .exec(db)
        .await?;
    if done.rows_affected == 1 {
        Ok(())
    } else {
        Err(DbError::Conflict {
            constraint: "only a failed message of a standing letter is retried".into(),
        })
    }
}

/// Cancels a letter's messages not yet sent and not being sent at `now` (the letter was
/// revoked); answers (cancelled, being sent).
pub async fn cancel_for_letter(
    db: &impl ConnectionTrait,
    letter: Uuid,
    now: DateTime<Utc>,
) -> Result<(u64, u64), DbError> {
    let cancelled = outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value("cancelled"))
        .filter(outbox::Column::LetterId.eq(letter))
        .filter(outbox::Column::State.is_in(["pending", "failed"]))
        .filter(unclaimed(now))
        .exec(db)
        .await?
        .rows_affected;
    let sending = outbox::Entity::find()
        .filter(outbox::Column::LetterId.eq(letter))
        .filter(outbox::Column::State.eq("pending"))
        .count(db)
        .await?;
    Ok((cancelled, sending))
}
