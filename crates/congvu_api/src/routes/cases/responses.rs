//! What the case routes answer: a case with its clocks, steps, pauses, decision, suggestion and
//! consequences, and its summary in lists.

use super::*;
use crate::routes::cases::step_body::StepDetailView;

fn basis(b: &congvu_core::legal::LegalBasis) -> LegalBasisResponse {
    LegalBasisResponse {
        document: b.document.clone(),
        article: b.article.clone(),
        confidence: b.confidence.code().into(),
    }
}

/// A clock on the day asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockResponse {
    /// running, breached, paused or unlimited
    pub state: String,
    /// The last day of the period (running or breached).
    pub last_day: Option<NaiveDate>,
    /// Days left counted from the day asked (running).
    pub days_left: Option<i64>,
    /// Since when a running pause stops it (paused).
    pub paused_since: Option<NaiveDate>,
}

impl From<ClockState> for ClockResponse {
    fn from(c: ClockState) -> Self {
        let (state, last_day, days_left, paused_since) = match c {
            ClockState::Running {
                last_day,
                days_left,
            } => ("running", Some(last_day), Some(days_left), None),
            ClockState::Breached { last_day } => ("breached", Some(last_day), None, None),
            ClockState::Paused { since } => ("paused", None, None, Some(since)),
            ClockState::Unlimited => ("unlimited", None, None, None),
        };
        Self {
            state: state.into(),
            last_day,
            days_left,
            paused_since,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LimitationResponse {
    pub violation_id: Uuid,
    pub clock: ClockResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClocksResponse {
    /// From discovery to decision: 90 days, 150 after an extension.
    pub handling: ClockResponse,
    /// The handling limit has passed without a decision: the authority answers for the delay; the
    /// decision is still due while the limitation period runs.
    pub accountability: bool,
    /// One limitation clock per violation.
    pub limitation: Vec<LimitationResponse>,
    /// The 30 days after a Party decision's announcement.
    pub party_deadline: Option<ClockResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NextStepResponse {
    /// report_and_minutes, council, recommendation, decision or announcement
    pub what: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonResponse {
    /// The reason in Vietnamese.
    pub text: String,
    /// The reason in English.
    pub text_en: String,
    pub legal_basis: LegalBasisResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionResponse {
    pub form: String,
    pub reasons: Vec<ReasonResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepResponse {
    pub seq: i32,
    pub kind: String,
    pub on: NaiveDate,
    /// The stage the step led to.
    pub stage_after: String,
    /// The deadline the previous stage set for this step, if any.
    pub due_on: Option<NaiveDate>,
    /// Recorded after its deadline.
    pub late: bool,
    /// The step's particulars (members, ballot counts, documents, …), tagged by `kind`.
    pub detail: StepDetailView,
    pub reason: String,
    pub recorded_by: Uuid,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PauseResponse {
    pub id: Uuid,
    /// grave_illness, maternity_or_infant, criminal_proceedings or complaint
    pub reason: String,
    pub asked_in_writing: bool,
    /// Whether it stops the clocks (not the maternity case when the person asked in writing).
    pub stops_clocks: bool,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub note: String,
}

impl From<&PauseRecord> for PauseResponse {
    fn from(p: &PauseRecord) -> Self {
        Self {
            id: p.id,
            reason: p.reason.clone(),
            asked_in_writing: p.asked_in_writing,
            stops_clocks: !(p.reason == "maternity_or_infant" && p.asked_in_writing),
            from: p.from,
            to: p.to,
            note: p.note.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResponse {
    pub number: String,
    pub form: String,
    pub signer_id: Uuid,
    pub signed_on: NaiveDate,
    pub effective_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnnulmentResponse {
    pub on: NaiveDate,
    pub ruling: String,
    /// The public announcement at the unit is due by this day (10 working days).
    pub announcement_due: Option<NaiveDate>,
    pub announced_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsequencesResponse {
    /// Null when not verified for the regime (reported as unknown, never guessed).
    pub salary_raise_delay_months: Option<u32>,
    pub no_appointment_months: Option<u32>,
    pub disqualifies_classification: bool,
    pub legal_basis: Option<LegalBasisResponse>,
}

impl From<&Knock> for ConsequencesResponse {
    fn from(k: &Knock) -> Self {
        Self {
            salary_raise_delay_months: k.salary_raise_delay_months,
            no_appointment_months: k.no_appointment_months,
            disqualifies_classification: k.disqualifies_classification,
            legal_basis: k.basis.as_ref().map(basis),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseViolationResponse {
    #[serde(flatten)]
    pub violation: ViolationResponse,
    pub mitigating: bool,
    pub aggravating: bool,
    pub no_limitation: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartyResponse {
    pub form: String,
    pub announced_on: NaiveDate,
}

/// A case in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummaryResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    pub unit_id: Uuid,
    pub competent_unit_id: Uuid,
    pub regime: String,
    pub opened_on: NaiveDate,
    pub stage: String,
    pub violation_ids: Vec<Uuid>,
    pub decision: Option<DecisionResponse>,
    pub annulled_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

fn decision(c: &CaseRecord) -> Option<DecisionResponse> {
    c.decision.as_ref().map(|d| DecisionResponse {
        number: d.number.clone(),
        form: d.form.code().into(),
        signer_id: d.signer.as_uuid(),
        signed_on: d.signed_on,
        effective_on: d.effective_on,
    })
}

impl From<&CaseRecord> for CaseSummaryResponse {
    fn from(c: &CaseRecord) -> Self {
        Self {
            id: c.id,
            person_id: c.person.as_uuid(),
            unit_id: c.unit.as_uuid(),
            competent_unit_id: c.competent_unit.as_uuid(),
            regime: c.regime.clone(),
            opened_on: c.opened_on,
            stage: c.stage.clone(),
            violation_ids: c.violations.iter().map(|v| v.violation).collect(),
            decision: decision(c),
            annulled_on: c.annulment.as_ref().map(|a| a.on),
            updated_at: c.updated_at,
        }
    }
}

/// A case as it stands on the day asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseResponse {
    #[serde(flatten)]
    pub summary: CaseSummaryResponse,
    /// Why this regime (§3.1 transition rule).
    pub regime_reason: String,
    /// The day the view is computed for.
    pub on: NaiveDate,
    /// The person's category and manager flag that the forms depend on.
    pub category: String,
    pub leader: bool,
    pub violations: Vec<CaseViolationResponse>,
    pub steps: Vec<StepResponse>,
    pub pauses: Vec<PauseResponse>,
    pub extended_on: Option<NaiveDate>,
    pub party: Option<PartyResponse>,
    pub annulment: Option<AnnulmentResponse>,
    pub clocks: ClocksResponse,
    pub next_step: Option<NextStepResponse>,
    pub allowed_forms: Vec<String>,
    pub suggestion: Option<SuggestionResponse>,
    /// What the decision brings beyond its form, from the configurable tables.
    pub consequences: Option<ConsequencesResponse>,
}

impl From<CaseDetail> for CaseResponse {
    fn from(d: CaseDetail) -> Self {
        let r = &d.record;
        let steps = d
            .steps
            .iter()
            .map(|s| StepResponse {
                seq: s.record.seq,
                kind: s.record.kind.clone(),
                on: s.record.on,
                stage_after: s.stage_after.into(),
                due_on: s.due_on,
                late: s.due_on.is_some_and(|due| s.record.on > due),
                detail: StepDetailView::from(&s.detail),
                reason: s.record.reason.clone(),
                recorded_by: s.record.recorded_by.as_uuid(),
                at: s.record.at,
            })
            .collect();
        let violations = d
            .violations
            .iter()
            .map(|v| {
                let facts = r.violations.iter().find(|cv| cv.violation == v.id);
                CaseViolationResponse {
                    violation: v.clone().into(),
                    mitigating: facts.is_some_and(|f| f.mitigating),
                    aggravating: facts.is_some_and(|f| f.aggravating),
                    no_limitation: facts.and_then(|f| f.no_limitation.clone()),
                }
            })
            .collect();
        let limitation = r
            .violations
            .iter()
            .zip(d.view.limitations.iter())
            .map(|(cv, clock)| LimitationResponse {
                violation_id: cv.violation,
                clock: (*clock).into(),
            })
            .collect();
        Self {
            summary: r.into(),
            regime_reason: r.regime_reason.clone(),
            on: d.on,
            category: d.category.code().into(),
            leader: d.leader,
            violations,
            steps,
            pauses: r.pauses.iter().map(Into::into).collect(),
            extended_on: r.extension.as_ref().map(|(on, _)| *on),
            party: r.party.map(|p| PartyResponse {
                form: p.form.code().into(),
                announced_on: p.announced_on,
            }),
            annulment: r.annulment.as_ref().map(|a| AnnulmentResponse {
                on: a.on,
                ruling: a.ruling.clone(),
                announcement_due: d.announcement_due,
                announced_on: a.announced_on,
            }),
            clocks: ClocksResponse {
                handling: d.view.handling.into(),
                accountability: d.view.accountability,
                limitation,
                party_deadline: d.view.party_deadline.map(Into::into),
            },
            next_step: d.view.next_step.map(|(what, due_on)| NextStepResponse {
                what: what.into(),
                due_on,
                overdue: d.on > due_on,
            }),
            allowed_forms: d
                .view
                .allowed_forms
                .iter()
                .map(|f| f.code().into())
                .collect(),
            suggestion: d.view.suggestion.as_ref().map(|s| SuggestionResponse {
                form: s.form.code().into(),
                reasons: s
                    .reasons
                    .iter()
                    .map(|(text, b)| ReasonResponse {
                        text: text.vi.clone(),
                        text_en: text.en.clone(),
                        legal_basis: basis(b),
                    })
                    .collect(),
            }),
            consequences: d.knock.as_ref().map(Into::into),
        }
    }
}
