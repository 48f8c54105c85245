//! The wire shapes of evaluations: scores travel as points with two decimals and become
//! hundredths here; a period's kind, year and index become a `Period`; records come back as
//! points again.

use chrono::{DateTime, Utc};
use congvu_app::service::evaluations::{NewCriteria, NewEvaluation, YearView};
use congvu_core::assessment::tasks::Product;
use congvu_core::assessment::{CriteriaResult, Period, PeriodKind, Points, Score};
use congvu_db::evaluation::{CriteriaRecord, EvaluationRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::routes::common::{Gather, Params, parsed};

/// A period's kind.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKindCode {
    Month,
    Quarter,
    HalfYear,
    Year,
}

/// How the periods make the annual score.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AggregationCode {
    Mean,
    Lowest,
}

/// A decimal of at most two places as hundredths.
fn hundredths(field: &str, value: f64) -> Result<Points> {
    let scaled = (value * 100.0).round();
    if !value.is_finite() || value < 0.0 || (value * 100.0 - scaled).abs() > 1e-6 || scaled > 1e9 {
        return Err(Error::field(
            field,
            "invalid_points",
            "a non-negative number with at most two decimals",
        ));
    }
    // In range and whole after the checks above.
    Ok(Points(scaled as u32))
}

/// Hundredths as points with two decimals.
fn shown(p: Points) -> f64 {
    f64::from(p.0) / 100.0
}

/// One period's evaluation as recorded.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationInput {
    #[schema(value_type = PeriodKindCode)]
    pub kind: String,
    pub year: i32,
    /// 1–12 for a month, 1–4 a quarter, 1–2 a half-year, 1 the year.
    pub index: u32,
    /// General criteria, out of 30 (two decimals at most).
    pub general: f64,
    /// Task results, out of 70; leave out when `products` are given.
    pub tasks: Option<f64>,
    /// The assigned work products the task score is computed from (Decree 335/2025).
    pub products: Option<Vec<ProductInput>>,
    pub reason: Option<String>,
}

/// One work product (Decree 335/2025).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// Its weight in converted units (two decimals at most).
    pub units: f64,
    pub done: bool,
    #[serde(default)]
    pub failed_reviews: u32,
    #[serde(default)]
    pub delays: u32,
    /// Who confirmed an objective cause that exempts it from deductions.
    pub exempted_by: Option<String>,
}

impl From<&Product> for ProductInput {
    fn from(p: &Product) -> Self {
        Self {
            units: shown(Points(p.units)),
            done: p.done,
            failed_reviews: p.failed_reviews,
            delays: p.delays,
            exempted_by: p.exempted_by.clone(),
        }
    }
}

impl EvaluationInput {
    /// The period and the scores in hundredths (one 422 naming every bad part).
    pub fn parse(self) -> Result<NewEvaluation> {
        let mut p = Params::default();
        let kind = p.code(
            "kind",
            Some(&self.kind),
            PeriodKind::parse,
            "month, quarter, half_year, year",
        );
        let mut all = Gather::default();
        all.take(p.finish())?;
        let period = match kind {
            Some(kind) => {
                all.take(Period::new(kind, self.year, self.index).map_err(Error::from))?
            }
            None => None,
        };
        let general = all.take(hundredths("general", self.general))?;
        let tasks = match self.tasks {
            Some(t) => all.take(hundredths("tasks", t))?,
            None => None,
        };
        let products = match self.products {
            Some(list) => {
                let mut out = Vec::with_capacity(list.len());
                for (i, p) in list.into_iter().enumerate() {
                    let units = all.take(hundredths(&format!("products[{i}].units"), p.units))?;
                    out.push(Product {
                        units: units.map_or(0, |u| u.0),
                        done: p.done,
                        failed_reviews: p.failed_reviews,
                        delays: p.delays,
                        exempted_by: p.exempted_by,
                    });
                }
                Some(out)
            }
            None => None,
        };
        all.finish()?;
        Ok(NewEvaluation {
            period: parsed(period)?,
            general: parsed(general)?,
            tasks,
            products,
            reason: self.reason,
        })
    }
}

/// An evaluation as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub unit_id: Uuid,
    #[schema(value_type = PeriodKindCode)]
    pub kind: &'static str,
    pub year: i32,
    pub index: u32,
    /// The assessment regime the scores are under (`data/regimes.toml`).
    pub regime: String,
    pub general: f64,
    pub tasks: f64,
    pub total: f64,
    pub products: Option<Vec<ProductInput>>,
    pub created_at: DateTime<Utc>,
}

impl From<EvaluationRecord> for EvaluationView {
    fn from(r: EvaluationRecord) -> Self {
        Self {
            id: r.id,
            person_id: r.person.as_uuid(),
            unit_id: r.unit.as_uuid(),
            kind: r.period.kind.code(),
            year: r.period.year,
            index: r.period.index,
            regime: r.regime,
            general: shown(r.score.general),
            tasks: shown(r.score.tasks),
            total: shown(r.score.total()),
            products: r
                .products
                .map(|ps| ps.iter().map(ProductInput::from).collect()),
            created_at: r.created_at,
        }
    }
}

/// A person's year: the periods evaluated and the annual score by the unit's rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearResponse {
    pub person_id: Uuid,
    pub year: i32,
    pub evaluations: Vec<EvaluationView>,
    /// The unit's rule, inherited from the units above.
    #[schema(value_type = AggregationCode)]
    pub aggregation: &'static str,
    /// None when no period was evaluated.
    pub annual: Option<ScoreView>,
}

impl From<YearView> for YearResponse {
    fn from(y: YearView) -> Self {
        Self {
            person_id: y.person.as_uuid(),
            year: y.year,
            evaluations: y
                .evaluations
                .into_iter()
                .map(EvaluationView::from)
                .collect(),
            aggregation: y.aggregation.code(),
            annual: y.annual.map(ScoreView::from),
        }
    }
}

/// A score as shown, in points.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreView {
    pub general: f64,
    pub tasks: f64,
    pub total: f64,
}

impl From<Score> for ScoreView {
    fn from(s: Score) -> Self {
        Self {
            general: shown(s.general),
            tasks: shown(s.tasks),
            total: shown(s.total()),
        }
    }
}

/// A year's result under Decree 90/2020's criteria (the historic regime, no points).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriteriaInput {
    pub year: i32,
    /// The general criteria (politics, ethics, discipline…) were all met well.
    pub general_met: bool,
    /// Share of tasks completed, in percent.
    pub tasks_done_pct: u32,
    /// Share of tasks exceeded.
    pub exceeded_pct: u32,
    /// Share of criteria late, of low quality or inefficient.
    pub shortfall_pct: u32,
    /// Share of task criteria not met.
    pub unmet_pct: u32,
    pub reason: Option<String>,
}

impl From<CriteriaInput> for NewCriteria {
    fn from(c: CriteriaInput) -> Self {
        Self {
            year: c.year,
            result: CriteriaResult {
                general_met: c.general_met,
                tasks_done_pct: c.tasks_done_pct,
                exceeded_pct: c.exceeded_pct,
                shortfall_pct: c.shortfall_pct,
                unmet_pct: c.unmet_pct,
            },
            reason: c.reason,
        }
    }
}

/// A recorded criteria result.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriteriaView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub unit_id: Uuid,
    pub regime: String,
    pub year: i32,
    pub general_met: bool,
    pub tasks_done_pct: u32,
    pub exceeded_pct: u32,
    pub shortfall_pct: u32,
    pub unmet_pct: u32,
}

impl From<CriteriaRecord> for CriteriaView {
    fn from(c: CriteriaRecord) -> Self {
        Self {
            id: c.id,
            person_id: c.person.as_uuid(),
            unit_id: c.unit.as_uuid(),
            regime: c.regime,
            year: c.year,
            general_met: c.result.general_met,
            tasks_done_pct: c.result.tasks_done_pct,
            exceeded_pct: c.result.exceeded_pct,
            shortfall_pct: c.result.shortfall_pct,
            unmet_pct: c.result.unmet_pct,
        }
    }
}
