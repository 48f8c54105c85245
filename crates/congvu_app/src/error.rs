//! The use cases' one error enum. It says what went wrong in the application's terms; the HTTP
//! layer (`congvu_api::error`) maps every variant to a status and a stable code, and the command
//! line prints it.

use congvu_core::{DomainError, FieldError};
use congvu_db::DbError;

/// Everything a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Db(#[from] DbError),
    /// Fields of an input that are missing or invalid, all of them.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// Not there, or outside the caller's units: the two look the same.
    #[error("not found")]
    NotFound,
    /// Wrong username or password (one answer for both).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed sign-ins: try again after this many seconds.
    #[error("too many failed sign-ins; retry in {retry_after} s")]
    Throttled { retry_after: u64 },
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
    /// A file over what can be stored.
    #[error("file too large")]
    TooLarge,
    /// Bug or infrastructure failure; details are logged, never shown to a caller.
    #[error("internal error: {0}")]
    Internal(String),
}

/// A use case's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A single-field validation error.
    pub fn field(field: &str, code: &'static str, message: &str) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    /// The fields an error names (invalid input, a domain refusal of fields, a set's breaches).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Validation(fields)
            | Self::Domain(DomainError::Invalid(fields))
            | Self::Breaches {
                breaches: fields, ..
            } => fields,
            _ => &[],
        }
    }
}
