//! Discipline cases: open from violations, record steps with their documents, extend, pause and
//! resume, decide, annul and announce; read a case with its live clocks, allowed forms and
//! suggested form; a staff member's discipline record; declared relationships.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::discipline::particulars::{DocumentKind, NoLimitation};
use congvu_core::discipline::{ClockState, EffectEnd, Form, Knock};
use congvu_db::case::{CaseFilter, CaseRecord, PauseRecord, RelationRecord};
use rocket::data::Data;
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{State as Managed, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

mod files;
mod record;
mod responses;
mod step_body;

pub use files::*;
pub use record::*;
pub use responses::*;
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
