//! Computing a round's entries and breaches: the inputs loaded in batches, each member classified with reasons, quotas checked per peer group and across units.

use super::*;

/// A member as the classification reads them: who, and their employment slices.
pub(super) type Member = (PersonId, Vec<Employment>);

/// Everything the classification of some units' members reads, loaded in a few batched queries.
pub(super) struct Inputs {
    /// Each member and their employment slices, in person-id order (names are not needed to
    /// classify; a view reads them once).
    pub(super) members: Vec<Member>,
    /// The annual score of each person with at least one period evaluated.
    pub(super) annual: HashMap<PersonId, Score>,
    /// The criteria results of a year under Decree 90/2020.
    pub(super) criteria: HashMap<PersonId, CriteriaResult>,
    pub(super) facts: HashMap<PersonId, Vec<FactRecord>>,
    pub(super) cases: HashMap<PersonId, Vec<DecidedCase>>,
    pub(super) used: HashMap<Uuid, i32>,
}

/// The annual scores of the picked members: the mean summed by the database for everyone, except
/// the people in `lowest`, whose unit takes the lowest period instead (read from the periods).
pub(super) async fn annual_scores(
    db: &impl congvu_db::Connection,
    picked: Members<'_>,
    lowest: &[PersonId],
    year: i32,
) -> Result<HashMap<PersonId, Score>> {
    let by_lowest: HashSet<&PersonId> = lowest.iter().collect();
    let mut annual = HashMap::new();
    for (p, general, total, months) in congvu_db::evaluation::mean_sums(db, picked, year).await? {
        if by_lowest.contains(&p) {
            continue;
        }
        if let Some(score) = assessment::mean_of_sums(general, total, months) {
            annual.insert(p, score);
        }
    }
    if lowest.is_empty() {
        return Ok(annual);
    }
    let mut periods: HashMap<PersonId, Vec<(Period, Score)>> = HashMap::new();
    for (p, period, score) in congvu_db::evaluation::scores_of_year(db, lowest, year).await? {
        periods.entry(p).or_default().push((period, score));
    }
    for (p, scores) in periods {
        if let Some(score) = assessment::annual(&scores, Aggregation::Lowest) {
            annual.insert(p, score);
        }
    }
    Ok(annual)
}

/// Loads the inputs of these members (their employment slices already read); `picked` selects
/// the same people for the reads of other tables, where the database probing each row beats
/// sending it every id, and `lowest` names those scored by the lowest period, not the mean.
pub(super) async fn load_members(
    db: &impl congvu_db::Connection,
    members: Vec<Member>,
    picked: Members<'_>,
    lowest: &[PersonId],
    year: i32,
) -> Result<Inputs> {
    let annual = annual_scores(db, picked, lowest, year).await?;
    let mut facts: HashMap<PersonId, Vec<FactRecord>> = HashMap::new();
    for f in store::facts(db, picked, year).await? {
        facts.entry(f.person).or_default().push(f);
    }
    let mut cases: HashMap<PersonId, Vec<DecidedCase>> = HashMap::new();
    for c in store::decided_cases(db, picked).await? {
        cases.entry(c.person).or_default().push(c);
    }
    let criteria = congvu_db::evaluation::criteria_of_year(db, picked, year)
        .await?
        .into_iter()
        .collect();
    Ok(Inputs {
        members,
        annual,
        criteria,
        facts,
        cases,
        used: store::used_cases(db, picked).await?,
    })
}

/// The inputs of one unit's members on `day`.
pub(super) async fn load(
    db: &impl congvu_db::Connection,
    unit: &congvu_db::unit::UnitRecord,
    year: i32,
    day: NaiveDate,
) -> Result<Inputs> {
    let persons = congvu_db::staff::members_on(db, unit.id, day).await?;
    let rule = congvu_db::evaluation::aggregation(db, &unit.path).await?;
    let picked = Members::Persons(&persons);
    let members = congvu_db::staff::employments_of(db, picked).await?;
    let lowest = match rule {
        Aggregation::Lowest => persons.as_slice(),
        Aggregation::Mean => &[],
    };
    load_members(db, members, picked, lowest, year).await
}

/// The discipline decisions of a person as the classification reads them (brief §4.4): every
/// decided case counts as duty-related (congvu records breaches of public-service conduct), the
/// case is the act, and an act committed in another unit counts as committed at a former one.
pub(super) fn discipline_facts(
    cases: &[DecidedCase],
    used: &HashMap<Uuid, i32>,
    unit: UnitId,
) -> Vec<DisciplineFact> {
    cases
        .iter()
        .filter_map(|c| {
            Some(DisciplineFact {
                act: c.case.to_string(),
                form: Form::parse(&c.form)?,
                duty_related: true,
                effective_on: c.effective_on,
                used_for_kht_in: used.get(&c.case).copied(),
                at_former_unit: !c.violation_units.is_empty() && !c.violation_units.contains(&unit),
                committed_on: c.committed_on.unwrap_or(c.effective_on),
            })
        })
        .collect()
}

pub(super) fn stretches(facts: &[FactRecord], kind: FactKind) -> Vec<Stretch> {
    facts
        .iter()
        .filter(|f| f.kind == kind)
        .filter_map(|f| Some((f.from?, f.to)))
        .collect()
}

/// Classifies one member: the scheme of the regime in force for them at the year's end.
pub(super) fn classify_one(
    state: &AppState,
    inputs: &Inputs,
    unit: UnitId,
    year: i32,
    day: NaiveDate,
    member: &Member,
) -> Classification {
    let (person, employments) = (member.0, member.1.as_slice());
    let none = Vec::new();
    let facts = inputs.facts.get(&person).unwrap_or(&none);
    let has = |k: FactKind| facts.iter().any(|f| f.kind == k);
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(day);
    let slice = employment_on(employments, day);
    let scheme = slice
        .and_then(|s| {
            regime_in_force(
                &state.regimes,
                RegimeDomain::Assessment,
                s.category,
                year_end,
            )
        })
        .and_then(|r| state.assessment.scheme(&r.key));
    let Some(scheme) = scheme else {
        return Classification {
            outcome: Outcome::Undetermined,
            reasons: vec![assessment::Reason {
                code: "no_scheme",
                message: "Cuối năm không có chế độ đánh giá nào áp dụng cho người này".into(),
                message_en: "no assessment regime governs this person at the year's end".into(),
                basis: "data/regimes.toml".into(),
            }],
        };
    };
    let employed: Vec<Stretch> = employments
        .iter()
        .map(|e| (e.validity.from(), e.validity.to()))
        .collect();
    let unpaid = stretches(facts, FactKind::LeaveUnpaid);
    let mut leave = stretches(facts, FactKind::LeaveProtected);
    leave.extend(unpaid.iter().copied());
    let months_worked = worktime::months_worked(&employed, &leave, year);
    // Sick or maternity leave keeps a person rated on the time worked only when it is what took
    // them under six months (233/2026 Art. 14): without it, they would have had six.
    let protected_leave = has(FactKind::LeaveProtected)
        && worktime::months_worked(&employed, &unpaid, year) >= state.assessment.min_months;
    let discipline = inputs
        .cases
        .get(&person)
        .map(|c| discipline_facts(c, &inputs.used, unit))
        .unwrap_or_default();
    let p = PersonYear {
        year,
        score: inputs.annual.get(&person).copied(),
        criteria: inputs.criteria.get(&person).copied(),
        months_worked,
        protected_leave,
        degeneration: has(FactKind::Degeneration),
        managed_unit_corruption: has(FactKind::ManagedUnitCorruption),
        corruption_self_remedied: has(FactKind::CorruptionSelfRemedied),
        discipline: &discipline,
    };
    state.assessment.classify(scheme, &p)
}

/// The entries of a new round: every member with the computed result proposed.
pub(super) fn computed_entries<'a>(
    state: &AppState,
    inputs: &Inputs,
    members: impl Iterator<Item = &'a Member>,
    round: &RoundRecord,
    day: NaiveDate,
) -> Vec<EntryRecord> {
    members
        .map(|member| {
            let c = classify_one(state, inputs, round.unit, round.year, day, member);
            let is_head =
                employment_on(&member.1, day).is_some_and(|s| s.unit == round.unit && s.is_leader);
            EntryRecord {
                id: Uuid::now_v7(),
                round: round.id,
                person: member.0,
                peer_group: DEFAULT_GROUP.to_owned(),
                is_head,
                computed: c.outcome,
                computed_reasons: c
                    .reasons
                    .into_iter()
                    .map(|r| StoredReason {
                        code: r.code.to_owned(),
                        message: r.message,
                        message_en: r.message_en,
                        basis: r.basis,
                    })
                    .collect(),
                proposed: c.outcome,
                override_reason: None,
                used_case: None,
                updated_by: None,
                updated_at: round.created_at,
            }
        })
        .collect()
}

/// Every breach of a proposed set (brief §11.4 item 20): an undetermined result, the HTXS share
/// per peer group, the head above the unit, and the units rated together (below it and beside it).
pub(super) fn breaches(
    state: &AppState,
    round: &RoundRecord,
    entries: &[EntryRecord],
    units: &Together,
) -> Vec<Breach> {
    let mut out = Vec::new();
    for e in entries
        .iter()
        .filter(|e| e.proposed == Outcome::Undetermined)
    {
        out.push(Breach {
            scope: BreachScope::Person(e.person),
            code: "classification.undetermined",
            message: "Chưa tính được kết quả; hãy đề xuất một mức kèm lý do".into(),
            message_en: "no result could be computed; propose one with a reason".into(),
        });
    }
    for (person, other) in &units.elsewhere {
        out.push(Breach {
            scope: BreachScope::Person(*person),
            code: "classification.in_other_round",
            message: format!(
                "Người này cũng có trong kết quả xếp loại năm của {other}: chỉ một đơn vị đánh giá cả năm (Nghị định 233/2026 Điều 15 khoản 1); hãy tính lại hoặc thay thế kết quả của đơn vị người đó đã rời"
            ),
            message_en: format!(
                "also in the year's classification of {other}: one unit rates the whole year (233/2026 Art. 15(1)): recompute or replace the round of the unit they left"
            ),
        });
    }
    let mut groups: BTreeMap<&str, Vec<Proposal>> = BTreeMap::new();
    for e in entries {
        groups.entry(&e.peer_group).or_default().push(Proposal {
            person: e.person,
            outcome: e.proposed,
            is_head: e.is_head,
        });
    }
    for (group, proposals) in &groups {
        for b in quota::check_group(&state.assessment.quota, group, proposals, round.unit_level) {
            let scope = match &b {
                quota::Breach::HeadAboveUnit { person, .. }
                | quota::Breach::UnitNotRated { person } => BreachScope::Person(*person),
                _ => BreachScope::Group((*group).to_owned()),
            };
            out.push(Breach {
                scope,
                code: b.code(),
                message: b.message().vi,
                message_en: b.message().en,
            });
        }
    }
    for (scope, rated) in [
        (BreachScope::Units, &units.below),
        (BreachScope::Siblings, &units.siblings),
    ] {
        if rated.is_empty() {
            continue;
        }
        for b in quota::check_units(&state.assessment.quota, rated) {
            out.push(Breach {
                scope: scope.clone(),
                code: b.code(),
                message: b.message().vi,
                message_en: b.message().en,
            });
        }
    }
    out
}

/// The own ratings of the units directly below `parent`, from each one's newest round that has
/// one.
pub(super) async fn units_below(
    db: &impl congvu_db::Connection,
    parent: UnitId,
    year: i32,
) -> Result<Vec<(UnitId, Level)>> {
    let children: Vec<UnitId> = congvu_db::unit::children(db, parent)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let mut levels: HashMap<UnitId, Level> = HashMap::new();
    for r in store::rounds_of_units(db, &children, year).await? {
        if r.state != RoundState::Replaced
            && let Some(l) = r.unit_level
        {
            levels.entry(r.unit).or_insert(l);
        }
    }
    Ok(children
        .into_iter()
        .filter_map(|u| levels.get(&u).map(|l| (u, *l)))
        .collect())
}

/// The units rated together with a round's: those directly below it (checked in its round), and
/// its siblings under the same managing body (checked in each sibling's round too, so the cap
/// holds even when the managing body opens no round of its own).
pub(super) struct Together {
    pub(super) below: Vec<(UnitId, Level)>,
    pub(super) siblings: Vec<(UnitId, Level)>,
    /// Members also in another unit's live round of the year (a transfer during the year), with
    /// that unit's name.
    pub(super) elsewhere: Vec<(PersonId, String)>,
}

pub(super) async fn together(
    db: &impl congvu_db::Connection,
    unit: &congvu_db::unit::UnitRecord,
    round: &RoundRecord,
    entries: &[EntryRecord],
) -> Result<Together> {
    let year = round.year;
    let persons: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    let others = store::in_other_rounds(db, round.unit, year, &persons).await?;
    let units: Vec<UnitId> = others.iter().map(|(_, u)| *u).collect();
    let names = congvu_db::unit::names(db, &units).await?;
    Ok(Together {
        elsewhere: others
            .into_iter()
            .map(|(p, u)| (p, names.get(&u).cloned().unwrap_or_else(|| u.to_string())))
            .collect(),
        below: units_below(db, unit.id, year).await?,
        siblings: match unit.parent {
            Some(parent) => units_below(db, parent, year).await?,
            None => Vec::new(),
        },
    })
}

pub(super) fn counts(entries: &[EntryRecord]) -> BTreeMap<Outcome, usize> {
    let mut out = BTreeMap::new();
    for e in entries {
        *out.entry(e.proposed).or_insert(0) += 1;
    }
    out
}

/// Counts keyed by the results' codes, as audit events record them.
pub(super) fn count_codes(counts: &BTreeMap<Outcome, usize>) -> BTreeMap<&'static str, usize> {
    counts.iter().map(|(o, n)| (o.code(), *n)).collect()
}
