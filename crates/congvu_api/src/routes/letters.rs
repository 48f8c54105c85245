//! Apology letters over HTTP: letterheads, drafting, the workflow steps, the rendered letter
//! (`.pdf`, `.html`), and the outbox for administrators.

use chrono::{DateTime, Utc};
use congvu_core::letter::{State, Step};
use rocket::http::{ContentType, Status};
use rocket::response::content::RawHtml;
use rocket::serde::json::Json;
use rocket::{State as Managed, get, post, put};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::common::{List, Params};
use super::violations::Download;
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::letters;
use congvu_app::service::outbox as mail_queue;
use congvu_app::state::AppState;

mod wire;
pub use wire::*;

/// Why a letter goes back to its drafter, or is revoked.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterReasonRequest {
    #[schema(required, nullable = false, min_length = 1, max_length = 2000)]
    pub reason: Option<String>,
}

/// Sets the letterhead a unit's letters carry (administrator or unit head).
#[utoipa::path(put, path = "/api/v1/units/{id}/letterhead", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = LetterheadInput,
    responses((status = 200, body = LetterheadInput), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/units/<id>/letterhead", data = "<body>")]
pub async fn put_letterhead(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<LetterheadInput>,
) -> Result<Json<LetterheadInput>> {
    Ok(Json(
        letters::put_letterhead(state, auth.actor(), id.into(), body.0.parse()?)
            .await?
            .into(),
    ))
}

/// A unit's letterhead.
#[utoipa::path(get, path = "/api/v1/units/{id}/letterhead", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = LetterheadInput), (status = 404, body = Problem)))]
#[get("/units/<id>/letterhead")]
pub async fn get_letterhead(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<LetterheadInput>> {
    Ok(Json(
        letters::get_letterhead(state, auth.actor(), id.into())
            .await?
            .into(),
    ))
}

/// Drafts a letter of a unit.
#[utoipa::path(post, path = "/api/v1/units/{id}/letters", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = LetterInput,
    responses((status = 201, body = LetterResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/units/<id>/letters", data = "<body>")]
pub async fn create(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<LetterInput>,
) -> Result<(Status, Json<LetterResponse>)> {
    let created = letters::create(state, auth.actor(), id.into(), body.0.parse(state)?).await?;
    Ok((Status::Created, Json(created.into())))
}

/// Letters you can see, newest first.
#[utoipa::path(get, path = "/api/v1/letters", tag = "letters", security(("bearer" = [])),
    params(("unit_id" = Option<Uuid>, Query, description = "the unit and its sub-units"), ("state" = Option<String>, Query),
        ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<LetterResponse>), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/letters?<unit_id>&<state>&<limit>&<offset>")]
pub async fn list(
    app: &Managed<AppState>,
    auth: Authenticated,
    unit_id: Option<&str>,
    state: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<LetterResponse>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    let state = p.code(
        "state",
        state,
        State::parse,
        "draft, submitted, issued, delivered, printed, revoked",
    );
    p.finish()?;
    let rows = letters::list(app, auth.actor(), unit, state, page).await?;
    Ok(Json(List::new(
        rows.into_iter().map(LetterResponse::from).collect(),
        page,
    )))
}

/// One letter.
#[utoipa::path(get, path = "/api/v1/letters/{id}", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = LetterResponse), (status = 404, body = Problem)))]
#[get("/letters/<id>")]
pub async fn get(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<LetterResponse>> {
    Ok(Json(
        letters::get(state, auth.actor(), id.into()).await?.into(),
    ))
}

/// Revises a draft.
#[utoipa::path(put, path = "/api/v1/letters/{id}", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = LetterInput,
    responses((status = 200, body = LetterResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[put("/letters/<id>", data = "<body>")]
pub async fn update(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<LetterInput>,
) -> Result<Json<LetterResponse>> {
    Ok(Json(
        letters::update(state, auth.actor(), id.into(), body.0.parse(state)?)
            .await?
            .into(),
    ))
}

/// Sends a draft to the unit head for signature.
#[utoipa::path(post, path = "/api/v1/letters/{id}/submit", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = LetterResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/letters/<id>/submit")]
pub async fn submit(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<LetterResponse>> {
    Ok(Json(
        letters::step(state, auth.actor(), id.into(), Step::Submit, None)
            .await?
            .into(),
    ))
}

/// Returns a submitted letter to its drafter, with a reason (unit head).
#[utoipa::path(post, path = "/api/v1/letters/{id}/return", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = LetterReasonRequest,
    responses((status = 200, body = LetterResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/letters/<id>/return", data = "<body>")]
pub async fn send_back(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<LetterReasonRequest>,
) -> Result<Json<LetterResponse>> {
    Ok(Json(
        letters::step(
            state,
            auth.actor(),
            id.into(),
            Step::Return,
            body.0.reason.as_deref(),
        )
        .await?
        .into(),
    ))
}

/// Signs and issues a submitted letter: a unit head of the issuing unit only. The number, the
/// PDF, the audit event and the email commit together; unverified rules the letter breaks come
/// back as `warnings`, verified ones refuse it (422 with the rule's source).
#[utoipa::path(post, path = "/api/v1/letters/{id}/issue", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = SignatureInput,
    responses((status = 200, body = LetterResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/letters/<id>/issue", data = "<body>")]
pub async fn issue(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<SignatureInput>,
) -> Result<Json<LetterResponse>> {
    Ok(Json(
        letters::issue(state, auth.actor(), id.into(), body.0.parse()?)
            .await?
            .into(),
    ))
}

/// Revokes a letter with a reason (unit head); its unsent mail is cancelled, its number stays used.
#[utoipa::path(post, path = "/api/v1/letters/{id}/revoke", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = LetterReasonRequest,
    responses((status = 200, body = LetterResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/letters/<id>/revoke", data = "<body>")]
pub async fn revoke(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<LetterReasonRequest>,
) -> Result<Json<LetterResponse>> {
    Ok(Json(
        letters::step(
            state,
            auth.actor(),
            id.into(),
            Step::Revoke,
            body.0.reason.as_deref(),
        )
        .await?
        .into(),
    ))
}

/// Records that an issued letter was printed for handing over or posting.
#[utoipa::path(post, path = "/api/v1/letters/{id}/printed", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = LetterResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/letters/<id>/printed")]
pub async fn printed(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<LetterResponse>> {
    Ok(Json(
        letters::step(state, auth.actor(), id.into(), Step::Print, None)
            .await?
            .into(),
    ))
}

/// A rendered letter: `{id}.pdf` or `{id}.html`.
pub enum Rendered {
    Pdf(Download),
    Html(RawHtml<String>),
}

impl<'r> rocket::response::Responder<'r, 'static> for Rendered {
    fn respond_to(self, req: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        match self {
            Self::Pdf(d) => d.respond_to(req),
            Self::Html(h) => h.respond_to(req),
        }
    }
}

/// The letter as PDF (the issued file, or a draft preview marked "DỰ THẢO") or as HTML for
/// printing.
#[utoipa::path(get, path = "/api/v1/letters/{file}", tag = "letters", security(("bearer" = [])),
    params(("file" = String, Path, description = "`{id}.pdf` or `{id}.html`")),
    responses((status = 200, description = "the letter as PDF (`{id}.pdf`) or HTML (`{id}.html`)", content((crate::openapi::FileBody = "application/pdf"), (String = "text/html"))), (status = 404, body = Problem)))]
#[get("/letters/<file>", rank = 2)]
pub async fn file(state: &Managed<AppState>, auth: Authenticated, file: &str) -> Result<Rendered> {
    let (id, ext) = file.rsplit_once('.').ok_or(Error::NotFound)?;
    let id: Uuid = id.parse().map_err(|_| Error::NotFound)?;
    match ext {
        "pdf" => {
            let (name, bytes) = letters::pdf(state, auth.actor(), id.into()).await?;
            Ok(Rendered::Pdf(Download::new(
                name,
                ContentType::PDF.to_string(),
                bytes,
            )))
        }
        "html" => Ok(Rendered::Html(RawHtml(
            letters::html(state, auth.actor(), id.into()).await?,
        ))),
        _ => Err(Error::NotFound),
    }
}

/// A queued message as administrators see it (no recipient, no text).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxView {
    pub id: Uuid,
    pub subject: String,
    /// pending, sent, failed or cancelled
    pub state: String,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    /// Set while a relay is sending it: until when it holds the message.
    pub claimed_until: Option<DateTime<Utc>>,
    /// The last failure, the address masked.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub letter_id: Option<Uuid>,
}

impl From<congvu_db::outbox::Status> for OutboxView {
    fn from(s: congvu_db::outbox::Status) -> Self {
        Self {
            id: s.id,
            subject: s.subject,
            state: s.state,
            attempts: s.attempts,
            next_attempt_at: s.next_attempt_at,
            claimed_until: s.claimed_until,
            last_error: s.last_error,
            created_at: s.created_at,
            sent_at: s.sent_at,
            letter_id: s.letter_id,
        }
    }
}

/// The mail queue (administrators: a superadministrator sees all of it, a unit's administrator the
/// mail of letters issued in their units): what is pending, sent, failed or cancelled.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "letters", security(("bearer" = [])),
    params(("state" = Option<String>, Query), ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<OutboxView>), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[get("/outbox?<state>&<limit>&<offset>")]
pub async fn outbox(
    app: &Managed<AppState>,
    auth: Authenticated,
    state: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<OutboxView>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let state = p.code(
        "state",
        state,
        |s| {
            ["pending", "sent", "failed", "cancelled"]
                .into_iter()
                .find(|k| *k == s)
        },
        "pending, sent, failed, cancelled",
    );
    p.finish()?;
    let rows = mail_queue::list(app, auth.actor(), state, page).await?;
    Ok(Json(List::new(
        rows.into_iter().map(Into::into).collect(),
        page,
    )))
}

/// Puts a failed message back in the queue, due now, its attempts counted afresh (administrators).
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "letters", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = OutboxView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/outbox/<id>/retry")]
pub async fn retry(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<OutboxView>> {
    Ok(Json(
        mail_queue::retry(state, auth.actor(), id.into())
            .await?
            .into(),
    ))
}
