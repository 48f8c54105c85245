//! Vietnamese text handling: NFC normalisation of all input, and an accent-folded form for search.

use unicode_normalization::UnicodeNormalization;

use crate::error::DomainError;

/// A text an officer reads, in Vietnamese and in English (issue 19: reasons are readable words,
/// their code kept in a field of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bilingual {
    pub vi: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }
}

/// Invisible characters that only disguise text: bidirectional overrides, embeddings, isolates
/// and marks (a right-to-left override makes `gpj.exe` read as `exe.jpg`), and zero-width
/// characters (two names that look the same). Vietnamese never needs them; they are removed.
fn disguising(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
    )
}

/// NFC-normalises, removes invisible disguising characters, trims, and collapses runs of white
/// space to one space.
pub fn normalize(input: &str) -> String {
    let nfc: String = input.nfc().filter(|c| !disguising(*c)).collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Accent-insensitive, case-insensitive search key: "Nguyễn Thị Đào" → "nguyen thi dao".
/// The same function builds stored search columns and query terms, so both backends agree.
pub fn fold(input: &str) -> String {
    let folded = deunicode::deunicode(&normalize(input));
    folded.to_lowercase()
}

/// A required, normalised text of at most `max` characters.
pub fn required(field: &str, input: &str, max: usize) -> Result<String, DomainError> {
    let value = normalize(input);
    if value.is_empty() {
        return Err(DomainError::invalid(field, "required", "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(DomainError::invalid(
            field,
            "control_character",
            "must not contain control characters",
        ));
    }
    Ok(value)
}

/// An optional text: empty after normalisation means absent.
pub fn optional(
    field: &str,
    input: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    match input.map(normalize) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => required(field, &v, max).map(Some),
    }
}

/// A code: 1 to `max` characters of ASCII letters, digits, `-`, `_`, `.`, stored upper-case.
pub fn code(field: &str, input: &str, max: usize) -> Result<String, DomainError> {
    let value = normalize(input).to_uppercase();
    let ok = !value.is_empty()
        && value.len() <= max
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(value)
    } else {
        Err(DomainError::invalid(
            field,
            "invalid_code",
            format!("must be 1 to {max} characters of letters, digits, '-', '_' or '.'"),
        ))
    }
}

/// A plausible e-mail address (one `@`, a dot in the domain, no spaces), lower-cased.
pub fn email(field: &str, input: Option<&str>) -> Result<Option<String>, DomainError> {
    let Some(value) = optional(field, input, 254)? else {
        return Ok(None);
    };
    let value = value.to_lowercase();
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(' ')
                && !domain.contains('@')
        }
        None => false,
    };
    if valid {
        Ok(Some(value))
    } else {
        Err(DomainError::invalid(
            field,
            "invalid_email",
            "is not an e-mail address",
        ))
    }
}

#[cfg(test)]
mod tests;
