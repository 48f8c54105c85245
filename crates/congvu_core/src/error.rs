//! The domain's one error enum. Variants speak business, not HTTP; the API maps each to a status.

use chrono::NaiveDate;

/// One invalid input field: which field, a stable machine code, and a human sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// Everything a domain rule can refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// One or more input fields are invalid; every one is listed.
    #[error("invalid input: {} field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    /// A date falls outside the years the working calendar covers.
    #[error("the working calendar does not cover {0}")]
    CalendarNotCovered(NaiveDate),
    /// A published or retired code set cannot be edited.
    #[error("code set version is {state} and cannot be changed")]
    CodeSetImmutable { state: &'static str },
    /// A code set transition that its state does not allow (e.g. retiring a draft).
    #[error("a {from} code set cannot be {action}")]
    CodeSetTransition {
        from: &'static str,
        action: &'static str,
    },
    /// An employment change that would overlap or reorder existing slices.
    #[error("employment change conflicts with the slice starting {existing_from}")]
    EmploymentConflict { existing_from: NaiveDate },
    /// A successor link that contradicts the units' validity.
    #[error("unit successor link is inconsistent: {0}")]
    SuccessorInvalid(&'static str),
    /// A letter breaks a verified rule of its form; the detail names the rule's source.
    #[error("{detail}")]
    LetterRule { code: &'static str, detail: String },
    /// Shipped national data could not be parsed: a packaging bug, caught by tests.
    #[error("shipped data file {file} is invalid: {message}")]
    ShippedData { file: &'static str, message: String },
}

impl DomainError {
    /// A single-field validation error.
    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, code, message)])
    }
}

/// Collects field errors while a constructor checks every field, so all are reported at once.
#[derive(Debug, Default)]
pub struct Collector(Vec<FieldError>);

impl Collector {
    pub fn push(&mut self, field: &str, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// Keeps the value of a check, or records its error and yields `None`.
    pub fn take<T>(&mut self, result: Result<T, DomainError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(DomainError::Invalid(mut errors)) => {
                self.0.append(&mut errors);
                None
            }
            Err(other) => {
                self.0
                    .push(FieldError::new("", "invalid", other.to_string()));
                None
            }
        }
    }

    /// `Ok(())` when nothing was recorded, else every recorded error.
    pub fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }
}
