//! Changing a draft and deciding it: proposals, recomputation, the unit's own level, finalising with notices, and replacing a final round.

use super::*;

/// A draft in reach, locked for the transaction, of a unit where the actor manages assessment.
pub(super) async fn draft_for(
    txn: &congvu_db::Transaction,
    actor: &Actor,
    id: Uuid,
    why: &'static str,
) -> Result<(RoundRecord, congvu_db::unit::UnitRecord)> {
    let (round, unit) = round_in_reach(txn, actor, id, true).await?;
    if !actor.may(Action::ManageAssessment, &unit.path) {
        return Err(Error::Forbidden(why));
    }
    must_be_draft(&round)?;
    Ok((round, unit))
}

pub(super) fn must_be_draft(round: &RoundRecord) -> Result<()> {
    if round.state != RoundState::Draft {
        return Err(Error::Conflict {
            code: "classification.not_draft",
            detail: format!(
                "the round is {}; a final decision is corrected by replacing it",
                round.state.code()
            ),
        });
    }
    Ok(())
}

/// Changes one person's entry in a draft: the proposal (a reason whenever it differs from the
/// computed result), the peer group, whether they are the head, the case a KHT rests on.
pub async fn propose(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::RoundId,
    person: PersonId,
    input: EntryChange,
) -> Result<RoundView> {
    let id = id.as_uuid();
    if input.proposed == Some(Outcome::Undetermined) {
        return Err(Error::field(
            "proposed",
            "unknown_value",
            "htxs, htt, ht, kht or not_rated",
        ));
    }
    let proposed = input.proposed;
    let group = input
        .peer_group
        .as_deref()
        .map(|g| congvu_core::text::required("peer_group", g, 64))
        .transpose()?;
    let txn = state.db.begin().await?;
    let (round, unit) = draft_for(
        &txn,
        actor,
        id,
        "only a unit head or emulation officer proposes results",
    )
    .await?;
    let entries = store::entries(&txn, round.id).await?;
    let mut entry = entries
        .iter()
        .find(|e| e.person == person)
        .cloned()
        .ok_or(Error::NotFound)?;
    if let Some(p) = proposed {
        // The head's own result is the managing body's to give (233/2026 Art. 13), never the
        // unit's officers' or the head's own.
        if (entry.is_head || input.is_head == Some(true))
            && !actor.may(Action::ManageAssessment, &managing_path(&txn, &unit).await?)
        {
            return Err(Error::Forbidden(
                "the head's result is proposed by the unit's managing body",
            ));
        }
        entry.proposed = p;
    }
    if let Some(g) = group {
        entry.peer_group = g;
    }
    if let Some(h) = input.is_head {
        entry.is_head = h;
    }
    if let Some(case) = input.used_case.map(|c| c.as_uuid()) {
        let decided = store::decided_cases(&txn, Members::Persons(&[person])).await?;
        let usable = decided.iter().find(|c| c.case == case).is_some_and(|c| {
            c.committed_on.unwrap_or(c.effective_on).year() <= round.year
                && round.year < c.effective_on.year()
        });
        if !usable || entry.proposed != Outcome::Rated(Level::Kht) {
            return Err(Error::field(
                "used_case_id",
                "not_usable",
                "a KHT rests on a decided case of this person whose violation was committed by this year and decided in a later one",
            ));
        }
        entry.used_case = Some(case);
    } else if entry.proposed != Outcome::Rated(Level::Kht) {
        entry.used_case = None;
    }
    // Every change is explained: the proposal, and the peer group or head flag the quota reads.
    let reason = crate::service::reason(input.reason.as_deref())?;
    if proposed.is_some() {
        entry.override_reason = (entry.proposed != entry.computed).then(|| reason.clone());
    }
    entry.updated_by = Some(actor.user.as_uuid());
    entry.updated_at = state.clock.now();
    store::update_entry(&txn, &entry).await?;
    record(
        &txn,
        who(actor),
        "classification.propose",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({
            "person_id": person.as_uuid(),
            "computed": entry.computed.code(),
            "proposed": entry.proposed.code(),
            "peer_group": entry.peer_group,
            "is_head": entry.is_head,
            "used_case_id": entry.used_case,
        }),
        entry.updated_at,
    )
    .await?;
    commit_view(state, txn, &unit, round).await
}

/// Recomputes a draft from the records as they are now (late evaluations, a decision of an
/// earlier year, new facts): every computed result and its reasons are renewed; a proposal
/// follows the computation unless an officer overrode it; people who joined are added and those
/// no longer members removed.
pub async fn recompute(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::RoundId,
    reason: Option<&str>,
) -> Result<RoundView> {
    let id = id.as_uuid();
    let reason = crate::service::reason(reason)?;
    let txn = state.db.begin().await?;
    let (round, unit) = draft_for(
        &txn,
        actor,
        id,
        "only a unit head or emulation officer recomputes a classification",
    )
    .await?;
    let day = reference_day(state, round.year)?;
    let now = state.clock.now();
    let inputs = load(&txn, &unit, round.year, day).await?;
    let fresh = computed_entries(state, &inputs, inputs.members.iter(), &round, day);
    let old = store::entries(&txn, round.id).await?;
    let before: HashMap<PersonId, &EntryRecord> = old.iter().map(|e| (e.person, e)).collect();
    let mut added = Vec::new();
    let mut changed = 0;
    let mut kept = HashSet::new();
    for f in fresh {
        kept.insert(f.person);
        let Some(o) = before.get(&f.person) else {
            added.push(EntryRecord {
                updated_at: now,
                ..f
            });
            continue;
        };
        let mut e = (*o).clone();
        changed += usize::from(e.computed != f.computed);
        e.computed = f.computed;
        e.computed_reasons = f.computed_reasons;
        if e.override_reason.is_none() {
            e.proposed = f.computed;
        }
        e.updated_by = Some(actor.user.as_uuid());
        e.updated_at = now;
        store::update_entry(&txn, &e).await?;
    }
    let gone: Vec<Uuid> = old
        .iter()
        .filter(|e| !kept.contains(&e.person))
        .map(|e| e.id)
        .collect();
    store::delete_entries(&txn, &gone).await?;
    store::insert_entries(&txn, &added).await?;
    record(
        &txn,
        who(actor),
        "classification.recompute",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({ "changed": changed, "added": added.len(), "removed": gone.len() }),
        now,
    )
    .await?;
    commit_view(state, txn, &unit, round).await
}

/// The path of a unit's managing body: the unit above it, or the unit itself at the root.
pub(super) async fn managing_path(
    db: &impl congvu_db::Connection,
    unit: &congvu_db::unit::UnitRecord,
) -> Result<String> {
    Ok(match unit.parent {
        Some(parent) => {
            congvu_db::unit::find(db, &congvu_core::policy::Reach::All, parent)
                .await?
                .path
        }
        None => unit.path.clone(),
    })
}

/// Gives a draft the unit's own rating: by the managing body (the unit above; the unit itself
/// for a root unit), 233/2026 Art. 13.
pub async fn set_unit_level(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::RoundId,
    input: UnitRating,
) -> Result<RoundView> {
    let id = id.as_uuid();
    let level = input.level;
    let reason = crate::service::reason(input.reason.as_deref())?;
    let txn = state.db.begin().await?;
    let (round, unit) = round_in_reach(&txn, actor, id, true).await?;
    if !actor.may(Action::ManageAssessment, &managing_path(&txn, &unit).await?) {
        return Err(Error::Forbidden(
            "the unit's own rating is given by its managing body",
        ));
    }
    must_be_draft(&round)?;
    store::set_unit_level(&txn, round.id, level).await?;
    let now = state.clock.now();
    record(
        &txn,
        who(actor),
        "classification.unit_level",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({ "unit_id": unit.id.as_uuid(), "level": level.code() }),
        now,
    )
    .await?;
    let round = RoundRecord {
        unit_level: Some(level),
        ..round
    };
    commit_view(state, txn, &unit, round).await
}

/// Finalises a valid draft: the unit's own head only; every breach is named when it is not
/// valid (422 `classification.invalid`). The round it replaces, if any, becomes `replaced`;
/// each person with an address is told their result by mail.
pub async fn finalise(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::RoundId,
    reason: Option<&str>,
) -> Result<RoundView> {
    let id = id.as_uuid();
    let reason = crate::service::reason(reason)?;
    let txn = state.db.begin().await?;
    let (round, unit) = round_in_reach(&txn, actor, id, true).await?;
    if !actor.holds_at(Role::UnitHead, unit.id) {
        return Err(Error::Forbidden(
            "only the head of the unit itself finalises its classification",
        ));
    }
    must_be_draft(&round)?;
    let entries = store::entries(&txn, round.id).await?;
    let units = together(&txn, &unit, &round, &entries).await?;
    let found = breaches(state, &round, &entries, &units);
    if !found.is_empty() {
        return Err(Error::Breaches {
            code: "classification.invalid",
            detail: format!("{} breach(es): the set cannot be finalised", found.len()),
            breaches: found
                .into_iter()
                .map(|b| FieldError::new(b.scope.to_string(), b.code, b.message))
                .collect(),
        });
    }
    let now = state.clock.now();
    store::set_state(
        &txn,
        round.id,
        RoundState::Final,
        Some((actor.user.as_uuid(), now)),
    )
    .await?;
    if let Some(old) = round.replaces {
        store::set_state(&txn, old, RoundState::Replaced, None).await?;
    }
    let persons: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    let people = congvu_db::staff::people(&txn, &persons).await?;
    let queued = notify(state, &txn, &unit, &round, &entries, &people).await?;
    record(
        &txn,
        who(actor),
        "classification.finalise",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({
            "unit_id": unit.id.as_uuid(),
            "year": round.year,
            "version": round.version,
            "replaces": round.replaces,
            "counts": count_codes(&counts(&entries)),
            "notified": queued,
        }),
        now,
    )
    .await?;
    let round = RoundRecord {
        state: RoundState::Final,
        finalised_by: Some(actor.user.as_uuid()),
        finalised_at: Some(now),
        ..round
    };
    let view = round_view(state, &txn, &unit, round, entries).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(view)
}

/// The Vietnamese name of a result, for the notice.
pub(super) fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Rated(Level::Htxs) => "Hoàn thành xuất sắc nhiệm vụ",
        Outcome::Rated(Level::Htt) => "Hoàn thành tốt nhiệm vụ",
        Outcome::Rated(Level::Ht) => "Hoàn thành nhiệm vụ",
        Outcome::Rated(Level::Kht) => "Không hoàn thành nhiệm vụ",
        Outcome::NotRated => "Không xếp loại",
        Outcome::Undetermined => "Chưa xác định",
    }
}

/// Queues each person's notice of their result (those without an address are counted out).
pub(super) async fn notify(
    state: &AppState,
    txn: &congvu_db::Transaction,
    unit: &congvu_db::unit::UnitRecord,
    round: &RoundRecord,
    entries: &[EntryRecord],
    people: &[PersonRecord],
) -> Result<usize> {
    let by_id: HashMap<PersonId, &PersonRecord> = people.iter().map(|p| (p.id, p)).collect();
    let mut queued = 0;
    for e in entries {
        let Some(email) = by_id.get(&e.person).and_then(|p| p.email.as_deref()) else {
            continue;
        };
        let name = by_id.get(&e.person).map_or("", |p| p.full_name.as_str());
        let id = Uuid::now_v7();
        let replaced = match round.replaces {
            Some(_) => " Kết quả này thay thế kết quả đã thông báo trước đó.",
            None => "",
        };
        outbox::enqueue(
            txn,
            &Message {
                id,
                recipient_sealed: state.secrets.seal(email.as_bytes(), id.as_bytes())?,
                subject: format!("Kết quả xếp loại chất lượng năm {}", round.year),
                body: format!(
                    "Kính gửi {name},\n\n{} thông báo kết quả xếp loại chất lượng năm {} của đồng chí: {} ({}).{replaced}\n\nQuyết định số hiệu nội bộ {} (lần {}).\n",
                    unit.name,
                    round.year,
                    outcome_name(e.proposed),
                    e.proposed.code().to_uppercase(),
                    round.id,
                    round.version,
                ),
                attempts: 0,
                letter_id: None,
            },
            state.clock.now(),
        )
        .await?;
        queued += 1;
    }
    Ok(queued)
}

/// Opens a replacement of a final round: a draft carrying the final round's proposals, linked
/// to it; the old one stays in force until the replacement is finalised.
pub async fn replace(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::RoundId,
    reason: Option<&str>,
) -> Result<RoundView> {
    let id = id.as_uuid();
    let reason = crate::service::reason(reason)?;
    let txn = state.db.begin().await?;
    let (old, unit) = round_in_reach(&txn, actor, id, true).await?;
    if !actor.may(Action::ManageAssessment, &unit.path) {
        return Err(Error::Forbidden(
            "only a unit head or emulation officer corrects a classification",
        ));
    }
    let rounds = store::rounds_of(&txn, unit.id, old.year).await?;
    if old.state != RoundState::Final || rounds.iter().any(|r| r.state == RoundState::Draft) {
        return Err(Error::Conflict {
            code: "classification.not_replaceable",
            detail: "only the final decision is replaced, and one replacement at a time".into(),
        });
    }
    let now = state.clock.now();
    let round = RoundRecord {
        id: Uuid::now_v7(),
        version: rounds.iter().map(|r| r.version).max().unwrap_or(0) + 1,
        state: RoundState::Draft,
        replaces: Some(old.id),
        reason: reason.clone(),
        created_by: actor.user.as_uuid(),
        created_at: now,
        finalised_by: None,
        finalised_at: None,
        ..old.clone()
    };
    let entries: Vec<EntryRecord> = store::entries(&txn, old.id)
        .await?
        .into_iter()
        .map(|e| EntryRecord {
            id: Uuid::now_v7(),
            round: round.id,
            updated_at: now,
            ..e
        })
        .collect();
    store::insert_round(&txn, &round).await.map_err(|e| {
        crate::service::taken(
            e,
            "id",
            "classification.not_replaceable",
            "replaced at the same moment",
        )
    })?;
    store::insert_entries(&txn, &entries).await?;
    record(
        &txn,
        who(actor),
        "classification.replace",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({ "replaces": old.id, "version": round.version }),
        now,
    )
    .await?;
    let view = round_view(state, &txn, &unit, round, entries).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(view)
}
