//! Facts every node of an installation must agree on (`installation`: name → value), such as the
//! fingerprint of the key ring.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::DbError;
use crate::entity::installation;

/// The name under which the key ring's fingerprint is kept.
pub const KEY_FINGERPRINT: &str = "key_fingerprint";

/// The value stored under `name`, if any.
pub async fn get(db: &impl ConnectionTrait, name: &str) -> Result<Option<String>, DbError> {
    Ok(installation::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .map(|row| row.value))
}

/// Stores `value` under `name` unless a value is there already, and answers the value stored
/// (the first node's, when several start at once).
pub async fn claim(
    db: &impl ConnectionTrait,
    name: &str,
    value: &str,
    at: DateTime<Utc>,
) -> Result<String, DbError> {
    installation::Entity::insert(installation::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(at),
    })
    .on_conflict(
        OnConflict::column(installation::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    get(db, name).await?.ok_or(DbError::NotFound)
}

/// Replaces the value under `name` when it is still `expected`; answers whether it did.
pub async fn replace(
    db: &impl ConnectionTrait,
    name: &str,
    expected: &str,
    value: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let done = installation::Entity::update_many()
        .col_expr(installation::Column::Value, Expr::value(value))
        .col_expr(installation::Column::UpdatedAt, Expr::value(at))
        .filter(installation::Column::Name.eq(name))
        .filter(installation::Column::Value.eq(expected))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}
