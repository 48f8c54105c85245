//! Emulation titles (brief §5, §11.5): registrations at the start of the year (unregistered
//! people and collectives are not proposed), recognised initiatives, inspections and
//! investigations in progress, the list of who may be proposed for which title with every reason
//! and source, awards with their amount (a multiple of the base salary in force on the decision
//! day) refused when the subject is not eligible, and revocation with a reason.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use congvu_core::FieldError;
use congvu_core::assessment::{Level, Outcome, severity};
use congvu_core::discipline::Form;
use congvu_core::emulation::{
    self, Answer, Blocker, CollectiveYear, Initiative, InitiativeScope, PersonHistory, Subject,
    TitleKey,
};
use congvu_core::ids::{PersonId, UnitId};
use congvu_core::policy::{Action, Actor};
use congvu_core::staff::employment_on;
use congvu_db::DbError;
use congvu_db::classification::{self as rounds, RoundState};
use congvu_db::emulation::{
    self as store, AwardRecord, InitiativeRecord, ProceedingRecord, RegistrationRecord, Revocation,
};
use congvu_db::staff::PersonRecord;
use congvu_db::unit::UnitRecord;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// The personal titles, in the order they build on each other.
const PERSONAL: [TitleKey; 4] = [
    TitleKey::Ldtt,
    TitleKey::Cstdcs,
    TitleKey::CstdTinh,
    TitleKey::CstdToanQuoc,
];
/// The collective titles.
const COLLECTIVE: [TitleKey; 2] = [TitleKey::TtLdtt, TitleKey::TtLdxs];

/// Registering a person or a collective for titles of a year.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegistrationInput {
    /// `person` or `unit`.
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub year: i32,
    /// Title codes: `ldtt`, `cstdcs`, `cstd_tinh`, `cstd_toan_quoc` for a person; `tt_ldtt`,
    /// `tt_ldxs` for a unit.
    pub titles: Vec<String>,
    pub reason: Option<String>,
}

/// A subject's registrations of a year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationView {
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub year: i32,
    pub titles: Vec<String>,
}

/// A recognised initiative.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InitiativeInput {
    pub year: i32,
    /// The level that recognised its effect: `unit`, `province` or `national`.
    pub scope: String,
    pub title: String,
    /// The recognising decision.
    pub decision: String,
    pub reason: Option<String>,
}

/// An initiative as shown.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InitiativeView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub year: i32,
    pub scope: String,
    pub title: String,
    pub decision: String,
}

/// An inspection or investigation concerning a person.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProceedingInput {
    /// `inspection` or `investigation`.
    pub kind: String,
    pub opened_on: NaiveDate,
    pub reference: String,
    pub reason: Option<String>,
}

/// The end of a proceeding.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    pub closed_on: NaiveDate,
    pub reason: Option<String>,
}

/// A proceeding as shown.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProceedingView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub kind: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub reference: String,
}

/// Recording an award decision.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AwardInput {
    /// `person` or `unit`.
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub year: i32,
    pub title: String,
    /// The decision's number and signer.
    pub decision: String,
    pub decided_on: NaiveDate,
    /// A title awarded before congvu kept that year's records (for the streaks): its
    /// eligibility is not recomputed, and it is refused once the subject has a final
    /// classification of that year in congvu.
    #[serde(default)]
    pub historic: bool,
    pub reason: Option<String>,
}

/// An award as shown.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardView {
    pub id: Uuid,
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub year: i32,
    pub title: String,
    pub decision: String,
    pub decided_on: NaiveDate,
    /// Đồng: the title's multiple of the base salary in force on `decided_on` (Decree 98/2023
    /// Art. 54); none when either is not known.
    pub amount: Option<i64>,
    pub historic: bool,
    pub revoked_on: Option<NaiveDate>,
    pub revoke_reason: Option<String>,
}

/// Revoking an award.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeInput {
    pub revoked_on: NaiveDate,
    pub reason: Option<String>,
}

/// One condition of an answer.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhyView {
    pub code: &'static str,
    pub met: bool,
    /// The condition in Vietnamese.
    pub message: String,
    /// The condition in English.
    pub message_en: String,
    pub basis: String,
}

/// Whether a subject may be proposed for a title, and why.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerView {
    pub title: &'static str,
    pub eligible: bool,
    pub reasons: Vec<WhyView>,
}

/// A person's answers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonAnswers {
    pub person_id: Uuid,
    pub full_name: String,
    /// The year's final classification.
    pub classification: &'static str,
    /// Codes of what blocks any proposal now.
    pub blockers: Vec<&'static str>,
    pub answers: Vec<AnswerView>,
}

/// Who in a unit may be proposed for which title in a year, and why the others may not.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalsView {
    pub unit_id: Uuid,
    pub year: i32,
    /// The final classification the answers read (none: the year is not finalised, nobody is
    /// rated).
    pub classification_id: Option<Uuid>,
    pub people: Vec<PersonAnswers>,
    pub collective: Vec<AnswerView>,
    /// Title code → people who may be proposed.
    pub eligible: BTreeMap<&'static str, usize>,
    /// People with at least one blocker.
    pub blocked: usize,
    /// How many CSTĐCS the unit may propose (a share of its LĐTT, data [U]).
    pub cstdcs_cap: Option<u32>,
}

fn answer_view(a: Answer) -> AnswerView {
    AnswerView {
        title: a.title.code(),
        eligible: a.eligible,
        reasons: a
            .reasons
            .into_iter()
            .map(|r| WhyView {
                code: r.code,
                met: r.met,
                message: r.message,
                message_en: r.message_en,
                basis: r.basis,
            })
            .collect(),
    }
}

fn award_view(a: AwardRecord) -> AwardView {
    AwardView {
        id: a.id,
        subject_kind: a.subject_kind,
        subject_id: a.subject,
        year: a.year,
        title: a.title,
        decision: a.decision,
        decided_on: a.decided_on,
        amount: a.amount,
        historic: a.historic,
        revoked_on: a.revoked.as_ref().map(|r| r.on),
        revoke_reason: a.revoked.map(|r| r.reason),
    }
}

fn title_arg(field: &str, code: &str, subject: Subject) -> Result<TitleKey> {
    let wanted = match subject {
        Subject::Person => &PERSONAL[..],
        Subject::Collective => &COLLECTIVE[..],
    };
    TitleKey::parse(code)
        .filter(|t| wanted.contains(t))
        .ok_or_else(|| {
            let list: Vec<&str> = wanted.iter().map(|t| t.code()).collect();
            Error::field(field, "unknown_value", &list.join(", "))
        })
}

fn subject_arg(kind: &str) -> Result<Subject> {
    match kind {
        "person" => Ok(Subject::Person),
        "unit" => Ok(Subject::Collective),
        _ => Err(Error::field(
            "subject_kind",
            "unknown_value",
            "person or unit",
        )),
    }
}

fn today(state: &AppState) -> NaiveDate {
    congvu_core::calendar::vietnam_date(state.clock.now())
}

/// A person in reach and the unit they work in today (or last worked in), where the actor must
/// be allowed `action` (404 outside reach, 403 without the role).
async fn person_for(
    state: &AppState,
    db: &impl congvu_db::Connection,
    actor: &Actor,
    person: PersonId,
    action: Action,
) -> Result<(PersonRecord, UnitRecord)> {
    let record =
        congvu_db::staff::find(db, &actor.reach(Action::ViewStaff), actor.person, person).await?;
    let slice = employment_on(&record.employments, today(state))
        .or(record.employments.last())
        .ok_or(Error::NotFound)?;
    let unit = congvu_db::unit::find(db, &actor.reach(Action::ViewUnit), slice.unit).await?;
    if !actor.may(action, &unit.path) || actor.person == Some(person) {
        return Err(Error::Forbidden(
            "only the officers of the person's unit record this, never for themselves",
        ));
    }
    Ok((record, unit))
}

/// The subject of a registration or an award: a person through their unit, or a unit.
async fn subject_unit(
    state: &AppState,
    db: &impl congvu_db::Connection,
    actor: &Actor,
    subject: Subject,
    id: Uuid,
) -> Result<UnitRecord> {
    match subject {
        Subject::Person => Ok(
            person_for(state, db, actor, id.into(), Action::ManageEmulation)
                .await?
                .1,
        ),
        Subject::Collective => {
            super::unit_for(
                state,
                actor,
                id.into(),
                Action::ManageEmulation,
                "only a unit head or emulation officer records emulation for a unit",
            )
            .await
        }
    }
}

/// Registers a person or a unit for titles of a year, within the registration window.
pub async fn register(
    state: &AppState,
    actor: &Actor,
    input: RegistrationInput,
) -> Result<RegistrationView> {
    let subject = subject_arg(&input.subject_kind)?;
    let reason = super::reason(input.reason.as_deref())?;
    if input.titles.is_empty() {
        return Err(Error::field("titles", "required", "at least one title"));
    }
    if input.titles.len() > TitleKey::ALL.len() {
        return Err(Error::field("titles", "too_many", "at most six titles"));
    }
    let mut titles = input
        .titles
        .iter()
        .enumerate()
        .map(|(i, t)| title_arg(&format!("titles[{i}]"), t, subject))
        .collect::<Result<Vec<_>>>()?;
    titles.dedup_by_key(|t| t.code());
    titles.sort_by_key(|t| t.code());
    titles.dedup();
    // Who registers comes first: an unknown subject, or one outside the caller's units, is 404
    // whatever the day.
    let txn = state.db.begin().await?;
    subject_unit(state, &txn, actor, subject, input.subject_id).await?;
    if !state.assessment.registration_open(input.year, today(state)) {
        let (m, d) = state.assessment.registration_until;
        return Err(Error::Refused {
            code: "emulation.registration_closed",
            detail: format!(
                "registrations for {} are taken from 1/12/{} to {d}/{m}/{} ({})",
                input.year,
                input.year - 1,
                input.year,
                state.assessment.registration_basis.cite()
            ),
        });
    }
    let now = state.clock.now();
    let rows: Vec<RegistrationRecord> = titles
        .iter()
        .map(|t| RegistrationRecord {
            id: Uuid::now_v7(),
            subject_kind: input.subject_kind.clone(),
            subject: input.subject_id,
            year: input.year,
            title: t.code().to_owned(),
            created_by: actor.user.as_uuid(),
            created_at: now,
        })
        .collect();
    store::insert_registrations(&txn, &rows)
        .await
        .map_err(|e| {
            super::taken(
                e,
                "titles",
                "emulation.registered",
                "already registered for this title this year",
            )
        })?;
    record(
        &txn,
        who(actor),
        "emulation.register",
        (input.subject_kind.as_str(), input.subject_id.to_string()),
        &reason,
        &serde_json::json!({ "year": input.year, "titles": titles.iter().map(|t| t.code()).collect::<Vec<_>>() }),
        now,
    )
    .await?;
    let all = store::registrations(&txn, &[input.subject_id], input.year).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(RegistrationView {
        subject_kind: input.subject_kind,
        subject_id: input.subject_id,
        year: input.year,
        titles: all.into_iter().map(|(_, t)| t).collect(),
    })
}

/// Records a recognised initiative of a person.
pub async fn add_initiative(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    input: InitiativeInput,
) -> Result<InitiativeView> {
    let scope = InitiativeScope::parse(&input.scope)
        .ok_or_else(|| Error::field("scope", "unknown_value", "unit, province or national"))?;
    let title = congvu_core::text::required("title", &input.title, 500)?;
    let decision = congvu_core::text::required("decision", &input.decision, 500)?;
    let reason = super::reason(input.reason.as_deref())?;
    if !(2000..=chrono::Datelike::year(&today(state))).contains(&input.year) {
        return Err(Error::field("year", "out_of_range", "2000 to this year"));
    }
    let txn = state.db.begin().await?;
    person_for(state, &txn, actor, person, Action::ManageEmulation).await?;
    let i = InitiativeRecord {
        id: Uuid::now_v7(),
        person,
        year: input.year,
        scope: scope.code().to_owned(),
        title,
        decision,
        created_by: actor.user.as_uuid(),
        created_at: state.clock.now(),
    };
    store::insert_initiative(&txn, &i).await?;
    record(
        &txn,
        who(actor),
        "emulation.initiative",
        ("person", person.to_string()),
        &reason,
        &serde_json::json!({ "year": i.year, "scope": i.scope, "title": i.title, "decision": i.decision }),
        i.created_at,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(InitiativeView {
        id: i.id,
        person_id: person.as_uuid(),
        year: i.year,
        scope: i.scope,
        title: i.title,
        decision: i.decision,
    })
}

fn proceeding_view(p: ProceedingRecord) -> ProceedingView {
    ProceedingView {
        id: p.id,
        person_id: p.person.as_uuid(),
        kind: p.kind,
        opened_on: p.opened_on,
        closed_on: p.closed_on,
        reference: p.reference,
    }
}

/// Records an inspection or investigation concerning a person (a blocker while it runs).
pub async fn open_proceeding(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    input: ProceedingInput,
) -> Result<ProceedingView> {
    if !["inspection", "investigation"].contains(&input.kind.as_str()) {
        return Err(Error::field(
            "kind",
            "unknown_value",
            "inspection or investigation",
        ));
    }
    let reference = congvu_core::text::required("reference", &input.reference, 500)?;
    let reason = super::reason(input.reason.as_deref())?;
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
        kind: input.kind,
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
    Ok(proceeding_view(p))
}

/// Records the end of a proceeding.
pub async fn close_proceeding(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: CloseInput,
) -> Result<ProceedingView> {
    let reason = super::reason(input.reason.as_deref())?;
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
    Ok(proceeding_view(ProceedingRecord {
        closed_on: Some(input.closed_on),
        ..p
    }))
}

/// A person's history, owned (the domain borrows it).
#[derive(Debug, Clone, Default)]
struct History {
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
async fn histories(
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
        block(
            p,
            if kind == "investigation" {
                Blocker::Investigation
            } else {
                Blocker::Inspection
            },
        );
    }
    for p in store::complaints_being_resolved(db, &ids).await? {
        block(p, Blocker::ComplaintOrDenunciation);
    }
    Ok(out)
}

/// The unit's final round of a year and its entries.
async fn final_round(
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
async fn heaviest_discipline(
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
    let mut eligible: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut answers = Vec::new();
    let mut blocked = 0;
    for p in &people {
        let Some(h) = histories.get(&p.id) else {
            continue;
        };
        blocked += usize::from(!h.blockers.is_empty());
        let mine: Vec<AnswerView> = PERSONAL
            .iter()
            .filter_map(|t| state.assessment.eligible(*t, year, &h.view()))
            .map(answer_view)
            .collect();
        for a in mine.iter().filter(|a| a.eligible) {
            *eligible.entry(a.title).or_insert(0) += 1;
        }
        answers.push(PersonAnswers {
            person_id: p.id.as_uuid(),
            full_name: p.full_name.clone(),
            classification: outcomes.get(&p.id).map_or("undetermined", |o| o.code()),
            blockers: h.blockers.iter().map(|b| b.code()).collect(),
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
    let count = |t: TitleKey| u32::try_from(*eligible.get(t.code()).unwrap_or(&0)).unwrap_or(0);
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
        .map(answer_view)
        .collect();
    Ok(ProposalsView {
        unit_id: unit.id.as_uuid(),
        year,
        classification_id: round_id,
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
async fn answer_for(
    state: &AppState,
    db: &impl congvu_db::Connection,
    subject: Subject,
    id: Uuid,
    unit: &UnitRecord,
    title: TitleKey,
    year: i32,
) -> Result<Answer> {
    let answer = match subject {
        Subject::Collective => {
            let view = unit_view(state, db, unit, year).await?;
            view.collective
                .into_iter()
                .find(|a| a.title == title.code())
                .map(|a| Answer {
                    title,
                    eligible: a.eligible,
                    reasons: a
                        .reasons
                        .into_iter()
                        .map(|r| emulation::Why {
                            code: r.code,
                            met: r.met,
                            message: r.message,
                            message_en: r.message_en,
                            basis: r.basis,
                        })
                        .collect(),
                })
        }
        Subject::Person => {
            let person = PersonId::from_uuid(id);
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

/// Records an award decision: refused with every unmet condition when the subject is not
/// eligible (422 `emulation.not_eligible`), or when the title is already awarded for the year.
pub async fn award(state: &AppState, actor: &Actor, input: AwardInput) -> Result<AwardView> {
    let subject = subject_arg(&input.subject_kind)?;
    let title = title_arg("title", &input.title, subject)?;
    let decision = congvu_core::text::required("decision", &input.decision, 500)?;
    let reason = super::reason(input.reason.as_deref())?;
    if input.decided_on > today(state) || chrono::Datelike::year(&input.decided_on) < input.year {
        return Err(Error::field(
            "decided_on",
            "invalid_date",
            "the decision day: not in the future, not before the year it rewards",
        ));
    }
    let rule = state
        .assessment
        .title(title)
        .ok_or_else(|| Error::Internal(format!("no rule for title {}", title.code())))?
        .clone();
    let txn = state.db.begin().await?;
    let unit = subject_unit(state, &txn, actor, subject, input.subject_id).await?;
    let existing = store::awards(&txn, &[input.subject_id]).await?;
    if existing
        .iter()
        .any(|a| a.year == input.year && a.title == title.code() && a.revoked.is_none())
    {
        return Err(Error::Conflict {
            code: "emulation.awarded",
            detail: format!("{} is already awarded for {}", title.code(), input.year),
        });
    }
    if input.historic {
        historic_allowed(
            &txn,
            subject,
            input.subject_id,
            &unit,
            input.year,
            chrono::Datelike::year(&today(state)),
        )
        .await?;
    } else {
        let answer = answer_for(
            state,
            &txn,
            subject,
            input.subject_id,
            &unit,
            title,
            input.year,
        )
        .await?;
        if !answer.eligible {
            return Err(Error::Breaches {
                code: "emulation.not_eligible",
                detail: format!("not eligible for {} in {}", rule.name, input.year),
                breaches: answer
                    .reasons
                    .into_iter()
                    .filter(|r| !r.met)
                    .map(|r| {
                        FieldError::new(r.code, "unmet", format!("{} ({})", r.message, r.basis))
                    })
                    .collect(),
            });
        }
    }
    if title == TitleKey::Cstdcs && subject == Subject::Person && !input.historic {
        within_cap(state, &txn, input.subject_id, input.year).await?;
    }
    let amount = emulation::award_amount(&rule, &state.assessment.base_salaries, input.decided_on)
        .and_then(|a| i64::try_from(a).ok());
    let a = AwardRecord {
        id: Uuid::now_v7(),
        subject_kind: input.subject_kind.clone(),
        subject: input.subject_id,
        year: input.year,
        title: title.code().to_owned(),
        decision,
        decided_on: input.decided_on,
        amount,
        created_by: actor.user.as_uuid(),
        created_at: state.clock.now(),
        historic: input.historic,
        revoked: None,
    };
    store::insert_award(&txn, &a).await.map_err(|e| {
        super::taken(
            e,
            "title",
            "emulation.awarded",
            "already awarded for this year",
        )
    })?;
    record(
        &txn,
        who(actor),
        "emulation.award",
        ("award", a.id.to_string()),
        &reason,
        &serde_json::json!({
            "subject_kind": a.subject_kind, "subject_id": a.subject, "year": a.year,
            "title": a.title, "decision": a.decision, "decided_on": a.decided_on, "amount": a.amount,
            "historic": a.historic,
        }),
        a.created_at,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(award_view(a))
}

/// CSTĐCS awards of a unit's year stay within the cap (a share of its LĐTT, data [U]); the
/// unit's final round is locked so two awards at once cannot both pass.
async fn within_cap(
    state: &AppState,
    txn: &congvu_db::Transaction,
    person: Uuid,
    year: i32,
) -> Result<()> {
    let Some(round) = rounds::final_round_of(txn, PersonId::from_uuid(person), year).await? else {
        return Ok(());
    };
    rounds::find_round(txn, round.id, true).await?;
    let unit = congvu_db::unit::find(txn, &congvu_core::policy::Reach::All, round.unit).await?;
    let view = unit_view(state, txn, &unit, year).await?;
    let Some(cap) = view.cstdcs_cap else {
        return Ok(());
    };
    let members: Vec<Uuid> = view.people.iter().map(|p| p.person_id).collect();
    let standing = store::awards(txn, &members)
        .await?
        .into_iter()
        .filter(|a| a.year == year && a.title == TitleKey::Cstdcs.code() && a.revoked.is_none())
        .count();
    if standing >= cap as usize {
        return Err(Error::Conflict {
            code: "emulation.cstdcs_cap",
            detail: format!(
                "{standing} CSTĐCS already awarded in {} for {year}; the cap is {cap} ({}% of its LĐTT, data)",
                unit.name,
                state
                    .assessment
                    .title(TitleKey::Cstdcs)
                    .and_then(|r| r.cap_share_of_ldtt_pct)
                    .unwrap_or(0)
            ),
        });
    }
    Ok(())
}

/// A historic award is for a past year congvu holds no final classification of for the subject.
async fn historic_allowed(
    db: &impl congvu_db::Connection,
    subject: Subject,
    id: Uuid,
    unit: &UnitRecord,
    year: i32,
    today: i32,
) -> Result<()> {
    let kept = match subject {
        Subject::Person => !rounds::final_outcomes(db, &[PersonId::from_uuid(id)], year)
            .await?
            .is_empty(),
        Subject::Collective => final_round(db, unit.id, year).await?.is_some(),
    };
    if kept || year >= today {
        return Err(Error::Refused {
            code: "emulation.not_historic",
            detail: format!(
                "a historic award is for a past year whose classification congvu does not hold; {year}'s eligibility is checked"
            ),
        });
    }
    Ok(())
}

/// Revokes an award, with its reason (the title no longer counts in streaks).
pub async fn revoke(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: RevokeInput,
) -> Result<AwardView> {
    let reason = super::reason(input.reason.as_deref())?;
    let txn = state.db.begin().await?;
    let a = store::find_award(&txn, id, true).await?;
    let subject = subject_arg(&a.subject_kind)?;
    subject_unit(state, &txn, actor, subject, a.subject).await?;
    if a.revoked.is_some() {
        return Err(Error::Conflict {
            code: "emulation.revoked",
            detail: "the award is already revoked".into(),
        });
    }
    if input.revoked_on < a.decided_on || input.revoked_on > today(state) {
        return Err(Error::field(
            "revoked_on",
            "invalid_date",
            "between the decision and today",
        ));
    }
    let revocation = Revocation {
        on: input.revoked_on,
        reason: reason.clone(),
        by: actor.user.as_uuid(),
    };
    store::revoke_award(&txn, id, &revocation).await?;
    record(
        &txn,
        who(actor),
        "emulation.revoke",
        ("award", id.to_string()),
        &reason,
        &serde_json::json!({ "revoked_on": input.revoked_on }),
        state.clock.now(),
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(award_view(AwardRecord {
        revoked: Some(revocation),
        ..a
    }))
}

/// A person's awards, revoked ones included.
pub async fn awards_of(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
) -> Result<Vec<AwardView>> {
    let db = state.db.reader();
    congvu_db::staff::find(
        db,
        &actor.reach(Action::ViewEvaluation),
        actor.person,
        person,
    )
    .await?;
    Ok(store::awards(db, &[person.as_uuid()])
        .await?
        .into_iter()
        .map(award_view)
        .collect())
}
