//! Opening a year: one unit's round, or every unit of a subtree at once.

use super::*;

/// Opens a unit's year: computes every member's result as a draft (409 when the year already
/// has a draft or a final decision: correct a final one by replacing it).
pub async fn open(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: Opening,
) -> Result<RoundView> {
    let reason = crate::service::reason(input.reason.as_deref())?;
    reference_day(state, input.year)?;
    let unit = crate::service::unit_for(
        state,
        actor,
        unit,
        Action::ManageAssessment,
        "only a unit head or emulation officer opens the unit's year-end classification",
    )
    .await?;
    let txn = state.db.begin().await?;
    let existing = store::rounds_of(&txn, unit.id, input.year).await?;
    if let Some(r) = existing.iter().find(|r| r.state != RoundState::Replaced) {
        return Err(Error::Conflict {
            code: "classification.exists",
            detail: format!(
                "the unit's {} classification already has a {} round (version {}); a final one is corrected by replacing it",
                input.year,
                r.state.code(),
                r.version
            ),
        });
    }
    let version = existing.len() as i32 + 1;
    let drafted =
        draft_rounds(state, &txn, actor, &[(&unit, version)], input.year, &reason).await?;
    let (Some(round), entries) = (drafted.rounds.into_iter().next(), drafted.entries) else {
        return Err(Error::Internal("no round drafted for the unit".into()));
    };
    store::insert_round(&txn, &round).await.map_err(|e| {
        crate::service::taken(
            e,
            "year",
            "classification.exists",
            "the unit's year was opened at the same moment",
        )
    })?;
    store::insert_entries(&txn, &entries).await?;
    record(
        &txn,
        who(actor),
        "classification.open",
        ("classification", round.id.to_string()),
        &reason,
        &serde_json::json!({
            "unit_id": unit.id.as_uuid(),
            "year": round.year,
            "version": round.version,
            "counts": count_codes(&counts(&entries)),
        }),
        round.created_at,
    )
    .await?;
    let view = round_view(state, &txn, &unit, round, entries).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(view)
}

/// One unit's round opened with its subtree.
#[derive(Debug, Clone)]
pub struct OpenedRound {
    pub unit: UnitId,
    pub round: RoundId,
    pub people: usize,
    pub counts: BTreeMap<Outcome, usize>,
    /// Breaches of the round's own proposals (quotas per peer group, undetermined results); the
    /// round's view adds those that depend on other rounds.
    pub breaches: usize,
}

/// What opening a subtree's year did.
#[derive(Debug, Clone)]
pub struct SubtreeView {
    pub year: i32,
    pub opened: Vec<OpenedRound>,
    /// Units whose year already had a draft or final round, left as they were.
    pub skipped: Vec<UnitId>,
}

/// The annual-score rule of a unit path from every unit's own setting: the nearest unit on the
/// path with one, else the mean.
pub(super) fn rule_for(path: &str, settings: &HashMap<UnitId, Aggregation>) -> Aggregation {
    congvu_core::policy::path_units(path)
        .iter()
        .rev()
        .find_map(|u| settings.get(u).copied())
        .unwrap_or(Aggregation::Mean)
}

/// Who is employed directly in which of `units` on `day`, from the members' slices: (person,
/// unit), in order.
pub(super) fn members_on_day(
    members: &[Member],
    units: &[UnitId],
    day: NaiveDate,
) -> Vec<(PersonId, UnitId)> {
    let units: HashSet<&UnitId> = units.iter().collect();
    let mut out: Vec<(PersonId, UnitId)> = members
        .iter()
        .flat_map(|(p, slices)| {
            slices
                .iter()
                .filter(|s| s.validity.contains(day) && units.contains(&s.unit))
                .map(move |s| (*p, s.unit))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Opens the year of a unit and of every unit below it the actor manages, in one transaction
/// with batched reads (a province at year end): each unit without a live round gets a draft of
/// its members' computed results, exactly as `open` would make it, and one audit event records
/// the whole.
pub async fn open_subtree(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: Opening,
) -> Result<SubtreeView> {
    let reason = crate::service::reason(input.reason.as_deref())?;
    reference_day(state, input.year)?;
    let root = crate::service::unit_for(
        state,
        actor,
        unit,
        Action::ManageAssessment,
        "only a unit head or emulation officer opens the year-end classification",
    )
    .await?;
    let txn = state.db.begin().await?;
    let units =
        congvu_db::unit::subtree(&txn, &actor.reach(Action::ManageAssessment), &root).await?;
    let ids: Vec<UnitId> = units.iter().map(|u| u.id).collect();
    let live: HashSet<UnitId> = store::rounds_of_units(&txn, &ids, input.year)
        .await?
        .into_iter()
        .filter(|r| r.state != RoundState::Replaced)
        .map(|r| r.unit)
        .collect();
    let to_open: Vec<&congvu_db::unit::UnitRecord> =
        units.iter().filter(|u| !live.contains(&u.id)).collect();
    let first: Vec<(&congvu_db::unit::UnitRecord, i32)> = to_open.iter().map(|u| (*u, 1)).collect();
    let Drafted {
        rounds,
        entries,
        opened,
    } = draft_rounds(state, &txn, actor, &first, input.year, &reason).await?;
    store::insert_rounds(&txn, &rounds).await.map_err(|e| {
        crate::service::taken(
            e,
            "year",
            "classification.exists",
            "a unit's year was opened at the same moment",
        )
    })?;
    store::insert_entries(&txn, &entries).await?;
    record(
        &txn,
        who(actor),
        "classification.open_subtree",
        ("unit", root.id.to_string()),
        &reason,
        &serde_json::json!({
            "year": input.year,
            "rounds": rounds.iter().map(|r| (r.unit.as_uuid(), r.id)).collect::<Vec<_>>(),
            "people": entries.len(),
        }),
        state.clock.now(),
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(SubtreeView {
        year: input.year,
        opened,
        skipped: units
            .iter()
            .filter(|u| live.contains(&u.id))
            .map(|u| u.id)
            .collect(),
    })
}

/// Up to this many units, a year is drafted from the members' ids; above, by the units.
const FEW_UNITS: usize = 8;

/// Rounds drafted for units without a live round, with their entries and a summary of each.
struct Drafted {
    rounds: Vec<RoundRecord>,
    entries: Vec<EntryRecord>,
    opened: Vec<OpenedRound>,
}

/// The one path that drafts a year (issue 19: `open` and `open_subtree` share it): for each unit
/// and the version its round takes, the members employed directly in it on the reference day,
/// read in batches for all the units at once, and their computed results as a draft.
async fn draft_rounds(
    state: &AppState,
    txn: &congvu_db::Transaction,
    actor: &Actor,
    units: &[(&congvu_db::unit::UnitRecord, i32)],
    year: i32,
    reason: &str,
) -> Result<Drafted> {
    let day = reference_day(state, year)?;
    let ids: Vec<UnitId> = units.iter().map(|(u, _)| u.id).collect();
    // A few units: their members by the employment index, then those people's rows by id (what
    // one ward's `open` needs). Many: one semi-join per table over the whole subtree.
    let mut persons = Vec::new();
    let picked = if ids.len() <= FEW_UNITS {
        for unit in &ids {
            persons.extend(congvu_db::staff::members_on(txn, *unit, day).await?);
        }
        persons.sort();
        persons.dedup();
        Members::Persons(&persons)
    } else {
        Members::EmployedIn(&ids, day)
    };
    let slices = congvu_db::staff::employments_of(txn, picked).await?;
    let membership = members_on_day(&slices, &ids, day);
    let settings: HashMap<UnitId, Aggregation> = congvu_db::evaluation::all_aggregations(txn)
        .await?
        .into_iter()
        .collect();
    let paths: HashMap<UnitId, &str> = units.iter().map(|(u, _)| (u.id, u.path.as_str())).collect();
    let mut by_unit: HashMap<UnitId, Vec<PersonId>> = HashMap::new();
    let mut lowest = Vec::new();
    for (p, u) in &membership {
        by_unit.entry(*u).or_default().push(*p);
        let rule = paths
            .get(u)
            .map_or(Aggregation::Mean, |path| rule_for(path, &settings));
        if rule == Aggregation::Lowest {
            lowest.push(*p);
        }
    }
    let inputs = load_members(txn, slices, picked, &lowest, year).await?;
    let people: HashMap<PersonId, &Member> = inputs.members.iter().map(|m| (m.0, m)).collect();
    let now = state.clock.now();
    let mut drafted = Drafted {
        rounds: Vec::with_capacity(units.len()),
        entries: Vec::with_capacity(membership.len()),
        opened: Vec::with_capacity(units.len()),
    };
    for (u, version) in units {
        let round = RoundRecord {
            id: Uuid::now_v7(),
            unit: u.id,
            year,
            version: *version,
            state: RoundState::Draft,
            unit_level: None,
            replaces: None,
            reason: reason.to_owned(),
            created_by: actor.user.as_uuid(),
            created_at: now,
            finalised_by: None,
            finalised_at: None,
        };
        let mine = by_unit.get(&u.id).map(Vec::as_slice).unwrap_or(&[]);
        let made = computed_entries(
            state,
            &inputs,
            mine.iter().filter_map(|p| people.get(p).copied()),
            &round,
            day,
        );
        let alone = Together {
            below: Vec::new(),
            siblings: Vec::new(),
            elsewhere: Vec::new(),
        };
        drafted.opened.push(OpenedRound {
            unit: u.id,
            round: round.id.into(),
            people: made.len(),
            counts: counts(&made),
            breaches: breaches(state, &round, &made, &alone).len(),
        });
        drafted.entries.extend(made);
        drafted.rounds.push(round);
    }
    Ok(drafted)
}
