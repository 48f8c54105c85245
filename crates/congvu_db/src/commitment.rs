//! Yearly commitments in storage: template versions (items kept as a versioned document private
//! to this crate, `stored_items`), campaigns, the append-only signing events with paper scans, the employment slices
//! a campaign's audience is computed from, and the digests sent to unit heads.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::commitment::TemplateContent;
use congvu_core::ids::{PersonId, UnitId};
use congvu_core::policy::{Reach, path_units};
use sea_orm::sea_query::{Expr, ExprTrait, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::{
    commitment_campaign, commitment_digest, commitment_event, commitment_scan, commitment_template,
    employment, person, unit,
};
use crate::{DbError, Page, scope};

mod events;
mod stored_items;

pub use events::*;
use stored_items::{items_from, items_json};

/// Whether a template version can still change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateState {
    Draft,
    /// Immutable, with its content hash.
    Published,
}

impl TemplateState {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        match code {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            _ => None,
        }
    }
}

/// A stored template version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRecord {
    pub id: Uuid,
    pub unit: UnitId,
    /// The first version's id, shared by every revision.
    pub family: Uuid,
    pub version: i32,
    pub state: TemplateState,
    pub content: TemplateContent,
    pub content_hash: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

fn template_record(m: commitment_template::Model) -> Result<TemplateRecord, DbError> {
    Ok(TemplateRecord {
        id: m.id,
        unit: UnitId::from_uuid(m.unit_id),
        family: m.family_id,
        version: m.version,
        state: TemplateState::parse(&m.state)
            .ok_or_else(|| DbError::corrupt("template state", &m.state))?,
        content: TemplateContent {
            year: m.year,
            title: m.title,
            items: items_from(&m.items)?,
        },
        content_hash: m.content_hash,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        published_at: m.published_at,
    })
}

/// The units above those in reach (on the reach's paths).
fn above(prefixes: &[String]) -> Vec<Uuid> {
    prefixes
        .iter()
        .flat_map(|p| path_units(p))
        .map(|u| u.as_uuid())
        .collect()
}

/// The units whose campaigns an actor sees: those in reach, and the units above them (a commune
/// sees the part of the province's campaign that is its own).
fn seen(reach: &Reach, column: impl ColumnTrait) -> Condition {
    match reach {
        Reach::All => Condition::all(),
        Reach::Subtrees(prefixes) => Condition::any()
            .add(column.in_subquery(scope::unit_ids(reach)))
            .add(column.is_in(above(prefixes))),
    }
}

/// Templates an actor sees: every version of the units in reach, and the published versions of
/// the units above them (never their drafts).
fn templates_seen(reach: &Reach) -> Condition {
    match reach {
        Reach::All => Condition::all(),
        Reach::Subtrees(prefixes) => Condition::any()
            .add(commitment_template::Column::UnitId.in_subquery(scope::unit_ids(reach)))
            .add(
                Condition::all()
                    .add(commitment_template::Column::UnitId.is_in(above(prefixes)))
                    .add(commitment_template::Column::State.eq(TemplateState::Published.code())),
            ),
    }
}

/// A new template version.
#[derive(Debug, Clone)]
pub struct NewTemplate<'a> {
    pub id: Uuid,
    pub unit: UnitId,
    pub family: Uuid,
    pub version: i32,
    pub content: &'a TemplateContent,
    pub created_by: Uuid,
}

/// Inserts a draft version.
pub async fn insert_template(
    txn: &impl ConnectionTrait,
    new: &NewTemplate<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    commitment_template::ActiveModel {
        id: Set(new.id),
        unit_id: Set(new.unit.as_uuid()),
        family_id: Set(new.family),
        version: Set(new.version),
        year: Set(new.content.year),
        title: Set(new.content.title.clone()),
        items: Set(items_json(&new.content.items)?),
        state: Set(TemplateState::Draft.code().to_owned()),
        content_hash: Set(None),
        created_by: Set(new.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Replaces a draft's content (the caller has checked it is a draft, under lock).
pub async fn update_template(
    txn: &impl ConnectionTrait,
    id: Uuid,
    content: &TemplateContent,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    commitment_template::ActiveModel {
        id: Set(id),
        year: Set(content.year),
        title: Set(content.title.clone()),
        items: Set(items_json(&content.items)?),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}

/// Publishes a draft with its content hash; only a draft changes (a second publish finds none).
pub async fn publish_template(
    txn: &impl ConnectionTrait,
    id: Uuid,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let done = commitment_template::Entity::update_many()
        .col_expr(
            commitment_template::Column::State,
            Expr::value(TemplateState::Published.code()),
        )
        .col_expr(commitment_template::Column::ContentHash, Expr::value(hash))
        .col_expr(commitment_template::Column::PublishedAt, Expr::value(now))
        .col_expr(commitment_template::Column::UpdatedAt, Expr::value(now))
        .filter(commitment_template::Column::Id.eq(id))
        .filter(commitment_template::Column::State.eq(TemplateState::Draft.code()))
        .exec(txn)
        .await?;
    if done.rows_affected == 1 {
        Ok(())
    } else {
        Err(DbError::NotFound)
    }
}

/// A template version the actor sees (`lock`: for the rest of the transaction).
pub async fn find_template(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
    lock: bool,
) -> Result<TemplateRecord, DbError> {
    let mut select = commitment_template::Entity::find_by_id(id).filter(templates_seen(reach));
    if lock {
        select = select.lock(LockType::Update);
    }
    template_record(select.one(db).await?.ok_or(DbError::NotFound)?)
}

/// The highest version of a template family.
pub async fn last_version(db: &impl ConnectionTrait, family: Uuid) -> Result<i32, DbError> {
    let row = commitment_template::Entity::find()
        .filter(commitment_template::Column::FamilyId.eq(family))
        .order_by_desc(commitment_template::Column::Version)
        .one(db)
        .await?;
    Ok(row.map_or(0, |m| m.version))
}

/// Template versions the actor sees, newest year and version first.
pub async fn list_templates(
    db: &impl ConnectionTrait,
    reach: &Reach,
    unit: Option<UnitId>,
    year: Option<i32>,
    page: Page,
) -> Result<Vec<TemplateRecord>, DbError> {
    let mut select = commitment_template::Entity::find().filter(templates_seen(reach));
    if let Some(unit) = unit {
        select = select.filter(commitment_template::Column::UnitId.eq(unit.as_uuid()));
    }
    if let Some(year) = year {
        select = select.filter(commitment_template::Column::Year.eq(year));
    }
    select
        .order_by_desc(commitment_template::Column::Year)
        .order_by_desc(commitment_template::Column::CreatedAt)
        .order_by_desc(commitment_template::Column::Version)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?
        .into_iter()
        .map(template_record)
        .collect()
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRecord {
    pub id: Uuid,
    pub unit: UnitId,
    pub year: i32,
    /// The template version everyone is asked to sign now.
    pub template: Uuid,
    pub launched_on: NaiveDate,
    pub due_on: NaiveDate,
    /// Days a person joining after the launch has to sign.
    pub joiner_days: i32,
    pub launched_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<commitment_campaign::Model> for CampaignRecord {
    fn from(m: commitment_campaign::Model) -> Self {
        Self {
            id: m.id,
            unit: UnitId::from_uuid(m.unit_id),
            year: m.year,
            template: m.template_id,
            launched_on: m.launched_on,
            due_on: m.due_on,
            joiner_days: m.joiner_days,
            launched_by: m.launched_by,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Inserts a campaign; a second one for the same unit and year is a conflict.
pub async fn insert_campaign(
    txn: &impl ConnectionTrait,
    c: &CampaignRecord,
) -> Result<(), DbError> {
    commitment_campaign::ActiveModel {
        id: Set(c.id),
        unit_id: Set(c.unit.as_uuid()),
        year: Set(c.year),
        template_id: Set(c.template),
        launched_on: Set(c.launched_on),
        due_on: Set(c.due_on),
        joiner_days: Set(c.joiner_days),
        launched_by: Set(c.launched_by),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// A campaign the actor sees: of a unit in reach or above it (`lock`: for the rest of the
/// transaction, which serialises the signing events of one campaign).
pub async fn find_campaign(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
    lock: bool,
) -> Result<CampaignRecord, DbError> {
    let mut select = commitment_campaign::Entity::find_by_id(id)
        .filter(seen(reach, commitment_campaign::Column::UnitId));
    if lock {
        select = select.lock(LockType::Update);
    }
    Ok(select.one(db).await?.ok_or(DbError::NotFound)?.into())
}

/// Campaigns the actor sees, of the given units if any, by year.
pub async fn list_campaigns(
    db: &impl ConnectionTrait,
    reach: &Reach,
    units: Option<&[UnitId]>,
    year: Option<i32>,
    page: Page,
) -> Result<Vec<CampaignRecord>, DbError> {
    let mut select = commitment_campaign::Entity::find()
        .filter(seen(reach, commitment_campaign::Column::UnitId));
    if let Some(units) = units {
        select = select
            .filter(commitment_campaign::Column::UnitId.is_in(units.iter().map(|u| u.as_uuid())));
    }
    if let Some(year) = year {
        select = select.filter(commitment_campaign::Column::Year.eq(year));
    }
    Ok(select
        .order_by_desc(commitment_campaign::Column::Year)
        .order_by_asc(commitment_campaign::Column::CreatedAt)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Moves a campaign to another template version.
pub async fn set_template(
    txn: &impl ConnectionTrait,
    id: Uuid,
    template: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    commitment_campaign::ActiveModel {
        id: Set(id),
        template_id: Set(template),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}

/// One employment slice in a campaign's subtree, with the person's name.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct SliceRow {
    pub person_id: Uuid,
    pub staff_code: String,
    pub full_name: String,
    pub unit_id: Uuid,
    pub unit_path: String,
    pub is_leader: bool,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// Whose slices and events a read needs.
#[derive(Debug, Clone, Copy)]
pub enum Among<'a> {
    Everyone,
    /// These people only.
    Persons(&'a [PersonId]),
    /// People with a slice (running on or after the launch) in a unit under this path: a read
    /// focused on part of the tree still sees each such person's whole history in the campaign.
    WorkedUnder(&'a str),
}

/// The people with a slice under `path` running on or after `launch`, as a sub-query.
fn worked_under(path: &str, launch: NaiveDate) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column((employment::Entity, employment::Column::PersonId))
        .from(employment::Entity)
        .inner_join(
            unit::Entity,
            Expr::col((unit::Entity, unit::Column::Id))
                .equals((employment::Entity, employment::Column::UnitId)),
        )
        .and_where(Expr::col((unit::Entity, unit::Column::Path)).like(format!("{path}%")))
        .and_where(
            Expr::col((employment::Entity, employment::Column::ValidTo))
                .is_null()
                .or(Expr::col((employment::Entity, employment::Column::ValidTo)).gte(launch)),
        )
        .to_owned()
}

/// Employment slices joined with their unit and person: the base of the audience and head reads.
fn slices_with_units_and_people() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .from(employment::Entity)
        .inner_join(
            unit::Entity,
            Expr::col((unit::Entity, unit::Column::Id))
                .equals((employment::Entity, employment::Column::UnitId)),
        )
        .inner_join(
            person::Entity,
            Expr::col((person::Entity, person::Column::Id))
                .equals((employment::Entity, employment::Column::PersonId)),
        )
        .to_owned()
}

/// Every employment slice in the units under `subtree` (a unit path) that runs on or after
/// `launch`, ordered by person: what the audience of a campaign is computed from (of `among`).
pub async fn slices(
    db: &impl ConnectionTrait,
    subtree: &str,
    launch: NaiveDate,
    among: Among<'_>,
) -> Result<Vec<SliceRow>, DbError> {
    let mut stmt = slices_with_units_and_people()
        .column((employment::Entity, employment::Column::PersonId))
        .column((person::Entity, person::Column::StaffCode))
        .column((person::Entity, person::Column::FullName))
        .column((employment::Entity, employment::Column::UnitId))
        .expr_as(Expr::col((unit::Entity, unit::Column::Path)), "unit_path")
        .column((employment::Entity, employment::Column::IsLeader))
        .column((employment::Entity, employment::Column::ValidFrom))
        .column((employment::Entity, employment::Column::ValidTo))
        .and_where(Expr::col((unit::Entity, unit::Column::Path)).like(format!("{subtree}%")))
        .and_where(
            Expr::col((employment::Entity, employment::Column::ValidTo))
                .is_null()
                .or(Expr::col((employment::Entity, employment::Column::ValidTo)).gte(launch)),
        )
        .order_by(
            (employment::Entity, employment::Column::PersonId),
            sea_orm::Order::Asc,
        )
        .order_by(
            (employment::Entity, employment::Column::ValidFrom),
            sea_orm::Order::Asc,
        )
        .to_owned();
    let person = Expr::col((employment::Entity, employment::Column::PersonId));
    match among {
        Among::Everyone => {}
        Among::Persons(persons) => {
            stmt.and_where(person.is_in(persons.iter().map(|p| p.as_uuid())));
        }
        Among::WorkedUnder(path) => {
            stmt.and_where(person.in_subquery(worked_under(path, launch)));
        }
    }
    let backend = db.get_database_backend();
    Ok(SliceRow::find_by_statement(backend.build(&stmt))
        .all(db)
        .await?)
}

/// Records the digest queued for a unit's head.
pub async fn insert_digest(
    txn: &impl ConnectionTrait,
    campaign: Uuid,
    unit: UnitId,
    on: NaiveDate,
    outbox: Uuid,
    outstanding: u64,
) -> Result<(), DbError> {
    commitment_digest::ActiveModel {
        campaign_id: Set(campaign),
        unit_id: Set(unit.as_uuid()),
        on_date: Set(on),
        outbox_id: Set(outbox),
        outstanding: Set(i32::try_from(outstanding).unwrap_or(i32::MAX)),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Every unit a person has worked in and every unit above those: the units whose campaigns may
/// concern them.
pub async fn units_above(
    db: &impl ConnectionTrait,
    person: PersonId,
) -> Result<Vec<UnitId>, DbError> {
    let paths: Vec<String> = unit::Entity::find()
        .select_only()
        .column(unit::Column::Path)
        .filter(
            unit::Column::Id.in_subquery(
                Query::select()
                    .column(employment::Column::UnitId)
                    .from(employment::Entity)
                    .and_where(employment::Column::PersonId.eq(person.as_uuid()))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    let mut units: Vec<UnitId> = paths.iter().flat_map(|p| path_units(p)).collect();
    units.sort_by_key(|u| u.as_uuid());
    units.dedup();
    Ok(units)
}

/// Whose event of a campaign this is, if it is one.
pub async fn event_person(
    db: &impl ConnectionTrait,
    campaign: Uuid,
    event: Uuid,
) -> Result<Option<PersonId>, DbError> {
    Ok(commitment_event::Entity::find_by_id(event)
        .filter(commitment_event::Column::CampaignId.eq(campaign))
        .one(db)
        .await?
        .map(|m| PersonId::from_uuid(m.person_id)))
}

/// A campaign of the same year at the unit, a unit above it or a unit below it: two campaigns
/// would ask the same people twice.
pub async fn overlapping(
    db: &impl ConnectionTrait,
    unit_path: &str,
    year: i32,
) -> Result<Option<CampaignRecord>, DbError> {
    let above: Vec<Uuid> = path_units(unit_path).iter().map(|u| u.as_uuid()).collect();
    Ok(commitment_campaign::Entity::find()
        .filter(commitment_campaign::Column::Year.eq(year))
        .filter(
            Condition::any()
                .add(commitment_campaign::Column::UnitId.is_in(above))
                .add(
                    commitment_campaign::Column::UnitId.in_subquery(scope::subtree_ids(unit_path)),
                ),
        )
        .one(db)
        .await?
        .map(Into::into))
}

/// Locks the root unit of the tree `unit_path` belongs to, for the rest of the transaction
/// (`FOR UPDATE` on PostgreSQL; SQLite's single writer already serialises): launches within one
/// tree then run one at a time, so two overlapping campaigns cannot both pass [`overlapping`].
pub async fn lock_tree(txn: &impl ConnectionTrait, unit_path: &str) -> Result<(), DbError> {
    let Some(root) = path_units(unit_path).first().copied() else {
        return Err(DbError::NotFound);
    };
    // NO KEY UPDATE: serialises launches without blocking inserts that refer to the root unit.
    unit::Entity::find_by_id(root.as_uuid())
        .lock(LockType::NoKeyUpdate)
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    Ok(())
}

/// The leader on `on` of every unit under `subtree` and of `also` (the unit above the campaign's),
/// with their e-mail address: one query for a whole digest (the latest leader slice per unit).
pub async fn heads_under(
    db: &impl ConnectionTrait,
    subtree: &str,
    also: Option<UnitId>,
    on: NaiveDate,
) -> Result<std::collections::HashMap<UnitId, (PersonId, Option<String>)>, DbError> {
    #[derive(FromQueryResult)]
    struct Row {
        unit_id: Uuid,
        person_id: Uuid,
        email: Option<String>,
    }
    let mut place = Condition::any()
        .add(Expr::col((unit::Entity, unit::Column::Path)).like(format!("{subtree}%")));
    if let Some(above) = also {
        place = place.add(Expr::col((unit::Entity, unit::Column::Id)).eq(above.as_uuid()));
    }
    let stmt = slices_with_units_and_people()
        .column((employment::Entity, employment::Column::UnitId))
        .column((employment::Entity, employment::Column::PersonId))
        .column((person::Entity, person::Column::Email))
        .cond_where(place)
        .and_where(Expr::col((employment::Entity, employment::Column::IsLeader)).eq(true))
        .and_where(Expr::col((employment::Entity, employment::Column::ValidFrom)).lte(on))
        .and_where(
            Expr::col((employment::Entity, employment::Column::ValidTo))
                .is_null()
                .or(Expr::col((employment::Entity, employment::Column::ValidTo)).gte(on)),
        )
        .order_by(
            (employment::Entity, employment::Column::ValidFrom),
            sea_orm::Order::Asc,
        )
        .to_owned();
    let rows = Row::find_by_statement(db.get_database_backend().build(&stmt))
        .all(db)
        .await?;
    // Later slices overwrite earlier ones: the latest leader of each unit wins.
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                UnitId::from_uuid(r.unit_id),
                (PersonId::from_uuid(r.person_id), r.email),
            )
        })
        .collect())
}

/// The units whose heads already got this campaign's digest on `on`.
pub async fn digests_sent(
    db: &impl ConnectionTrait,
    campaign: Uuid,
    on: NaiveDate,
) -> Result<std::collections::HashSet<UnitId>, DbError> {
    Ok(commitment_digest::Entity::find()
        .filter(commitment_digest::Column::CampaignId.eq(campaign))
        .filter(commitment_digest::Column::OnDate.eq(on))
        .all(db)
        .await?
        .into_iter()
        .map(|m| UnitId::from_uuid(m.unit_id))
        .collect())
}
