//! Evaluations in storage: one row per person per period, the overlap check against a person's
//! other periods of the year, a per-person yearly summary of the mean rule's sums kept in the same
//! transaction as each insert, each unit's rule for the annual score (inherited down the tree), and
//! the criteria results of the years Decree 90/2020 governed.

use chrono::{DateTime, Utc};
use congvu_core::assessment::tasks::Product;
use congvu_core::assessment::{Aggregation, CriteriaResult, Period, PeriodKind, Points, Score};
use congvu_core::ids::{PersonId, UnitId};
use congvu_core::policy::path_units;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::bulk::{self, Field};
use crate::entity::{assessment_setting, criteria_result, evaluation, evaluation_year};
use crate::staff::Members;

mod stored_products;

/// A stored evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationRecord {
    pub id: Uuid,
    pub person: PersonId,
    pub unit: UnitId,
    pub period: Period,
    pub regime: String,
    pub score: Score,
    /// The work products the task score was computed from (stored as a versioned document).
    pub products: Option<Vec<Product>>,
    pub evaluated_by: Uuid,
    pub created_at: DateTime<Utc>,
}

fn points(value: i32, what: &str) -> Result<Points, DbError> {
    u32::try_from(value)
        .map(Points)
        .map_err(|_| DbError::corrupt(what, &value.to_string()))
}

fn record(m: evaluation::Model) -> Result<EvaluationRecord, DbError> {
    let kind =
        PeriodKind::parse(&m.kind).ok_or_else(|| DbError::corrupt("period kind", &m.kind))?;
    let index = u32::try_from(m.idx).map_err(|_| DbError::corrupt("period", &m.idx.to_string()))?;
    let period = Period::new(kind, m.year, index)
        .map_err(|_| DbError::corrupt("period", &format!("{} {} {}", m.kind, m.year, m.idx)))?;
    Ok(EvaluationRecord {
        id: m.id,
        person: PersonId::from_uuid(m.person_id),
        unit: UnitId::from_uuid(m.unit_id),
        period,
        regime: m.regime,
        score: Score {
            general: points(m.general, "general")?,
            tasks: points(m.tasks, "tasks")?,
        },
        products: m
            .products
            .as_deref()
            .map(stored_products::decode)
            .transpose()?,
        evaluated_by: m.evaluated_by,
        created_at: m.created_at,
    })
}

/// The years in which a person has evaluations, oldest first.
pub async fn years_of(db: &impl ConnectionTrait, person: PersonId) -> Result<Vec<i32>, DbError> {
    Ok(evaluation_year::Entity::find()
        .select_only()
        .column(evaluation_year::Column::Year)
        .filter(evaluation_year::Column::PersonId.eq(person.as_uuid()))
        .order_by_asc(evaluation_year::Column::Year)
        .into_tuple()
        .all(db)
        .await?)
}

/// A person's evaluations of a year, in period order.
pub async fn of_year(
    db: &impl ConnectionTrait,
    person: PersonId,
    year: i32,
) -> Result<Vec<EvaluationRecord>, DbError> {
    evaluation::Entity::find()
        .filter(evaluation::Column::PersonId.eq(person.as_uuid()))
        .filter(evaluation::Column::Year.eq(year))
        .order_by_asc(evaluation::Column::MonthFrom)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// An evaluation's row.
fn evaluation_model(e: &EvaluationRecord) -> Result<evaluation::ActiveModel, DbError> {
    let (from, to) = e.period.months();
    let narrow = |x: u32| i32::try_from(x).unwrap_or(i32::MAX);
    Ok(evaluation::ActiveModel {
        id: Set(e.id),
        person_id: Set(e.person.as_uuid()),
        unit_id: Set(e.unit.as_uuid()),
        year: Set(e.period.year),
        kind: Set(e.period.kind.code().to_owned()),
        idx: Set(narrow(e.period.index)),
        month_from: Set(narrow(from)),
        month_to: Set(narrow(to)),
        regime: Set(e.regime.clone()),
        general: Set(narrow(e.score.general.0)),
        tasks: Set(narrow(e.score.tasks.0)),
        products: Set(e
            .products
            .as_deref()
            .map(stored_products::encode)
            .transpose()?),
        evaluated_by: Set(e.evaluated_by),
        created_at: Set(e.created_at),
    })
}

/// Inserts an evaluation (the caller has checked, under the person's lock, that no other period
/// of theirs overlaps it; the unique index refuses a duplicate regardless).
pub async fn insert(txn: &impl ConnectionTrait, e: &EvaluationRecord) -> Result<(), DbError> {
    evaluation_model(e)?.insert(txn).await?;
    add_to_years(txn, std::slice::from_ref(e)).await
}

/// One person's year as the `evaluation_years` summary holds it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct YearSums {
    general_weighted: i64,
    total_weighted: i64,
    months: i64,
}

/// Adds these evaluations to their people's yearly sums (an upsert per person and year, in the
/// caller's transaction, so the summary never disagrees with the periods it sums).
async fn add_to_years(
    txn: &impl ConnectionTrait,
    evaluations: &[EvaluationRecord],
) -> Result<(), DbError> {
    use sea_orm::sea_query::Expr;
    let mut sums: std::collections::BTreeMap<(Uuid, i32), YearSums> =
        std::collections::BTreeMap::new();
    for e in evaluations {
        let (from, to) = e.period.months();
        let months = i64::from(to) - i64::from(from) + 1;
        let general = i64::from(e.score.general.0);
        let total = general + i64::from(e.score.tasks.0);
        let s = sums.entry((e.person.as_uuid(), e.period.year)).or_default();
        s.general_weighted += general * months;
        s.total_weighted += total * months;
        s.months += months;
    }
    let rows: Vec<((Uuid, i32), YearSums)> = sums.into_iter().collect();
    let add = |c: &str| Expr::cust(format!("evaluation_years.{c} + excluded.{c}"));
    for chunk in rows.chunks(1000) {
        evaluation_year::Entity::insert_many(chunk.iter().map(|((person, year), s)| {
            evaluation_year::ActiveModel {
                person_id: Set(*person),
                year: Set(*year),
                general_weighted: Set(s.general_weighted),
                total_weighted: Set(s.total_weighted),
                months: Set(s.months),
            }
        }))
        .on_conflict(
            OnConflict::columns([
                evaluation_year::Column::PersonId,
                evaluation_year::Column::Year,
            ])
            .value(
                evaluation_year::Column::GeneralWeighted,
                add("general_weighted"),
            )
            .value(
                evaluation_year::Column::TotalWeighted,
                add("total_weighted"),
            )
            .value(evaluation_year::Column::Months, add("months"))
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// The annual-score rule of a unit: its own setting, else the nearest unit above it with one,
/// else the mean.
pub async fn aggregation(
    db: &impl ConnectionTrait,
    unit_path: &str,
) -> Result<Aggregation, DbError> {
    let chain: Vec<Uuid> = path_units(unit_path).iter().map(|u| u.as_uuid()).collect();
    let settings = assessment_setting::Entity::find()
        .filter(assessment_setting::Column::UnitId.is_in(chain.clone()))
        .all(db)
        .await?;
    let nearest = chain
        .iter()
        .rev()
        .find_map(|u| settings.iter().find(|s| s.unit_id == *u));
    match nearest {
        None => Ok(Aggregation::Mean),
        Some(s) => Aggregation::parse(&s.aggregation)
            .ok_or_else(|| DbError::corrupt("aggregation", &s.aggregation)),
    }
}

/// Sets a unit's annual-score rule.
pub async fn set_aggregation(
    txn: &impl ConnectionTrait,
    unit: UnitId,
    rule: Aggregation,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    assessment_setting::Entity::insert(assessment_setting::ActiveModel {
        unit_id: Set(unit.as_uuid()),
        aggregation: Set(rule.code().to_owned()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(assessment_setting::Column::UnitId)
            .update_columns([
                assessment_setting::Column::Aggregation,
                assessment_setting::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// The periods and scores of these people's year, for classifying many at once (only the columns
/// the annual score needs).
pub async fn scores_of_year(
    db: &impl ConnectionTrait,
    persons: &[PersonId],
    year: i32,
) -> Result<Vec<(PersonId, Period, Score)>, DbError> {
    let mut out = Vec::new();
    for chunk in persons.chunks(1000) {
        let ids: Vec<Uuid> = chunk.iter().map(|p| p.as_uuid()).collect();
        let rows: Vec<(Uuid, String, i32, i32, i32)> = evaluation::Entity::find()
            .select_only()
            .column(evaluation::Column::PersonId)
            .column(evaluation::Column::Kind)
            .column(evaluation::Column::Idx)
            .column(evaluation::Column::General)
            .column(evaluation::Column::Tasks)
            .filter(evaluation::Column::PersonId.is_in(ids))
            .filter(evaluation::Column::Year.eq(year))
            .into_tuple()
            .all(db)
            .await?;
        for (person, kind, idx, general, tasks) in rows {
            let period = PeriodKind::parse(&kind)
                .and_then(|k| Period::new(k, year, u32::try_from(idx).ok()?).ok())
                .ok_or_else(|| DbError::corrupt("period", &format!("{kind} {idx}")))?;
            let score = Score {
                general: points(general, "general")?,
                tasks: points(tasks, "tasks")?,
            };
            out.push((PersonId::from_uuid(person), period, score));
        }
    }
    Ok(out)
}

/// Inserts many evaluations in a few statements (bulk import; at most 1000 rows per statement,
/// well under both backends' bound-parameter limits). The caller has checked that no two periods
/// of a person overlap; the unique index refuses a duplicate regardless.
pub async fn insert_many(
    txn: &impl ConnectionTrait,
    evaluations: &[EvaluationRecord],
) -> Result<(), DbError> {
    const CHUNK: usize = 1000;
    let mut models = evaluations.iter().map(evaluation_model);
    crate::bulk::insert(txn, CHUNK, &mut models).await?;
    add_to_years(txn, evaluations).await
}

/// For the mean rule: per member, the month-weighted sums of the general part and of the total,
/// and the months evaluated, from the yearly summary `insert` and `insert_many` keep (one row a
/// person instead of one a period). Members with no evaluation that year have no row.
pub async fn mean_sums(
    db: &impl ConnectionTrait,
    members: Members<'_>,
    year: i32,
) -> Result<Vec<(PersonId, u64, u64, u64)>, DbError> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let person = (evaluation_year::Entity, evaluation_year::Column::PersonId);
    let fields = [
        Field::Uuid(evaluation_year::Column::PersonId),
        Field::Plain(evaluation_year::Column::GeneralWeighted),
        Field::Plain(evaluation_year::Column::TotalWeighted),
        Field::Plain(evaluation_year::Column::Months),
    ];
    for probe in members.probes(person) {
        let of_year = probe.add(evaluation_year::Column::Year.eq(year));
        let doc = bulk::rows(db, evaluation_year::Entity, &fields, of_year).await?;
        // One row a person and year: a repeat can only come from a second probe.
        for (p, general, total, months) in bulk::parse::<(&str, i64, i64, i64)>(&doc)? {
            let p = PersonId::from_uuid(bulk::uuid(p)?);
            if !seen.insert(p) {
                continue;
            }
            let n = |v: i64| {
                u64::try_from(v).map_err(|_| DbError::corrupt("score sum", &v.to_string()))
            };
            out.push((p, n(general)?, n(total)?, n(months)?));
        }
    }
    Ok(out)
}

/// Every unit's own annual-score rule (the table is small: one row per unit that set one).
pub async fn all_aggregations(
    db: &impl ConnectionTrait,
) -> Result<Vec<(UnitId, Aggregation)>, DbError> {
    assessment_setting::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            Aggregation::parse(&s.aggregation)
                .map(|a| (UnitId::from_uuid(s.unit_id), a))
                .ok_or_else(|| DbError::corrupt("aggregation", &s.aggregation))
        })
        .collect()
}

/// A person's year under Decree 90/2020's criteria (percentages), as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriteriaRecord {
    pub id: Uuid,
    pub person: PersonId,
    pub unit: UnitId,
    pub year: i32,
    pub regime: String,
    pub result: CriteriaResult,
    pub recorded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Inserts a criteria result (one per person and year: a second is a conflict).
pub async fn insert_criteria(
    txn: &impl ConnectionTrait,
    c: &CriteriaRecord,
) -> Result<(), DbError> {
    let pct = |x: u32| i32::try_from(x).unwrap_or(i32::MAX);
    criteria_result::ActiveModel {
        id: Set(c.id),
        person_id: Set(c.person.as_uuid()),
        unit_id: Set(c.unit.as_uuid()),
        year: Set(c.year),
        regime: Set(c.regime.clone()),
        general_met: Set(c.result.general_met),
        tasks_done_pct: Set(pct(c.result.tasks_done_pct)),
        exceeded_pct: Set(pct(c.result.exceeded_pct)),
        shortfall_pct: Set(pct(c.result.shortfall_pct)),
        unmet_pct: Set(pct(c.result.unmet_pct)),
        recorded_by: Set(c.recorded_by),
        created_at: Set(c.created_at),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The criteria results of the members' year.
pub async fn criteria_of_year(
    db: &impl ConnectionTrait,
    members: Members<'_>,
    year: i32,
) -> Result<Vec<(PersonId, CriteriaResult)>, DbError> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let person = (criteria_result::Entity, criteria_result::Column::PersonId);
    for probe in members.probes(person) {
        let rows = criteria_result::Entity::find()
            .filter(probe)
            .filter(criteria_result::Column::Year.eq(year))
            .all(db)
            .await?;
        for m in rows.into_iter().filter(|m| seen.insert(m.id)) {
            let pct =
                |v: i32| u32::try_from(v).map_err(|_| DbError::corrupt("percent", &v.to_string()));
            out.push((
                PersonId::from_uuid(m.person_id),
                CriteriaResult {
                    general_met: m.general_met,
                    tasks_done_pct: pct(m.tasks_done_pct)?,
                    exceeded_pct: pct(m.exceeded_pct)?,
                    shortfall_pct: pct(m.shortfall_pct)?,
                    unmet_pct: pct(m.unmet_pct)?,
                },
            ));
        }
    }
    Ok(out)
}
