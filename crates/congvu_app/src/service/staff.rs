//! Staff: create a person with their first employment, read in scope, list with accent-insensitive
//! search, and change employment from a date (closing the open slice).

use chrono::NaiveDate;
use congvu_core::ids::{EmploymentId, PersonId};
use congvu_core::policy::{Action, Actor};
use congvu_core::staff::{self, NewEmployment, NewPerson};
use congvu_db::Page;
use congvu_db::staff::{PersonRecord, StaffFilter};
use serde::Serialize;
use uuid::Uuid;

use super::{record, taken, who};
use crate::error::{Error, Result};
use crate::state::AppState;

#[derive(Serialize)]
pub(crate) struct EmploymentChange<'a> {
    pub unit_id: Uuid,
    pub category: &'a str,
    pub position: &'a str,
    pub is_leader: bool,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub closes: Option<(Uuid, NaiveDate)>,
}

impl<'a> EmploymentChange<'a> {
    pub(crate) fn of(e: &'a NewEmployment, closes: Option<(EmploymentId, NaiveDate)>) -> Self {
        Self {
            unit_id: e.unit.as_uuid(),
            category: e.category.code(),
            position: &e.position,
            is_leader: e.is_leader,
            valid_from: e.validity.from(),
            valid_to: e.validity.to(),
            closes: closes.map(|(id, d)| (id.as_uuid(), d)),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct PersonChange<'a> {
    pub staff_code: &'a str,
    pub full_name: &'a str,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<&'a str>,
}

impl<'a> PersonChange<'a> {
    pub(crate) fn of(p: &'a NewPerson) -> Self {
        Self {
            staff_code: &p.staff_code,
            full_name: &p.full_name,
            date_of_birth: p.date_of_birth,
            email: p.email.as_deref(),
        }
    }
}

/// Creates a person and their first employment slice in a unit the actor manages staff of.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    new_person: NewPerson,
    new_employment: NewEmployment,
    reason: &str,
) -> Result<PersonRecord> {
    let unit = congvu_db::unit::find(
        state.db.reader(),
        &actor.reach(Action::ViewUnit),
        new_employment.unit,
    )
    .await
    .map_err(|_| {
        Error::field(
            "employment.unit_id",
            "not_found",
            "no such unit in your units",
        )
    })?;
    if !actor.may(Action::ManageStaff, &unit.path) {
        return Err(Error::Forbidden(
            "only an administrator or HR officer of the unit adds staff",
        ));
    }
    let now = state.clock.now();
    let id = PersonId::from_uuid(Uuid::now_v7());
    let txn = state.db.begin().await?;
    congvu_db::staff::insert_person(&txn, id, &new_person, now)
        .await
        .map_err(|e| {
            taken(
                e,
                "staff_code",
                "staff.code_taken",
                "another person has this staff code",
            )
        })?;
    congvu_db::staff::insert_employment(
        &txn,
        EmploymentId::from_uuid(Uuid::now_v7()),
        id,
        &new_employment,
        now,
    )
    .await?;
    #[derive(Serialize)]
    struct Change<'a> {
        person: PersonChange<'a>,
        employment: EmploymentChange<'a>,
    }
    let change = Change {
        person: PersonChange::of(&new_person),
        employment: EmploymentChange::of(&new_employment, None),
    };
    record(
        &txn,
        who(actor),
        "staff.create",
        ("person", id.to_string()),
        reason,
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    get(state, actor, id).await
}

/// A person in reach (staff-role users see their own record), showing only the employment slices
/// in units the caller reaches: a former unit keeps the person's history with it, not their
/// later posts elsewhere.
pub async fn get(state: &AppState, actor: &Actor, id: PersonId) -> Result<PersonRecord> {
    let record = congvu_db::staff::find(
        state.db.reader(),
        &actor.reach(Action::ViewStaff),
        actor.person,
        id,
    )
    .await?;
    visible_slices(state, actor, vec![record])
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// Drops the slices in units outside the caller's reach (a person's own record is shown whole).
async fn visible_slices(
    state: &AppState,
    actor: &Actor,
    mut records: Vec<PersonRecord>,
) -> Result<Vec<PersonRecord>> {
    let units: Vec<congvu_core::ids::UnitId> = records
        .iter()
        .flat_map(|r| r.employments.iter().map(|e| e.unit))
        .collect();
    let reach = actor.reach(Action::ViewStaff);
    let in_reach = congvu_db::unit::in_reach(state.db.reader(), &reach, &units).await?;
    for record in &mut records {
        if Some(record.id) != actor.person {
            record.employments.retain(|e| in_reach.contains(&e.unit));
        }
    }
    Ok(records)
}

/// Persons in reach; a unit filter outside reach is 404.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: Option<String>,
    unit: Option<congvu_core::ids::UnitId>,
    category: Option<staff::Category>,
    on: NaiveDate,
    page: Page,
) -> Result<Vec<PersonRecord>> {
    let reach = actor.reach(Action::ViewStaff);
    let unit_path = super::unit_filter(state, actor, unit).await?;
    let filter = StaffFilter {
        query,
        unit_path,
        category,
        on,
    };
    let records =
        congvu_db::staff::list(state.db.reader(), &reach, actor.person, &filter, page).await?;
    visible_slices(state, actor, records).await
}

/// Starts a new employment slice from its `valid_from`, closing the open one the day before. The
/// actor must manage staff of the person's current unit and of the new unit.
pub async fn change_employment(
    state: &AppState,
    actor: &Actor,
    id: PersonId,
    new: NewEmployment,
    reason: &str,
) -> Result<PersonRecord> {
    let view = actor.reach(Action::ViewUnit);
    let target = congvu_db::unit::find(state.db.reader(), &view, new.unit)
        .await
        .map_err(|_| Error::field("unit_id", "not_found", "no such unit in your units"))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    // The person is locked and read inside the transaction: the plan is made against the history
    // it writes over, so two concurrent changes cannot both close the same slice.
    let person =
        congvu_db::staff::find_for_update(&txn, &actor.reach(Action::ViewStaff), actor.person, id)
            .await?;
    let current_unit = staff::employment_on(&person.employments, new.validity.from())
        .or(person.employments.last())
        .map(|e| e.unit);
    if let Some(current) = current_unit {
        let current = congvu_db::unit::find(&txn, &view, current)
            .await
            .map_err(|_| Error::Forbidden("the person's current unit is not yours"))?;
        if !actor.may(Action::ManageStaff, &current.path) {
            return Err(Error::Forbidden(
                "only an administrator or HR officer of the person's unit changes employment",
            ));
        }
    }
    if !actor.may(Action::ManageStaff, &target.path) {
        return Err(Error::Forbidden(
            "only an administrator or HR officer of the new unit moves staff there",
        ));
    }
    let plan = staff::plan_employment_change(&person.employments, new)?;
    if let Some((slice, last_day)) = plan.close {
        congvu_db::staff::close_employment(&txn, slice, last_day).await?;
    }
    congvu_db::staff::insert_employment(
        &txn,
        EmploymentId::from_uuid(Uuid::now_v7()),
        id,
        &plan.insert,
        now,
    )
    .await
    .map_err(|e| {
        taken(
            e,
            "valid_from",
            "employment.conflict",
            "a slice already starts on this date",
        )
    })?;
    record(
        &txn,
        who(actor),
        "staff.employment",
        ("person", id.to_string()),
        reason,
        &EmploymentChange::of(&plan.insert, plan.close),
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    get(state, actor, id).await
}
