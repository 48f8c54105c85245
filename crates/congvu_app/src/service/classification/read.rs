//! Reading rounds: a round with its entries and breaches, a unit's rounds of a year, and the published result.

use super::*;

/// Entries in name order (then person id, so that namesakes keep one order), as a unit's list
/// of staff reads; the stored order follows the person ids the computation went through.
pub(super) fn by_name(mut views: Vec<EntryView>) -> Vec<EntryView> {
    views.sort_by(|a, b| (&a.full_name, a.person).cmp(&(&b.full_name, b.person)));
    views
}

pub(super) fn entry_view(e: &EntryRecord, names: &HashMap<PersonId, String>) -> EntryView {
    EntryView {
        person: e.person,
        full_name: names.get(&e.person).cloned().unwrap_or_default(),
        peer_group: e.peer_group.clone(),
        is_head: e.is_head,
        computed: e.computed,
        reasons: e.computed_reasons.clone(),
        proposed: e.proposed,
        override_reason: e.override_reason.clone(),
        used_case: e.used_case.map(CaseId::from),
    }
}

pub(super) async fn round_view(
    state: &AppState,
    db: &impl congvu_db::Connection,
    unit: &congvu_db::unit::UnitRecord,
    r: RoundRecord,
    entries: Vec<EntryRecord>,
) -> Result<RoundView> {
    let persons: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    let names: HashMap<PersonId, String> = congvu_db::staff::people(db, &persons)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let units = together(db, unit, &r, &entries).await?;
    let breaches = breaches(state, &r, &entries, &units);
    Ok(RoundView {
        id: r.id.into(),
        unit: r.unit,
        year: r.year,
        version: r.version,
        state: r.state,
        unit_level: r.unit_level,
        replaces: r.replaces.map(RoundId::from),
        reason: r.reason,
        created_at: r.created_at,
        finalised_at: r.finalised_at,
        counts: counts(&entries),
        entries: by_name(entries.iter().map(|e| entry_view(e, &names)).collect()),
        valid: breaches.is_empty(),
        breaches,
    })
}

/// A round and the unit it belongs to, in the actor's reach for `action` (404 outside).
pub(super) async fn round_in_reach(
    db: &impl congvu_db::Connection,
    actor: &Actor,
    id: Uuid,
    lock: bool,
) -> Result<(RoundRecord, congvu_db::unit::UnitRecord)> {
    let round = store::find_round(db, id, lock).await?;
    let unit = congvu_db::unit::find(db, &actor.reach(Action::ViewEvaluation), round.unit).await?;
    Ok((round, unit))
}

/// A round with its entries and its validation.
pub async fn show(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::RoundId,
) -> Result<RoundView> {
    let id = id.as_uuid();
    let db = state.db.reader();
    let (round, unit) = round_in_reach(db, actor, id, false).await?;
    let entries = store::entries(db, round.id).await?;
    round_view(state, db, &unit, round, entries).await
}

/// The rounds of a unit's year, oldest first (without entries).
pub async fn list(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    year: i32,
) -> Result<Vec<RoundView>> {
    let db = state.db.reader();
    let unit = congvu_db::unit::find(db, &actor.reach(Action::ViewEvaluation), unit).await?;
    let mut out = Vec::new();
    for r in store::rounds_of(db, unit.id, year).await? {
        let entries = store::entries(db, r.id).await?;
        let mut v = round_view(state, db, &unit, r, entries).await?;
        v.entries.clear();
        out.push(v);
    }
    Ok(out)
}

/// Builds a changed round's view from its stored entries and commits the change.
pub(super) async fn commit_view(
    state: &AppState,
    txn: congvu_db::Transaction,
    unit: &congvu_db::unit::UnitRecord,
    round: RoundRecord,
) -> Result<RoundView> {
    let entries = store::entries(&txn, round.id).await?;
    let view = round_view(state, &txn, unit, round, entries).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(view)
}

/// The unit's final result of a year, for its members and those who see its evaluations.
pub async fn published(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    year: i32,
) -> Result<PublishedView> {
    let db = state.db.reader();
    let today = congvu_core::calendar::vietnam_date(state.clock.now());
    let unit = congvu_db::unit::find(db, &congvu_core::policy::Reach::All, unit).await?;
    let member = match actor.person {
        Some(p) => congvu_db::staff::members_on(db, unit.id, today)
            .await?
            .contains(&p),
        None => false,
    };
    if !member && !actor.may(Action::ViewEvaluation, &unit.path) {
        return Err(DbError::NotFound.into());
    }
    let round = store::rounds_of(db, unit.id, year)
        .await?
        .into_iter()
        .find(|r| r.state == RoundState::Final)
        .ok_or(Error::NotFound)?;
    let entries = store::entries(db, round.id).await?;
    let persons: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    let names: HashMap<PersonId, String> = congvu_db::staff::people(db, &persons)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let mut results: Vec<PublishedEntry> = entries
        .iter()
        .map(|e| PublishedEntry {
            full_name: names.get(&e.person).cloned().unwrap_or_default(),
            result: e.proposed,
        })
        .collect();
    results.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    Ok(PublishedView {
        unit: unit.id,
        year,
        round: round.id.into(),
        version: round.version,
        finalised_at: round.finalised_at,
        results,
    })
}
