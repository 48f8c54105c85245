//! Discipline cases: open one from a person's confirmed violations under the regime chosen by the
//! law's transition rule, record the procedure's steps (replayed through the domain's state
//! machine), extend, pause and resume the clocks, decide, annul, and read the case on any day with
//! its live clocks, allowed forms and suggested form. Officers prepare; only a unit head of the
//! competent unit extends, decides, concludes and annuls.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::discipline::case::{self as procedure, Stage, StepError};
use congvu_core::discipline::view::{self, CaseView, DecisionRefusal};
use congvu_core::discipline::{
    CitationRule, Form, FormRefusal, PartyDecision, Procedure, case_regime,
};
use congvu_core::ids::UnitId;
use congvu_core::legal::LegalBasis;
use congvu_core::policy::{Action, Actor, Reach, Role};
use congvu_core::staff::{Category, Employment};
use congvu_core::violation::State as ViolationState;
use congvu_db::case::{
    CaseFilter, CaseRecord, CaseViolationRecord, DecisionRecord, NewCase, NewStep, PauseRecord,
    StepParticulars,
};
use congvu_db::violation::ViolationRecord;
use congvu_db::{DbError, Page};
use serde::Serialize;
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

mod clocks;
mod decision;
mod facts;
mod record;
mod steps;

pub use clocks::*;
use congvu_core::discipline::particulars::{self, NoLimitation};
pub use decision::*;
pub use facts::StepView;
use facts::{Loaded, detail, facts, load, pauses, replay};
pub use record::{
    DecisionEntry, RELATION_KINDS, StaffRecord, add_document, declare_relation, document_file,
    documents, relations, staff_record,
};
use steps::check_step;
pub use steps::{CouncilMember, StepDetail};

/// One violation to consider, with the facts concluded about it.
#[derive(Debug, Clone)]
pub struct OpenViolation {
    pub id: Uuid,
    pub mitigating: bool,
    pub aggravating: bool,
    /// An act with no limitation period (234/2026 Art. 5(3)).
    pub no_limitation: Option<NoLimitation>,
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

/// A refusal of the procedure, citing the case's own regime.
fn step_error(e: StepError, citations: &CitationRule) -> Error {
    match e {
        StepError::OutOfOrder { stage, step } => Error::Conflict {
            code: "case.step_out_of_order",
            detail: format!("a case at stage {stage} cannot take the step {step}"),
        },
        StepError::Council(why) => Error::Refused {
            code: "case.council_invalid",
            detail: format!("{why} ({})", citations.cite(Procedure::Council)),
        },
        StepError::Ballots(why) => Error::Refused {
            code: "case.ballots_invalid",
            detail: format!("{why} ({})", citations.cite(Procedure::Ballots)),
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

/// Reads and locks the violations of a new case, in ID order (so two openings never wait on each
/// other in opposite orders), and checks they are confirmed acts of one person.
async fn gather(
    txn: &congvu_db::Transaction,
    actor: &Actor,
    input: &OpenCase,
) -> Result<Vec<ViolationRecord>> {
    let mut ids: Vec<Uuid> = input.violations.iter().map(|v| v.id).collect();
    ids.sort();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::field(
            "violations",
            "duplicate",
            "a violation is listed twice",
        ));
    }
    let mut violations = Vec::with_capacity(ids.len());
    for id in ids {
        let found =
            congvu_db::violation::find_for_update(txn, &actor.reach(Action::ViewViolation), id)
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
    if violations.iter().any(|v| v.person != first.person) {
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
    let discovered = violations.iter().map(|v| v.discovered_on).max();
    if discovered.is_some_and(|d| input.opened_on < d) {
        return Err(Error::field(
            "opened_on",
            "before_discovery",
            "a case opens once its violations are discovered",
        ));
    }
    Ok(violations)
}

/// The regime of a new case (§3.1), refused when none applies or it defines no forms for the
/// person.
fn choose_regime(
    state: &AppState,
    employment: &Employment,
    violations: &[ViolationRecord],
    input: &OpenCase,
) -> Result<(String, String)> {
    let act_on = violations
        .iter()
        .map(|v| v.ended_on.unwrap_or(v.started_on))
        .min()
        .unwrap_or(input.opened_on);
    let (regime, why) = case_regime(
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
    Ok((regime.key.clone(), why))
}

/// Opens a case for the confirmed violations of one person.
pub async fn open(
    state: &AppState,
    actor: &Actor,
    input: OpenCase,
    reason: &str,
) -> Result<CaseDetail> {
    not_future("opened_on", input.opened_on, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let violations = gather(&txn, actor, &input).await?;
    let person = violations
        .first()
        .map(|v| v.person)
        .ok_or_else(|| Error::Internal("gathered no violation".into()))?;
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
    if actor.person == Some(person) {
        return Err(Error::Forbidden(
            "nobody prepares or decides their own case",
        ));
    }
    let competent = particulars::competent_unit(unit.id, unit.parent, employment.is_leader);
    if input.old_rule_more_favourable.is_some() && !heads(actor, competent) {
        return Err(Error::Forbidden(
            "only a unit head of the competent unit decides that the old rule is more favourable",
        ));
    }
    let (regime, regime_reason) = choose_regime(state, employment, &violations, &input)?;
    let ids: Vec<Uuid> = violations.iter().map(|v| v.id).collect();
    if !congvu_db::case::live_cases_holding(&txn, &ids)
        .await?
        .is_empty()
    {
        return Err(Error::Conflict {
            code: "case.violation_already_in_case",
            detail: format!(
                "a violation is disciplined only once: one of them already belongs to a case that stands ({})",
                state.discipline.cite(&regime, Procedure::OnceOnly)
            ),
        });
    }
    let id = Uuid::now_v7();
    let new = NewCase {
        id,
        person,
        unit: unit.id,
        competent_unit: competent,
        regime,
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
                no_limitation: v.no_limitation.map(|n| n.code().to_owned()),
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
    get(state, actor, id.into(), input.opened_on.max(today(state))).await
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

/// The reasons a case's clocks may stand still.
pub const PAUSE_REASONS: [&str; 4] = [
    "grave_illness",
    "maternity_or_infant",
    "criminal_proceedings",
    "complaint",
];

/// A case in reach, as it stands on `on`.
pub async fn get(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
    on: NaiveDate,
) -> Result<CaseDetail> {
    let id = id.as_uuid();
    let db = state.db.reader();
    let record = congvu_db::case::find(db, &actor.reach(Action::ViewViolation), id).await?;
    if on < record.opened_on {
        return Err(Error::field(
            "on",
            "before_opening",
            "the case did not exist yet on this day",
        ));
    }
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

/// Whether the actor holds `unit_head` at exactly this unit.
fn heads(actor: &Actor, unit: UnitId) -> bool {
    actor
        .grants
        .iter()
        .any(|g| g.role == Role::UnitHead && g.unit == unit)
}

fn check(actor: &Actor, needs: Needs, l: &Loaded) -> Result<()> {
    if actor.person == Some(l.record.person) {
        return Err(Error::Forbidden(
            "nobody prepares or decides their own case",
        ));
    }
    match needs {
        Needs::Officer if actor.may(Action::ManageViolation, &l.unit.path) => Ok(()),
        Needs::Officer => Err(Error::Forbidden(
            "only an administrator, unit head or HR officer of the case's unit prepares it",
        )),
        Needs::CompetentHead if heads(actor, l.record.competent_unit) => Ok(()),
        Needs::CompetentHead => Err(Error::Forbidden(
            "only a unit head of the competent unit extends, decides or annuls",
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

/// Records a procedural step (not the decision or the annulment, which have their own use cases).
pub async fn record_step(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
    on: NaiveDate,
    detail: StepDetail,
    reason: &str,
) -> Result<CaseDetail> {
    let id = id.as_uuid();
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
    let conflicted = check_step(&txn, actor, &l, on, &detail).await?;
    let next = procedure::advance(&stage, &detail.step(on, conflicted)?)
        .map_err(|e| step_error(e, &l.citations))?;
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
    append(actor, &txn, &l, on, &detail, next.code(), reason, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into(), today(state)).await
}

/// Appends a step and its audit event.
#[expect(clippy::too_many_arguments, reason = "a step's parts travel together")]
async fn append(
    actor: &Actor,
    txn: &congvu_db::Transaction,
    l: &Loaded,
    on: NaiveDate,
    detail: &StepDetail,
    stage_after: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let particulars = StepParticulars::from(detail.clone());
    let seq =
        i32::try_from(l.record.steps.len() + 1).map_err(|e| Error::Internal(e.to_string()))?;
    congvu_db::case::append_step(
        txn,
        l.record.id,
        &NewStep {
            seq,
            kind: detail.kind(),
            on,
            detail: &particulars,
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

/// Today in Vietnam.
pub fn today(state: &AppState) -> NaiveDate {
    congvu_core::calendar::vietnam_date(state.clock.now())
}
