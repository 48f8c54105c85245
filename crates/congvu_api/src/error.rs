//! The API crate's one error enum (the use cases' errors and the HTTP layer's own), its mapping to
//! HTTP statuses and stable codes, and the RFC 9457 `application/problem+json` body. Every variant
//! maps explicitly: a new domain, database or use-case error forces a status decision at compile
//! time.

use congvu_core::{DomainError, FieldError};
use congvu_db::DbError;
use rocket::http::{ContentType, Header, Status};
use rocket::response::{self, Responder};
use rocket::{Request, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Everything a request can fail with: what a use case answers (converted from
/// [`congvu_app::Error`] variant by variant) and what only HTTP knows (a malformed body, a rate
/// limit, a missing token).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Db(#[from] DbError),
    /// Fields of a request that are missing or invalid, all of them.
    #[error("invalid request")]
    Validation(Vec<FieldError>),
    /// Not there, or outside the caller's units: the two look the same.
    #[error("not found")]
    NotFound,
    /// No valid bearer token.
    #[error("authentication required")]
    Unauthorized,
    /// Wrong username or password (one answer for both).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Visible, but the caller's roles do not allow the action.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// A state conflict with a stable code.
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// Well-formed, but a rule forbids it; the detail names the rule.
    #[error("{detail}")]
    Refused { code: &'static str, detail: String },
    /// A set refused as a whole, every breach named (`field`: where, `code`: which rule).
    #[error("{detail}")]
    Breaches {
        code: &'static str,
        detail: String,
        breaches: Vec<FieldError>,
    },
    /// The request body could not be read as the expected JSON.
    #[error("{0}")]
    BadBody(String),
    /// The request body is over the limit.
    #[error("request body too large")]
    TooLarge,
    /// The request body did not arrive within `body_read_seconds`.
    #[error("request body too slow")]
    BodyTimeout,
    /// An uploaded file of a type that is not accepted.
    #[error("unsupported media type: {0}")]
    UnsupportedType(String),
    /// An uploaded file whose bytes are not of the type it declares (the declared type).
    #[error("content does not match {0}")]
    ContentMismatch(&'static str),
    /// Too many requests from a client (or for a receipt prefix); retry after these seconds.
    #[error("rate limited")]
    RateLimited(u64),
    /// Bug or infrastructure failure; details are logged, never returned.
    #[error("internal error: {0}")]
    Internal(String),
}

/// One invalid field in a 422 answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field's JSON path, e.g. `items[2].code`.
    pub field: String,
    /// A stable machine code, e.g. `required`, `too_long`.
    pub code: String,
    pub message: String,
}

/// An RFC 9457 problem document with a stable `code`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable error code, e.g. `validation.failed`, `codeset.immutable`.
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// Seconds before a retry (sent as `Retry-After` on 429).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: Status, code: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank".into(),
            title: status.reason_lossy().to_owned(),
            status: status.code,
            detail: detail.into(),
            code: code.to_owned(),
            errors: Vec::new(),
            retry_after: None,
        }
    }
}

impl From<congvu_app::Error> for Error {
    fn from(e: congvu_app::Error) -> Self {
        use congvu_app::Error as App;
        match e {
            App::Domain(e) => Self::Domain(e),
            App::Db(e) => Self::Db(e),
            App::Validation(fields) => Self::Validation(fields),
            App::NotFound => Self::NotFound,
            App::InvalidCredentials => Self::InvalidCredentials,
            App::Throttled { retry_after } => Self::RateLimited(retry_after),
            App::Forbidden(why) => Self::Forbidden(why),
            App::Conflict { code, detail } => Self::Conflict { code, detail },
            App::Refused { code, detail } => Self::Refused { code, detail },
            App::Breaches {
                code,
                detail,
                breaches,
            } => Self::Breaches {
                code,
                detail,
                breaches,
            },
            App::TooLarge => Self::TooLarge,
            App::Internal(why) => Self::Internal(why),
        }
    }
}

impl Error {
    /// A single-field validation error.
    pub fn field(field: &str, code: &'static str, message: &str) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    /// The status, stable code and public detail of this error.
    pub fn problem(&self) -> Problem {
        match self {
            Self::Domain(e) => domain_problem(e),
            Self::Db(e) => db_problem(e),
            Self::Validation(fields) => validation(fields),
            Self::NotFound => Problem::new(Status::NotFound, "not_found", "no such object"),
            Self::Unauthorized => Problem::new(
                Status::Unauthorized,
                "auth.required",
                "a valid bearer token is required",
            ),
            Self::InvalidCredentials => Problem::new(
                Status::Unauthorized,
                "auth.invalid_credentials",
                "wrong username or password",
            ),
            Self::Forbidden(why) => Problem::new(Status::Forbidden, "forbidden", *why),
            Self::Conflict { code, detail } => Problem::new(Status::Conflict, code, detail.clone()),
            Self::Refused { code, detail } => {
                Problem::new(Status::UnprocessableEntity, code, detail.clone())
            }
            Self::Breaches {
                code,
                detail,
                breaches,
            } => {
                let mut p = validation(breaches);
                p.code = (*code).to_owned();
                p.detail = detail.clone();
                p
            }
            Self::BadBody(why) => Problem::new(Status::BadRequest, "body.malformed", why.clone()),
            Self::TooLarge => Problem::new(
                Status::PayloadTooLarge,
                "body.too_large",
                "the request body is over the limit",
            ),
            Self::UnsupportedType(accepted) => Problem::new(
                Status::UnsupportedMediaType,
                "evidence.type_not_allowed",
                format!("accepted types: {accepted}"),
            ),
            Self::BodyTimeout => Problem::new(
                Status::RequestTimeout,
                "body.timeout",
                "the request body did not arrive in time",
            ),
            Self::ContentMismatch(declared) => Problem::new(
                Status::UnsupportedMediaType,
                "upload.content_mismatch",
                format!("the file's content is not {declared}, the type it was sent as"),
            ),
            Self::RateLimited(after) => {
                let mut p = Problem::new(
                    Status::TooManyRequests,
                    "rate_limited",
                    format!("too many requests; retry in {after} s"),
                );
                p.retry_after = Some(*after);
                p
            }
            Self::Internal(_) => Problem::new(
                Status::InternalServerError,
                "internal",
                "an internal error occurred",
            ),
        }
    }
}

fn validation(fields: &[FieldError]) -> Problem {
    let mut p = Problem::new(
        Status::UnprocessableEntity,
        "validation.failed",
        format!("{} invalid field(s)", fields.len()),
    );
    p.errors = fields
        .iter()
        .map(|f| ProblemField {
            field: f.field.clone(),
            code: f.code.to_owned(),
            message: f.message.clone(),
        })
        .collect();
    p
}

fn domain_problem(e: &DomainError) -> Problem {
    match e {
        DomainError::Invalid(fields) => validation(fields),
        DomainError::CalendarNotCovered(date) => Problem::new(
            Status::UnprocessableEntity,
            "calendar.not_covered",
            format!("the working calendar does not cover {date}; add the year's calendar data"),
        ),
        DomainError::CodeSetImmutable { state } => Problem::new(
            Status::Conflict,
            "codeset.immutable",
            format!("a {state} code set version cannot be changed; create a new version"),
        ),
        DomainError::CodeSetTransition { .. } => Problem::new(
            Status::Conflict,
            "codeset.transition_invalid",
            e.to_string(),
        ),
        DomainError::EmploymentConflict { .. } => {
            Problem::new(Status::Conflict, "employment.conflict", e.to_string())
        }
        DomainError::SuccessorInvalid(_) => Problem::new(
            Status::UnprocessableEntity,
            "unit.successor_invalid",
            e.to_string(),
        ),
        DomainError::LetterRule { code, detail } => {
            Problem::new(Status::UnprocessableEntity, code, detail.clone())
        }
        DomainError::ShippedData { .. } => Problem::new(
            Status::InternalServerError,
            "internal",
            "an internal error occurred",
        ),
    }
}

fn db_problem(e: &DbError) -> Problem {
    match e {
        DbError::NotFound => Problem::new(Status::NotFound, "not_found", "no such object"),
        DbError::Conflict { .. } => Problem::new(
            Status::Conflict,
            "conflict",
            "the change conflicts with stored data",
        ),
        DbError::StorageFull(_) => Problem::new(
            Status::InsufficientStorage,
            "storage_full",
            "the server's storage is full; nothing was saved, retry later",
        ),
        DbError::Unavailable(_) => Problem::new(
            Status::ServiceUnavailable,
            "unavailable",
            "the database is unavailable; retry later",
        ),
        DbError::Corrupt(_) | DbError::Unexpected(_) => Problem::new(
            Status::InternalServerError,
            "internal",
            "an internal error occurred",
        ),
    }
}

/// Writes a problem document.
pub fn respond(problem: &Problem) -> Response<'static> {
    let body = serde_json::to_string(problem).unwrap_or_else(|_| String::from("{}"));
    let mut response = Response::build();
    response
        .status(Status::from_code(problem.status).unwrap_or(Status::InternalServerError))
        .header(ContentType::new("application", "problem+json"))
        .sized_body(body.len(), std::io::Cursor::new(body));
    if problem.status == 401 {
        response.header(Header::new("WWW-Authenticate", "Bearer"));
    }
    if let Some(after) = problem.retry_after {
        response.header(Header::new("Retry-After", after.to_string()));
    }
    response.finalize()
}

impl<'r> Responder<'r, 'static> for Problem {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        Ok(respond(&self))
    }
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let problem = self.problem();
        if problem.status >= 500 {
            tracing::error!(error = %self, "request failed");
        }
        Ok(respond(&problem))
    }
}

/// `Result` with this crate's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
