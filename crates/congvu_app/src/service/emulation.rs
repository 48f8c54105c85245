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
