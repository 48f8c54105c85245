//! Violations: insert, scoped reads by the unit the person worked in when the act started,
//! state transitions with reasons, notes filtered by visibility.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::discipline::Consequence;
use congvu_core::ids::{CodeSetId, PersonId, UnitId, UserId};
use congvu_core::policy::Reach;
use congvu_core::violation::{NewViolation, Source, State, Visibility};
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{violation, violation_note, violation_transition};
use crate::{DbError, Page, scope};

/// A stored violation with its transitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationRecord {
    pub id: Uuid,
    pub person: PersonId,
    pub unit: UnitId,
    pub code_set: CodeSetId,
    pub item_code: String,
    pub source: Source,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub discovered_on: NaiveDate,
    pub place: Option<String>,
    pub consequence: Consequence,
    pub description: String,
    pub state: State,
    pub transitions: Vec<TransitionRecord>,
    /// The commitment item the act breaks.
    pub commitment: Option<Citation>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One state change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRecord {
    pub from: State,
    pub to: State,
    pub reason: String,
    pub actor: UserId,
    pub at: DateTime<Utc>,
}

/// One note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    pub id: Uuid,
    pub visibility: Visibility,
    pub body: String,
    pub author: UserId,
    pub at: DateTime<Utc>,
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default)]
pub struct ViolationFilter {
    /// The path of a unit: violations in it or below it.
    pub unit_path: Option<String>,
    pub person: Option<PersonId>,
    pub state: Option<State>,
    /// Acts started on or after this day.
    pub from: Option<NaiveDate>,
    /// Acts started on or before this day.
    pub to: Option<NaiveDate>,
}

/// Where a new violation belongs.
#[derive(Debug, Clone)]
pub struct Placement {
    pub person: PersonId,
    pub unit: UnitId,
    pub code_set: CodeSetId,
    /// The commitment item the act breaks, if the violation cites one.
    pub commitment: Option<Citation>,
}

/// A violation's citation of the item of a yearly commitment the person signed, pinned to the
/// template version signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub campaign: Uuid,
    pub item_code: String,
    /// Set by the service when it checks the citation.
    pub template: Option<Uuid>,
}

/// Inserts a violation in state `reported`.
pub async fn insert(
    txn: &impl ConnectionTrait,
    id: Uuid,
    at: Placement,
    new: &NewViolation,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    violation::ActiveModel {
        id: Set(id),
        person_id: Set(at.person.as_uuid()),
        unit_id: Set(at.unit.as_uuid()),
        code_set_id: Set(at.code_set.as_uuid()),
        item_code: Set(new.item_code.clone()),
        source: Set(new.source.code().to_owned()),
        started_on: Set(new.started_on),
        ended_on: Set(new.ended_on),
        discovered_on: Set(new.discovered_on),
        place: Set(new.place.clone()),
        consequence: Set(new.consequence.code().to_owned()),
        description: Set(new.description.clone()),
        state: Set(State::Reported.code().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        commitment_campaign_id: Set(at.commitment.as_ref().map(|c| c.campaign)),
        commitment_template_id: Set(at.commitment.as_ref().and_then(|c| c.template)),
        commitment_item_code: Set(at.commitment.map(|c| c.item_code)),
    }
    .insert(txn)
    .await?;
    Ok(())
}

fn in_reach(reach: &Reach) -> Condition {
    Condition::all().add(violation::Column::UnitId.in_subquery(scope::unit_ids(reach)))
}

/// A violation in reach, with its transitions.
pub async fn find(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
) -> Result<ViolationRecord, DbError> {
    let model = violation::Entity::find_by_id(id)
        .filter(in_reach(reach))
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?;
    load(db, vec![model]).await?.pop().ok_or(DbError::NotFound)
}

/// A violation in reach, locked for the rest of the transaction.
pub async fn find_for_update(
    txn: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
) -> Result<ViolationRecord, DbError> {
    let model = violation::Entity::find_by_id(id)
        .filter(in_reach(reach))
        .lock(LockType::Update)
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    load(txn, vec![model]).await?.pop().ok_or(DbError::NotFound)
}

/// Violations in reach, newest act first.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &ViolationFilter,
    page: Page,
) -> Result<Vec<ViolationRecord>, DbError> {
    let mut select = violation::Entity::find().filter(in_reach(reach));
    if let Some(path) = &filter.unit_path {
        select = select.filter(violation::Column::UnitId.in_subquery(scope::subtree_ids(path)));
    }
    if let Some(person) = filter.person {
        select = select.filter(violation::Column::PersonId.eq(person.as_uuid()));
    }
    if let Some(state) = filter.state {
        select = select.filter(violation::Column::State.eq(state.code()));
    }
    if let Some(from) = filter.from {
        select = select.filter(violation::Column::StartedOn.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(violation::Column::StartedOn.lte(to));
    }
    let models = select
        .order_by_desc(violation::Column::StartedOn)
        .order_by_desc(violation::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    load(db, models).await
}

/// Every violation of a person, oldest act first (the caller has checked the person is in reach;
/// the clocks and the repeat rule read them all).
pub async fn of_person(
    db: &impl ConnectionTrait,
    person: PersonId,
) -> Result<Vec<ViolationRecord>, DbError> {
    let models = violation::Entity::find()
        .filter(violation::Column::PersonId.eq(person.as_uuid()))
        .order_by_asc(violation::Column::StartedOn)
        .order_by_asc(violation::Column::Id)
        .all(db)
        .await?;
    load(db, models).await
}

/// Records a transition and the new state.
pub async fn transition(
    txn: &impl ConnectionTrait,
    id: Uuid,
    from: State,
    to: State,
    reason: &str,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    violation::Entity::update_many()
        .col_expr(violation::Column::State, Expr::value(to.code()))
        .col_expr(violation::Column::UpdatedAt, Expr::value(now))
        .filter(violation::Column::Id.eq(id))
        .exec(txn)
        .await?;
    violation_transition::ActiveModel {
        id: Set(Uuid::now_v7()),
        violation_id: Set(id),
        from_state: Set(from.code().to_owned()),
        to_state: Set(to.code().to_owned()),
        reason: Set(reason.to_owned()),
        actor_id: Set(actor.as_uuid()),
        at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Adds a note.
pub async fn insert_note(
    txn: &impl ConnectionTrait,
    violation: Uuid,
    visibility: Visibility,
    body: &str,
    author: UserId,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    violation_note::ActiveModel {
        id: Set(id),
        violation_id: Set(violation),
        visibility: Set(visibility.code().to_owned()),
        body: Set(body.to_owned()),
        author_id: Set(author.as_uuid()),
        at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(id)
}

/// The notes `viewer` may read: internal ones, and their own personal ones.
pub async fn notes(
    db: &impl ConnectionTrait,
    violation: Uuid,
    viewer: UserId,
) -> Result<Vec<NoteRecord>, DbError> {
    let rows = violation_note::Entity::find()
        .filter(violation_note::Column::ViolationId.eq(violation))
        .filter(
            Condition::any()
                .add(violation_note::Column::Visibility.eq(Visibility::Internal.code()))
                .add(violation_note::Column::AuthorId.eq(viewer.as_uuid())),
        )
        .order_by_asc(violation_note::Column::At)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(NoteRecord {
                id: r.id,
                visibility: Visibility::parse(&r.visibility)
                    .ok_or_else(|| DbError::corrupt("note visibility", &r.visibility))?,
                body: r.body,
                author: r.author_id.into(),
                at: r.at,
            })
        })
        .collect()
}

async fn load(
    db: &impl ConnectionTrait,
    models: Vec<violation::Model>,
) -> Result<Vec<ViolationRecord>, DbError> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let transitions = if ids.is_empty() {
        Vec::new()
    } else {
        violation_transition::Entity::find()
            .filter(violation_transition::Column::ViolationId.is_in(ids))
            .order_by_asc(violation_transition::Column::At)
            .all(db)
            .await?
    };
    models
        .into_iter()
        .map(|m| {
            let own = transitions
                .iter()
                .filter(|t| t.violation_id == m.id)
                .map(|t| {
                    Ok(TransitionRecord {
                        from: State::parse(&t.from_state)
                            .ok_or_else(|| DbError::corrupt("state", &t.from_state))?,
                        to: State::parse(&t.to_state)
                            .ok_or_else(|| DbError::corrupt("state", &t.to_state))?,
                        reason: t.reason.clone(),
                        actor: t.actor_id.into(),
                        at: t.at,
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
            Ok(ViolationRecord {
                id: m.id,
                person: m.person_id.into(),
                unit: m.unit_id.into(),
                code_set: m.code_set_id.into(),
                item_code: m.item_code,
                source: Source::parse(&m.source)
                    .ok_or_else(|| DbError::corrupt("source", &m.source))?,
                started_on: m.started_on,
                ended_on: m.ended_on,
                discovered_on: m.discovered_on,
                place: m.place,
                consequence: Consequence::parse(&m.consequence)
                    .ok_or_else(|| DbError::corrupt("consequence", &m.consequence))?,
                description: m.description,
                state: State::parse(&m.state).ok_or_else(|| DbError::corrupt("state", &m.state))?,
                transitions: own,
                commitment: m.commitment_campaign_id.zip(m.commitment_item_code).map(
                    |(campaign, item_code)| Citation {
                        campaign,
                        item_code,
                        template: m.commitment_template_id,
                    },
                ),
                created_at: m.created_at,
                updated_at: m.updated_at,
            })
        })
        .collect()
}

/// An evidence file's description (the bytes are read only on download).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRecord {
    pub id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: UserId,
    pub at: DateTime<Utc>,
}

/// Stores an evidence file.
pub async fn insert_evidence(
    txn: &impl ConnectionTrait,
    violation: Uuid,
    record: &EvidenceRecord,
    data: Vec<u8>,
) -> Result<(), DbError> {
    crate::entity::evidence_file::ActiveModel {
        id: Set(record.id),
        violation_id: Set(violation),
        filename: Set(record.filename.clone()),
        content_type: Set(record.content_type.clone()),
        size: Set(record.size),
        sha256: Set(record.sha256.clone()),
        data: Set(data),
        uploaded_by: Set(record.uploaded_by.as_uuid()),
        at: Set(record.at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The columns of an evidence file other than its bytes.
#[derive(Debug, sea_orm::FromQueryResult)]
struct EvidenceRow {
    id: Uuid,
    filename: String,
    content_type: String,
    size: i64,
    sha256: String,
    uploaded_by: Uuid,
    at: DateTime<Utc>,
}

/// The evidence of a violation, without the bytes.
pub async fn evidence(
    db: &impl ConnectionTrait,
    violation: Uuid,
) -> Result<Vec<EvidenceRecord>, DbError> {
    use crate::entity::evidence_file::{Column, Entity};
    let rows = Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::Filename,
            Column::ContentType,
            Column::Size,
            Column::Sha256,
            Column::UploadedBy,
            Column::At,
        ])
        .filter(Column::ViolationId.eq(violation))
        .order_by_asc(Column::At)
        .into_model::<EvidenceRow>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| EvidenceRecord {
            id: r.id,
            filename: r.filename,
            content_type: r.content_type,
            size: r.size,
            sha256: r.sha256,
            uploaded_by: r.uploaded_by.into(),
            at: r.at,
        })
        .collect())
}

/// One evidence file with its bytes.
pub async fn evidence_file(
    db: &impl ConnectionTrait,
    violation: Uuid,
    id: Uuid,
) -> Result<(EvidenceRecord, Vec<u8>), DbError> {
    use crate::entity::evidence_file::{Column, Entity};
    let m = Entity::find_by_id(id)
        .filter(Column::ViolationId.eq(violation))
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?;
    Ok((
        EvidenceRecord {
            id: m.id,
            filename: m.filename,
            content_type: m.content_type,
            size: m.size,
            sha256: m.sha256,
            uploaded_by: m.uploaded_by.into(),
            at: m.at,
        },
        m.data,
    ))
}
