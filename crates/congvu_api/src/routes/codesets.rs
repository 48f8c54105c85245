//! Code set versions: list, get, a unit's drafts, publish and retire.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::codeset::{CodeSetContent, ContentInput, ItemInput, Scope, Status as SetStatus};
use congvu_db::codeset::{CodeSetFilter, CodeSetRecord};
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{State, get, post, put};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::common::{Gather, List, Params, parsed, validate};
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::{codesets, reason};
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct LegalBasisResponse {
    pub document: String,
    pub article: Option<String>,
    /// V verified in the primary text, S secondary source, R recollection, U unverified.
    pub confidence: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeItemResponse {
    pub code: String,
    pub group: String,
    pub text_vi: String,
    pub text_en: Option<String>,
    pub legal_basis: LegalBasisResponse,
    /// less_serious, serious, very_serious
    pub default_severity: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeSetResponse {
    pub id: Uuid,
    pub key: String,
    /// `null` for national sets.
    pub unit_id: Option<Uuid>,
    pub version: u32,
    /// draft, published, retired
    pub status: String,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub normative: bool,
    pub legal_basis: LegalBasisResponse,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// SHA-256 of the content, fixed when published.
    pub content_hash: Option<String>,
    pub items: Vec<CodeItemResponse>,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
}

impl From<CodeSetRecord> for CodeSetResponse {
    fn from(r: CodeSetRecord) -> Self {
        let c = r.set.content;
        Self {
            id: r.id.as_uuid(),
            key: c.key,
            unit_id: match r.set.scope {
                Scope::National => None,
                Scope::Unit(u) => Some(u.as_uuid()),
            },
            version: r.set.version,
            status: r.set.status.code().into(),
            title_vi: c.title_vi,
            title_en: c.title_en,
            normative: c.normative,
            legal_basis: LegalBasisResponse {
                document: c.basis.document,
                article: c.basis.article,
                confidence: c.basis.confidence.code().into(),
            },
            valid_from: c.validity.from(),
            valid_to: c.validity.to(),
            content_hash: r.set.content_hash,
            items: c
                .items
                .into_iter()
                .map(|i| CodeItemResponse {
                    code: i.code,
                    group: i.group,
                    text_vi: i.text_vi,
                    text_en: i.text_en,
                    legal_basis: LegalBasisResponse {
                        document: i.basis.document,
                        article: i.basis.article,
                        confidence: i.basis.confidence.code().into(),
                    },
                    default_severity: i.default_severity.code().into(),
                })
                .collect(),
            created_at: r.created_at,
            published_at: r.published_at,
            retired_at: r.retired_at,
        }
    }
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeItemRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 16))]
    pub code: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 100))]
    pub group: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub text_vi: Option<String>,
    #[validate(length(max = 2000))]
    pub text_en: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 200))]
    pub document: Option<String>,
    #[validate(length(max = 200))]
    pub article: Option<String>,
    /// V, S, R or U (default U).
    pub confidence: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub default_severity: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeSetContentRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 40))]
    pub key: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 255))]
    pub title_vi: Option<String>,
    #[validate(length(max = 255))]
    pub title_en: Option<String>,
    #[serde(default = "yes")]
    pub normative: bool,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 200))]
    pub document: Option<String>,
    #[validate(length(max = 200))]
    pub article: Option<String>,
    pub confidence: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 500), nested)]
    pub items: Option<Vec<CodeItemRequest>>,
}

fn yes() -> bool {
    true
}

impl CodeSetContentRequest {
    fn input(&self) -> ContentInput<'_> {
        ContentInput {
            key: self.key.as_deref().unwrap_or(""),
            title_vi: self.title_vi.as_deref().unwrap_or(""),
            title_en: self.title_en.as_deref(),
            normative: self.normative,
            document: self.document.as_deref().unwrap_or(""),
            article: self.article.as_deref(),
            confidence: self.confidence.as_deref(),
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            items: self
                .items
                .iter()
                .flatten()
                .map(|i| ItemInput {
                    code: i.code.as_deref().unwrap_or(""),
                    group: i.group.as_deref().unwrap_or(""),
                    text_vi: i.text_vi.as_deref().unwrap_or(""),
                    text_en: i.text_en.as_deref(),
                    document: i.document.as_deref().unwrap_or(""),
                    article: i.article.as_deref(),
                    confidence: i.confidence.as_deref(),
                    default_severity: i.default_severity.as_deref().unwrap_or(""),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDraftRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub unit_id: Option<Uuid>,
    /// Checked by the domain parse (flattened fields have no JSON path of their own).
    #[serde(flatten)]
    pub content: CodeSetContentRequest,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseDraftRequest {
    /// Checked by the domain parse (flattened fields have no JSON path of their own).
    #[serde(flatten)]
    pub content: CodeSetContentRequest,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// Code set versions you can see (national ones and your units').
#[utoipa::path(get, path = "/api/v1/code-sets", tag = "code-sets", security(("bearer" = [])),
    params(("unit_id" = Option<Uuid>, Query), ("national" = Option<bool>, Query), ("status" = Option<String>, Query), ("key" = Option<String>, Query),
        ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<CodeSetResponse>), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/code-sets?<unit_id>&<national>&<status>&<key>&<limit>&<offset>")]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per path, query and body part"
)]
pub async fn list(
    state: &State<AppState>,
    auth: Authenticated,
    unit_id: Option<&str>,
    national: Option<&str>,
    status: Option<&str>,
    key: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<CodeSetResponse>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let status = p.code(
        "status",
        status,
        SetStatus::parse,
        "draft, published, retired",
    );
    let filter = CodeSetFilter {
        unit: p.uuid("unit_id", unit_id).map(Into::into),
        national: national == Some("true"),
        status,
        key: key.map(str::to_lowercase),
    };
    p.finish()?;
    let rows = codesets::list(state, auth.actor(), &filter, page).await?;
    Ok(Json(List::new(
        rows.into_iter().map(Into::into).collect(),
        page,
    )))
}

/// One version with its items.
#[utoipa::path(get, path = "/api/v1/code-sets/{id}", tag = "code-sets", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = CodeSetResponse), (status = 404, body = Problem)))]
#[get("/code-sets/<id>")]
pub async fn get(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<CodeSetResponse>> {
    Ok(Json(
        codesets::get(state, auth.actor(), id.into()).await?.into(),
    ))
}

/// Creates a draft of a unit's own code set (a new version of its key).
#[utoipa::path(post, path = "/api/v1/code-sets", tag = "code-sets", security(("bearer" = [])), request_body = CreateDraftRequest,
    responses((status = 201, body = CodeSetResponse), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[post("/code-sets", data = "<body>")]
pub async fn create(
    state: &State<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateDraftRequest>,
) -> Result<(Status, Json<CodeSetResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    let content = g.take(CodeSetContent::parse(&req.content.input()).map_err(Error::from))?;
    g.finish()?;
    let unit = req
        .unit_id
        .ok_or_else(|| Error::field("unit_id", "required", "must be given"))?;
    let created = codesets::create_draft(
        state,
        auth.actor(),
        unit.into(),
        parsed(content)?,
        &parsed(reason)?,
    )
    .await?;
    Ok((Status::Created, Json(created.into())))
}

/// Replaces a draft's content; published and retired versions are immutable (409).
#[utoipa::path(put, path = "/api/v1/code-sets/{id}", tag = "code-sets", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ReviseDraftRequest,
    responses((status = 200, body = CodeSetResponse), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[put("/code-sets/<id>", data = "<body>")]
pub async fn revise(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ReviseDraftRequest>,
) -> Result<Json<CodeSetResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    let content = g.take(CodeSetContent::parse(&req.content.input()).map_err(Error::from))?;
    g.finish()?;
    Ok(Json(
        codesets::revise(
            state,
            auth.actor(),
            id.into(),
            parsed(content)?,
            &parsed(reason)?,
        )
        .await?
        .into(),
    ))
}

/// Publishes a draft: its content hash is fixed and it can no longer change.
#[utoipa::path(post, path = "/api/v1/code-sets/{id}/publish", tag = "code-sets", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ReasonRequest,
    responses((status = 200, body = CodeSetResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/code-sets/<id>/publish", data = "<body>")]
pub async fn publish(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ReasonRequest>,
) -> Result<Json<CodeSetResponse>> {
    let req = body.0;
    validate(&req)?;
    let reason = reason(req.reason.as_deref())?;
    Ok(Json(
        codesets::transition(
            state,
            auth.actor(),
            id.into(),
            SetStatus::Published,
            &reason,
        )
        .await?
        .into(),
    ))
}

/// Retires a published version.
#[utoipa::path(post, path = "/api/v1/code-sets/{id}/retire", tag = "code-sets", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ReasonRequest,
    responses((status = 200, body = CodeSetResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/code-sets/<id>/retire", data = "<body>")]
pub async fn retire(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ReasonRequest>,
) -> Result<Json<CodeSetResponse>> {
    let req = body.0;
    validate(&req)?;
    let reason = reason(req.reason.as_deref())?;
    Ok(Json(
        codesets::transition(state, auth.actor(), id.into(), SetStatus::Retired, &reason)
            .await?
            .into(),
    ))
}
