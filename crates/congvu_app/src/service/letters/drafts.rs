//! Drafting letters and moving them through their states: create, update, read, list, submit and send back, revoke, printed.

use super::*;

/// The stored content of a letter, as the API shows it.
pub(super) fn stored_content(r: &LetterRecord) -> Result<LetterDraft> {
    LetterDraft::try_from(r.content.clone())
}

/// The letter as the caller may see it: the link to a citizen's report only for those who may
/// see reports (it would tell who complained).
pub(super) fn view(actor: &Actor, r: LetterRecord, mail: Option<MailView>) -> Result<LetterView> {
    let mut content = stored_content(&r)?;
    if !actor.holds_any(Action::ViewComplaint) {
        content.complaint = None;
    }
    Ok(LetterView {
        id: r.id.into(),
        unit: r.unit,
        cause: r.cause,
        form_key: r.form_key,
        state: r.state,
        content,
        number: r.number,
        issued_on: r.issued_on,
        signature: r.signature.map(Signing::try_from).transpose()?,
        warnings: r.warnings,
        pdf_sha256: r.pdf_sha256,
        revoke_reason: r.revoke_reason,
        mail,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

pub(super) fn reach(actor: &Actor) -> congvu_core::policy::Reach {
    actor.reach(Action::ViewLetter)
}

#[derive(Serialize)]
pub(super) struct DraftChange<'a> {
    unit_id: Uuid,
    cause: &'a str,
    form_key: &'a str,
    channel: &'a str,
    violation_id: Option<Uuid>,
    complaint_id: Option<Uuid>,
}

/// A checked draft, ready to store.
pub(super) struct Draft {
    input: LetterDraft,
    parsed: Content,
    form_key: String,
    stored: LetterContent,
}

impl Draft {
    fn row(&self) -> DraftRow<'_> {
        DraftRow {
            cause: self.parsed.details.cause(),
            form_key: &self.form_key,
            content: &self.stored,
            dossier_code: self.parsed.dossier.as_ref().map(|d| d.code.as_str()),
            violation_id: self.input.violation.map(|v| v.as_uuid()),
            complaint_id: self.input.complaint.map(|c| c.as_uuid()),
        }
    }

    fn change(&self, unit: UnitId) -> DraftChange<'_> {
        DraftChange {
            unit_id: unit.as_uuid(),
            cause: self.parsed.details.cause().code(),
            form_key: &self.form_key,
            channel: self.parsed.channel.code(),
            violation_id: self.input.violation.map(|v| v.as_uuid()),
            complaint_id: self.input.complaint.map(|c| c.as_uuid()),
        }
    }
}

/// Checks a draft for a unit: content, links, today's form, dates inside the calendar.
pub(super) async fn draft(
    state: &AppState,
    actor: &Actor,
    unit: &UnitRecord,
    input: LetterDraft,
) -> Result<Draft> {
    let parsed = content(&state.letter_rules, &input)?;
    check_links(state, actor, &input).await?;
    let form = form_on(
        state,
        parsed.details.cause(),
        vietnam_date(state.clock.now()),
    )?;
    let calendar = crate::service::units::calendar_for(state, unit).await?;
    check_dates(&calendar, form, &parsed)?;
    Ok(Draft {
        form_key: form.key.clone(),
        stored: LetterContent::from(&input),
        input,
        parsed,
    })
}

/// Drafts a letter for a unit.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: LetterDraft,
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
    get(state, actor, id.into()).await
}

/// Replaces a draft's content.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::LetterId,
    input: LetterDraft,
) -> Result<LetterView> {
    let id = id.as_uuid();
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
    get(state, actor, id.into()).await
}

/// A letter in reach, with its email's state.
pub async fn get(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::LetterId,
) -> Result<LetterView> {
    let id = id.as_uuid();
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
        unit_path: crate::service::unit_filter(state, actor, unit).await?,
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
    id: congvu_core::ids::LetterId,
    step: Step,
    reason: Option<&str>,
) -> Result<LetterView> {
    let id = id.as_uuid();
    let reason = match step {
        Step::Return | Step::Revoke => crate::service::reason(reason)?,
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
    get(state, actor, id.into()).await
}
