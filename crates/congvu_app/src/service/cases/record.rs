//! A case's documents, a staff member's discipline record (violations, cases, decisions with their
//! effect and repeat window) and the relationships staff declare for the council's conflict check.

use super::facts::{effects, standing};
use super::{Needs, for_change};
use crate::error::{Error, Result};
use crate::service::{record, who};
use crate::state::AppState;
use chrono::NaiveDate;
use congvu_core::discipline::particulars::DocumentKind;
use congvu_core::ids::{PersonId, UnitId};
use congvu_core::policy::{Action, Actor};
use congvu_db::DbError;
use congvu_db::case::{CaseRecord, DecisionRecord};
use congvu_db::violation::{EvidenceRecord, ViolationRecord};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// Stores a document of the case.
#[expect(
    clippy::too_many_arguments,
    reason = "a document arrives with its kind, name, type, bytes and reason"
)]
pub async fn add_document(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
    kind: DocumentKind,
    filename: &str,
    content_type: &'static str,
    data: Vec<u8>,
    reason: &str,
) -> Result<(String, EvidenceRecord)> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    for_change(state, actor, &txn, id, Needs::Officer).await?;
    let record_ = EvidenceRecord {
        id: Uuid::now_v7(),
        filename: filename.to_owned(),
        content_type: content_type.to_owned(),
        size: i64::try_from(data.len()).map_err(|_| Error::TooLarge)?,
        sha256: congvu_core::audit::digest_bytes(&data),
        uploaded_by: actor.user,
        at: now,
    };
    congvu_db::case::insert_document(&txn, id, kind.code(), &record_, data).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        document_id: Uuid,
        kind: &'a str,
        filename: &'a str,
        size: i64,
        sha256: &'a str,
    }
    record(
        &txn,
        who(actor),
        "case.document",
        ("case", id.to_string()),
        reason,
        &Change {
            document_id: record_.id,
            kind: kind.code(),
            filename: &record_.filename,
            size: record_.size,
            sha256: &record_.sha256,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok((kind.code().to_owned(), record_))
}

/// The documents of a case in reach.
pub async fn documents(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
) -> Result<Vec<(String, EvidenceRecord)>> {
    let id = id.as_uuid();
    congvu_db::case::find(state.db.reader(), &actor.reach(Action::ViewViolation), id).await?;
    congvu_db::case::documents(state.db.reader(), id)
        .await
        .map_err(Error::from)
}

/// One document of a case in reach, with its bytes.
pub async fn document_file(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CaseId,
    document: congvu_core::ids::DocumentId,
) -> Result<(EvidenceRecord, Vec<u8>)> {
    let id = id.as_uuid();
    let document = document.as_uuid();
    congvu_db::case::find(state.db.reader(), &actor.reach(Action::ViewViolation), id).await?;
    congvu_db::case::document_file(state.db.reader(), id, document)
        .await
        .map_err(Error::from)
}

/// A decision as the staff record shows it.
#[derive(Debug, Clone)]
pub struct DecisionEntry {
    pub case: Uuid,
    pub decision: DecisionRecord,
    pub effect: Option<congvu_core::discipline::EffectEnd>,
    pub in_effect: bool,
    /// The last day of the repeat-offence window (12 months from taking effect).
    pub repeat_window_until: Option<NaiveDate>,
    pub item_codes: Vec<String>,
    /// `None` when the person's category on the day of signing is unknown.
    pub knock: Option<congvu_core::discipline::Knock>,
}

/// A staff member's discipline record on a day.
#[derive(Debug, Clone)]
pub struct StaffRecord {
    pub person: PersonId,
    pub on: NaiveDate,
    pub violations: Vec<ViolationRecord>,
    pub cases: Vec<CaseRecord>,
    /// Decisions that stand (not annulled), with their effect on `on`.
    pub decisions: Vec<DecisionEntry>,
}

/// The discipline record of a staff member in reach.
pub async fn staff_record(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    on: NaiveDate,
) -> Result<StaffRecord> {
    let db = state.db.reader();
    // A staff member reads their own record whole (issue 20 §8: their personal data).
    let own = actor.person == Some(person);
    let reach = if own {
        congvu_core::policy::Reach::All
    } else {
        actor.reach(Action::ViewViolation)
    };
    let person_record = congvu_db::staff::find(db, &reach, None, person).await?;
    let violations = congvu_db::violation::of_person(db, person).await?;
    let cases = congvu_db::case::of_person(db, person).await?;
    // Only what the caller may see: violations and cases of units in reach. The effect of a
    // decision is computed from every act (it is the person's legal standing), but the item codes
    // shown come only from visible violations.
    let mut units: Vec<UnitId> = violations.iter().map(|v| v.unit).collect();
    units.extend(cases.iter().map(|c| c.unit));
    let seen = congvu_db::unit::in_reach(db, &reach, &units).await?;
    let visible_cases: Vec<Uuid> = cases
        .iter()
        .filter(|c| seen.contains(&c.unit))
        .map(|c| c.id)
        .collect();
    let by_id: HashMap<Uuid, &ViolationRecord> = violations
        .iter()
        .filter(|v| seen.contains(&v.unit))
        .map(|v| (v.id, v))
        .collect();
    let decisions: Vec<DecisionEntry> = effects(state, &cases, &violations)
        .into_iter()
        .filter(|(case_id, _, _)| visible_cases.contains(case_id))
        .filter_map(|(case_id, decision, effect)| {
            let case = cases.iter().find(|c| c.id == case_id)?;
            let knock = standing(&person_record.employments, decision.signed_on).map(|e| {
                state
                    .consequences
                    .of(&case.regime, e.category, decision.form)
            });
            let mut item_codes: Vec<String> = case
                .violations
                .iter()
                .filter_map(|cv| by_id.get(&cv.violation).map(|v| v.item_code.clone()))
                .collect();
            item_codes.sort();
            item_codes.dedup();
            Some(DecisionEntry {
                case: case_id,
                in_effect: effect.is_some_and(|e| e.covers(decision.effective_on, on)),
                repeat_window_until: congvu_core::discipline::effect_ends(
                    decision.effective_on,
                    state.discipline.repeat_window_months,
                ),
                knock,
                effect,
                decision,
                item_codes,
            })
        })
        .collect();
    Ok(StaffRecord {
        person,
        on,
        violations: violations
            .into_iter()
            .filter(|v| seen.contains(&v.unit))
            .collect(),
        cases: cases
            .into_iter()
            .filter(|c| visible_cases.contains(&c.id))
            .collect(),
        decisions,
    })
}

/// The kinds of relationship that bar someone from a person's council (234/2026 Art. 2(11)).
pub const RELATION_KINDS: [&str; 10] = [
    "spouse",
    "parent",
    "parent_in_law",
    "adoptive_parent",
    "child",
    "sibling",
    "aunt_or_uncle",
    "spouse_sibling",
    "sibling_spouse",
    "interested",
];

/// Records a relationship a staff member declared (HR officer of their unit).
pub async fn declare_relation(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    relative: PersonId,
    kind: &str,
    reason: &str,
) -> Result<Vec<congvu_db::case::RelationRecord>> {
    if person == relative {
        return Err(Error::field(
            "relative_id",
            "same_person",
            "a person is not their own relative",
        ));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::staff::find(&txn, &actor.reach(Action::ManageStaff), None, person).await?;
    congvu_db::staff::find(&txn, &actor.reach(Action::ViewStaff), None, relative)
        .await
        .map_err(|_| {
            Error::field(
                "relative_id",
                "not_found",
                "no such staff member in your units",
            )
        })?;
    let relation = congvu_db::case::RelationRecord {
        id: Uuid::now_v7(),
        person,
        relative,
        kind: kind.to_owned(),
        recorded_by: actor.user,
        at: now,
    };
    congvu_db::case::insert_relation(&txn, &relation)
        .await
        .map_err(|e| {
            crate::service::taken(
                e,
                "relative_id",
                "relation.exists",
                "this relationship is already declared",
            )
        })?;
    #[derive(Serialize)]
    struct Change<'a> {
        relation_id: Uuid,
        relative_id: Uuid,
        kind: &'a str,
    }
    record(
        &txn,
        who(actor),
        "staff.relation",
        ("person", person.to_string()),
        reason,
        &Change {
            relation_id: relation.id,
            relative_id: relative.as_uuid(),
            kind,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    relations(state, actor, person).await
}

/// The relationships declared by or about a staff member in reach, with relatives the caller can
/// see (a relative working elsewhere is not named to other units).
pub async fn relations(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
) -> Result<Vec<congvu_db::case::RelationRecord>> {
    let db = state.db.reader();
    let reach = actor.reach(Action::ViewStaff);
    congvu_db::staff::find(db, &reach, None, person).await?;
    let mut visible = Vec::new();
    for r in congvu_db::case::relations(db, person).await? {
        let other = if r.person == person {
            r.relative
        } else {
            r.person
        };
        match congvu_db::staff::find(db, &reach, None, other).await {
            Ok(_) => visible.push(r),
            Err(DbError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(visible)
}
