//! Apology letters: letterheads, drafting, the unit head's signature and issue (number, PDF,
//! audit event and mail committed together), returning, printing and revoking, and rendering.
//! The rules are congvu_core's; this module fetches the facts and keeps the transaction.

use chrono::NaiveDate;
use congvu_core::calendar::WorkCalendar;
use congvu_core::calendar::vietnam_date;
use congvu_core::error::{Collector, DomainError};
use congvu_core::ids::{ComplaintId, LetterId, UnitId, ViolationId};
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
use serde::Serialize;
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

pub use content::check_draft;
use content::*;
pub use documents::*;
pub use drafts::*;
pub use issue::*;
pub use letterhead::*;

/// The language of a letter's covering email (the letter itself is always Vietnamese).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MailLanguage {
    #[default]
    Vi,
    En,
}

impl MailLanguage {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Vi, Self::En].into_iter().find(|l| l.code() == code)
    }
}

/// What an officer drafts: the codes parsed, the texts as written (checked against the cause and
/// the rules when drafted and again when issued). Stored apart, as
/// `congvu_db::letter::LetterContent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterDraft {
    pub cause: Cause,
    pub applicant: DraftApplicant,
    /// The one-stop dossier; required except for staff conduct.
    pub dossier: Option<DraftDossier>,
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
    /// Staff conduct: the measures taken, without naming discipline.
    pub measures: Option<String>,
    /// The apology sentence; the form's standard wording when absent.
    pub apology: Option<String>,
    /// Further "Nơi nhận" entries.
    pub recipients: Vec<String>,
    /// Email when an address is given and none is named, else paper.
    pub channel: Option<Channel>,
    /// The covering email's language (Vietnamese when none).
    pub mail_language: Option<MailLanguage>,
    /// A confirmed violation the conduct letter answers.
    pub violation: Option<ViolationId>,
    /// A substantiated citizen's report the conduct letter answers (shown only to those who may
    /// see reports).
    pub complaint: Option<ComplaintId>,
}

/// The person or organisation a letter is addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftApplicant {
    pub salutation: Salutation,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
}

/// The one-stop dossier a letter concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftDossier {
    pub code: String,
    pub procedure: String,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
}

/// The signature a unit head gives when issuing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signing {
    pub authority: Authority,
    /// For TM the collective, for KT the head's title.
    pub on_behalf_of: Option<String>,
    /// The signer's title.
    pub title: String,
    pub name: String,
}

/// A letter as its reader may see it.
#[derive(Debug, Clone)]
pub struct LetterView {
    pub id: LetterId,
    pub unit: UnitId,
    pub cause: Cause,
    /// The form the letter follows (the one in force on the issue date once issued).
    pub form_key: String,
    pub state: State,
    pub content: LetterDraft,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub signature: Option<Signing>,
    /// Unverified rules the letter breaks, accepted with a warning at issue.
    pub warnings: Vec<LetterWarning>,
    /// SHA-256 of the issued PDF.
    pub pdf_sha256: Option<String>,
    pub revoke_reason: Option<String>,
    /// The letter's email, in the single-letter view.
    pub mail: Option<MailView>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Where a letter's email stands.
#[derive(Debug, Clone)]
pub struct MailView {
    /// pending, sent, failed or cancelled.
    pub state: String,
    pub attempts: u32,
    /// The last failure, the address masked.
    pub last_error: Option<String>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

// The use cases' types and the stored documents (congvu_db::letter) are kept apart (issue 19): a
// field renamed in the API does not turn stored letters into errors. The conversions are the
// only place the two meet.

impl From<&LetterDraft> for LetterContent {
    fn from(i: &LetterDraft) -> Self {
        Self {
            cause: i.cause.code().to_owned(),
            applicant: LetterApplicant {
                salutation: i.applicant.salutation.code().to_owned(),
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
            channel: i.channel.map(|c| c.code().to_owned()),
            mail_language: i.mail_language.map(|l| l.code().to_owned()),
            violation_id: i.violation.map(|v| v.as_uuid()),
            complaint_id: i.complaint.map(|c| c.as_uuid()),
        }
    }
}

/// A stored code read back (the row was checked when written; a code no longer known is a fault).
fn stored_code<T>(what: &str, code: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    parse(code).ok_or_else(|| Error::Internal(format!("stored letter {what} {code:?}")))
}

impl TryFrom<LetterContent> for LetterDraft {
    type Error = Error;

    fn try_from(c: LetterContent) -> Result<Self> {
        Ok(Self {
            cause: stored_code("cause", &c.cause, Cause::parse)?,
            applicant: DraftApplicant {
                salutation: stored_code("salutation", &c.applicant.salutation, Salutation::parse)?,
                name: c.applicant.name,
                address: c.applicant.address,
                email: c.applicant.email,
            },
            dossier: c.dossier.map(|d| DraftDossier {
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
            channel: c
                .channel
                .map(|ch| stored_code("channel", &ch, Channel::parse))
                .transpose()?,
            mail_language: c
                .mail_language
                .map(|l| stored_code("mail language", &l, MailLanguage::parse))
                .transpose()?,
            violation: c.violation_id.map(ViolationId::from),
            complaint: c.complaint_id.map(ComplaintId::from),
        })
    }
}

impl From<&Signing> for LetterSignature {
    fn from(s: &Signing) -> Self {
        Self {
            authority: s.authority.code().to_owned(),
            on_behalf_of: s.on_behalf_of.clone(),
            title: s.title.clone(),
            name: s.name.clone(),
        }
    }
}

impl TryFrom<LetterSignature> for Signing {
    type Error = Error;

    fn try_from(s: LetterSignature) -> Result<Self> {
        Ok(Self {
            authority: stored_code("authority", &s.authority, Authority::parse)?,
            on_behalf_of: s.on_behalf_of,
            title: s.title,
            name: s.name,
        })
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
