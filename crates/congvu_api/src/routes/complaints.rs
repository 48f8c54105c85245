//! Citizens' reports, officers' side: work list (and its CSV without identities), one report with
//! its timeline and deadlines, classify, forward, accept / reject / conclude, notes by tier, and the
//! identity vault (request, decision, view).

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::complaint::{Kind, Outcome, State, Tier, Variant};
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{State as Managed, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::common::{Gather, List, Params, parsed};
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::complaint_handling::{self as handling, Conclusion, Detail, WorkItem};
use congvu_app::service::reason;
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkItemResponse {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub subject_person_id: Option<Uuid>,
    pub kind: String,
    pub state: String,
    pub anonymous: bool,
    pub received_on: NaiveDate,
    /// The nearest open deadline: forward, acceptance, initial_handling or resolution.
    pub next_clock: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// Negative when overdue.
    pub days_left: Option<i64>,
    pub overdue: bool,
}

fn work_item(i: WorkItem, today: NaiveDate) -> WorkItemResponse {
    let days = i
        .next_due
        .as_ref()
        .map(|d| handling::days_left(d.due_on, today));
    WorkItemResponse {
        id: i.record.id,
        unit_id: i.record.unit.as_uuid(),
        subject_person_id: i.record.subject_person.map(|p| p.as_uuid()),
        kind: i.record.kind.code().into(),
        state: i.record.state.clone(),
        anonymous: i.record.anonymous,
        received_on: i.record.received_on,
        next_clock: i.next_due.as_ref().map(|d| d.clock.code().into()),
        due_on: i.next_due.as_ref().map(|d| d.due_on),
        days_left: days,
        overdue: days.is_some_and(|d| d < 0),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerEventResponse {
    pub kind: String,
    /// citizen, internal or personal
    pub tier: String,
    pub body: String,
    pub actor_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdentityRequestResponse {
    pub id: Uuid,
    pub requester_id: Uuid,
    pub motivation: String,
    /// pending, approved or refused
    pub state: String,
    pub decided_by: Option<Uuid>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintResponse {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub subject_person_id: Option<Uuid>,
    pub subject_text: Option<String>,
    pub claimed_kind: Option<String>,
    pub kind: String,
    pub variant: String,
    pub state: String,
    pub description: String,
    pub occurred_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub dossier_code: Option<String>,
    /// Made without an identity. A named report's identity is never shown here: see
    /// `GET …/identity` after an approved request.
    pub anonymous: bool,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub conclusion: Option<String>,
    pub deadlines: Vec<DeadlineItem>,
    pub timeline: Vec<OfficerEventResponse>,
    pub identity_requests: Vec<IdentityRequestResponse>,
    pub violation_ids: Vec<Uuid>,
    /// Files the citizen attached (download at `…/attachments/{id}`).
    pub attachments: Vec<super::violations::EvidenceResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineItem {
    pub clock: String,
    pub due_on: NaiveDate,
    pub legal_basis: super::codesets::LegalBasisResponse,
}

impl From<Detail> for ComplaintResponse {
    fn from(d: Detail) -> Self {
        let r = d.record;
        Self {
            id: r.id,
            unit_id: r.unit.as_uuid(),
            subject_person_id: r.subject_person.map(|p| p.as_uuid()),
            subject_text: r.subject_text,
            claimed_kind: r.claimed.map(|k| k.code().into()),
            kind: r.kind.code().into(),
            variant: r.variant.code().into(),
            state: r.state,
            description: r.description,
            occurred_on: r.occurred_on,
            place: r.place,
            dossier_code: r.dossier_code,
            anonymous: r.anonymous,
            received_on: r.received_on,
            accepted_on: r.accepted_on,
            outcome: r.outcome,
            conclusion: r.conclusion,
            deadlines: d
                .deadlines
                .into_iter()
                .map(|due| DeadlineItem {
                    clock: due.clock.code().into(),
                    due_on: due.due_on,
                    legal_basis: super::codesets::LegalBasisResponse {
                        document: due.rule.basis.document.clone(),
                        article: due.rule.basis.article.clone(),
                        confidence: due.rule.basis.confidence.code().into(),
                    },
                })
                .collect(),
            timeline: d
                .timeline
                .into_iter()
                .map(|e| OfficerEventResponse {
                    kind: e.kind,
                    tier: e.tier,
                    body: e.body,
                    actor_id: e.actor.map(|a| a.as_uuid()),
                    at: e.at,
                })
                .collect(),
            identity_requests: d
                .identity_requests
                .into_iter()
                .map(|q| IdentityRequestResponse {
                    id: q.id,
                    requester_id: q.requester.as_uuid(),
                    motivation: q.motivation,
                    state: q.state,
                    decided_by: q.decided_by.map(|u| u.as_uuid()),
                    decision_reason: q.decision_reason,
                    decided_at: q.decided_at,
                })
                .collect(),
            violation_ids: d.violations,
            attachments: d.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

fn states() -> &'static str {
    "received, accepted, rejected, concluded"
}

/// Reports of your units, the nearest deadline first (overdue first of all).
#[utoipa::path(get, path = "/api/v1/complaints", tag = "complaints", security(("bearer" = [])),
    params(("unit_id" = Option<Uuid>, Query), ("state" = Option<String>, Query), ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<WorkItemResponse>), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/complaints?<unit_id>&<state>&<limit>&<offset>")]
pub async fn list(
    app: &Managed<AppState>,
    auth: Authenticated,
    unit_id: Option<&str>,
    state: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<WorkItemResponse>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    let filter = p.code("state", state, State::parse, states());
    p.finish()?;
    let today = congvu_app::service::complaints::today(app);
    let rows = handling::list(app, auth.actor(), unit, filter, page).await?;
    Ok(Json(List::new(
        rows.into_iter().map(|i| work_item(i, today)).collect(),
        page,
    )))
}

/// The work list as CSV (no identity, no description), for a spreadsheet.
#[utoipa::path(get, path = "/api/v1/complaints/export.csv", tag = "complaints", security(("bearer" = [])),
    params(("unit_id" = Option<Uuid>, Query), ("state" = Option<String>, Query)),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, body = Problem)))]
#[get("/complaints/export.csv?<unit_id>&<state>")]
pub async fn export(
    app: &Managed<AppState>,
    auth: Authenticated,
    unit_id: Option<&str>,
    state: Option<&str>,
) -> Result<(ContentType, String)> {
    let mut p = Params::default();
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    let filter = p.code("state", state, State::parse, states());
    p.finish()?;
    let today = congvu_app::service::complaints::today(app);
    let page = congvu_db::Page {
        limit: 100_000,
        offset: 0,
    };
    let rows = handling::list(app, auth.actor(), unit, filter, page).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::Internal(e.to_string());
    w.write_record([
        "id",
        "unit_id",
        "kind",
        "state",
        "anonymous",
        "received_on",
        "next_clock",
        "due_on",
        "days_left",
    ])
    .map_err(io)?;
    for i in rows {
        let r = work_item(i, today);
        w.write_record([
            r.id.to_string(),
            r.unit_id.to_string(),
            r.kind,
            r.state,
            r.anonymous.to_string(),
            r.received_on.to_string(),
            r.next_clock.unwrap_or_default(),
            r.due_on.map(|d| d.to_string()).unwrap_or_default(),
            r.days_left.map(|d| d.to_string()).unwrap_or_default(),
        ])
        .map_err(io)?;
    }
    Ok((ContentType::CSV, super::common::csv_text(w)?))
}

/// One report of your units (never one about yourself).
#[utoipa::path(get, path = "/api/v1/complaints/{id}", tag = "complaints", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ComplaintResponse), (status = 404, body = Problem)))]
#[get("/complaints/<id>", rank = 2)]
pub async fn get(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<ComplaintResponse>> {
    Ok(Json(
        handling::get(state, auth.actor(), id.into()).await?.into(),
    ))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// feedback, complaint, denunciation or anonymous_tip
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub kind: Option<String>,
    /// standard, complex, remote, remote_complex or several_places
    pub variant: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// Classifies a report at triage; this sets its legal clocks.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/classify", tag = "complaints", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ClassifyRequest,
    responses((status = 200, body = ComplaintResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/complaints/<id>/classify", data = "<body>")]
pub async fn classify(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ClassifyRequest>,
) -> Result<Json<ComplaintResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    let kind = g.take(
        Kind::parse(req.kind.as_deref().unwrap_or("")).ok_or_else(|| {
            Error::field(
                "kind",
                "unknown_kind",
                "feedback, complaint, denunciation or anonymous_tip",
            )
        }),
    )?;
    let variant = g.take(
        Variant::parse(req.variant.as_deref().unwrap_or("standard")).ok_or_else(|| {
            Error::field(
                "variant",
                "unknown_variant",
                "standard, complex, remote, remote_complex or several_places",
            )
        }),
    )?;
    g.finish()?;
    Ok(Json(
        handling::classify(
            state,
            auth.actor(),
            id.into(),
            parsed(kind)?,
            parsed(variant)?,
            &parsed(why)?,
        )
        .await?
        .into(),
    ))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub unit_id: Option<Uuid>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// A forward done: where the report went, and the report while the caller still reaches it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForwardResponse {
    pub id: Uuid,
    /// The unit the report was forwarded to.
    pub unit_id: Uuid,
    pub unit_name: String,
    pub forwarded_at: chrono::DateTime<chrono::Utc>,
    /// The report as the caller may read it now; `null` when the forward took it outside the
    /// caller's units.
    pub report: Option<ComplaintResponse>,
}

impl From<handling::Forwarded> for ForwardResponse {
    fn from(f: handling::Forwarded) -> Self {
        Self {
            id: f.id,
            unit_id: f.to_unit.as_uuid(),
            unit_name: f.to_unit_name,
            forwarded_at: f.at,
            report: f.report.map(Into::into),
        }
    }
}

/// Forwards a report at triage to another unit, with a reason. The answer says where it went even
/// when the forward takes it outside the caller's units.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/forward", tag = "complaints", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ForwardRequest,
    responses((status = 200, body = ForwardResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/complaints/<id>/forward", data = "<body>")]
pub async fn forward(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ForwardRequest>,
) -> Result<Json<ForwardResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let to = req
        .unit_id
        .ok_or_else(|| Error::Internal("validated fields missing".into()))?;
    Ok(Json(
        handling::forward(state, auth.actor(), id.into(), to.into(), &parsed(why)?)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintTransitionRequest {
    /// accepted, rejected or concluded
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub to: Option<String>,
    /// Who reads the reason: citizen or internal (rejections and conclusions are always citizen).
    pub tier: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
    /// substantiated, partly_substantiated or unsubstantiated (to conclude)
    pub outcome: Option<String>,
    /// The conclusion the citizen reads (to conclude).
    #[validate(length(min = 1, max = 5000))]
    pub conclusion: Option<String>,
    /// Violations of the person complained about that the report proved.
    #[serde(default)]
    pub violation_ids: Vec<Uuid>,
}

/// Accepts or rejects a report at triage, or concludes an accepted one.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/transitions", tag = "complaints", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ComplaintTransitionRequest,
    responses((status = 200, body = ComplaintResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/complaints/<id>/transitions", data = "<body>")]
pub async fn transition(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ComplaintTransitionRequest>,
) -> Result<Json<ComplaintResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    let to = g.take(
        State::parse(req.to.as_deref().unwrap_or(""))
            .filter(|s| *s != State::Received)
            .ok_or_else(|| Error::field("to", "unknown_state", "accepted, rejected or concluded")),
    )?;
    let tier = g.take(tier(req.tier.as_deref().unwrap_or("internal")))?;
    let outcome = match req.outcome.as_deref() {
        None => None,
        Some(code) => g.take(Outcome::parse(code).ok_or_else(|| {
            Error::field(
                "outcome",
                "unknown_outcome",
                "substantiated, partly_substantiated or unsubstantiated",
            )
        }))?,
    };
    g.finish()?;
    let conclusion = outcome.map(|outcome| Conclusion {
        outcome,
        text: req.conclusion.clone().unwrap_or_default(),
        violations: req.violation_ids.clone(),
    });
    if conclusion
        .as_ref()
        .is_some_and(|c| c.text.trim().is_empty())
    {
        return Err(Error::field(
            "conclusion",
            "required",
            "the conclusion the citizen reads",
        ));
    }
    Ok(Json(
        handling::transition(
            state,
            auth.actor(),
            id.into(),
            parsed(to)?,
            parsed(tier)?,
            &parsed(why)?,
            conclusion,
        )
        .await?
        .into(),
    ))
}

fn tier(code: &str) -> Result<Tier> {
    Tier::parse(code)
        .ok_or_else(|| Error::field("tier", "unknown_tier", "citizen, internal or personal"))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintNoteRequest {
    /// citizen, internal or personal
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub tier: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 5000))]
    pub body: Option<String>,
}

/// Adds a note: citizen (the citizen reads it), internal, or personal (its author only).
#[utoipa::path(post, path = "/api/v1/complaints/{id}/notes", tag = "complaints", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ComplaintNoteRequest,
    responses((status = 201, body = ComplaintResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/complaints/<id>/notes", data = "<body>")]
pub async fn note(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ComplaintNoteRequest>,
) -> Result<(Status, Json<ComplaintResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let tier = g.take(tier(req.tier.as_deref().unwrap_or("")))?;
    let text = g.take(
        congvu_core::text::required("body", req.body.as_deref().unwrap_or(""), 5000)
            .map_err(Error::from),
    )?;
    g.finish()?;
    let detail = handling::note(
        state,
        auth.actor(),
        id.into(),
        parsed(tier)?,
        &parsed(text)?,
    )
    .await?;
    Ok((Status::Created, Json(detail.into())))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityRequestBody {
    /// Why the inspector needs to know who complained: the request's reason, kept in the audit
    /// log and shown to the unit head who decides. `motivation`, its earlier name, is accepted too.
    #[serde(alias = "motivation")]
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// An inspector asks to see the complainant's identity.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/identity-requests", tag = "complaints", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = IdentityRequestBody,
    responses((status = 201, body = ComplaintResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/complaints/<id>/identity-requests", data = "<body>")]
pub async fn request_identity(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<IdentityRequestBody>,
) -> Result<(Status, Json<ComplaintResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(
        congvu_core::text::required("reason", req.reason.as_deref().unwrap_or(""), 2000)
            .map_err(Error::from),
    )?;
    g.finish()?;
    let detail = handling::request_identity(state, auth.actor(), id.into(), &parsed(why)?).await?;
    Ok((Status::Created, Json(detail.into())))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityDecisionBody {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub approve: Option<bool>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// The unit head (custodian) approves or refuses a request to see an identity.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/identity-requests/{request_id}/decision", tag = "complaints", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("request_id" = Uuid, Path)), request_body = IdentityDecisionBody,
    responses((status = 200, body = ComplaintResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post(
    "/complaints/<id>/identity-requests/<request_id>/decision",
    data = "<body>"
)]
pub async fn decide_identity(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    request_id: Uuid,
    body: JsonBody<IdentityDecisionBody>,
) -> Result<Json<ComplaintResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let approve = req
        .approve
        .ok_or_else(|| Error::Internal("validated fields missing".into()))?;
    Ok(Json(
        handling::decide_identity(
            state,
            auth.actor(),
            id.into(),
            request_id.into(),
            approve,
            &parsed(why)?,
        )
        .await?
        .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdentityResponse {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The complainant's identity, for the inspector whose request was approved (each view is
/// audited); 404 for everyone else.
#[utoipa::path(get, path = "/api/v1/complaints/{id}/identity", tag = "complaints", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = IdentityResponse), (status = 404, body = Problem)))]
#[get("/complaints/<id>/identity")]
pub async fn identity(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<IdentityResponse>> {
    let i = handling::identity(state, auth.actor(), id.into()).await?;
    Ok(Json(IdentityResponse {
        name: i.name,
        address: i.address,
        phone: i.phone,
        email: i.email,
    }))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// Extends an accepted report's resolution (denunciations: at most twice, 30 days each); the
/// citizen is told.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/extensions", tag = "complaints", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ExtendRequest,
    responses((status = 200, body = ComplaintResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/complaints/<id>/extensions", data = "<body>")]
pub async fn extend(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ExtendRequest>,
) -> Result<Json<ComplaintResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    Ok(Json(
        handling::extend(state, auth.actor(), id.into(), &parsed(why)?)
            .await?
            .into(),
    ))
}

/// Downloads a file the citizen attached, always as an attachment.
#[utoipa::path(get, path = "/api/v1/complaints/{id}/attachments/{attachment_id}", tag = "complaints", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("attachment_id" = Uuid, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = Problem)))]
#[get("/complaints/<id>/attachments/<attachment_id>")]
pub async fn attachment(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    attachment_id: Uuid,
) -> Result<super::violations::Download> {
    let files = handling::attachments(state, auth.actor(), id.into()).await?;
    let (file, bytes) = files
        .into_iter()
        .find(|(f, _)| f.id == attachment_id)
        .ok_or(Error::NotFound)?;
    Ok(super::violations::Download::new(
        file.filename,
        file.content_type,
        bytes,
    ))
}
