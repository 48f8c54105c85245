//! Discipline cases: insert, scoped reads by the unit the person worked in when the case opened,
//! the steps log (stored as kind + a versioned JSON document private to this crate, `stored_step`;
//! the use cases replay it through the domain's state machine), pauses, the decision and its annulment, step documents, and declared relationships.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::discipline::{Form, PartyDecision, PartyForm};
use congvu_core::ids::{PersonId, UnitId, UserId};
use congvu_core::policy::Reach;
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{
    case_document, case_pause, case_step, case_violation, discipline_case, person_relation,
};
use crate::violation::EvidenceRecord;
use crate::{DbError, Page, scope};

mod stored_step;

pub use stored_step::{CouncilSeat, StepParticulars};

/// A stored case with everything needed to compute its view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: Uuid,
    pub person: PersonId,
    /// The unit the person worked in when the case opened (scopes the case).
    pub unit: UnitId,
    /// The unit whose head decides.
    pub competent_unit: UnitId,
    pub regime: String,
    pub regime_reason: String,
    pub opened_on: NaiveDate,
    /// The stage code after the last step (a copy for filtering; the steps are the truth).
    pub stage: String,
    pub extension: Option<(NaiveDate, String)>,
    pub party: Option<PartyDecision>,
    pub decision: Option<DecisionRecord>,
    pub annulment: Option<AnnulmentRecord>,
    pub violations: Vec<CaseViolationRecord>,
    pub steps: Vec<StepRecord>,
    pub pauses: Vec<PauseRecord>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The decision of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub number: String,
    pub form: Form,
    pub signer: UserId,
    pub signed_on: NaiveDate,
    pub effective_on: NaiveDate,
}

/// The annulment of a decision and the announcement it requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnulmentRecord {
    pub on: NaiveDate,
    pub ruling: String,
    /// The day of the complaint decision or court ruling that found the discipline wrongful.
    pub ruling_on: NaiveDate,
    pub announced_on: Option<NaiveDate>,
}

/// One violation of a case and the facts concluded about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseViolationRecord {
    pub violation: Uuid,
    pub mitigating: bool,
    pub aggravating: bool,
    /// The exception that removes the limitation period, if any.
    pub no_limitation: Option<String>,
}

/// One recorded step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    pub id: Uuid,
    pub seq: i32,
    pub kind: String,
    pub on: NaiveDate,
    /// The step's particulars, read from their stored format.
    pub detail: StepParticulars,
    pub reason: String,
    pub recorded_by: UserId,
    pub at: DateTime<Utc>,
}

/// One pause of the clocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseRecord {
    pub id: Uuid,
    pub reason: String,
    pub asked_in_writing: bool,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub note: String,
    pub recorded_by: UserId,
    pub at: DateTime<Utc>,
}

/// A new case.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub id: Uuid,
    pub person: PersonId,
    pub unit: UnitId,
    pub competent_unit: UnitId,
    pub regime: String,
    pub regime_reason: String,
    pub opened_on: NaiveDate,
    pub stage: &'static str,
    pub violations: Vec<CaseViolationRecord>,
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// The path of a unit: cases in it or below it.
    pub unit_path: Option<String>,
    pub person: Option<PersonId>,
    pub stage: Option<String>,
}

/// Inserts a case and its violations.
pub async fn insert(
    txn: &impl ConnectionTrait,
    new: &NewCase,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    discipline_case::ActiveModel {
        id: Set(new.id),
        person_id: Set(new.person.as_uuid()),
        unit_id: Set(new.unit.as_uuid()),
        competent_unit_id: Set(new.competent_unit.as_uuid()),
        regime: Set(new.regime.clone()),
        regime_reason: Set(new.regime_reason.clone()),
        opened_on: Set(new.opened_on),
        stage: Set(new.stage.to_owned()),
        extended_on: Set(None),
        extension_reason: Set(None),
        party_form: Set(None),
        party_announced_on: Set(None),
        decision_number: Set(None),
        decision_form: Set(None),
        signer_id: Set(None),
        signed_on: Set(None),
        effective_on: Set(None),
        annulled_on: Set(None),
        annulment_ruling: Set(None),
        ruling_on: Set(None),
        announced_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    for v in &new.violations {
        case_violation::ActiveModel {
            case_id: Set(new.id),
            violation_id: Set(v.violation),
            mitigating: Set(v.mitigating),
            aggravating: Set(v.aggravating),
            no_limitation: Set(v.no_limitation.clone()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

fn in_reach(reach: &Reach) -> Condition {
    Condition::all().add(discipline_case::Column::UnitId.in_subquery(scope::unit_ids(reach)))
}

/// A case in reach.
pub async fn find(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
) -> Result<CaseRecord, DbError> {
    let model = discipline_case::Entity::find_by_id(id)
        .filter(in_reach(reach))
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?;
    load(db, vec![model]).await?.pop().ok_or(DbError::NotFound)
}

/// A case in reach, locked for the rest of the transaction (steps are appended one at a time).
pub async fn find_for_update(
    txn: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
) -> Result<CaseRecord, DbError> {
    let model = discipline_case::Entity::find_by_id(id)
        .filter(in_reach(reach))
        .lock(LockType::Update)
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    load(txn, vec![model]).await?.pop().ok_or(DbError::NotFound)
}

/// Cases in reach, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &CaseFilter,
    page: Page,
) -> Result<Vec<CaseRecord>, DbError> {
    let mut select = discipline_case::Entity::find().filter(in_reach(reach));
    if let Some(path) = &filter.unit_path {
        select =
            select.filter(discipline_case::Column::UnitId.in_subquery(scope::subtree_ids(path)));
    }
    if let Some(person) = filter.person {
        select = select.filter(discipline_case::Column::PersonId.eq(person.as_uuid()));
    }
    if let Some(stage) = &filter.stage {
        select = select.filter(discipline_case::Column::Stage.eq(stage.as_str()));
    }
    let models = select
        .order_by_desc(discipline_case::Column::OpenedOn)
        .order_by_desc(discipline_case::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    load(db, models).await
}

/// Every case of a person (the caller has checked the person is in reach).
pub async fn of_person(
    db: &impl ConnectionTrait,
    person: PersonId,
) -> Result<Vec<CaseRecord>, DbError> {
    let models = discipline_case::Entity::find()
        .filter(discipline_case::Column::PersonId.eq(person.as_uuid()))
        .order_by_asc(discipline_case::Column::OpenedOn)
        .order_by_asc(discipline_case::Column::Id)
        .all(db)
        .await?;
    load(db, models).await
}

/// The cases, other than annulled ones, that hold any of these violations.
pub async fn live_cases_holding(
    db: &impl ConnectionTrait,
    violations: &[Uuid],
) -> Result<Vec<Uuid>, DbError> {
    if violations.is_empty() {
        return Ok(Vec::new());
    }
    let holding = sea_orm::sea_query::Query::select()
        .column(case_violation::Column::CaseId)
        .from(case_violation::Entity)
        .and_where(case_violation::Column::ViolationId.is_in(violations.to_vec()))
        .to_owned();
    Ok(discipline_case::Entity::find()
        .filter(discipline_case::Column::Id.in_subquery(holding))
        .filter(discipline_case::Column::Stage.ne("annulled"))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect())
}

/// A step to append.
#[derive(Debug, Clone)]
pub struct NewStep<'a> {
    pub seq: i32,
    pub kind: &'a str,
    pub on: NaiveDate,
    pub detail: &'a StepParticulars,
    pub reason: &'a str,
    pub stage_after: &'a str,
}

/// Appends a step and records the stage it leads to. The unique (case, seq) index refuses a step
/// recorded concurrently from the same stage.
pub async fn append_step(
    txn: &impl ConnectionTrait,
    case: Uuid,
    step: &NewStep<'_>,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    case_step::ActiveModel {
        id: Set(id),
        case_id: Set(case),
        seq: Set(step.seq),
        kind: Set(step.kind.to_owned()),
        on_date: Set(step.on),
        detail: Set(stored_step::encode(step.detail)?),
        reason: Set(step.reason.to_owned()),
        recorded_by: Set(by.as_uuid()),
        at: Set(now),
    }
    .insert(txn)
    .await?;
    touch(case, now)
        .col_expr(
            discipline_case::Column::Stage,
            Expr::value(step.stage_after),
        )
        .exec(txn)
        .await?;
    Ok(id)
}

/// An update of a case row that also stamps `updated_at`.
fn touch(case: Uuid, now: DateTime<Utc>) -> sea_orm::UpdateMany<discipline_case::Entity> {
    discipline_case::Entity::update_many()
        .col_expr(discipline_case::Column::UpdatedAt, Expr::value(now))
        .filter(discipline_case::Column::Id.eq(case))
}

/// Records the extension of the handling limit.
pub async fn set_extension(
    txn: &impl ConnectionTrait,
    case: Uuid,
    on: NaiveDate,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    touch(case, now)
        .col_expr(discipline_case::Column::ExtendedOn, Expr::value(on))
        .col_expr(
            discipline_case::Column::ExtensionReason,
            Expr::value(reason),
        )
        .exec(txn)
        .await?;
    Ok(())
}

/// Records the Party decision about the same acts.
pub async fn set_party(
    txn: &impl ConnectionTrait,
    case: Uuid,
    party: PartyDecision,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    touch(case, now)
        .col_expr(
            discipline_case::Column::PartyForm,
            Expr::value(party.form.code()),
        )
        .col_expr(
            discipline_case::Column::PartyAnnouncedOn,
            Expr::value(party.announced_on),
        )
        .exec(txn)
        .await?;
    Ok(())
}

/// Records the decision.
pub async fn set_decision(
    txn: &impl ConnectionTrait,
    case: Uuid,
    d: &DecisionRecord,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    touch(case, now)
        .col_expr(
            discipline_case::Column::DecisionNumber,
            Expr::value(d.number.as_str()),
        )
        .col_expr(
            discipline_case::Column::DecisionForm,
            Expr::value(d.form.code()),
        )
        .col_expr(
            discipline_case::Column::SignerId,
            Expr::value(d.signer.as_uuid()),
        )
        .col_expr(discipline_case::Column::SignedOn, Expr::value(d.signed_on))
        .col_expr(
            discipline_case::Column::EffectiveOn,
            Expr::value(d.effective_on),
        )
        .exec(txn)
        .await?;
    Ok(())
}

/// Records the annulment of the decision.
pub async fn set_annulment(
    txn: &impl ConnectionTrait,
    case: Uuid,
    on: NaiveDate,
    ruling: (&str, NaiveDate),
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    touch(case, now)
        .col_expr(discipline_case::Column::AnnulledOn, Expr::value(on))
        .col_expr(
            discipline_case::Column::AnnulmentRuling,
            Expr::value(ruling.0),
        )
        .col_expr(discipline_case::Column::RulingOn, Expr::value(ruling.1))
        .exec(txn)
        .await?;
    Ok(())
}

/// Records that the annulment was announced at the unit.
pub async fn set_announced(
    txn: &impl ConnectionTrait,
    case: Uuid,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    touch(case, now)
        .col_expr(discipline_case::Column::AnnouncedOn, Expr::value(on))
        .exec(txn)
        .await?;
    Ok(())
}

/// Starts a pause of the clocks.
pub async fn insert_pause(
    txn: &impl ConnectionTrait,
    case: Uuid,
    pause: &PauseRecord,
) -> Result<(), DbError> {
    case_pause::ActiveModel {
        id: Set(pause.id),
        case_id: Set(case),
        reason: Set(pause.reason.clone()),
        asked_in_writing: Set(pause.asked_in_writing),
        from_date: Set(pause.from),
        to_date: Set(pause.to),
        note: Set(pause.note.clone()),
        recorded_by: Set(pause.recorded_by.as_uuid()),
        at: Set(pause.at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Ends an open pause on `to` (its last paused day).
pub async fn end_pause(
    txn: &impl ConnectionTrait,
    case: Uuid,
    pause: Uuid,
    to: NaiveDate,
) -> Result<(), DbError> {
    let done = case_pause::Entity::update_many()
        .col_expr(case_pause::Column::ToDate, Expr::value(to))
        .filter(case_pause::Column::Id.eq(pause))
        .filter(case_pause::Column::CaseId.eq(case))
        .filter(case_pause::Column::ToDate.is_null())
        .exec(txn)
        .await?;
    if done.rows_affected == 1 {
        Ok(())
    } else {
        Err(DbError::NotFound)
    }
}

/// Stores a document of the case (minutes, self-criticism, convocation, recommendation, …).
pub async fn insert_document(
    txn: &impl ConnectionTrait,
    case: Uuid,
    kind: &str,
    record: &EvidenceRecord,
    data: Vec<u8>,
) -> Result<(), DbError> {
    case_document::ActiveModel {
        id: Set(record.id),
        case_id: Set(case),
        kind: Set(kind.to_owned()),
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

/// The columns of a document other than its bytes.
#[derive(Debug, sea_orm::FromQueryResult)]
struct DocumentRow {
    id: Uuid,
    kind: String,
    filename: String,
    content_type: String,
    size: i64,
    sha256: String,
    uploaded_by: Uuid,
    at: DateTime<Utc>,
}

/// The documents of a case with their kinds, without the bytes.
pub async fn documents(
    db: &impl ConnectionTrait,
    case: Uuid,
) -> Result<Vec<(String, EvidenceRecord)>, DbError> {
    use case_document::{Column, Entity};
    let rows = Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::Kind,
            Column::Filename,
            Column::ContentType,
            Column::Size,
            Column::Sha256,
            Column::UploadedBy,
            Column::At,
        ])
        .filter(Column::CaseId.eq(case))
        .order_by_asc(Column::At)
        .into_model::<DocumentRow>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.kind,
                EvidenceRecord {
                    id: r.id,
                    filename: r.filename,
                    content_type: r.content_type,
                    size: r.size,
                    sha256: r.sha256,
                    uploaded_by: r.uploaded_by.into(),
                    at: r.at,
                },
            )
        })
        .collect())
}

/// One document with its bytes.
pub async fn document_file(
    db: &impl ConnectionTrait,
    case: Uuid,
    id: Uuid,
) -> Result<(EvidenceRecord, Vec<u8>), DbError> {
    let m = case_document::Entity::find_by_id(id)
        .filter(case_document::Column::CaseId.eq(case))
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

/// A declared relationship between two staff members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationRecord {
    pub id: Uuid,
    pub person: PersonId,
    pub relative: PersonId,
    pub kind: String,
    pub recorded_by: UserId,
    pub at: DateTime<Utc>,
}

/// Stores a declared relationship (one row per ordered pair).
pub async fn insert_relation(
    txn: &impl ConnectionTrait,
    r: &RelationRecord,
) -> Result<(), DbError> {
    person_relation::ActiveModel {
        id: Set(r.id),
        person_id: Set(r.person.as_uuid()),
        relative_id: Set(r.relative.as_uuid()),
        kind: Set(r.kind.clone()),
        recorded_by: Set(r.recorded_by.as_uuid()),
        at: Set(r.at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The relationships declared by or about a person, in either direction.
pub async fn relations(
    db: &impl ConnectionTrait,
    person: PersonId,
) -> Result<Vec<RelationRecord>, DbError> {
    let rows = person_relation::Entity::find()
        .filter(
            Condition::any()
                .add(person_relation::Column::PersonId.eq(person.as_uuid()))
                .add(person_relation::Column::RelativeId.eq(person.as_uuid())),
        )
        .order_by_asc(person_relation::Column::At)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| RelationRecord {
            id: r.id,
            person: r.person_id.into(),
            relative: r.relative_id.into(),
            kind: r.kind,
            recorded_by: r.recorded_by.into(),
            at: r.at,
        })
        .collect())
}

async fn load(
    db: &impl ConnectionTrait,
    models: Vec<discipline_case::Model>,
) -> Result<Vec<CaseRecord>, DbError> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let violations = case_violation::Entity::find()
        .filter(case_violation::Column::CaseId.is_in(ids.clone()))
        .order_by_asc(case_violation::Column::ViolationId)
        .all(db)
        .await?;
    let steps = case_step::Entity::find()
        .filter(case_step::Column::CaseId.is_in(ids.clone()))
        .order_by_asc(case_step::Column::Seq)
        .all(db)
        .await?;
    let pauses = case_pause::Entity::find()
        .filter(case_pause::Column::CaseId.is_in(ids))
        .order_by_asc(case_pause::Column::FromDate)
        .all(db)
        .await?;
    models
        .into_iter()
        .map(|m| {
            let violations = violations
                .iter()
                .filter(|v| v.case_id == m.id)
                .map(|v| CaseViolationRecord {
                    violation: v.violation_id,
                    mitigating: v.mitigating,
                    aggravating: v.aggravating,
                    no_limitation: v.no_limitation.clone(),
                })
                .collect();
            let steps = steps
                .iter()
                .filter(|s| s.case_id == m.id)
                .map(|s| {
                    Ok(StepRecord {
                        id: s.id,
                        seq: s.seq,
                        kind: s.kind.clone(),
                        on: s.on_date,
                        detail: stored_step::decode(&s.detail)
                            .map_err(|e| DbError::Corrupt(format!("step {}: {e}", s.id)))?,
                        reason: s.reason.clone(),
                        recorded_by: s.recorded_by.into(),
                        at: s.at,
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
            let pauses = pauses
                .iter()
                .filter(|p| p.case_id == m.id)
                .map(|p| PauseRecord {
                    id: p.id,
                    reason: p.reason.clone(),
                    asked_in_writing: p.asked_in_writing,
                    from: p.from_date,
                    to: p.to_date,
                    note: p.note.clone(),
                    recorded_by: p.recorded_by.into(),
                    at: p.at,
                })
                .collect();
            record(m, violations, steps, pauses)
        })
        .collect()
}

fn record(
    m: discipline_case::Model,
    violations: Vec<CaseViolationRecord>,
    steps: Vec<StepRecord>,
    pauses: Vec<PauseRecord>,
) -> Result<CaseRecord, DbError> {
    let party = match (m.party_form.as_deref(), m.party_announced_on) {
        (Some(code), Some(announced_on)) => Some(PartyDecision {
            form: PartyForm::parse(code).ok_or_else(|| DbError::corrupt("party form", code))?,
            announced_on,
        }),
        _ => None,
    };
    let decision = match (
        m.decision_number,
        m.decision_form.as_deref(),
        m.signer_id,
        m.signed_on,
        m.effective_on,
    ) {
        (Some(number), Some(form), Some(signer), Some(signed_on), Some(effective_on)) => {
            Some(DecisionRecord {
                number,
                form: Form::parse(form).ok_or_else(|| DbError::corrupt("decision form", form))?,
                signer: signer.into(),
                signed_on,
                effective_on,
            })
        }
        _ => None,
    };
    let annulment = match (m.annulled_on, m.annulment_ruling, m.ruling_on) {
        (Some(on), Some(ruling), Some(ruling_on)) => Some(AnnulmentRecord {
            on,
            ruling,
            ruling_on,
            announced_on: m.announced_on,
        }),
        _ => None,
    };
    Ok(CaseRecord {
        id: m.id,
        person: m.person_id.into(),
        unit: m.unit_id.into(),
        competent_unit: m.competent_unit_id.into(),
        regime: m.regime,
        regime_reason: m.regime_reason,
        opened_on: m.opened_on,
        stage: m.stage,
        extension: m.extended_on.zip(m.extension_reason),
        party,
        decision,
        annulment,
        violations,
        steps,
        pauses,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}
