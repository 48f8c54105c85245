//! Codes of conduct: the sets in force for a unit on a date, a unit's drafts, publish and retire.

use chrono::NaiveDate;
use congvu_core::codeset::{self, CodeSet, CodeSetContent, Scope, Status};
use congvu_core::ids::{CodeSetId, UnitId};
use congvu_core::policy::{self, Action, Actor};
use congvu_db::Page;
use congvu_db::codeset::{CodeSetFilter, CodeSetRecord};
use congvu_db::unit::UnitRecord;
use serde::Serialize;
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

#[derive(Serialize)]
struct Change<'a> {
    key: &'a str,
    scope: String,
    version: u32,
    status: &'a str,
    content_hash: Option<&'a str>,
    items: Vec<&'a str>,
}

fn change(set: &CodeSet) -> Change<'_> {
    Change {
        key: &set.content.key,
        scope: match set.scope {
            Scope::National => "national".into(),
            Scope::Unit(u) => u.to_string(),
        },
        version: set.version,
        status: set.status.code(),
        content_hash: set.content_hash.as_deref(),
        items: set.content.items.iter().map(|i| i.code.as_str()).collect(),
    }
}

/// The sets in force for a unit in reach on `date`.
pub async fn in_force(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    date: NaiveDate,
) -> Result<(UnitRecord, Vec<CodeSetRecord>)> {
    let unit =
        congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewCodeSet), unit).await?;
    let mut ancestry = policy::path_units(&unit.path);
    ancestry.reverse();
    let records = congvu_db::codeset::published_for(state.db.reader(), &ancestry).await?;
    let sets: Vec<CodeSet> = records.iter().map(|r| r.set.clone()).collect();
    let chosen = codeset::in_force(&sets, &ancestry, date);
    let result = records
        .iter()
        .filter(|r| chosen.iter().any(|c| **c == r.set))
        .cloned()
        .collect();
    Ok((unit, result))
}

/// A version visible to the caller.
pub async fn get(state: &AppState, actor: &Actor, id: CodeSetId) -> Result<CodeSetRecord> {
    congvu_db::codeset::find(state.db.reader(), &actor.reach(Action::ViewCodeSet), id)
        .await
        .map_err(Error::from)
}

/// Versions visible to the caller.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &CodeSetFilter,
    page: Page,
) -> Result<Vec<CodeSetRecord>> {
    if let Some(unit) = filter.unit {
        congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewCodeSet), unit).await?;
    }
    congvu_db::codeset::list(
        state.db.reader(),
        &actor.reach(Action::ViewCodeSet),
        filter,
        page,
    )
    .await
    .map_err(Error::from)
}

async fn unit_for_drafting(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    action: Action,
) -> Result<UnitRecord> {
    let record = congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewCodeSet), unit)
        .await
        .map_err(|_| Error::field("unit_id", "not_found", "no such unit in your units"))?;
    if !actor.may(action, &record.path) {
        return Err(Error::Forbidden(match action {
            Action::PublishCodeSet => {
                "only an administrator or the unit head publishes or retires the unit's code"
            }
            _ => "only an administrator, unit head or HR officer drafts the unit's code",
        }));
    }
    Ok(record)
}

/// Creates a draft version of a unit's own code set.
pub async fn create_draft(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    content: CodeSetContent,
    reason: &str,
) -> Result<CodeSetRecord> {
    unit_for_drafting(state, actor, unit, Action::DraftCodeSet).await?;
    let scope = Scope::Unit(unit);
    let now = state.clock.now();
    let id = CodeSetId::from_uuid(Uuid::now_v7());
    let txn = state.db.begin().await?;
    let version = congvu_db::codeset::next_version(&txn, &content.key, &scope).await?;
    let set = CodeSet::draft(scope, version, content);
    congvu_db::codeset::insert(&txn, id, &set, now).await?;
    record(
        &txn,
        who(actor),
        "codeset.draft",
        ("code_set", id.to_string()),
        reason,
        &change(&set),
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    get(state, actor, id).await
}

/// Replaces a draft's content; a published or retired version is refused.
pub async fn revise(
    state: &AppState,
    actor: &Actor,
    id: CodeSetId,
    content: CodeSetContent,
    reason: &str,
) -> Result<CodeSetRecord> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    // Locked and read inside the transaction: a revise racing a publish cannot rewrite a
    // version that has just become immutable.
    let mut stored =
        congvu_db::codeset::find_for_update(&txn, &actor.reach(Action::ViewCodeSet), id).await?;
    let unit = owning_unit(&stored.set)?;
    unit_for_drafting(state, actor, unit, Action::DraftCodeSet).await?;
    if content.key != stored.set.content.key {
        return Err(Error::field(
            "key",
            "key_changed",
            "a version keeps its key; create a new set for another key",
        ));
    }
    stored.set.revise(content)?;
    congvu_db::codeset::replace_content(&txn, id, &stored.set.content).await?;
    record(
        &txn,
        who(actor),
        "codeset.revise",
        ("code_set", id.to_string()),
        reason,
        &change(&stored.set),
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    get(state, actor, id).await
}

/// Publishes a draft (fixing its content hash) or retires a published version.
pub async fn transition(
    state: &AppState,
    actor: &Actor,
    id: CodeSetId,
    to: Status,
    reason: &str,
) -> Result<CodeSetRecord> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let mut stored =
        congvu_db::codeset::find_for_update(&txn, &actor.reach(Action::ViewCodeSet), id).await?;
    let unit = owning_unit(&stored.set)?;
    unit_for_drafting(state, actor, unit, Action::PublishCodeSet).await?;
    let action = match to {
        Status::Published => {
            stored.set.publish()?;
            "codeset.publish"
        }
        Status::Retired => {
            stored.set.retire()?;
            "codeset.retire"
        }
        Status::Draft => return Err(Error::Forbidden("a version never returns to draft")),
    };
    congvu_db::codeset::set_status(&txn, id, &stored.set, now).await?;
    record(
        &txn,
        who(actor),
        action,
        ("code_set", id.to_string()),
        reason,
        &change(&stored.set),
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    get(state, actor, id).await
}

fn owning_unit(set: &CodeSet) -> Result<UnitId> {
    match set.scope {
        Scope::Unit(unit) => Ok(unit),
        Scope::National => Err(Error::Conflict {
            code: "codeset.national",
            detail: "national code sets ship with congvu; a unit publishes its own version instead"
                .into(),
        }),
    }
}

/// The seed's audit payload for a national set.
pub(crate) fn seed_change(set: &CodeSet) -> impl Serialize + '_ {
    change(set)
}
