//! Query-string parsing shared by the routes, so bad parameters get the same problem documents.

use chrono::NaiveDate;
use congvu_db::Page;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use congvu_app::state::AppState;
use rocket::data::{Data, ToByteUnit};

use crate::error::{Error, Result};

/// Default page size.
pub const DEFAULT_LIMIT: u64 = 50;

/// A whole collection, never paged (a unit's tree, a case's documents): the same envelope as a
/// page, `items`, without the paging fields. Every list the API answers is an object with `items`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

impl<T> From<Vec<T>> for Items<T> {
    fn from(items: Vec<T>) -> Self {
        Self { items }
    }
}

impl<T> FromIterator<T> for Items<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self {
            items: iter.into_iter().collect(),
        }
    }
}

/// A page of results: `items`, and the `limit` and `offset` that chose them.
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    pub limit: u64,
    pub offset: u64,
}

impl<T> List<T> {
    pub fn new(items: Vec<T>, page: Page) -> Self {
        Self {
            items,
            limit: page.limit,
            offset: page.offset,
        }
    }
}

/// `limit` (1–100, default 50) and `offset` (0 to 2^63 − 1, default 0).
pub fn page(limit: Option<&str>, offset: Option<&str>) -> Result<Page> {
    let mut errors = Vec::new();
    let limit = match limit.map(str::parse::<u64>) {
        None => DEFAULT_LIMIT,
        Some(Ok(n)) if (1..=Page::MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            errors.push(congvu_core::FieldError::new(
                "limit",
                "out_of_range",
                "must be a whole number from 1 to 100",
            ));
            DEFAULT_LIMIT
        }
    };
    let offset = match offset.map(str::parse::<u64>) {
        None => 0,
        Some(Ok(n)) if n <= Page::MAX_OFFSET => n,
        Some(_) => {
            errors.push(congvu_core::FieldError::new(
                "offset",
                "out_of_range",
                "must be a whole number from 0 to 9223372036854775807",
            ));
            0
        }
    };
    if errors.is_empty() {
        Ok(Page { limit, offset })
    } else {
        Err(Error::Validation(errors))
    }
}

/// An optional `YYYY-MM-DD` parameter.
pub fn date(field: &str, value: Option<&str>) -> Result<Option<NaiveDate>> {
    value
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| Error::field(field, "invalid_date", "must be a date as YYYY-MM-DD"))
        })
        .transpose()
}

/// An optional UUID parameter.
pub fn uuid(field: &str, value: Option<&str>) -> Result<Option<Uuid>> {
    value
        .map(|v| {
            Uuid::parse_str(v).map_err(|_| Error::field(field, "invalid_id", "must be a UUID"))
        })
        .transpose()
}

/// Runs `validator` on a DTO and turns its errors into field errors.
pub fn validate(dto: &impl validator::Validate) -> Result<()> {
    dto.validate()
        .map_err(|errors| Error::Validation(fields(&errors, "")))
}

/// Collects every invalid field of a request: the DTO's `validator` checks and each domain parse,
/// so one 422 lists them all. A field reported by the domain keeps the domain's (more precise)
/// message; the DTO's other findings are added.
#[derive(Debug, Default)]
pub struct Gather(Vec<congvu_core::FieldError>);

impl Gather {
    /// Starts with the DTO's own checks.
    pub fn dto(dto: &impl validator::Validate) -> Self {
        Self(
            dto.validate()
                .err()
                .map(|e| fields(&e, ""))
                .unwrap_or_default(),
        )
    }

    /// Keeps a parsed value, or its field errors.
    pub fn take<T, E: Into<Error>>(&mut self, result: Result<T, E>) -> Result<Option<T>> {
        match result.map_err(Into::into) {
            Ok(v) => Ok(Some(v)),
            Err(Error::Validation(found))
            | Err(Error::Domain(congvu_core::DomainError::Invalid(found))) => {
                let mut found = found;
                self.0
                    .retain(|old| !found.iter().any(|f| f.field == old.field));
                self.0.append(&mut found);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// Every value when nothing was invalid, else one error listing every field.
    pub fn finish(mut self) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort_by(|a, b| a.field.cmp(&b.field));
        Err(Error::Validation(self.0))
    }
}

/// Unwraps a value `Gather::finish` vouched for.
pub fn parsed<T>(value: Option<T>) -> Result<T> {
    value.ok_or_else(|| Error::Internal("a parsed request value is missing".into()))
}

fn fields(errors: &validator::ValidationErrors, prefix: &str) -> Vec<congvu_core::FieldError> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = errors.errors().iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (field, kind) in entries {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            validator::ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| default_message(&e.code));
                    out.push(congvu_core::FieldError::new(
                        path.clone(),
                        static_code(&e.code),
                        message,
                    ));
                }
            }
            validator::ValidationErrorsKind::Struct(inner) => out.extend(fields(inner, &path)),
            validator::ValidationErrorsKind::List(map) => {
                for (i, inner) in map {
                    out.extend(fields(inner, &format!("{path}[{i}]")));
                }
            }
        }
    }
    out
}

fn static_code(code: &str) -> &'static str {
    match code {
        "required" => "required",
        "length" => "length",
        "range" => "out_of_range",
        "email" => "invalid_email",
        _ => "invalid",
    }
}

fn default_message(code: &str) -> String {
    match code {
        "required" => "must be given".into(),
        "length" => "has the wrong length".into(),
        "range" => "is out of range".into(),
        _ => "is invalid".into(),
    }
}

/// Query parameters parsed together, so one 422 lists every bad one. Each method returns a
/// harmless value when its parameter is invalid and records the error; `finish` reports them.
#[derive(Debug, Default)]
pub struct Params(Vec<congvu_core::FieldError>);

impl Params {
    fn keep<T>(&mut self, result: Result<T>, fallback: T) -> T {
        match result {
            Ok(v) => v,
            Err(Error::Validation(mut fields)) => {
                self.0.append(&mut fields);
                fallback
            }
            Err(other) => {
                self.0.push(congvu_core::FieldError::new(
                    "",
                    "invalid",
                    other.to_string(),
                ));
                fallback
            }
        }
    }

    pub fn page(&mut self, limit: Option<&str>, offset: Option<&str>) -> Page {
        self.keep(
            page(limit, offset),
            Page {
                limit: DEFAULT_LIMIT,
                offset: 0,
            },
        )
    }

    pub fn date(&mut self, field: &str, value: Option<&str>) -> Option<NaiveDate> {
        self.keep(date(field, value), None)
    }

    pub fn uuid(&mut self, field: &str, value: Option<&str>) -> Option<Uuid> {
        self.keep(uuid(field, value), None)
    }

    /// A code parsed by `parse`; `expected` says what is allowed.
    pub fn code<T>(
        &mut self,
        field: &str,
        value: Option<&str>,
        parse: impl Fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        let value = value?;
        let parsed = parse(value);
        if parsed.is_none() {
            self.0.push(congvu_core::FieldError::new(
                field,
                "unknown_value",
                format!("must be one of: {expected}"),
            ));
        }
        parsed
    }

    /// A required parameter.
    pub fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.0.push(congvu_core::FieldError::new(
                field,
                "required",
                "must be given",
            ));
        }
        value
    }

    /// Records an error of its own.
    pub fn push(&mut self, field: &str, code: &'static str, message: &str) {
        self.0
            .push(congvu_core::FieldError::new(field, code, message));
    }

    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }
}

/// A CSV export as text: a UTF-8 byte-order mark first, so spreadsheet programs read Vietnamese
/// names right (stack-notes: CSV export).
pub fn csv_text(w: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = w.into_inner().map_err(|e| Error::Internal(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(format!("\u{feff}{text}"))
}

/// A spreadsheet cell that cannot run as a formula (OWASP CSV injection): a leading `=`, `+`,
/// `-`, `@`, tab or carriage return is quoted with an apostrophe.
pub fn csv_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// The body of an upload, at most `evidence_limit_bytes`, read within `body_read_seconds`: a
/// client that promises a body and stalls is answered 408 instead of holding the connection.
/// `what` names the body in the 400 answer ("the file", "the scan").
pub async fn upload_body(state: &AppState, data: Data<'_>, what: &str) -> Result<Vec<u8>> {
    let read = data
        .open(state.config.evidence_limit_bytes.bytes())
        .into_bytes();
    let bytes = tokio::time::timeout(state.config.body_read_timeout(), read)
        .await
        .map_err(|_| Error::BodyTimeout)?
        .map_err(|e| Error::BadBody(format!("{what} could not be read: {e}")))?;
    if !bytes.is_complete() {
        return Err(Error::TooLarge);
    }
    Ok(bytes.into_inner())
}

/// An upload's bytes, refused with 415 `upload.content_mismatch` when they are not what the
/// declared (accepted) type says (`congvu_core::sniff`): an executable sent as a PDF is not stored.
pub fn sniffed(media: &'static str, bytes: Vec<u8>) -> Result<Vec<u8>> {
    if congvu_core::sniff::matches(media, &bytes) {
        Ok(bytes)
    } else {
        Err(Error::ContentMismatch(media))
    }
}

/// Counts keyed by a domain value, as the wire shows them: keyed by its code.
pub fn by_code<K: Copy>(
    counts: &std::collections::BTreeMap<K, usize>,
    code: impl Fn(K) -> &'static str,
) -> std::collections::BTreeMap<&'static str, usize> {
    counts.iter().map(|(k, n)| (code(*k), *n)).collect()
}
