//! What the retention purge reads and changes (issue 20 §8): reports ended long ago that still
//! hold an identity or attachments, dead sessions, and delivered mail's bodies.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entity::{complaint, complaint_attachment, complaint_event, outbox, session};

/// States in which a report has ended (nothing more happens to it).
const ENDED: [&str; 2] = ["rejected", "concluded"];

/// A report whose identity is due for destruction, with the texts where its name may appear.
#[derive(Debug, Clone)]
pub struct Expiring {
    pub id: Uuid,
    pub identity_sealed: Vec<u8>,
    pub description: String,
    pub conclusion: Option<String>,
    /// Timeline entries: id and text.
    pub events: Vec<(Uuid, String)>,
}

/// Up to `limit` reports that ended before `cutoff` and still hold a sealed identity.
pub async fn identities_due(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Expiring>, DbError> {
    let rows = complaint::Entity::find()
        .filter(complaint::Column::State.is_in(ENDED))
        .filter(complaint::Column::UpdatedAt.lt(cutoff))
        .filter(complaint::Column::IdentitySealed.is_not_null())
        .limit(limit)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let events = complaint_event::Entity::find()
            .filter(complaint_event::Column::ComplaintId.eq(row.id))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.body))
            .collect();
        out.push(Expiring {
            id: row.id,
            identity_sealed: row.identity_sealed.unwrap_or_default(),
            description: row.description,
            conclusion: row.conclusion,
            events,
        });
    }
    Ok(out)
}

/// Destroys a report's identity and writes its texts back with the identity masked; no mail is
/// sent to the complainant any more. Answers false (and changes nothing) when another run got
/// there first.
pub async fn forget_identity(
    txn: &impl ConnectionTrait,
    masked: &Expiring,
) -> Result<bool, DbError> {
    let done = complaint::Entity::update_many()
        .col_expr(
            complaint::Column::IdentitySealed,
            Expr::value(Option::<Vec<u8>>::None),
        )
        .col_expr(complaint::Column::Notify, Expr::value(false))
        .col_expr(
            complaint::Column::Description,
            Expr::value(masked.description.clone()),
        )
        .col_expr(
            complaint::Column::Conclusion,
            Expr::value(masked.conclusion.clone()),
        )
        .filter(complaint::Column::Id.eq(masked.id))
        .filter(complaint::Column::IdentitySealed.is_not_null())
        .exec(txn)
        .await?;
    if done.rows_affected == 0 {
        return Ok(false);
    }
    for (id, body) in &masked.events {
        complaint_event::Entity::update(complaint_event::ActiveModel {
            id: Set(*id),
            body: Set(body.clone()),
            ..Default::default()
        })
        .exec(txn)
        .await?;
    }
    Ok(true)
}

/// Reports that ended before `cutoff` and still hold attachments: each with how many.
pub async fn attachments_due(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(Uuid, u64)>, DbError> {
    let ended: Vec<Uuid> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Id)
        .filter(complaint::Column::State.is_in(ENDED))
        .filter(complaint::Column::UpdatedAt.lt(cutoff))
        .filter(
            complaint::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(complaint_attachment::Column::ComplaintId)
                    .from(complaint_attachment::Entity)
                    .to_owned(),
            ),
        )
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(ended.len());
    for id in ended {
        let n = complaint_attachment::Entity::find()
            .filter(complaint_attachment::Column::ComplaintId.eq(id))
            .count(db)
            .await?;
        out.push((id, n));
    }
    Ok(out)
}

/// Deletes a report's attachments; answers how many.
pub async fn delete_attachments(
    txn: &impl ConnectionTrait,
    complaint: Uuid,
) -> Result<u64, DbError> {
    Ok(complaint_attachment::Entity::delete_many()
        .filter(complaint_attachment::Column::ComplaintId.eq(complaint))
        .exec(txn)
        .await?
        .rows_affected)
}

/// Deletes sessions that expired or were revoked before `cutoff`; answers how many.
pub async fn delete_dead_sessions(
    txn: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
) -> Result<u64, DbError> {
    Ok(session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::ExpiresAt.lt(cutoff))
                .add(session::Column::RevokedAt.lt(cutoff)),
        )
        .exec(txn)
        .await?
        .rows_affected)
}

/// Clears the body and the sealed recipient of mail delivered before `cutoff`; answers how many.
pub async fn clear_delivered_mail(
    txn: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
) -> Result<u64, DbError> {
    Ok(outbox::Entity::update_many()
        .col_expr(outbox::Column::Body, Expr::value(""))
        .col_expr(
            outbox::Column::RecipientSealed,
            Expr::value(Vec::<u8>::new()),
        )
        .filter(outbox::Column::State.eq("sent"))
        .filter(outbox::Column::SentAt.lt(cutoff))
        .filter(outbox::Column::Body.ne(""))
        .exec(txn)
        .await?
        .rows_affected)
}
