//! Evaluations through the year (brief §4.3, §11.4): an emulation, HR officer or unit head of
//! the person's unit records one period's scores under the points regime that governs the person
//! on the period's last day; the civil servants' task score may be computed from work products;
//! one evaluation per person per stretch of time; the annual score by the unit's rule, skipping
//! periods not evaluated.

use chrono::NaiveDate;
use congvu_core::assessment::tasks::{self, Product};
use congvu_core::assessment::{self, Aggregation, CriteriaResult, Method, Period, Points, Score};
use congvu_core::ids::{PersonId, UnitId};
use congvu_core::legal::{RegimeDomain, regime_in_force};
use congvu_core::policy::{Action, Actor};
use congvu_core::staff::employment_on;
use congvu_db::DbError;
use congvu_db::evaluation::{CriteriaRecord, EvaluationRecord};
use serde::Serialize;
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// One period's evaluation to record.
#[derive(Debug, Clone)]
pub struct NewEvaluation {
    pub period: Period,
    /// General criteria, out of the scheme's maximum.
    pub general: Points,
    /// Task results; none when `products` are given.
    pub tasks: Option<Points>,
    /// The assigned work products the task score is computed from (Decree 335/2025).
    pub products: Option<Vec<Product>>,
    pub reason: Option<String>,
}

/// A person's year: the periods evaluated and the annual score by the unit's rule.
#[derive(Debug, Clone)]
pub struct YearView {
    pub person: PersonId,
    pub year: i32,
    pub evaluations: Vec<EvaluationRecord>,
    /// The unit's rule, inherited from the units above.
    pub aggregation: Aggregation,
    /// None when no period was evaluated.
    pub annual: Option<Score>,
}

/// A work product as the audit event records it (points with two decimals, as entered).
#[derive(Serialize)]
struct ProductChange<'a> {
    units: f64,
    done: bool,
    failed_reviews: u32,
    delays: u32,
    exempted_by: Option<&'a str>,
}

impl<'a> From<&'a Product> for ProductChange<'a> {
    fn from(p: &'a Product) -> Self {
        Self {
            units: f64::from(p.units) / 100.0,
            done: p.done,
            failed_reviews: p.failed_reviews,
            delays: p.delays,
            exempted_by: p.exempted_by.as_deref(),
        }
    }
}

/// The period's last day.
fn last_day(p: Period) -> Result<NaiveDate> {
    p.dates()
        .map(|(_, last)| last)
        .ok_or_else(|| Error::Internal("a period without dates".into()))
}

/// The regime whose task score is computed from work products (brief §4.3).
const PRODUCT_REGIME: &str = "nd335_2025";

/// The task score: given, or computed from the products under the regime's maximum (civil
/// servants under Decree 335/2025 only).
fn task_points(
    state: &AppState,
    input: &NewEvaluation,
    regime: &str,
    tasks_max: u32,
) -> Result<(Points, Option<Vec<Product>>)> {
    if input.products.is_some() && regime != PRODUCT_REGIME {
        return Err(Error::field(
            "products",
            "not_this_regime",
            "the task score is computed from work products for civil servants (Decree 335/2025) only",
        ));
    }
    match (&input.products, input.tasks) {
        (Some(products), None) => {
            let parsed = products
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    Ok(Product {
                        exempted_by: approver(i, p.exempted_by.as_deref())?,
                        ..p.clone()
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let points =
                tasks::task_score(&state.assessment.task_scoring, &parsed, tasks_max)?.points;
            Ok((points, Some(parsed)))
        }
        (None, Some(t)) => Ok((t, None)),
        _ => Err(Error::field(
            "tasks",
            "one_of",
            "give either the task score or the work products it is computed from",
        )),
    }
}

/// The authority who confirmed an objective cause: a real name, never an empty string.
fn approver(i: usize, given: Option<&str>) -> Result<Option<String>> {
    given
        .map(|name| congvu_core::text::required(&format!("products[{i}].exempted_by"), name, 200))
        .transpose()
        .map_err(Error::from)
}

/// Records one period's evaluation of a person.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    input: NewEvaluation,
) -> Result<EvaluationRecord> {
    if actor.person == Some(person) {
        return Err(Error::Forbidden("nobody records their own evaluation"));
    }
    let period = input.period;
    let last = last_day(period)?;
    let first = period.dates().map(|(first, _)| first).unwrap_or(last);
    if first > congvu_core::calendar::vietnam_date(state.clock.now()) {
        return Err(Error::field(
            "index",
            "not_started",
            "a period is evaluated once it has started",
        ));
    }
    let reason = super::reason(input.reason.as_deref())?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    // The person is locked: two evaluations of overlapping periods cannot both pass the check.
    let record_of = congvu_db::staff::find_for_update(
        &txn,
        &actor.reach(Action::ViewStaff),
        actor.person,
        person,
    )
    .await?;
    let slice = employment_on(&record_of.employments, last).ok_or_else(|| {
        Error::field(
            "index",
            "not_employed",
            "the person was not employed at the end of the period",
        )
    })?;
    let unit = congvu_db::unit::find(&txn, &actor.reach(Action::ViewUnit), slice.unit).await?;
    if !actor.may(Action::RecordEvaluation, &unit.path) {
        return Err(Error::Forbidden(
            "only a unit head, HR or emulation officer of the person's unit records evaluations",
        ));
    }
    let regime = regime_in_force(
        &state.regimes,
        RegimeDomain::Assessment,
        slice.category,
        last,
    )
    .ok_or_else(|| {
        Error::field(
            "year",
            "no_regime",
            "no assessment regime governs this person then",
        )
    })?;
    let scheme = state.assessment.scheme(&regime.key).ok_or_else(|| {
        Error::Internal(format!(
            "no classification scheme for regime {}",
            regime.key
        ))
    })?;
    let Method::Points { tasks_max, .. } = scheme.method else {
        return Err(Error::field(
            "year",
            "criteria_regime",
            "this period falls under a criteria-based regime (Decree 90/2020): it has no points",
        ));
    };
    let (tasks, products) = task_points(state, &input, &regime.key, tasks_max)?;
    let score = Score::new(input.general, tasks, scheme)?;
    let taken = congvu_db::evaluation::of_year(&txn, person, period.year).await?;
    if let Some(other) = taken.iter().find(|e| e.period.overlaps(period)) {
        return Err(Error::Conflict {
            code: "evaluation.overlaps",
            detail: format!(
                "the person already has the {} {} evaluation, which covers part of this period",
                other.period.kind.code(),
                other.period.index
            ),
        });
    }
    let e = EvaluationRecord {
        id: Uuid::now_v7(),
        person,
        unit: unit.id,
        period,
        regime: regime.key.clone(),
        score,
        products,
        evaluated_by: actor.user.as_uuid(),
        created_at: now,
    };
    congvu_db::evaluation::insert(&txn, &e).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        person_id: Uuid,
        unit_id: Uuid,
        period: String,
        regime: &'a str,
        general: u32,
        tasks: u32,
        products: Option<Vec<ProductChange<'a>>>,
    }
    record(
        &txn,
        who(actor),
        "evaluation.create",
        ("evaluation", e.id.to_string()),
        &reason,
        &Change {
            person_id: person.as_uuid(),
            unit_id: unit.id.as_uuid(),
            period: format!("{} {}/{}", period.kind.code(), period.index, period.year),
            regime: &e.regime,
            general: score.general.0,
            tasks: score.tasks.0,
            products: e
                .products
                .as_ref()
                .map(|ps| ps.iter().map(ProductChange::from).collect()),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(e)
}

/// A person's evaluations of a year and the annual score by their unit's rule.
pub async fn year(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    year: i32,
) -> Result<YearView> {
    let record_of = congvu_db::staff::find(
        state.db.reader(),
        &actor.reach(Action::ViewEvaluation),
        actor.person,
        person,
    )
    .await?;
    // A unit sees the evaluations recorded in its units only (the person may have moved on);
    // the person sees all of theirs.
    let reach = actor.reach(Action::ViewEvaluation);
    let mut rows = Vec::new();
    for row in congvu_db::evaluation::of_year(state.db.reader(), person, year).await? {
        let own = actor.person == Some(person);
        if own
            || congvu_db::unit::find(state.db.reader(), &reach, row.unit)
                .await
                .is_ok()
        {
            rows.push(row);
        }
    }
    if actor.person != Some(person)
        && rows.is_empty()
        && !worked_here_in(state, &reach, &record_of, year).await?
    {
        return Err(DbError::NotFound.into());
    }
    let end = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| Error::field("year", "out_of_range", "2000 to 2100"))?;
    let unit: Option<UnitId> = employment_on(&record_of.employments, end)
        .or(record_of.employments.last())
        .map(|e| e.unit);
    let rule = match unit {
        Some(u) => {
            let unit =
                congvu_db::unit::find(state.db.reader(), &congvu_core::policy::Reach::All, u)
                    .await?;
            congvu_db::evaluation::aggregation(state.db.reader(), &unit.path).await?
        }
        None => Aggregation::Mean,
    };
    let scores: Vec<(Period, Score)> = rows.iter().map(|r| (r.period, r.score)).collect();
    Ok(YearView {
        person,
        year,
        aggregation: rule,
        annual: assessment::annual(&scores, rule),
        evaluations: rows,
    })
}

/// Whether the person worked in a unit in `reach` at some time in `year`.
async fn worked_here_in(
    state: &AppState,
    reach: &congvu_core::policy::Reach,
    person: &congvu_db::staff::PersonRecord,
    year: i32,
) -> Result<bool> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(false);
    };
    for slice in &person.employments {
        let overlaps =
            slice.validity.from() <= last && slice.validity.to().is_none_or(|to| to >= first);
        if overlaps
            && congvu_db::unit::find(state.db.reader(), reach, slice.unit)
                .await
                .is_ok()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Sets how a unit (and the units below it without their own rule) aggregates the periods.
pub async fn set_aggregation(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    rule: Aggregation,
) -> Result<Aggregation> {
    super::unit_for(
        state,
        actor,
        unit,
        Action::ManageAssessment,
        "only a unit head or emulation officer sets the unit's assessment rules",
    )
    .await?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::evaluation::set_aggregation(&txn, unit, rule, now).await?;
    record(
        &txn,
        who(actor),
        "assessment.settings",
        ("unit", unit.to_string()),
        "annual score rule",
        &serde_json::json!({ "aggregation": rule.code() }),
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(rule)
}

/// A year's result under Decree 90/2020's criteria (the historic regime, no points).
#[derive(Debug, Clone)]
pub struct NewCriteria {
    pub year: i32,
    pub result: CriteriaResult,
    pub reason: Option<String>,
}

fn percent(field: &str, v: u32, errors: &mut Vec<congvu_core::FieldError>) {
    if v > 100 {
        errors.push(congvu_core::FieldError::new(
            field,
            "out_of_range",
            "a percentage from 0 to 100",
        ));
    }
}

/// Records a person's year under the criteria of Decree 90/2020 as amended, for a year that
/// regime governed them (422 `points_regime` otherwise); one per person and year.
pub async fn record_criteria(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    input: NewCriteria,
) -> Result<CriteriaRecord> {
    if actor.person == Some(person) {
        return Err(Error::Forbidden("nobody records their own evaluation"));
    }
    let mut errors = Vec::new();
    let result = input.result;
    percent("tasks_done_pct", result.tasks_done_pct, &mut errors);
    percent("exceeded_pct", result.exceeded_pct, &mut errors);
    percent("shortfall_pct", result.shortfall_pct, &mut errors);
    percent("unmet_pct", result.unmet_pct, &mut errors);
    let today = congvu_core::calendar::vietnam_date(state.clock.now());
    if !(2000..=chrono::Datelike::year(&today)).contains(&input.year) {
        errors.push(congvu_core::FieldError::new(
            "year",
            "out_of_range",
            "2000 to this year",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let reason = super::reason(input.reason.as_deref())?;
    let last = NaiveDate::from_ymd_opt(input.year, 12, 31)
        .ok_or_else(|| Error::field("year", "out_of_range", "2000 to this year"))?;
    let txn = state.db.begin().await?;
    let record_of = congvu_db::staff::find_for_update(
        &txn,
        &actor.reach(Action::ViewStaff),
        actor.person,
        person,
    )
    .await?;
    let slice = employment_on(&record_of.employments, last.min(today)).ok_or_else(|| {
        Error::field(
            "year",
            "not_employed",
            "the person was not employed at the end of the year",
        )
    })?;
    let unit = congvu_db::unit::find(&txn, &actor.reach(Action::ViewUnit), slice.unit).await?;
    if !actor.may(Action::RecordEvaluation, &unit.path) {
        return Err(Error::Forbidden(
            "only a unit head, HR or emulation officer of the person's unit records evaluations",
        ));
    }
    let regime = regime_in_force(
        &state.regimes,
        RegimeDomain::Assessment,
        slice.category,
        last,
    )
    .ok_or_else(|| {
        Error::field(
            "year",
            "no_regime",
            "no assessment regime governs this person then",
        )
    })?;
    let scheme = state.assessment.scheme(&regime.key).ok_or_else(|| {
        Error::Internal(format!(
            "no classification scheme for regime {}",
            regime.key
        ))
    })?;
    if matches!(scheme.method, Method::Points { .. }) {
        return Err(Error::field(
            "year",
            "points_regime",
            "this year falls under a points regime: record its periods' evaluations instead",
        ));
    }
    let c = congvu_db::evaluation::CriteriaRecord {
        id: Uuid::now_v7(),
        person,
        unit: unit.id,
        year: input.year,
        regime: regime.key.clone(),
        result,
        recorded_by: actor.user.as_uuid(),
        created_at: state.clock.now(),
    };
    congvu_db::evaluation::insert_criteria(&txn, &c)
        .await
        .map_err(|e| {
            super::taken(
                e,
                "year",
                "evaluation.criteria_recorded",
                "the person's criteria result of this year is already recorded",
            )
        })?;
    record(
        &txn,
        who(actor),
        "evaluation.criteria",
        ("person", person.to_string()),
        &reason,
        &serde_json::json!({
            "year": input.year,
            "general_met": result.general_met,
            "tasks_done_pct": result.tasks_done_pct,
            "exceeded_pct": result.exceeded_pct,
            "shortfall_pct": result.shortfall_pct,
            "unmet_pct": result.unmet_pct,
        }),
        c.created_at,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(c)
}
