//! Discipline cases: open one from a person's confirmed violations under the regime chosen by the
//! law's transition rule, record the procedure's steps (replayed through the domain's state
//! machine), extend, pause and resume the clocks, decide, annul, and read the case on any day with
//! its live clocks, allowed forms and suggested form. Officers prepare; only a unit head of the
//! competent unit extends, decides, concludes and annuls.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::calendar::WorkCalendar;
use congvu_core::discipline::case::{
    self as procedure, Ballots, SkipReview, SkipToDecision, Stage, Step, StepError, StepLimits,
    convocation_deadline,
};
use congvu_core::discipline::view::{self, CaseFacts, CaseView, CaseViolation, DecisionRefusal};
use congvu_core::discipline::{
    Form, FormRefusal, PartyDecision, Pause, Postponement, ViolationFacts, case_regime, effect_end,
    is_repeat, postpones,
};
use congvu_core::ids::{PersonId, UnitId};
use congvu_core::legal::LegalBasis;
use congvu_core::policy::{Action, Actor, Reach, Role};
use congvu_core::staff::{Category, Employment};
use congvu_core::violation::State as ViolationState;
use congvu_db::case::{
    CaseFilter, CaseRecord, CaseViolationRecord, DecisionRecord, NewCase, NewStep, PauseRecord,
    StepRecord,
};
use congvu_db::unit::UnitRecord;
use congvu_db::violation::{EvidenceRecord, ViolationRecord};
use congvu_db::{DbError, Page};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// The acts with no limitation period (234/2026 Art. 5(3)).
pub const NO_LIMITATION: [&str; 4] = [
    "party_expulsion",
    "internal_political_protection",
    "national_interest",
    "false_degrees",
];

/// The kinds of case documents.
pub const DOCUMENT_KINDS: [&str; 8] = [
    "minutes",
    "self_criticism",
    "report",
    "convocation",
    "council_decision",
    "recommendation",
    "decision",
    "other",
];

/// One violation to consider, with the facts concluded about it.
#[derive(Debug, Clone)]
pub struct OpenViolation {
    pub id: Uuid,
    pub mitigating: bool,
    pub aggravating: bool,
    pub no_limitation: Option<String>,
}

/// What opens a case.
#[derive(Debug, Clone)]
pub struct OpenCase {
    pub violations: Vec<OpenViolation>,
    pub opened_on: NaiveDate,
    /// The reason the rule in force on the day of the act is more favourable, when a competent
    /// person decided so (§3.1).
    pub old_rule_more_favourable: Option<String>,
}

/// A council member as recorded.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CouncilMember {
    pub person_id: Uuid,
    /// chair or member
    pub role: String,
}

/// A step's particulars, stored as JSON beside its kind and date.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepDetail {
    HoldReview {
        /// The person read a self-criticism.
        self_criticism: bool,
        /// Why the meeting went ahead without the person: written_request or second_convocation.
        absent: Option<String>,
        documents: Vec<Uuid>,
    },
    SkipReview {
        /// former_unit or already_reviewed
        why: String,
        documents: Vec<Uuid>,
    },
    FormCouncil {
        members: Vec<CouncilMember>,
        documents: Vec<Uuid>,
    },
    HoldCouncil {
        /// The day the convocation was sent.
        convened_on: NaiveDate,
        members_present: u8,
        discipline_yes: u8,
        discipline_no: u8,
        form: Option<String>,
        documents: Vec<Uuid>,
    },
    Recommend {
        documents: Vec<Uuid>,
    },
    SkipToDecision {
        /// conclusion_proposes_form, court_conviction or party_decision
        why: String,
        party_form: Option<String>,
        party_announced_on: Option<NaiveDate>,
        documents: Vec<Uuid>,
    },
    ConcludeNoViolation {
        documents: Vec<Uuid>,
    },
    Decide {
        form: String,
        number: String,
        effective_on: NaiveDate,
    },
    Annul {
        ruling: String,
    },
}

impl StepDetail {
    fn kind(&self) -> &'static str {
        match self {
            Self::HoldReview { .. } => "hold_review",
            Self::SkipReview { .. } => "skip_review",
            Self::FormCouncil { .. } => "form_council",
            Self::HoldCouncil { .. } => "hold_council",
            Self::Recommend { .. } => "recommend",
            Self::SkipToDecision { .. } => "skip_to_decision",
            Self::ConcludeNoViolation { .. } => "conclude_no_violation",
            Self::Decide { .. } => "decide",
            Self::Annul { .. } => "annul",
        }
    }

    fn documents(&self) -> &[Uuid] {
        match self {
            Self::HoldReview { documents, .. }
            | Self::SkipReview { documents, .. }
            | Self::FormCouncil { documents, .. }
            | Self::HoldCouncil { documents, .. }
            | Self::Recommend { documents }
            | Self::SkipToDecision { documents, .. }
            | Self::ConcludeNoViolation { documents } => documents,
            Self::Decide { .. } | Self::Annul { .. } => &[],
        }
    }

    /// The domain step this detail stands for on `on` (`conflicted` from the council check).
    fn step(&self, on: NaiveDate, conflicted: bool) -> Result<Step> {
        let form = |code: &str| {
            Form::parse(code)
                .ok_or_else(|| Error::field("form", "unknown_form", "not a disciplinary form"))
        };
        Ok(match self {
            Self::HoldReview { .. } => Step::HoldReview { on },
            Self::SkipReview { why, .. } => Step::SkipReview {
                on,
                why: match why.as_str() {
                    "former_unit" => SkipReview::FormerUnit,
                    "already_reviewed" => SkipReview::AlreadyReviewed,
                    _ => {
                        return Err(Error::field(
                            "why",
                            "unknown_reason",
                            "must be former_unit or already_reviewed",
                        ));
                    }
                },
            },
            Self::FormCouncil { members, .. } => Step::FormCouncil {
                on,
                members: u8::try_from(members.len()).unwrap_or(u8::MAX),
                has_chair: members.iter().filter(|m| m.role == "chair").count() == 1,
                conflicted,
            },
            Self::HoldCouncil {
                members_present,
                discipline_yes,
                discipline_no,
                form: chosen,
                ..
            } => Step::HoldCouncil {
                on,
                ballots: Ballots {
                    members: *members_present,
                    discipline_yes: *discipline_yes,
                    discipline_no: *discipline_no,
                    form: chosen.as_deref().map(form).transpose()?,
                },
            },
            Self::Recommend { .. } => Step::Recommend { on },
            Self::SkipToDecision { why, .. } => Step::SkipToDecision {
                on,
                why: skip_to_decision(why)?,
            },
            Self::ConcludeNoViolation { .. } => Step::ConcludeNoViolation { on },
            Self::Decide { form: f, .. } => Step::Decide { on, form: form(f)? },
            Self::Annul { .. } => Step::Annul { on },
        })
    }
}

fn skip_to_decision(why: &str) -> Result<SkipToDecision> {
    match why {
        "conclusion_proposes_form" => Ok(SkipToDecision::ConclusionProposesForm),
        "court_conviction" => Ok(SkipToDecision::CourtConviction),
        "party_decision" => Ok(SkipToDecision::PartyDecision),
        _ => Err(Error::field(
            "why",
            "unknown_reason",
            "must be conclusion_proposes_form, court_conviction or party_decision",
        )),
    }
}

/// A recorded step as read back: the stage it led to, and its deadline.
#[derive(Debug, Clone)]
pub struct StepView {
    pub record: StepRecord,
    pub detail: StepDetail,
    pub stage_after: &'static str,
    /// The deadline the previous stage set for this step, if any.
    pub due_on: Option<NaiveDate>,
}

/// A case as read on a day.
#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub record: CaseRecord,
    pub on: NaiveDate,
    pub stage: Stage,
    pub steps: Vec<StepView>,
    pub violations: Vec<ViolationRecord>,
    pub category: Category,
    pub leader: bool,
    pub view: CaseView,
    /// What the decision brings beyond its form (when decided).
    pub knock: Option<congvu_core::discipline::Knock>,
    /// The public announcement due after an annulment.
    pub announcement_due: Option<NaiveDate>,
}

/// Short citation of a legal basis for messages.
pub fn cite(basis: &LegalBasis) -> String {
    match &basis.article {
        Some(article) => format!(
            "{}, {} [{}]",
            basis.document,
            article,
            basis.confidence.code()
        ),
        None => format!("{} [{}]", basis.document, basis.confidence.code()),
    }
}

fn step_error(e: StepError) -> Error {
    match e {
        StepError::OutOfOrder { stage, step } => Error::Conflict {
            code: "case.step_out_of_order",
            detail: format!("a case at stage {stage} cannot take the step {step}"),
        },
        StepError::Council(why) => Error::Refused {
            code: "case.council_invalid",
            detail: format!("{why} (Nghị định 234/2026/NĐ-CP Điều 2 khoản 11, Điều 14)"),
        },
        StepError::Ballots(why) => Error::Refused {
            code: "case.ballots_invalid",
            detail: format!("{why} (Nghị định 234/2026/NĐ-CP Điều 16)"),
        },
        StepError::Backdated => Error::Refused {
            code: "case.step_backdated",
            detail: "a step cannot be dated before the step it follows".into(),
        },
    }
}

fn not_in_scope() -> Error {
    Error::field("violations", "not_found", "no such violation in your units")
}

/// The employment slice that tells a person's category and leader flag on `day`: the one in force,
/// or else the last one that started before it.
fn standing(slices: &[Employment], day: NaiveDate) -> Option<&Employment> {
    congvu_core::staff::employment_on(slices, day).or_else(|| {
        slices
            .iter()
            .filter(|s| s.validity.from() <= day)
            .max_by_key(|s| s.validity.from())
    })
}

/// The unit whose head decides: the unit using the person, or for a manager the unit above it
/// (the body that appoints them; 234/2026 Art. 12).
fn competent_unit(unit: &UnitRecord, leader: bool) -> UnitId {
    match (leader, unit.parent) {
        (true, Some(parent)) => parent,
        _ => unit.id,
    }
}

/// Opens a case for the confirmed violations of one person.
pub async fn open(
    state: &AppState,
    actor: &Actor,
    input: OpenCase,
    reason: &str,
) -> Result<CaseDetail> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let mut violations = Vec::new();
    for v in &input.violations {
        let found =
            congvu_db::violation::find_for_update(&txn, &actor.reach(Action::ViewViolation), v.id)
                .await
                .map_err(|e| match e {
                    DbError::NotFound => not_in_scope(),
                    other => other.into(),
                })?;
        violations.push(found);
    }
    let Some(first) = violations.first() else {
        return Err(Error::field(
            "violations",
            "required",
            "a case gathers at least one violation",
        ));
    };
    let person = first.person;
    if violations.iter().any(|v| v.person != person) {
        return Err(Error::field(
            "violations",
            "mixed_persons",
            "a case gathers the violations of one person",
        ));
    }
    if let Some(v) = violations
        .iter()
        .find(|v| v.state != ViolationState::Confirmed)
    {
        return Err(Error::Conflict {
            code: "case.violation_not_confirmed",
            detail: format!("violation {} is {}, not confirmed", v.id, v.state.code()),
        });
    }
    let ids: Vec<Uuid> = violations.iter().map(|v| v.id).collect();
    if let Some(other) = congvu_db::case::live_cases_holding(&txn, &ids)
        .await?
        .first()
    {
        return Err(Error::Conflict {
            code: "case.violation_already_in_case",
            detail: format!(
                "a violation is disciplined only once: it already belongs to case {other} (Nghị định 234/2026/NĐ-CP Điều 2 khoản 2)"
            ),
        });
    }
    let person_record = congvu_db::staff::find(&txn, &Reach::All, None, person).await?;
    let employment = congvu_core::staff::employment_on(&person_record.employments, input.opened_on)
        .ok_or_else(|| {
            Error::field(
                "opened_on",
                "not_employed",
                "the person is not employed on this day",
            )
        })?;
    let unit = congvu_db::unit::find(&txn, &Reach::All, employment.unit).await?;
    if !actor.may(Action::ManageViolation, &unit.path) {
        return Err(Error::Forbidden(
            "only an administrator, unit head or HR officer of the person's unit opens a case",
        ));
    }
    let act_on = violations
        .iter()
        .map(|v| v.ended_on.unwrap_or(v.started_on))
        .min()
        .unwrap_or(input.opened_on);
    let (regime, regime_reason) = case_regime(
        &state.regimes,
        employment.category,
        act_on,
        input.opened_on,
        input.old_rule_more_favourable.as_deref(),
    )
    .ok_or_else(|| Error::Refused {
        code: "case.no_regime",
        detail: "no discipline regime is in force for the person's category on this day".into(),
    })?;
    if state
        .discipline
        .ladder(&regime.key, employment.category, employment.is_leader)
        .is_none()
    {
        return Err(Error::Refused {
            code: "case.no_ladder",
            detail: format!(
                "no disciplinary forms are defined for a {} ({}) under {}",
                employment.category.code(),
                if employment.is_leader {
                    "manager"
                } else {
                    "non-manager"
                },
                regime.key
            ),
        });
    }
    let id = Uuid::now_v7();
    let new = NewCase {
        id,
        person,
        unit: unit.id,
        competent_unit: competent_unit(&unit, employment.is_leader),
        regime: regime.key.clone(),
        regime_reason,
        opened_on: input.opened_on,
        stage: Stage::Opened.code(),
        violations: input
            .violations
            .iter()
            .map(|v| CaseViolationRecord {
                violation: v.id,
                mitigating: v.mitigating,
                aggravating: v.aggravating,
                no_limitation: v.no_limitation.clone(),
            })
            .collect(),
    };
    congvu_db::case::insert(&txn, &new, now).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        person_id: Uuid,
        violations: &'a [Uuid],
        regime: &'a str,
        regime_reason: &'a str,
        opened_on: NaiveDate,
        competent_unit_id: Uuid,
    }
    record(
        &txn,
        who(actor),
        "case.open",
        ("case", id.to_string()),
        reason,
        &Change {
            person_id: person.as_uuid(),
            violations: &ids,
            regime: &new.regime,
            regime_reason: &new.regime_reason,
            opened_on: new.opened_on,
            competent_unit_id: new.competent_unit.as_uuid(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id, input.opened_on.max(today(state))).await
}

/// Cases in reach; a unit filter outside reach is 404.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    unit: Option<UnitId>,
    mut filter: CaseFilter,
    page: Page,
) -> Result<Vec<CaseRecord>> {
    filter.unit_path = super::unit_filter(state, actor, unit).await?;
    congvu_db::case::list(
        state.db.reader(),
        &actor.reach(Action::ViewViolation),
        &filter,
        page,
    )
    .await
    .map_err(Error::from)
}

/// Replays the steps through the state machine, with each step's deadline.
fn replay(
    steps: &[StepRecord],
    limits: StepLimits,
    calendar: &WorkCalendar,
) -> Result<(Stage, Vec<StepView>)> {
    let mut stage = Stage::Opened;
    let mut views = Vec::with_capacity(steps.len());
    for s in steps {
        let detail: StepDetail = serde_json::from_str(&s.detail)
            .map_err(|e| Error::Db(DbError::Corrupt(format!("case step {}: {e}", s.id))))?;
        let due_on = procedure::step_due(&stage, limits, calendar)?;
        stage = procedure::advance(&stage, &detail.step(s.on, false)?)
            .map_err(|e| Error::Db(DbError::Corrupt(format!("case step {}: {e:?}", s.id))))?;
        views.push(StepView {
            record: s.clone(),
            detail,
            stage_after: stage.code(),
            due_on,
        });
    }
    Ok((stage, views))
}

/// Everything a case's view reads, gathered from storage.
struct Loaded {
    record: CaseRecord,
    unit: UnitRecord,
    calendar: WorkCalendar,
    limits: StepLimits,
    person_violations: Vec<ViolationRecord>,
    person_cases: Vec<CaseRecord>,
    employments: Vec<Employment>,
}

async fn load(
    state: &AppState,
    db: &impl congvu_db::Connection,
    record: CaseRecord,
) -> Result<Loaded> {
    let unit = congvu_db::unit::find(db, &Reach::All, record.unit).await?;
    let calendar = super::units::calendar_for(state, &unit).await?;
    let limits = state
        .discipline
        .steps(&record.regime)
        .map(|r| r.limits)
        .ok_or_else(|| Error::Internal(format!("no step limits for {}", record.regime)))?;
    let person_violations = congvu_db::violation::of_person(db, record.person).await?;
    let person_cases = congvu_db::case::of_person(db, record.person).await?;
    let employments = congvu_db::staff::find(db, &Reach::All, None, record.person)
        .await?
        .employments;
    Ok(Loaded {
        record,
        unit,
        calendar,
        limits,
        person_violations,
        person_cases,
        employments,
    })
}

/// The day an act counts from: its end when known.
fn act_day(v: &ViolationRecord) -> NaiveDate {
    v.ended_on.unwrap_or(v.started_on)
}

/// Decisions of a person that stand (decided and not annulled), by effective date.
fn standing_decisions(cases: &[CaseRecord]) -> Vec<(&CaseRecord, &DecisionRecord)> {
    let mut out: Vec<_> = cases
        .iter()
        .filter(|c| c.annulment.is_none())
        .filter_map(|c| c.decision.as_ref().map(|d| (c, d)))
        .collect();
    out.sort_by_key(|(_, d)| d.effective_on);
    out
}

/// How each standing decision's effect ends, given the person's confirmed acts.
fn effects(
    state: &AppState,
    cases: &[CaseRecord],
    violations: &[ViolationRecord],
) -> Vec<(
    Uuid,
    DecisionRecord,
    Option<congvu_core::discipline::EffectEnd>,
)> {
    let decisions = standing_decisions(cases);
    decisions
        .iter()
        .enumerate()
        .map(|(i, (c, d))| {
            let next = decisions.get(i + 1).map(|(_, n)| n.effective_on);
            let own: Vec<Uuid> = c.violations.iter().map(|v| v.violation).collect();
            let later: Vec<NaiveDate> = violations
                .iter()
                .filter(|v| v.state == ViolationState::Confirmed && !own.contains(&v.id))
                .map(|v| v.started_on)
                .collect();
            (
                c.id,
                (*d).clone(),
                effect_end(d.effective_on, state.discipline.effect_months, &later, next),
            )
        })
        .collect()
}

/// The facts the domain view reads, on `on`.
fn facts(
    state: &AppState,
    l: &Loaded,
    stage: &Stage,
    on: NaiveDate,
) -> Result<(CaseFacts, Category, bool)> {
    let decided_on = l.record.decision.as_ref().map(|d| d.signed_on);
    let as_of = decided_on.unwrap_or(on);
    let slice = standing(&l.employments, as_of)
        .ok_or_else(|| Error::Internal("a case's person has no employment".into()))?;
    let by_id: HashMap<Uuid, &ViolationRecord> =
        l.person_violations.iter().map(|v| (v.id, v)).collect();
    let other_decisions = standing_decisions(&l.person_cases)
        .into_iter()
        .filter(|(c, _)| c.id != l.record.id)
        .collect::<Vec<_>>();
    let effect_by_case: HashMap<Uuid, Option<congvu_core::discipline::EffectEnd>> =
        effects(state, &l.person_cases, &l.person_violations)
            .into_iter()
            .map(|(id, _, end)| (id, end))
            .collect();
    let mut case_violations = Vec::new();
    for cv in &l.record.violations {
        let v = by_id
            .get(&cv.violation)
            .ok_or_else(|| Error::Internal("a case's violation is missing".into()))?;
        // Repeat: an earlier standing decision about the same code item took effect within the
        // window before this act (Art. 2(8)).
        let repeat_of = other_decisions
            .iter()
            .filter(|(c, d)| {
                is_repeat(
                    d.effective_on,
                    v.started_on,
                    state.discipline.repeat_window_months,
                ) && c.violations.iter().any(|o| {
                    by_id
                        .get(&o.violation)
                        .is_some_and(|ov| ov.item_code == v.item_code)
                })
            })
            .map(|(_, d)| d.form)
            .next_back();
        case_violations.push(CaseViolation {
            counted_from: v.ended_on.unwrap_or(decided_on.unwrap_or(on)),
            discovered_on: v.discovered_on,
            facts: ViolationFacts {
                consequence: v.consequence,
                repeat_of,
                mitigating: cv.mitigating,
                aggravating: cv.aggravating,
            },
            no_limitation: cv.no_limitation.is_some(),
        });
    }
    let own: Vec<Uuid> = l.record.violations.iter().map(|v| v.violation).collect();
    let first_act = l
        .record
        .violations
        .iter()
        .filter_map(|cv| by_id.get(&cv.violation))
        .map(|v| v.started_on)
        .min()
        .unwrap_or(l.record.opened_on);
    let in_effect = other_decisions
        .iter()
        .filter(|(c, d)| {
            effect_by_case
                .get(&c.id)
                .copied()
                .flatten()
                .is_some_and(|end| end.covers(d.effective_on, first_act))
        })
        .map(|(_, d)| d.form)
        .next_back();
    let later_violations = l
        .person_violations
        .iter()
        .filter(|v| v.state == ViolationState::Confirmed && !own.contains(&v.id))
        .map(act_day)
        .collect();
    Ok((
        CaseFacts {
            regime: l.record.regime.clone(),
            category: slice.category,
            leader: slice.is_leader,
            violations: case_violations,
            later_violations,
            in_effect,
            extended: l.record.extension.is_some(),
            pauses: pauses(&l.record.pauses),
            stage: stage.clone(),
            party: l.record.party,
        },
        slice.category,
        slice.is_leader,
    ))
}

/// The pauses that stop the clocks: postponements (the maternity case not when the person asked
/// in writing to be disciplined) and complaint periods.
fn pauses(records: &[PauseRecord]) -> Vec<Pause> {
    records
        .iter()
        .filter(|p| match postponement(&p.reason) {
            Some(reason) => postpones(reason, p.asked_in_writing),
            None => true,
        })
        .map(|p| Pause {
            from: p.from,
            to: p.to,
        })
        .collect()
}

/// The reasons a case's clocks may stand still.
pub const PAUSE_REASONS: [&str; 4] = [
    "grave_illness",
    "maternity_or_infant",
    "criminal_proceedings",
    "complaint",
];

fn postponement(code: &str) -> Option<Postponement> {
    match code {
        "grave_illness" => Some(Postponement::GraveIllness),
        "maternity_or_infant" => Some(Postponement::MaternityOrInfant),
        "criminal_proceedings" => Some(Postponement::CriminalProceedings),
        _ => None,
    }
}

fn detail(state: &AppState, l: Loaded, on: NaiveDate) -> Result<CaseDetail> {
    let (stage, steps) = replay(&l.record.steps, l.limits, &l.calendar)?;
    let (facts, category, leader) = facts(state, &l, &stage, on)?;
    let case_view = view::view(&state.discipline, &facts, &l.calendar, l.limits, on)?;
    let knock = l
        .record
        .decision
        .as_ref()
        .filter(|_| l.record.annulment.is_none())
        .map(|d| state.consequences.of(&l.record.regime, category, d.form));
    let announcement_due = match &l.record.annulment {
        Some(a) => Some(
            l.calendar
                .add_working_days(a.on, l.limits.announcement_after_annulment)?,
        ),
        None => None,
    };
    let own: Vec<Uuid> = l.record.violations.iter().map(|v| v.violation).collect();
    let violations = l
        .person_violations
        .into_iter()
        .filter(|v| own.contains(&v.id))
        .collect();
    Ok(CaseDetail {
        record: l.record,
        on,
        stage,
        steps,
        violations,
        category,
        leader,
        view: case_view,
        knock,
        announcement_due,
    })
}

/// A case in reach, as it stands on `on`.
pub async fn get(state: &AppState, actor: &Actor, id: Uuid, on: NaiveDate) -> Result<CaseDetail> {
    let db = state.db.reader();
    let record = congvu_db::case::find(db, &actor.reach(Action::ViewViolation), id).await?;
    let loaded = load(state, db, record).await?;
    detail(state, loaded, on)
}

/// Who may do what on a case: officers of the case's unit prepare; the competent unit's head
/// decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Officer,
    CompetentHead,
}

fn check(actor: &Actor, needs: Needs, l: &Loaded) -> Result<()> {
    match needs {
        Needs::Officer if actor.may(Action::ManageViolation, &l.unit.path) => Ok(()),
        Needs::Officer => Err(Error::Forbidden(
            "only an administrator, unit head or HR officer of the case's unit prepares it",
        )),
        Needs::CompetentHead
            if actor
                .grants
                .iter()
                .any(|g| g.role == Role::UnitHead && g.unit == l.record.competent_unit) =>
        {
            Ok(())
        }
        Needs::CompetentHead => Err(Error::Forbidden(
            "only a unit head of the competent unit extends, decides or annuls (Nghị định 234/2026/NĐ-CP Điều 12)",
        )),
    }
}

/// Opens the case for a change: locked, loaded, and checked for the caller's role.
async fn for_change(
    state: &AppState,
    actor: &Actor,
    txn: &congvu_db::Transaction,
    id: Uuid,
    needs: Needs,
) -> Result<Loaded> {
    let record =
        congvu_db::case::find_for_update(txn, &actor.reach(Action::ViewViolation), id).await?;
    let loaded = load(state, txn, record).await?;
    check(actor, needs, &loaded)?;
    Ok(loaded)
}

fn not_future(field: &str, day: NaiveDate, today: NaiveDate) -> Result<()> {
    if day > today {
        Err(Error::field(field, "in_future", "cannot be after today"))
    } else {
        Ok(())
    }
}

/// Checks that the documents a step cites belong to the case, and that the kinds the step requires
/// are among them.
async fn check_documents(
    txn: &congvu_db::Transaction,
    case: Uuid,
    cited: &[Uuid],
    required: &[&'static str],
) -> Result<()> {
    let stored = congvu_db::case::documents(txn, case).await?;
    let mut kinds = Vec::new();
    for id in cited {
        let (kind, _) = stored
            .iter()
            .find(|(_, d)| d.id == *id)
            .ok_or_else(|| Error::field("documents", "not_found", "not a document of this case"))?;
        kinds.push(kind.as_str());
    }
    for kind in required {
        if !kinds.contains(kind) {
            return Err(Error::Refused {
                code: "case.document_required",
                detail: format!("this step needs a document of kind {kind}"),
            });
        }
    }
    Ok(())
}

/// Whether a council member is barred: the person themselves, or someone related to them by a
/// declared relationship (Art. 2(11)).
async fn conflicted(
    txn: &congvu_db::Transaction,
    person: PersonId,
    members: &[CouncilMember],
) -> Result<bool> {
    let relations = congvu_db::case::relations(txn, person).await?;
    Ok(members.iter().any(|m| {
        let member: PersonId = m.person_id.into();
        member == person
            || relations
                .iter()
                .any(|r| r.person == member || r.relative == member)
    }))
}

/// Checks a step's own rules before the state machine sees it.
async fn check_step(
    txn: &congvu_db::Transaction,
    l: &Loaded,
    on: NaiveDate,
    detail: &StepDetail,
) -> Result<bool> {
    let case = l.record.id;
    match detail {
        StepDetail::HoldReview {
            self_criticism,
            absent,
            documents,
        } => {
            match absent.as_deref() {
                None if !self_criticism => {
                    return Err(Error::Refused {
                        code: "case.self_criticism_required",
                        detail: "the person present at the review meeting reads a self-criticism (Nghị định 234/2026/NĐ-CP Điều 15)".into(),
                    });
                }
                None | Some("written_request" | "second_convocation") => {}
                Some(_) => {
                    return Err(Error::field(
                        "absent",
                        "unknown_reason",
                        "must be written_request or second_convocation",
                    ));
                }
            }
            check_documents(txn, case, documents, &["minutes"]).await?;
        }
        StepDetail::FormCouncil { members, documents } => {
            for m in members {
                congvu_db::staff::find(txn, &Reach::All, None, m.person_id.into())
                    .await
                    .map_err(|_| Error::field("members", "not_found", "no such staff member"))?;
                if m.role != "chair" && m.role != "member" {
                    return Err(Error::field(
                        "members",
                        "unknown_role",
                        "a member's role is chair or member",
                    ));
                }
            }
            check_documents(txn, case, documents, &[]).await?;
            return conflicted(txn, l.record.person, members).await;
        }
        StepDetail::HoldCouncil {
            convened_on,
            documents,
            ..
        } => {
            let latest = convocation_deadline(on, l.limits, &l.calendar)?;
            if *convened_on > latest {
                return Err(Error::Refused {
                    code: "case.convocation_late",
                    detail: format!(
                        "the convocation is sent at least {} working days before the meeting: by {latest} (Nghị định 234/2026/NĐ-CP Điều 16)",
                        l.limits.convocation_before_meeting
                    ),
                });
            }
            check_documents(txn, case, documents, &["minutes"]).await?;
        }
        StepDetail::SkipToDecision {
            why,
            party_form,
            party_announced_on,
            documents,
        } => {
            let party = skip_to_decision(why)? == SkipToDecision::PartyDecision;
            if party != (party_form.is_some() && party_announced_on.is_some()) {
                return Err(Error::field(
                    "party_form",
                    "party_decision",
                    "a Party decision skip names the Party form and the day it was announced, and only it does",
                ));
            }
            if let Some(code) = party_form
                && congvu_core::discipline::PartyForm::parse(code).is_none()
            {
                return Err(Error::field(
                    "party_form",
                    "unknown_form",
                    "must be khien_trach, canh_cao, cach_chuc or khai_tru",
                ));
            }
            check_documents(txn, case, documents, &[]).await?;
        }
        other => check_documents(txn, case, other.documents(), &[]).await?,
    }
    Ok(false)
}

/// Records a procedural step (not the decision or the annulment, which have their own use cases).
pub async fn record_step(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    on: NaiveDate,
    detail: StepDetail,
    reason: &str,
) -> Result<CaseDetail> {
    not_future("on", on, today(state))?;
    let needs = match detail {
        StepDetail::Decide { .. } | StepDetail::Annul { .. } => {
            return Err(Error::field(
                "kind",
                "own_endpoint",
                "decisions and annulments have their own endpoints",
            ));
        }
        StepDetail::ConcludeNoViolation { .. } => Needs::CompetentHead,
        _ => Needs::Officer,
    };
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, needs).await?;
    let (stage, _) = replay(&l.record.steps, l.limits, &l.calendar)?;
    let conflicted = check_step(&txn, &l, on, &detail).await?;
    let next = procedure::advance(&stage, &detail.step(on, conflicted)?).map_err(step_error)?;
    if let StepDetail::SkipToDecision {
        party_form: Some(form),
        party_announced_on: Some(announced_on),
        ..
    } = &detail
        && let Some(form) = congvu_core::discipline::PartyForm::parse(form)
    {
        congvu_db::case::set_party(
            &txn,
            id,
            PartyDecision {
                form,
                announced_on: *announced_on,
            },
            now,
        )
        .await?;
    }
    append(
        state,
        actor,
        &txn,
        &l,
        on,
        &detail,
        next.code(),
        reason,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id, today(state)).await
}

/// Appends a step and its audit event.
#[allow(clippy::too_many_arguments)]
async fn append(
    _state: &AppState,
    actor: &Actor,
    txn: &congvu_db::Transaction,
    l: &Loaded,
    on: NaiveDate,
    detail: &StepDetail,
    stage_after: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let json = serde_json::to_string(detail).map_err(|e| Error::Internal(e.to_string()))?;
    let seq =
        i32::try_from(l.record.steps.len() + 1).map_err(|e| Error::Internal(e.to_string()))?;
    congvu_db::case::append_step(
        txn,
        l.record.id,
        &NewStep {
            seq,
            kind: detail.kind(),
            on,
            detail: json,
            reason,
            stage_after,
        },
        actor.user,
        now,
    )
    .await
    .map_err(|e| match e {
        DbError::Conflict { .. } => Error::Conflict {
            code: "case.step_conflict",
            detail: "another step was recorded at the same time; read the case and retry".into(),
        },
        other => other.into(),
    })?;
    #[derive(Serialize)]
    struct Change<'a> {
        seq: i32,
        on: NaiveDate,
        stage: &'a str,
        detail: &'a StepDetail,
    }
    record(
        txn,
        who(actor),
        &format!("case.{}", detail.kind()),
        ("case", l.record.id.to_string()),
        reason,
        &Change {
            seq,
            on,
            stage: stage_after,
            detail,
        },
        now,
    )
    .await
}

/// What a decision says.
#[derive(Debug, Clone)]
pub struct Decision {
    pub form: Form,
    pub number: String,
    pub signed_on: NaiveDate,
    pub effective_on: NaiveDate,
}

fn refusal(r: DecisionRefusal) -> Error {
    match r {
        DecisionRefusal::Form(FormRefusal::NoLadder) => Error::Refused {
            code: "case.no_ladder",
            detail: "no disciplinary forms are defined for this person under the case's regime"
                .into(),
        },
        DecisionRefusal::Form(FormRefusal::NotAllowed { allowed, rule }) => Error::Refused {
            code: "case.form_not_allowed",
            detail: format!(
                "the form is not open to this person; allowed: {} ({})",
                allowed
                    .iter()
                    .map(|f| f.code())
                    .collect::<Vec<_>>()
                    .join(", "),
                cite(&rule)
            ),
        },
        DecisionRefusal::TimeBarred => Error::Refused {
            code: "case.time_barred",
            detail: "the limitation period of every violation has passed (Nghị định 234/2026/NĐ-CP Điều 5)".into(),
        },
    }
}

/// Decides the case with a form (unit head of the competent unit).
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    decision: Decision,
    reason: &str,
) -> Result<CaseDetail> {
    not_future("signed_on", decision.signed_on, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::CompetentHead).await?;
    if decision.effective_on < decision.signed_on && l.record.party.is_none() {
        return Err(Error::field(
            "effective_on",
            "before_signing",
            "a decision takes effect on or after the day it is signed",
        ));
    }
    let (stage, _) = replay(&l.record.steps, l.limits, &l.calendar)?;
    let (facts, _, _) = facts(state, &l, &stage, decision.signed_on)?;
    view::may_decide(&state.discipline, &facts, decision.form, decision.signed_on)
        .map_err(refusal)?;
    let detail = StepDetail::Decide {
        form: decision.form.code().to_owned(),
        number: decision.number.clone(),
        effective_on: decision.effective_on,
    };
    let next =
        procedure::advance(&stage, &detail.step(decision.signed_on, false)?).map_err(step_error)?;
    congvu_db::case::set_decision(
        &txn,
        id,
        &DecisionRecord {
            number: decision.number.clone(),
            form: decision.form,
            signer: actor.user,
            signed_on: decision.signed_on,
            effective_on: decision.effective_on,
        },
        now,
    )
    .await?;
    append(
        state,
        actor,
        &txn,
        &l,
        decision.signed_on,
        &detail,
        next.code(),
        reason,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id, today(state)).await
}

/// Annuls the decision after a complaint or ruling; the announcement at the unit falls due.
pub async fn annul(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    on: NaiveDate,
    ruling: &str,
    reason: &str,
) -> Result<CaseDetail> {
    not_future("on", on, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::CompetentHead).await?;
    let (stage, _) = replay(&l.record.steps, l.limits, &l.calendar)?;
    let detail = StepDetail::Annul {
        ruling: ruling.to_owned(),
    };
    let next = procedure::advance(&stage, &detail.step(on, false)?).map_err(step_error)?;
    congvu_db::case::set_annulment(&txn, id, on, ruling, now).await?;
    append(
        state,
        actor,
        &txn,
        &l,
        on,
        &detail,
        next.code(),
        reason,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id, today(state)).await
}

/// Records that the annulment was announced at the unit.
pub async fn announce(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    on: NaiveDate,
    reason: &str,
) -> Result<CaseDetail> {
    not_future("on", on, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::Officer).await?;
    let Some(annulment) = &l.record.annulment else {
        return Err(Error::Conflict {
            code: "case.not_annulled",
            detail: "only an annulled decision is announced".into(),
        });
    };
    if annulment.announced_on.is_some() {
        return Err(Error::Conflict {
            code: "case.already_announced",
            detail: "the annulment was already announced".into(),
        });
    }
    if on < annulment.on {
        return Err(Error::field(
            "on",
            "before_annulment",
            "cannot be before the annulment",
        ));
    }
    congvu_db::case::set_announced(&txn, id, on, now).await?;
    simple_event(actor, &txn, id, "case.announce", reason, on, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id, today(state)).await
}

async fn simple_event(
    actor: &Actor,
    txn: &congvu_db::Transaction,
    id: Uuid,
    action: &str,
    reason: &str,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    #[derive(Serialize)]
    struct Change {
        on: NaiveDate,
    }
    record(
        txn,
        who(actor),
        action,
        ("case", id.to_string()),
        reason,
        &Change { on },
        now,
    )
    .await
}

/// Extends the handling limit to 150 days (a decision of the competent authority, once).
pub async fn extend(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    on: NaiveDate,
    reason: &str,
) -> Result<CaseDetail> {
    not_future("on", on, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::CompetentHead).await?;
    let (stage, _) = replay(&l.record.steps, l.limits, &l.calendar)?;
    if stage.is_final() {
        return Err(Error::Conflict {
            code: "case.final",
            detail: format!("the case is {}", stage.code()),
        });
    }
    if l.record.extension.is_some() {
        return Err(Error::Conflict {
            code: "case.already_extended",
            detail:
                "the handling limit can be extended once (Nghị định 234/2026/NĐ-CP Điều 5 khoản 5)"
                    .into(),
        });
    }
    if on < l.record.opened_on {
        return Err(Error::field(
            "on",
            "before_opening",
            "cannot be before the case opened",
        ));
    }
    congvu_db::case::set_extension(&txn, id, on, reason, now).await?;
    simple_event(actor, &txn, id, "case.extend", reason, on, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id, today(state)).await
}

/// A pause to start.
#[derive(Debug, Clone)]
pub struct NewPause {
    pub reason: String,
    pub asked_in_writing: bool,
    pub from: NaiveDate,
    pub note: String,
}

/// Starts a pause of the clocks (postponement or complaint period).
pub async fn pause(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    new: NewPause,
    reason: &str,
) -> Result<CaseDetail> {
    not_future("from", new.from, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::Officer).await?;
    if l.record.pauses.iter().any(|p| p.to.is_none()) {
        return Err(Error::Conflict {
            code: "case.pause_open",
            detail: "a pause is already running; resume it first".into(),
        });
    }
    if let Some(last) = l.record.pauses.iter().filter_map(|p| p.to).max()
        && new.from <= last
    {
        return Err(Error::field(
            "from",
            "overlaps",
            "pauses do not overlap: start after the last one ended",
        ));
    }
    let record_ = PauseRecord {
        id: Uuid::now_v7(),
        reason: new.reason,
        asked_in_writing: new.asked_in_writing,
        from: new.from,
        to: None,
        note: new.note,
        recorded_by: actor.user,
        at: now,
    };
    congvu_db::case::insert_pause(&txn, id, &record_).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        pause_id: Uuid,
        reason: &'a str,
        asked_in_writing: bool,
        from: NaiveDate,
        stops_clocks: bool,
    }
    record(
        &txn,
        who(actor),
        "case.pause",
        ("case", id.to_string()),
        reason,
        &Change {
            pause_id: record_.id,
            reason: &record_.reason,
            asked_in_writing: record_.asked_in_writing,
            from: record_.from,
            stops_clocks: !pauses(std::slice::from_ref(&record_)).is_empty(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id, today(state)).await
}

/// Ends a running pause; `to` is its last paused day.
pub async fn resume(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    pause: Uuid,
    to: NaiveDate,
    reason: &str,
) -> Result<CaseDetail> {
    not_future("to", to, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::Officer).await?;
    let running = l
        .record
        .pauses
        .iter()
        .find(|p| p.id == pause && p.to.is_none())
        .ok_or(Error::NotFound)?;
    if to < running.from {
        return Err(Error::field(
            "to",
            "before_start",
            "a pause cannot end before it started",
        ));
    }
    congvu_db::case::end_pause(&txn, id, pause, to).await?;
    simple_event(actor, &txn, id, "case.resume", reason, to, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id, today(state)).await
}

/// Stores a document of the case.
#[allow(clippy::too_many_arguments)]
pub async fn add_document(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    kind: &str,
    filename: &str,
    content_type: &'static str,
    data: Vec<u8>,
    reason: &str,
) -> Result<(String, EvidenceRecord)> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    for_change(state, actor, &txn, id, Needs::Officer).await?;
    let record_ = EvidenceRecord {
        id: Uuid::now_v7(),
        filename: filename.to_owned(),
        content_type: content_type.to_owned(),
        size: i64::try_from(data.len()).map_err(|_| Error::TooLarge)?,
        sha256: congvu_core::audit::digest_bytes(&data),
        uploaded_by: actor.user,
        at: now,
    };
    congvu_db::case::insert_document(&txn, id, kind, &record_, data).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        document_id: Uuid,
        kind: &'a str,
        filename: &'a str,
        size: i64,
        sha256: &'a str,
    }
    record(
        &txn,
        who(actor),
        "case.document",
        ("case", id.to_string()),
        reason,
        &Change {
            document_id: record_.id,
            kind,
            filename: &record_.filename,
            size: record_.size,
            sha256: &record_.sha256,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok((kind.to_owned(), record_))
}

/// The documents of a case in reach.
pub async fn documents(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
) -> Result<Vec<(String, EvidenceRecord)>> {
    congvu_db::case::find(state.db.reader(), &actor.reach(Action::ViewViolation), id).await?;
    congvu_db::case::documents(state.db.reader(), id)
        .await
        .map_err(Error::from)
}

/// One document of a case in reach, with its bytes.
pub async fn document_file(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    document: Uuid,
) -> Result<(EvidenceRecord, Vec<u8>)> {
    congvu_db::case::find(state.db.reader(), &actor.reach(Action::ViewViolation), id).await?;
    congvu_db::case::document_file(state.db.reader(), id, document)
        .await
        .map_err(Error::from)
}

/// A decision as the staff record shows it.
#[derive(Debug, Clone)]
pub struct DecisionEntry {
    pub case: Uuid,
    pub decision: DecisionRecord,
    pub effect: Option<congvu_core::discipline::EffectEnd>,
    pub in_effect: bool,
    /// The last day of the repeat-offence window (12 months from taking effect).
    pub repeat_window_until: Option<NaiveDate>,
    pub item_codes: Vec<String>,
    pub knock: congvu_core::discipline::Knock,
}

/// A staff member's discipline record on a day.
#[derive(Debug, Clone)]
pub struct StaffRecord {
    pub person: PersonId,
    pub on: NaiveDate,
    pub violations: Vec<ViolationRecord>,
    pub cases: Vec<CaseRecord>,
    /// Decisions that stand (not annulled), with their effect on `on`.
    pub decisions: Vec<DecisionEntry>,
}

/// The discipline record of a staff member in reach.
pub async fn staff_record(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    on: NaiveDate,
) -> Result<StaffRecord> {
    let db = state.db.reader();
    let person_record =
        congvu_db::staff::find(db, &actor.reach(Action::ViewViolation), None, person).await?;
    let violations = congvu_db::violation::of_person(db, person).await?;
    let cases = congvu_db::case::of_person(db, person).await?;
    let by_id: HashMap<Uuid, &ViolationRecord> = violations.iter().map(|v| (v.id, v)).collect();
    let decisions: Vec<DecisionEntry> = effects(state, &cases, &violations)
        .into_iter()
        .filter_map(|(case_id, decision, effect)| {
            let case = cases.iter().find(|c| c.id == case_id)?;
            let category = standing(&person_record.employments, decision.signed_on)
                .map(|e| e.category)
                .unwrap_or(Category::CongChuc);
            let mut item_codes: Vec<String> = case
                .violations
                .iter()
                .filter_map(|cv| by_id.get(&cv.violation).map(|v| v.item_code.clone()))
                .collect();
            item_codes.dedup();
            Some(DecisionEntry {
                case: case_id,
                in_effect: effect.is_some_and(|e| e.covers(decision.effective_on, on)),
                repeat_window_until: congvu_core::discipline::effect_ends(
                    decision.effective_on,
                    state.discipline.repeat_window_months,
                ),
                knock: state.consequences.of(&case.regime, category, decision.form),
                effect,
                decision,
                item_codes,
            })
        })
        .collect();
    // Only what the caller may see: violations and cases of units in reach.
    let reach = actor.reach(Action::ViewViolation);
    let mut units: Vec<UnitId> = violations.iter().map(|v| v.unit).collect();
    units.extend(cases.iter().map(|c| c.unit));
    let seen = congvu_db::unit::in_reach(db, &reach, &units).await?;
    let visible_cases: Vec<Uuid> = cases
        .iter()
        .filter(|c| seen.contains(&c.unit))
        .map(|c| c.id)
        .collect();
    Ok(StaffRecord {
        person,
        on,
        violations: violations
            .into_iter()
            .filter(|v| seen.contains(&v.unit))
            .collect(),
        cases: cases
            .into_iter()
            .filter(|c| visible_cases.contains(&c.id))
            .collect(),
        decisions: decisions
            .into_iter()
            .filter(|d: &DecisionEntry| visible_cases.contains(&d.case))
            .collect(),
    })
}

/// Today in Vietnam.
pub fn today(state: &AppState) -> NaiveDate {
    congvu_core::calendar::vietnam_date(state.clock.now())
}

/// The kinds of relationship that bar someone from a person's council (234/2026 Art. 2(11)).
pub const RELATION_KINDS: [&str; 10] = [
    "spouse",
    "parent",
    "parent_in_law",
    "adoptive_parent",
    "child",
    "sibling",
    "aunt_or_uncle",
    "spouse_sibling",
    "sibling_spouse",
    "interested",
];

/// Records a relationship a staff member declared (HR officer of their unit).
pub async fn declare_relation(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    relative: PersonId,
    kind: &str,
    reason: &str,
) -> Result<Vec<congvu_db::case::RelationRecord>> {
    if person == relative {
        return Err(Error::field(
            "relative_id",
            "same_person",
            "a person is not their own relative",
        ));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::staff::find(&txn, &actor.reach(Action::ManageStaff), None, person).await?;
    congvu_db::staff::find(&txn, &Reach::All, None, relative)
        .await
        .map_err(|_| Error::field("relative_id", "not_found", "no such staff member"))?;
    let relation = congvu_db::case::RelationRecord {
        id: Uuid::now_v7(),
        person,
        relative,
        kind: kind.to_owned(),
        recorded_by: actor.user,
        at: now,
    };
    congvu_db::case::insert_relation(&txn, &relation)
        .await
        .map_err(|e| {
            super::taken(
                e,
                "relative_id",
                "relation.exists",
                "this relationship is already declared",
            )
        })?;
    #[derive(Serialize)]
    struct Change<'a> {
        relation_id: Uuid,
        relative_id: Uuid,
        kind: &'a str,
    }
    record(
        &txn,
        who(actor),
        "staff.relation",
        ("person", person.to_string()),
        reason,
        &Change {
            relation_id: relation.id,
            relative_id: relative.as_uuid(),
            kind,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    relations(state, actor, person).await
}

/// The relationships declared by or about a staff member in reach.
pub async fn relations(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
) -> Result<Vec<congvu_db::case::RelationRecord>> {
    congvu_db::staff::find(
        state.db.reader(),
        &actor.reach(Action::ViewStaff),
        None,
        person,
    )
    .await?;
    congvu_db::case::relations(state.db.reader(), person)
        .await
        .map_err(Error::from)
}
