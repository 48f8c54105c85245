//! Accounts: users, role grants and sessions (opaque tokens stored as SHA-256 hashes).

use chrono::{DateTime, Utc};
use congvu_core::ids::{PersonId, UnitId, UserId};
use congvu_core::policy::{Actor, Grant, Reach, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};
use uuid::Uuid;

use crate::entity::{role_grant, session, unit, user};
use crate::{DbError, Page, scope};

/// A stored user, without the password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    pub superadmin: bool,
    pub person: Option<PersonId>,
    pub disabled: bool,
    pub grants: Vec<Grant>,
    pub created_at: DateTime<Utc>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub superadmin: bool,
    pub person: Option<PersonId>,
}

/// Inserts a user.
pub async fn insert_user(
    txn: &impl ConnectionTrait,
    id: UserId,
    new: &NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    user::ActiveModel {
        id: Set(id.as_uuid()),
        username: Set(new.username.to_owned()),
        password_hash: Set(new.password_hash.to_owned()),
        superadmin: Set(new.superadmin),
        person_id: Set(new.person.map(|p| p.as_uuid())),
        disabled: Set(false),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The user's ID and password hash for a login, if the account exists and is enabled.
pub async fn credentials(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<(UserId, String)>, DbError> {
    let model = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .filter(user::Column::Disabled.eq(false))
        .one(db)
        .await?;
    Ok(model.map(|m| (m.id.into(), m.password_hash)))
}

/// Stores a session.
pub async fn insert_session(
    txn: &impl ConnectionTrait,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    session::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        user_id: Set(user.as_uuid()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Revokes a session; `NotFound` when it is unknown or already revoked.
pub async fn revoke_session(
    txn: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<UserId, DbError> {
    let model = session::Entity::find_by_id(token_hash.to_owned())
        .filter(session::Column::RevokedAt.is_null())
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    let user = model.user_id.into();
    let mut model = model.into_active_model();
    model.revoked_at = Set(Some(now));
    model.update(txn).await?;
    Ok(user)
}

/// The account of a username, enabled or not.
pub async fn find_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<UserId>, DbError> {
    Ok(user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .map(|m| m.id.into()))
}

/// Disables or enables an account; disabling also revokes every live session of it. Returns the
/// sessions revoked.
pub async fn set_disabled(
    txn: &impl ConnectionTrait,
    id: UserId,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let model = user::Entity::find_by_id(id.as_uuid())
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    let mut model = model.into_active_model();
    model.disabled = Set(disabled);
    model.update(txn).await?;
    if !disabled {
        return Ok(0);
    }
    let revoked = session::Entity::update_many()
        .col_expr(
            session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(session::Column::UserId.eq(id.as_uuid()))
        .filter(session::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(revoked.rows_affected)
}

/// The actor behind a live session token hash (unknown, expired, revoked or disabled → `None`).
pub async fn actor_for_session(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Actor>, DbError> {
    // One query for the live session's enabled user, one for the grants.
    let live_session = sea_orm::sea_query::Query::select()
        .column(session::Column::UserId)
        .from(session::Entity)
        .and_where(session::Column::TokenHash.eq(token_hash))
        .and_where(session::Column::RevokedAt.is_null())
        .and_where(session::Column::ExpiresAt.gt(now))
        .to_owned();
    let Some(user) = user::Entity::find()
        .filter(user::Column::Id.in_subquery(live_session))
        .filter(user::Column::Disabled.eq(false))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let grants = grants_of(db, &[user.id]).await?;
    Ok(Some(Actor {
        user: user.id.into(),
        username: user.username,
        superadmin: user.superadmin,
        person: user.person_id.map(Into::into),
        grants: grants.into_iter().map(|(_, g)| g).collect(),
    }))
}

/// Grants a role; a duplicate grant is a conflict.
pub async fn insert_grant(
    txn: &impl ConnectionTrait,
    id: Uuid,
    user: UserId,
    unit: UnitId,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    role_grant::ActiveModel {
        id: Set(id),
        user_id: Set(user.as_uuid()),
        unit_id: Set(unit.as_uuid()),
        role: Set(role.code().to_owned()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Removes a grant; `NotFound` if it does not exist.
pub async fn delete_grant(
    txn: &impl ConnectionTrait,
    user: UserId,
    unit: UnitId,
    role: Role,
) -> Result<(), DbError> {
    let result = role_grant::Entity::delete_many()
        .filter(role_grant::Column::UserId.eq(user.as_uuid()))
        .filter(role_grant::Column::UnitId.eq(unit.as_uuid()))
        .filter(role_grant::Column::Role.eq(role.code()))
        .exec(txn)
        .await?;
    if result.rows_affected == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}

/// A user by ID, if visible: superadmins see all; admins see users holding a grant in their reach,
/// and users with no grant at all (freshly created accounts) only when `reach` is `All`. Only the
/// grants inside `reach` are returned: an admin never learns of roles held in other units.
pub async fn find_user(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: UserId,
) -> Result<UserRecord, DbError> {
    let model = user::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?;
    let mut records = with_grants(db, vec![model], reach).await?;
    let record = records.pop().ok_or(DbError::NotFound)?;
    let visible = matches!(reach, Reach::All) || !record.grants.is_empty();
    if visible {
        Ok(record)
    } else {
        Err(DbError::NotFound)
    }
}

/// Users holding a grant in reach (all users for `Reach::All`), by username.
pub async fn list_users(
    db: &impl ConnectionTrait,
    reach: &Reach,
    page: Page,
) -> Result<Vec<UserRecord>, DbError> {
    let mut select = user::Entity::find();
    if !matches!(reach, Reach::All) {
        let holders = sea_orm::sea_query::Query::select()
            .column(role_grant::Column::UserId)
            .from(role_grant::Entity)
            .and_where(role_grant::Column::UnitId.in_subquery(scope::unit_ids(reach)))
            .to_owned();
        select = select.filter(user::Column::Id.in_subquery(holders));
    }
    let models = select
        .order_by_asc(user::Column::Username)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    with_grants(db, models, reach).await
}

/// Whether any superadmin exists (first-run hint).
pub async fn has_superadmin(db: &impl ConnectionTrait) -> Result<bool, DbError> {
    Ok(user::Entity::find()
        .filter(user::Column::Superadmin.eq(true))
        .one(db)
        .await?
        .is_some())
}

async fn with_grants(
    db: &impl ConnectionTrait,
    models: Vec<user::Model>,
    reach: &Reach,
) -> Result<Vec<UserRecord>, DbError> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let grants = grants_of(db, &ids).await?;
    Ok(models
        .into_iter()
        .map(|m| UserRecord {
            grants: grants
                .iter()
                .filter(|(u, g)| *u == m.id && reach.covers(&g.unit_path))
                .map(|(_, g)| g.clone())
                .collect(),
            id: m.id.into(),
            username: m.username,
            superadmin: m.superadmin,
            person: m.person_id.map(Into::into),
            disabled: m.disabled,
            created_at: m.created_at,
        })
        .collect())
}

async fn grants_of(
    db: &impl ConnectionTrait,
    users: &[Uuid],
) -> Result<Vec<(Uuid, Grant)>, DbError> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, Uuid, String, String)> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::UserId)
        .column(role_grant::Column::UnitId)
        .column(role_grant::Column::Role)
        .column(unit::Column::Path)
        .join(JoinType::InnerJoin, role_grant::Relation::Unit.def())
        .filter(role_grant::Column::UserId.is_in(users.iter().copied()))
        .order_by_asc(role_grant::Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(user, unit, role, path)| {
            let role = Role::parse(&role).ok_or_else(|| DbError::corrupt("role", &role))?;
            Ok((
                user,
                Grant {
                    role,
                    unit: unit.into(),
                    unit_path: path,
                },
            ))
        })
        .collect()
}
