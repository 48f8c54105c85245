//! Code sets: versions with their items, scoped reads, status changes, and seeding of the national
//! sets shipped in `congvu_core`.

use chrono::{DateTime, Utc};
use congvu_core::codeset::{CodeItem, CodeSet, CodeSetContent, Scope, Severity, Status};
use congvu_core::ids::{CodeSetId, UnitId};
use congvu_core::legal::{Confidence, LegalBasis, Validity};
use congvu_core::policy::Reach;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{code_item, code_set};
use crate::{DbError, Page, scope};

/// A stored code set version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSetRecord {
    pub id: CodeSetId,
    pub set: CodeSet,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default)]
pub struct CodeSetFilter {
    pub unit: Option<UnitId>,
    pub national: bool,
    pub status: Option<Status>,
    pub key: Option<String>,
}

fn scope_code(scope: &Scope) -> String {
    match scope {
        Scope::National => "national".to_owned(),
        Scope::Unit(unit) => unit.to_string(),
    }
}

/// National sets, and sets of units in reach.
fn visible(reach: &Reach) -> Condition {
    Condition::any()
        .add(code_set::Column::UnitId.is_null())
        .add(code_set::Column::UnitId.in_subquery(scope::unit_ids(reach)))
}

/// Inserts a version with its items.
pub async fn insert(
    txn: &impl ConnectionTrait,
    id: CodeSetId,
    set: &CodeSet,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let c = &set.content;
    let published_at = (set.status != Status::Draft).then_some(now);
    code_set::ActiveModel {
        id: Set(id.as_uuid()),
        key: Set(c.key.clone()),
        scope: Set(scope_code(&set.scope)),
        unit_id: Set(match set.scope {
            Scope::National => None,
            Scope::Unit(u) => Some(u.as_uuid()),
        }),
        version: Set(i32::try_from(set.version)
            .map_err(|_| DbError::corrupt("version", &set.version.to_string()))?),
        status: Set(set.status.code().to_owned()),
        title_vi: Set(c.title_vi.clone()),
        title_en: Set(c.title_en.clone()),
        normative: Set(c.normative),
        document: Set(c.basis.document.clone()),
        article: Set(c.basis.article.clone()),
        confidence: Set(c.basis.confidence.code().to_owned()),
        valid_from: Set(c.validity.from()),
        valid_to: Set(c.validity.to()),
        content_hash: Set(set.content_hash.clone()),
        created_at: Set(now),
        published_at: Set(published_at),
        retired_at: Set(None),
    }
    .insert(txn)
    .await?;
    insert_items(txn, id, &c.items).await
}

async fn insert_items(
    txn: &impl ConnectionTrait,
    id: CodeSetId,
    items: &[CodeItem],
) -> Result<(), DbError> {
    let models: Vec<code_item::ActiveModel> = items
        .iter()
        .enumerate()
        .map(|(i, item)| code_item::ActiveModel {
            id: Set(Uuid::now_v7()),
            code_set_id: Set(id.as_uuid()),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            code: Set(item.code.clone()),
            group_name: Set(item.group.clone()),
            text_vi: Set(item.text_vi.clone()),
            text_en: Set(item.text_en.clone()),
            document: Set(item.basis.document.clone()),
            article: Set(item.basis.article.clone()),
            confidence: Set(item.basis.confidence.code().to_owned()),
            default_severity: Set(item.default_severity.code().to_owned()),
        })
        .collect();
    if !models.is_empty() {
        code_item::Entity::insert_many(models).exec(txn).await?;
    }
    Ok(())
}

/// Replaces a draft's content (the caller has checked it is a draft).
pub async fn replace_content(
    txn: &impl ConnectionTrait,
    id: CodeSetId,
    content: &CodeSetContent,
) -> Result<(), DbError> {
    let model = code_set::Entity::find_by_id(id.as_uuid())
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    let mut model = model.into_active_model();
    model.title_vi = Set(content.title_vi.clone());
    model.title_en = Set(content.title_en.clone());
    model.normative = Set(content.normative);
    model.document = Set(content.basis.document.clone());
    model.article = Set(content.basis.article.clone());
    model.confidence = Set(content.basis.confidence.code().to_owned());
    model.valid_from = Set(content.validity.from());
    model.valid_to = Set(content.validity.to());
    model.update(txn).await?;
    code_item::Entity::delete_many()
        .filter(code_item::Column::CodeSetId.eq(id.as_uuid()))
        .exec(txn)
        .await?;
    insert_items(txn, id, &content.items).await
}

/// Stores a status change (publish fixes the hash; retire keeps it).
pub async fn set_status(
    txn: &impl ConnectionTrait,
    id: CodeSetId,
    set: &CodeSet,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let model = code_set::Entity::find_by_id(id.as_uuid())
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    let mut model = model.into_active_model();
    model.status = Set(set.status.code().to_owned());
    model.content_hash = Set(set.content_hash.clone());
    match set.status {
        Status::Published => model.published_at = Set(Some(now)),
        Status::Retired => model.retired_at = Set(Some(now)),
        Status::Draft => {}
    }
    model.update(txn).await?;
    Ok(())
}

/// The next version number for a key in a scope.
pub async fn next_version(
    txn: &impl ConnectionTrait,
    key: &str,
    scope: &Scope,
) -> Result<u32, DbError> {
    let max: Option<i32> = code_set::Entity::find()
        .select_only()
        .column_as(code_set::Column::Version.max(), "max")
        .filter(code_set::Column::Key.eq(key))
        .filter(code_set::Column::Scope.eq(scope_code(scope)))
        .into_tuple()
        .one(txn)
        .await?
        .flatten();
    Ok(u32::try_from(max.unwrap_or(0)).unwrap_or(0) + 1)
}

/// A version visible to the caller, with items.
pub async fn find(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: CodeSetId,
) -> Result<CodeSetRecord, DbError> {
    let model = code_set::Entity::find_by_id(id.as_uuid())
        .filter(visible(reach))
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?;
    load(db, vec![model]).await?.pop().ok_or(DbError::NotFound)
}

/// A version visible to the caller, locked for the rest of the transaction (`FOR UPDATE` on
/// PostgreSQL; SQLite's single writer already serialises), so a check and the write it allows see
/// the same state.
pub async fn find_for_update(
    txn: &impl ConnectionTrait,
    reach: &Reach,
    id: CodeSetId,
) -> Result<CodeSetRecord, DbError> {
    let model = code_set::Entity::find_by_id(id.as_uuid())
        .filter(visible(reach))
        .lock(sea_orm::sea_query::LockType::Update)
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    load(txn, vec![model]).await?.pop().ok_or(DbError::NotFound)
}

/// Versions visible to the caller, filtered, newest first within a key.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &CodeSetFilter,
    page: Page,
) -> Result<Vec<CodeSetRecord>, DbError> {
    let mut select = code_set::Entity::find().filter(visible(reach));
    if let Some(unit) = filter.unit {
        select = select.filter(code_set::Column::UnitId.eq(unit.as_uuid()));
    }
    if filter.national {
        select = select.filter(code_set::Column::UnitId.is_null());
    }
    if let Some(status) = filter.status {
        select = select.filter(code_set::Column::Status.eq(status.code()));
    }
    if let Some(key) = &filter.key {
        select = select.filter(code_set::Column::Key.eq(key.as_str()));
    }
    let models = select
        .order_by_asc(code_set::Column::Key)
        .order_by_asc(code_set::Column::Scope)
        .order_by_desc(code_set::Column::Version)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    load(db, models).await
}

/// Every published version that could apply to a unit with this ancestry: national ones and those
/// of the unit and its ancestors.
pub async fn published_for(
    db: &impl ConnectionTrait,
    ancestry: &[UnitId],
) -> Result<Vec<CodeSetRecord>, DbError> {
    let models = code_set::Entity::find()
        .filter(code_set::Column::Status.eq(Status::Published.code()))
        .filter(
            Condition::any()
                .add(code_set::Column::UnitId.is_null())
                .add(code_set::Column::UnitId.is_in(ancestry.iter().map(|u| u.as_uuid()))),
        )
        .order_by_asc(code_set::Column::Key)
        .all(db)
        .await?;
    load(db, models).await
}

/// Inserts each shipped national set that is not stored yet. A stored national version whose
/// content differs from the shipped one is refused: changed national data must ship as a new
/// version. Returns the sets inserted.
pub async fn seed_national(
    txn: &impl ConnectionTrait,
    sets: &[CodeSet],
    now: DateTime<Utc>,
) -> Result<Vec<(CodeSetId, CodeSet)>, DbError> {
    let mut inserted = Vec::new();
    for set in sets {
        let stored = code_set::Entity::find()
            .filter(code_set::Column::Key.eq(set.content.key.as_str()))
            .filter(code_set::Column::Scope.eq("national"))
            .filter(code_set::Column::Version.eq(i32::try_from(set.version).unwrap_or(i32::MAX)))
            .one(txn)
            .await?;
        match stored {
            Some(row) if row.content_hash == set.content_hash => {}
            Some(row) => {
                return Err(DbError::Corrupt(format!(
                    "national code set {} v{} is stored with hash {:?} but ships with {:?}; ship changed data as a new version",
                    row.key, row.version, row.content_hash, set.content_hash
                )));
            }
            None => {
                let id = CodeSetId::from_uuid(Uuid::now_v7());
                insert(txn, id, set, now).await?;
                inserted.push((id, set.clone()));
            }
        }
    }
    Ok(inserted)
}

async fn load(
    db: &impl ConnectionTrait,
    models: Vec<code_set::Model>,
) -> Result<Vec<CodeSetRecord>, DbError> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let items = if ids.is_empty() {
        Vec::new()
    } else {
        code_item::Entity::find()
            .filter(code_item::Column::CodeSetId.is_in(ids))
            .order_by_asc(code_item::Column::CodeSetId)
            .order_by_asc(code_item::Column::Position)
            .all(db)
            .await?
    };
    models
        .into_iter()
        .map(|m| {
            let own: Vec<&code_item::Model> =
                items.iter().filter(|i| i.code_set_id == m.id).collect();
            to_record(m, &own)
        })
        .collect()
}

fn confidence(code: &str) -> Result<Confidence, DbError> {
    Confidence::parse(code).ok_or_else(|| DbError::corrupt("confidence", code))
}

fn to_record(m: code_set::Model, items: &[&code_item::Model]) -> Result<CodeSetRecord, DbError> {
    let items = items
        .iter()
        .map(|i| {
            Ok(CodeItem {
                code: i.code.clone(),
                group: i.group_name.clone(),
                text_vi: i.text_vi.clone(),
                text_en: i.text_en.clone(),
                basis: LegalBasis {
                    document: i.document.clone(),
                    article: i.article.clone(),
                    confidence: confidence(&i.confidence)?,
                },
                default_severity: Severity::parse(&i.default_severity)
                    .ok_or_else(|| DbError::corrupt("severity", &i.default_severity))?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let content = CodeSetContent {
        key: m.key.clone(),
        title_vi: m.title_vi,
        title_en: m.title_en,
        normative: m.normative,
        basis: LegalBasis {
            document: m.document,
            article: m.article,
            confidence: confidence(&m.confidence)?,
        },
        validity: Validity::new(m.valid_from, m.valid_to)
            .map_err(|_| DbError::corrupt("code set validity", &m.key))?,
        items,
    };
    let scope = match m.unit_id {
        None => Scope::National,
        Some(u) => Scope::Unit(u.into()),
    };
    let status =
        Status::parse(&m.status).ok_or_else(|| DbError::corrupt("code set status", &m.status))?;
    let record = CodeSetRecord {
        id: m.id.into(),
        set: CodeSet {
            scope,
            version: u32::try_from(m.version)
                .map_err(|_| DbError::corrupt("version", &m.version.to_string()))?,
            status,
            content,
            content_hash: m.content_hash,
        },
        created_at: m.created_at,
        published_at: m.published_at,
        retired_at: m.retired_at,
    };
    // A published or retired version must still match the hash fixed when it was published: an
    // edited row is reported, never served as law.
    if record.set.status != Status::Draft && !record.set.hash_matches() {
        return Err(DbError::Corrupt(format!(
            "code set {} v{} no longer matches its content hash",
            record.set.content.key, record.set.version
        )));
    }
    Ok(record)
}
