//! Inspections and investigations of a person: opened and closed, each blocking awards while it runs.

use super::*;

pub(super) fn proceeding_view(p: ProceedingRecord) -> Result<ProceedingView> {
    let kind = ProceedingKind::parse(&p.kind)
        .ok_or_else(|| Error::Internal(format!("stored proceeding kind {:?}", p.kind)))?;
    Ok(ProceedingView {
        id: p.id.into(),
        person: p.person,
        kind,
        opened_on: p.opened_on,
        closed_on: p.closed_on,
        reference: p.reference,
    })
}

/// Records an inspection or investigation concerning a person (a blocker while it runs).
pub async fn open_proceeding(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    input: NewProceeding,
) -> Result<ProceedingView> {
    let reference = congvu_core::text::required("reference", &input.reference, 500)?;
    let reason = crate::service::reason(input.reason.as_deref())?;
    if input.opened_on > today(state) {
        return Err(Error::field(
            "opened_on",
            "in_future",
            "a proceeding is recorded once opened",
        ));
    }
    let txn = state.db.begin().await?;
    person_for(state, &txn, actor, person, Action::RecordProceeding).await?;
    let p = ProceedingRecord {
        id: Uuid::now_v7(),
        person,
        kind: input.kind.code().to_owned(),
        opened_on: input.opened_on,
        closed_on: None,
        reference,
        created_by: actor.user.as_uuid(),
        created_at: state.clock.now(),
    };
    store::insert_proceeding(&txn, &p).await?;
    record(
        &txn,
        who(actor),
        "proceeding.open",
        ("person", person.to_string()),
        &reason,
        &serde_json::json!({ "id": p.id, "kind": p.kind, "opened_on": p.opened_on, "reference": p.reference }),
        p.created_at,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    proceeding_view(p)
}

/// Records the end of a proceeding.
pub async fn close_proceeding(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ProceedingId,
    input: Closing,
) -> Result<ProceedingView> {
    let id = id.as_uuid();
    let reason = crate::service::reason(input.reason.as_deref())?;
    let txn = state.db.begin().await?;
    let p = store::find_proceeding(&txn, id).await?;
    person_for(state, &txn, actor, p.person, Action::RecordProceeding).await?;
    if p.closed_on.is_some() {
        return Err(Error::Conflict {
            code: "proceeding.closed",
            detail: "the proceeding is already closed".into(),
        });
    }
    if input.closed_on < p.opened_on || input.closed_on > today(state) {
        return Err(Error::field(
            "closed_on",
            "invalid_date",
            "between the opening and today",
        ));
    }
    store::close_proceeding(&txn, id, input.closed_on).await?;
    record(
        &txn,
        who(actor),
        "proceeding.close",
        ("person", p.person.to_string()),
        &reason,
        &serde_json::json!({ "id": id, "closed_on": input.closed_on }),
        state.clock.now(),
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    proceeding_view(ProceedingRecord {
        closed_on: Some(input.closed_on),
        ..p
    })
}
