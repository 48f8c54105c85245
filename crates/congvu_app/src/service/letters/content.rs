//! Checking a draft's content: the applicant, the dossier, the cause's details, the discretion of a conduct letter, links to violations and reports, the form in force, dates on the calendar.

use super::*;

/// The applicant, each field checked.
pub(super) fn applicant(errors: &mut Collector, a: &DraftApplicant) -> Option<Applicant> {
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
        salutation: a.salutation,
        name: name?,
        address,
        email,
    })
}

/// A required long text of the cause.
pub(super) fn long_text(
    errors: &mut Collector,
    field: &str,
    value: Option<&String>,
) -> Option<String> {
    match value {
        None => {
            errors.push(field, "required", "required for this cause");
            None
        }
        Some(v) => errors.take(text::required(field, v, MAX_TEXT)),
    }
}

/// What the letter says beyond the dossier, by cause.
pub(super) fn details(
    errors: &mut Collector,
    cause: Cause,
    input: &LetterDraft,
) -> Option<Details> {
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
pub(super) fn check_discretion(errors: &mut Collector, rules: &LetterRules, input: &LetterDraft) {
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

/// Every problem of a draft's texts at once (what drafting would refuse before it reads the
/// database): lets a caller that could not parse some codes report those and these together.
pub fn check_draft(state: &AppState, input: &LetterDraft) -> Result<()> {
    content(&state.letter_rules, input).map(|_| ())
}

/// Parses the drafted input into the domain's content, reporting every problem at once.
pub(super) fn content(rules: &LetterRules, input: &LetterDraft) -> Result<Content> {
    let mut errors = Collector::default();
    let cause = input.cause;
    let applicant = applicant(&mut errors, &input.applicant);
    let channel = match input.channel {
        None if input.applicant.email.is_some() => Channel::Email,
        None => Channel::Paper,
        Some(c) => c,
    };
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
    let details = details(&mut errors, cause, input);
    if cause == Cause::StaffConduct {
        check_discretion(&mut errors, rules, input);
    } else if input.violation.is_some() || input.complaint.is_some() {
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
    let (Some(applicant), Some(details)) = (applicant, details) else {
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

/// Checks the links of a conduct letter: a confirmed violation and a substantiated report, both in
/// the caller's reach (a report only for those who may see reports).
pub(super) async fn check_links(
    state: &AppState,
    actor: &Actor,
    input: &LetterDraft,
) -> Result<()> {
    if let Some(v) = input.violation {
        let found = congvu_db::violation::find(
            state.db.reader(),
            &actor.reach(Action::ViewViolation),
            v.as_uuid(),
        )
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
    if let Some(c) = input.complaint {
        let viewer = congvu_db::complaint::Viewer {
            reach: &actor.reach(Action::ViewComplaint),
            person: actor.person,
        };
        let found = congvu_db::complaint::find(state.db.reader(), &viewer, c.as_uuid(), false)
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
pub(super) fn form_on(state: &AppState, cause: Cause, on: NaiveDate) -> Result<&Form> {
    state.letter_rules.form(cause, on).ok_or_else(|| {
        Error::from(DomainError::LetterRule {
            code: "letter.no_form",
            detail: format!("no letter form for {} is in force on {on}", cause.code()),
        })
    })
}

/// The dates a letter will be checked against at issue must lie in the calendar congvu knows, so
/// a draft that could never be issued is refused now rather than stuck later.
pub(super) fn check_dates(calendar: &WorkCalendar, form: &Form, parsed: &Content) -> Result<()> {
    if let Some(d) = &parsed.dossier {
        rules::notice_due(form, d, calendar)?;
        calendar.is_working_day(d.due_on)?;
    }
    if let Details::Overdue { new_due_on, .. } = &parsed.details {
        calendar.is_working_day(*new_due_on)?;
    }
    Ok(())
}
