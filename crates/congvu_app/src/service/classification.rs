//! Year-end classification (brief §4.3–§4.6, §11.4 items 19–21): an emulation officer or unit
//! head opens the unit's year and congvu proposes each member's result from their evaluations,
//! discipline decisions, months worked, leave and recorded conclusions; officers override with a
//! reason and set peer groups; the unit's managing body gives the unit's own rating; the quotas
//! are checked per peer group and across the units below, every breach named; only a valid set is
//! finalised, by the unit's own head; each person is told by mail and the result is published to
//! the unit. A later correction is a new round that replaces the final one when it is finalised.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use congvu_core::FieldError;
use congvu_core::assessment::quota::{self, Proposal};
use congvu_core::assessment::worktime::{self, Stretch};
use congvu_core::assessment::{
    self, Aggregation, Classification, CriteriaResult, DisciplineFact, Level, Outcome, Period,
    PersonYear, Score,
};
use congvu_core::discipline::Form;
use congvu_core::ids::{CaseId, FactId, PersonId, RoundId, UnitId};
use congvu_core::legal::{RegimeDomain, regime_in_force};
use congvu_core::policy::{Action, Actor, Role};
use congvu_core::staff::{Employment, employment_on};
use congvu_db::DbError;
use congvu_db::classification::{
    self as store, DecidedCase, EntryRecord, FactKind, FactRecord, RoundRecord, RoundState,
    StoredReason,
};
use congvu_db::outbox::{self, Message};
use congvu_db::staff::{Members, PersonRecord};
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

mod compute;
mod decide;
mod facts;
mod open;
mod read;

use compute::*;
pub use decide::*;
pub use facts::*;
pub use open::*;
pub use read::*;

/// The peer group everyone starts in until an officer sets another.
pub use congvu_core::assessment::quota::DEFAULT_GROUP;

/// Opening a unit's year (or a subtree's).
#[derive(Debug, Clone)]
pub struct Opening {
    pub year: i32,
    pub reason: Option<String>,
}

/// A change to one person's entry in a draft.
#[derive(Debug, Clone, Default)]
pub struct EntryChange {
    /// A result other than the computed one needs the reason; never `Undetermined`.
    pub proposed: Option<Outcome>,
    /// People with similar tasks, rated together (the quota is checked per group).
    pub peer_group: Option<String>,
    /// Whether the person is the unit's head (their rating may not exceed the unit's).
    pub is_head: Option<bool>,
    /// The discipline case a KHT rests on before its decision year (it will not count again).
    pub used_case: Option<CaseId>,
    pub reason: Option<String>,
}

/// The unit's own rating, given by its managing body.
#[derive(Debug, Clone)]
pub struct UnitRating {
    pub level: Level,
    pub reason: Option<String>,
}

/// A fact the classification reads that lives nowhere else.
#[derive(Debug, Clone)]
pub struct NewFact {
    pub year: i32,
    pub kind: FactKind,
    /// Leave only: the first and last day.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The document it rests on.
    pub reference: String,
    pub reason: Option<String>,
}

/// A stored fact.
#[derive(Debug, Clone)]
pub struct FactView {
    pub id: FactId,
    pub person: PersonId,
    pub year: i32,
    pub kind: FactKind,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub reference: String,
}

/// One person's entry.
#[derive(Debug, Clone)]
pub struct EntryView {
    pub person: PersonId,
    pub full_name: String,
    pub peer_group: String,
    pub is_head: bool,
    /// What congvu computed, and why.
    pub computed: Outcome,
    pub reasons: Vec<StoredReason>,
    /// What the officers propose (the computed result unless overridden).
    pub proposed: Outcome,
    pub override_reason: Option<String>,
    pub used_case: Option<CaseId>,
}

/// Where a breach lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreachScope {
    /// A peer group of the round.
    Group(String),
    Person(PersonId),
    /// The units below, rated together.
    Units,
    /// The units beside, rated together under the same parent.
    Siblings,
}

/// `group:<name>`, `person:<id>`, `units` or `siblings`, as breaches are named in errors.
impl std::fmt::Display for BreachScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Group(g) => write!(f, "group:{g}"),
            Self::Person(p) => write!(f, "person:{p}"),
            Self::Units => f.write_str("units"),
            Self::Siblings => f.write_str("siblings"),
        }
    }
}

/// One breach of the rules that stops finalisation.
#[derive(Debug, Clone)]
pub struct Breach {
    pub scope: BreachScope,
    pub code: &'static str,
    /// The breach in Vietnamese.
    pub message: String,
    /// The breach in English.
    pub message_en: String,
}

/// A round with its entries and its validation.
#[derive(Debug, Clone)]
pub struct RoundView {
    pub id: RoundId,
    pub unit: UnitId,
    pub year: i32,
    pub version: i32,
    pub state: RoundState,
    pub unit_level: Option<Level>,
    pub replaces: Option<RoundId>,
    pub reason: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finalised_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Result → number of people proposed.
    pub counts: BTreeMap<Outcome, usize>,
    pub entries: Vec<EntryView>,
    /// Every breach of the quotas and of completeness; empty when the set may be finalised.
    pub breaches: Vec<Breach>,
    pub valid: bool,
}

/// A unit's published result: names and levels only.
#[derive(Debug, Clone)]
pub struct PublishedView {
    pub unit: UnitId,
    pub year: i32,
    pub round: RoundId,
    pub version: i32,
    pub finalised_at: Option<chrono::DateTime<chrono::Utc>>,
    pub results: Vec<PublishedEntry>,
}

/// One line of a published result.
#[derive(Debug, Clone)]
pub struct PublishedEntry {
    pub full_name: String,
    pub result: Outcome,
}

/// The day the membership of a round is read on: the year's last day, or today while it runs.
fn reference_day(state: &AppState, year: i32) -> Result<NaiveDate> {
    let today = congvu_core::calendar::vietnam_date(state.clock.now());
    if year < 2000 {
        return Err(Error::field("year", "out_of_range", "2000 or later"));
    }
    if year > today.year() {
        return Err(Error::field(
            "year",
            "not_started",
            "a year is classified once it has started",
        ));
    }
    let end = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| Error::field("year", "out_of_range", "2000 or later"))?;
    Ok(end.min(today))
}
