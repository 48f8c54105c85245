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
use congvu_db::letter::{DraftRow, IssueRow, LetterFilter, LetterRecord};
use congvu_db::outbox::{self, Message};
use congvu_db::unit::UnitRecord;
use congvu_db::{DbError, Page};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{record, unit_for, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// What an officer drafts; also how a letter's content is stored (JSON).
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

/// Stored JSON that no longer reads: reported without quoting it (it holds citizens' text).
fn corrupt(what: &'static str) -> Error {
    Error::from(DbError::Corrupt(what.into()))
}

/// The stored content of a letter.
fn stored_content(r: &LetterRecord) -> Result<LetterInput> {
    serde_json::from_str(&r.content).map_err(|_| corrupt("letter content"))
}

/// The letter as the caller may see it: the link to a citizen's report only for those who may
/// see reports (it would tell who complained).
fn view(actor: &Actor, r: LetterRecord, mail: Option<MailView>) -> Result<LetterView> {
    let mut content = stored_content(&r)?;
    if !actor.holds_any(Action::ViewComplaint) {
        content.complaint_id = None;
    }
    Ok(LetterView {
        id: r.id,
        unit_id: r.unit.as_uuid(),
        cause: r.cause.code(),
        form_key: r.form_key,
        state: r.state.code(),
        content,
        number: r.number,
        issued_on: r.issued_on,
        signature: r
            .signature
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|_| corrupt("letter signature"))?,
        warnings: r
            .warnings
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|_| corrupt("letter warnings"))?
            .unwrap_or_default(),
        pdf_sha256: r.pdf_sha256,
        revoke_reason: r.revoke_reason,
        mail,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// The applicant, each field checked.
fn applicant(errors: &mut Collector, a: &ApplicantInput) -> Option<Applicant> {
    let salutation = Salutation::parse(&a.salutation);
    if salutation.is_none() {
        errors.push(
            "applicant.salutation",
            "invalid",
            "must be ong, ba, ong_ba or to_chuc",
        );
    }
    let name = errors.take(text::required("applicant.name", &a.name, MAX_LINE));
    let address = errors
        .take(text::optional(
            "applicant.address",
            a.address.as_deref(),
            MAX_LINE,
        ))
        .flatten();
    let email = errors
        .take(text::optional("applicant.email", a.email.as_deref(), 254))
        .flatten();
    if email
        .as_deref()
        .is_some_and(|e| !congvu_mail::valid_address(e))
    {
        errors.push("applicant.email", "invalid", "not an email address");
    }
    Some(Applicant {
        salutation: salutation?,
        name: name?,
        address,
        email,
    })
}

/// A required long text of the cause.
fn long_text(errors: &mut Collector, field: &str, value: Option<&String>) -> Option<String> {
    match value {
        None => {
            errors.push(field, "required", "required for this cause");
            None
        }
        Some(v) => errors.take(text::required(field, v, MAX_TEXT)),
    }
}

/// What the letter says beyond the dossier, by cause.
fn details(errors: &mut Collector, cause: Cause, input: &LetterInput) -> Option<Details> {
    let mut pair = |a: &str, va: Option<&String>, b: &str, vb: Option<&String>| {
        let first = long_text(errors, a, va);
        let second = long_text(errors, b, vb);
        first.zip(second)
    };
    match cause {
        Cause::Overdue => {
            let reason = long_text(errors, "reason", input.reason.as_ref());
            if input.new_due_on.is_none() {
                errors.push("new_due_on", "required", "required for this cause");
            }
            Some(Details::Overdue {
                reason: reason?,
                new_due_on: input.new_due_on?,
            })
        }
        Cause::ErrorInResult => pair(
            "error",
            input.error.as_ref(),
            "remedy",
            input.remedy.as_ref(),
        )
        .map(|(error, remedy)| Details::ErrorInResult { error, remedy }),
        Cause::LostDossier => pair(
            "incident",
            input.incident.as_ref(),
            "remedy",
            input.remedy.as_ref(),
        )
        .map(|(incident, remedy)| Details::LostDossier { incident, remedy }),
        Cause::StaffConduct => pair(
            "failure",
            input.failure.as_ref(),
            "measures",
            input.measures.as_ref(),
        )
        .map(|(failure, measures)| Details::StaffConduct { failure, measures }),
    }
}

/// A conduct letter names no discipline in any of its texts (brief §6.4; words in
/// `data/letters.toml`).
fn check_discretion(errors: &mut Collector, rules: &LetterRules, input: &LetterInput) {
    let texts = [
        ("failure", input.failure.as_deref()),
        ("measures", input.measures.as_deref()),
        ("apology", input.apology.as_deref()),
    ];
    let recipients = input
        .recipients
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("recipients[{i}]"), Some(r.as_str())));
    for (field, value) in texts
        .into_iter()
        .map(|(f, v)| (f.to_owned(), v))
        .chain(recipients)
    {
        if value.is_some_and(|v| rules.names_discipline(v)) {
            errors.push(
                &field,
                "names_discipline",
                "a letter to a citizen states the measures taken without naming discipline",
            );
        }
    }
}

/// Parses the drafted input into the domain's content, reporting every problem at once.
fn content(rules: &LetterRules, input: &LetterInput) -> Result<Content> {
    let mut errors = Collector::default();
    let cause = Cause::parse(&input.cause);
    if cause.is_none() {
        errors.push(
            "cause",
            "invalid",
            "must be overdue, error_in_result, lost_dossier or staff_conduct",
        );
    }
    let applicant = applicant(&mut errors, &input.applicant);
    let channel = match input.channel.as_deref() {
        None if input.applicant.email.is_some() => Some(Channel::Email),
        None => Some(Channel::Paper),
        Some(c) => Channel::parse(c),
    };
    if channel.is_none() {
        errors.push("channel", "invalid", "must be email or paper");
    }
    if !matches!(input.mail_language.as_deref(), None | Some("vi" | "en")) {
        errors.push("mail_language", "invalid", "must be vi or en");
    }
    let dossier = input.dossier.as_ref().and_then(|d| {
        let code = errors.take(text::required("dossier.code", &d.code, 100));
        let procedure = errors.take(text::required("dossier.procedure", &d.procedure, MAX_LINE));
        Some(Dossier {
            code: code?,
            procedure: procedure?,
            received_on: d.received_on,
            due_on: d.due_on,
        })
    });
    let details = cause.and_then(|c| details(&mut errors, c, input));
    if cause == Some(Cause::StaffConduct) {
        check_discretion(&mut errors, rules, input);
    } else if input.violation_id.is_some() || input.complaint_id.is_some() {
        errors.push(
            "violation_id",
            "not_allowed",
            "only a staff-conduct letter links a violation or a report",
        );
    }
    let apology = errors
        .take(text::optional(
            "apology",
            input.apology.as_deref(),
            MAX_TEXT,
        ))
        .flatten();
    let recipients: Vec<String> = input
        .recipients
        .iter()
        .enumerate()
        .filter_map(|(i, r)| errors.take(text::required(&format!("recipients[{i}]"), r, MAX_LINE)))
        .collect();
    errors.finish()?;
    let (Some(applicant), Some(details), Some(channel)) = (applicant, details, channel) else {
        return Err(DomainError::invalid("", "invalid", "the letter is invalid").into());
    };
    let content = Content {
        applicant,
        dossier,
        details,
        apology,
        recipients,
        channel,
    };
    content.check()?;
    Ok(content)
}

fn reach(actor: &Actor) -> congvu_core::policy::Reach {
    actor.reach(Action::ViewLetter)
}

/// Checks the links of a conduct letter: a confirmed violation and a substantiated report, both in
/// the caller's reach (a report only for those who may see reports).
async fn check_links(state: &AppState, actor: &Actor, input: &LetterInput) -> Result<()> {
    if let Some(v) = input.violation_id {
        let found =
            congvu_db::violation::find(state.db.reader(), &actor.reach(Action::ViewViolation), v)
                .await
                .map_err(|_| {
                    Error::field(
                        "violation_id",
                        "not_found",
                        "no such violation in your units",
                    )
                })?;
        if found.state != congvu_core::violation::State::Confirmed {
            return Err(Error::field(
                "violation_id",
                "not_confirmed",
                "a letter answers a confirmed violation only",
            ));
        }
    }
    if let Some(c) = input.complaint_id {
        let viewer = congvu_db::complaint::Viewer {
            reach: &actor.reach(Action::ViewComplaint),
            person: actor.person,
        };
        let found = congvu_db::complaint::find(state.db.reader(), &viewer, c, false)
            .await
            .map_err(|_| {
                Error::field("complaint_id", "not_found", "no such report in your units")
            })?;
        let substantiated = matches!(
            found.outcome.as_deref(),
            Some("substantiated" | "partly_substantiated")
        );
        if !substantiated {
            return Err(Error::field(
                "complaint_id",
                "not_substantiated",
                "a letter answers a report concluded as (partly) substantiated only",
            ));
        }
    }
    Ok(())
}

/// The form for `cause` in force on `on`.
fn form_on(state: &AppState, cause: Cause, on: NaiveDate) -> Result<&Form> {
    state.letter_rules.form(cause, on).ok_or_else(|| {
        Error::from(DomainError::LetterRule {
            code: "letter.no_form",
            detail: format!("no letter form for {} is in force on {on}", cause.code()),
        })
    })
}

/// The dates a letter will be checked against at issue must lie in the calendar congvu knows, so
/// a draft that could never be issued is refused now rather than stuck later.
fn check_dates(calendar: &WorkCalendar, form: &Form, parsed: &Content) -> Result<()> {
    if let Some(d) = &parsed.dossier {
        rules::notice_due(form, d, calendar)?;
        calendar.is_working_day(d.due_on)?;
    }
    if let Details::Overdue { new_due_on, .. } = &parsed.details {
        calendar.is_working_day(*new_due_on)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct DraftChange<'a> {
    unit_id: Uuid,
    cause: &'a str,
    form_key: &'a str,
    channel: &'a str,
    violation_id: Option<Uuid>,
    complaint_id: Option<Uuid>,
}

/// A checked draft, ready to store.
struct Draft {
    input: LetterInput,
    parsed: Content,
    form_key: String,
    stored: String,
}

impl Draft {
    fn row(&self) -> DraftRow<'_> {
        DraftRow {
            cause: self.parsed.details.cause(),
            form_key: &self.form_key,
            content: &self.stored,
            dossier_code: self.parsed.dossier.as_ref().map(|d| d.code.as_str()),
            violation_id: self.input.violation_id,
            complaint_id: self.input.complaint_id,
        }
    }

    fn change(&self, unit: UnitId) -> DraftChange<'_> {
        DraftChange {
            unit_id: unit.as_uuid(),
            cause: self.parsed.details.cause().code(),
            form_key: &self.form_key,
            channel: self.parsed.channel.code(),
            violation_id: self.input.violation_id,
            complaint_id: self.input.complaint_id,
        }
    }
}

/// Checks a draft for a unit: content, links, today's form, dates inside the calendar.
async fn draft(
    state: &AppState,
    actor: &Actor,
    unit: &UnitRecord,
    input: LetterInput,
) -> Result<Draft> {
    let parsed = content(&state.letter_rules, &input)?;
    check_links(state, actor, &input).await?;
    let form = form_on(
        state,
        parsed.details.cause(),
        vietnam_date(state.clock.now()),
    )?;
    let calendar = super::units::calendar_for(state, unit).await?;
    check_dates(&calendar, form, &parsed)?;
    Ok(Draft {
        form_key: form.key.clone(),
        stored: to_json(&input)?,
        input,
        parsed,
    })
}

/// Drafts a letter for a unit.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: LetterInput,
) -> Result<LetterView> {
    let unit_record = unit_for(
        state,
        actor,
        unit,
        Action::DraftLetter,
        "only a unit head, HR or one-stop officer of the unit drafts its letters",
    )
    .await?;
    let draft = draft(state, actor, &unit_record, input).await?;
    let id = Uuid::now_v7();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::letter::insert(&txn, id, unit, &draft.row(), actor.user.as_uuid(), now).await?;
    record(
        &txn,
        who(actor),
        "letter.create",
        ("letter", id.to_string()),
        "draft",
        &draft.change(unit),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id).await
}

/// Replaces a draft's content.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: LetterInput,
) -> Result<LetterView> {
    let before = congvu_db::letter::find(state.db.reader(), &reach(actor), id).await?;
    let unit = unit_for(
        state,
        actor,
        before.unit,
        Action::DraftLetter,
        "only a unit head, HR or one-stop officer of the unit edits its letters",
    )
    .await?;
    let draft = draft(state, actor, &unit, input).await?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let current = congvu_db::letter::find_for_update(&txn, &reach(actor), id).await?;
    if !current.state.editable() {
        return Err(Error::Conflict {
            code: "letter.not_editable",
            detail: format!("a {} letter cannot change", current.state.code()),
        });
    }
    congvu_db::letter::update_draft(&txn, id, &draft.row(), now).await?;
    record(
        &txn,
        who(actor),
        "letter.update",
        ("letter", id.to_string()),
        "draft revised",
        &draft.change(current.unit),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id).await
}

/// A letter in reach, with its email's state.
pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> Result<LetterView> {
    let record = congvu_db::letter::find(state.db.reader(), &reach(actor), id).await?;
    let mail = congvu_db::outbox::for_letter(state.db.reader(), id)
        .await?
        .map(|m| MailView {
            state: m.state,
            attempts: m.attempts,
            last_error: m.last_error,
            sent_at: m.sent_at,
        });
    view(actor, record, mail)
}

/// Letters in reach, by unit (and sub-units) and state.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    unit: Option<UnitId>,
    letter_state: Option<State>,
    page: Page,
) -> Result<Vec<LetterView>> {
    let filter = LetterFilter {
        unit_path: super::unit_filter(state, actor, unit).await?,
        state: letter_state,
    };
    congvu_db::letter::list(state.db.reader(), &reach(actor), &filter, page)
        .await?
        .into_iter()
        .map(|r| view(actor, r, None))
        .collect()
}

/// Submit, return, print or revoke (issuing is [`issue`]). Returning and revoking need the
/// issuing unit's head and a reason; revoking cancels the letter's unsent email.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    step: Step,
    reason: Option<&str>,
) -> Result<LetterView> {
    let reason = match step {
        Step::Return | Step::Revoke => super::reason(reason)?,
        _ => step.code().to_owned(),
    };
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let current = congvu_db::letter::find_for_update(&txn, &reach(actor), id).await?;
    let unit = congvu_db::unit::find(&txn, &actor.reach(Action::ViewUnit), current.unit).await?;
    let (action, why) = match step {
        Step::Submit | Step::Print => (
            Action::DraftLetter,
            "only a unit head, HR or one-stop officer of the unit does this",
        ),
        _ => (
            Action::IssueLetter,
            "only the unit head returns or revokes a letter",
        ),
    };
    if !actor.may(action, &unit.path) {
        return Err(Error::Forbidden(why));
    }
    let next = step.apply(current.state).ok_or_else(|| Error::Conflict {
        code: "letter.step_not_allowed",
        detail: format!("a {} letter cannot {}", current.state.code(), step.code()),
    })?;
    let (cancelled, sending) = if step == Step::Revoke {
        congvu_db::letter::revoke(&txn, id, current.state, &reason, now).await?;
        outbox::cancel_for_letter(&txn, id, now).await?
    } else {
        congvu_db::letter::set_state(&txn, id, current.state, next, now).await?;
        (0, 0)
    };
    #[derive(Serialize)]
    struct Change {
        from: &'static str,
        to: &'static str,
        mail_cancelled: u64,
        /// Mail a relay was sending at that moment: it may still arrive.
        mail_in_flight: u64,
    }
    let change = Change {
        from: current.state.code(),
        to: next.code(),
        mail_cancelled: cancelled,
        mail_in_flight: sending,
    };
    let action = format!("letter.{}", step.code());
    record(
        &txn,
        who(actor),
        &action,
        ("letter", id.to_string()),
        &reason,
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id).await
}

fn signature(input: &SignatureInput) -> Result<Signature> {
    let authority = Authority::parse(&input.authority)
        .ok_or_else(|| Error::field("authority", "invalid", "must be own, tm or kt"))?;
    Ok(Signature::new(
        authority,
        input.on_behalf_of.as_deref(),
        &input.title,
        &input.name,
    )?)
}

/// The letterhead of a unit, required to issue or preview.
async fn letterhead_of(db: &impl congvu_db::Connection, unit: UnitId) -> Result<Letterhead> {
    congvu_db::letter::letterhead(db, unit)
        .await?
        .ok_or_else(|| Error::Conflict {
            code: "letter.no_letterhead",
            detail: "the unit has no letterhead yet: PUT /units/{id}/letterhead first".into(),
        })
}

/// What issuing needs, read before the transaction so that the single writer is held only for
/// the number, the rules' count and the writes.
struct Prepared {
    letter: LetterRecord,
    input: LetterInput,
    parsed: Content,
    head: Letterhead,
    calendar: WorkCalendar,
}

async fn prepare(state: &AppState, actor: &Actor, id: Uuid) -> Result<Prepared> {
    let letter = congvu_db::letter::find(state.db.reader(), &reach(actor), id).await?;
    if !actor.holds_at(Role::UnitHead, letter.unit) {
        return Err(Error::Forbidden(
            "only a unit head of the issuing unit signs and issues its letters",
        ));
    }
    let input = stored_content(&letter)?;
    let parsed = content(&state.letter_rules, &input)?;
    let head = letterhead_of(state.db.reader(), letter.unit).await?;
    let unit = congvu_db::unit::find(
        state.db.reader(),
        &actor.reach(Action::ViewUnit),
        letter.unit,
    )
    .await?;
    let calendar = super::units::calendar_for(state, &unit).await?;
    Ok(Prepared {
        letter,
        input,
        parsed,
        head,
        calendar,
    })
}

/// Signs and issues a submitted letter. The letter is rendered first with the number expected;
/// then one transaction locks the body (serialising its issues whatever the year), takes the next
/// number of the year, counts the dossier's standing letters, checks the form's rules on the issue
/// date, stores the PDF and HTML (rendered again only if the number moved), appends the audit event
/// and queues the email. A refusal or a failure rolls all of it back, number included.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: SignatureInput,
) -> Result<LetterView> {
    let signature = signature(&input)?;
    let p = prepare(state, actor, id).await?;
    let now = state.clock.now();
    let issued_on = vietnam_date(now);
    let form = form_on(state, p.letter.cause, issued_on)?;
    let expected = congvu_db::letter::last_number(
        state.db.reader(),
        p.letter.unit,
        chrono::Datelike::year(&issued_on),
    )
    .await?
        + 1;
    let pre = render(&p, form, expected, issued_on, &signature, id).await?;
    let txn = state.db.begin().await?;
    let current = congvu_db::letter::find_for_update(&txn, &reach(actor), id).await?;
    if current.state != State::Submitted || current.content != p.letter.content {
        return Err(Error::Conflict {
            code: "letter.step_not_allowed",
            detail: format!("a {} letter cannot be issued", current.state.code()),
        });
    }
    let year = chrono::Datelike::year(&issued_on);
    // Lock order everywhere: the letter, its body's letterhead, the year's counter, the mail.
    congvu_db::letter::lock_body(&txn, current.unit).await?;
    let seq = congvu_db::letter::next_number(&txn, current.unit, year).await?;
    let earlier = match &p.parsed.dossier {
        Some(d) if current.cause == Cause::Overdue => {
            congvu_db::letter::reappointments(&txn, current.unit, &d.code, id).await?
        }
        _ => 0,
    };
    let warnings = rules::check_issue(
        &IssueFacts {
            form,
            issued_on,
            dossier: p.parsed.dossier.as_ref(),
            earlier_reappointments: earlier,
            authority: signature.authority,
        },
        &p.calendar,
    )?;
    // Rendered before the transaction with the number expected; again, inside it, only when
    // another issue took that number meanwhile.
    let Rendered {
        number,
        doc,
        html,
        pdf,
        ..
    } = match pre {
        r if r.seq == seq => r,
        _ => render(&p, form, seq, issued_on, &signature, id).await?,
    };
    let sha = hex::encode(Sha256::digest(&pdf));
    let warning_views: Vec<WarningView> = warnings.iter().map(WarningView::from).collect();
    let (signature_json, warnings_json) = (to_json(&input)?, to_json(&warning_views)?);
    let row = IssueRow {
        form_key: &form.key,
        year,
        seq,
        number: &number,
        issued_on,
        issued_by: actor.user.as_uuid(),
        signature: &signature_json,
        warnings: &warnings_json,
        pdf: &pdf,
        pdf_sha256: &sha,
        html: &html,
    };
    congvu_db::letter::issue(&txn, id, &row, now).await?;
    if p.parsed.channel == Channel::Email
        && let Some(email) = &p.parsed.applicant.email
    {
        let (subject, body) = cover(&doc, &p.head, p.input.mail_language.as_deref());
        queue_mail(state, &txn, id, email, subject, body).await?;
    }
    #[derive(Serialize)]
    struct Change<'a> {
        number: &'a str,
        form_key: &'a str,
        issued_on: NaiveDate,
        authority: &'a str,
        pdf_sha256: &'a str,
        warnings: Vec<&'a str>,
    }
    let change = Change {
        number: row.number,
        form_key: &form.key,
        issued_on,
        authority: signature.authority.code(),
        pdf_sha256: &sha,
        warnings: warnings.iter().map(|w| w.code).collect(),
    };
    record(
        &txn,
        who(actor),
        "letter.issue",
        ("letter", id.to_string()),
        "signed and issued",
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id).await
}

/// A letter laid out with its number.
struct Rendered {
    seq: u32,
    /// "05/PXL-STP".
    number: String,
    doc: Document,
    html: String,
    pdf: Vec<u8>,
}

/// Composes and renders the issued letter with number `seq`.
async fn render(
    p: &Prepared,
    form: &Form,
    seq: u32,
    on: NaiveDate,
    signature: &Signature,
    id: Uuid,
) -> Result<Rendered> {
    let number = DocNumber {
        seq,
        symbol: form.symbol.clone(),
        body: p.head.symbol.clone(),
    };
    let doc = compose::compose(
        &p.head,
        form,
        &p.parsed,
        Some(Issue {
            number: &number,
            on,
            signature,
        }),
    );
    let html = congvu_letters::html::render(&doc);
    let pdf = render_pdf(doc.clone(), id).await?;
    Ok(Rendered {
        seq,
        number: number.render(),
        doc,
        html,
        pdf,
    })
}

/// A value as the JSON stored in a text column.
fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.to_string()))
}

/// Renders off the async threads (typesetting is CPU work).
async fn render_pdf(doc: Document, id: Uuid) -> Result<Vec<u8>> {
    tokio::task::spawn_blocking(move || congvu_letters::pdf::render(&doc, &id.to_string()))
        .await
        .map_err(|e| Error::Internal(format!("renderer: {e}")))?
        .map_err(|e| Error::Internal(e.to_string()))
}

/// The subject and covering text of a letter's email, in Vietnamese or English; the letter itself
/// is the attached PDF.
fn cover(doc: &Document, head: &Letterhead, language: Option<&str>) -> (String, String) {
    let title = doc
        .title
        .clone()
        .or_else(|| doc.summary.clone())
        .unwrap_or_default();
    let number = doc.number.trim_start_matches("Số: ");
    let greeting = doc.addressee.first().cloned().unwrap_or_default();
    let body = &head.body;
    if language == Some("en") {
        (
            format!("Letter No. {number} from {body}"),
            format!(
                "{greeting}\n\n{body} sends you its letter No. {number} ({title}), attached as a \
                 PDF file. The letter itself is in Vietnamese.\n\n\
                 This message was sent automatically; please do not reply to it.\n"
            ),
        )
    } else {
        (
            format!("{title} - Số {number}"),
            format!(
                "{greeting}\n\n{body} gửi văn bản số {number} ({title}), đính kèm dưới dạng tệp \
                 PDF.\n\nThư này được gửi tự động, xin vui lòng không trả lời thư này.\n"
            ),
        )
    }
}

/// Queues a letter's email in the issuing transaction; the relay attaches the stored PDF.
async fn queue_mail(
    state: &AppState,
    txn: &congvu_db::Transaction,
    letter: Uuid,
    email: &str,
    subject: String,
    body: String,
) -> Result<()> {
    let id = Uuid::now_v7();
    outbox::enqueue(
        txn,
        &Message {
            id,
            recipient_sealed: state.secrets.seal(email.as_bytes(), id.as_bytes())?,
            subject,
            body,
            attempts: 0,
            letter_id: Some(letter),
        },
        state.clock.now(),
    )
    .await?;
    Ok(())
}

/// The preview of a letter not yet issued: today's form, no number, no signature, marked draft.
async fn preview(state: &AppState, actor: &Actor, id: Uuid) -> Result<Document> {
    let current = congvu_db::letter::find(state.db.reader(), &reach(actor), id).await?;
    let parsed = content(&state.letter_rules, &stored_content(&current)?)?;
    let head = letterhead_of(state.db.reader(), current.unit).await?;
    let form = form_on(state, current.cause, vietnam_date(state.clock.now()))?;
    Ok(compose::compose(&head, form, &parsed, None))
}

/// The letter as HTML: as issued, or a preview.
pub async fn html(state: &AppState, actor: &Actor, id: Uuid) -> Result<String> {
    let stored = congvu_db::letter::rendered(state.db.reader(), &reach(actor), id).await?;
    if let Some(html) = stored.html {
        return Ok(html);
    }
    Ok(congvu_letters::html::render(
        &preview(state, actor, id).await?,
    ))
}

/// The letter as PDF: the stored bytes of an issued letter, a fresh preview otherwise. Answers
/// the file name too.
pub async fn pdf(state: &AppState, actor: &Actor, id: Uuid) -> Result<(String, Vec<u8>)> {
    let stored = congvu_db::letter::rendered(state.db.reader(), &reach(actor), id).await?;
    if let (Some(number), Some(bytes)) = (stored.number, stored.pdf) {
        return Ok((file_name(&number), bytes));
    }
    let doc = preview(state, actor, id).await?;
    Ok((format!("du-thao-{id}.pdf"), render_pdf(doc, id).await?))
}

/// "07/PXL-STP" → "07-PXL-STP.pdf".
pub fn file_name(number: &str) -> String {
    format!("{}.pdf", number.replace('/', "-"))
}

/// Sets a unit's letterhead.
pub async fn put_letterhead(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: LetterheadInput,
) -> Result<LetterheadInput> {
    unit_for(
        state,
        actor,
        unit,
        Action::ManageLetterhead,
        "only an administrator or the unit head sets its letterhead",
    )
    .await?;
    let head = Letterhead::new(
        input.parent.as_deref(),
        &input.body,
        &input.symbol,
        &input.place,
        &input.archive,
    )?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::letter::put_letterhead(&txn, unit, &head, now).await?;
    let shown = letterhead_view(&head);
    record(
        &txn,
        who(actor),
        "letterhead.put",
        ("unit", unit.as_uuid().to_string()),
        "letterhead set",
        &shown,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(shown)
}

/// A unit's letterhead (404 when none).
pub async fn get_letterhead(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
) -> Result<LetterheadInput> {
    congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewUnit), unit).await?;
    congvu_db::letter::letterhead(state.db.reader(), unit)
        .await?
        .map(|h| letterhead_view(&h))
        .ok_or(Error::NotFound)
}

fn letterhead_view(h: &Letterhead) -> LetterheadInput {
    LetterheadInput {
        parent: h.parent.clone(),
        body: h.body.clone(),
        symbol: h.symbol.clone(),
        place: h.place.clone(),
        archive: h.archive.clone(),
    }
}
