//! The wire shapes of classification: bodies parsed into the use cases' inputs (result, level and
//! fact codes to enums), and rounds, entries, breaches and published results as JSON.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use congvu_app::service::classification::{
    Breach, EntryChange, EntryView, FactView, NewFact, OpenedRound, Opening, PublishedView,
    RoundView, SubtreeView, UnitRating,
};
use congvu_core::assessment::{Level, Outcome};
use congvu_db::classification::FactKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Result;
use crate::routes::common::{Params, by_code, parsed};

/// A year's result.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeCode {
    Htxs,
    Htt,
    Ht,
    Kht,
    NotRated,
    Undetermined,
}

/// A result officers may propose.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProposalCode {
    Htxs,
    Htt,
    Ht,
    Kht,
    NotRated,
}

/// A level of classification.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LevelCode {
    Htxs,
    Htt,
    Ht,
    Kht,
}

/// A round's state.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundStateCode {
    Draft,
    Final,
    Replaced,
}

/// What a recorded fact is.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactKindCode {
    LeaveProtected,
    LeaveUnpaid,
    Degeneration,
    ManagedUnitCorruption,
    CorruptionSelfRemedied,
}

/// Opening a unit's year.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenInput {
    pub year: i32,
    pub reason: Option<String>,
}

impl From<OpenInput> for Opening {
    fn from(o: OpenInput) -> Self {
        Self {
            year: o.year,
            reason: o.reason,
        }
    }
}

/// A change to one person's entry in a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    /// A result other than the computed one needs the reason.
    #[schema(value_type = Option<ProposalCode>)]
    pub proposed: Option<String>,
    /// People with similar tasks, rated together (the quota is checked per group).
    pub peer_group: Option<String>,
    /// Whether the person is the unit's head (their rating may not exceed the unit's).
    pub is_head: Option<bool>,
    /// The discipline case a KHT rests on before its decision year (it will not count again).
    pub used_case_id: Option<Uuid>,
    pub reason: Option<String>,
}

impl EntryInput {
    pub fn parse(self) -> Result<EntryChange> {
        let mut p = Params::default();
        let proposed = p.code(
            "proposed",
            self.proposed.as_deref(),
            |c| Outcome::parse(c).filter(|o| *o != Outcome::Undetermined),
            "htxs, htt, ht, kht, not_rated",
        );
        p.finish()?;
        Ok(EntryChange {
            proposed,
            peer_group: self.peer_group,
            is_head: self.is_head,
            used_case: self.used_case_id.map(Into::into),
            reason: self.reason,
        })
    }
}

/// The unit's own rating, given by its managing body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitLevelInput {
    #[schema(value_type = LevelCode)]
    pub level: String,
    pub reason: Option<String>,
}

impl UnitLevelInput {
    pub fn parse(self) -> Result<UnitRating> {
        let mut p = Params::default();
        let level = p.code(
            "level",
            Some(&self.level),
            Level::parse,
            "htxs, htt, ht, kht",
        );
        p.finish()?;
        Ok(UnitRating {
            level: parsed(level)?,
            reason: self.reason,
        })
    }
}

/// A fact the classification reads that lives nowhere else.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FactInput {
    pub year: i32,
    #[schema(value_type = FactKindCode)]
    pub kind: String,
    /// Leave only: the first and last day.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The document it rests on.
    pub reference: String,
    pub reason: Option<String>,
}

impl FactInput {
    pub fn parse(self) -> Result<NewFact> {
        let mut p = Params::default();
        let kind = p.code(
            "kind",
            Some(&self.kind),
            FactKind::parse,
            "leave_protected, leave_unpaid, degeneration, managed_unit_corruption, corruption_self_remedied",
        );
        p.finish()?;
        Ok(NewFact {
            year: self.year,
            kind: parsed(kind)?,
            from: self.from,
            to: self.to,
            reference: self.reference,
            reason: self.reason,
        })
    }
}

/// A stored fact.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    pub year: i32,
    #[schema(value_type = FactKindCode)]
    pub kind: &'static str,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub reference: String,
}

impl From<FactView> for FactResponse {
    fn from(f: FactView) -> Self {
        Self {
            id: f.id.as_uuid(),
            person_id: f.person.as_uuid(),
            year: f.year,
            kind: f.kind.code(),
            from: f.from,
            to: f.to,
            reference: f.reference,
        }
    }
}

/// Why a result was computed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonView {
    pub code: String,
    /// The sentence in Vietnamese.
    pub message: String,
    /// The sentence in English (empty for rounds computed before reasons were bilingual).
    pub message_en: String,
    /// The legal source and its confidence tag.
    pub basis: String,
}

/// One person's entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryResponse {
    pub person_id: Uuid,
    pub full_name: String,
    pub peer_group: String,
    pub is_head: bool,
    /// What congvu computed.
    #[schema(value_type = OutcomeCode)]
    pub computed: &'static str,
    pub reasons: Vec<ReasonView>,
    /// What the officers propose (the computed result unless overridden).
    #[schema(value_type = OutcomeCode)]
    pub proposed: &'static str,
    pub override_reason: Option<String>,
    pub used_case_id: Option<Uuid>,
}

impl From<EntryView> for EntryResponse {
    fn from(e: EntryView) -> Self {
        Self {
            person_id: e.person.as_uuid(),
            full_name: e.full_name,
            peer_group: e.peer_group,
            is_head: e.is_head,
            computed: e.computed.code(),
            reasons: e
                .reasons
                .into_iter()
                .map(|r| ReasonView {
                    code: r.code,
                    message: r.message,
                    message_en: r.message_en,
                    basis: r.basis,
                })
                .collect(),
            proposed: e.proposed.code(),
            override_reason: e.override_reason,
            used_case_id: e.used_case.map(|c| c.as_uuid()),
        }
    }
}

/// One breach of the rules that stops finalisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct BreachView {
    /// Where: `group:<name>`, `person:<id>`, `units` or `siblings`.
    pub scope: String,
    pub code: &'static str,
    /// The breach in Vietnamese.
    pub message: String,
    /// The breach in English.
    pub message_en: String,
}

impl From<Breach> for BreachView {
    fn from(b: Breach) -> Self {
        Self {
            scope: b.scope.to_string(),
            code: b.code,
            message: b.message,
            message_en: b.message_en,
        }
    }
}

/// A round with its entries and its validation.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundResponse {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub version: i32,
    #[schema(value_type = RoundStateCode)]
    pub state: &'static str,
    #[schema(value_type = Option<LevelCode>)]
    pub unit_level: Option<&'static str>,
    pub replaces: Option<Uuid>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub finalised_at: Option<DateTime<Utc>>,
    /// Result code → number of people proposed.
    pub counts: BTreeMap<&'static str, usize>,
    pub entries: Vec<EntryResponse>,
    /// Every breach of the quotas and of completeness; empty when the set may be finalised.
    pub breaches: Vec<BreachView>,
    pub valid: bool,
}

impl From<RoundView> for RoundResponse {
    fn from(r: RoundView) -> Self {
        Self {
            id: r.id.as_uuid(),
            unit_id: r.unit.as_uuid(),
            year: r.year,
            version: r.version,
            state: r.state.code(),
            unit_level: r.unit_level.map(Level::code),
            replaces: r.replaces.map(|x| x.as_uuid()),
            reason: r.reason,
            created_at: r.created_at,
            finalised_at: r.finalised_at,
            counts: by_code(&r.counts, Outcome::code),
            entries: r.entries.into_iter().map(EntryResponse::from).collect(),
            breaches: r.breaches.into_iter().map(BreachView::from).collect(),
            valid: r.valid,
        }
    }
}

/// A unit's published result: names and levels only.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedResponse {
    pub unit_id: Uuid,
    pub year: i32,
    pub round_id: Uuid,
    pub version: i32,
    pub finalised_at: Option<DateTime<Utc>>,
    pub results: Vec<PublishedEntryView>,
}

/// One line of a published result.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedEntryView {
    pub full_name: String,
    #[schema(value_type = OutcomeCode)]
    pub result: &'static str,
}

impl From<PublishedView> for PublishedResponse {
    fn from(p: PublishedView) -> Self {
        Self {
            unit_id: p.unit.as_uuid(),
            year: p.year,
            round_id: p.round.as_uuid(),
            version: p.version,
            finalised_at: p.finalised_at,
            results: p
                .results
                .into_iter()
                .map(|e| PublishedEntryView {
                    full_name: e.full_name,
                    result: e.result.code(),
                })
                .collect(),
        }
    }
}

/// One unit's round opened with its subtree.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedRoundView {
    pub unit_id: Uuid,
    pub round_id: Uuid,
    pub people: usize,
    pub counts: BTreeMap<&'static str, usize>,
    /// Breaches of the round's own proposals (quotas per peer group, undetermined results); the
    /// round's view adds those that depend on other rounds.
    pub breaches: usize,
}

impl From<OpenedRound> for OpenedRoundView {
    fn from(o: OpenedRound) -> Self {
        Self {
            unit_id: o.unit.as_uuid(),
            round_id: o.round.as_uuid(),
            people: o.people,
            counts: by_code(&o.counts, Outcome::code),
            breaches: o.breaches,
        }
    }
}

/// What opening a subtree's year did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubtreeResponse {
    pub year: i32,
    pub opened: Vec<OpenedRoundView>,
    /// Units whose year already had a draft or final round, left as they were.
    pub skipped: Vec<Uuid>,
}

impl From<SubtreeView> for SubtreeResponse {
    fn from(s: SubtreeView) -> Self {
        Self {
            year: s.year,
            opened: s.opened.into_iter().map(OpenedRoundView::from).collect(),
            skipped: s.skipped.iter().map(|u| u.as_uuid()).collect(),
        }
    }
}
