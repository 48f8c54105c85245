//! The handling clock's changes: the one extension, pauses (with their legal reason) and resuming.

use super::*;

/// Extends the handling limit to 150 days (a decision of the competent authority, once).
pub async fn extend(
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
    let l = for_change(state, actor, &txn, id, Needs::CompetentHead).await?;
    let (stage, _) = replay(&l.record.steps, l.limits, &l.calendar)?;
    if stage.is_final() {
        return Err(Error::Conflict {
            code: "case.final",
            detail: format!("the case is {}", stage.code()),
        });
    }
    if l.record.extension.is_some() {
        return Err(Error::Conflict {
            code: "case.already_extended",
            detail: format!(
                "the handling limit can be extended once ({})",
                l.citations
                    .cite(congvu_core::discipline::Procedure::Extension)
            ),
        });
    }
    if on < l.record.opened_on {
        return Err(Error::field(
            "on",
            "before_opening",
            "cannot be before the case opened",
        ));
    }
    congvu_db::case::set_extension(&txn, id, on, reason, now).await?;
    simple_event(actor, &txn, id, "case.extend", reason, on, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into(), today(state)).await
}

/// A pause to start.
#[derive(Debug, Clone)]
pub struct NewPause {
    pub reason: String,
    pub asked_in_writing: bool,
    pub from: NaiveDate,
    pub note: String,
}

/// Starts a pause of the clocks (postponement or complaint period).
pub async fn pause(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
    new: NewPause,
    reason: &str,
) -> Result<CaseDetail> {
    let id = id.as_uuid();
    not_future("from", new.from, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::Officer).await?;
    if l.record.pauses.iter().any(|p| p.to.is_none()) {
        return Err(Error::Conflict {
            code: "case.pause_open",
            detail: "a pause is already running; resume it first".into(),
        });
    }
    if let Some(last) = l.record.pauses.iter().filter_map(|p| p.to).max()
        && new.from <= last
    {
        return Err(Error::field(
            "from",
            "overlaps",
            "pauses do not overlap: start after the last one ended",
        ));
    }
    let record_ = PauseRecord {
        id: Uuid::now_v7(),
        reason: new.reason,
        asked_in_writing: new.asked_in_writing,
        from: new.from,
        to: None,
        note: new.note,
        recorded_by: actor.user,
        at: now,
    };
    congvu_db::case::insert_pause(&txn, id, &record_).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        pause_id: Uuid,
        reason: &'a str,
        asked_in_writing: bool,
        from: NaiveDate,
        stops_clocks: bool,
    }
    record(
        &txn,
        who(actor),
        "case.pause",
        ("case", id.to_string()),
        reason,
        &Change {
            pause_id: record_.id,
            reason: &record_.reason,
            asked_in_writing: record_.asked_in_writing,
            from: record_.from,
            stops_clocks: !pauses(std::slice::from_ref(&record_)).is_empty(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into(), today(state)).await
}

/// Ends a running pause; `to` is its last paused day.
pub async fn resume(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
    pause: congvu_core::ids::PauseId,
    to: NaiveDate,
    reason: &str,
) -> Result<CaseDetail> {
    let id = id.as_uuid();
    let pause = pause.as_uuid();
    not_future("to", to, today(state))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let l = for_change(state, actor, &txn, id, Needs::Officer).await?;
    let running = l
        .record
        .pauses
        .iter()
        .find(|p| p.id == pause && p.to.is_none())
        .ok_or(Error::NotFound)?;
    if to < running.from {
        return Err(Error::field(
            "to",
            "before_start",
            "a pause cannot end before it started",
        ));
    }
    congvu_db::case::end_pause(&txn, id, pause, to).await?;
    simple_event(actor, &txn, id, "case.resume", reason, to, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into(), today(state)).await
}
