//! Who may be proposed for which title: each person's and unit's history gathered in batches and judged by congvu_core, every reason named.

use super::*;

/// A person's history, owned (the domain borrows it).
#[derive(Debug, Clone, Default)]
pub(super) struct History {
    registered: Vec<TitleKey>,
    level: Option<Level>,
    recruited_on: Option<NaiveDate>,
    awards: Vec<(i32, TitleKey)>,
    initiatives: Vec<Initiative>,
    blockers: Vec<Blocker>,
}

impl History {
    fn view(&self) -> PersonHistory<'_> {
        PersonHistory {
            registered: &self.registered,
            level: self.level,
            recruited_on: self.recruited_on,
            awards: &self.awards,
            initiatives: &self.initiatives,
            blockers: &self.blockers,
        }
    }
}

/// The histories of these people for `year`, with their final results of the year.
pub(super) async fn histories(
    state: &AppState,
    db: &impl congvu_db::Connection,
    people: &[PersonRecord],
    outcomes: &HashMap<PersonId, Outcome>,
    year: i32,
) -> Result<HashMap<PersonId, History>> {
    let ids: Vec<PersonId> = people.iter().map(|p| p.id).collect();
    let uuids: Vec<Uuid> = ids.iter().map(|p| p.as_uuid()).collect();
    let mut out: HashMap<PersonId, History> = people
        .iter()
        .map(|p| {
            let h = History {
                level: outcomes.get(&p.id).and_then(|o| o.level()),
                recruited_on: p.employments.iter().map(|e| e.validity.from()).min(),
                ..History::default()
            };
            (p.id, h)
        })
        .collect();
    for (subject, title) in store::registrations(db, &uuids, year).await? {
        if let (Some(h), Some(t)) = (out.get_mut(&subject.into()), TitleKey::parse(&title)) {
            h.registered.push(t);
        }
    }
    for a in store::awards(db, &uuids).await? {
        if let (None, Some(h), Some(t)) = (
            &a.revoked,
            out.get_mut(&a.subject.into()),
            TitleKey::parse(&a.title),
        ) {
            h.awards.push((a.year, t));
        }
    }
    for i in store::initiatives(db, &ids).await? {
        if let (Some(h), Some(scope)) = (out.get_mut(&i.person), InitiativeScope::parse(&i.scope)) {
            h.initiatives.push(Initiative {
                year: i.year,
                scope,
            });
        }
    }
    let mut block = |p: PersonId, b: Blocker| {
        if let Some(h) = out.get_mut(&p)
            && !h.blockers.contains(&b)
        {
            h.blockers.push(b);
        }
    };
    for (p, _) in rounds::open_cases(db, &ids).await? {
        block(p, Blocker::DisciplineCase);
    }
    for (p, kind) in store::running_proceedings(db, &ids, today(state)).await? {
        let kind = ProceedingKind::parse(&kind)
            .ok_or_else(|| Error::Internal(format!("stored proceeding kind {kind:?}")))?;
        block(p, kind.blocker());
    }
    for p in store::complaints_being_resolved(db, &ids).await? {
        block(p, Blocker::ComplaintOrDenunciation);
    }
    Ok(out)
}

/// The unit's final round of a year and its entries.
pub(super) async fn final_round(
    db: &impl congvu_db::Connection,
    unit: UnitId,
    year: i32,
) -> Result<Option<(rounds::RoundRecord, Vec<rounds::EntryRecord>)>> {
    let Some(r) = rounds::rounds_of(db, unit, year)
        .await?
        .into_iter()
        .find(|r| r.state == RoundState::Final)
    else {
        return Ok(None);
    };
    let entries = rounds::entries(db, r.id).await?;
    Ok(Some((r, entries)))
}

/// The heaviest discipline that took effect in `year` among these people.
pub(super) async fn heaviest_discipline(
    db: &impl congvu_db::Connection,
    persons: &[PersonId],
    year: i32,
) -> Result<Option<Form>> {
    use chrono::Datelike;
    Ok(
        rounds::decided_cases(db, congvu_db::staff::Members::Persons(persons))
            .await?
            .into_iter()
            .filter(|c| c.effective_on.year() == year)
            .filter_map(|c| Form::parse(&c.form))
            .max_by_key(|f| severity(*f)),
    )
}

/// Who in a unit may be proposed for which title in a year (no reach check: the caller's).
pub(crate) async fn unit_view(
    state: &AppState,
    db: &impl congvu_db::Connection,
    unit: &UnitRecord,
    year: i32,
) -> Result<ProposalsView> {
    let round = final_round(db, unit.id, year).await?;
    let (round_id, unit_level, entries) = match &round {
        Some((r, e)) => (Some(r.id), r.unit_level, e.as_slice()),
        None => (None, None, &[][..]),
    };
    let persons: Vec<PersonId> = entries.iter().map(|e| e.person).collect();
    let outcomes: HashMap<PersonId, Outcome> =
        entries.iter().map(|e| (e.person, e.proposed)).collect();
    let people = congvu_db::staff::people(db, &persons).await?;
    let histories = histories(state, db, &people, &outcomes, year).await?;
    let mut eligible: BTreeMap<TitleKey, usize> = BTreeMap::new();
    let mut answers = Vec::new();
    let mut blocked = 0;
    for p in &people {
        let Some(h) = histories.get(&p.id) else {
            continue;
        };
        blocked += usize::from(!h.blockers.is_empty());
        let mine: Vec<Answer> = PERSONAL
            .iter()
            .filter_map(|t| state.assessment.eligible(*t, year, &h.view()))
            .collect();
        for a in mine.iter().filter(|a| a.eligible) {
            *eligible.entry(a.title).or_insert(0) += 1;
        }
        answers.push(PersonAnswers {
            person: p.id,
            full_name: p.full_name.clone(),
            classification: outcomes
                .get(&p.id)
                .copied()
                .unwrap_or(Outcome::Undetermined),
            blockers: h.blockers.clone(),
            answers: mine,
        });
    }
    let rated: Vec<&Outcome> = outcomes
        .values()
        .filter(|o| matches!(o, Outcome::Rated(_)))
        .collect();
    let registered: Vec<TitleKey> = store::registrations(db, &[unit.id.as_uuid()], year)
        .await?
        .into_iter()
        .filter_map(|(_, t)| TitleKey::parse(&t))
        .collect();
    let count = |t: TitleKey| u32::try_from(*eligible.get(&t).unwrap_or(&0)).unwrap_or(0);
    let collective_year = CollectiveYear {
        registered: &registered,
        level: unit_level,
        members: u32::try_from(rated.len()).unwrap_or(0),
        members_completed: u32::try_from(
            rated
                .iter()
                .filter(|o| o.level().is_some_and(|l| l != Level::Kht))
                .count(),
        )
        .unwrap_or(0),
        members_ldtt: count(TitleKey::Ldtt),
        members_cstdcs: count(TitleKey::Cstdcs),
        heaviest_member_discipline: heaviest_discipline(db, &persons, year).await?,
        blockers: &[],
    };
    let collective = COLLECTIVE
        .iter()
        .filter_map(|t| state.assessment.collective_eligible(*t, &collective_year))
        .collect();
    Ok(ProposalsView {
        unit: unit.id,
        year,
        classification: round_id.map(RoundId::from),
        people: answers,
        collective,
        cstdcs_cap: state.assessment.cstdcs_cap(count(TitleKey::Ldtt)),
        eligible,
        blocked,
    })
}

/// Who in a unit may be proposed for which title in a year, each answer with its reasons.
pub async fn proposals(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    year: i32,
) -> Result<ProposalsView> {
    let db = state.db.reader();
    let unit = congvu_db::unit::find(db, &actor.reach(Action::ViewEvaluation), unit).await?;
    unit_view(state, db, &unit, year).await
}

/// The answer for one subject and title now (for an award).
pub(super) async fn answer_for(
    state: &AppState,
    db: &impl congvu_db::Connection,
    subject: Awardee,
    unit: &UnitRecord,
    title: TitleKey,
    year: i32,
) -> Result<Answer> {
    let answer = match subject {
        Awardee::Unit(_) => {
            let view = unit_view(state, db, unit, year).await?;
            view.collective.into_iter().find(|a| a.title == title)
        }
        Awardee::Person(person) => {
            let outcomes = rounds::final_outcomes(db, &[person], year).await?;
            let people = congvu_db::staff::people(db, &[person]).await?;
            let histories = histories(state, db, &people, &outcomes, year).await?;
            histories
                .get(&person)
                .and_then(|h| state.assessment.eligible(title, year, &h.view()))
        }
    };
    answer.ok_or_else(|| Error::Internal(format!("no rule for title {}", title.code())))
}
