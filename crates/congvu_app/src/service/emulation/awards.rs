//! Awards: granted when eligible (within the CSTĐCS cap, or historic), revoked with a reason, listed per person.

use super::*;

pub(super) fn award_view(a: AwardRecord) -> Result<AwardView> {
    let title = TitleKey::parse(&a.title)
        .ok_or_else(|| Error::Internal(format!("stored title {:?}", a.title)))?;
    Ok(AwardView {
        id: a.id.into(),
        subject: Awardee::stored(&a.subject_kind, a.subject)?,
        year: a.year,
        title,
        decision: a.decision,
        decided_on: a.decided_on,
        amount: a.amount,
        historic: a.historic,
        revoked_on: a.revoked.as_ref().map(|r| r.on),
        revoke_reason: a.revoked.map(|r| r.reason),
    })
}

/// Records an award decision: refused with every unmet condition when the subject is not
/// eligible (422 `emulation.not_eligible`), or when the title is already awarded for the year.
pub async fn award(state: &AppState, actor: &Actor, input: NewAward) -> Result<AwardView> {
    let subject = input.subject.subject();
    let title = title_for("title", input.title, subject)?;
    let decision = congvu_core::text::required("decision", &input.decision, 500)?;
    let reason = crate::service::reason(input.reason.as_deref())?;
    if input.decided_on > today(state) || chrono::Datelike::year(&input.decided_on) < input.year {
        return Err(Error::field(
            "decided_on",
            "invalid_date",
            "the decision day: not in the future, not before the year it rewards",
        ));
    }
    let rule = state
        .assessment
        .title(title)
        .ok_or_else(|| Error::Internal(format!("no rule for title {}", title.code())))?
        .clone();
    let txn = state.db.begin().await?;
    let unit = subject_unit(state, &txn, actor, input.subject).await?;
    let existing = store::awards(&txn, &[input.subject.as_uuid()]).await?;
    if existing
        .iter()
        .any(|a| a.year == input.year && a.title == title.code() && a.revoked.is_none())
    {
        return Err(Error::Conflict {
            code: "emulation.awarded",
            detail: format!("{} is already awarded for {}", title.code(), input.year),
        });
    }
    if input.historic {
        historic_allowed(
            &txn,
            input.subject,
            &unit,
            input.year,
            chrono::Datelike::year(&today(state)),
        )
        .await?;
    } else {
        let answer = answer_for(state, &txn, input.subject, &unit, title, input.year).await?;
        if !answer.eligible {
            return Err(Error::Breaches {
                code: "emulation.not_eligible",
                detail: format!("not eligible for {} in {}", rule.name, input.year),
                breaches: answer
                    .reasons
                    .into_iter()
                    .filter(|r| !r.met)
                    .map(|r| {
                        FieldError::new(r.code, "unmet", format!("{} ({})", r.message, r.basis))
                    })
                    .collect(),
            });
        }
    }
    if let (TitleKey::Cstdcs, Awardee::Person(person), false) =
        (title, input.subject, input.historic)
    {
        within_cap(state, &txn, person, input.year).await?;
    }
    let amount = emulation::award_amount(&rule, &state.assessment.base_salaries, input.decided_on)
        .and_then(|a| i64::try_from(a).ok());
    let a = AwardRecord {
        id: Uuid::now_v7(),
        subject_kind: input.subject.kind_code().to_owned(),
        subject: input.subject.as_uuid(),
        year: input.year,
        title: title.code().to_owned(),
        decision,
        decided_on: input.decided_on,
        amount,
        created_by: actor.user.as_uuid(),
        created_at: state.clock.now(),
        historic: input.historic,
        revoked: None,
    };
    store::insert_award(&txn, &a).await.map_err(|e| {
        crate::service::taken(
            e,
            "title",
            "emulation.awarded",
            "already awarded for this year",
        )
    })?;
    record(
        &txn,
        who(actor),
        "emulation.award",
        ("award", a.id.to_string()),
        &reason,
        &serde_json::json!({
            "subject_kind": a.subject_kind, "subject_id": a.subject, "year": a.year,
            "title": a.title, "decision": a.decision, "decided_on": a.decided_on, "amount": a.amount,
            "historic": a.historic,
        }),
        a.created_at,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    award_view(a)
}

/// CSTĐCS awards of a unit's year stay within the cap (a share of its LĐTT, data [U]); the
/// unit's final round is locked so two awards at once cannot both pass.
pub(super) async fn within_cap(
    state: &AppState,
    txn: &congvu_db::Transaction,
    person: PersonId,
    year: i32,
) -> Result<()> {
    let Some(round) = rounds::final_round_of(txn, person, year).await? else {
        return Ok(());
    };
    rounds::find_round(txn, round.id, true).await?;
    let unit = congvu_db::unit::find(txn, &congvu_core::policy::Reach::All, round.unit).await?;
    let view = unit_view(state, txn, &unit, year).await?;
    let Some(cap) = view.cstdcs_cap else {
        return Ok(());
    };
    let members: Vec<Uuid> = view.people.iter().map(|p| p.person.as_uuid()).collect();
    let standing = store::awards(txn, &members)
        .await?
        .into_iter()
        .filter(|a| a.year == year && a.title == TitleKey::Cstdcs.code() && a.revoked.is_none())
        .count();
    if standing >= cap as usize {
        return Err(Error::Conflict {
            code: "emulation.cstdcs_cap",
            detail: format!(
                "{standing} CSTĐCS already awarded in {} for {year}; the cap is {cap} ({}% of its LĐTT, data)",
                unit.name,
                state
                    .assessment
                    .title(TitleKey::Cstdcs)
                    .and_then(|r| r.cap_share_of_ldtt_pct)
                    .unwrap_or(0)
            ),
        });
    }
    Ok(())
}

/// A historic award is for a past year congvu holds no final classification of for the subject.
pub(super) async fn historic_allowed(
    db: &impl congvu_db::Connection,
    subject: Awardee,
    unit: &UnitRecord,
    year: i32,
    today: i32,
) -> Result<()> {
    let kept = match subject {
        Awardee::Person(person) => !rounds::final_outcomes(db, &[person], year)
            .await?
            .is_empty(),
        Awardee::Unit(_) => final_round(db, unit.id, year).await?.is_some(),
    };
    if kept || year >= today {
        return Err(Error::Refused {
            code: "emulation.not_historic",
            detail: format!(
                "a historic award is for a past year whose classification congvu does not hold; {year}'s eligibility is checked"
            ),
        });
    }
    Ok(())
}

/// Revokes an award, with its reason (the title no longer counts in streaks).
pub async fn revoke(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::AwardId,
    input: Revoking,
) -> Result<AwardView> {
    let id = id.as_uuid();
    let reason = crate::service::reason(input.reason.as_deref())?;
    let txn = state.db.begin().await?;
    let a = store::find_award(&txn, id, true).await?;
    let subject = Awardee::stored(&a.subject_kind, a.subject)?;
    subject_unit(state, &txn, actor, subject).await?;
    if a.revoked.is_some() {
        return Err(Error::Conflict {
            code: "emulation.revoked",
            detail: "the award is already revoked".into(),
        });
    }
    if input.revoked_on < a.decided_on || input.revoked_on > today(state) {
        return Err(Error::field(
            "revoked_on",
            "invalid_date",
            "between the decision and today",
        ));
    }
    let revocation = Revocation {
        on: input.revoked_on,
        reason: reason.clone(),
        by: actor.user.as_uuid(),
    };
    store::revoke_award(&txn, id, &revocation).await?;
    record(
        &txn,
        who(actor),
        "emulation.revoke",
        ("award", id.to_string()),
        &reason,
        &serde_json::json!({ "revoked_on": input.revoked_on }),
        state.clock.now(),
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    award_view(AwardRecord {
        revoked: Some(revocation),
        ..a
    })
}

/// A person's awards, revoked ones included.
pub async fn awards_of(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
) -> Result<Vec<AwardView>> {
    let db = state.db.reader();
    congvu_db::staff::find(
        db,
        &actor.reach(Action::ViewEvaluation),
        actor.person,
        person,
    )
    .await?;
    store::awards(db, &[person.as_uuid()])
        .await?
        .into_iter()
        .map(award_view)
        .collect()
}
