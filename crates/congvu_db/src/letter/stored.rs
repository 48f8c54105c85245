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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterApplicant {
    pub salutation: String,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
}

/// The one-stop dossier a letter is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterDossier {
    pub code: String,
    pub procedure: String,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
}

/// The signature block the unit head gave at issue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterSignature {
    pub authority: String,
    pub on_behalf_of: Option<String>,
    pub title: String,
    pub name: String,
}

/// An unverified rule the letter broke, accepted with a warning at issue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterWarning {
    pub code: String,
    pub message: String,
    pub basis: String,
}

// Version 1 of the three documents: the field names below are the stored format, private to this
// file (the public types above may be renamed freely). What identifies a document is required; the
// rest defaults, so a field added later reads from older rows.

#[derive(Serialize, Deserialize)]
struct ContentV1 {
    cause: String,
    applicant: ApplicantV1,
    #[serde(default)]
    dossier: Option<DossierV1>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    new_due_on: Option<NaiveDate>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    incident: Option<String>,
    #[serde(default)]
    remedy: Option<String>,
    #[serde(default)]
    failure: Option<String>,
    #[serde(default)]
    measures: Option<String>,
    #[serde(default)]
    apology: Option<String>,
    #[serde(default)]
    recipients: Vec<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    mail_language: Option<String>,
    #[serde(default)]
    violation_id: Option<Uuid>,
    #[serde(default)]
    complaint_id: Option<Uuid>,
}

#[derive(Serialize, Deserialize)]
struct ApplicantV1 {
    salutation: String,
    name: String,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct DossierV1 {
    code: String,
    procedure: String,
    received_on: NaiveDate,
    due_on: NaiveDate,
}

#[derive(Serialize, Deserialize)]
struct SignatureV1 {
    authority: String,
    #[serde(default)]
    on_behalf_of: Option<String>,
    title: String,
    name: String,
}

#[derive(Clone, Serialize, Deserialize)]
struct WarningV1 {
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    basis: String,
}

/// Version 1 of the warnings document (the unversioned rows are a bare list).
#[derive(Serialize, Deserialize)]
struct WarningsV1 {
    #[serde(default)]
    warnings: Vec<WarningV1>,
}

impl From<&LetterContent> for ContentV1 {
    fn from(c: &LetterContent) -> Self {
        Self {
            cause: c.cause.clone(),
            applicant: ApplicantV1 {
                salutation: c.applicant.salutation.clone(),
                name: c.applicant.name.clone(),
                address: c.applicant.address.clone(),
                email: c.applicant.email.clone(),
            },
            dossier: c.dossier.as_ref().map(|d| DossierV1 {
                code: d.code.clone(),
                procedure: d.procedure.clone(),
                received_on: d.received_on,
                due_on: d.due_on,
            }),
            reason: c.reason.clone(),
            new_due_on: c.new_due_on,
            error: c.error.clone(),
            incident: c.incident.clone(),
            remedy: c.remedy.clone(),
            failure: c.failure.clone(),
            measures: c.measures.clone(),
            apology: c.apology.clone(),
            recipients: c.recipients.clone(),
            channel: c.channel.clone(),
            mail_language: c.mail_language.clone(),
            violation_id: c.violation_id,
            complaint_id: c.complaint_id,
        }
    }
}

impl From<ContentV1> for LetterContent {
    fn from(c: ContentV1) -> Self {
        Self {
            cause: c.cause,
            applicant: LetterApplicant {
                salutation: c.applicant.salutation,
                name: c.applicant.name,
                address: c.applicant.address,
                email: c.applicant.email,
            },
            dossier: c.dossier.map(|d| LetterDossier {
                code: d.code,
                procedure: d.procedure,
                received_on: d.received_on,
                due_on: d.due_on,
            }),
            reason: c.reason,
            new_due_on: c.new_due_on,
            error: c.error,
            incident: c.incident,
            remedy: c.remedy,
            failure: c.failure,
            measures: c.measures,
            apology: c.apology,
            recipients: c.recipients,
            channel: c.channel,
            mail_language: c.mail_language,
            violation_id: c.violation_id,
            complaint_id: c.complaint_id,
        }
    }
}

impl From<WarningV1> for LetterWarning {
    fn from(w: WarningV1) -> Self {
        Self {
            code: w.code,
            message: w.message,
            basis: w.basis,
        }
    }
}

pub(super) fn encode_content(c: &LetterContent) -> Result<String, DbError> {
    stored::encode("letter content", CURRENT, &ContentV1::from(c))
}

pub(super) fn decode_content(json: &str) -> Result<LetterContent, DbError> {
    version_1::<ContentV1>("letter content", json).map(Into::into)
}

/// A document that has one version so far (rows from before versioning read as it).
fn version_1<T: DeserializeOwned>(what: &str, json: &str) -> Result<T, DbError> {
    match stored::open(what, json, 1)? {
        (1, body) => stored::read(what, body),
        (other, _) => Err(stored::unknown(what, other)),
    }
}

pub(super) fn encode_signature(s: &LetterSignature) -> Result<String, DbError> {
    let doc = SignatureV1 {
        authority: s.authority.clone(),
        on_behalf_of: s.on_behalf_of.clone(),
        title: s.title.clone(),
        name: s.name.clone(),
    };
    stored::encode("letter signature", CURRENT, &doc)
}

pub(super) fn decode_signature(json: &str) -> Result<LetterSignature, DbError> {
    let s: SignatureV1 = version_1("letter signature", json)?;
    Ok(LetterSignature {
        authority: s.authority,
        on_behalf_of: s.on_behalf_of,
        title: s.title,
        name: s.name,
    })
}

pub(super) fn encode_warnings(w: &[LetterWarning]) -> Result<String, DbError> {
    let doc = WarningsV1 {
        warnings: w
            .iter()
            .map(|w| WarningV1 {
                code: w.code.clone(),
                message: w.message.clone(),
                basis: w.basis.clone(),
            })
            .collect(),
    };
    stored::encode("letter warnings", CURRENT, &doc)
}

pub(super) fn decode_warnings(json: &str) -> Result<Vec<LetterWarning>, DbError> {
    const WHAT: &str = "letter warnings";
    let read: Vec<WarningV1> = match stored::open(WHAT, json, 0)? {
        // Before versioning the warnings were stored as a bare list.
        (0, body) => stored::read(WHAT, body)?,
        (1, body) => stored::read::<WarningsV1>(WHAT, body)?.warnings,
        (other, _) => return Err(stored::unknown(WHAT, other)),
    };
    Ok(read.into_iter().map(Into::into).collect())
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
        // A damaged row is an error, not an empty letter.
        assert!(decode_content("{}").is_err());
        assert!(decode_signature(r#"{"authority":"own"}"#).is_err());
        let bad = decode_content(
            r#"{"cause":"overdue","applicant":{"salutation":"ong","name":"A"},"new_due_on":"Nguyễn Văn Bí Mật"}"#,
        )
            .unwrap_err()
            .to_string();
        assert!(!bad.contains("Bí Mật"), "{bad}");
    }
}
