//! Apology letters: letterheads, drafting, the unit head's signature and issue (number, PDF,
//! audit event and mail committed together), returning, printing and revoking, and rendering.
//! The rules are congvu_core's; this module fetches the facts and keeps the transaction.

use chrono::NaiveDate;
use congvu_core::calendar::WorkCalendar;
use congvu_core::calendar::vietnam_date;
use congvu_core::error::{Collector, DomainError};
use congvu_core::ids::UnitId;
use congvu_core::letter::compose::{self, Document, Issue};
use congvu_core::letter::rules::{self, Form, IssueFacts, LetterRules, Warning};
use congvu_core::letter::{
    Applicant, Authority, Cause, Channel, Content, Details, DocNumber, Dossier, Letterhead,
    MAX_LINE, MAX_TEXT, Salutation, Signature, State, Step,
};
use congvu_core::policy::{Action, Actor, Role};
use congvu_core::text;
use congvu_db::letter::{
    DraftRow, IssueRow, LetterApplicant, LetterContent, LetterDossier, LetterFilter, LetterRecord,
    LetterSignature, LetterWarning,
};
use congvu_db::outbox::{self, Message};
use congvu_db::unit::UnitRecord;
use congvu_db::{DbError, Page};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{record, unit_for, who};
use crate::error::{Error, Result};
use crate::state::AppState;

mod content;
mod documents;
mod drafts;
mod issue;
mod letterhead;

use content::*;
pub use documents::*;
pub use drafts::*;
pub use issue::*;
pub use letterhead::*;

/// What an officer drafts (stored apart, as `congvu_db::letter::LetterContent`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LetterInput {
    /// `overdue`, `error_in_result`, `lost_dossier` or `staff_conduct`.
    pub cause: String,
    pub applicant: ApplicantInput,
    /// The one-stop dossier; required except for staff conduct.
    pub dossier: Option<DossierInput>,
    /// Overdue: why the dossier is late.
    pub reason: Option<String>,
    /// Overdue: the new return date.
    pub new_due_on: Option<NaiveDate>,
    /// Error in a result: what was wrong.
    pub error: Option<String>,
    /// Lost or damaged dossier: what happened.
    pub incident: Option<String>,
    /// Error or loss: how it is put right.
    pub remedy: Option<String>,
    /// Staff conduct: the failure apologised for, as the citizen should read it.
    pub failure: Option<String>,
    /// Staff conduct: the measures taken, without naming discipline (nor may any other text of
    /// a conduct letter).
    pub measures: Option<String>,
    /// The apology sentence; the form's standard wording when absent.
    pub apology: Option<String>,
    /// Further "Nơi nhận" entries.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// `email` (default when an address is given) or `paper`.
    pub channel: Option<String>,
    /// Language of the covering email: `vi` (default) or `en`; the letter is always Vietnamese.
    pub mail_language: Option<String>,
    /// A confirmed violation the conduct letter answers.
    pub violation_id: Option<Uuid>,
    /// A substantiated citizen's report the conduct letter answers (set and shown only to those
    /// who may see reports).
    pub complaint_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    /// `ong`, `ba`, `ong_ba` or `to_chuc`.
    pub salutation: String,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DossierInput {
    pub code: String,
    pub procedure: String,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
}

/// The signature a unit head gives when issuing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    /// `own`, `tm` or `kt`.
    pub authority: String,
    /// For TM the collective, for KT the head's title.
    pub on_behalf_of: Option<String>,
    /// The signer's title.
    pub title: String,
    pub name: String,
}

/// A unit's letterhead as given and shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LetterheadInput {
    pub parent: Option<String>,
    pub body: String,
    pub symbol: String,
    pub place: String,
    pub archive: String,
}

/// A letter as the API shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterView {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub cause: &'static str,
    /// The form the letter follows (the one in force on the issue date once issued).
    pub form_key: String,
    pub state: &'static str,
    pub content: LetterInput,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub signature: Option<SignatureInput>,
    /// Unverified rules the letter breaks, accepted with a warning at issue.
    pub warnings: Vec<WarningView>,
    /// SHA-256 of the issued PDF.
    pub pdf_sha256: Option<String>,
    pub revoke_reason: Option<String>,
    /// The letter's email, in the single-letter view: pending, sent, failed or cancelled.
    pub mail: Option<MailView>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Where a letter's email stands.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailView {
    pub state: String,
    pub attempts: u32,
    /// The last failure, the address masked.
    pub last_error: Option<String>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarningView {
    pub code: String,
    pub message: String,
    pub basis: String,
}

impl From<&Warning> for WarningView {
    fn from(w: &Warning) -> Self {
        Self {
            code: w.code.to_owned(),
            message: w.message.clone(),
            basis: w.basis.clone(),
        }
    }
}

// The wire bodies and the stored documents (congvu_db::letter) are kept apart (issue 19): a
// field renamed in the API does not turn stored letters into errors. The conversions are the
// only place the two meet.

impl From<&LetterInput> for LetterContent {
    fn from(i: &LetterInput) -> Self {
        Self {
            cause: i.cause.clone(),
            applicant: LetterApplicant {
                salutation: i.applicant.salutation.clone(),
                name: i.applicant.name.clone(),
                address: i.applicant.address.clone(),
                email: i.applicant.email.clone(),
            },
            dossier: i.dossier.as_ref().map(|d| LetterDossier {
                code: d.code.clone(),
                procedure: d.procedure.clone(),
                received_on: d.received_on,
                due_on: d.due_on,
            }),
            reason: i.reason.clone(),
            new_due_on: i.new_due_on,
            error: i.error.clone(),
            incident: i.incident.clone(),
            remedy: i.remedy.clone(),
            failure: i.failure.clone(),
            measures: i.measures.clone(),
            apology: i.apology.clone(),
            recipients: i.recipients.clone(),
            channel: i.channel.clone(),
            mail_language: i.mail_language.clone(),
            violation_id: i.violation_id,
            complaint_id: i.complaint_id,
        }
    }
}

impl From<LetterContent> for LetterInput {
    fn from(c: LetterContent) -> Self {
        Self {
            cause: c.cause,
            applicant: ApplicantInput {
                salutation: c.applicant.salutation,
                name: c.applicant.name,
                address: c.applicant.address,
                email: c.applicant.email,
            },
            dossier: c.dossier.map(|d| DossierInput {
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

impl From<&SignatureInput> for LetterSignature {
    fn from(s: &SignatureInput) -> Self {
        Self {
            authority: s.authority.clone(),
            on_behalf_of: s.on_behalf_of.clone(),
            title: s.title.clone(),
            name: s.name.clone(),
        }
    }
}

impl From<LetterSignature> for SignatureInput {
    fn from(s: LetterSignature) -> Self {
        Self {
            authority: s.authority,
            on_behalf_of: s.on_behalf_of,
            title: s.title,
            name: s.name,
        }
    }
}

/// A warning as stored with the issued letter.
fn stored_warning(w: &Warning) -> LetterWarning {
    LetterWarning {
        code: w.code.to_owned(),
        message: w.message.clone(),
        basis: w.basis.clone(),
    }
}

impl From<LetterWarning> for WarningView {
    fn from(w: LetterWarning) -> Self {
        Self {
            code: w.code,
            message: w.message,
            basis: w.basis,
        }
    }
}
