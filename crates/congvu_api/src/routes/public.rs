//! The public side of citizens' reports (no account): submit, check the status with the receipt,
//! add information. The receipt travels only in request bodies, never in a URL; every answer about
//! a wrong or unknown receipt is the same 404; requests are rate limited per client, and a client's
//! wrong receipts count against its own daily budget (see `crate::limits`).

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::complaint::intake::{IdentityInput, NewReport, ReportInput};
use rocket::data::Data;
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::serde::json::Json;
use rocket::{State as Managed, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::common::{Gather, parsed};
use crate::body::JsonBody;
use crate::client::ClientAddr;
use crate::error::{Error, Problem, Result};
use crate::limits::PublicLimits;
use crate::query::KnownQuery;
use congvu_app::service::complaints::{self, Status as ReportStatus, Submitted};
use congvu_app::state::AppState;

/// The optional `Idempotency-Key` header (at most 255 characters).
pub struct IdempotencyKey(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for IdempotencyKey {
    type Error = Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Error> {
        match req.headers().get_one("Idempotency-Key") {
            None => Outcome::Success(Self(None)),
            Some(key) if !key.is_empty() && key.len() <= 255 => {
                Outcome::Success(Self(Some(key.to_owned())))
            }
            Some(_) => {
                crate::query::record(
                    req,
                    "Idempotency-Key".to_owned(),
                    "invalid",
                    "1 to 255 characters".to_owned(),
                );
                Outcome::Error((
                    Status::UnprocessableEntity,
                    Error::field("Idempotency-Key", "invalid", "1 to 255 characters"),
                ))
            }
        }
    }
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityRequest {
    #[validate(length(max = 200))]
    pub name: String,
    #[validate(length(max = 500))]
    pub address: Option<String>,
    #[validate(length(max = 30))]
    pub phone: Option<String>,
    #[validate(length(max = 254))]
    pub email: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    /// The badge number of the official, if known.
    #[validate(length(max = 32))]
    pub staff_code: Option<String>,
    /// The code of the office, if known (one of the two is needed).
    #[validate(length(max = 32))]
    pub unit_code: Option<String>,
    /// The official's name or description.
    #[validate(length(max = 200))]
    pub about: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(length(max = 5000))]
    pub description: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    #[validate(length(max = 255))]
    pub place: Option<String>,
    /// The dossier (hồ sơ) code, if the matter concerns one.
    #[validate(length(max = 64))]
    pub dossier_code: Option<String>,
    /// feedback, complaint or denunciation, if the citizen knows.
    pub kind: Option<String>,
    /// Leave out to report anonymously.
    #[validate(nested)]
    pub identity: Option<IdentityRequest>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedResponse {
    /// Shown only this once: write it down. `1234-5678-9012-3456`.
    pub receipt: String,
    pub received_on: NaiveDate,
    /// How the report is handled until an officer classifies it (anonymous reports are tips).
    pub kind: String,
}

impl From<Submitted> for SubmittedResponse {
    fn from(s: Submitted) -> Self {
        Self {
            receipt: s.receipt,
            received_on: s.received_on,
            kind: s.kind,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(max = 40))]
    pub receipt: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(max = 40))]
    pub receipt: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 5000))]
    pub message: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineResponse {
    /// forward, acceptance, initial_handling or resolution
    pub clock: String,
    pub due_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub kind: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusResponse {
    pub state: String,
    pub kind: String,
    pub received_on: NaiveDate,
    pub deadlines: Vec<DeadlineResponse>,
    /// What the citizen may see, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

impl From<ReportStatus> for StatusResponse {
    fn from(s: ReportStatus) -> Self {
        Self {
            state: s.record.state,
            kind: s.record.kind.code().into(),
            received_on: s.record.received_on,
            deadlines: s
                .deadlines
                .into_iter()
                .map(|d| DeadlineResponse {
                    clock: d.clock.code().into(),
                    due_on: d.due_on,
                })
                .collect(),
            timeline: s
                .timeline
                .into_iter()
                .map(|e| TimelineEntry {
                    kind: e.kind,
                    text: e.body,
                    at: e.at,
                })
                .collect(),
        }
    }
}

fn report(req: &SubmitRequest, today: NaiveDate) -> Result<NewReport> {
    let input = ReportInput {
        staff_code: req.staff_code.as_deref(),
        unit_code: req.unit_code.as_deref(),
        about: req.about.as_deref(),
        description: req.description.as_deref().unwrap_or(""),
        occurred_on: req.occurred_on,
        place: req.place.as_deref(),
        dossier_code: req.dossier_code.as_deref(),
        kind: req.kind.as_deref(),
        identity: req.identity.as_ref().map(|i| IdentityInput {
            name: &i.name,
            address: i.address.as_deref(),
            phone: i.phone.as_deref(),
            email: i.email.as_deref(),
        }),
    };
    NewReport::parse(&input, today).map_err(Error::from)
}

/// Files a report about an official's conduct, named or anonymous. Answers the receipt once.
#[utoipa::path(post, path = "/api/v1/public/complaints", tag = "public", request_body = SubmitRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "a retry with the same key gets the first answer")),
    responses((status = 201, body = SubmittedResponse), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
#[post("/public/complaints", data = "<body>")]
pub async fn submit(
    _known: KnownQuery,
    state: &Managed<AppState>,
    limits: &Managed<PublicLimits>,
    client: ClientAddr,
    key: IdempotencyKey,
    body: JsonBody<SubmitRequest>,
) -> Result<(Status, Json<SubmittedResponse>)> {
    limits.submission(client.0)?;
    let req = body.0;
    let mut g = Gather::dto(&req);
    let new = g.take(report(&req, complaints::today(state)))?;
    g.finish()?;
    let fingerprint = congvu_core::audit::digest_bytes(
        &serde_json::to_vec(&req).map_err(|e| Error::Internal(e.to_string()))?,
    );
    let idempotency = key.0.as_deref().map(|k| (k, fingerprint.as_str()));
    let submitted = complaints::submit(state, parsed(new)?, idempotency).await?;
    Ok((Status::Created, Json(submitted.into())))
}

/// The status of a report, with its receipt in the body.
#[utoipa::path(post, path = "/api/v1/public/complaints/status", tag = "public", request_body = ReceiptRequest,
    responses((status = 200, body = StatusResponse), (status = 404, body = Problem), (status = 429, body = Problem)))]
#[post("/public/complaints/status", data = "<body>")]
pub async fn status(
    _known: KnownQuery,
    state: &Managed<AppState>,
    limits: &Managed<PublicLimits>,
    client: ClientAddr,
    body: JsonBody<ReceiptRequest>,
) -> Result<Json<StatusResponse>> {
    let req = body.0;
    Gather::dto(&req).finish()?;
    let typed = req.receipt.unwrap_or_default();
    let found = receipt_used(limits, client, complaints::status(state, &typed)).await?;
    Ok(Json(found.into()))
}

/// Adds information to a report, with its receipt in the body.
#[utoipa::path(post, path = "/api/v1/public/complaints/messages", tag = "public", request_body = MessageRequest,
    responses((status = 201, body = StatusResponse), (status = 404, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
#[post("/public/complaints/messages", data = "<body>")]
pub async fn message(
    _known: KnownQuery,
    state: &Managed<AppState>,
    limits: &Managed<PublicLimits>,
    client: ClientAddr,
    body: JsonBody<MessageRequest>,
) -> Result<(Status, Json<StatusResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let text = g.take(
        congvu_core::text::required("message", req.message.as_deref().unwrap_or(""), 5000)
            .map_err(Error::from),
    )?;
    g.finish()?;
    let typed = req.receipt.unwrap_or_default();
    let text = parsed(text)?;
    let answer = receipt_used(
        limits,
        client,
        complaints::add_message(state, &typed, &text),
    )
    .await?;
    Ok((Status::Created, Json(answer.into())))
}

/// Runs a use of a receipt under the client's limits; a receipt that matched no report counts
/// against the client's daily budget of wrong receipts.
pub(crate) async fn receipt_used<T, E>(
    limits: &PublicLimits,
    client: ClientAddr,
    work: impl Future<Output = std::result::Result<T, E>>,
) -> Result<T>
where
    Error: From<E>,
{
    limits.receipt_use(client.0)?;
    let answer = work.await.map_err(Error::from);
    // A wrong receipt is always `NotFound` (the use cases' `by_receipt` makes it so).
    if matches!(answer, Err(Error::NotFound)) {
        limits.wrong_receipt(client.0);
    }
    answer
}

/// The receipt of an upload, in the `X-Receipt` header (never in the URL).
pub struct ReceiptHeader(String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ReceiptHeader {
    type Error = Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Error> {
        Outcome::Success(Self(
            req.headers().get_one("X-Receipt").unwrap_or("").to_owned(),
        ))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentResponse {
    pub id: uuid::Uuid,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

/// Attaches a file to a report: the receipt in `X-Receipt`, the file as the body with its type
/// in `Content-Type` (PDF, JPEG, PNG, WebP, MP4, MP3/M4A, plain text), at most 5 per report.
#[utoipa::path(post, path = "/api/v1/public/complaints/attachments", tag = "public",
    params(("filename" = String, Query), ("X-Receipt" = String, Header)),
    request_body(content((crate::openapi::FileBody = "application/pdf"), (crate::openapi::FileBody = "image/jpeg"), (crate::openapi::FileBody = "image/png"), (crate::openapi::FileBody = "image/webp"), (crate::openapi::FileBody = "video/mp4"), (crate::openapi::FileBody = "audio/mpeg"), (crate::openapi::FileBody = "audio/mp4"), (crate::openapi::FileBody = "text/plain")), description = "the file's bytes; its `Content-Type` one of these"),
    responses((status = 201, body = AttachmentResponse), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 429, body = Problem)))]
#[post("/public/complaints/attachments?<filename>", data = "<data>")]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per guard, query and body part, as Rocket injects them"
)]
pub async fn attach(
    _known: KnownQuery,
    state: &Managed<AppState>,
    limits: &Managed<PublicLimits>,
    client: ClientAddr,
    receipt: ReceiptHeader,
    filename: Option<&str>,
    content_type: Option<&ContentType>,
    data: Data<'_>,
) -> Result<(Status, Json<AttachmentResponse>)> {
    let work = async {
        let name = congvu_core::violation::evidence_filename(filename.unwrap_or(""))?;
        let media = content_type
            .and_then(|c| congvu_core::violation::evidence_type(&c.to_string()))
            .ok_or_else(|| {
                Error::UnsupportedType(congvu_core::violation::EVIDENCE_TYPES.join(", "))
            })?;
        let bytes = super::common::upload_body(state, data, "the file").await?;
        let bytes = super::common::sniffed(media, bytes)?;
        Ok::<_, Error>(complaints::attach(state, &receipt.0, &name, media, bytes).await?)
    };
    let file = receipt_used(limits, client, work).await?;
    Ok((
        Status::Created,
        Json(AttachmentResponse {
            id: file.id,
            filename: file.filename,
            content_type: file.content_type,
            size: file.size,
            sha256: file.sha256,
        }),
    ))
}
