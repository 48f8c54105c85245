//! Units: create, read in scope, the tree, successor links, and the unit's working calendar.

use chrono::NaiveDate;
use congvu_core::calendar::{DayKind, SpecialDay, WorkCalendar};
use congvu_core::ids::UnitId;
use congvu_core::legal::Confidence;
use congvu_core::policy::{Action, Actor};
use congvu_core::unit::{self, NewUnit};
use congvu_db::Page;
use congvu_db::unit::{SuccessorRecord, UnitFilter, UnitRecord};
use serde::Serialize;
use uuid::Uuid;

use super::{record, taken, who};
use crate::error::{Error, Result};
use crate::state::AppState;

#[derive(Serialize)]
struct UnitChange<'a> {
    code: &'a str,
    name: &'a str,
    kind: &'a str,
    parent_id: Option<Uuid>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
}

/// Creates a unit. A root unit needs a superadmin; a sub-unit needs an admin or HR officer of the
/// parent; a parent out of reach is 404.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    new: NewUnit,
    reason: &str,
) -> Result<UnitRecord> {
    let parent = match new.parent {
        Some(parent) => {
            let parent =
                congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewUnit), parent)
                    .await
                    .map_err(|_| {
                        Error::field("parent_id", "not_found", "no such unit in your units")
                    })?;
            if !actor.may(Action::ManageUnit, &parent.path) {
                return Err(Error::Forbidden(
                    "only an administrator or HR officer of the parent unit creates sub-units",
                ));
            }
            unit::check_within_parent(&new.validity, &parent.validity)?;
            Some(parent)
        }
        None if actor.superadmin => None,
        None => {
            return Err(Error::Forbidden(
                "only a superadministrator creates top-level units",
            ));
        }
    };
    let now = state.clock.now();
    let id = UnitId::from_uuid(Uuid::now_v7());
    let txn = state.db.begin().await?;
    let created = congvu_db::unit::insert(
        &txn,
        id,
        &new,
        parent.as_ref().map(|p| p.path.as_str()),
        now,
    )
    .await
    .map_err(|e| taken(e, "code", "unit.code_taken", "another unit has this code"))?;
    let change = UnitChange {
        code: &new.code,
        name: &new.name,
        kind: new.kind.code(),
        parent_id: new.parent.map(|p| p.as_uuid()),
        valid_from: new.validity.from(),
        valid_to: new.validity.to(),
    };
    record(
        &txn,
        who(actor),
        "unit.create",
        ("unit", id.to_string()),
        reason,
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(created)
}

/// A unit in reach.
pub async fn get(state: &AppState, actor: &Actor, id: UnitId) -> Result<UnitRecord> {
    congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewUnit), id)
        .await
        .map_err(Error::from)
}

/// Units in reach.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &UnitFilter,
    page: Page,
) -> Result<Vec<UnitRecord>> {
    congvu_db::unit::list(
        state.db.reader(),
        &actor.reach(Action::ViewUnit),
        filter,
        page,
    )
    .await
    .map_err(Error::from)
}

/// The unit and its sub-units in reach, parents first.
pub async fn tree(state: &AppState, actor: &Actor, id: UnitId) -> Result<Vec<UnitRecord>> {
    let reach = actor.reach(Action::ViewUnit);
    let root = congvu_db::unit::find(state.db.reader(), &reach, id).await?;
    congvu_db::unit::subtree(state.db.reader(), &reach, &root)
        .await
        .map_err(Error::from)
}

/// Successor links of a unit in reach.
pub async fn successors(
    state: &AppState,
    actor: &Actor,
    id: UnitId,
) -> Result<Vec<SuccessorRecord>> {
    get(state, actor, id).await?;
    congvu_db::unit::successor_links(state.db.reader(), &actor.reach(Action::ViewUnit), id)
        .await
        .map_err(Error::from)
}

/// Records that `successor` takes over from `predecessor` (both must be managed by the actor).
pub async fn add_successor(
    state: &AppState,
    actor: &Actor,
    predecessor: UnitId,
    successor: UnitId,
    effective_on: NaiveDate,
    reason: &str,
) -> Result<SuccessorRecord> {
    let reach = actor.reach(Action::ViewUnit);
    let old = congvu_db::unit::find(state.db.reader(), &reach, predecessor).await?;
    let new = congvu_db::unit::find(state.db.reader(), &reach, successor)
        .await
        .map_err(|_| Error::field("successor_id", "not_found", "no such unit in your units"))?;
    if !actor.may(Action::ManageUnit, &old.path) || !actor.may(Action::ManageUnit, &new.path) {
        return Err(Error::Forbidden(
            "only an administrator or HR officer of both units links successors",
        ));
    }
    if predecessor == successor {
        return Err(Error::field(
            "successor_id",
            "same_unit",
            "a unit cannot succeed itself",
        ));
    }
    unit::check_successor(&old.validity, &new.validity, effective_on)?;
    let link = SuccessorRecord {
        predecessor,
        successor,
        effective_on,
    };
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::unit::insert_successor(&txn, &link, now)
        .await
        .map_err(|e| {
            taken(
                e,
                "successor_id",
                "unit.successor_exists",
                "this link already exists",
            )
        })?;
    #[derive(Serialize)]
    struct Change {
        predecessor_id: Uuid,
        successor_id: Uuid,
        effective_on: NaiveDate,
    }
    let change = Change {
        predecessor_id: predecessor.as_uuid(),
        successor_id: successor.as_uuid(),
        effective_on,
    };
    record(
        &txn,
        who(actor),
        "unit.successor",
        ("unit", predecessor.to_string()),
        reason,
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(link)
}

/// Ends a unit on `valid_to` (e.g. the day before a merger takes effect). Its sub-units must have
/// ended by then, and nobody may still be employed in it after that day.
pub async fn close(
    state: &AppState,
    actor: &Actor,
    id: UnitId,
    valid_to: NaiveDate,
    reason: &str,
) -> Result<UnitRecord> {
    let unit = get(state, actor, id).await?;
    if !actor.may(Action::ManageUnit, &unit.path) {
        return Err(Error::Forbidden(
            "only an administrator or HR officer of the unit ends it",
        ));
    }
    if unit.validity.to().is_some() {
        return Err(Error::Conflict {
            code: "unit.closed",
            detail: "the unit has already ended".into(),
        });
    }
    congvu_core::legal::Validity::new(unit.validity.from(), Some(valid_to)).map_err(|_| {
        Error::field(
            "valid_to",
            "before_valid_from",
            "must not be before the unit's valid_from",
        )
    })?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    if congvu_db::unit::open_descendants_after(&txn, &unit.path, valid_to).await? > 0 {
        return Err(Error::Conflict {
            code: "unit.has_open_sub_units",
            detail: "end or move the sub-units first".into(),
        });
    }
    if congvu_db::staff::employed_after(&txn, id, valid_to).await? > 0 {
        return Err(Error::Conflict {
            code: "unit.has_staff",
            detail: "staff are still employed in the unit after that day; move them first".into(),
        });
    }
    congvu_db::unit::close(&txn, id, valid_to).await?;
    #[derive(Serialize)]
    struct Change {
        valid_to: NaiveDate,
    }
    record(
        &txn,
        who(actor),
        "unit.close",
        ("unit", id.to_string()),
        reason,
        &Change { valid_to },
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    get(state, actor, id).await
}

/// Adds a day of the unit's own calendar (applies to its sub-units too).
pub async fn add_calendar_day(
    state: &AppState,
    actor: &Actor,
    id: UnitId,
    date: NaiveDate,
    kind: DayKind,
    name: String,
    reason: &str,
) -> Result<SpecialDay> {
    let unit = get(state, actor, id).await?;
    if !actor.may(Action::ManageCalendar, &unit.path) {
        return Err(Error::Forbidden(
            "only an administrator, unit head or HR officer of the unit edits its calendar",
        ));
    }
    let day = SpecialDay {
        date,
        kind,
        name,
        confidence: Confidence::Verified,
    };
    // The day must make sense over the calendar the unit already has.
    calendar_for(state, &unit).await?.check_day(&day)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::calendar::insert_day(&txn, id, &day, now)
        .await
        .map_err(|e| {
            taken(
                e,
                "date",
                "calendar.day_exists",
                "the unit already has an entry for this day",
            )
        })?;
    #[derive(Serialize)]
    struct Change<'a> {
        date: NaiveDate,
        kind: &'a str,
        name: &'a str,
    }
    record(
        &txn,
        who(actor),
        "calendar.day",
        ("unit", id.to_string()),
        reason,
        &Change {
            date,
            kind: kind.code(),
            name: &day.name,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(day)
}

/// The working calendar of a unit in reach: national days, then its ancestors' and its own.
pub async fn calendar(state: &AppState, actor: &Actor, id: UnitId) -> Result<WorkCalendar> {
    let unit = get(state, actor, id).await?;
    calendar_for(state, &unit).await
}

/// The working calendar of a unit already read.
pub(crate) async fn calendar_for(state: &AppState, unit: &UnitRecord) -> Result<WorkCalendar> {
    let ancestry: Vec<UnitId> = congvu_core::policy::path_units(&unit.path);
    let days = congvu_db::calendar::days_for(state.db.reader(), &ancestry).await?;
    Ok(state
        .calendar
        .with_overrides(days.into_iter().map(|(_, d)| d))?)
}
