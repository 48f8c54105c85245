//! Year-end classification (brief §4.3–§4.6, §11.4 items 19–21): an emulation officer or unit
//! head opens the unit's year and congvu proposes each member's result from their evaluations,
//! discipline decisions, months worked, leave and recorded conclusions; officers override with a
//! reason and set peer groups; the unit's managing body gives the unit's own rating; the quotas
//! are checked per peer group and across the units below, every breach named; only a valid set is
//! finalised, by the unit's own head; each person is told by mail and the result is published to
//! the unit. A later correction is a new round that replaces the final one when it is finalised.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use congvu_core::FieldError;
use congvu_core::assessment::quota::{self, Proposal};
use congvu_core::assessment::worktime::{self, Stretch};
use congvu_core::assessment::{
    self, Aggregation, Classification, CriteriaResult, DisciplineFact, Level, Outcome, Period,
    PersonYear, Score,
};
use congvu_core::discipline::Form;
use congvu_core::ids::{PersonId, UnitId};
use congvu_core::legal::{RegimeDomain, regime_in_force};
use congvu_core::policy::{Action, Actor, Role};
use congvu_core::staff::{Employment, employment_on};
use congvu_db::DbError;
use congvu_db::classification::{
    self as store, DecidedCase, EntryRecord, FactKind, FactRecord, RoundRecord, RoundState,
    StoredReason,
};
use congvu_db::outbox::{self, Message};
use congvu_db::staff::{Members, PersonRecord};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// The peer group everyone starts in until an officer sets another.
pub const DEFAULT_GROUP: &str = "all";

/// Opening a unit's year.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenInput {
    pub year: i32,
    pub reason: Option<String>,
}

/// A change to one person's entry in a draft.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    /// `htxs`, `htt`, `ht`, `kht` or `not_rated`; a result other than the computed one needs the
    /// reason.
    pub proposed: Option<String>,
    /// People with similar tasks, rated together (the quota is checked per group).
    pub peer_group: Option<String>,
    /// Whether the person is the unit's head (their rating may not exceed the unit's).
    pub is_head: Option<bool>,
    /// The discipline case a KHT rests on before its decision year (it will not count again).
    pub used_case_id: Option<Uuid>,
    pub reason: Option<String>,
}

/// The unit's own rating, given by its managing body.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitLevelInput {
    /// `htxs`, `htt`, `ht` or `kht`.
    pub level: String,
    pub reason: Option<String>,
}

/// A fact the classification reads that lives nowhere else.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FactInput {
    pub year: i32,
    /// `leave_protected`, `leave_unpaid`, `degeneration`, `managed_unit_corruption` or
    /// `corruption_self_remedied`.
    pub kind: String,
    /// Leave only: the first and last day.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The document it rests on.
    pub reference: String,
    pub reason: Option<String>,
}

/// A stored fact as shown.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FactView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub year: i32,
    pub kind: &'static str,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub reference: String,
}

/// Why a result was computed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonView {
    pub code: String,
    /// The sentence in Vietnamese.
    pub message: String,
    /// The sentence in English (empty for rounds computed before reasons were bilingual).
    pub message_en: String,
    /// The legal source and its confidence tag.
    pub basis: String,
}

/// One person's entry.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryView {
    pub person_id: Uuid,
    pub full_name: String,
    pub peer_group: String,
    pub is_head: bool,
    /// What congvu computed.
    pub computed: &'static str,
    pub reasons: Vec<ReasonView>,
    /// What the officers propose (the computed result unless overridden).
    pub proposed: &'static str,
    pub override_reason: Option<String>,
    pub used_case_id: Option<Uuid>,
}

/// One breach of the rules that stops finalisation.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreachView {
    /// Where: `group:<name>`, `person:<id>` or `units`.
    pub scope: String,
    pub code: &'static str,
    /// The breach in Vietnamese.
    pub message: String,
    /// The breach in English.
    pub message_en: String,
}

/// A round with its entries and its validation.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundView {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub version: i32,
    /// `draft`, `final` or `replaced`.
    pub state: &'static str,
    pub unit_level: Option<&'static str>,
    pub replaces: Option<Uuid>,
    pub reason: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finalised_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Outcome code → number of people proposed.
    pub counts: BTreeMap<&'static str, usize>,
    pub entries: Vec<EntryView>,
    /// Every breach of the quotas and of completeness; empty when the set may be finalised.
    pub breaches: Vec<BreachView>,
    pub valid: bool,
}

/// A unit's published result: names and levels only.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedView {
    pub unit_id: Uuid,
    pub year: i32,
    pub round_id: Uuid,
    pub version: i32,
    pub finalised_at: Option<chrono::DateTime<chrono::Utc>>,
    pub results: Vec<PublishedEntry>,
}

/// One line of a published result.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedEntry {
    pub full_name: String,
    pub result: &'static str,
}

fn level_arg(field: &str, code: &str) -> Result<Level> {
    Level::parse(code).ok_or_else(|| Error::field(field, "unknown_value", "htxs, htt, ht or kht"))
}

fn outcome_arg(code: &str) -> Result<Outcome> {
    match Outcome::parse(code) {
        Some(Outcome::Undetermined) | None => Err(Error::field(
            "proposed",
            "unknown_value",
            "htxs, htt, ht, kht or not_rated",
        )),
        Some(o) => Ok(o),
    }
}

/// The day the membership of a round is read on: the year's last day, or today while it runs.
fn reference_day(state: &AppState, year: i32) -> Result<NaiveDate> {
    let today = congvu_core::calendar::vietnam_date(state.clock.now());
    if year < 2000 {
        return Err(Error::field("year", "out_of_range", "2000 or later"));
    }
    if year > today.year() {
        return Err(Error::field(
            "year",
            "not_started",
            "a year is classified once it has started",
        ));
    }
    let end = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| Error::field("year", "out_of_range", "2000 or later"))?;
    Ok(end.min(today))
}

/// A member as the classification reads them: who, and their employment slices.
type Member = (PersonId, Vec<Employment>);

/// Everything the classification of some units' members reads, loaded in a few batched queries.
struct Inputs {
    /// Each member and their employment slices, in person-id order (names are not needed to
    /// classify; a view reads them once).
    members: Vec<Member>,
    /// The annual score of each person with at least one period evaluated.
    annual: HashMap<PersonId, Score>,
    /// The criteria results of a year under Decree 90/2020.
    criteria: HashMap<PersonId, CriteriaResult>,
    facts: HashMap<PersonId, Vec<FactRecord>>,
    cases: HashMap<PersonId, Vec<DecidedCase>>,
    used: HashMap<Uuid, i32>,
}

/// The annual scores of the picked members: the mean summed by the database for everyone, except
/// the people in `lowest`, whose unit takes the lowest period instead (read from the periods).
async fn annual_scores(
    db: &impl congvu_db::Connection,
    picked: Members<'_>,
    lowest: &[PersonId],
    year: i32,
) -> Result<HashMap<PersonId, Score>> {
    let by_lowest: HashSet<&PersonId> = lowest.iter().collect();
    let mut annual = HashMap::new();
    for (p, general, total, months) in congvu_db::evaluation::mean_sums(db, picked, year).await? {
        if by_lowest.contains(&p) {
            continue;
        }
        if let Some(score) = assessment::mean_of_sums(general, total, months) {
            annual.insert(p, score);
        }
    }
    if lowest.is_empty() {
        return Ok(annual);
    }
    let mut periods: HashMap<PersonId, Vec<(Period, Score)>> = HashMap::new();
    for (p, period, score) in congvu_db::evaluation::scores_of_year(db, lowest, year).await? {
        periods.entry(p).or_default().push((period, score));
    }
    for (p, scores) in periods {
        if let Some(score) = assessment::annual(&scores, Aggregation::Lowest) {
            annual.insert(p, score);
        }
    }
    Ok(annual)
}

/// Loads the inputs of these members (their employment slices already read); `picked` selects
/// the same people for the reads of other tables, where the database probing each row beats
/// sending it every id, and `lowest` names those scored by the lowest period, not the mean.
async fn load_members(
    db: &impl congvu_db::Connection,
    members: Vec<Member>,
    picked: Members<'_>,
    lowest: &[PersonId],
    year: i32,
) -> Result<Inputs> {
    let annual = annual_scores(db, picked, lowest, year).await?;
    let mut facts: HashMap<PersonId, Vec<FactRecord>> = HashMap::new();
    for f in store::facts(db, picked, year).await? {
        facts.entry(f.person).or_default().push(f);
    }
    let mut cases: HashMap<PersonId, Vec<DecidedCase>> = HashMap::new();
    for c in store::decided_cases(db, picked).await? {
        cases.entry(c.person).or_default().push(c);
    }
    let criteria = congvu_db::evaluation::criteria_of_year(db, picked, year)
        .await?
        .into_iter()
        .collect();
    Ok(Inputs {
        members,
        annual,
        criteria,
        facts,
        cases,
        used: store::used_cases(db, picked).await?,
    })
}

/// The inputs of one unit's members on `day`.
async fn load(
    db: &impl congvu_db::Connection,
    unit: &congvu_db::unit::UnitRecord,
    year: i32,
    day: NaiveDate,
) -> Result<Inputs> {
    let persons = congvu_db::staff::members_on(db, unit.id, day).await?;
    let rule = congvu_db::evaluation::aggregation(db, &unit.path).await?;
    let picked = Members::Persons(&persons);
    let members = congvu_db::staff::employments_of(db, picked).await?;
    let lowest = match rule {
        Aggregation::Lowest => persons.as_slice(),
        Aggregation::Mean => &[],
    };
    load_members(db, members, picked, lowest, year).await
}

/// The discipline decisions of a person as the classification reads them (brief §4.4): every
/// decided case counts as duty-related (congvu records breaches of public-service conduct), the
/// case is the act, and an act committed in another unit counts as committed at a former one.
fn discipline_facts(
    cases: &[DecidedCase],
    used: &HashMap<Uuid, i32>,
    unit: UnitId,
) -> Vec<DisciplineFact> {
    cases
        .iter()
        .filter_map(|c| {
            Some(DisciplineFact {
                act: c.case.to_string(),
                form: Form::parse(&c.form)?,
                duty_related: true,
                effective_on: c.effective_on,
                used_for_kht_in: used.get(&c.case).copied(),
                at_former_unit: !c.violation_units.is_empty() && !c.violation_units.contains(&unit),
                committed_on: c.committed_on.unwrap_or(c.effective_on),
            })
        })
        .collect()
}

fn stretches(facts: &[FactRecord], kind: FactKind) -> Vec<Stretch> {
    facts
        .iter()
        .filter(|f| f.kind == kind)
        .filter_map(|f| Some((f.from?, f.to)))
        .collect()
}

/// Classifies one member: the scheme of the regime in force for them at the year's end.
fn classify_one(
    state: &AppState,
    inputs: &Inputs,
    unit: UnitId,
    year: i32,
    day: NaiveDate,
    member: &Member,
) -> Classification {
    let (person, employments) = (member.0, member.1.as_slice());
    let none = Vec::new();
    let facts = inputs.facts.get(&person).unwrap_or(&none);
    let has = |k: FactKind| facts.iter().any(|f| f.kind == k);
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(day);
    let slice = employment_on(employments, day);
    let scheme = slice
        .and_then(|s| {
            regime_in_force(
                &state.regimes,
                RegimeDomain::Assessment,
                s.category,
                year_end,
            )
        })
        .and_then(|r| state.assessment.scheme(&r.key));
    let Some(scheme) = scheme else {
        return Classification {
            outcome: Outcome::Undetermined,
            reasons: vec![assessment::Reason {
                code: "no_scheme",
                message: "Cuối năm không có chế độ đánh giá nào áp dụng cho người này".into(),
                message_en: "no assessment regime governs this person at the year's end".into(),
                basis: "data/regimes.toml".into(),
            }],
        };
    };
    let employed: Vec<Stretch> = employments
        .iter()
        .map(|e| (e.validity.from(), e.validity.to()))
        .collect();
    let unpaid = stretches(facts, FactKind::LeaveUnpaid);
    let mut leave = stretches(facts, FactKind::LeaveProtected);
    leave.extend(unpaid.iter().copied());
    let months_worked = worktime::months_worked(&employed, &leave, year);
    // Sick or maternity leave keeps a person rated on the time worked only when it is what took
    // them under six months (233/2026 Art. 14): without it, they would have had six.
    let protected_leave = has(FactKind::LeaveProtected)
        && worktime::months_worked(&employed, &unpaid, year) >= state.assessment.min_months;
    let discipline = inputs
        .cases
        .get(&person)
        .map(|c| discipline_facts(c, &inputs.used, unit))
        .unwrap_or_default();
    let p = PersonYear {
        year,
        score: inputs.annual.get(&person).copied(),
        criteria: inputs.criteria.get(&person).copied(),
        months_worked,
        protected_leave,
        degeneration: has(FactKind::Degeneration),
        managed_unit_corruption: has(FactKind::ManagedUnitCorruption),
        corruption_self_remedied: has(FactKind::CorruptionSelfRemedied),
        discipline: &discipline,
    };
    state.assessment.classify(scheme, &p)
}

/// The entries of a new round: every member with the computed result proposed.
fn computed_entries<'a>(
    state: &AppState,
    inputs: &Inputs,
    members: impl Iterator<Item = &'a Member>,
    round: &RoundRecord,
    day: NaiveDate,
) -> Vec<EntryRecord> {
    members
        .map(|member| {
            let c = classify_one(state, inputs, round.unit, round.year, day, member);
            let is_head =
                employment_on(&member.1, day).is_some_and(|s| s.unit == round.unit && s.is_leader);
            EntryRecord {
                id: Uuid::now_v7(),
                round: round.id,
                person: member.0,
                peer_group: DEFAULT_GROUP.to_owned(),
                is_head,
                computed: c.outcome,
                computed_reasons: c
                    .reasons
                    .into_iter()
                    .map(|r| StoredReason {
                        code: r.code.to_owned(),
                        message: r.message,
                        message_en: r.message_en,
                        basis: r.basis,
                    })
                    .collect(),
                proposed: c.outcome,
                override_reason: None,
                used_case: None,
                updated_by: None,
                updated_at: round.created_at,
            }
        })
        .collect()
}

/// Every breach of a proposed set (brief §11.4 item 20): an undetermined result, the HTXS share
/// per peer group, the head above the unit, and the units rated together (below it and beside it).
fn breaches(
    state: &AppState,
    round: &RoundRecord,
    entries: &[EntryRecord],
    units: &Together,
) -> Vec<BreachView> {
    let mut out = Vec::new();
    for e in entries
        .iter()
        .filter(|e| e.proposed == Outcome::Undetermined)
    {
        out.push(BreachView {
            scope: format!("person:{}", e.person),
            code: "classification.undetermined",
            message: "Chưa tính được kết quả; hãy đề xuất một mức kèm lý do".into(),
            message_en: "no result could be computed; propose one with a reason".into(),
        });
    }
    for (person, other) in &units.elsewhere {
        out.push(BreachView {
            scope: format!("person:{person}"),
            code: "classification.in_other_round",
            message: format!(
                "Người này cũng có trong kết quả xếp loại năm của đơn vị {other}: chỉ một đơn vị đánh giá cả năm (Nghị định 233/2026 Điều 15 khoản 1); hãy tính lại hoặc thay thế kết quả của đơn vị người đó đã rời"
            ),
            message_en: format!(
                "also in the year's classification of unit {other}: one unit rates the whole year (233/2026 Art. 15(1)): recompute or replace the round of the unit they left"
            ),
        });
    }
    let mut groups: BTreeMap<&str, Vec<Proposal>> = BTreeMap::new();
    for e in entries {
        groups.entry(&e.peer_group).or_default().push(Proposal {
            person: e.person,
            outcome: e.proposed,
            is_head: e.is_head,
        });
    }
    for (group, proposals) in &groups {
        for b in quota::check_group(&state.assessment.quota, group, proposals, round.unit_level) {
            let scope = match &b {
                quota::Breach::HeadAboveUnit { person, .. }
                | quota::Breach::UnitNotRated { person } => format!("person:{person}"),
                _ => format!("group:{group}"),
            };
            out.push(BreachView {
                scope,
                code: b.code(),
                message: b.message().vi,
                message_en: b.message().en,
            });
        }
    }
    for (scope, rated) in [("units", &units.below), ("siblings", &units.siblings)] {
        if rated.is_empty() {
            continue;
        }
        for b in quota::check_units(&state.assessment.quota, rated) {
            out.push(BreachView {
                scope: scope.into(),
                code: b.code(),
                message: b.message().vi,
                message_en: b.message().en,
            });
        }
    }
    out
}

/// The own ratings of the units directly below `parent`, from each one's newest round that has
/// one.
async fn units_below(
    db: &impl congvu_db::Connection,
    parent: UnitId,
    year: i32,
) -> Result<Vec<(UnitId, Level)>> {
    let children: Vec<UnitId> = congvu_db::unit::children(db, parent)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let mut levels: HashMap<UnitId, Level> = HashMap::new();
    for r in store::rounds_of_units(db, &children, year).await? {
        if r.state != RoundState::Replaced
            && let Some(l) = r.unit_level
        {
            levels.entry(r.unit).or_insert(l);
        }
    }
    Ok(children
        .into_iter()
        .filter_map(|u| levels.get(&u).map(|l| (u, *l)))
        .collect())
}

/// The units rated together with a round's: those directly below it (checked in its round), and
/// its siblings under the same managing body (checked in each sibling's round too, so the cap
/// holds even when the managing body opens no round of its own).
struct Together {
    below: Vec<(UnitId, Level)>,
    siblings: Vec<(UnitId, Level)>,
    /// Members also in another unit's live round of the year (a transfer during the year).
    elsewhere: Vec<(PersonId, UnitId)>,
}

async fn together(
    db: &impl congvu_db::Connection,
    unit: &congvu_db::unit::UnitRecord,
    round: &RoundRecord,
    entries: &[EntryRecord],
) -> Result<Together> {
    let year = round.year;
    let persons: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    Ok(Together {
        elsewhere: store::in_other_rounds(db, round.unit, year, &persons).await?,
        below: units_below(db, unit.id, year).await?,
        siblings: match unit.parent {
            Some(parent) => units_below(db, parent, year).await?,
            None => Vec::new(),
        },
    })
}

fn counts(entries: &[EntryRecord]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for e in entries {
        *out.entry(e.proposed.code()).or_insert(0) += 1;
    }
    out
}

/// Entries in name order (then person id, so that namesakes keep one order), as a unit's list
/// of staff reads; the stored order follows the person ids the computation went through.
fn by_name(mut views: Vec<EntryView>) -> Vec<EntryView> {
    views.sort_by(|a, b| (&a.full_name, a.person_id).cmp(&(&b.full_name, b.person_id)));
    views
}

fn entry_view(e: &EntryRecord, names: &HashMap<PersonId, String>) -> EntryView {
    EntryView {
        person_id: e.person.as_uuid(),
        full_name: names.get(&e.person).cloned().unwrap_or_default(),
        peer_group: e.peer_group.clone(),
        is_head: e.is_head,
        computed: e.computed.code(),
        reasons: e
            .computed_reasons
            .iter()
            .map(|r| ReasonView {
                code: r.code.clone(),
                message: r.message.clone(),
                message_en: r.message_en.clone(),
                basis: r.basis.clone(),
            })
            .collect(),
        proposed: e.proposed.code(),
        override_reason: e.override_reason.clone(),
        used_case_id: e.used_case,
    }
}

async fn round_view(
    state: &AppState,
    db: &impl congvu_db::Connection,
    unit: &congvu_db::unit::UnitRecord,
    r: RoundRecord,
    entries: Vec<EntryRecord>,
) -> Result<RoundView> {
    let persons: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    let names: HashMap<PersonId, String> = congvu_db::staff::people(db, &persons)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let units = together(db, unit, &r, &entries).await?;
    let breaches = breaches(state, &r, &entries, &units);
    Ok(RoundView {
        id: r.id,
        unit_id: r.unit.as_uuid(),
        year: r.year,
        version: r.version,
        state: r.state.code(),
        unit_level: r.unit_level.map(Level::code),
        replaces: r.replaces,
        reason: r.reason,
        created_at: r.created_at,
        finalised_at: r.finalised_at,
        counts: counts(&entries),
        entries: by_name(entries.iter().map(|e| entry_view(e, &names)).collect()),
        valid: breaches.is_empty(),
        breaches,
    })
}

/// Opens a unit's year: computes every member's result as a draft (409 when the year already
/// has a draft or a final decision: correct a final one by replacing it).
pub async fn open(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: OpenInput,
) -> Result<RoundView> {
    let reason = super::reason(input.reason.as_deref())?;
    let day = reference_day(state, input.year)?;
    let unit = super::unit_for(
        state,
        actor,
        unit,
        Action::ManageAssessment,
        "only a unit head or emulation officer opens the unit's year-end classification",
    )
    .await?;
    let txn = state.db.begin().await?;
    let existing = store::rounds_of(&txn, unit.id, input.year).await?;
    if let Some(r) = existing.iter().find(|r| r.state != RoundState::Replaced) {
        return Err(Error::Conflict {
            code: "classification.exists",
            detail: format!(
                "the unit's {} classification already has a {} round (version {}); a final one is corrected by replacing it",
                input.year,
                r.state.code(),
                r.version
            ),
        });
    }
    let round = RoundRecord {
        id: Uuid::now_v7(),
        unit: unit.id,
        year: input.year,
        version: existing.len() as i32 + 1,
        state: RoundState::Draft,
        unit_level: None,
        replaces: None,
        reason: reason.clone(),
        created_by: actor.user.as_uuid(),
        created_at: state.clock.now(),
        finalised_by: None,
        finalised_at: None,
    };
    let inputs = load(&txn, &unit, input.year, day).await?;
    let entries = computed_entries(state, &inputs, inputs.members.iter(), &round, day);
    store::insert_round(&txn, &round).await.map_err(|e| {
        super::taken(
            e,
            "year",
            "classification.exists",
            "the unit's year was opened at the same moment",
        )
    })?;
    store::insert_entries(&txn, &entries).await?;
    record(
        &txn,
        who(actor),
        "classification.open",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({
            "unit_id": unit.id.as_uuid(),
            "year": round.year,
            "version": round.version,
            "counts": counts(&entries),
        }),
        round.created_at,
    )
    .await?;
    let view = round_view(state, &txn, &unit, round, entries).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(view)
}

/// One unit's round opened with its subtree.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenedRound {
    pub unit_id: Uuid,
    pub round_id: Uuid,
    pub people: usize,
    pub counts: BTreeMap<&'static str, usize>,
    /// Breaches of the round's own proposals (quotas per peer group, undetermined results); the
    /// round's view adds those that depend on other rounds.
    pub breaches: usize,
}

/// What opening a subtree's year did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubtreeView {
    pub year: i32,
    pub opened: Vec<OpenedRound>,
    /// Units whose year already had a draft or final round, left as they were.
    pub skipped: Vec<Uuid>,
}

/// The annual-score rule of a unit path from every unit's own setting: the nearest unit on the
/// path with one, else the mean.
fn rule_for(path: &str, settings: &HashMap<UnitId, Aggregation>) -> Aggregation {
    congvu_core::policy::path_units(path)
        .iter()
        .rev()
        .find_map(|u| settings.get(u).copied())
        .unwrap_or(Aggregation::Mean)
}

/// Who is employed directly in which of `units` on `day`, from the members' slices: (person,
/// unit), in order.
fn members_on_day(members: &[Member], units: &[UnitId], day: NaiveDate) -> Vec<(PersonId, UnitId)> {
    let units: HashSet<&UnitId> = units.iter().collect();
    let mut out: Vec<(PersonId, UnitId)> = members
        .iter()
        .flat_map(|(p, slices)| {
            slices
                .iter()
                .filter(|s| s.validity.contains(day) && units.contains(&s.unit))
                .map(move |s| (*p, s.unit))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Opens the year of a unit and of every unit below it the actor manages, in one transaction
/// with batched reads (a province at year end): each unit without a live round gets a draft of
/// its members' computed results, exactly as `open` would make it, and one audit event records
/// the whole.
pub async fn open_subtree(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: OpenInput,
) -> Result<SubtreeView> {
    let reason = super::reason(input.reason.as_deref())?;
    let day = reference_day(state, input.year)?;
    let root = super::unit_for(
        state,
        actor,
        unit,
        Action::ManageAssessment,
        "only a unit head or emulation officer opens the year-end classification",
    )
    .await?;
    let txn = state.db.begin().await?;
    let units =
        congvu_db::unit::subtree(&txn, &actor.reach(Action::ManageAssessment), &root).await?;
    let ids: Vec<UnitId> = units.iter().map(|u| u.id).collect();
    let live: HashSet<UnitId> = store::rounds_of_units(&txn, &ids, input.year)
        .await?
        .into_iter()
        .filter(|r| r.state != RoundState::Replaced)
        .map(|r| r.unit)
        .collect();
    let to_open: Vec<&congvu_db::unit::UnitRecord> =
        units.iter().filter(|u| !live.contains(&u.id)).collect();
    let open_ids: Vec<UnitId> = to_open.iter().map(|u| u.id).collect();
    let picked = Members::EmployedIn(&open_ids, day);
    let slices = congvu_db::staff::employments_of(&txn, picked).await?;
    let membership = members_on_day(&slices, &open_ids, day);
    let settings: HashMap<UnitId, Aggregation> = congvu_db::evaluation::all_aggregations(&txn)
        .await?
        .into_iter()
        .collect();
    let paths: HashMap<UnitId, &str> = to_open.iter().map(|u| (u.id, u.path.as_str())).collect();
    let mut by_unit: HashMap<UnitId, Vec<PersonId>> = HashMap::new();
    let mut lowest = Vec::new();
    for (p, u) in &membership {
        by_unit.entry(*u).or_default().push(*p);
        let rule = paths
            .get(u)
            .map_or(Aggregation::Mean, |path| rule_for(path, &settings));
        if rule == Aggregation::Lowest {
            lowest.push(*p);
        }
    }
    let inputs = load_members(&txn, slices, picked, &lowest, input.year).await?;
    let people: HashMap<PersonId, &Member> = inputs.members.iter().map(|m| (m.0, m)).collect();
    let now = state.clock.now();
    let mut rounds = Vec::with_capacity(to_open.len());
    let mut entries = Vec::with_capacity(membership.len());
    let mut opened = Vec::with_capacity(to_open.len());
    for u in &to_open {
        let round = RoundRecord {
            id: Uuid::now_v7(),
            unit: u.id,
            year: input.year,
            version: 1,
            state: RoundState::Draft,
            unit_level: None,
            replaces: None,
            reason: reason.clone(),
            created_by: actor.user.as_uuid(),
            created_at: now,
            finalised_by: None,
            finalised_at: None,
        };
        let mine = by_unit.get(&u.id).map(Vec::as_slice).unwrap_or(&[]);
        let made = computed_entries(
            state,
            &inputs,
            mine.iter().filter_map(|p| people.get(p).copied()),
            &round,
            day,
        );
        let alone = Together {
            below: Vec::new(),
            siblings: Vec::new(),
            elsewhere: Vec::new(),
        };
        opened.push(OpenedRound {
            unit_id: u.id.as_uuid(),
            round_id: round.id,
            people: made.len(),
            counts: counts(&made),
            breaches: breaches(state, &round, &made, &alone).len(),
        });
        entries.extend(made);
        rounds.push(round);
    }
    store::insert_rounds(&txn, &rounds).await.map_err(|e| {
        super::taken(
            e,
            "year",
            "classification.exists",
            "a unit's year was opened at the same moment",
        )
    })?;
    store::insert_entries(&txn, &entries).await?;
    record(
        &txn,
        who(actor),
        "classification.open_subtree",
        ("unit", root.id.to_string()),
        &reason,
        &serde_json::json!({
            "year": input.year,
            "rounds": rounds.iter().map(|r| (r.unit.as_uuid(), r.id)).collect::<Vec<_>>(),
            "people": entries.len(),
        }),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(SubtreeView {
        year: input.year,
        opened,
        skipped: units
            .iter()
            .filter(|u| live.contains(&u.id))
            .map(|u| u.id.as_uuid())
            .collect(),
    })
}

/// A round and the unit it belongs to, in the actor's reach for `action` (404 outside).
async fn round_in_reach(
    db: &impl congvu_db::Connection,
    actor: &Actor,
    id: Uuid,
    lock: bool,
) -> Result<(RoundRecord, congvu_db::unit::UnitRecord)> {
    let round = store::find_round(db, id, lock).await?;
    let unit = congvu_db::unit::find(db, &actor.reach(Action::ViewEvaluation), round.unit).await?;
    Ok((round, unit))
}

/// A round with its entries and its validation.
pub async fn show(state: &AppState, actor: &Actor, id: Uuid) -> Result<RoundView> {
    let db = state.db.reader();
    let (round, unit) = round_in_reach(db, actor, id, false).await?;
    let entries = store::entries(db, round.id).await?;
    round_view(state, db, &unit, round, entries).await
}

/// The rounds of a unit's year, oldest first (without entries).
pub async fn list(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    year: i32,
) -> Result<Vec<RoundView>> {
    let db = state.db.reader();
    let unit = congvu_db::unit::find(db, &actor.reach(Action::ViewEvaluation), unit).await?;
    let mut out = Vec::new();
    for r in store::rounds_of(db, unit.id, year).await? {
        let entries = store::entries(db, r.id).await?;
        let mut v = round_view(state, db, &unit, r, entries).await?;
        v.entries.clear();
        out.push(v);
    }
    Ok(out)
}

/// Builds a changed round's view from its stored entries and commits the change.
async fn commit_view(
    state: &AppState,
    txn: congvu_db::Transaction,
    unit: &congvu_db::unit::UnitRecord,
    round: RoundRecord,
) -> Result<RoundView> {
    let entries = store::entries(&txn, round.id).await?;
    let view = round_view(state, &txn, unit, round, entries).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(view)
}

/// A draft in reach, locked for the transaction, of a unit where the actor manages assessment.
async fn draft_for(
    txn: &congvu_db::Transaction,
    actor: &Actor,
    id: Uuid,
    why: &'static str,
) -> Result<(RoundRecord, congvu_db::unit::UnitRecord)> {
    let (round, unit) = round_in_reach(txn, actor, id, true).await?;
    if !actor.may(Action::ManageAssessment, &unit.path) {
        return Err(Error::Forbidden(why));
    }
    must_be_draft(&round)?;
    Ok((round, unit))
}

fn must_be_draft(round: &RoundRecord) -> Result<()> {
    if round.state != RoundState::Draft {
        return Err(Error::Conflict {
            code: "classification.not_draft",
            detail: format!(
                "the round is {}; a final decision is corrected by replacing it",
                round.state.code()
            ),
        });
    }
    Ok(())
}

/// Changes one person's entry in a draft: the proposal (a reason whenever it differs from the
/// computed result), the peer group, whether they are the head, the case a KHT rests on.
pub async fn propose(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    person: PersonId,
    input: EntryInput,
) -> Result<RoundView> {
    let proposed = input.proposed.as_deref().map(outcome_arg).transpose()?;
    let group = input
        .peer_group
        .as_deref()
        .map(|g| congvu_core::text::required("peer_group", g, 64))
        .transpose()?;
    let txn = state.db.begin().await?;
    let (round, unit) = draft_for(
        &txn,
        actor,
        id,
        "only a unit head or emulation officer proposes results",
    )
    .await?;
    let entries = store::entries(&txn, round.id).await?;
    let mut entry = entries
        .iter()
        .find(|e| e.person == person)
        .cloned()
        .ok_or(Error::NotFound)?;
    if let Some(p) = proposed {
        // The head's own result is the managing body's to give (233/2026 Art. 13), never the
        // unit's officers' or the head's own.
        if (entry.is_head || input.is_head == Some(true))
            && !actor.may(Action::ManageAssessment, &managing_path(&txn, &unit).await?)
        {
            return Err(Error::Forbidden(
                "the head's result is proposed by the unit's managing body",
            ));
        }
        entry.proposed = p;
    }
    if let Some(g) = group {
        entry.peer_group = g;
    }
    if let Some(h) = input.is_head {
        entry.is_head = h;
    }
    if let Some(case) = input.used_case_id {
        let decided = store::decided_cases(&txn, Members::Persons(&[person])).await?;
        let usable = decided.iter().find(|c| c.case == case).is_some_and(|c| {
            c.committed_on.unwrap_or(c.effective_on).year() <= round.year
                && round.year < c.effective_on.year()
        });
        if !usable || entry.proposed != Outcome::Rated(Level::Kht) {
            return Err(Error::field(
                "used_case_id",
                "not_usable",
                "a KHT rests on a decided case of this person whose violation was committed by this year and decided in a later one",
            ));
        }
        entry.used_case = Some(case);
    } else if entry.proposed != Outcome::Rated(Level::Kht) {
        entry.used_case = None;
    }
    // Every change is explained: the proposal, and the peer group or head flag the quota reads.
    let reason = super::reason(input.reason.as_deref())?;
    if proposed.is_some() {
        entry.override_reason = (entry.proposed != entry.computed).then(|| reason.clone());
    }
    entry.updated_by = Some(actor.user.as_uuid());
    entry.updated_at = state.clock.now();
    store::update_entry(&txn, &entry).await?;
    record(
        &txn,
        who(actor),
        "classification.propose",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({
            "person_id": person.as_uuid(),
            "computed": entry.computed.code(),
            "proposed": entry.proposed.code(),
            "peer_group": entry.peer_group,
            "is_head": entry.is_head,
            "used_case_id": entry.used_case,
        }),
        entry.updated_at,
    )
    .await?;
    commit_view(state, txn, &unit, round).await
}

/// Recomputes a draft from the records as they are now (late evaluations, a decision of an
/// earlier year, new facts): every computed result and its reasons are renewed; a proposal
/// follows the computation unless an officer overrode it; people who joined are added and those
/// no longer members removed.
pub async fn recompute(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    reason: Option<&str>,
) -> Result<RoundView> {
    let reason = super::reason(reason)?;
    let txn = state.db.begin().await?;
    let (round, unit) = draft_for(
        &txn,
        actor,
        id,
        "only a unit head or emulation officer recomputes a classification",
    )
    .await?;
    let day = reference_day(state, round.year)?;
    let now = state.clock.now();
    let inputs = load(&txn, &unit, round.year, day).await?;
    let fresh = computed_entries(state, &inputs, inputs.members.iter(), &round, day);
    let old = store::entries(&txn, round.id).await?;
    let before: HashMap<PersonId, &EntryRecord> = old.iter().map(|e| (e.person, e)).collect();
    let mut added = Vec::new();
    let mut changed = 0;
    let mut kept = HashSet::new();
    for f in fresh {
        kept.insert(f.person);
        let Some(o) = before.get(&f.person) else {
            added.push(EntryRecord {
                updated_at: now,
                ..f
            });
            continue;
        };
        let mut e = (*o).clone();
        changed += usize::from(e.computed != f.computed);
        e.computed = f.computed;
        e.computed_reasons = f.computed_reasons;
        if e.override_reason.is_none() {
            e.proposed = f.computed;
        }
        e.updated_by = Some(actor.user.as_uuid());
        e.updated_at = now;
        store::update_entry(&txn, &e).await?;
    }
    let gone: Vec<Uuid> = old
        .iter()
        .filter(|e| !kept.contains(&e.person))
        .map(|e| e.id)
        .collect();
    store::delete_entries(&txn, &gone).await?;
    store::insert_entries(&txn, &added).await?;
    record(
        &txn,
        who(actor),
        "classification.recompute",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({ "changed": changed, "added": added.len(), "removed": gone.len() }),
        now,
    )
    .await?;
    commit_view(state, txn, &unit, round).await
}

/// The path of a unit's managing body: the unit above it, or the unit itself at the root.
async fn managing_path(
    db: &impl congvu_db::Connection,
    unit: &congvu_db::unit::UnitRecord,
) -> Result<String> {
    Ok(match unit.parent {
        Some(parent) => {
            congvu_db::unit::find(db, &congvu_core::policy::Reach::All, parent)
                .await?
                .path
        }
        None => unit.path.clone(),
    })
}

/// Gives a draft the unit's own rating: by the managing body (the unit above; the unit itself
/// for a root unit), 233/2026 Art. 13.
pub async fn set_unit_level(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: UnitLevelInput,
) -> Result<RoundView> {
    let level = level_arg("level", &input.level)?;
    let reason = super::reason(input.reason.as_deref())?;
    let txn = state.db.begin().await?;
    let (round, unit) = round_in_reach(&txn, actor, id, true).await?;
    if !actor.may(Action::ManageAssessment, &managing_path(&txn, &unit).await?) {
        return Err(Error::Forbidden(
            "the unit's own rating is given by its managing body",
        ));
    }
    must_be_draft(&round)?;
    store::set_unit_level(&txn, round.id, level).await?;
    let now = state.clock.now();
    record(
        &txn,
        who(actor),
        "classification.unit_level",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({ "unit_id": unit.id.as_uuid(), "level": level.code() }),
        now,
    )
    .await?;
    let round = RoundRecord {
        unit_level: Some(level),
        ..round
    };
    commit_view(state, txn, &unit, round).await
}

/// Finalises a valid draft: the unit's own head only; every breach is named when it is not
/// valid (422 `classification.invalid`). The round it replaces, if any, becomes `replaced`;
/// each person with an address is told their result by mail.
pub async fn finalise(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    reason: Option<&str>,
) -> Result<RoundView> {
    let reason = super::reason(reason)?;
    let txn = state.db.begin().await?;
    let (round, unit) = round_in_reach(&txn, actor, id, true).await?;
    if !actor.holds_at(Role::UnitHead, unit.id) {
        return Err(Error::Forbidden(
            "only the head of the unit itself finalises its classification",
        ));
    }
    must_be_draft(&round)?;
    let entries = store::entries(&txn, round.id).await?;
    let units = together(&txn, &unit, &round, &entries).await?;
    let found = breaches(state, &round, &entries, &units);
    if !found.is_empty() {
        return Err(Error::Breaches {
            code: "classification.invalid",
            detail: format!("{} breach(es): the set cannot be finalised", found.len()),
            breaches: found
                .into_iter()
                .map(|b| FieldError::new(b.scope, b.code, b.message))
                .collect(),
        });
    }
    let now = state.clock.now();
    store::set_state(
        &txn,
        round.id,
        RoundState::Final,
        Some((actor.user.as_uuid(), now)),
    )
    .await?;
    if let Some(old) = round.replaces {
        store::set_state(&txn, old, RoundState::Replaced, None).await?;
    }
    let persons: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    let people = congvu_db::staff::people(&txn, &persons).await?;
    let queued = notify(state, &txn, &unit, &round, &entries, &people).await?;
    record(
        &txn,
        who(actor),
        "classification.finalise",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({
            "unit_id": unit.id.as_uuid(),
            "year": round.year,
            "version": round.version,
            "replaces": round.replaces,
            "counts": counts(&entries),
            "notified": queued,
        }),
        now,
    )
    .await?;
    let round = RoundRecord {
        state: RoundState::Final,
        finalised_by: Some(actor.user.as_uuid()),
        finalised_at: Some(now),
        ..round
    };
    let view = round_view(state, &txn, &unit, round, entries).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(view)
}

/// The Vietnamese name of a result, for the notice.
fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Rated(Level::Htxs) => "Hoàn thành xuất sắc nhiệm vụ",
        Outcome::Rated(Level::Htt) => "Hoàn thành tốt nhiệm vụ",
        Outcome::Rated(Level::Ht) => "Hoàn thành nhiệm vụ",
        Outcome::Rated(Level::Kht) => "Không hoàn thành nhiệm vụ",
        Outcome::NotRated => "Không xếp loại",
        Outcome::Undetermined => "Chưa xác định",
    }
}

/// Queues each person's notice of their result (those without an address are counted out).
async fn notify(
    state: &AppState,
    txn: &congvu_db::Transaction,
    unit: &congvu_db::unit::UnitRecord,
    round: &RoundRecord,
    entries: &[EntryRecord],
    people: &[PersonRecord],
) -> Result<usize> {
    let by_id: HashMap<PersonId, &PersonRecord> = people.iter().map(|p| (p.id, p)).collect();
    let mut queued = 0;
    for e in entries {
        let Some(email) = by_id.get(&e.person).and_then(|p| p.email.as_deref()) else {
            continue;
        };
        let name = by_id.get(&e.person).map_or("", |p| p.full_name.as_str());
        let id = Uuid::now_v7();
        let replaced = match round.replaces {
            Some(_) => " Kết quả này thay thế kết quả đã thông báo trước đó.",
            None => "",
        };
        outbox::enqueue(
            txn,
            &Message {
                id,
                recipient_sealed: state.secrets.seal(email.as_bytes(), id.as_bytes())?,
                subject: format!("Kết quả xếp loại chất lượng năm {}", round.year),
                body: format!(
                    "Kính gửi {name},\n\n{} thông báo kết quả xếp loại chất lượng năm {} của đồng chí: {} ({}).{replaced}\n\nQuyết định số hiệu nội bộ {} (lần {}).\n",
                    unit.name,
                    round.year,
                    outcome_name(e.proposed),
                    e.proposed.code().to_uppercase(),
                    round.id,
                    round.version,
                ),
                attempts: 0,
                letter_id: None,
            },
            state.clock.now(),
        )
        .await?;
        queued += 1;
    }
    Ok(queued)
}

/// Opens a replacement of a final round: a draft carrying the final round's proposals, linked
/// to it; the old one stays in force until the replacement is finalised.
pub async fn replace(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    reason: Option<&str>,
) -> Result<RoundView> {
    let reason = super::reason(reason)?;
    let txn = state.db.begin().await?;
    let (old, unit) = round_in_reach(&txn, actor, id, true).await?;
    if !actor.may(Action::ManageAssessment, &unit.path) {
        return Err(Error::Forbidden(
            "only a unit head or emulation officer corrects a classification",
        ));
    }
    let rounds = store::rounds_of(&txn, unit.id, old.year).await?;
    if old.state != RoundState::Final || rounds.iter().any(|r| r.state == RoundState::Draft) {
        return Err(Error::Conflict {
            code: "classification.not_replaceable",
            detail: "only the final decision is replaced, and one replacement at a time".into(),
        });
    }
    let now = state.clock.now();
    let round = RoundRecord {
        id: Uuid::now_v7(),
        version: rounds.iter().map(|r| r.version).max().unwrap_or(0) + 1,
        state: RoundState::Draft,
        replaces: Some(old.id),
        reason: reason.clone(),
        created_by: actor.user.as_uuid(),
        created_at: now,
        finalised_by: None,
        finalised_at: None,
        ..old.clone()
    };
    let entries: Vec<EntryRecord> = store::entries(&txn, old.id)
        .await?
        .into_iter()
        .map(|e| EntryRecord {
            id: Uuid::now_v7(),
            round: round.id,
            updated_at: now,
            ..e
        })
        .collect();
    store::insert_round(&txn, &round).await.map_err(|e| {
        super::taken(
            e,
            "id",
            "classification.not_replaceable",
            "replaced at the same moment",
        )
    })?;
    store::insert_entries(&txn, &entries).await?;
    record(
        &txn,
        who(actor),
        "classification.replace",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({ "replaces": old.id, "version": round.version }),
        now,
    )
    .await?;
    let view = round_view(state, &txn, &unit, round, entries).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(view)
}

/// The unit's final result of a year, for its members and those who see its evaluations.
pub async fn published(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    year: i32,
) -> Result<PublishedView> {
    let db = state.db.reader();
    let today = congvu_core::calendar::vietnam_date(state.clock.now());
    let unit = congvu_db::unit::find(db, &congvu_core::policy::Reach::All, unit).await?;
    let member = match actor.person {
        Some(p) => congvu_db::staff::members_on(db, unit.id, today)
            .await?
            .contains(&p),
        None => false,
    };
    if !member && !actor.may(Action::ViewEvaluation, &unit.path) {
        return Err(DbError::NotFound.into());
    }
    let round = store::rounds_of(db, unit.id, year)
        .await?
        .into_iter()
        .find(|r| r.state == RoundState::Final)
        .ok_or(Error::NotFound)?;
    let entries = store::entries(db, round.id).await?;
    let persons: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    let names: HashMap<PersonId, String> = congvu_db::staff::people(db, &persons)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let mut results: Vec<PublishedEntry> = entries
        .iter()
        .map(|e| PublishedEntry {
            full_name: names.get(&e.person).cloned().unwrap_or_default(),
            result: e.proposed.code(),
        })
        .collect();
    results.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    Ok(PublishedView {
        unit_id: unit.id.as_uuid(),
        year,
        round_id: round.id,
        version: round.version,
        finalised_at: round.finalised_at,
        results,
    })
}

/// Records a fact the classification reads (leave with its dates; conclusions with their
/// document), by a unit head, HR or emulation officer of the person's unit.
pub async fn record_fact(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    input: FactInput,
) -> Result<FactView> {
    let kind = FactKind::parse(&input.kind).ok_or_else(|| {
        Error::field(
            "kind",
            "unknown_value",
            "leave_protected, leave_unpaid, degeneration, managed_unit_corruption or corruption_self_remedied",
        )
    })?;
    let reference = congvu_core::text::required("reference", &input.reference, 500)?;
    let reason = super::reason(input.reason.as_deref())?;
    let today = congvu_core::calendar::vietnam_date(state.clock.now());
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(input.year, 1, 1),
        NaiveDate::from_ymd_opt(input.year, 12, 31),
    ) else {
        return Err(Error::field("year", "out_of_range", "2000 to this year"));
    };
    if !(2000..=today.year()).contains(&input.year) {
        return Err(Error::field("year", "out_of_range", "2000 to this year"));
    }
    let (from, to) = match (kind.is_leave(), input.from, input.to) {
        // Leave may run across the year's ends (maternity leave from November to July): it is
        // read by every year it overlaps.
        (true, Some(from), Some(to))
            if from <= to && from <= last && to >= first && (to - from).num_days() < 800 =>
        {
            (Some(from), Some(to))
        }
        (true, _, _) => {
            return Err(Error::field(
                "from",
                "invalid_range",
                "leave needs a first and a last day, overlapping the year",
            ));
        }
        (false, None, None) => (None, None),
        (false, _, _) => {
            return Err(Error::field("from", "not_leave", "only leave has dates"));
        }
    };
    let txn = state.db.begin().await?;
    let p =
        congvu_db::staff::find(&txn, &actor.reach(Action::ViewStaff), actor.person, person).await?;
    // The right comes from the units the person worked in during the year, not from any past one.
    let mut may = false;
    for e in &p.employments {
        let in_year = e.validity.from() <= last && e.validity.to().is_none_or(|to| to >= first);
        if in_year {
            let unit =
                congvu_db::unit::find(&txn, &congvu_core::policy::Reach::All, e.unit).await?;
            may |= actor.may(Action::RecordEvaluation, &unit.path);
        }
    }
    if !may || actor.person == Some(person) {
        return Err(Error::Forbidden(
            "only a unit head, HR or emulation officer of the person's unit that year records this",
        ));
    }
    let fact = FactRecord {
        id: Uuid::now_v7(),
        person,
        year: input.year,
        kind,
        from,
        to,
        reference,
        recorded_by: actor.user.as_uuid(),
        created_at: state.clock.now(),
    };
    store::insert_fact(&txn, &fact).await?;
    record(
        &txn,
        who(actor),
        "assessment.fact",
        ("person", person.to_string()),
        &reason,
        &serde_json::json!({
            "year": fact.year,
            "kind": kind.code(),
            "from": from,
            "to": to,
            "reference": fact.reference,
        }),
        fact.created_at,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(FactView {
        id: fact.id,
        person_id: person.as_uuid(),
        year: fact.year,
        kind: kind.code(),
        from,
        to,
        reference: fact.reference,
    })
}
