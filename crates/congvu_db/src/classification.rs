//! Year-end classification in storage: a unit's rounds (draft, final, replaced) and their entries,
//! the facts classification reads (leave, conclusions), and the reads the emulation titles and
//! reports make of final results.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::assessment::{Level, Outcome};
use congvu_core::ids::{PersonId, UnitId};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DbError;
use crate::entity::{assessment_fact, classification_entry, classification_round};
use crate::staff::Members;

/// Rows per multi-row insert (well under SQLite's bound-parameter limit).
const CHUNK: usize = 1000;

/// Where a round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundState {
    /// Officers propose; the head has not finalised.
    Draft,
    /// Finalised by the unit head: the decision in force.
    Final,
    /// A later decision replaced it.
    Replaced,
}

impl RoundState {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Final => "final",
            Self::Replaced => "replaced",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Draft, Self::Final, Self::Replaced]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A stored round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundRecord {
    pub id: Uuid,
    pub unit: UnitId,
    pub year: i32,
    pub version: i32,
    pub state: RoundState,
    /// The unit's own rating, once its managing body gave it.
    pub unit_level: Option<Level>,
    pub replaces: Option<Uuid>,
    pub reason: String,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub finalised_by: Option<Uuid>,
    pub finalised_at: Option<DateTime<Utc>>,
}

/// One reason of a computed result, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReason {
    pub code: String,
    pub message: String,
    /// Absent from rounds computed before reasons were bilingual: their one sentence was English,
    /// and reads as both (see `legacy_english`).
    #[serde(default)]
    pub message_en: String,
    pub basis: String,
}

/// Reasons stored before they were bilingual held one English sentence in `message`: it is the
/// English text, and stands in for the Vietnamese until the round is recomputed.
fn legacy_english(mut reasons: Vec<StoredReason>) -> Vec<StoredReason> {
    for r in &mut reasons {
        if r.message_en.is_empty() {
            r.message_en = r.message.clone();
        }
    }
    reasons
}

/// A person's entry in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRecord {
    pub id: Uuid,
    pub round: Uuid,
    pub person: PersonId,
    pub peer_group: String,
    pub is_head: bool,
    pub computed: Outcome,
    pub computed_reasons: Vec<StoredReason>,
    pub proposed: Outcome,
    pub override_reason: Option<String>,
    /// The discipline case an override to KHT rests on (so it does not count again later).
    pub used_case: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

fn outcome(code: &str) -> Result<Outcome, DbError> {
    Outcome::parse(code).ok_or_else(|| DbError::corrupt("outcome", code))
}

fn round(m: classification_round::Model) -> Result<RoundRecord, DbError> {
    Ok(RoundRecord {
        id: m.id,
        unit: UnitId::from_uuid(m.unit_id),
        year: m.year,
        version: m.version,
        state: RoundState::parse(&m.state)
            .ok_or_else(|| DbError::corrupt("round state", &m.state))?,
        unit_level: m
            .unit_level
            .map(|l| Level::parse(&l).ok_or_else(|| DbError::corrupt("unit level", &l)))
            .transpose()?,
        replaces: m.replaces_id,
        reason: m.reason,
        created_by: m.created_by,
        created_at: m.created_at,
        finalised_by: m.finalised_by,
        finalised_at: m.finalised_at,
    })
}

fn entry(m: classification_entry::Model) -> Result<EntryRecord, DbError> {
    Ok(EntryRecord {
        id: m.id,
        round: m.round_id,
        person: PersonId::from_uuid(m.person_id),
        peer_group: m.peer_group,
        is_head: m.is_head,
        computed: outcome(&m.computed)?,
        computed_reasons: legacy_english(
            serde_json::from_str(&m.computed_reasons)
                .map_err(|_| DbError::corrupt("computed reasons", &m.computed_reasons))?,
        ),
        proposed: outcome(&m.proposed)?,
        override_reason: m.override_reason,
        used_case: m.used_case_id,
        updated_by: m.updated_by,
        updated_at: m.updated_at,
    })
}

fn entry_model(e: &EntryRecord) -> Result<classification_entry::ActiveModel, DbError> {
    Ok(classification_entry::ActiveModel {
        id: Set(e.id),
        round_id: Set(e.round),
        person_id: Set(e.person.as_uuid()),
        peer_group: Set(e.peer_group.clone()),
        is_head: Set(e.is_head),
        computed: Set(e.computed.code().to_owned()),
        computed_reasons: Set(serde_json::to_string(&e.computed_reasons)
            .map_err(|err| DbError::Corrupt(err.to_string()))?),
        proposed: Set(e.proposed.code().to_owned()),
        override_reason: Set(e.override_reason.clone()),
        used_case_id: Set(e.used_case),
        updated_by: Set(e.updated_by),
        updated_at: Set(e.updated_at),
    })
}

fn round_model(r: &RoundRecord) -> classification_round::ActiveModel {
    classification_round::ActiveModel {
        id: Set(r.id),
        unit_id: Set(r.unit.as_uuid()),
        year: Set(r.year),
        version: Set(r.version),
        state: Set(r.state.code().to_owned()),
        unit_level: Set(r.unit_level.map(|l| l.code().to_owned())),
        replaces_id: Set(r.replaces),
        reason: Set(r.reason.clone()),
        created_by: Set(r.created_by),
        created_at: Set(r.created_at),
        finalised_by: Set(r.finalised_by),
        finalised_at: Set(r.finalised_at),
    }
}

/// Inserts a round.
pub async fn insert_round(txn: &impl ConnectionTrait, r: &RoundRecord) -> Result<(), DbError> {
    round_model(r).insert(txn).await?;
    Ok(())
}

/// Inserts rounds, in chunks (a unit-year already taken is a conflict).
pub async fn insert_rounds(
    txn: &impl ConnectionTrait,
    rounds: &[RoundRecord],
) -> Result<(), DbError> {
    crate::bulk::insert(txn, CHUNK, &mut rounds.iter().map(|r| Ok(round_model(r)))).await
}

/// Inserts entries, in chunks, each built while the one before it is written.
pub async fn insert_entries(
    txn: &impl ConnectionTrait,
    entries: &[EntryRecord],
) -> Result<(), DbError> {
    crate::bulk::insert(txn, CHUNK, &mut entries.iter().map(entry_model)).await
}

/// A round by id (`lock`: for the rest of the transaction). The caller checks the unit's reach.
pub async fn find_round(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<RoundRecord, DbError> {
    let mut select = classification_round::Entity::find_by_id(id);
    if lock {
        select = select.lock(LockType::Update);
    }
    round(select.one(db).await?.ok_or(DbError::NotFound)?)
}

/// The rounds of a unit's year, oldest first.
pub async fn rounds_of(
    db: &impl ConnectionTrait,
    unit: UnitId,
    year: i32,
) -> Result<Vec<RoundRecord>, DbError> {
    classification_round::Entity::find()
        .filter(classification_round::Column::UnitId.eq(unit.as_uuid()))
        .filter(classification_round::Column::Year.eq(year))
        .order_by_asc(classification_round::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(round)
        .collect()
}

/// The rounds of a year of these units, each unit's newest first.
pub async fn rounds_of_units(
    db: &impl ConnectionTrait,
    units: &[UnitId],
    year: i32,
) -> Result<Vec<RoundRecord>, DbError> {
    let mut out = Vec::new();
    for chunk in units.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|u| u.as_uuid()).collect();
        let rows = classification_round::Entity::find()
            .filter(classification_round::Column::UnitId.is_in(ids))
            .filter(classification_round::Column::Year.eq(year))
            .order_by_desc(classification_round::Column::Version)
            .all(db)
            .await?;
        for r in rows {
            out.push(round(r)?);
        }
    }
    Ok(out)
}

/// A round's entries, in insertion order.
pub async fn entries(
    db: &impl ConnectionTrait,
    round_id: Uuid,
) -> Result<Vec<EntryRecord>, DbError> {
    classification_entry::Entity::find()
        .filter(classification_entry::Column::RoundId.eq(round_id))
        .order_by_asc(classification_entry::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(entry)
        .collect()
}

/// The entries of several rounds.
pub async fn entries_of_rounds(
    db: &impl ConnectionTrait,
    rounds: &[Uuid],
) -> Result<Vec<EntryRecord>, DbError> {
    let mut out = Vec::new();
    for chunk in rounds.chunks(CHUNK) {
        let rows = classification_entry::Entity::find()
            .filter(classification_entry::Column::RoundId.is_in(chunk.to_vec()))
            .order_by_asc(classification_entry::Column::Id)
            .all(db)
            .await?;
        for r in rows {
            out.push(entry(r)?);
        }
    }
    Ok(out)
}

/// Replaces one entry's proposal (the caller holds the round's lock and checked it is a draft).
pub async fn update_entry(txn: &impl ConnectionTrait, e: &EntryRecord) -> Result<(), DbError> {
    entry_model(e)?.update(txn).await?;
    Ok(())
}

/// Sets the unit's own rating on a draft round.
pub async fn set_unit_level(
    txn: &impl ConnectionTrait,
    id: Uuid,
    level: Level,
) -> Result<(), DbError> {
    classification_round::ActiveModel {
        id: Set(id),
        unit_level: Set(Some(level.code().to_owned())),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}

/// Marks a round final (or replaced).
pub async fn set_state(
    txn: &impl ConnectionTrait,
    id: Uuid,
    state: RoundState,
    by: Option<(Uuid, DateTime<Utc>)>,
) -> Result<(), DbError> {
    let mut m = classification_round::ActiveModel {
        id: Set(id),
        state: Set(state.code().to_owned()),
        ..Default::default()
    };
    if let Some((user, at)) = by {
        m.finalised_by = Set(Some(user));
        m.finalised_at = Set(Some(at));
    }
    m.update(txn).await?;
    Ok(())
}

/// The final result of each of these people in `year` (from the decision in force).
pub async fn final_outcomes(
    db: &impl ConnectionTrait,
    persons: &[PersonId],
    year: i32,
) -> Result<HashMap<PersonId, Outcome>, DbError> {
    let finals: std::collections::HashSet<Uuid> = classification_round::Entity::find()
        .select_only()
        .column(classification_round::Column::Id)
        .filter(classification_round::Column::Year.eq(year))
        .filter(classification_round::Column::State.eq(RoundState::Final.code()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut out = HashMap::new();
    if finals.is_empty() {
        return Ok(out);
    }
    for chunk in persons.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|p| p.as_uuid()).collect();
        let rows: Vec<(Uuid, Uuid, String)> = classification_entry::Entity::find()
            .select_only()
            .column(classification_entry::Column::PersonId)
            .column(classification_entry::Column::RoundId)
            .column(classification_entry::Column::Proposed)
            .filter(classification_entry::Column::PersonId.is_in(ids))
            .into_tuple()
            .all(db)
            .await?;
        for (p, r, proposed) in rows {
            if finals.contains(&r) {
                out.insert(PersonId::from_uuid(p), outcome(&proposed)?);
            }
        }
    }
    Ok(out)
}

/// The years in which a final decision used each of the members' discipline cases to rate KHT.
pub async fn used_cases(
    db: &impl ConnectionTrait,
    members: Members<'_>,
) -> Result<HashMap<Uuid, i32>, DbError> {
    let mut out = HashMap::new();
    let person = (
        classification_entry::Entity,
        classification_entry::Column::PersonId,
    );
    for probe in members.probes(person) {
        let used = classification_entry::Entity::find()
            .filter(probe)
            .filter(classification_entry::Column::UsedCaseId.is_not_null())
            .filter(classification_entry::Column::Proposed.eq(Outcome::Rated(Level::Kht).code()))
            .all(db)
            .await?;
        let round_ids: Vec<Uuid> = used.iter().map(|e| e.round_id).collect();
        let finals: HashMap<Uuid, i32> = classification_round::Entity::find()
            .filter(classification_round::Column::Id.is_in(round_ids))
            .filter(classification_round::Column::State.eq(RoundState::Final.code()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r.year))
            .collect();
        for e in used {
            if let (Some(case), Some(year)) = (e.used_case_id, finals.get(&e.round_id)) {
                out.entry(case)
                    .and_modify(|y: &mut i32| *y = (*y).min(*year))
                    .or_insert(*year);
            }
        }
    }
    Ok(out)
}

/// What a fact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    /// Sick or maternity leave under social-insurance law (protected: rated on time worked).
    LeaveProtected,
    /// Unpaid leave (not time worked).
    LeaveUnpaid,
    /// A competent conclusion of degeneration, self-evolution or self-transformation.
    Degeneration,
    /// A unit the leader directly manages was sanctioned for corruption or waste.
    ManagedUnitCorruption,
    /// …which the leader detected, reported and remedied themselves.
    CorruptionSelfRemedied,
}

impl FactKind {
    pub const ALL: [FactKind; 5] = [
        Self::LeaveProtected,
        Self::LeaveUnpaid,
        Self::Degeneration,
        Self::ManagedUnitCorruption,
        Self::CorruptionSelfRemedied,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::LeaveProtected => "leave_protected",
            Self::LeaveUnpaid => "leave_unpaid",
            Self::Degeneration => "degeneration",
            Self::ManagedUnitCorruption => "managed_unit_corruption",
            Self::CorruptionSelfRemedied => "corruption_self_remedied",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Leave has dates; conclusions do not.
    pub const fn is_leave(self) -> bool {
        matches!(self, Self::LeaveProtected | Self::LeaveUnpaid)
    }
}

/// A stored fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactRecord {
    pub id: Uuid,
    pub person: PersonId,
    pub year: i32,
    pub kind: FactKind,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub reference: String,
    pub recorded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Inserts a fact.
pub async fn insert_fact(txn: &impl ConnectionTrait, f: &FactRecord) -> Result<(), DbError> {
    assessment_fact::ActiveModel {
        id: Set(f.id),
        person_id: Set(f.person.as_uuid()),
        year: Set(f.year),
        kind: Set(f.kind.code().to_owned()),
        from_on: Set(f.from),
        to_on: Set(f.to),
        reference: Set(f.reference.clone()),
        recorded_by: Set(f.recorded_by),
        created_at: Set(f.created_at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The facts of the members' year: those recorded for it, and leave of any year that overlaps
/// it.
pub async fn facts(
    db: &impl ConnectionTrait,
    members: Members<'_>,
    year: i32,
) -> Result<Vec<FactRecord>, DbError> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let person = (assessment_fact::Entity, assessment_fact::Column::PersonId);
    for probe in members.probes(person) {
        let rows = assessment_fact::Entity::find()
            .filter(probe)
            .filter(
                Condition::any()
                    .add(assessment_fact::Column::Year.eq(year))
                    .add(
                        Condition::all()
                            .add(assessment_fact::Column::FromOn.lte(last))
                            .add(assessment_fact::Column::ToOn.gte(first)),
                    ),
            )
            .order_by_asc(assessment_fact::Column::CreatedAt)
            .all(db)
            .await?;
        for m in rows.into_iter().filter(|m| seen.insert(m.id)) {
            out.push(FactRecord {
                id: m.id,
                person: PersonId::from_uuid(m.person_id),
                year: m.year,
                kind: FactKind::parse(&m.kind).ok_or_else(|| DbError::corrupt("fact", &m.kind))?,
                from: m.from_on,
                to: m.to_on,
                reference: m.reference,
                recorded_by: m.recorded_by,
                created_at: m.created_at,
            });
        }
    }
    Ok(out)
}

/// A discipline decision in force, as the year-end classification reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedCase {
    pub case: Uuid,
    pub person: PersonId,
    /// The form's code.
    pub form: String,
    pub effective_on: NaiveDate,
    /// The earliest day one of the case's violations began.
    pub committed_on: Option<NaiveDate>,
    /// The units the case's violations were committed in.
    pub violation_units: Vec<UnitId>,
}

/// The decided, not annulled, discipline cases of the members.
pub async fn decided_cases(
    db: &impl ConnectionTrait,
    members: Members<'_>,
) -> Result<Vec<DecidedCase>, DbError> {
    use crate::entity::{case_violation, discipline_case, violation};
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let person = (discipline_case::Entity, discipline_case::Column::PersonId);
    for probe in members.probes(person) {
        let cases: Vec<discipline_case::Model> = discipline_case::Entity::find()
            .filter(probe)
            .filter(discipline_case::Column::Stage.eq("decided"))
            .filter(discipline_case::Column::AnnulledOn.is_null())
            .all(db)
            .await?
            .into_iter()
            .filter(|c| seen.insert(c.id))
            .collect();
        if cases.is_empty() {
            continue;
        }
        let case_ids: Vec<Uuid> = cases.iter().map(|c| c.id).collect();
        let links = case_violation::Entity::find()
            .filter(case_violation::Column::CaseId.is_in(case_ids))
            .all(db)
            .await?;
        let violation_ids: Vec<Uuid> = links.iter().map(|l| l.violation_id).collect();
        let violations: HashMap<Uuid, (NaiveDate, Uuid)> = violation::Entity::find()
            .filter(violation::Column::Id.is_in(violation_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|v| (v.id, (v.started_on, v.unit_id)))
            .collect();
        for c in cases {
            let (Some(form), Some(effective_on)) = (c.decision_form, c.effective_on) else {
                continue;
            };
            let of_case: Vec<(NaiveDate, Uuid)> = links
                .iter()
                .filter(|l| l.case_id == c.id)
                .filter_map(|l| violations.get(&l.violation_id).copied())
                .collect();
            out.push(DecidedCase {
                case: c.id,
                person: PersonId::from_uuid(c.person_id),
                form,
                effective_on,
                committed_on: of_case.iter().map(|(d, _)| *d).min(),
                violation_units: of_case.iter().map(|(_, u)| UnitId::from_uuid(*u)).collect(),
            });
        }
    }
    Ok(out)
}

/// The open discipline cases (neither decided, concluded without violation nor annulled) of
/// these people: a blocker of emulation proposals.
pub async fn open_cases(
    db: &impl ConnectionTrait,
    persons: &[PersonId],
) -> Result<Vec<(PersonId, Uuid)>, DbError> {
    use crate::entity::discipline_case;
    let mut out = Vec::new();
    for chunk in persons.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|p| p.as_uuid()).collect();
        let rows: Vec<(Uuid, Uuid)> = discipline_case::Entity::find()
            .select_only()
            .column(discipline_case::Column::PersonId)
            .column(discipline_case::Column::Id)
            .filter(discipline_case::Column::PersonId.is_in(ids))
            .filter(discipline_case::Column::Stage.is_not_in([
                "decided",
                "no_violation",
                "annulled",
            ]))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(p, c)| (PersonId::from_uuid(p), c)));
    }
    Ok(out)
}

/// Deletes entries of a draft (people no longer members when it is recomputed).
pub async fn delete_entries(txn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<(), DbError> {
    for chunk in ids.chunks(CHUNK) {
        classification_entry::Entity::delete_many()
            .filter(classification_entry::Column::Id.is_in(chunk.to_vec()))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// The final round of `year` a person is in, if any (the newest when a transfer put them in two).
pub async fn final_round_of(
    db: &impl ConnectionTrait,
    person: PersonId,
    year: i32,
) -> Result<Option<RoundRecord>, DbError> {
    let finals = sea_orm::sea_query::Query::select()
        .column(classification_entry::Column::RoundId)
        .from(classification_entry::Entity)
        .and_where(classification_entry::Column::PersonId.eq(person.as_uuid()))
        .to_owned();
    classification_round::Entity::find()
        .filter(classification_round::Column::Id.in_subquery(finals))
        .filter(classification_round::Column::Year.eq(year))
        .filter(classification_round::Column::State.eq(RoundState::Final.code()))
        .order_by_desc(classification_round::Column::FinalisedAt)
        .one(db)
        .await?
        .map(round)
        .transpose()
}

/// Those of these people who are also in another unit's live (draft or final) round of `year`:
/// (person, that round's unit). The unit's own rounds (a replacement and the round it replaces)
/// do not count. The rounds are read first (few), then the entries by person (indexed), so
/// neither backend plans a scan of every round for every person.
pub async fn in_other_rounds(
    db: &impl ConnectionTrait,
    unit: UnitId,
    year: i32,
    persons: &[PersonId],
) -> Result<Vec<(PersonId, UnitId)>, DbError> {
    let live: HashMap<Uuid, Uuid> = classification_round::Entity::find()
        .select_only()
        .column(classification_round::Column::Id)
        .column(classification_round::Column::UnitId)
        .filter(classification_round::Column::Year.eq(year))
        .filter(classification_round::Column::UnitId.ne(unit.as_uuid()))
        .filter(
            classification_round::Column::State
                .is_in([RoundState::Draft.code(), RoundState::Final.code()]),
        )
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    if live.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for chunk in persons.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|p| p.as_uuid()).collect();
        let rows: Vec<(Uuid, Uuid)> = classification_entry::Entity::find()
            .select_only()
            .column(classification_entry::Column::PersonId)
            .column(classification_entry::Column::RoundId)
            .filter(classification_entry::Column::PersonId.is_in(ids))
            .into_tuple()
            .all(db)
            .await?;
        for (p, r) in rows {
            if let Some(other) = live.get(&r) {
                out.push((PersonId::from_uuid(p), UnitId::from_uuid(*other)));
            }
        }
    }
    Ok(out)
}
