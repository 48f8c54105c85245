//! Emulation in storage: registrations at the start of the year, recognised initiatives,
//! inspections and investigations concerning a person, awards and their revocation, and the
//! blockers read from elsewhere (complaints and denunciations being resolved against a person).

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::ids::PersonId;
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entity::{complaint, emulation_award, emulation_registration, initiative, proceeding};

const CHUNK: usize = 1000;

/// A registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRecord {
    pub id: Uuid,
    /// `person` or `unit`.
    pub subject_kind: String,
    pub subject: Uuid,
    pub year: i32,
    /// The title's code.
    pub title: String,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Inserts registrations (a title registered twice is a conflict).
pub async fn insert_registrations(
    txn: &impl ConnectionTrait,
    rows: &[RegistrationRecord],
) -> Result<(), DbError> {
    for r in rows {
        emulation_registration::ActiveModel {
            id: Set(r.id),
            subject_kind: Set(r.subject_kind.clone()),
            subject_id: Set(r.subject),
            year: Set(r.year),
            title: Set(r.title.clone()),
            created_by: Set(r.created_by),
            created_at: Set(r.created_at),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The titles these subjects registered for in `year`: (subject, title code).
pub async fn registrations(
    db: &impl ConnectionTrait,
    subjects: &[Uuid],
    year: i32,
) -> Result<Vec<(Uuid, String)>, DbError> {
    let mut out = Vec::new();
    for chunk in subjects.chunks(CHUNK) {
        let rows: Vec<(Uuid, String)> = emulation_registration::Entity::find()
            .select_only()
            .column(emulation_registration::Column::SubjectId)
            .column(emulation_registration::Column::Title)
            .filter(emulation_registration::Column::SubjectId.is_in(chunk.to_vec()))
            .filter(emulation_registration::Column::Year.eq(year))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// A recognised initiative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiativeRecord {
    pub id: Uuid,
    pub person: PersonId,
    pub year: i32,
    /// `unit`, `province` or `national`.
    pub scope: String,
    pub title: String,
    pub decision: String,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Inserts an initiative.
pub async fn insert_initiative(
    txn: &impl ConnectionTrait,
    i: &InitiativeRecord,
) -> Result<(), DbError> {
    initiative::ActiveModel {
        id: Set(i.id),
        person_id: Set(i.person.as_uuid()),
        year: Set(i.year),
        scope: Set(i.scope.clone()),
        title: Set(i.title.clone()),
        decision: Set(i.decision.clone()),
        created_by: Set(i.created_by),
        created_at: Set(i.created_at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The initiatives of these people, every year.
pub async fn initiatives(
    db: &impl ConnectionTrait,
    persons: &[PersonId],
) -> Result<Vec<InitiativeRecord>, DbError> {
    let mut out = Vec::new();
    for chunk in persons.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|p| p.as_uuid()).collect();
        let rows = initiative::Entity::find()
            .filter(initiative::Column::PersonId.is_in(ids))
            .order_by_asc(initiative::Column::Year)
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|m| InitiativeRecord {
            id: m.id,
            person: PersonId::from_uuid(m.person_id),
            year: m.year,
            scope: m.scope,
            title: m.title,
            decision: m.decision,
            created_by: m.created_by,
            created_at: m.created_at,
        }));
    }
    Ok(out)
}

/// An inspection or investigation concerning a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProceedingRecord {
    pub id: Uuid,
    pub person: PersonId,
    /// `inspection` or `investigation`.
    pub kind: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub reference: String,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

fn proceeding_record(m: proceeding::Model) -> ProceedingRecord {
    ProceedingRecord {
        id: m.id,
        person: PersonId::from_uuid(m.person_id),
        kind: m.kind,
        opened_on: m.opened_on,
        closed_on: m.closed_on,
        reference: m.reference,
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

/// Inserts a proceeding.
pub async fn insert_proceeding(
    txn: &impl ConnectionTrait,
    p: &ProceedingRecord,
) -> Result<(), DbError> {
    proceeding::ActiveModel {
        id: Set(p.id),
        person_id: Set(p.person.as_uuid()),
        kind: Set(p.kind.clone()),
        opened_on: Set(p.opened_on),
        closed_on: Set(p.closed_on),
        reference: Set(p.reference.clone()),
        created_by: Set(p.created_by),
        created_at: Set(p.created_at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// A proceeding by id, locked for the rest of the transaction.
pub async fn find_proceeding(
    txn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<ProceedingRecord, DbError> {
    proceeding::Entity::find_by_id(id)
        .lock(LockType::Update)
        .one(txn)
        .await?
        .map(proceeding_record)
        .ok_or(DbError::NotFound)
}

/// Records the end of a proceeding.
pub async fn close_proceeding(
    txn: &impl ConnectionTrait,
    id: Uuid,
    on: NaiveDate,
) -> Result<(), DbError> {
    proceeding::ActiveModel {
        id: Set(id),
        closed_on: Set(Some(on)),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}

/// The proceedings of these people running on `day`: (person, kind).
pub async fn running_proceedings(
    db: &impl ConnectionTrait,
    persons: &[PersonId],
    day: NaiveDate,
) -> Result<Vec<(PersonId, String)>, DbError> {
    let mut out = Vec::new();
    for chunk in persons.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|p| p.as_uuid()).collect();
        let rows: Vec<(Uuid, String)> = proceeding::Entity::find()
            .select_only()
            .column(proceeding::Column::PersonId)
            .column(proceeding::Column::Kind)
            .filter(proceeding::Column::PersonId.is_in(ids))
            .filter(proceeding::Column::OpenedOn.lte(day))
            .filter(
                Condition::any()
                    .add(proceeding::Column::ClosedOn.is_null())
                    .add(proceeding::Column::ClosedOn.gt(day)),
            )
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(p, k)| (PersonId::from_uuid(p), k)));
    }
    Ok(out)
}

/// The people among these against whom a complaint or denunciation is being resolved (accepted
/// for handling, not concluded).
pub async fn complaints_being_resolved(
    db: &impl ConnectionTrait,
    persons: &[PersonId],
) -> Result<Vec<PersonId>, DbError> {
    let mut out = Vec::new();
    for chunk in persons.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|p| p.as_uuid()).collect();
        let rows: Vec<Option<Uuid>> = complaint::Entity::find()
            .select_only()
            .column(complaint::Column::SubjectPersonId)
            .filter(complaint::Column::SubjectPersonId.is_in(ids))
            .filter(complaint::Column::Kind.is_in(["complaint", "denunciation"]))
            .filter(complaint::Column::State.eq("accepted"))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().flatten().map(PersonId::from_uuid));
    }
    Ok(out)
}

/// An award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardRecord {
    pub id: Uuid,
    pub subject_kind: String,
    pub subject: Uuid,
    pub year: i32,
    pub title: String,
    pub decision: String,
    pub decided_on: NaiveDate,
    /// Đồng, when the multiple and the base salary of the day are known.
    pub amount: Option<i64>,
    /// From the years before congvu kept the records.
    pub historic: bool,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub revoked: Option<Revocation>,
}

/// The revocation of an award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub on: NaiveDate,
    pub reason: String,
    pub by: Uuid,
}

fn award_record(m: emulation_award::Model) -> AwardRecord {
    let revoked = match (m.revoked_on, m.revoke_reason, m.revoked_by) {
        (Some(on), Some(reason), Some(by)) => Some(Revocation { on, reason, by }),
        _ => None,
    };
    AwardRecord {
        id: m.id,
        subject_kind: m.subject_kind,
        subject: m.subject_id,
        year: m.year,
        title: m.title,
        decision: m.decision,
        decided_on: m.decided_on,
        amount: m.amount,
        historic: m.historic,
        created_by: m.created_by,
        created_at: m.created_at,
        revoked,
    }
}

/// Inserts an award (a second standing award of the title and year is a conflict).
pub async fn insert_award(txn: &impl ConnectionTrait, a: &AwardRecord) -> Result<(), DbError> {
    emulation_award::ActiveModel {
        id: Set(a.id),
        subject_kind: Set(a.subject_kind.clone()),
        subject_id: Set(a.subject),
        year: Set(a.year),
        title: Set(a.title.clone()),
        decision: Set(a.decision.clone()),
        decided_on: Set(a.decided_on),
        amount: Set(a.amount),
        historic: Set(a.historic),
        created_by: Set(a.created_by),
        created_at: Set(a.created_at),
        revoked_on: Set(None),
        revoke_reason: Set(None),
        revoked_by: Set(None),
        active_key: Set(Some(format!("{}/{}/{}", a.subject, a.year, a.title))),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// An award by id (`lock`: for the rest of the transaction).
pub async fn find_award(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<AwardRecord, DbError> {
    let mut select = emulation_award::Entity::find_by_id(id);
    if lock {
        select = select.lock(LockType::Update);
    }
    select
        .one(db)
        .await?
        .map(award_record)
        .ok_or(DbError::NotFound)
}

/// Revokes an award.
pub async fn revoke_award(
    txn: &impl ConnectionTrait,
    id: Uuid,
    r: &Revocation,
) -> Result<(), DbError> {
    emulation_award::ActiveModel {
        id: Set(id),
        revoked_on: Set(Some(r.on)),
        revoke_reason: Set(Some(r.reason.clone())),
        revoked_by: Set(Some(r.by)),
        active_key: Set(None),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}

/// Every award of these subjects, revoked ones included, oldest year first.
pub async fn awards(
    db: &impl ConnectionTrait,
    subjects: &[Uuid],
) -> Result<Vec<AwardRecord>, DbError> {
    let mut out = Vec::new();
    for chunk in subjects.chunks(CHUNK) {
        let rows = emulation_award::Entity::find()
            .filter(emulation_award::Column::SubjectId.is_in(chunk.to_vec()))
            .order_by_asc(emulation_award::Column::Year)
            .order_by_asc(emulation_award::Column::CreatedAt)
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(award_record));
    }
    Ok(out)
}
