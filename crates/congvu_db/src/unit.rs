//! Units: insert, scoped reads, the tree below a unit, successor links.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::ids::UnitId;
use congvu_core::legal::Validity;
use congvu_core::policy::{self, Reach};
use congvu_core::text;
use congvu_core::unit::{NewUnit, UnitKind};
use sea_orm::sea_query::{ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{unit, unit_successor};
use crate::{DbError, Page, scope};

/// A stored unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRecord {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub path: String,
    pub validity: Validity,
    pub created_at: DateTime<Utc>,
}

/// A successor link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuccessorRecord {
    pub predecessor: UnitId,
    pub successor: UnitId,
    pub effective_on: NaiveDate,
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub parent: Option<UnitId>,
    pub kind: Option<UnitKind>,
    pub query: Option<String>,
    pub valid_on: Option<NaiveDate>,
}

/// Inserts a unit whose parent (if any) has `parent_path`.
pub async fn insert(
    txn: &impl ConnectionTrait,
    id: UnitId,
    new: &NewUnit,
    parent_path: Option<&str>,
    now: DateTime<Utc>,
) -> Result<UnitRecord, DbError> {
    let path = policy::unit_path(parent_path, id);
    let model = unit::ActiveModel {
        id: Set(id.as_uuid()),
        code: Set(new.code.clone()),
        name: Set(new.name.clone()),
        name_folded: Set(text::fold(&new.name)),
        kind: Set(new.kind.code().to_owned()),
        parent_id: Set(new.parent.map(|p| p.as_uuid())),
        path: Set(path),
        valid_from: Set(new.validity.from()),
        valid_to: Set(new.validity.to()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    to_record(model)
}

/// A unit in reach, or `NotFound`.
pub async fn find(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: UnitId,
) -> Result<UnitRecord, DbError> {
    let model = unit::Entity::find_by_id(id.as_uuid())
        .filter(scope::units(reach))
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?;
    to_record(model)
}

/// A unit by code, in reach.
pub async fn find_by_code(
    db: &impl ConnectionTrait,
    reach: &Reach,
    code: &str,
) -> Result<UnitRecord, DbError> {
    let model = unit::Entity::find()
        .filter(unit::Column::Code.eq(code))
        .filter(scope::units(reach))
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?;
    to_record(model)
}

/// Units in reach, filtered, ordered by code.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &UnitFilter,
    page: Page,
) -> Result<Vec<UnitRecord>, DbError> {
    let mut select = unit::Entity::find().filter(scope::units(reach));
    if let Some(parent) = filter.parent {
        select = select.filter(unit::Column::ParentId.eq(parent.as_uuid()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(unit::Column::Kind.eq(kind.code()));
    }
    if let Some(q) = filter
        .query
        .as_deref()
        .map(text::fold)
        .filter(|q| !q.is_empty())
    {
        select = select.filter(unit::Column::NameFolded.like(contains(&q)));
    }
    if let Some(on) = filter.valid_on {
        select = select.filter(unit::Column::ValidFrom.lte(on)).filter(
            unit::Column::ValidTo
                .is_null()
                .or(unit::Column::ValidTo.gte(on)),
        );
    }
    let rows = select
        .order_by_asc(unit::Column::Code)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    rows.into_iter().map(to_record).collect()
}

/// The unit and every unit below it that is in reach, ordered by path (parents before children).
pub async fn subtree(
    db: &impl ConnectionTrait,
    reach: &Reach,
    root: &UnitRecord,
) -> Result<Vec<UnitRecord>, DbError> {
    let rows = unit::Entity::find()
        .filter(unit::Column::Path.like(format!("{}%", root.path)))
        .filter(scope::units(reach))
        .order_by_asc(unit::Column::Path)
        .all(db)
        .await?;
    rows.into_iter().map(to_record).collect()
}

/// Records that `successor` takes over from `predecessor` on `effective_on`.
pub async fn insert_successor(
    txn: &impl ConnectionTrait,
    link: &SuccessorRecord,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    unit_successor::ActiveModel {
        id: Set(Uuid::now_v7()),
        predecessor_id: Set(link.predecessor.as_uuid()),
        successor_id: Set(link.successor.as_uuid()),
        effective_on: Set(link.effective_on),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Links where the unit is predecessor or successor.
/// Only links whose both ends are in reach are returned: a link to a unit outside it would name it.
pub async fn successor_links(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: UnitId,
) -> Result<Vec<SuccessorRecord>, DbError> {
    let rows = unit_successor::Entity::find()
        .filter(
            unit_successor::Column::PredecessorId
                .eq(id.as_uuid())
                .or(unit_successor::Column::SuccessorId.eq(id.as_uuid())),
        )
        .filter(unit_successor::Column::PredecessorId.in_subquery(scope::unit_ids(reach)))
        .filter(unit_successor::Column::SuccessorId.in_subquery(scope::unit_ids(reach)))
        .order_by_asc(unit_successor::Column::EffectiveOn)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| SuccessorRecord {
            predecessor: r.predecessor_id.into(),
            successor: r.successor_id.into(),
            effective_on: r.effective_on,
        })
        .collect())
}

/// A LIKE pattern matching `text` anywhere, with `%`, `_` and `\` in `text` matched literally
/// (escaped with `\`, which both backends honour through the `ESCAPE` clause).
pub(crate) fn contains(text: &str) -> LikeExpr {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    LikeExpr::new(pattern).escape('\\')
}

pub(crate) fn to_record(m: unit::Model) -> Result<UnitRecord, DbError> {
    let kind = UnitKind::parse(&m.kind).ok_or_else(|| DbError::corrupt("unit kind", &m.kind))?;
    let validity = Validity::new(m.valid_from, m.valid_to)
        .map_err(|_| DbError::corrupt("unit validity", &m.code))?;
    Ok(UnitRecord {
        id: m.id.into(),
        code: m.code,
        name: m.name,
        kind,
        parent: m.parent_id.map(Into::into),
        path: m.path,
        validity,
        created_at: m.created_at,
    })
}

/// Unit IDs by code, unscoped (import resolves codes for the operator).
pub async fn find_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<std::collections::HashMap<String, UnitId>, DbError> {
    let rows: Vec<(String, Uuid)> = unit::Entity::find()
        .select_only()
        .column(unit::Column::Code)
        .column(unit::Column::Id)
        .filter(unit::Column::Code.is_in(codes.iter().cloned()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(code, id)| (code, UnitId::from_uuid(id)))
        .collect())
}

/// The names of these units, unscoped: a unit's name is public (the bodies of the state), and a
/// message that names a unit outside the reader's reach tells no more than its name.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: &[UnitId],
) -> Result<std::collections::HashMap<UnitId, String>, DbError> {
    let rows: Vec<(Uuid, String)> = unit::Entity::find()
        .select_only()
        .column(unit::Column::Id)
        .column(unit::Column::Name)
        .filter(unit::Column::Id.is_in(ids.iter().map(|u| u.as_uuid())))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (UnitId::from_uuid(id), name))
        .collect())
}

/// Which of these units are in reach.
pub async fn in_reach(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[UnitId],
) -> Result<std::collections::HashSet<UnitId>, DbError> {
    if matches!(reach, Reach::All) {
        return Ok(ids.iter().copied().collect());
    }
    let rows: Vec<Uuid> = unit::Entity::find()
        .select_only()
        .column(unit::Column::Id)
        .filter(unit::Column::Id.is_in(ids.iter().map(|u| u.as_uuid())))
        .filter(scope::units(reach))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(UnitId::from_uuid).collect())
}

/// Ends a unit on `valid_to`.
pub async fn close(
    txn: &impl ConnectionTrait,
    id: UnitId,
    valid_to: NaiveDate,
) -> Result<(), DbError> {
    unit::Entity::update_many()
        .col_expr(
            unit::Column::ValidTo,
            sea_orm::sea_query::Expr::value(valid_to),
        )
        .filter(unit::Column::Id.eq(id.as_uuid()))
        .exec(txn)
        .await?;
    Ok(())
}

/// Sub-units (at any depth) still valid after `date`.
pub async fn open_descendants_after(
    db: &impl ConnectionTrait,
    path: &str,
    date: NaiveDate,
) -> Result<u64, DbError> {
    use sea_orm::PaginatorTrait;
    Ok(unit::Entity::find()
        .filter(unit::Column::Path.like(format!("{path}%")))
        .filter(unit::Column::Path.ne(path))
        .filter(
            unit::Column::ValidTo
                .is_null()
                .or(unit::Column::ValidTo.gt(date)),
        )
        .count(db)
        .await?)
}

/// The units directly below `parent` (no reach check: the caller found the parent in scope).
pub async fn children(
    db: &impl ConnectionTrait,
    parent: UnitId,
) -> Result<Vec<UnitRecord>, DbError> {
    let rows = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(parent.as_uuid()))
        .order_by_asc(unit::Column::Path)
        .all(db)
        .await?;
    rows.into_iter().map(to_record).collect()
}
