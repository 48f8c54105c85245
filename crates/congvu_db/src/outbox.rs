//! The outbox: enqueue a message inside the transaction of its change; the relay reads what is
//! due and records each attempt.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
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
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Messages due now, oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Message>, DbError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::State.eq("pending"))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Message {
            id: m.id,
            recipient_sealed: m.recipient_sealed,
            subject: m.subject,
            body: m.body,
            attempts: u32::try_from(m.attempts).unwrap_or(0),
        })
        .collect())
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
    update.filter(outbox::Column::Id.eq(id)).exec(db).await?;
    Ok(())
}
