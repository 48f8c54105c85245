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
    self, Answer, Blocker, CollectiveYear, Initiative, InitiativeScope, PersonHistory,
    ProceedingKind, Subject, TitleKey,
};
use congvu_core::ids::{AwardId, InitiativeId, PersonId, ProceedingId, RoundId, UnitId};
use congvu_core::policy::{Action, Actor};
use congvu_core::staff::employment_on;
use congvu_db::DbError;
use congvu_db::classification::{self as rounds, RoundState};
use congvu_db::emulation::{
    self as store, AwardRecord, InitiativeRecord, ProceedingRecord, RegistrationRecord, Revocation,
};
use congvu_db::staff::PersonRecord;
use congvu_db::unit::UnitRecord;
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

mod awards;
mod eligibility;
mod proceedings;
mod registration;

pub use awards::*;
pub use eligibility::*;
pub use proceedings::*;
pub use registration::*;

/// The personal titles, in the order they build on each other.
const PERSONAL: [TitleKey; 4] = [
    TitleKey::Ldtt,
    TitleKey::Cstdcs,
    TitleKey::CstdTinh,
    TitleKey::CstdToanQuoc,
];
/// The collective titles.
const COLLECTIVE: [TitleKey; 2] = [TitleKey::TtLdtt, TitleKey::TtLdxs];

/// Who a registration or an award is for: a person, or a unit as a collective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Awardee {
    Person(PersonId),
    Unit(UnitId),
}

impl Awardee {
    /// The kind of subject the title rules read.
    pub const fn subject(self) -> Subject {
        match self {
            Self::Person(_) => Subject::Person,
            Self::Unit(_) => Subject::Collective,
        }
    }

    /// `person` or `unit`, as stored and audited.
    pub const fn kind_code(self) -> &'static str {
        match self {
            Self::Person(_) => "person",
            Self::Unit(_) => "unit",
        }
    }

    pub fn as_uuid(self) -> Uuid {
        match self {
            Self::Person(p) => p.as_uuid(),
            Self::Unit(u) => u.as_uuid(),
        }
    }

    /// The subject of a stored row (`person` or `unit` and its id).
    fn stored(kind: &str, id: Uuid) -> Result<Self> {
        match kind {
            "person" => Ok(Self::Person(id.into())),
            "unit" => Ok(Self::Unit(id.into())),
            other => Err(Error::Internal(format!("stored subject kind {other:?}"))),
        }
    }
}

/// Registering a person or a collective for titles of a year.
#[derive(Debug, Clone)]
pub struct Registration {
    pub subject: Awardee,
    pub year: i32,
    /// Personal titles for a person, collective titles for a unit.
    pub titles: Vec<TitleKey>,
    pub reason: Option<String>,
}

/// A subject's registrations of a year.
#[derive(Debug, Clone)]
pub struct RegistrationView {
    pub subject: Awardee,
    pub year: i32,
    pub titles: Vec<TitleKey>,
}

/// A recognised initiative.
#[derive(Debug, Clone)]
pub struct NewInitiative {
    pub year: i32,
    /// The level that recognised its effect.
    pub scope: InitiativeScope,
    pub title: String,
    /// The recognising decision.
    pub decision: String,
    pub reason: Option<String>,
}

/// An initiative as recorded.
#[derive(Debug, Clone)]
pub struct InitiativeView {
    pub id: InitiativeId,
    pub person: PersonId,
    pub year: i32,
    pub scope: InitiativeScope,
    pub title: String,
    pub decision: String,
}

/// An inspection or investigation concerning a person.
#[derive(Debug, Clone)]
pub struct NewProceeding {
    pub kind: ProceedingKind,
    pub opened_on: NaiveDate,
    pub reference: String,
    pub reason: Option<String>,
}

/// The end of a proceeding.
#[derive(Debug, Clone)]
pub struct Closing {
    pub closed_on: NaiveDate,
    pub reason: Option<String>,
}

/// A proceeding as recorded.
#[derive(Debug, Clone)]
pub struct ProceedingView {
    pub id: ProceedingId,
    pub person: PersonId,
    pub kind: ProceedingKind,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub reference: String,
}

/// Recording an award decision.
#[derive(Debug, Clone)]
pub struct NewAward {
    pub subject: Awardee,
    pub year: i32,
    pub title: TitleKey,
    /// The decision's number and signer.
    pub decision: String,
    pub decided_on: NaiveDate,
    /// A title awarded before congvu kept that year's records (for the streaks): its
    /// eligibility is not recomputed, and it is refused once the subject has a final
    /// classification of that year in congvu.
    pub historic: bool,
    pub reason: Option<String>,
}

/// An award as recorded.
#[derive(Debug, Clone)]
pub struct AwardView {
    pub id: AwardId,
    pub subject: Awardee,
    pub year: i32,
    pub title: TitleKey,
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
#[derive(Debug, Clone)]
pub struct Revoking {
    pub revoked_on: NaiveDate,
    pub reason: Option<String>,
}

/// A person's answers.
#[derive(Debug, Clone)]
pub struct PersonAnswers {
    pub person: PersonId,
    pub full_name: String,
    /// The year's final classification.
    pub classification: Outcome,
    /// What blocks any proposal now.
    pub blockers: Vec<Blocker>,
    pub answers: Vec<Answer>,
}

/// Who in a unit may be proposed for which title in a year, and why the others may not.
#[derive(Debug, Clone)]
pub struct ProposalsView {
    pub unit: UnitId,
    pub year: i32,
    /// The final classification the answers read (none: the year is not finalised, nobody is
    /// rated).
    pub classification: Option<RoundId>,
    pub people: Vec<PersonAnswers>,
    pub collective: Vec<Answer>,
    /// Title → people who may be proposed.
    pub eligible: BTreeMap<TitleKey, usize>,
    /// People with at least one blocker.
    pub blocked: usize,
    /// How many CSTĐCS the unit may propose (a share of its LĐTT, data [U]).
    pub cstdcs_cap: Option<u32>,
}

/// A title of the subject's kind (personal titles for a person, collective ones for a unit).
fn title_for(field: &str, title: TitleKey, subject: Subject) -> Result<TitleKey> {
    let wanted = match subject {
        Subject::Person => &PERSONAL[..],
        Subject::Collective => &COLLECTIVE[..],
    };
    if wanted.contains(&title) {
        return Ok(title);
    }
    let list: Vec<&str> = wanted.iter().map(|t| t.code()).collect();
    Err(Error::field(field, "unknown_value", &list.join(", ")))
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
    subject: Awardee,
) -> Result<UnitRecord> {
    match subject {
        Awardee::Person(person) => {
            Ok(
                person_for(state, db, actor, person, Action::ManageEmulation)
                    .await?
                    .1,
            )
        }
        Awardee::Unit(unit) => {
            super::unit_for(
                state,
                actor,
                unit,
                Action::ManageEmulation,
                "only a unit head or emulation officer records emulation for a unit",
            )
            .await
        }
    }
}
