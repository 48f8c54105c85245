//! Violations: record, list, get (with history and the notes the caller may read), transitions,
//! notes.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::violation::{NewViolation, State, ViolationInput, Visibility};
use congvu_db::violation::{
    Citation, EvidenceRecord, NoteRecord, ViolationFilter, ViolationRecord,
};
use rocket::Response;
use rocket::data::Data;
use rocket::http::{ContentType, Header, Status};
use rocket::response::Responder;
use rocket::serde::json::Json;
use rocket::{State as Managed, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::common::{Gather, Items, List, Params, parsed};
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::{reason, violations};
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionResponse {
    pub from: String,
    pub to: String,
    pub reason: String,
    pub actor_id: Uuid,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoteResponse {
    pub id: Uuid,
    /// internal (officers who see the violation) or personal (its author only)
    pub visibility: String,
    pub body: String,
    pub author_id: Uuid,
    pub at: DateTime<Utc>,
}

impl From<NoteRecord> for NoteResponse {
    fn from(n: NoteRecord) -> Self {
        Self {
            id: n.id,
            visibility: n.visibility.code().into(),
            body: n.body,
            author_id: n.author.as_uuid(),
            at: n.at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ViolationResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    /// The unit the person worked in when the act started.
    pub unit_id: Uuid,
    /// The code set version the item is pinned to.
    pub code_set_id: Uuid,
    pub item_code: String,
    pub source: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub discovered_on: NaiveDate,
    pub place: Option<String>,
    pub consequence: String,
    pub description: String,
    /// reported, under_verification, confirmed, dismissed
    pub state: String,
    pub transitions: Vec<TransitionResponse>,
    /// The commitment item the act breaks, if cited.
    pub commitment: Option<CitationBody>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A violation's citation of the item of a yearly commitment the person signed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CitationBody {
    pub campaign_id: Uuid,
    pub item_code: String,
    /// The template version whose item is cited (the one the person's signature stood for).
    pub template_id: Option<Uuid>,
}

/// The item of the person's signed yearly commitment a violation breaks.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CitationRequest {
    pub campaign_id: Uuid,
    pub item_code: String,
}

impl From<ViolationRecord> for ViolationResponse {
    fn from(v: ViolationRecord) -> Self {
        Self {
            id: v.id,
            person_id: v.person.as_uuid(),
            unit_id: v.unit.as_uuid(),
            code_set_id: v.code_set.as_uuid(),
            item_code: v.item_code,
            source: v.source.code().into(),
            started_on: v.started_on,
            ended_on: v.ended_on,
            discovered_on: v.discovered_on,
            place: v.place,
            consequence: v.consequence.code().into(),
            description: v.description,
            state: v.state.code().into(),
            transitions: v
                .transitions
                .into_iter()
                .map(|t| TransitionResponse {
                    from: t.from.code().into(),
                    to: t.to.code().into(),
                    reason: t.reason,
                    actor_id: t.actor.as_uuid(),
                    at: t.at,
                })
                .collect(),
            commitment: v.commitment.map(|c| CitationBody {
                campaign_id: c.campaign,
                item_code: c.item_code,
                template_id: c.template,
            }),
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ViolationDetailResponse {
    #[serde(flatten)]
    pub violation: ViolationResponse,
    /// The notes the caller may read.
    pub notes: Vec<NoteResponse>,
    /// Evidence files (download each at `…/evidence/{evidence_id}`).
    pub evidence: Vec<EvidenceResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceResponse {
    pub id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    pub uploaded_by: Uuid,
    pub at: DateTime<Utc>,
}

impl From<EvidenceRecord> for EvidenceResponse {
    fn from(e: EvidenceRecord) -> Self {
        Self {
            id: e.id,
            filename: e.filename,
            content_type: e.content_type,
            size: e.size,
            sha256: e.sha256,
            uploaded_by: e.uploaded_by.as_uuid(),
            at: e.at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateViolationRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub person_id: Option<Uuid>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub code_set_id: Option<Uuid>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 16))]
    pub item_code: Option<String>,
    /// inspection, citizen_complaint, supervisor, camera, self_report
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub source: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub discovered_on: Option<NaiveDate>,
    #[validate(length(max = 255))]
    pub place: Option<String>,
    /// less_serious, serious, very_serious
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub consequence: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 5000))]
    pub description: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
    /// The item of the person's signed yearly commitment the act breaks.
    pub commitment: Option<CitationRequest>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// under_verification, confirmed or dismissed
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub to: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// internal or personal
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub visibility: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 5000))]
    pub body: Option<String>,
}

/// Records a violation of a code item by a staff member.
#[utoipa::path(post, path = "/api/v1/violations", tag = "violations", security(("bearer" = [])), request_body = CreateViolationRequest,
    responses((status = 201, body = ViolationResponse), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[post("/violations", data = "<body>")]
pub async fn create(
    state: &Managed<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateViolationRequest>,
) -> Result<(Status, Json<ViolationResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    let input = ViolationInput {
        item_code: req.item_code.as_deref().unwrap_or(""),
        source: req.source.as_deref().unwrap_or(""),
        started_on: req.started_on,
        ended_on: req.ended_on,
        discovered_on: req.discovered_on,
        place: req.place.as_deref(),
        consequence: req.consequence.as_deref().unwrap_or(""),
        description: req.description.as_deref().unwrap_or(""),
    };
    let new = g.take(NewViolation::parse(&input, violations::today(state)).map_err(Error::from))?;
    g.finish()?;
    let (Some(person), Some(code_set)) = (req.person_id, req.code_set_id) else {
        return Err(Error::Internal("validated fields missing".into()));
    };
    let created = violations::create(
        state,
        auth.actor(),
        person.into(),
        code_set.into(),
        parsed(new)?,
        &parsed(reason)?,
        req.commitment.map(|c| Citation {
            campaign: c.campaign_id,
            item_code: c.item_code,
            template: None,
        }),
    )
    .await?;
    Ok((Status::Created, Json(created.into())))
}

/// Violations you can see, newest act first.
#[utoipa::path(get, path = "/api/v1/violations", tag = "violations", security(("bearer" = [])),
    params(("unit_id" = Option<Uuid>, Query, description = "the unit and its sub-units"), ("person_id" = Option<Uuid>, Query), ("state" = Option<String>, Query),
        ("from" = Option<NaiveDate>, Query), ("to" = Option<NaiveDate>, Query), ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<ViolationResponse>), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/violations?<unit_id>&<person_id>&<state>&<from>&<to>&<limit>&<offset>")]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per path, query and body part"
)]
pub async fn list(
    app: &Managed<AppState>,
    auth: Authenticated,
    unit_id: Option<&str>,
    person_id: Option<&str>,
    state: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<ViolationResponse>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    let filter = ViolationFilter {
        unit_path: None,
        person: p.uuid("person_id", person_id).map(Into::into),
        state: p.code(
            "state",
            state,
            State::parse,
            "reported, under_verification, confirmed, dismissed",
        ),
        from: p.date("from", from),
        to: p.date("to", to),
    };
    p.finish()?;
    let rows = violations::list(app, auth.actor(), unit, filter, page).await?;
    Ok(Json(List::new(
        rows.into_iter().map(Into::into).collect(),
        page,
    )))
}

/// One violation with its history and the notes you may read.
#[utoipa::path(get, path = "/api/v1/violations/{id}", tag = "violations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ViolationDetailResponse), (status = 404, body = Problem)))]
#[get("/violations/<id>")]
pub async fn get(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<ViolationDetailResponse>> {
    let v = violations::get(state, auth.actor(), id.into()).await?;
    let notes = violations::notes(state, auth.actor(), id.into()).await?;
    let evidence = violations::evidence(state, auth.actor(), id.into()).await?;
    Ok(Json(ViolationDetailResponse {
        violation: v.into(),
        notes: notes.into_iter().map(Into::into).collect(),
        evidence: evidence.into_iter().map(Into::into).collect(),
    }))
}

/// Moves a violation through verification: reported → under_verification → confirmed | dismissed.
#[utoipa::path(post, path = "/api/v1/violations/{id}/transitions", tag = "violations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = TransitionRequest,
    responses((status = 200, body = ViolationResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/violations/<id>/transitions", data = "<body>")]
pub async fn transition(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<TransitionRequest>,
) -> Result<Json<ViolationResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    let to = g.take(
        State::parse(req.to.as_deref().unwrap_or("")).ok_or_else(|| {
            Error::field(
                "to",
                "unknown_state",
                "must be under_verification, confirmed or dismissed",
            )
        }),
    )?;
    g.finish()?;
    Ok(Json(
        violations::transition(
            state,
            auth.actor(),
            id.into(),
            parsed(to)?,
            &parsed(reason)?,
        )
        .await?
        .into(),
    ))
}

/// Adds a note (internal, or personal to its author); answers the notes you may read.
#[utoipa::path(post, path = "/api/v1/violations/{id}/notes", tag = "violations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = NoteRequest,
    responses((status = 201, body = Items<NoteResponse>), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/violations/<id>/notes", data = "<body>")]
pub async fn add_note(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<NoteRequest>,
) -> Result<(Status, Json<Items<NoteResponse>>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let visibility = g.take(
        Visibility::parse(req.visibility.as_deref().unwrap_or("")).ok_or_else(|| {
            Error::field(
                "visibility",
                "unknown_visibility",
                "must be internal or personal",
            )
        }),
    )?;
    let text = g.take(
        congvu_core::text::required("body", req.body.as_deref().unwrap_or(""), 5000)
            .map_err(Error::from),
    )?;
    g.finish()?;
    let notes = violations::add_note(
        state,
        auth.actor(),
        id.into(),
        parsed(visibility)?,
        &parsed(text)?,
    )
    .await?;
    Ok((
        Status::Created,
        Json(notes.into_iter().map(Into::into).collect()),
    ))
}

/// Uploads an evidence file as the request body, with its media type in `Content-Type` (PDF,
/// JPEG, PNG, WebP, MP4, MP3/M4A audio or plain text) and its name and the reason in the query.
#[utoipa::path(post, path = "/api/v1/violations/{id}/evidence", tag = "violations", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("filename" = String, Query), ("reason" = String, Query)),
    request_body(content((crate::openapi::FileBody = "application/pdf"), (crate::openapi::FileBody = "image/jpeg"), (crate::openapi::FileBody = "image/png"), (crate::openapi::FileBody = "image/webp"), (crate::openapi::FileBody = "video/mp4"), (crate::openapi::FileBody = "audio/mpeg"), (crate::openapi::FileBody = "audio/mp4"), (crate::openapi::FileBody = "text/plain")), description = "the file's bytes; its `Content-Type` one of these"),
    responses((status = 201, body = EvidenceResponse), (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
#[post("/violations/<id>/evidence?<filename>&<reason>", data = "<data>")]
pub async fn add_evidence(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    filename: Option<&str>,
    reason: Option<&str>,
    content_type: Option<&ContentType>,
    data: Data<'_>,
) -> Result<(Status, Json<EvidenceResponse>)> {
    let mut g = Gather::default();
    let name = g.take(
        congvu_core::violation::evidence_filename(filename.unwrap_or("")).map_err(Error::from),
    )?;
    let why = g.take(congvu_app::service::reason(reason))?;
    g.finish()?;
    let media = content_type
        .and_then(|c| congvu_core::violation::evidence_type(&c.to_string()))
        .ok_or_else(|| Error::UnsupportedType(congvu_core::violation::EVIDENCE_TYPES.join(", ")))?;
    let bytes = super::common::upload_body(state, data, "the file").await?;
    let stored = violations::add_evidence(
        state,
        auth.actor(),
        id.into(),
        &parsed(name)?,
        media,
        super::common::sniffed(media, bytes)?,
        &parsed(why)?,
    )
    .await?;
    Ok((Status::Created, Json(stored.into())))
}

/// An evidence file or case document, always as an attachment.
pub struct Download {
    filename: String,
    content_type: String,
    bytes: Vec<u8>,
}

impl Download {
    pub fn new(filename: String, content_type: String, bytes: Vec<u8>) -> Self {
        Self {
            filename,
            content_type,
            bytes,
        }
    }
}

impl<'r> Responder<'r, 'static> for Download {
    fn respond_to(self, _: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let encoded: String = self
            .filename
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        Response::build()
            .header(ContentType::parse_flexible(&self.content_type).unwrap_or(ContentType::Binary))
            .header(Header::new(
                "Content-Disposition",
                format!("attachment; filename*=UTF-8''{encoded}"),
            ))
            .sized_body(self.bytes.len(), std::io::Cursor::new(self.bytes))
            .ok()
    }
}

/// Downloads an evidence file.
#[utoipa::path(get, path = "/api/v1/violations/{id}/evidence/{evidence_id}", tag = "violations", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("evidence_id" = Uuid, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = Problem)))]
#[get("/violations/<id>/evidence/<evidence_id>")]
pub async fn evidence_file(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    evidence_id: Uuid,
) -> Result<Download> {
    let (record, bytes) =
        violations::evidence_file(state, auth.actor(), id.into(), evidence_id.into()).await?;
    Ok(Download::new(record.filename, record.content_type, bytes))
}
