//! A letter's content, signature block and warnings as stored: versioned JSON documents private
//! to this crate, apart from the API's bodies (issue 19). Reading is tolerant: a field added
//! later defaults, a field dropped later is ignored, rows written before versioning (no `v`) read
//! as version 1. Codes (cause, salutation, channel, authority) are kept as recorded; the use
//! cases read them into domain values.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DbError, stored};

/// The version this crate writes, for each of the three documents.
const CURRENT: u64 = 1;

/// What an officer drafted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LetterContent {
    pub cause: String,
    pub applicant: LetterApplicant,
    pub dossier: Option<LetterDossier>,
    pub reason: Option<String>,
    pub new_due_on: Option<NaiveDate>,
    pub error: Option<String>,
    pub incident: Option<String>,
    pub remedy: Option<String>,
    pub failure: Option<String>,
    pub measures: Option<String>,
    pub apology: Option<String>,
    pub recipients: Vec<String>,
    pub channel: Option<String>,
    pub mail_language: Option<String>,
    pub violation_id: Option<Uuid>,
    pub complaint_id: Option<Uuid>,
}

/// The citizen or organisation the letter is sent to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LetterApplicant {
    pub salutation: String,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
}

/// The one-stop dossier a letter is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterDossier {
    pub code: String,
    pub procedure: String,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
}

/// The signature block the unit head gave at issue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LetterSignature {
    pub authority: String,
    pub on_behalf_of: Option<String>,
    pub title: String,
    pub name: String,
}

/// An unverified rule the letter broke, accepted with a warning at issue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LetterWarning {
    pub code: String,
    pub message: String,
    pub basis: String,
}

/// Version 1 of the warnings document (the unversioned rows are a bare list).
#[derive(Serialize, Deserialize)]
struct WarningsV1 {
    #[serde(default)]
    warnings: Vec<LetterWarning>,
}

pub(super) fn encode_content(c: &LetterContent) -> Result<String, DbError> {
    stored::encode("letter content", CURRENT, c)
}

pub(super) fn decode_content(json: &str) -> Result<LetterContent, DbError> {
    version_1("letter content", json)
}

/// A document that has one version so far (rows from before versioning read as it).
fn version_1<T: DeserializeOwned>(what: &str, json: &str) -> Result<T, DbError> {
    match stored::open(what, json, 1)? {
        (1, body) => stored::read(what, body),
        (other, _) => Err(stored::unknown(what, other)),
    }
}

pub(super) fn encode_signature(s: &LetterSignature) -> Result<String, DbError> {
    stored::encode("letter signature", CURRENT, s)
}

pub(super) fn decode_signature(json: &str) -> Result<LetterSignature, DbError> {
    version_1("letter signature", json)
}

pub(super) fn encode_warnings(w: &[LetterWarning]) -> Result<String, DbError> {
    let doc = WarningsV1 {
        warnings: w.to_vec(),
    };
    stored::encode("letter warnings", CURRENT, &doc)
}

pub(super) fn decode_warnings(json: &str) -> Result<Vec<LetterWarning>, DbError> {
    const WHAT: &str = "letter warnings";
    match stored::open(WHAT, json, 0)? {
        // Before versioning the warnings were stored as a bare list.
        (0, body) => stored::read(WHAT, body),
        (1, body) => stored::read::<WarningsV1>(WHAT, body).map(|d| d.warnings),
        (other, _) => Err(stored::unknown(WHAT, other)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed step must stop the test")]

    use super::*;

    fn content() -> LetterContent {
        LetterContent {
            cause: "overdue".into(),
            applicant: LetterApplicant {
                salutation: "ong".into(),
                name: "Nguyễn Văn A".into(),
                address: None,
                email: Some("a@example.vn".into()),
            },
            dossier: Some(LetterDossier {
                code: "000.00.01.H01-261201-0001".into(),
                procedure: "Cấp giấy phép xây dựng".into(),
                received_on: "2026-12-01".parse().unwrap(),
                due_on: "2026-12-05".parse().unwrap(),
            }),
            reason: Some("Thiếu hồ sơ".into()),
            recipients: vec!["Lưu: VT".into()],
            ..LetterContent::default()
        }
    }

    #[test]
    fn the_three_documents_round_trip_with_their_version() {
        let json = encode_content(&content()).unwrap();
        assert!(json.contains(r#""v":1"#), "{json}");
        assert_eq!(decode_content(&json).unwrap(), content());
        let sig = LetterSignature {
            authority: "kt".into(),
            on_behalf_of: Some("CHỦ TỊCH".into()),
            title: "PHÓ CHỦ TỊCH".into(),
            name: "Trần Thị B".into(),
        };
        assert_eq!(
            decode_signature(&encode_signature(&sig).unwrap()).unwrap(),
            sig
        );
        let warnings = vec![LetterWarning {
            code: "letter.late".into(),
            message: "m".into(),
            basis: "b".into(),
        }];
        let json = encode_warnings(&warnings).unwrap();
        assert!(json.contains(r#""v":1"#), "{json}");
        assert_eq!(decode_warnings(&json).unwrap(), warnings);
    }

    /// Rows written before versioning: the request body as it was (content and signature
    /// objects, warnings a bare list). A field the format dropped is ignored; one it gained
    /// defaults; a newer version is refused, and the error never quotes the citizen's text.
    #[test]
    fn rows_written_before_versioning_still_read() {
        let legacy = r#"{"cause":"staff_conduct","applicant":{"salutation":"ba","name":"Lê C","address":null,"email":null},"dossier":null,"failure":"Chậm","recipients":[],"old_field":1}"#;
        let c = decode_content(legacy).unwrap();
        assert_eq!(c.cause, "staff_conduct");
        assert_eq!(c.applicant.name, "Lê C");
        assert_eq!(c.failure.as_deref(), Some("Chậm"));
        assert_eq!(c.channel, None);
        let sig = decode_signature(
            r#"{"authority":"own","on_behalf_of":null,"title":"CHỦ TỊCH","name":"D"}"#,
        )
        .unwrap();
        assert_eq!(sig.authority, "own");
        let w = decode_warnings(r#"[{"code":"x","message":"m","basis":"b"}]"#).unwrap();
        assert_eq!(w.len(), 1);
        assert!(decode_content(r#"{"v":2,"cause":"overdue"}"#).is_err());
        let bad = decode_content(r#"{"cause":"overdue","new_due_on":"Nguyễn Văn Bí Mật"}"#)
            .unwrap_err()
            .to_string();
        assert!(!bad.contains("Bí Mật"), "{bad}");
    }
}
