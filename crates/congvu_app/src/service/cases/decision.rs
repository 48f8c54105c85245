//! Deciding a case (unit head of the competent unit), annulling a decision on a ruling, and
//! announcing the annulment of a wrongful decision.

use super::*;

/// What a decision says.
#[derive(Debug, Clone)]
pub struct Decision {
    pub form: Form,
    pub number: String,
    pub signed_on: NaiveDate,
    pub effective_on: NaiveDate,
}

/// A decision refused, citing the rule of the case's regime (`limitation` its limitation rule).
fn refusal(r: DecisionRefusal, limitation: Option<&LegalBasis>) -> Error {
    match r {
        DecisionRefusal::Form(FormRefusal::NoLadder) => Error::Refused {
            code: "case.no_ladder",
            detail: "no disciplinary forms are defined for this person under the case's regime"
                .into(),
        },
        DecisionRefusal::Form(FormRefusal::NotAllowed { allowed, rule }) => Error::Refused {
            code: "case.form_not_allowed",
            detail: format!(
                "the form is not open to this person; allowed: {} ({})",
                allowed
                    .iter()
                    .map(|f| f.code())
                    .collect::<Vec<_>>()
                    .join(", "),
                cite(&rule)
            ),
        },
        DecisionRefusal::TimeBarred => Error::Refused {
            code: "case.time_barred",
            detail: format!(
                "the limitation period of every violation has passed ({})",
                limitation.map_or_else(String::new, LegalBasis::cite)
            ),
        },
    }
}

/// Decides the case with a form (unit head of the competent unit).
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
    decision: Decision,
    reason: &str,
) -> Result<CaseDetail> {
    let id = id.as_uuid();
    not_future("signed_on", decision.signed_on, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::CompetentHead).await?;
    particulars::check_effective_on(
        decision.form,
        decision.signed_on,
        l.record.party.map(|p| p.announced_on),
        decision.effective_on,
    )
    .map_err(|e| steps::refusal(e, &l.citations))?;
    let (stage, _) = replay(&l.record.steps, l.limits, &l.calendar)?;
    let (facts, _, _) = facts(state, &l, &stage, decision.signed_on)?;
    view::may_decide(&state.discipline, &facts, decision.form, decision.signed_on).map_err(
        |r| {
            refusal(
                r,
                state
                    .discipline
                    .limitation(&l.record.regime)
                    .map(|rule| &rule.basis),
            )
        },
    )?;
    let detail = StepDetail::Decide {
        form: decision.form.code().to_owned(),
        number: decision.number.clone(),
        effective_on: decision.effective_on,
    };
    let next = procedure::advance(&stage, &detail.step(decision.signed_on, false)?)
        .map_err(|e| step_error(e, &l.citations))?;
    congvu_db::case::set_decision(
        &txn,
        id,
        &DecisionRecord {
            number: decision.number.clone(),
            form: decision.form,
            signer: actor.user,
            signed_on: decision.signed_on,
            effective_on: decision.effective_on,
        },
        now,
    )
    .await?;
    append(
        actor,
        &txn,
        &l,
        decision.signed_on,
        &detail,
        next.code(),
        reason,
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into(), today(state)).await
}

/// Annuls the decision after a complaint or ruling; the announcement at the unit falls due.
pub async fn annul(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
    on: NaiveDate,
    ruling: (&str, NaiveDate),
    reason: &str,
) -> Result<CaseDetail> {
    let id = id.as_uuid();
    not_future("on", on, today(state))?;
    if ruling.1 > on {
        return Err(Error::field(
            "ruling_on",
            "after_annulment",
            "the ruling comes before the annulment it orders",
        ));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::CompetentHead).await?;
    if l.record
        .decision
        .as_ref()
        .is_some_and(|d| ruling.1 < d.signed_on)
    {
        return Err(Error::field(
            "ruling_on",
            "before_decision",
            "a ruling on the decision comes after it was signed",
        ));
    }
    let (stage, _) = replay(&l.record.steps, l.limits, &l.calendar)?;
    let detail = StepDetail::Annul {
        ruling: ruling.0.to_owned(),
        ruling_on: ruling.1,
    };
    let next = procedure::advance(&stage, &detail.step(on, false)?)
        .map_err(|e| step_error(e, &l.citations))?;
    congvu_db::case::set_annulment(&txn, id, on, ruling, now).await?;
    append(actor, &txn, &l, on, &detail, next.code(), reason, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into(), today(state)).await
}

/// Records that the annulment was announced at the unit.
pub async fn announce(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
    on: NaiveDate,
    reason: &str,
) -> Result<CaseDetail> {
    let id = id.as_uuid();
    not_future("on", on, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::Officer).await?;
    let Some(annulment) = &l.record.annulment else {
        return Err(Error::Conflict {
            code: "case.not_annulled",
            detail: "only an annulled decision is announced".into(),
        });
    };
    if annulment.announced_on.is_some() {
        return Err(Error::Conflict {
            code: "case.already_announced",
            detail: "the annulment was already announced".into(),
        });
    }
    if on < annulment.on {
        return Err(Error::field(
            "on",
            "before_annulment",
            "cannot be before the annulment",
        ));
    }
    congvu_db::case::set_announced(&txn, id, on, now).await?;
    simple_event(actor, &txn, id, "case.announce", reason, on, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into(), today(state)).await
}
