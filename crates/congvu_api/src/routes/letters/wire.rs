//! The wire shapes of letters: a draft's body parsed into the use case's `LetterDraft` (codes to
//! enums, ids to typed ids; the texts are checked by the use case against the cause and the
//! rules), the signature and letterhead bodies, and a letter as JSON.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_app::service::letters::{
    self, DraftApplicant, DraftDossier, LetterDraft, LetterView, MailLanguage, MailView, Signing,
};
use congvu_app::state::AppState;
use congvu_core::letter::{Authority, Cause, Channel, Letterhead, Salutation};
use congvu_db::letter::LetterWarning;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::routes::common::{Gather, Params, parsed};

/// Why a letter is written.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CauseCode {
    Overdue,
    ErrorInResult,
    LostDossier,
    StaffConduct,
}

/// How the applicant is addressed: Ông, Bà, Ông/Bà, or an organisation.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SalutationCode {
    Ong,
    Ba,
    OngBa,
    ToChuc,
}

/// How the letter reaches the applicant.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelCode {
    Email,
    Paper,
}

/// The covering email's language.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailLanguageCode {
    Vi,
    En,
}

/// Who signs: the head in their own name, TM (on behalf of the collective) or KT (for the
/// head).
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityCode {
    Own,
    Tm,
    Kt,
}

/// A letter's state.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LetterStateCode {
    Draft,
    Submitted,
    Issued,
    Delivered,
    Printed,
    Revoked,
}

/// A code of the body: unknown ones are `invalid`, naming what is allowed.
fn code<T>(
    p: &mut Params,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &str,
) -> Option<T> {
    let found = parse(value);
    if found.is_none() {
        p.push(field, "invalid", &format!("must be {allowed}"));
    }
    found
}

/// What an officer drafts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterInput {
    #[schema(value_type = CauseCode)]
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
    #[schema(value_type = Option<ChannelCode>)]
    pub channel: Option<String>,
    /// Language of the covering email: `vi` (default) or `en`; the letter is always Vietnamese.
    #[schema(value_type = Option<MailLanguageCode>)]
    pub mail_language: Option<String>,
    /// A confirmed violation the conduct letter answers.
    pub violation_id: Option<Uuid>,
    /// A substantiated citizen's report the conduct letter answers (set and shown only to those
    /// who may see reports).
    pub complaint_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    #[schema(value_type = SalutationCode)]
    pub salutation: String,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierInput {
    pub code: String,
    pub procedure: String,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
}

impl LetterInput {
    /// The draft with its codes parsed. An unknown code is reported together with every
    /// problem of the texts (`letters::check_draft` on the draft with a stand-in for the bad
    /// code), so one 422 lists them all; an unknown cause alone, as the texts required depend on
    /// it.
    pub fn parse(self, state: &AppState) -> Result<LetterDraft> {
        let mut p = Params::default();
        let cause = code(
            &mut p,
            "cause",
            &self.cause,
            Cause::parse,
            "overdue, error_in_result, lost_dossier or staff_conduct",
        );
        let salutation = code(
            &mut p,
            "applicant.salutation",
            &self.applicant.salutation,
            Salutation::parse,
            "ong, ba, ong_ba or to_chuc",
        );
        let channel = self
            .channel
            .as_deref()
            .map(|c| code(&mut p, "channel", c, Channel::parse, "email or paper"));
        let mail_language = self
            .mail_language
            .as_deref()
            .map(|l| code(&mut p, "mail_language", l, MailLanguage::parse, "vi or en"));
        let bad_codes = p.finish();
        let Some(cause) = cause else {
            bad_codes?;
            return Err(Error::Internal("an unknown cause was not reported".into()));
        };
        let draft = LetterDraft {
            cause,
            applicant: DraftApplicant {
                salutation: salutation.unwrap_or(Salutation::Either),
                name: self.applicant.name,
                address: self.applicant.address,
                email: self.applicant.email,
            },
            dossier: self.dossier.map(|d| DraftDossier {
                code: d.code,
                procedure: d.procedure,
                received_on: d.received_on,
                due_on: d.due_on,
            }),
            reason: self.reason,
            new_due_on: self.new_due_on,
            error: self.error,
            incident: self.incident,
            remedy: self.remedy,
            failure: self.failure,
            measures: self.measures,
            apology: self.apology,
            recipients: self.recipients,
            channel: channel.flatten(),
            mail_language: mail_language.flatten(),
            violation: self.violation_id.map(Into::into),
            complaint: self.complaint_id.map(Into::into),
        };
        if bad_codes.is_ok() {
            return Ok(draft);
        }
        let mut all = Gather::default();
        all.take(bad_codes)?;
        all.take(letters::check_draft(state, &draft).map_err(Error::from))?;
        all.finish()?;
        Err(Error::Internal("an unknown code was not reported".into()))
    }
}

impl From<LetterDraft> for LetterInput {
    fn from(d: LetterDraft) -> Self {
        Self {
            cause: d.cause.code().to_owned(),
            applicant: ApplicantInput {
                salutation: d.applicant.salutation.code().to_owned(),
                name: d.applicant.name,
                address: d.applicant.address,
                email: d.applicant.email,
            },
            dossier: d.dossier.map(|x| DossierInput {
                code: x.code,
                procedure: x.procedure,
                received_on: x.received_on,
                due_on: x.due_on,
            }),
            reason: d.reason,
            new_due_on: d.new_due_on,
            error: d.error,
            incident: d.incident,
            remedy: d.remedy,
            failure: d.failure,
            measures: d.measures,
            apology: d.apology,
            recipients: d.recipients,
            channel: d.channel.map(|c| c.code().to_owned()),
            mail_language: d.mail_language.map(|l| l.code().to_owned()),
            violation_id: d.violation.map(|v| v.as_uuid()),
            complaint_id: d.complaint.map(|c| c.as_uuid()),
        }
    }
}

/// The signature a unit head gives when issuing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    #[schema(value_type = AuthorityCode)]
    pub authority: String,
    /// For TM the collective, for KT the head's title.
    pub on_behalf_of: Option<String>,
    /// The signer's title.
    pub title: String,
    pub name: String,
}

impl SignatureInput {
    pub fn parse(self) -> Result<Signing> {
        let mut p = Params::default();
        let authority = code(
            &mut p,
            "authority",
            &self.authority,
            Authority::parse,
            "own, tm or kt",
        );
        p.finish()?;
        Ok(Signing {
            authority: parsed(authority)?,
            on_behalf_of: self.on_behalf_of,
            title: self.title,
            name: self.name,
        })
    }
}

impl From<Signing> for SignatureInput {
    fn from(s: Signing) -> Self {
        Self {
            authority: s.authority.code().to_owned(),
            on_behalf_of: s.on_behalf_of,
            title: s.title,
            name: s.name,
        }
    }
}

/// A unit's letterhead as given and shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterheadInput {
    pub parent: Option<String>,
    pub body: String,
    pub symbol: String,
    pub place: String,
    pub archive: String,
}

impl LetterheadInput {
    /// The letterhead, each line checked (`Letterhead::new`).
    pub fn parse(&self) -> Result<Letterhead> {
        Letterhead::new(
            self.parent.as_deref(),
            &self.body,
            &self.symbol,
            &self.place,
            &self.archive,
        )
        .map_err(Error::from)
    }
}

impl From<Letterhead> for LetterheadInput {
    fn from(h: Letterhead) -> Self {
        Self {
            parent: h.parent,
            body: h.body,
            symbol: h.symbol,
            place: h.place,
            archive: h.archive,
        }
    }
}

/// A letter as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LetterResponse {
    pub id: Uuid,
    pub unit_id: Uuid,
    #[schema(value_type = CauseCode)]
    pub cause: &'static str,
    /// The form the letter follows (the one in force on the issue date once issued).
    pub form_key: String,
    #[schema(value_type = LetterStateCode)]
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
    pub mail: Option<MailResponse>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<LetterView> for LetterResponse {
    fn from(v: LetterView) -> Self {
        Self {
            id: v.id.as_uuid(),
            unit_id: v.unit.as_uuid(),
            cause: v.cause.code(),
            form_key: v.form_key,
            state: v.state.code(),
            content: v.content.into(),
            number: v.number,
            issued_on: v.issued_on,
            signature: v.signature.map(SignatureInput::from),
            warnings: v.warnings.into_iter().map(WarningView::from).collect(),
            pdf_sha256: v.pdf_sha256,
            revoke_reason: v.revoke_reason,
            mail: v.mail.map(MailResponse::from),
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// Where a letter's email stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailResponse {
    /// pending, sent, failed or cancelled.
    pub state: String,
    pub attempts: u32,
    /// The last failure, the address masked.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<MailView> for MailResponse {
    fn from(m: MailView) -> Self {
        Self {
            state: m.state,
            attempts: m.attempts,
            last_error: m.last_error,
            sent_at: m.sent_at,
        }
    }
}

/// An unverified rule the letter breaks, accepted at issue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WarningView {
    pub code: String,
    pub message: String,
    pub basis: String,
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
