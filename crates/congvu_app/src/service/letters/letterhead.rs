//! A unit's letterhead: the names and place its letters carry.

use super::*;

/// Sets a unit's letterhead (checked when made: `Letterhead::new`).
pub async fn put_letterhead(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    head: Letterhead,
) -> Result<Letterhead> {
    unit_for(
        state,
        actor,
        unit,
        Action::ManageLetterhead,
        "only an administrator or the unit head sets its letterhead",
    )
    .await?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::letter::put_letterhead(&txn, unit, &head, now).await?;
    record(
        &txn,
        who(actor),
        "letterhead.put",
        ("unit", unit.as_uuid().to_string()),
        "letterhead set",
        &LetterheadChange::from(&head),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(head)
}

/// A unit's letterhead (404 when none).
pub async fn get_letterhead(state: &AppState, actor: &Actor, unit: UnitId) -> Result<Letterhead> {
    congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewUnit), unit).await?;
    congvu_db::letter::letterhead(state.db.reader(), unit)
        .await?
        .ok_or(Error::NotFound)
}

/// The letterhead as the audit event records it.
#[derive(Serialize)]
struct LetterheadChange<'a> {
    parent: Option<&'a str>,
    body: &'a str,
    symbol: &'a str,
    place: &'a str,
    archive: &'a str,
}

impl<'a> From<&'a Letterhead> for LetterheadChange<'a> {
    fn from(h: &'a Letterhead) -> Self {
        Self {
            parent: h.parent.as_deref(),
            body: &h.body,
            symbol: &h.symbol,
            place: &h.place,
            archive: &h.archive,
        }
    }
}
