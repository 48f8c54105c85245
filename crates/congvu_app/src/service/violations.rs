//! Violations: record one against a staff member's code item (pinned to the code set version in
//! force for their unit on the day of the act), read in scope, move through verification, notes.

use congvu_core::calendar::vietnam_date;
use congvu_core::codeset::Status as SetStatus;
use congvu_core::ids::{CodeSetId, PersonId, UnitId};
use congvu_core::policy::{Action, Actor};
use congvu_core::staff::employment_on;
use congvu_core::violation::{self, NewViolation, State, Visibility};
use congvu_db::Page;
use congvu_db::violation::{
    Citation, EvidenceRecord, NoteRecord, Placement, ViolationFilter, ViolationRecord,
};
use serde::Serialize;
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// Records a violation in state `reported`. The unit is the one the person worked in when the act
/// started; the code item must belong to a code set version in force there on that day.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    code_set: CodeSetId,
    new: NewViolation,
    reason: &str,
    commitment: Option<Citation>,
) -> Result<ViolationRecord> {
    let person_record = congvu_db::staff::find(
        state.db.reader(),
        &actor.reach(Action::ViewStaff),
        actor.person,
        person,
    )
    .await
    .map_err(|_| {
        Error::field(
            "person_id",
            "not_found",
            "no such staff member in your units",
        )
    })?;
    let unit: UnitId = employment_on(&person_record.employments, new.started_on)
        .map(|e| e.unit)
        .ok_or_else(|| {
            Error::field(
                "started_on",
                "not_employed",
                "the person was not employed on this day",
            )
        })?;
    let unit_record =
        congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewUnit), unit)
            .await
            .map_err(|_| {
                Error::field(
                    "person_id",
                    "not_found",
                    "no such staff member in your units",
                )
            })?;
    if !actor.may(Action::ManageViolation, &unit_record.path) {
        return Err(Error::Forbidden(
            "only an administrator, unit head or HR officer of the person's unit records violations",
        ));
    }
    let (_, in_force) = super::codesets::in_force(state, actor, unit, new.started_on).await?;
    let set = in_force
        .iter()
        .find(|r| r.id == code_set && r.set.status == SetStatus::Published)
        .ok_or_else(|| {
            Error::field(
                "code_set_id",
                "not_in_force",
                "not a code set in force for the person's unit on the day of the act",
            )
        })?;
    if !set
        .set
        .content
        .items
        .iter()
        .any(|i| i.code == new.item_code)
    {
        return Err(Error::field(
            "item_code",
            "unknown_item",
            "the code set has no such item",
        ));
    }
    let now = state.clock.now();
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    let mut commitment = commitment;
    if let Some(citation) = commitment.as_mut() {
        citation.template = Some(
            super::completion::check_citation(
                &txn,
                &actor.reach(Action::ViewCommitment),
                person,
                new.started_on,
                citation,
            )
            .await?,
        );
    }
    congvu_db::violation::insert(
        &txn,
        id,
        Placement {
            person,
            unit,
            code_set,
            commitment: commitment.clone(),
        },
        &new,
        now,
    )
    .await?;
    #[derive(Serialize)]
    struct Change<'a> {
        person_id: Uuid,
        unit_id: Uuid,
        code_set_id: Uuid,
        content_hash: Option<&'a str>,
        item_code: &'a str,
        source: &'a str,
        consequence: &'a str,
        started_on: chrono::NaiveDate,
        discovered_on: chrono::NaiveDate,
        commitment_campaign_id: Option<Uuid>,
        commitment_item_code: Option<&'a str>,
        commitment_template_id: Option<Uuid>,
    }
    let change = Change {
        person_id: person.as_uuid(),
        unit_id: unit.as_uuid(),
        code_set_id: code_set.as_uuid(),
        content_hash: set.set.content_hash.as_deref(),
        item_code: &new.item_code,
        source: new.source.code(),
        consequence: new.consequence.code(),
        started_on: new.started_on,
        discovered_on: new.discovered_on,
        commitment_campaign_id: commitment.as_ref().map(|c| c.campaign),
        commitment_item_code: commitment.as_ref().map(|c| c.item_code.as_str()),
        commitment_template_id: commitment.as_ref().and_then(|c| c.template),
    };
    record(
        &txn,
        who(actor),
        "violation.create",
        ("violation", id.to_string()),
        reason,
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    get(state, actor, id.into()).await
}

/// A violation in reach.
pub async fn get(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ViolationId,
) -> Result<ViolationRecord> {
    let id = id.as_uuid();
    congvu_db::violation::find(state.db.reader(), &actor.reach(Action::ViewViolation), id)
        .await
        .map_err(Error::from)
}

/// Violations in reach; a unit filter outside reach is 404.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    unit: Option<UnitId>,
    mut filter: ViolationFilter,
    page: Page,
) -> Result<Vec<ViolationRecord>> {
    filter.unit_path = super::unit_filter(state, actor, unit).await?;
    congvu_db::violation::list(
        state.db.reader(),
        &actor.reach(Action::ViewViolation),
        &filter,
        page,
    )
    .await
    .map_err(Error::from)
}

/// Moves a violation to `to` with a reason.
pub async fn transition(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ViolationId,
    to: State,
    reason: &str,
) -> Result<ViolationRecord> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let current =
        congvu_db::violation::find_for_update(&txn, &actor.reach(Action::ViewViolation), id)
            .await?;
    let unit = congvu_db::unit::find(&txn, &actor.reach(Action::ViewUnit), current.unit).await?;
    if !actor.may(Action::ManageViolation, &unit.path) {
        return Err(Error::Forbidden(
            "only an administrator, unit head or HR officer of the unit changes a violation's state",
        ));
    }
    let next = violation::transition(current.state, to)?;
    congvu_db::violation::transition(&txn, id, current.state, next, reason, actor.user, now)
        .await?;
    #[derive(Serialize)]
    struct Change {
        from: &'static str,
        to: &'static str,
    }
    record(
        &txn,
        who(actor),
        "violation.transition",
        ("violation", id.to_string()),
        reason,
        &Change {
            from: current.state.code(),
            to: next.code(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    get(state, actor, id.into()).await
}

/// Adds a note with its visibility tier.
pub async fn add_note(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ViolationId,
    visibility: Visibility,
    body: &str,
) -> Result<Vec<NoteRecord>> {
    let id = id.as_uuid();
    get(state, actor, id.into()).await?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let note =
        congvu_db::violation::insert_note(&txn, id, visibility, body, actor.user, now).await?;
    #[derive(Serialize)]
    struct Change {
        note_id: Uuid,
        visibility: &'static str,
    }
    // The note's text is not copied into the audit payload: a personal note stays personal.
    record(
        &txn,
        who(actor),
        "violation.note",
        ("violation", id.to_string()),
        "note added",
        &Change {
            note_id: note,
            visibility: visibility.code(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    notes(state, actor, id.into()).await
}

/// The notes the caller may read.
pub async fn notes(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ViolationId,
) -> Result<Vec<NoteRecord>> {
    let id = id.as_uuid();
    get(state, actor, id.into()).await?;
    congvu_db::violation::notes(state.db.reader(), id, actor.user)
        .await
        .map_err(Error::from)
}

/// Stores an evidence file for a violation; its size and SHA-256 are computed here and kept.
pub async fn add_evidence(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ViolationId,
    filename: &str,
    content_type: &'static str,
    data: Vec<u8>,
    reason: &str,
) -> Result<EvidenceRecord> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let current =
        congvu_db::violation::find_for_update(&txn, &actor.reach(Action::ViewViolation), id)
            .await?;
    let unit = congvu_db::unit::find(&txn, &actor.reach(Action::ViewUnit), current.unit).await?;
    if !actor.may(Action::ManageViolation, &unit.path) {
        return Err(Error::Forbidden(
            "only an administrator, unit head or HR officer of the unit adds evidence",
        ));
    }
    let record = EvidenceRecord {
        id: Uuid::now_v7(),
        filename: filename.to_owned(),
        content_type: content_type.to_owned(),
        size: i64::try_from(data.len()).map_err(|_| Error::TooLarge)?,
        sha256: congvu_core::audit::digest_bytes(&data),
        uploaded_by: actor.user,
        at: now,
    };
    congvu_db::violation::insert_evidence(&txn, id, &record, data).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        evidence_id: Uuid,
        filename: &'a str,
        content_type: &'a str,
        size: i64,
        sha256: &'a str,
    }
    let change = Change {
        evidence_id: record.id,
        filename: &record.filename,
        content_type,
        size: record.size,
        sha256: &record.sha256,
    };
    record_event(&txn, actor, id, reason, &change, now).await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(record)
}

async fn record_event(
    txn: &congvu_db::Transaction,
    actor: &Actor,
    id: Uuid,
    reason: &str,
    change: &impl Serialize,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    record(
        txn,
        who(actor),
        "violation.evidence",
        ("violation", id.to_string()),
        reason,
        change,
        now,
    )
    .await
}

/// The evidence of a violation in reach (descriptions only).
pub async fn evidence(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ViolationId,
) -> Result<Vec<EvidenceRecord>> {
    let id = id.as_uuid();
    get(state, actor, id.into()).await?;
    congvu_db::violation::evidence(state.db.reader(), id)
        .await
        .map_err(Error::from)
}

/// One evidence file of a violation in reach, with its bytes.
pub async fn evidence_file(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ViolationId,
    file: congvu_core::ids::EvidenceId,
) -> Result<(EvidenceRecord, Vec<u8>)> {
    let id = id.as_uuid();
    let file = file.as_uuid();
    get(state, actor, id.into()).await?;
    congvu_db::violation::evidence_file(state.db.reader(), id, file)
        .await
        .map_err(Error::from)
}

/// Today in Vietnam, the bound for dates of acts and discoveries.
pub fn today(state: &AppState) -> chrono::NaiveDate {
    vietnam_date(state.clock.now())
}
