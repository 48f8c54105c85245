//! Which letter form is in force on the issue date, and the rules it carries (from
//! `data/letters.toml`): the overdue letter's timing and once-only rules (Decree 61/2018 Art.
//! 19(9)) and who must sign a conduct letter (Art. 37(2)(d)). A rule read in the text refuses a
//! letter that breaks it; an unverified rule lets it through with a warning that names it.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{Authority, Cause, Dossier};
use crate::calendar::WorkCalendar;
use crate::error::DomainError;
use crate::legal::{Confidence, LegalBasis, Validity};
use crate::text;

const FILE: &str = "letters.toml";

/// A rule with its source; binding when its source was read (V or S).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub basis: LegalBasis,
}

impl Rule {
    /// Whether breaking the rule refuses the letter (else it only warns).
    pub fn binding(&self) -> bool {
        matches!(
            self.basis.confidence,
            Confidence::Verified | Confidence::Secondary
        )
    }
}

/// "No later than N working days before the due date."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRule {
    pub working_days: u32,
    pub rule: Rule,
}

/// A letter form and the rules in force with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub key: String,
    pub cause: Cause,
    pub validity: Validity,
    /// The document title of a "phiếu"; a công văn has none.
    pub title: Option<String>,
    /// The "V/v" summary of a công văn.
    pub summary: Option<String>,
    /// The type symbol of the number.
    pub symbol: String,
    pub basis: LegalBasis,
    pub notice: Option<NoticeRule>,
    pub once: Option<Rule>,
    pub head_signs: Option<Rule>,
    /// Overdue letters: the new date is asked for as an extension (2025) rather than announced
    /// as the new return date (2018).
    pub asks_extension: bool,
}

/// A rule that a letter breaks but that is not verified: the letter goes out, with this note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
    pub basis: String,
}

/// All letter forms, and the words a conduct letter must not use.
#[derive(Debug, Clone)]
pub struct LetterRules {
    forms: Vec<Form>,
    /// Discipline forms and terms, accent-folded.
    discipline_words: Vec<String>,
}

/// The facts an issue is checked against.
#[derive(Debug, Clone, Copy)]
pub struct IssueFacts<'a> {
    pub form: &'a Form,
    /// The issue date (Vietnam time).
    pub issued_on: NaiveDate,
    pub dossier: Option<&'a Dossier>,
    /// Overdue letters already issued (not revoked) for the same dossier by the same body.
    pub earlier_reappointments: u32,
    pub authority: Authority,
}

impl LetterRules {
    /// The forms shipped with congvu.
    pub fn national() -> Result<Self, DomainError> {
        let file: RawFile =
            toml::from_str(include_str!("../../data/letters.toml")).map_err(shipped)?;
        let forms = file
            .form
            .into_iter()
            .map(form)
            .collect::<Result<Vec<_>, _>>()?;
        for (i, a) in forms.iter().enumerate() {
            if forms[i + 1..]
                .iter()
                .any(|b| a.cause == b.cause && a.validity.overlaps(&b.validity))
            {
                return Err(shipped(format!("forms for {} overlap", a.cause.code())));
            }
        }
        let discipline_words = file
            .conduct
            .discipline_words
            .iter()
            .map(|w| text::fold(w))
            .collect();
        Ok(Self {
            forms,
            discipline_words,
        })
    }

    /// Whether `text` names a discipline form or term (accents and case ignored): a letter to a
    /// citizen states the measures taken, never the internal discipline (brief §6.4).
    pub fn names_discipline(&self, text: &str) -> bool {
        let folded = text::fold(text);
        self.discipline_words
            .iter()
            .any(|w| folded.contains(w.as_str()))
    }

    /// The form for `cause` in force on `on`.
    pub fn form(&self, cause: Cause, on: NaiveDate) -> Option<&Form> {
        self.forms
            .iter()
            .find(|f| f.cause == cause && f.validity.contains(on))
    }

    /// A form by key (a letter keeps the key of the form it was drafted or issued on).
    pub fn by_key(&self, key: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.key == key)
    }
}

/// The last day an overdue letter may be issued under `form`: `working_days` working days before
/// the dossier's original due date, on the unit's calendar.
pub fn notice_due(
    form: &Form,
    dossier: &Dossier,
    calendar: &WorkCalendar,
) -> Result<Option<NaiveDate>, DomainError> {
    let Some(notice) = &form.notice else {
        return Ok(None);
    };
    let mut date = dossier.due_on;
    let mut left = notice.working_days;
    while left > 0 {
        date = date
            .pred_opt()
            .ok_or(DomainError::CalendarNotCovered(date))?;
        if calendar.is_working_day(date)? {
            left -= 1;
        }
    }
    Ok(Some(date))
}

/// Checks an issue against the form's rules: `Ok` with the warnings of unverified rules it
/// breaks, or the refusal of the first verified rule it breaks.
pub fn check_issue(
    facts: &IssueFacts<'_>,
    calendar: &WorkCalendar,
) -> Result<Vec<Warning>, DomainError> {
    let form = facts.form;
    let mut warnings = Vec::new();
    let mut broken = |rule: &Rule, code: &'static str, message: String| {
        if rule.binding() {
            Err(DomainError::LetterRule {
                code,
                detail: format!("{message} ({})", rule.basis.cite()),
            })
        } else {
            warnings.push(Warning {
                code,
                message: format!("{message}; the rule is not verified for this form"),
                basis: rule.basis.cite(),
            });
            Ok(())
        }
    };
    if let (Some(notice), Some(dossier)) = (&form.notice, facts.dossier)
        && let Some(last) = notice_due(form, dossier, calendar)?
        && facts.issued_on > last
    {
        broken(
            &notice.rule,
            "letter.late",
            format!(
                "the letter was due by {last}, {} working day(s) before the return date {}",
                notice.working_days, dossier.due_on
            ),
        )?;
    }
    if let Some(once) = &form.once
        && facts.earlier_reappointments > 0
    {
        broken(
            once,
            "letter.second_reappointment",
            "the dossier's return date was already re-set once and may not be re-set again"
                .to_owned(),
        )?;
    }
    if let Some(head) = &form.head_signs
        && facts.authority == Authority::Kt
    {
        broken(
            head,
            "letter.deputy_signature",
            "the head of the body apologises for staff conduct in person; a deputy may not sign KT."
                .to_owned(),
        )?;
    }
    Ok(warnings)
}

fn shipped(message: impl ToString) -> DomainError {
    DomainError::ShippedData {
        file: FILE,
        message: message.to_string(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    form: Vec<RawForm>,
    conduct: RawConduct,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConduct {
    discipline_words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    key: String,
    cause: String,
    valid_from: toml::value::Datetime,
    valid_to: Option<toml::value::Datetime>,
    title: Option<String>,
    summary: Option<String>,
    symbol: String,
    document: String,
    article: Option<String>,
    confidence: String,
    notice: Option<RawNotice>,
    once: Option<RawRule>,
    head_signs: Option<RawRule>,
    asks_extension: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    document: String,
    article: Option<String>,
    confidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    working_days: u32,
    document: String,
    article: Option<String>,
    confidence: String,
}

fn basis(document: &str, article: Option<&str>, level: &str) -> Result<LegalBasis, DomainError> {
    let confidence =
        Confidence::parse(level).ok_or_else(|| shipped(format!("unknown confidence {level}")))?;
    LegalBasis::new(document, article, confidence).map_err(shipped)
}

fn rule(raw: RawRule) -> Result<Rule, DomainError> {
    Ok(Rule {
        basis: basis(&raw.document, raw.article.as_deref(), &raw.confidence)?,
    })
}

fn form(raw: RawForm) -> Result<Form, DomainError> {
    let from = crate::legal::toml_date(&raw.valid_from).map_err(shipped)?;
    let to = raw
        .valid_to
        .as_ref()
        .map(crate::legal::toml_date)
        .transpose()
        .map_err(shipped)?;
    if raw.title.is_some() == raw.summary.is_some() {
        return Err(shipped(format!(
            "form {} needs exactly one of title and summary",
            raw.key
        )));
    }
    Ok(Form {
        cause: Cause::parse(&raw.cause)
            .ok_or_else(|| shipped(format!("unknown cause {}", raw.cause)))?,
        validity: Validity::new(from, to).map_err(shipped)?,
        basis: basis(&raw.document, raw.article.as_deref(), &raw.confidence)?,
        notice: raw
            .notice
            .map(|n| {
                Ok::<_, DomainError>(NoticeRule {
                    working_days: n.working_days,
                    rule: Rule {
                        basis: basis(&n.document, n.article.as_deref(), &n.confidence)?,
                    },
                })
            })
            .transpose()?,
        once: raw.once.map(rule).transpose()?,
        head_signs: raw.head_signs.map(rule).transpose()?,
        asks_extension: raw.asks_extension.unwrap_or(false),
        key: raw.key,
        title: raw.title,
        summary: raw.summary,
        symbol: raw.symbol,
    })
}
