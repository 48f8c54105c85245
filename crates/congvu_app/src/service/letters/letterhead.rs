//! A unit's letterhead: the names and place its letters carry.

use super::*;

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

pub(super) fn letterhead_view(h: &Letterhead) -> LetterheadInput {
    LetterheadInput {
        parent: h.parent.clone(),
        body: h.body.clone(),
        symbol: h.symbol.clone(),
        place: h.place.clone(),
        archive: h.archive.clone(),
    }
}
