//! Recording the facts a classification reads (leave, degeneration conclusions, corruption sanctions).

use super::*;

/// Records a fact the classification reads (leave with its dates; conclusions with their
/// document), by a unit head, HR or emulation officer of the person's unit.
pub async fn record_fact(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    input: NewFact,
) -> Result<FactView> {
    let kind = input.kind;
    let reference = congvu_core::text::required("reference", &input.reference, 500)?;
    let reason = crate::service::reason(input.reason.as_deref())?;
    let today = congvu_core::calendar::vietnam_date(state.clock.now());
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(input.year, 1, 1),
        NaiveDate::from_ymd_opt(input.year, 12, 31),
    ) else {
        return Err(Error::field("year", "out_of_range", "2000 to this year"));
    };
    if !(2000..=today.year()).contains(&input.year) {
        return Err(Error::field("year", "out_of_range", "2000 to this year"));
    }
    let (from, to) = match (kind.is_leave(), input.from, input.to) {
        // Leave may run across the year's ends (maternity leave from November to July): it is
        // read by every year it overlaps.
        (true, Some(from), Some(to))
            if from <= to && from <= last && to >= first && (to - from).num_days() < 800 =>
        {
            (Some(from), Some(to))
        }
        (true, _, _) => {
            return Err(Error::field(
                "from",
                "invalid_range",
                "leave needs a first and a last day, overlapping the year",
            ));
        }
        (false, None, None) => (None, None),
        (false, _, _) => {
            return Err(Error::field("from", "not_leave", "only leave has dates"));
        }
    };
    let txn = state.db.begin().await?;
    let p =
        congvu_db::staff::find(&txn, &actor.reach(Action::ViewStaff), actor.person, person).await?;
    // The right comes from the units the person worked in during the year, not from any past one.
    let mut may = false;
    for e in &p.employments {
        let in_year = e.validity.from() <= last && e.validity.to().is_none_or(|to| to >= first);
        if in_year {
            let unit =
                congvu_db::unit::find(&txn, &congvu_core::policy::Reach::All, e.unit).await?;
            may |= actor.may(Action::RecordEvaluation, &unit.path);
        }
    }
    if !may || actor.person == Some(person) {
        return Err(Error::Forbidden(
            "only a unit head, HR or emulation officer of the person's unit that year records this",
        ));
    }
    let fact = FactRecord {
        id: Uuid::now_v7(),
        person,
        year: input.year,
        kind,
        from,
        to,
        reference,
        recorded_by: actor.user.as_uuid(),
        created_at: state.clock.now(),
    };
    store::insert_fact(&txn, &fact).await?;
    record(
        &txn,
        who(actor),
        "assessment.fact",
        ("person", person.to_string()),
        &reason,
        &serde_json::json!({
            "year": fact.year,
            "kind": kind.code(),
            "from": from,
            "to": to,
            "reference": fact.reference,
        }),
        fact.created_at,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(FactView {
        id: fact.id.into(),
        person,
        year: fact.year,
        kind,
        from,
        to,
        reference: fact.reference,
    })
}
