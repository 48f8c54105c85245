//! Discipline cases: open from violations, record steps with their documents, extend, pause and
//! resume, decide, annul and announce; read a case with its live clocks, allowed forms and
//! suggested form; a staff member's discipline record; declared relationships.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::discipline::particulars::{DocumentKind, NoLimitation};
use congvu_core::discipline::{ClockState, EffectEnd, Form, Knock};
use congvu_db::case::{CaseFilter, CaseRecord, PauseRecord, RelationRecord};
use rocket::data::{Data, ToByteUnit};
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{State as Managed, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

mod step_body;

pub use step_body::StepBody;

use super::codesets::LegalBasisResponse;
use super::common::{Gather, Items, List, Params, parsed};
use super::violations::{Download, EvidenceResponse, ViolationResponse};
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::cases::{
    self, CaseDetail, Decision, DecisionEntry, NewPause, OpenCase, OpenViolation, StaffRecord,
};
use congvu_app::service::reason;
use congvu_app::state::AppState;

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
    /// The step's particulars (members, ballot counts, documents, …).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
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
                detail: serde_json::to_value(&s.detail).unwrap_or(serde_json::Value::Null),
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

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenViolationRequest {
    pub id: Uuid,
    /// Remorse, remedy and mitigating factors (Art. 4(4)).
    #[serde(default)]
    pub mitigating: bool,
    /// Aggravating factors (Art. 4(3)).
    #[serde(default)]
    pub aggravating: bool,
    /// An act with no limitation period: party_expulsion, internal_political_protection,
    /// national_interest or false_degrees.
    pub no_limitation: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCaseRequest {
    /// The confirmed violations of one person, considered together.
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub violations: Option<Vec<OpenViolationRequest>>,
    /// Defaults to today.
    pub opened_on: Option<NaiveDate>,
    /// When a competent person decided that the rule in force on the day of the act is more
    /// favourable: why (§3.1).
    #[validate(length(min = 1, max = 2000))]
    pub old_rule_more_favourable: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub on: Option<NaiveDate>,
    /// The step, tagged by `kind`; `documents` (IDs of the case's documents) may be left out.
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub step: Option<StepBody>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// khien_trach, canh_cao, ha_bac_luong, giang_chuc, cach_chuc, bai_nhiem, buoc_thoi_viec
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub form: Option<String>,
    /// The decision's document number, e.g. 12/QĐ-UBND.
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 64))]
    pub document_number: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub signed_on: Option<NaiveDate>,
    /// Required: the decision states when it takes effect.
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub effective_on: Option<NaiveDate>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnulRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub on: Option<NaiveDate>,
    /// The complaint decision or ruling that found the discipline wrongful.
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub ruling: Option<String>,
    /// The day of that decision or ruling; the announcement is due 10 working days after it.
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub ruling_on: Option<NaiveDate>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatedRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub on: Option<NaiveDate>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseRequest {
    /// grave_illness, maternity_or_infant, criminal_proceedings or complaint
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub kind: Option<String>,
    /// The maternity/infant case: the person asked in writing to be disciplined (then the clocks
    /// keep running).
    #[serde(default)]
    pub asked_in_writing: bool,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub from: Option<NaiveDate>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResumeRequest {
    /// The last paused day.
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub to: Option<NaiveDate>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

fn code_of(
    field: &str,
    value: Option<&str>,
    allowed: &[&str],
    message: &'static str,
) -> Result<String> {
    match value {
        Some(v) if allowed.contains(&v) => Ok(v.to_owned()),
        _ => Err(Error::field(field, "unknown_value", message)),
    }
}

/// Opens a case from the confirmed violations of one person.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])), request_body = OpenCaseRequest,
    responses((status = 201, body = CaseResponse), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/cases", data = "<body>")]
pub async fn open(
    state: &Managed<AppState>,
    auth: Authenticated,
    body: JsonBody<OpenCaseRequest>,
) -> Result<(Status, Json<CaseResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    if req
        .violations
        .as_ref()
        .is_some_and(|v| v.is_empty() || v.len() > 50)
    {
        g.take::<(), Error>(Err(Error::field(
            "violations",
            "length",
            "between 1 and 50 violations",
        )))?;
    }
    let mut violations = Vec::new();
    for (i, v) in req.violations.iter().flatten().enumerate() {
        let exception = match &v.no_limitation {
            Some(code) => g.take(
                NoLimitation::parse(code)
                    .ok_or_else(|| {
                        Error::field(
                            &format!("violations[{i}].no_limitation"),
                            "unknown_value",
                            "must be party_expulsion, internal_political_protection, national_interest or false_degrees",
                        )
                    })
                    .map(Some),
            )?,
            None => Some(None),
        };
        violations.push(OpenViolation {
            id: v.id,
            mitigating: v.mitigating,
            aggravating: v.aggravating,
            no_limitation: exception.flatten(),
        });
    }
    g.finish()?;
    let input = OpenCase {
        violations,
        opened_on: req.opened_on.unwrap_or_else(|| cases::today(state)),
        old_rule_more_favourable: req.old_rule_more_favourable,
    };
    let detail = cases::open(state, auth.actor(), input, &parsed(why)?).await?;
    Ok((Status::Created, Json(detail.into())))
}

const STAGES: &str = "opened, reviewed, review_skipped, council_formed, council_met, recommended, decided, no_violation, annulled";

fn stage_code(code: &str) -> Option<&'static str> {
    STAGES.split(", ").find(|s| *s == code)
}

/// Cases you can see, newest first.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])),
    params(("unit_id" = Option<Uuid>, Query, description = "the unit and its sub-units"), ("person_id" = Option<Uuid>, Query), ("stage" = Option<String>, Query),
        ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<CaseSummaryResponse>), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/cases?<unit_id>&<person_id>&<stage>&<limit>&<offset>")]
pub async fn list(
    state: &Managed<AppState>,
    auth: Authenticated,
    unit_id: Option<&str>,
    person_id: Option<&str>,
    stage: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<CaseSummaryResponse>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    let filter = CaseFilter {
        unit_path: None,
        person: p.uuid("person_id", person_id).map(Into::into),
        stage: p
            .code("stage", stage, stage_code, STAGES)
            .map(str::to_owned),
    };
    p.finish()?;
    let rows = cases::list(state, auth.actor(), unit, filter, page).await?;
    Ok(Json(List::new(rows.iter().map(Into::into).collect(), page)))
}

/// One case as it stands on `on` (default today): clocks, next step, allowed and suggested forms.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("on" = Option<NaiveDate>, Query)),
    responses((status = 200, body = CaseResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/cases/<id>?<on>")]
pub async fn get(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    on: Option<&str>,
) -> Result<Json<CaseResponse>> {
    let mut p = Params::default();
    let day = p.date("on", on);
    p.finish()?;
    let day = day.unwrap_or_else(|| cases::today(state));
    Ok(Json(
        cases::get(state, auth.actor(), id.into(), day)
            .await?
            .into(),
    ))
}

/// Records a step of the procedure (officers; concluding no violation: the competent unit head).
#[utoipa::path(post, path = "/api/v1/cases/{id}/steps", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = StepRequest,
    responses((status = 200, body = CaseResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/cases/<id>/steps", data = "<body>")]
pub async fn step(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<StepRequest>,
) -> Result<Json<CaseResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let (Some(on), Some(step)) = (req.on, req.step) else {
        return Err(Error::Internal("validated fields missing".into()));
    };
    Ok(Json(
        cases::record_step(
            state,
            auth.actor(),
            id.into(),
            on,
            step.into(),
            &parsed(why)?,
        )
        .await?
        .into(),
    ))
}

/// Decides the case (a unit head of the competent unit). A form not open to the person is refused
/// with the rule that forbids it.
#[utoipa::path(post, path = "/api/v1/cases/{id}/decision", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = DecisionRequest,
    responses((status = 200, body = CaseResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/cases/<id>/decision", data = "<body>")]
pub async fn decide(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<DecisionRequest>,
) -> Result<Json<CaseResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    let form = g.take(
        Form::parse(req.form.as_deref().unwrap_or(""))
            .ok_or_else(|| Error::field("form", "unknown_form", "not a disciplinary form")),
    )?;
    let number = g.take(
        congvu_core::text::required(
            "document_number",
            req.document_number.as_deref().unwrap_or(""),
            64,
        )
        .map_err(Error::from),
    )?;
    g.finish()?;
    let (Some(signed_on), Some(effective_on)) = (req.signed_on, req.effective_on) else {
        return Err(Error::Internal("validated fields missing".into()));
    };
    let decision = Decision {
        form: parsed(form)?,
        number: parsed(number)?,
        signed_on,
        effective_on,
    };
    Ok(Json(
        cases::decide(state, auth.actor(), id.into(), decision, &parsed(why)?)
            .await?
            .into(),
    ))
}

/// Annuls the decision after a complaint or ruling (the competent unit head); the public
/// announcement falls due within 10 working days.
#[utoipa::path(post, path = "/api/v1/cases/{id}/annulment", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = AnnulRequest,
    responses((status = 200, body = CaseResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/cases/<id>/annulment", data = "<body>")]
pub async fn annul(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<AnnulRequest>,
) -> Result<Json<CaseResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let (Some(on), Some(ruling), Some(ruling_on)) = (req.on, req.ruling, req.ruling_on) else {
        return Err(Error::Internal("validated fields missing".into()));
    };
    Ok(Json(
        cases::annul(
            state,
            auth.actor(),
            id.into(),
            on,
            (&ruling, ruling_on),
            &parsed(why)?,
        )
        .await?
        .into(),
    ))
}

/// Records that an annulment was announced at the unit.
#[utoipa::path(post, path = "/api/v1/cases/{id}/announcement", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = DatedRequest,
    responses((status = 200, body = CaseResponse), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/cases/<id>/announcement", data = "<body>")]
pub async fn announce(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<DatedRequest>,
) -> Result<Json<CaseResponse>> {
    let (on, why) = dated(body.0)?;
    Ok(Json(
        cases::announce(state, auth.actor(), id.into(), on, &why)
            .await?
            .into(),
    ))
}

fn dated(req: DatedRequest) -> Result<(NaiveDate, String)> {
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let on = req
        .on
        .ok_or_else(|| Error::Internal("validated fields missing".into()))?;
    Ok((on, parsed(why)?))
}

/// Extends the handling limit to 150 days (the competent unit head, once; the reason is kept).
#[utoipa::path(post, path = "/api/v1/cases/{id}/extension", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = DatedRequest,
    responses((status = 200, body = CaseResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/cases/<id>/extension", data = "<body>")]
pub async fn extend(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<DatedRequest>,
) -> Result<Json<CaseResponse>> {
    let (on, why) = dated(body.0)?;
    Ok(Json(
        cases::extend(state, auth.actor(), id.into(), on, &why)
            .await?
            .into(),
    ))
}

/// Starts a pause of the clocks: a postponement (§3.7) or a complaint period.
#[utoipa::path(post, path = "/api/v1/cases/{id}/pauses", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = PauseRequest,
    responses((status = 200, body = CaseResponse), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/cases/<id>/pauses", data = "<body>")]
pub async fn pause(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<PauseRequest>,
) -> Result<Json<CaseResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    let kind = g.take(code_of(
        "kind",
        req.kind.as_deref(),
        &cases::PAUSE_REASONS,
        "must be grave_illness, maternity_or_infant, criminal_proceedings or complaint",
    ))?;
    g.finish()?;
    let from = req
        .from
        .ok_or_else(|| Error::Internal("validated fields missing".into()))?;
    let new = NewPause {
        reason: parsed(kind)?,
        asked_in_writing: req.asked_in_writing,
        from,
        note: req.note.unwrap_or_default(),
    };
    Ok(Json(
        cases::pause(state, auth.actor(), id.into(), new, &parsed(why)?)
            .await?
            .into(),
    ))
}

/// Ends a running pause.
#[utoipa::path(post, path = "/api/v1/cases/{id}/pauses/{pause_id}/resume", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("pause_id" = Uuid, Path)), request_body = ResumeRequest,
    responses((status = 200, body = CaseResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/cases/<id>/pauses/<pause_id>/resume", data = "<body>")]
pub async fn resume(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    pause_id: Uuid,
    body: JsonBody<ResumeRequest>,
) -> Result<Json<CaseResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let to = req
        .to
        .ok_or_else(|| Error::Internal("validated fields missing".into()))?;
    Ok(Json(
        cases::resume(
            state,
            auth.actor(),
            id.into(),
            pause_id.into(),
            to,
            &parsed(why)?,
        )
        .await?
        .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentResponse {
    /// minutes, self_criticism, report, convocation, council_decision, recommendation, decision,
    /// other
    pub kind: String,
    #[serde(flatten)]
    pub file: EvidenceResponse,
}

/// Uploads a document of the case (the body, with its media type in `Content-Type`); steps cite
/// documents by ID.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("kind" = String, Query), ("filename" = String, Query), ("reason" = String, Query)),
    request_body(content((crate::openapi::FileBody = "application/pdf"), (crate::openapi::FileBody = "image/jpeg"), (crate::openapi::FileBody = "image/png"), (crate::openapi::FileBody = "image/webp"), (crate::openapi::FileBody = "video/mp4"), (crate::openapi::FileBody = "audio/mpeg"), (crate::openapi::FileBody = "audio/mp4"), (crate::openapi::FileBody = "text/plain")), description = "the file's bytes; its `Content-Type` one of these"),
    responses((status = 201, body = DocumentResponse), (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
#[post("/cases/<id>/documents?<kind>&<filename>&<reason>", data = "<data>")]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per path, query and body part"
)]
pub async fn add_document(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    kind: Option<&str>,
    filename: Option<&str>,
    reason: Option<&str>,
    content_type: Option<&ContentType>,
    data: Data<'_>,
) -> Result<(Status, Json<DocumentResponse>)> {
    let mut g = Gather::default();
    let kind = g.take(kind.and_then(DocumentKind::parse).ok_or_else(|| {
        Error::field(
            "kind",
            "unknown_value",
            "must be minutes, self_criticism, report, convocation, council_decision, recommendation, decision or other",
        )
    }))?;
    let name = g.take(
        congvu_core::violation::evidence_filename(filename.unwrap_or("")).map_err(Error::from),
    )?;
    let why = g.take(congvu_app::service::reason(reason))?;
    g.finish()?;
    let media = content_type
        .and_then(|c| congvu_core::violation::evidence_type(&c.to_string()))
        .ok_or_else(|| Error::UnsupportedType(congvu_core::violation::EVIDENCE_TYPES.join(", ")))?;
    let bytes = data
        .open(state.config.evidence_limit_bytes.bytes())
        .into_bytes()
        .await
        .map_err(|e| Error::BadBody(format!("the file could not be read: {e}")))?;
    if !bytes.is_complete() {
        return Err(Error::TooLarge);
    }
    let (kind, file) = cases::add_document(
        state,
        auth.actor(),
        id.into(),
        parsed(kind)?,
        &parsed(name)?,
        media,
        bytes.into_inner(),
        &parsed(why)?,
    )
    .await?;
    Ok((
        Status::Created,
        Json(DocumentResponse {
            kind,
            file: file.into(),
        }),
    ))
}

/// The documents of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Items<DocumentResponse>), (status = 404, body = Problem)))]
#[get("/cases/<id>/documents")]
pub async fn documents(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<Items<DocumentResponse>>> {
    let docs = cases::documents(state, auth.actor(), id.into()).await?;
    Ok(Json(
        docs.into_iter()
            .map(|(kind, file)| DocumentResponse {
                kind,
                file: file.into(),
            })
            .collect(),
    ))
}

/// Downloads a document of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{document_id}", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("document_id" = Uuid, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = Problem)))]
#[get("/cases/<id>/documents/<document_id>")]
pub async fn document_file(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    document_id: Uuid,
) -> Result<Download> {
    let (record, bytes) =
        cases::document_file(state, auth.actor(), id.into(), document_id.into()).await?;
    Ok(Download::new(record.filename, record.content_type, bytes))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionEntryResponse {
    pub case_id: Uuid,
    #[serde(flatten)]
    pub decision: DecisionResponse,
    /// In effect on the day asked.
    pub in_effect: bool,
    /// expires (ends by itself after `effect_last_day`), superseded (by a later decision) or
    /// pending (a new violation during the period: lasts until the decision on it).
    pub effect_end: Option<String>,
    pub effect_last_day: Option<NaiveDate>,
    /// A new violation of the same kind up to this day is a repeat offence.
    pub repeat_window_until: Option<NaiveDate>,
    pub item_codes: Vec<String>,
    pub consequences: Option<ConsequencesResponse>,
}

impl From<DecisionEntry> for DecisionEntryResponse {
    fn from(e: DecisionEntry) -> Self {
        let (end, last) = match e.effect {
            Some(EffectEnd::Expires(d)) => (Some("expires"), Some(d)),
            Some(EffectEnd::Superseded(d)) => (Some("superseded"), Some(d)),
            Some(EffectEnd::Pending) => (Some("pending"), None),
            None => (None, None),
        };
        Self {
            case_id: e.case,
            decision: DecisionResponse {
                number: e.decision.number,
                form: e.decision.form.code().into(),
                signer_id: e.decision.signer.as_uuid(),
                signed_on: e.decision.signed_on,
                effective_on: e.decision.effective_on,
            },
            in_effect: e.in_effect,
            effect_end: end.map(Into::into),
            effect_last_day: last,
            repeat_window_until: e.repeat_window_until,
            item_codes: e.item_codes,
            consequences: e.knock.as_ref().map(Into::into),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffDisciplineResponse {
    pub person_id: Uuid,
    pub on: NaiveDate,
    pub violations: Vec<ViolationResponse>,
    pub cases: Vec<CaseSummaryResponse>,
    /// Decisions that stand (not annulled), each with its effect on the day asked.
    pub decisions: Vec<DecisionEntryResponse>,
    /// The decisions in effect on the day asked.
    pub in_effect: Vec<Uuid>,
    /// Decisions whose repeat-offence window is open on the day asked.
    pub repeat_window_open: Vec<Uuid>,
}

impl From<StaffRecord> for StaffDisciplineResponse {
    fn from(r: StaffRecord) -> Self {
        let in_effect = r
            .decisions
            .iter()
            .filter(|d| d.in_effect)
            .map(|d| d.case)
            .collect();
        let repeat_window_open = r
            .decisions
            .iter()
            .filter(|d| {
                d.decision.effective_on <= r.on
                    && d.repeat_window_until.is_some_and(|until| r.on <= until)
            })
            .map(|d| d.case)
            .collect();
        Self {
            person_id: r.person.as_uuid(),
            on: r.on,
            violations: r.violations.into_iter().map(Into::into).collect(),
            cases: r.cases.iter().map(Into::into).collect(),
            decisions: r.decisions.into_iter().map(Into::into).collect(),
            in_effect,
            repeat_window_open,
        }
    }
}

/// A staff member's discipline record on `on` (default today): violations, cases, decisions in
/// effect, repeat-offence windows.
#[utoipa::path(get, path = "/api/v1/staff/{id}/discipline", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("on" = Option<NaiveDate>, Query)),
    responses((status = 200, body = StaffDisciplineResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/staff/<id>/discipline?<on>")]
pub async fn staff_discipline(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    on: Option<&str>,
) -> Result<Json<StaffDisciplineResponse>> {
    let mut p = Params::default();
    let day = p.date("on", on);
    p.finish()?;
    let day = day.unwrap_or_else(|| cases::today(state));
    Ok(Json(
        cases::staff_record(state, auth.actor(), id.into(), day)
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelationResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    pub relative_id: Uuid,
    pub kind: String,
    pub recorded_by: Uuid,
    pub at: DateTime<Utc>,
}

impl From<RelationRecord> for RelationResponse {
    fn from(r: RelationRecord) -> Self {
        Self {
            id: r.id,
            person_id: r.person.as_uuid(),
            relative_id: r.relative.as_uuid(),
            kind: r.kind,
            recorded_by: r.recorded_by.as_uuid(),
            at: r.at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelationRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub relative_id: Option<Uuid>,
    /// spouse, parent, parent_in_law, adoptive_parent, child, sibling, aunt_or_uncle,
    /// spouse_sibling, sibling_spouse, interested
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub kind: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// Declares a relationship between two staff members (bars one from the other's council).
#[utoipa::path(post, path = "/api/v1/staff/{id}/relations", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = RelationRequest,
    responses((status = 201, body = Items<RelationResponse>), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/staff/<id>/relations", data = "<body>")]
pub async fn declare_relation(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<RelationRequest>,
) -> Result<(Status, Json<Items<RelationResponse>>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    let kind = g.take(code_of(
        "kind",
        req.kind.as_deref(),
        &cases::RELATION_KINDS,
        "not a relationship kind of Art. 2(11)",
    ))?;
    g.finish()?;
    let relative = req
        .relative_id
        .ok_or_else(|| Error::Internal("validated fields missing".into()))?;
    let rows = cases::declare_relation(
        state,
        auth.actor(),
        id.into(),
        relative.into(),
        &parsed(kind)?,
        &parsed(why)?,
    )
    .await?;
    Ok((
        Status::Created,
        Json(rows.into_iter().map(Into::into).collect()),
    ))
}

/// The relationships declared by or about a staff member.
#[utoipa::path(get, path = "/api/v1/staff/{id}/relations", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Items<RelationResponse>), (status = 404, body = Problem)))]
#[get("/staff/<id>/relations")]
pub async fn relations(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<Items<RelationResponse>>> {
    let rows = cases::relations(state, auth.actor(), id.into()).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}
