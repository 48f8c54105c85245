//! Reading a case: the steps replayed through the state machine, the person's other violations and
//! decisions turned into the facts the domain view reads, and the view on a day.

use super::{CaseDetail, StepDetail};
use crate::error::{Error, Result};
use crate::state::AppState;
use chrono::NaiveDate;
use congvu_core::calendar::WorkCalendar;
use congvu_core::discipline::case::{self as procedure, Stage, StepLimits};
use congvu_core::discipline::view::{self, CaseFacts, CaseViolation};
use congvu_core::discipline::{
    CitationRule, Pause, Postponement, ViolationFacts, effect_end, is_repeat, postpones,
};
use congvu_core::policy::Reach;
use congvu_core::staff::{Category, Employment};
use congvu_core::violation::State as ViolationState;
use congvu_db::DbError;
use congvu_db::case::{CaseRecord, DecisionRecord, PauseRecord, StepRecord};
use congvu_db::unit::UnitRecord;
use congvu_db::violation::ViolationRecord;
use std::collections::HashMap;
use uuid::Uuid;

/// A recorded step as read back: the stage it led to, and its deadline.
#[derive(Debug, Clone)]
pub struct StepView {
    pub record: StepRecord,
    pub detail: StepDetail,
    pub stage_after: &'static str,
    /// The deadline the previous stage set for this step, if any.
    pub due_on: Option<NaiveDate>,
}

/// The employment slice that tells a person's category and leader flag on `day`: the one in force,
/// or else the last one that started before it.
pub(super) fn standing(slices: &[Employment], day: NaiveDate) -> Option<&Employment> {
    congvu_core::staff::employment_on(slices, day).or_else(|| {
        slices
            .iter()
            .filter(|s| s.validity.from() <= day)
            .max_by_key(|s| s.validity.from())
    })
}

/// Replays the steps through the state machine, with each step's deadline. Recorded steps are
/// applied as they were recorded ([`procedure::apply`]), never re-checked against today's rules:
/// only a code storage cannot read (a form no longer known) makes the case unreadable.
pub(super) fn replay(
    steps: &[StepRecord],
    limits: StepLimits,
    calendar: &WorkCalendar,
) -> Result<(Stage, Vec<StepView>)> {
    let mut stage = Stage::Opened;
    let mut views = Vec::with_capacity(steps.len());
    for s in steps {
        let detail = StepDetail::from(s.detail.clone());
        let due_on = procedure::step_due(&stage, limits, calendar)?;
        let step = detail
            .step(s.on, false)
            .map_err(|e| Error::Db(DbError::Corrupt(format!("case step {}: {e}", s.id))))?;
        stage = procedure::apply(&stage, &step);
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
pub(super) struct Loaded {
    pub(super) record: CaseRecord,
    pub(super) unit: UnitRecord,
    pub(super) calendar: WorkCalendar,
    pub(super) limits: StepLimits,
    /// Where the case's regime writes the procedural rules its refusals name.
    pub(super) citations: CitationRule,
    pub(super) person_violations: Vec<ViolationRecord>,
    pub(super) person_cases: Vec<CaseRecord>,
    pub(super) employments: Vec<Employment>,
}

pub(super) async fn load(
    state: &AppState,
    db: &impl congvu_db::Connection,
    record: CaseRecord,
) -> Result<Loaded> {
    let unit = congvu_db::unit::find(db, &Reach::All, record.unit).await?;
    let calendar = crate::service::units::calendar_for(state, &unit).await?;
    let limits = state
        .discipline
        .steps(&record.regime)
        .map(|r| r.limits)
        .ok_or_else(|| Error::Internal(format!("no step limits for {}", record.regime)))?;
    let citations = state.discipline.citations_or_unknown(&record.regime);
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
        citations,
        person_violations,
        person_cases,
        employments,
    })
}

/// The day an act counts from: its end when known.
pub(super) fn act_day(v: &ViolationRecord) -> NaiveDate {
    v.ended_on.unwrap_or(v.started_on)
}

/// Decisions of a person that stand (decided and not annulled), by effective date.
pub(super) fn standing_decisions(cases: &[CaseRecord]) -> Vec<(&CaseRecord, &DecisionRecord)> {
    let mut out: Vec<_> = cases
        .iter()
        .filter(|c| c.annulment.is_none())
        .filter_map(|c| c.decision.as_ref().map(|d| (c, d)))
        .collect();
    out.sort_by_key(|(_, d)| d.effective_on);
    out
}

/// How each standing decision's effect ends, given the person's confirmed acts.
pub(super) fn effects(
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
            let later = acts_in_other_cases(cases, violations, c.id);
            (
                c.id,
                (*d).clone(),
                effect_end(d.effective_on, state.discipline.effect_months, &later, next),
            )
        })
        .collect()
}

/// The acts that keep a decision in effect past 12 months: the person's violations in other cases
/// that still stand (open, or decided and not annulled). An act whose case ended with "no
/// violation" or an annulment, or that never reached a case, does not (Art. 2(9)).
fn acts_in_other_cases(
    cases: &[CaseRecord],
    violations: &[ViolationRecord],
    except: Uuid,
) -> Vec<NaiveDate> {
    let standing: Vec<Uuid> = cases
        .iter()
        .filter(|c| c.id != except && c.stage != "annulled" && c.stage != "no_violation")
        .flat_map(|c| c.violations.iter().map(|v| v.violation))
        .collect();
    violations
        .iter()
        .filter(|v| standing.contains(&v.id))
        .map(|v| v.started_on)
        .collect()
}

/// The facts the domain view reads, on `on`.
pub(super) fn facts(
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
pub(super) fn pauses(records: &[PauseRecord]) -> Vec<Pause> {
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

pub(super) fn postponement(code: &str) -> Option<Postponement> {
    match code {
        "grave_illness" => Some(Postponement::GraveIllness),
        "maternity_or_infant" => Some(Postponement::MaternityOrInfant),
        "criminal_proceedings" => Some(Postponement::CriminalProceedings),
        _ => None,
    }
}

pub(super) fn detail(state: &AppState, l: Loaded, on: NaiveDate) -> Result<CaseDetail> {
    let (stage, steps) = replay(&l.record.steps, l.limits, &l.calendar)?;
    let (facts, category, leader) = facts(state, &l, &stage, on)?;
    let mut case_view = view::view(&state.discipline, &facts, &l.calendar, l.limits, on)?;
    let knock = l
        .record
        .decision
        .as_ref()
        .filter(|_| l.record.annulment.is_none())
        .map(|d| state.consequences.of(&l.record.regime, category, d.form));
    // The announcement of a wrongful decision counts from the ruling (Art. 22(2)); once made,
    // nothing is due.
    let announcement_due = match &l.record.annulment {
        Some(a) => Some(
            l.calendar
                .add_working_days(a.ruling_on, l.limits.announcement_after_annulment)?,
        ),
        None => None,
    };
    if let Some(a) = &l.record.annulment {
        case_view.next_step = match (a.announced_on, announcement_due) {
            (None, Some(due)) => Some(("announcement", due)),
            _ => None,
        };
    }
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
